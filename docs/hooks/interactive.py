"""Build hook: the data of the interactive figures, computed by glassnet and cached.

The work happens in ``python -m glassnet_site.interactive`` (the playground's training grid and
the explorers' data), in a subprocess that starts as soon as the configuration is loaded,
so that it runs while the figures render; ``on_files`` waits for it, caches its output
in two parts, ``.cache/interactive/playground-KEY`` and ``explorers-KEY``, each keyed on its
own inputs (``glassnet_site.cache.interactive_key``: the module that computes it, what that
imports, and the command), and adds the files to the site in memory under ``interactive/``.
Only a part whose inputs changed is computed again.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from glassnet_site import cache, rebuild

_state: dict = {}
KEEP = 4  # caches kept of each part for other versions of the library (branches, builds)
ROOT = cache.CACHE / "interactive"


def _cache_dirs() -> dict[str, Path]:
    """Where each part of the data is cached, under its own key (``cache.interactive_key``)."""
    return rebuild.unchanged("interactive", lambda: {
        part: ROOT / f"{part}-{cache.interactive_key(part)[:16]}" for part in cache.INTERACTIVE})


def on_config(config):
    """Start computing the parts the cache lacks in the background."""
    dirs = _state["dirs"] = _cache_dirs()  # the library as this build found it
    missing = [part for part, out in dirs.items() if not out.exists()]
    if not missing or _state.get("worker"):
        return config
    ROOT.mkdir(parents=True, exist_ok=True)
    # A private directory, moved into place part by part when complete (see figures.py), by
    # a thread that waits for the run. The run has its own process group, so that
    # on_shutdown can stop it together with its worker processes.
    tmp = Path(tempfile.mkdtemp(dir=ROOT, prefix="computing-"))
    only = ["--only", missing[0]] if len(missing) == 1 else []
    proc = subprocess.Popen([sys.executable, "-m", "glassnet_site.interactive", "--out", str(tmp),
                             *only], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=cache.ROOT, start_new_session=True)
    worker = threading.Thread(target=_complete,
                              args=(proc, tmp, {p: dirs[p] for p in missing},
                                    time.perf_counter()))
    _state.update(worker=worker, proc=proc)
    worker.start()
    return config


def _part_files(tmp: Path, part: str) -> list[Path]:
    """The files and directories of ``part`` in the command's output directory."""
    if part == "playground":
        return [tmp / "playground"]
    return sorted(tmp.glob("*.json"))


def _complete(proc, tmp: Path, outs: dict[str, Path], start: float) -> None:
    """Wait for the run; move each part into its cache entry, or keep the error for on_files."""
    output = proc.communicate()[0]
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        _state["error"] = output
        return
    for part, out in outs.items():
        entry = Path(tempfile.mkdtemp(dir=ROOT, prefix="computing-"))
        for path in _part_files(tmp, part):
            path.rename(entry / path.name)
        try:
            entry.rename(out)
        except OSError:  # another build finished the same work first
            shutil.rmtree(entry, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)
    cache.evict_stale(ROOT, KEEP)
    _state["report"] = (f"INFO    -  Computed the interactive data ({', '.join(outs)}) in "
                        f"{time.perf_counter() - start:.1f} s: {output.strip()}")


def _finish() -> dict[str, Path]:
    """Wait for the background run (if any) and return the cache directories."""
    worker = _state.pop("worker", None)
    if worker is not None:
        worker.join()
        _state.pop("proc", None)
    if "error" in _state:
        raise PluginError("computing the interactive figures' data failed:\n"
                          + _state.pop("error"))
    if "report" in _state:
        print(_state.pop("report"))
    return _state["dirs"]


def on_files(files, config):
    dirs = _finish()
    if not all(out.exists() for out in dirs.values()):
        on_config(config)  # the cache was removed while serving: compute it again
        dirs = _finish()
    if not (dirs["playground"] / "playground" / "manifest.json").exists():
        raise PluginError(f"the interactive figures' data is missing from {dirs['playground']}")
    for out in dirs.values():
        cache.touch(out)
        for path in sorted(out.rglob("*")):
            if path.is_file():
                uri = f"interactive/{path.relative_to(out).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_shutdown():
    """Stop a run still going when MkDocs exits (a build that another hook failed, or
    ``mkdocs serve`` stopped), worker processes included; nothing half-done is cached."""
    proc = _state.pop("proc", None)
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    worker = _state.pop("worker", None)
    if worker is not None:
        worker.join()  # it sees the failure and removes the private directory
        _state.pop("error", None)
