r"""A compact binary container for the interactive figures' data, and uint8 quantisation.

A file holds named arrays and a JSON header, compressed with zlib, so that the browser can
inflate it with the standard ``DecompressionStream("deflate")`` and read the arrays as typed
arrays without any library. Layout before compression, little-endian:

``b"GNI1"`` | header length ``(uint32)`` | header (UTF-8 JSON, padded to 4 bytes) | arrays

The header is ``{"meta": {...}, "arrays": {name: {"dtype", "shape", "offset", ...}}}`` with
each array's byte offset from the start of the data section (a multiple of 4).

Quantisation maps a value $v$ in $[lo, hi]$ to the byte

$$ q = \operatorname{round}\Bigl(255\, \frac{v - lo}{hi - lo}\Bigr), \qquad
   \hat{v} = lo + \frac{q}{255}(hi - lo), \qquad |\hat{v} - v| \le \frac{hi - lo}{510}. $$

A ``uint8`` array can also be stored with the ``"delta"`` filter: each row (last axis)
keeps its first byte and then the differences modulo 256, as PNG's "Sub" filter does,
which lets zlib compress smooth images several times better.

Coarser pictures can use fewer levels: with ``levels`` $= m < 255$ the byte is
$q = \operatorname{round}(m (v - lo) / (hi - lo))$, at most $m$, and the error at most
$(hi - lo) / 2m$; fewer distinct bytes compress better.
"""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np

MAGIC = b"GNI1"
DTYPES = {"uint8": np.uint8, "float32": np.float32, "int32": np.int32}


def quantize(values, lo: float, hi: float, levels: int = 255) -> np.ndarray:
    """Bytes ``q`` of ``values`` clipped to ``[lo, hi]`` (shape kept), as in the equation:
    ``0`` to ``levels`` (at most 255)."""
    if not hi > lo:
        raise ValueError(f"quantize: expected hi > lo, got lo={lo!r}, hi={hi!r}")
    if not (isinstance(levels, int) and 1 <= levels <= 255):
        raise ValueError(f"quantize: expected levels an integer from 1 to 255, got {levels!r}")
    scaled = (np.clip(np.asarray(values, dtype=np.float64), lo, hi) - lo) / (hi - lo)
    return np.rint(scaled * levels).astype(np.uint8)


def dequantize(q, lo: float, hi: float, levels: int = 255) -> np.ndarray:
    """Values ``lo + q / levels (hi - lo)`` in float64 for bytes ``q``."""
    return lo + np.asarray(q, dtype=np.float64) / levels * (hi - lo)


def delta_encode(q: np.ndarray) -> np.ndarray:
    """Differences modulo 256 along the last axis, the first byte of each row kept."""
    out = q.astype(np.uint8, copy=True)
    out[..., 1:] = np.diff(q.astype(np.int16), axis=-1).astype(np.uint8)  # wraps mod 256
    return out


def delta_decode(d: np.ndarray) -> np.ndarray:
    """Inverse of ``delta_encode``: running sums modulo 256 along the last axis."""
    return (np.cumsum(d.astype(np.int64), axis=-1) % 256).astype(np.uint8)


def pack(arrays: dict, meta: dict, delta: tuple = ()) -> bytes:
    """Compressed bytes of ``arrays`` (name to uint8, float32 or int32 array) and ``meta``.

    Names in ``delta`` (uint8 arrays only) are stored with the delta filter.
    """
    entries, chunks, offset = {}, [], 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        if arr.dtype.name not in DTYPES:
            raise TypeError(f"pack: array {name!r} has dtype {arr.dtype}, expected one of "
                            f"{', '.join(DTYPES)}")
        entry = {"dtype": arr.dtype.name, "shape": list(arr.shape), "offset": offset}
        if name in delta:
            arr, entry["filter"] = delta_encode(arr), "delta"
        raw = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        raw += b"\0" * (-len(raw) % 4)  # keeps every array 4-byte aligned
        entries[name], offset = entry, offset + len(raw)
        chunks.append(raw)
    header = json.dumps({"meta": meta, "arrays": entries}, separators=(",", ":")).encode()
    header += b" " * (-len(header) % 4)
    body = MAGIC + struct.pack("<I", len(header)) + header + b"".join(chunks)
    return zlib.compress(body, 9)


def unpack(blob: bytes) -> tuple[dict, dict]:
    """Inverse of ``pack``: returns ``(arrays, meta)`` with delta filters undone."""
    body = zlib.decompress(blob)
    if body[:4] != MAGIC:
        raise ValueError(f"unpack: not a glassnet interactive file (starts with {body[:4]!r})")
    (size,) = struct.unpack("<I", body[4:8])
    header = json.loads(body[8:8 + size])
    data, arrays = body[8 + size:], {}
    for name, entry in header["arrays"].items():
        dtype = np.dtype(DTYPES[entry["dtype"]]).newbyteorder("<")
        count = int(np.prod(entry["shape"], dtype=np.int64))
        arr = np.frombuffer(data, dtype, count, entry["offset"]).reshape(entry["shape"])
        arrays[name] = delta_decode(arr) if entry.get("filter") == "delta" else arr.copy()
    return arrays, header["meta"]
