"""Build hook: the data of the interactive figures, computed by glassnet and cached.

The work happens in ``python -m glassnet_site.interactive`` (the playground's training grid and
the explorers' data), in a subprocess that starts as soon as the configuration is loaded,
so that it runs while the figures render; ``on_files`` waits for it, caches its output
under ``.cache/interactive/<hash of the library>`` and adds the files to the site in memory
under ``interactive/``. The grid is part of the library, so the hash covers it too.
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

from glassnet_site import cache

_state: dict = {}
KEEP = 4  # caches kept for other versions of the library (branches, concurrent builds)


def _cache_dir() -> Path:
    return cache.CACHE / "interactive" / cache.library_hash()[:16]


def on_config(config):
    """Start computing the data in the background unless the cache already holds it."""
    out = _state["out"] = _cache_dir()  # the library as this build found it
    if (out / "playground" / "manifest.json").exists() or _state.get("worker"):
        return config
    out.parent.mkdir(parents=True, exist_ok=True)
    # A private directory, renamed into place when complete (see figures.py), by a thread
    # that waits for the run. The run has its own process group, so that on_shutdown can
    # stop it together with its worker processes.
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix="computing-"))
    proc = subprocess.Popen([sys.executable, "-m", "glassnet_site.interactive", "--out", str(tmp)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=cache.ROOT, start_new_session=True)
    worker = threading.Thread(target=_complete, args=(proc, tmp, out, time.perf_counter()))
    _state.update(worker=worker, proc=proc)
    worker.start()
    return config


def _complete(proc, tmp: Path, out: Path, start: float) -> None:
    """Wait for the run; move its output into the cache, or keep its error for on_files."""
    output = proc.communicate()[0]
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        _state["error"] = output
        return
    try:
        tmp.rename(out)
    except OSError:  # another build finished the same work first
        shutil.rmtree(tmp, ignore_errors=True)
    cache.evict_stale(out.parent, KEEP)
    _state["report"] = (f"INFO    -  Computed the interactive data in "
                        f"{time.perf_counter() - start:.1f} s: {output.strip()}")


def _finish() -> Path:
    """Wait for the background run (if any) and return the cache directory."""
    worker = _state.pop("worker", None)
    if worker is not None:
        worker.join()
        _state.pop("proc", None)
    if "error" in _state:
        raise PluginError("computing the interactive figures' data failed:\n"
                          + _state.pop("error"))
    if "report" in _state:
        print(_state.pop("report"))
    return _state["out"]


def on_files(files, config):
    out = _finish()
    if not (out / "playground" / "manifest.json").exists():
        on_config(config)  # the cache was removed while serving: compute it again
        out = _finish()
    if not (out / "playground" / "manifest.json").exists():
        raise PluginError(f"the interactive figures' data is missing from {out}")
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
