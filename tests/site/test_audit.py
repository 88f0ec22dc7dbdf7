"""The Lighthouse audit's bookkeeping: median of runs, scores, the table, lost points, and
the flags it gives Chromium."""

from __future__ import annotations

import importlib.util

import pytest
from _site import ROOT

_spec = importlib.util.spec_from_file_location("audit", ROOT / "benchmarks/audit.py")
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)


def report(performance: float, lost: float = 1.0) -> dict:
    """A Lighthouse report reduced to what the audit reads."""
    refs = [{"id": "total-blocking-time", "weight": 30}, {"id": "unweighted", "weight": 0}]
    categories = {key: {"score": performance if key == "performance" else 1.0,
                        "auditRefs": refs if key == "performance" else []}
                  for key in audit.CATEGORIES}
    audits = {"total-blocking-time": {"score": lost, "displayValue": "250 ms"},
              "unweighted": {"score": 0.0}}
    return {"categories": categories, "audits": audits}


@pytest.mark.parametrize(("runs", "median"), [([0.9], 0.9), ([0.97, 0.81, 0.9], 0.9),
                                              ([0.9, 0.8, 0.99, 0.7], 0.8)])
def test_median_run_keeps_the_run_with_the_median_performance(runs, median):
    kept = audit.median_run([report(p) for p in runs])
    assert kept["categories"]["performance"]["score"] == median


def test_scores_are_percentages():
    assert audit.scores(report(0.934)) == {"performance": 93, "accessibility": 100,
                                           "best-practices": 100, "seo": 100}


def test_losses_name_weighted_audits_below_full_marks_only():
    assert audit.losses(report(0.9, lost=0.76)) == [
        "performance: total-blocking-time scored 0.76 (250 ms)"]
    assert audit.losses(report(1.0)) == []


def test_table_ends_with_the_worst_of_each_category():
    rows = {"": audit.scores(report(0.97)), "a/": audit.scores(report(0.88))}
    lines = audit.table(rows).splitlines()
    assert lines[2] == "| `/` | 97 | 100 | 100 | 100 |"
    assert lines[-1] == "| **worst** | **88** | **100** | **100** | **100** |"


def test_chrome_flags_are_lighthouses_own_with_paint_holding_unless_asked():
    flags = audit.chrome_flags().split(" ")
    assert flags[0] == "--headless=new" and not any("PaintHolding" in f for f in flags)
    assert set(flags) <= {"--headless=new", "--no-sandbox"}
    without = audit.chrome_flags(paint_holding=False).split(" ")
    assert "--disable-features=PaintHolding" in without
    assert all(flag.startswith("--") for flag in without)  # Lighthouse splits them on spaces
