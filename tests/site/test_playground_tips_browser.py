"""The playground page's tips name choices as the playground's own controls show them."""

from __future__ import annotations

import pytest
from _browser import new_context

from glassnet_site.figures import playground as pg

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KEYS = ("data", "net", "act", "lr", "reg")  # the controls, by the key in their id


def test_playground_tips_name_the_options_of_the_controls(browser, served):
    context = new_context(browser, served)
    tab = context.new_page()
    tab.goto(served.url + "training/playground/", wait_until="load")
    tab.wait_for_selector(".gn-playground[data-run]")
    options = {key: tab.eval_on_selector(
        f".gn-playground select[id^='gn-pg-{key}-']",
        "s => [...s.options].map(o => [o.value, o.textContent])") for key in KEYS}
    context.close()
    for tip in pg.TIPS:
        for key in KEYS:
            shown = dict(options[key])
            for value in getattr(tip, key):
                # A tip's name for a choice is the option's text, or its start (the
                # regularisers' options add their strength in brackets).
                assert shown[str(value) if key != "lr" else f"{value:g}"].startswith(
                    pg.LABELS[key][value]), (tip.name, key, value, shown)
