"""Build hook: the site's changes to Material for MkDocs (see ``glassnet_site.theme``).

Checks the installed Material against the version the changes were made for, and writes the
changed palette stylesheet and bundle.
"""

from __future__ import annotations

from pathlib import Path

import material
from mkdocs.exceptions import PluginError

from glassnet_site import theme


def on_config(config):
    try:
        theme.check_material(Path(material.__file__).parent / "templates")
    except theme.ThemeError as error:
        raise PluginError(str(error)) from None
    return config


def on_post_build(config):
    try:
        theme.patch_material_assets(Path(config.site_dir), config.theme.dirs)
    except theme.ThemeError as error:
        raise PluginError(str(error)) from None
