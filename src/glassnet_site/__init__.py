"""What builds the Glassnet site from the library: figures, facts, interactive data, examples.

``glassnet`` is the library a learner installs and uses; this package exists only to build
the site. It imports ``glassnet`` and is never imported by it.

* ``examples``: the models and training runs that pages show and figures draw, seeded and
  cached so that a figure, a fact and a caption share one run;
* ``figures``: every figure and every number quoted in prose (``python -m
  glassnet_site.figures``);
* ``interactive``: the data the playground and the explorers replay (``python -m
  glassnet_site.interactive``);
* ``figure_pages``, ``interactive_cache``, ``lesson_pages``, ``formulas``, ``theme``,
  ``memo``: the entry points the build hooks in ``docs/hooks/`` call (each hook only calls
  them and registers files);
* ``cache``, ``rebuild``, ``threads``, ``images``: what those share (cache keys, what a
  rebuild under ``mkdocs serve`` keeps, thread limits, image sizes).
"""
