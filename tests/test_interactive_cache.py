"""The interactive data's background computation: parts moved into the cache when the run
succeeds, a clear error when it fails, and nothing half-done left behind either way."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from glassnet_site import interactive_cache
from glassnet_site.interactive_cache import Computation, InteractiveError

# Stands in for ``python -m glassnet_site.interactive --out DIR [--only PART]``: writes the
# parts asked for, and records each run's arguments in runs.txt beside the cache.
WRITES_BOTH = """
import pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
with open(out.parent / "runs.txt", "a") as runs:
    runs.write(" ".join(sys.argv[3:]) + "\\n")
only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
if only in (None, "playground"):
    (out / "playground").mkdir()
    (out / "playground" / "manifest.json").write_text("{}")
if only in (None, "explorers"):
    (out / "neuron.json").write_text("[1, 2]")
print("parts written")
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


def _runs(root) -> list[str]:
    """The arguments of every run of the stand-in command, after ``--out DIR``."""
    runs = root / "runs.txt"
    return runs.read_text().splitlines() if runs.exists() else []


def test_a_finished_run_moves_each_part_into_its_cache_entry(root, monkeypatch, capsys):
    dirs = _run(monkeypatch, WRITES_BOTH).finish()
    assert (dirs["playground"] / "playground" / "manifest.json").read_text() == "{}"
    assert (dirs["explorers"] / "neuron.json").read_text() == "[1, 2]"
    assert _unfinished(root) == []
    assert "parts written" in capsys.readouterr().out
    served = dict(interactive_cache.files(dirs))
    assert set(served) == {"interactive/playground/manifest.json", "interactive/neuron.json"}


def test_a_cached_part_is_not_computed_again(root, monkeypatch):
    _run(monkeypatch, WRITES_BOTH).finish()
    computation = _run(monkeypatch, "raise SystemExit('computed again')")
    assert computation.finish()["playground"].exists()  # no run started, so no error


def test_only_the_missing_part_is_computed(root, monkeypatch):
    dirs = _run(monkeypatch, WRITES_BOTH).finish()
    for path in dirs["explorers"].iterdir():
        path.unlink()
    dirs["explorers"].rmdir()
    _run(monkeypatch, WRITES_BOTH).finish()
    assert _runs(root) == ["", "--only explorers"]
    assert (dirs["explorers"] / "neuron.json").exists()


def test_a_part_removed_while_serving_is_computed_again(root, monkeypatch):
    computation = _run(monkeypatch, WRITES_BOTH)
    dirs = computation.finish()
    (dirs["playground"] / "playground" / "manifest.json").unlink()
    (dirs["playground"] / "playground").rmdir()
    dirs["playground"].rmdir()
    assert computation.finish() == dirs  # the same instance, as under mkdocs serve
    assert _runs(root) == ["", "--only playground"]


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


def test_a_failure_after_the_run_raises_its_traceback_and_is_not_run_again(root, monkeypatch):
    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(interactive_cache.cache, "entry_dir", no_room)
    computation = _run(monkeypatch, WRITES_BOTH)
    with pytest.raises(InteractiveError, match="(?s)Traceback.*No space left on device"):
        computation.finish()
    assert _runs(root) == [""]
    assert _unfinished(root) == []


def test_finish_without_start_starts_the_run(root, monkeypatch):
    monkeypatch.setattr(interactive_cache, "COMMAND", ("-c", WRITES_BOTH))
    dirs = Computation().finish()
    assert (dirs["explorers"] / "neuron.json").exists()


# Starts a worker process, as the playground's process pool does, and waits.
STARTS_A_WORKER = """
import pathlib, subprocess, sys, time
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
(out.parent / "worker.pid").write_text(str(worker.pid))
time.sleep(60)
"""


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


def test_stop_ends_a_running_computation_and_its_workers_and_leaves_nothing(root, monkeypatch):
    computation = _run(monkeypatch, STARTS_A_WORKER)
    pid_file = root / "worker.pid"
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    worker = int(pid_file.read_text())
    start = time.perf_counter()
    computation.stop()
    assert time.perf_counter() - start < 30
    deadline = time.monotonic() + 10
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(worker), "stop left the run's worker process running"
    assert _unfinished(root) == []
    assert not any(path.exists() for path in interactive_cache.cache_dirs().values())
    monkeypatch.setattr(interactive_cache, "COMMAND", ("-c", WRITES_BOTH))
    computation.start()  # the same instance computes again after a stop
    assert (computation.finish()["playground"] / "playground" / "manifest.json").exists()
