"""Every figure on the site, rendered from the tested library at build time.

Run ``python -m glassnet_site.figures --out DIR`` to render them all, light and dark.
"""

from .registry import ENLARGE, Fact, FigureSpec, all_facts, all_figures, render, render_bytes
from .style import DARK, LIGHT, VARIANTS, Style

__all__ = ["DARK", "ENLARGE", "LIGHT", "VARIANTS", "Fact", "FigureSpec", "Style", "all_facts",
           "all_figures", "render", "render_bytes"]
