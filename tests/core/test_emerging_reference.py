"""Emerging hot-spot patterns against a second implementation written here straight
from ArcGIS Pro's table of definitions ("How Emerging Hot Spot Analysis works",
https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm),
sharing no code with spatial.hotspots: each definition is a predicate over one
location's series, checked on its own, so a series may fit several.

The chain on the real panels is independent too: Gi* z from esda.G_Local, the
normal p-value and ArcGIS's 90/95/99 % bins by hand, the Mann–Kendall trend from
pymannkendall. Where ArcGIS's sentences overlap the test names the pairs and the
pick spatial.hotspots documents.
"""

import math

import numpy as np
import pandas as pd
import pytest

from spatial import hotspots
from spatial.weights import build_weights

pymannkendall = pytest.importorskip("pymannkendall")


def fitting_definitions(bins, trend_p, trend_z, alpha=0.05):
    """The names of the ArcGIS Pro definitions that the series fits (both kinds).

    ``bins``: the location's Gi_Bin per time step (−3 … 3, time order); a step is
    a significant hot (cold) spot where its bin is > 0 (< 0). "The intensity of
    clustering … is increasing overall and that increase is statistically
    significant": the Mann–Kendall trend of the Gi* z-scores, p <= alpha.
    """
    n = len(bins)
    found = set()
    for kind, sign in (("HOT", 1), ("COLD", -1)):
        spots = [b * sign > 0 for b in bins]
        other = [b * sign < 0 for b in bins]
        share = sum(spots) / n
        final = spots[-1]
        run = 0
        for spot in reversed(spots):
            if not spot:
                break
            run += 1
        before_run = spots[:n - run]
        stronger = trend_p <= alpha and trend_z * sign > 0  # hot: z rising; cold: z falling
        weaker = trend_p <= alpha and trend_z * sign < 0
        # "a statistically significant hot spot for the final time step and has never
        # been a statistically significant hot spot before"
        if final and sum(spots) == 1:
            found.add(f"NEW_{kind}")
        # "a single uninterrupted run of at least two statistically significant hot spot
        # bins in the final time-step intervals … never been a statistically significant
        # hot spot prior to the final hot spot run and less than 90 percent of all bins
        # are statistically significant hot spots"
        if run >= 2 and not any(before_run) and share < 0.9:
            found.add(f"CONSECUTIVE_{kind}")
        # "a statistically significant hot spot for 90 percent of the time-step
        # intervals, including the final time step … increasing overall … significant"
        if share >= 0.9 and final and stronger:
            found.add(f"INTENSIFYING_{kind}")
        # "… for 90 percent of the time-step intervals with no discernible trend"
        if share >= 0.9 and not stronger and not weaker:
            found.add(f"PERSISTENT_{kind}")
        # "… 90 percent …, including the final time step … decreasing … significant"
        if share >= 0.9 and final and weaker:
            found.add(f"DIMINISHING_{kind}")
        # "a statistically significant hot spot for the final time-step interval with a
        # history of also being an on-again and off-again hot spot. Less than 90 percent
        # … hot spots and none of the time-step intervals … cold spots"
        if final and any(before_run) and share < 0.9 and not any(other):
            found.add(f"SPORADIC_{kind}")
        # "a statistically significant hot spot for the final time-step interval that has
        # a history of also being a statistically significant cold spot during a prior
        # time step. Less than 90 percent … hot spots"
        if final and any(other[:-1]) and share < 0.9:
            found.add(f"OSCILLATING_{kind}")
        # "The most recent time period is not hot, but at least 90 percent of the
        # time-step intervals have been statistically significant hot spots"
        if not final and share >= 0.9:
            found.add(f"HISTORICAL_{kind}")
    return found


#: Where ArcGIS's definitions overlap, the one spatial.hotspots reports (its docstring):
#: a pattern about the final step wins over one about the past.
def documented_pick(found):
    names = {name.rsplit("_", 1)[0] for name in found}
    if len(found) == 1:
        return next(iter(found))
    if names == {"PERSISTENT", "HISTORICAL"}:  # last step not hot, no trend: historical
        return next(n for n in found if n.startswith("HISTORICAL"))
    if names <= {"NEW", "OSCILLATING", "CONSECUTIVE", "HISTORICAL", "PERSISTENT"} and \
            "OSCILLATING" in names:
        # once cold (hot) and now hot (cold): oscillating, over new / consecutive of the same
        # kind and over historical / persistent of the other kind
        return next(n for n in found if n.startswith("OSCILLATING"))
    raise AssertionError(f"overlap not documented: {sorted(found)}")


