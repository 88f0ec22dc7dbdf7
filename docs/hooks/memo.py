"""Build hook: under ``mkdocs serve``, Material's search index and mkdocstrings' rendering
redo only the pages and objects whose input changed since the last rebuild
(``glassnet_site.memo``; a one-off build does all the work, as before)."""

from __future__ import annotations

from mkdocs.plugins import event_priority

from glassnet_site import memo


@event_priority(-100)  # after the search plugin's on_config, which makes its index
def on_config(config):
    memo.use_search_memo(config)
    memo.install(config.config_file_path)
    return config
