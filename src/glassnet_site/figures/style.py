"""Light and dark styles that match the site's Material palettes.

Every figure function takes a ``Style`` and draws with its colours, so the same code
renders a light and a dark variant. The data colours are the Okabe–Ito palette, which stays
distinguishable under the common forms of colour blindness; line styles and markers repeat
the meaning for readers who cannot rely on colour at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Okabe & Ito (2008), "Color Universal Design". The dark variant swaps the deep blue for the
# sky blue so that the first series stays bright on a dark background.
_LIGHT_SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_DARK_SERIES = ("#56B4E9", "#E69F00", "#2EC4A0", "#E8A3CB", "#F0E442", "#8FB8FF", "#FFFFFF")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
# One convention for two classes on every figure, page script and lesson: class 0 in the first
# series colour with circles, class 1 in the second with squares (interactive.css keeps the
# same colours as --gn-class0 / --gn-class1; the lessons write them out).
CLASS_MARKERS = MARKERS[:2]


@dataclass(frozen=True)
class Style:
    """Colours for one variant of a figure."""

    name: str
    fg: str
    muted: str
    grid: str
    series: tuple[str, ...] = field(default=_LIGHT_SERIES)
    # A diverging colour map for decision regions and a sequential one for heatmaps.
    diverging: str = "RdBu_r"
    sequential: str = "viridis"

    def class_colour(self, k: int) -> str:
        """The colour of class ``k``: the ``k``-th series colour (class 0 first, class 1
        second), so that every figure draws the same class the same way."""
        return self.series[k]

    def rc(self) -> dict:
        """Matplotlib settings for this variant (transparent background, readable text)."""
        return {
            "figure.facecolor": "none",
            "axes.facecolor": "none",
            "savefig.facecolor": "none",
            "savefig.transparent": True,
            "text.color": self.fg,
            "axes.labelcolor": self.fg,
            "axes.edgecolor": self.muted,
            "axes.titlecolor": self.fg,
            "xtick.color": self.muted,
            "ytick.color": self.muted,
            "xtick.labelcolor": self.fg,
            "ytick.labelcolor": self.fg,
            "grid.color": self.grid,
            "legend.facecolor": "none",
            "legend.edgecolor": self.grid,
            "legend.labelcolor": self.fg,
            "axes.prop_cycle": _cycler(self.series),
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.linewidth": 0.6,
            "lines.linewidth": 2.0,
            "svg.fonttype": "none",
            "svg.hashsalt": "glassnet",
            "path.simplify": True,
            "image.interpolation": "nearest",
        }


def _cycler(colours):
    from cycler import cycler

    return cycler(color=list(colours[:6]), linestyle=list(LINESTYLES[:6]))


LIGHT = Style(name="light", fg="#1f2328", muted="#57606a", grid="#d0d7de", series=_LIGHT_SERIES)
DARK = Style(name="dark", fg="#e6e8ee", muted="#a3a9b5", grid="#3d4350", series=_DARK_SERIES)
VARIANTS = {"light": LIGHT, "dark": DARK}
