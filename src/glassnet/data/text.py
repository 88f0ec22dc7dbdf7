"""English prose for next-character prediction, shipped inside the package.

``load_text()`` returns Jane Austen's *Pride and Prejudice* (1813), public domain; see
``AUSTEN_LICENSE.md`` beside this file for where the copy comes from and why it may be
redistributed. Nothing is downloaded: the text is a file of the package, so results do not
change with the Python version or the network.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["TEXTS", "load_text"]

#: The shipped texts by name, and their files beside this module.
TEXTS = {"pride_and_prejudice": "pride_and_prejudice.txt"}


def load_text(name: str = "pride_and_prejudice", path=None) -> str:
    """Return a whole text as one ``str``, lines separated by ``"\\n"``.

    Parameters
    ----------
    name : str
        A shipped text, one of ``TEXTS`` (684,768 characters for the default).
    path : str or Path, optional
        Read this UTF-8 file instead (your own corpus); ``name`` is then ignored.

    Returns
    -------
    str
    """
    if path is not None:
        return _read(Path(path), str(path))
    if name not in TEXTS:
        raise ValueError(f"load_text: expected a name among {sorted(TEXTS)}, got {name!r}")
    return _read(resources.files("glassnet.data").joinpath(TEXTS[name]), name)


def _read(source, label: str) -> str:
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"load_text: no file at {label}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"load_text: expected UTF-8 text in {label}, got byte "
                         f"{data[err.start]:#04x} at offset {err.start}") from None
    if not text:
        raise ValueError(f"load_text: {label} is empty")
    return text.replace("\r\n", "\n")
