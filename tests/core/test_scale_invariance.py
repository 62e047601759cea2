"""Scale-invariant statistics give the unit-scale answer for values from 1e-300 to 1e300.

Moran's I (univariate and bivariate), LISA, the Gini and its Dagum
decomposition, the classic coupling degree C and min-max standardisation do
not change when every value is multiplied by the same factor. Each test
draws a data set and a power of ten k (hypothesis), and checks that the
result at x * 10^k equals the result at x, and that the result at x equals
an independent reference: esda on the unscaled data for Moran and LISA,
the textbook double-sum formulas and PySAL's ``inequality`` for the Gini,
the closed forms for C and min-max.
"""

import math
import warnings

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spatial import entropy, lisa, moran, moran_by_year
from spatial import weights as W
from spatial.coupling import coupling_coordination
from spatial.dagum import dagum_gini, gini
from spatial.errors import InputError

warnings.filterwarnings("ignore", category=DeprecationWarning)

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SIDE = 7  # 49 units: fast for esda and for 99 permutations per example
POWERS = st.integers(-300, 300)
SEEDS = st.integers(0, 2**32 - 1)


@pytest.fixture(scope="module")
def grid():
    xs, ys = np.meshgrid(np.arange(SIDE), np.arange(SIDE))
    xs, ys = xs.ravel(), ys.ravel()
    g = gpd.GeoDataFrame({"id": np.arange(SIDE * SIDE)}, geometry=shapely.box(xs, ys, xs + 1, ys + 1),
                         crs=3857)
    w = W.build_weights(g, "id", "queen")
    return w, w.to_libpysal(), xs, ys


def sample(seed, xs, ys):
    """A spatially smooth field plus noise, with a random offset and spread
    (|values| within about 1e-3 .. 1e3, so x * 10^k stays finite and normal)."""
    rng = np.random.default_rng(seed)
    spread = 10.0 ** rng.uniform(-2, 2)
    offset = rng.choice([0.0, 3.0 * spread, -50.0 * spread])
    return offset + spread * (np.sin(xs / 2.0) + np.cos(ys / 3.0) + rng.standard_normal(xs.shape[0]))


