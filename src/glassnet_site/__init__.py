"""What builds the Glassnet site from the library: figures, facts, interactive data, examples.

``glassnet`` is the library a learner installs and uses; this package exists only to build
the site. It imports ``glassnet`` and is never imported by it.

* ``examples``: the models and training runs that pages show and figures draw, seeded and
  cached so that a figure, a fact and a caption share one run;
* ``figures``: every figure and every number quoted in prose (``python -m
  glassnet_site.figures``);
* ``interactive``: the data the playground and the explorers replay (``python -m
  glassnet_site.interactive``);
* ``cache``, ``threads``, ``images``: what the build hooks share.
"""
