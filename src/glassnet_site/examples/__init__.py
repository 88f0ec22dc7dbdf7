"""The models and training runs that the site's pages show and its figures draw.

One module per part of the guide. Every run is seeded and cached with ``functools.cache``,
so the figure, the fact in a caption and the code a page includes come from one training
run. Pages include marked sections of these files, so what a reader sees is what ran.
"""
