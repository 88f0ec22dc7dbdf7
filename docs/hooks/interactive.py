"""Build hook: the interactive figures' data (``glassnet_site.interactive_cache``) in the site.

Starts computing what the cache lacks as soon as the configuration is loaded, so that it
runs while the figures render, and registers the files under ``interactive/`` once done.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from glassnet_site import interactive_cache
from glassnet_site.interactive_cache import Computation, InteractiveError

_computation = Computation()


def on_config(config):
    _computation.start()
    return config


def on_files(files, config):
    try:
        dirs = _computation.finish()
    except InteractiveError as error:
        raise PluginError(str(error)) from None
    for uri, path in interactive_cache.files(dirs):
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_shutdown():
    _computation.stop()
