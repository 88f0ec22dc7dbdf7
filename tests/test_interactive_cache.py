"""The interactive data's background computation: parts moved into the cache when the run
succeeds, a clear error when it fails, and nothing half-done left behind either way."""

from __future__ import annotations

import time

import pytest

from glassnet_site import interactive_cache
from glassnet_site.interactive_cache import Computation, InteractiveError

# Stands in for ``python -m glassnet_site.interactive --out DIR``: writes both parts.
WRITES_BOTH = """
import pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
(out / "playground").mkdir()
(out / "playground" / "manifest.json").write_text("{}")
(out / "neuron.json").write_text("[1, 2]")
print("both parts written")
"""


@pytest.fixture
def root(tmp_path, monkeypatch):
    """An empty cache, with one directory per part as ``cache_dirs`` names them."""
    monkeypatch.setattr(interactive_cache, "ROOT", tmp_path)
    dirs = {"playground": tmp_path / "playground-aaaa", "explorers": tmp_path / "explorers-bbbb"}
    monkeypatch.setattr(interactive_cache, "cache_dirs", lambda: dict(dirs))
    return tmp_path


def _run(monkeypatch, script: str) -> Computation:
    monkeypatch.setattr(interactive_cache, "COMMAND", ("-c", script))
    computation = Computation()
    computation.start()
    return computation


def _unfinished(root) -> list[str]:
    return [path.name for path in root.iterdir() if path.name.startswith("computing-")]


def test_a_finished_run_moves_each_part_into_its_cache_entry(root, monkeypatch, capsys):
    dirs = _run(monkeypatch, WRITES_BOTH).finish()
    assert (dirs["playground"] / "playground" / "manifest.json").read_text() == "{}"
    assert (dirs["explorers"] / "neuron.json").read_text() == "[1, 2]"
    assert _unfinished(root) == []
    assert "both parts written" in capsys.readouterr().out
    served = dict(interactive_cache.files(dirs))
    assert set(served) == {"interactive/playground/manifest.json", "interactive/neuron.json"}


def test_a_cached_part_is_not_computed_again(root, monkeypatch):
    _run(monkeypatch, WRITES_BOTH).finish()
    computation = _run(monkeypatch, "raise SystemExit('computed again')")
    assert computation.finish()["playground"].exists()  # no run started, so no error


def test_a_failed_run_raises_its_output_and_leaves_nothing(root, monkeypatch):
    computation = _run(monkeypatch, "print('the playground diverged'); raise SystemExit(1)")
    with pytest.raises(InteractiveError, match="the playground diverged"):
        computation.finish()
    assert list(root.iterdir()) == []


def test_a_run_that_writes_a_part_short_is_an_error_and_caches_nothing(root, monkeypatch):
    computation = _run(monkeypatch, "print('wrote nothing')")
    with pytest.raises(InteractiveError, match="wrote none of the playground data"):
        computation.finish()
    assert list(root.iterdir()) == []


def test_stop_ends_a_running_computation_and_leaves_nothing(root, monkeypatch):
    computation = _run(monkeypatch, "import time; time.sleep(60)")
    start = time.perf_counter()
    computation.stop()
    assert time.perf_counter() - start < 30
    assert _unfinished(root) == []
    assert not any(path.exists() for path in interactive_cache.cache_dirs().values())
