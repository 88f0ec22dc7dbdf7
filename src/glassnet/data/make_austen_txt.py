"""Rebuild ``pride_and_prejudice.txt`` from Debian's package ``r-cran-janeaustenr``.

This script is how the shipped file was made; glassnet never runs it. The Debian package
(version 1.0.0-1) holds Julia Silge's R package *janeaustenr* 1.0.0, whose data are Jane
Austen's six novels as R character vectors, one line of the Project Gutenberg text per element,
stored in R's lazy-load database (``data/Rdata.rdx`` and ``data/Rdata.rdb``). R is not needed:
this script reads R's serialisation format (XDR, big-endian) for the few types those files
use. From a checkout, on a Debian machine::

    apt-get download r-cran-janeaustenr && dpkg-deb -x r-cran-janeaustenr_*.deb deb
    python -m glassnet.data.make_austen_txt deb

The lines are joined with ``"\\n"`` (R's ``NA`` would be an empty line; there are none).
"""

from __future__ import annotations

import gzip
import hashlib
import struct
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).with_name("pride_and_prejudice.txt")
DATA = "usr/lib/R/site-library/janeaustenr/data"
NOVEL = "prideprejudice"
NIL, REF, SYMBOL, PAIRLIST, CHARS, STRINGS, LIST = 254, 255, 1, 2, 9, 16, 19
INTS = {10, 13}  # logical and integer vectors: both 4-byte integers


class RReader:
    """Read one object serialised by R (format 2 or 3, XDR); only the types used here."""

    def __init__(self, data: bytes) -> None:
        if data[:2] != b"X\n":
            raise ValueError(f"expected R's XDR serialisation, got header {data[:2]!r}")
        self.data, self.pos, self.refs = data, 2, []
        version = self.int()
        self.pos += 8                                   # R versions that wrote and can read
        if version == 3:
            self.pos += 4 + self.int_at(self.pos)       # the native encoding's name

    def int_at(self, pos: int) -> int:
        return struct.unpack(">i", self.data[pos:pos + 4])[0]

    def int(self) -> int:
        self.pos += 4
        return self.int_at(self.pos - 4)

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind == NIL:
            return None
        if kind == REF:
            return self.refs[(flags >> 8 or self.int()) - 1]
        if kind == SYMBOL:
            self.refs.append(self.item())
            return self.refs[-1]
        if kind == PAIRLIST:                            # a named list of attributes
            if has_attr:
                self.item()
            tag = self.item() if has_tag else None
            value, rest = self.item(), self.item()
            return {tag: value, **(rest or {})}
        if kind == CHARS:
            n = self.int()
            self.pos += max(n, 0)
            return None if n == -1 else self.data[self.pos - n:self.pos].decode("utf-8")
        n = self.int()
        if kind in INTS:
            value = list(struct.unpack(f">{n}i", self.data[self.pos:self.pos + 4 * n]))
            self.pos += 4 * n
        elif kind in (STRINGS, LIST):
            value = [self.item() for _ in range(n)]
        else:
            raise ValueError(f"R type {kind} is not supported by this reader")
        attrs = self.item() if has_attr else {}
        return dict(zip(attrs["names"], value, strict=True)) if "names" in attrs else value


def read_novel(root: Path, name: str = NOVEL) -> str:
    """The novel ``name`` from the lazy-load database under ``root``, lines joined by newlines."""
    data = Path(root) / DATA
    index = RReader(gzip.decompress((data / "Rdata.rdx").read_bytes())).item()
    offset, length = index["variables"][name]
    record = (data / "Rdata.rdb").read_bytes()[offset:offset + length]
    lines = RReader(zlib.decompress(record[4:])).item()  # 4 bytes: the uncompressed size
    return "\n".join(line or "" for line in lines) + "\n"


if __name__ == "__main__":
    text = read_novel(Path(sys.argv[1]))
    OUT.write_text(text, encoding="utf-8", newline="\n")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    print(f"wrote {OUT}: {len(text)} characters, SHA-256 {digest}")
