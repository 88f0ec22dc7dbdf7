"""The size of an image file, so that a page reserves its room before it loads."""

from __future__ import annotations

import re

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_SIZE = re.compile(rb'width="([\d.]+)pt" height="([\d.]+)pt"')


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG, from its header."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError(f"not a PNG image (it starts with {data[:16]!r})")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def svg_size(data: bytes) -> tuple[float, float]:
    """Width and height in points of an SVG that matplotlib wrote (``width="...pt"``)."""
    match = SVG_SIZE.search(data[:2048])
    if match is None:
        raise ValueError("not an SVG with its size in points (width=\"...pt\")")
    return float(match[1]), float(match[2])


def css_size(data: bytes, fmt: str) -> tuple[int, int]:
    """The size in CSS pixels at which the site shows a figure file.

    SVG sizes are in points (1 pt = 4/3 CSS px); PNG figures are rendered at twice their
    CSS size, for sharp text on high-density screens.
    """
    if fmt == "png":
        width, height = png_size(data)
        return width // 2, height // 2
    width, height = svg_size(data)
    return round(width * 4 / 3), round(height * 4 / 3)
