"""Build hook: what ``mkdocs serve`` keeps and watches between rebuilds.

Material's search index and mkdocstrings' rendering redo only the pages and objects whose
input changed since the last rebuild (``glassnet_site.memo``; a one-off build does all the
work), and a change to the library or a lesson rebuilds the site as a change to ``docs/``
does (``glassnet_site.rebuild.watched_paths``).
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from glassnet_site import memo, rebuild


@event_priority(-100)  # after the search plugin's on_config, which makes its index
def on_config(config):
    memo.use_search_memo(config)
    memo.install(config.config_file_path)
    return config


def on_serve(server, config, builder):
    for path in rebuild.watched_paths():
        server.watch(path)
    return server
