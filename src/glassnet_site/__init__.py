"""What builds the Glassnet site from the library: figures, facts, interactive data, examples.

``glassnet`` is the library a learner installs and uses; this package exists only to build
the site. It imports ``glassnet`` and is never imported by it.

* ``examples``: the models and training runs that pages show and figures draw, seeded and
  cached so that a figure, a fact and a caption share one run;
* ``figures``: every figure and every number quoted in prose (``python -m
  glassnet_site.figures``);
* ``interactive``: the data the playground and the explorers replay (``python -m
  glassnet_site.interactive``);
* ``lessons``: a lesson executed into a notebook, and its rendered page tidied
  (``lesson_pages`` runs every lesson and caches the tidied pages);
* ``figure_pages``, ``interactive_cache``, ``lesson_pages``, ``formulas``, ``theme``,
  ``memo``, ``rebuild.watched_paths``: the entry points the build hooks in ``docs/hooks/``
  call (each hook only calls them, registers files and reports their errors);
* ``cache``, ``rebuild``, ``threads``, ``images``: what those share (cache keys, what a
  rebuild under ``mkdocs serve`` keeps, thread limits, image sizes).
"""