def close(a, b, rel=1e-9, abs_=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


@SETTINGS
@given(seed=SEEDS, k=POWERS)
def test_global_moran_at_any_magnitude(grid, seed, k):
    w, lw, xs, ys = grid
    y = sample(seed, xs, ys)
    unit = moran.global_moran(y, w, permutations=99, seed=1)
    ref = esda.Moran(y, lw, permutations=0)
    assert close(unit.I, ref.I) and close(unit.Z, ref.z_norm) and close(unit.P_NORM, ref.p_norm)
    scaled = moran.global_moran(y * 10.0**k, w, permutations=99, seed=1)
    assert close(scaled.I, ref.I) and close(scaled.Z, ref.z_norm) and close(scaled.P_NORM, ref.p_norm)
    assert scaled.P_SIM == unit.P_SIM  # the same draws: the same count
    assert close(scaled.EI_SIM, unit.EI_SIM, abs_=1e-9)


@SETTINGS
@given(seed=SEEDS, kx=POWERS, ky=POWERS)
def test_bivariate_moran_at_any_magnitude(grid, seed, kx, ky):
    w, lw, xs, ys = grid
    x = sample(seed, xs, ys)
    y = sample(seed + 1, xs, ys)
    ref = esda.Moran_BV(x, y, lw, permutations=0)
    unit = moran.global_moran_bv(x, y, w, permutations=99, seed=2)
    scaled = moran.global_moran_bv(x * 10.0**kx, y * 10.0**ky, w, permutations=99, seed=2)
    assert close(unit.I, ref.I) and close(scaled.I, ref.I)
    assert scaled.P_SIM == unit.P_SIM


@SETTINGS
@given(seed=SEEDS, k=POWERS)
def test_lisa_at_any_magnitude(grid, seed, k):
    w, lw, xs, ys = grid
    y = sample(seed, xs, ys)
    ref = esda.Moran_Local(y, lw, permutations=0)
    unit = lisa.local_moran(y, w, permutations=99, seed=3)
    scaled = lisa.local_moran(y * 10.0**k, w, permutations=99, seed=3)
    np.testing.assert_allclose(scaled.Is, ref.Is, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(scaled.q, ref.q)
    np.testing.assert_array_equal(scaled.p_sim, unit.p_sim)
    np.testing.assert_array_equal(scaled.clusters, unit.clusters)


@SETTINGS
@given(seed=SEEDS, kx=POWERS, ky=POWERS)
def test_bivariate_lisa_at_any_magnitude(grid, seed, kx, ky):
    w, lw, xs, ys = grid
    x, y = sample(seed, xs, ys), sample(seed + 7, xs, ys)
    ref = esda.Moran_Local_BV(x, y, lw, permutations=0)
    scaled = lisa.local_moran_bv(x * 10.0**kx, y * 10.0**ky, w, permutations=0)
    np.testing.assert_allclose(scaled.Is, ref.Is, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(scaled.q, ref.q)


def test_the_reported_magnitudes_give_the_unscaled_clusters(grid):
    # the case: the same data x 1e300 and x 1e-300 gave empty I and all-NS LISA
    w, lw, xs, ys = grid
    y = sample(11, xs, ys)
    unit = lisa.local_moran(y, w, permutations=199, seed=5)
    assert (unit.clusters != "NS").sum() > 0
    for factor in (1e300, 1e-300, 1.5e308 / np.abs(y).max()):
        r = moran.global_moran(y * factor, w, permutations=99, seed=1)
        assert np.isfinite([r.I, r.Z, r.P_NORM]).all()
        assert close(r.I, esda.Moran(y, lw, permutations=0).I)
        np.testing.assert_array_equal(lisa.local_moran(y * factor, w, permutations=199, seed=5).clusters,
                                      unit.clusters)


def test_moran_by_year_reports_infinite_values_by_unit_and_year(grid):
    w, _, xs, ys = grid
    panel = pd.DataFrame({"id": np.tile(np.arange(SIDE * SIDE), 2), "year": np.repeat([2011, 2012], SIDE * SIDE),
                          "D": np.r_[sample(1, xs, ys), sample(2, xs, ys)]})
    panel.loc[(panel.id == 5) & (panel.year == 2012), "D"] = np.inf
    with pytest.raises(InputError, match=r"'D' in year 2012: infinite values for units 5\b"):
        moran_by_year.global_moran_by_year(panel, "id", "year", "D", w, permutations=0)
    # a finite value next to the float maximum is valid data
    panel.loc[(panel.id == 5) & (panel.year == 2012), "D"] = 1.5e308
    t = moran_by_year.global_moran_by_year(panel, "id", "year", "D", w, permutations=0)
    assert np.isfinite(t["I"]).all()


# Gini and Dagum --------------------------------------------------------------------


def naive_gini(y):
    """G = sum_i sum_r |y_i - y_r| / (2 n^2 mu), with the n x n matrix."""
    y = np.asarray(y, dtype=float)
    return np.abs(y[:, None] - y[None, :]).sum() / (2 * y.size**2 * y.mean())


@st.composite
def grouped(draw):
    sizes = draw(st.lists(st.integers(2, 12), min_size=2, max_size=4))
    values = draw(st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e3)), min_size=sum(sizes),
                           max_size=sum(sizes)))
    if not any(v > 0 for v in values):
        values[0] = 1.0
    groups = [g for g, size in enumerate(sizes) for _ in range(size)]
    return np.array(values), groups


