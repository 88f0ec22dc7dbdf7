"""The interactive figures' data, computed in the background and cached on its own inputs.

The work happens in ``python -m glassnet_site.interactive`` (the playground's training grid and
the explorers' data). ``Computation.start`` runs it in a subprocess as soon as the build's
configuration is loaded, so that it runs while the figures render; ``Computation.finish``
waits for it and returns the cache directories, ``.cache/interactive/playground-KEY`` and
``explorers-KEY``, each keyed on its own inputs (``glassnet_site.cache.interactive_key``: the
module that computes it, what that imports, and the command). Only a part whose inputs
changed is computed again; ``files`` lists what the site serves under ``interactive/``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

from glassnet_site import cache, rebuild

KEEP = 4  # caches kept of each part for other versions of the library (branches, builds)
ROOT = cache.CACHE / "interactive"
COMMAND = ("-m", "glassnet_site.interactive")  # run by this Python, with --out DIR [--only PART]


class InteractiveError(Exception):
    """Computing the interactive data failed, or its output is missing."""


def cache_dirs() -> dict[str, Path]:
    """Where each part of the data is cached, under its own key (``cache.interactive_key``)."""
    return rebuild.unchanged("interactive", lambda: {
        part: ROOT / f"{part}-{cache.interactive_key(part)[:16]}" for part in cache.INTERACTIVE})


def files(dirs: dict[str, Path]) -> Iterator[tuple[str, Path]]:
    """The site path (``interactive/...``) and cached file of every file of the data."""
    for out in dirs.values():
        cache.touch(out)
        for path in sorted(out.rglob("*")):
            if path.is_file():
                yield f"interactive/{path.relative_to(out).as_posix()}", path


class Computation:
    """The computation of the parts the cache lacks, run in the background: ``start`` when
    a build begins, ``finish`` when it needs the files. Under ``mkdocs serve`` one instance
    serves every rebuild (MkDocs loads a hook module once per process)."""

    def __init__(self) -> None:
        self.dirs: dict[str, Path] = {}
        self._proc: subprocess.Popen | None = None
        self._worker: threading.Thread | None = None
        self._error: str | None = None
        self._report: str | None = None

    def start(self) -> None:
        """Start computing the parts the cache lacks (for the library as it is now)."""
        self.dirs = cache_dirs()
        missing = [part for part, out in self.dirs.items() if not out.exists()]
        if not missing or self._worker is not None:
            return
        ROOT.mkdir(parents=True, exist_ok=True)
        # A private directory, moved into place part by part when complete, by a thread that
        # waits for the run. The run has its own process group, so that ``stop`` can end it
        # together with its worker processes.
        tmp = Path(tempfile.mkdtemp(dir=ROOT, prefix="computing-"))
        only = ["--only", missing[0]] if len(missing) == 1 else []
        self._proc = subprocess.Popen(
            [sys.executable, *COMMAND, "--out", str(tmp), *only],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cache.ROOT,
            start_new_session=True)
        self._worker = threading.Thread(
            target=self._complete, args=(self._proc, tmp, {p: self.dirs[p] for p in missing},
                                         time.perf_counter()))
        self._worker.start()

    def _complete(self, proc, tmp: Path, outs: dict[str, Path], start: float) -> None:
        """Wait for the run; move each part into its cache entry, or keep the error (the
        run's output, or the traceback of what failed here) for ``finish`` to raise."""
        try:
            output = proc.communicate()[0]
            if proc.returncode != 0:
                self._error = output
                return
            for part, out in outs.items():
                written = _part_files(tmp, part)
                if not written:
                    self._error = f"{output}\nThe run wrote none of the {part} data."
                    return
                with cache.entry_dir(out, prefix="computing-") as entry:
                    for path in written:
                        path.rename(entry / path.name)
            cache.evict_stale(ROOT, KEEP)
        except BaseException:  # raised again, with its traceback, by finish
            self._error = traceback.format_exc()
            return
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self._report = (f"INFO    -  Computed the interactive data ({', '.join(outs)}) in "
                        f"{time.perf_counter() - start:.1f} s: {output.strip()}")

    def finish(self) -> dict[str, Path]:
        """Wait for the background run (``start`` it first if no build has) and return the
        cache directories; compute again what was removed from the cache meanwhile (while
        serving). A run that failed raises ``InteractiveError`` and is not started again."""
        if not self.dirs:
            self.start()
        self._wait()
        if not all(out.exists() for out in self.dirs.values()):
            self.start()
            self._wait()
        manifest = self.dirs["playground"] / "playground" / "manifest.json"
        if not manifest.exists():
            raise InteractiveError("the interactive figures' data is missing from "
                                   f"{self.dirs['playground']}")
        return self.dirs

    def _wait(self) -> None:
        if self._worker is not None:
            self._worker.join()
            self._worker = self._proc = None
        if self._error is not None:
            error, self._error = self._error, None
            raise InteractiveError(f"computing the interactive figures' data failed:\n{error}")
        if self._report is not None:
            print(self._report)
            self._report = None

    def stop(self) -> None:
        """End a run still going (a build that failed elsewhere, or ``mkdocs serve``
        stopped), worker processes included; nothing half-done is cached."""
        if self._proc is not None and self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.killpg(self._proc.pid, signal.SIGTERM)
        if self._worker is not None:
            self._worker.join()  # it sees the failure and removes the private directory
        self._worker = self._proc = None
        self._error = None


def _part_files(tmp: Path, part: str) -> list[Path]:
    """The files and directories of ``part`` in the command's output directory."""
    if part == "playground":
        return [tmp / "playground"] if (tmp / "playground").is_dir() else []
    return sorted(tmp.glob("*.json"))
