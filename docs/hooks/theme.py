"""Build hook: the site's changes to Material for MkDocs (see ``glassnet_site.theme``).

Checks the installed Material against the version the changes were made for, links one
stylesheet instead of several, and writes the changed palette stylesheet and bundle.
"""

from __future__ import annotations

from pathlib import Path

import material
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from glassnet_site import theme

_sources: list[str] = []


@event_priority(-100)  # after mkdocstrings has added its stylesheet to the list
def on_config(config):
    try:
        theme.check_material(Path(material.__file__).parent / "templates")
    except theme.ThemeError as error:
        raise PluginError(str(error)) from None
    _sources[:] = [str(sheet) for sheet in config.extra_css]
    config.extra_css = [theme.STYLESHEET_BUNDLE]
    return config


def on_post_build(config):
    try:
        theme.bundle_stylesheets(Path(config.site_dir), _sources)
        theme.patch_material_assets(Path(config.site_dir), config.theme.dirs)
    except theme.ThemeError as error:
        raise PluginError(str(error)) from None
