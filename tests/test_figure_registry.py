"""The figure registry: names, formats, facts and the data published beside figures."""

from __future__ import annotations

import csv
import io

import pytest

from glassnet_site.figures import all_facts, all_figures
from glassnet_site.figures.layout import LAYOUTS
from glassnet_site.figures.registry import data_csv

SPECS = all_figures()
WITH_DATA = [name for name, spec in SPECS.items() if spec.data is not None]


def test_registry_names_are_stable_identifiers():
    for name, spec in SPECS.items():
        assert name.isidentifier() and name == spec.name
        assert spec.fmt in ("svg", "png")
        assert spec.title.strip()


@pytest.mark.parametrize("name", SPECS)
def test_registry_figure_draws_a_narrow_layout(name):
    # A phone shows the narrow layout; a figure without one would be shrunk to a third.
    assert SPECS[name].layouts == LAYOUTS, (
        f"figure {name!r} ({SPECS[name].fn.__qualname__}) takes no layout: draw a narrow "
        "layout with figures.layout.panels (or is_narrow) for phones")


def test_registry_facts_have_titles():
    assert all(fact.title.strip() for fact in all_facts().values())


def test_registry_publishes_data_for_some_figures():
    assert "activations" in WITH_DATA


@pytest.mark.parametrize("name", WITH_DATA)
def test_figure_data_is_a_rectangular_csv(name):
    text = data_csv(SPECS[name])
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert len(header) >= 2 and body
    assert all(len(row) == len(header) for row in body)
    assert data_csv(SPECS[name]) == text, "the CSV differs between two runs"