def reference_patterns(bins, z, alpha=0.05):
    out = []
    for row_bins, row_z in zip(bins, z):
        trend = pymannkendall.original_test(row_z, alpha=alpha)
        found = fitting_definitions(list(row_bins), trend.p, trend.z, alpha)
        out.append(documented_pick(found) if found else "NO_PATTERN")
    return out


def test_many_random_series_against_the_arcgis_definitions():
    rng = np.random.default_rng(20261203)
    bins, z = [], []
    for _ in range(1500):
        n = int(rng.integers(3, 16))
        # mostly hot, mostly cold, mixed, or rare spots, so that every pattern occurs
        p_hot, p_cold = [(0.9, 0.02), (0.02, 0.9), (0.3, 0.3), (0.1, 0.05), (0.6, 0.2)][
            int(rng.integers(0, 5))]
        draw = rng.random(n)
        series = np.where(draw < p_hot, rng.integers(1, 4, n),
                          np.where(draw > 1 - p_cold, -rng.integers(1, 4, n), 0))
        if rng.random() < 0.3:
            series[-int(rng.integers(1, n)):] = series[-1] or 2  # a final run
        slope = rng.normal(0, 0.6)
        trend = 1.7 * np.sign(series) + slope * np.arange(n) + rng.normal(0, 0.3, n)
        bins.append(series)
        z.append(trend)
    ours, expected = [], reference_patterns(bins, z)
    for series, values in zip(bins, z):
        ours.append(hotspots.emerging_patterns(np.array([series]), np.array([values]))
                    ["PATTERN"].iloc[0])
    assert ours == expected
    seen = set(expected)
    assert len(seen) >= 15, sorted(seen)  # nearly all 17 patterns were exercised


def _bins_by_hand(z):
    p = np.array([[math.erfc(abs(v) / math.sqrt(2)) for v in row] for row in z])
    level = np.where(p <= 0.01, 3, np.where(p <= 0.05, 2, np.where(p <= 0.10, 1, 0)))
    return level * np.sign(z).astype(int)


def _independent_chain(values, lw):
    """bins and z (units × years) from esda.G_Local with ArcGIS's bins by hand."""
    esda = pytest.importorskip("esda")
    z = np.column_stack([esda.G_Local(values[:, t], lw, transform="B", star=True,
                                      permutations=0).Zs for t in range(values.shape[1])])
    return _bins_by_hand(z), z


def _ours(ids, years, values, w):
    panel = pd.DataFrame({"ID": np.repeat(ids, len(years)), "YEAR": np.tile(years, len(ids)),
                          "V": values.ravel()})
    spots = hotspots.hot_spots_by_year(panel, "ID", "YEAR", "V", w, inference="normal")
    return hotspots.emerging_hot_spots(spots, "ID").set_index("ID").loc[ids, "PATTERN"].tolist()


@pytest.mark.parametrize("first, last", [(1990, 2009), (1929, 1948), (1950, 2009)])
def test_us_income_patterns_equal_the_independent_chain(first, last):
    geopandas = pytest.importorskip("geopandas")
    libpysal = pytest.importorskip("libpysal")
    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv")).set_index("Name")
    years = list(range(first, last + 1))
    ids = states["STATE_NAME"].tolist()
    values = income.loc[ids, [str(y) for y in years]].to_numpy(float)
    w = build_weights(states, "STATE_NAME", "queen")
    bins, z = _independent_chain(values, w.to_libpysal())
    ours = _ours(ids, years, values, w)
    assert ours == reference_patterns(bins, z)
    assert len(set(ours)) >= 3  # real patterns, not all NO_PATTERN


def test_mexican_states_patterns_equal_the_independent_chain():
    geopandas = pytest.importorskip("geopandas")
    libpysal = pytest.importorskip("libpysal")
    mexico = geopandas.read_file(libpysal.examples.get_path("mexicojoin.shp"))
    years = list(range(1940, 2001, 10))
    ids = mexico["POLY_ID"].tolist()
    values = mexico[[f"PCGDP{y}" for y in years]].to_numpy(float)
    w = build_weights(mexico, "POLY_ID", "queen")
    bins, z = _independent_chain(values, w.to_libpysal())
    assert _ours(ids, years, values, w) == reference_patterns(bins, z)