@SETTINGS
@given(data=grouped(), k=POWERS)
def test_dagum_and_gini_at_any_magnitude(data, k):
    import inequality

    y, groups = data
    unit = dagum_gini(y, groups)
    assert close(unit.G, naive_gini(y), abs_=1e-12)
    assert close(gini(y), inequality.gini.Gini(y).g, abs_=1e-12)
    scaled = dagum_gini(y * 10.0**k, groups)
    for a, b in ((scaled.G, unit.G), (scaled.GW, unit.GW), (scaled.GNB, unit.GNB), (scaled.GT, unit.GT)):
        assert close(a, b, abs_=1e-12)
    np.testing.assert_allclose(scaled.pairs["G_AB"], unit.pairs["G_AB"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scaled.groups["MEAN"], unit.groups["MEAN"] * 10.0**k, rtol=1e-9)
    assert close(gini(y * 10.0**k), naive_gini(y), abs_=1e-12)


# coupling degree -------------------------------------------------------------------


def classic_c(u):
    """C = n (prod U / (sum U)^n)^(1/n), in logs (math.fsum) at unit scale."""
    n = len(u)
    return n * math.exp((sum(math.log(v) for v in u) - n * math.log(math.fsum(u))) / n)


@SETTINGS
@given(u=st.lists(st.floats(1e-6, 1.0), min_size=2, max_size=4), k=st.integers(-300, 0))
def test_classic_coupling_at_any_magnitude(u, k):
    names = [f"U{i}" for i in range(len(u))]
    unit = coupling_coordination(pd.DataFrame([u], columns=names))["C"].iloc[0]
    scaled = coupling_coordination(pd.DataFrame([[v * 10.0**k for v in u]], columns=names))["C"].iloc[0]
    assert close(unit, classic_c(u))
    assert close(scaled, classic_c(u))


def test_equal_tiny_indices_are_perfectly_coupled():
    # U1 = U2 = 1e-200: the product 1e-400 underflows; C is exactly 1
    two = coupling_coordination(pd.DataFrame({"U1": [1e-200, 5e-324, 1e-300], "U2": [1e-200, 5e-324, 4e-300]}))
    assert two["C"].iloc[0] == 1.0 and two["C"].iloc[1] == 1.0
    assert close(two["C"].iloc[2], 0.8)  # 2 sqrt(1 * 4) / (1 + 4)
    three = coupling_coordination(pd.DataFrame({"U1": [1e-200, 1e-300], "U2": [1e-200, 4e-300],
                                                "U3": [1e-200, 1e-300]}))
    assert close(three["C"].iloc[0], 1.0)
    assert close(three["C"].iloc[1], classic_c([1.0, 4.0, 1.0]))


# min-max standardisation -----------------------------------------------------------


@SETTINGS
@given(seed=SEEDS, k=POWERS)
def test_standardisation_at_any_magnitude(seed, k):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=30) * 10.0 ** rng.uniform(-2, 2)
    df = pd.DataFrame({"pos": x, "neg": x[::-1].copy()})
    expected = pd.DataFrame({"pos": (x - x.min()) / (x.max() - x.min()),
                             "neg": (x[::-1].max() - x[::-1]) / (x.max() - x.min())})
    scaled = entropy.standardized(df * 10.0**k, ["pos"], ["neg"])
    np.testing.assert_allclose(scaled.to_numpy(), expected.to_numpy(), rtol=1e-9, atol=1e-12)


def test_values_next_to_the_float_maximum_are_valid_indicators():
    df = pd.DataFrame({"x": [1.5e308, -1.5e308, 0.0, 7.5e307]})
    std = entropy.standardized(df, ["x"])
    np.testing.assert_allclose(std["x"], [1.0, 0.0, 0.5, 0.75], rtol=1e-15)
    result = entropy.entropy_index(df, ["x"])
    assert np.isfinite(result.index).all()


# tiers --------------------------------------------------------------------------------


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS, k=st.integers(-300, 300), method=st.sampled_from(["kmeans_year", "kmeans_pooled", "jenks",
                                                                       "quantiles"]))
def test_tiers_at_any_magnitude(seed, k, method):
    from spatial.tiers import tiers

    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"year": np.repeat([2011, 2012], 40), "D": rng.gamma(2.0, size=80)})
    df["D"] /= df["D"].max()
    unit = tiers(df, "D", "year", method=method, seed=1)
    # references at unit scale: the K-means / quantile / Jenks tests of test_tiers.py
    scaled = tiers(df.assign(D=df["D"] * 10.0**k), "D", "year", method=method, seed=1)
    pd.testing.assert_series_equal(scaled.tier, unit.tier)
    bounds = ["LOWER", "UPPER", "CENTROID"]
    np.testing.assert_allclose(scaled.thresholds[bounds].to_numpy(), unit.thresholds[bounds].to_numpy() * 10.0**k,
                               rtol=1e-9)
