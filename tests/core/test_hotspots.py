"""Gi*, its permutation p-values, ArcGIS bins, Mann–Kendall and emerging hot-spot patterns
on US per-capita income (libpysal's us_income), against esda, pymannkendall and hand formulas."""

import numpy as np
import pandas as pd
import pytest

from spatial import hotspots
from spatial.errors import InputError
from spatial.weights import build_weights

geopandas = pytest.importorskip("geopandas")
libpysal = pytest.importorskip("libpysal")


@pytest.fixture(scope="module")
def us():
    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    wide = income.set_index("Name").reindex(states["STATE_NAME"])
    return states, wide


def arcgis_gi_star(x, w_dense):
    """Gi* z as ArcGIS documents it, on a dense matrix with w_ii = 1."""
    n = len(x)
    w = w_dense + np.eye(n)
    mean = x.mean()
    s = np.sqrt((x ** 2).sum() / n - mean ** 2)
    num = w @ x - mean * w.sum(1)
    den = s * np.sqrt((n * (w ** 2).sum(1) - w.sum(1) ** 2) / (n - 1))
    return num / den


def test_gi_star_z_equals_esda_g_local_star_binary(us):
    esda = pytest.importorskip("esda")
    states, wide = us
    w = build_weights(states, "STATE_NAME", "queen")
    lw = w.to_libpysal()
    for year in ("1929", "1970", "2009"):
        y = wide[year].to_numpy(float)
        g = esda.G_Local(y, lw, transform="B", star=True, permutations=0)
        assert hotspots.gi_star_z(y, w) == pytest.approx(g.Zs, abs=1e-10)


def test_gi_star_z_with_kernel_weights_equals_the_arcgis_formula(us):
    states, wide = us
    projected = states.set_crs("EPSG:4326").to_crs("EPSG:5070")
    w = build_weights(projected, "STATE_NAME", "kernel", k=6, fixed=False, kernel="gaussian")
    y = wide["1990"].to_numpy(float)
    assert hotspots.gi_star_z(y, w) == pytest.approx(arcgis_gi_star(y, w.original.toarray()), abs=1e-10)


def test_permutation_p_matches_a_brute_force_conditional_permutation(us):
    states, wide = us
    w = build_weights(states, "STATE_NAME", "queen")
    y = wide["1980"].to_numpy(float)
    z = hotspots.gi_star_z(y, w)
    p = hotspots.gi_star_p(y, w, z, permutations=3999, seed=7)
    rng = np.random.default_rng(3)
    dense = w.original.toarray()
    brute = []
    for i in range(len(y)):
        neighbours = np.flatnonzero(dense[i])
        others = np.delete(np.arange(len(y)), i)
        observed = y[neighbours].sum()
        draws = np.argsort(rng.random((3999, len(others))), axis=1)[:, :len(neighbours)]
        sums = y[others][draws].sum(axis=1)
        larger = (sums >= observed).sum()
        brute.append(min(1.0, 2 * (min(larger, 3999 - larger) + 1) / 4000))
    assert np.max(np.abs(p - np.array(brute))) < 0.06
    assert np.corrcoef(p, brute)[0, 1] > 0.99


def test_normal_p_and_bins_with_and_without_fdr():
    z = np.array([3.0, -2.2, 1.7, 0.5, -1.0, 2.7])
    p = hotspots.gi_star_p(None, None, z, inference="normal")
    from scipy.stats import norm

    assert p == pytest.approx(2 * norm.sf(np.abs(z)))
    # p: 0.0027, 0.0278, 0.0891, 0.617, 0.317, 0.0069
    assert hotspots.gi_bins(z, p).tolist() == [3, -2, 1, 0, 0, 3]
    # Benjamini–Hochberg over 6 tests; at 0.10: sorted p 0.0027 0.0069 0.0278 0.0891 ...
    # k/6*0.10 = .0167 .0333 .05 .0667 -> largest k with p_(k) <= k a/n is 3 (0.0278 < 0.05)
    # at 0.05: .0083 .0167 .025 -> k = 2 (0.0069 < 0.0167; 0.0278 > 0.025)
    # at 0.01: .00167 .0033 -> none: cut-off alpha/n = 0.00167
    assert hotspots.gi_bins(z, p, "fdr").tolist() == [2, -1, 0, 0, 0, 2]


def test_mann_kendall_by_hand_and_against_pymannkendall():
    mk = pytest.importorskip("pymannkendall")
    out = hotspots.mann_kendall([[1, 2, 3, 4, 5]])
    assert out["S"][0] == 10 and out["VAR_S"][0] == pytest.approx(5 * 4 * 15 / 18)
    assert out["TREND_Z"][0] == pytest.approx(9 / np.sqrt(50 / 3))
    rng = np.random.default_rng(0)
    series = np.round(rng.normal(size=(6, 12)).cumsum(axis=1), 1)  # rounding makes ties
    series[0, 3] = series[0, 4] = series[0, 7]
    ours = hotspots.mann_kendall(series)
    for row, values in enumerate(series):
        ref = mk.original_test(values)
        assert ours["S"][row] == ref.s
        assert ours["VAR_S"][row] == pytest.approx(ref.var_s)
        assert ours["TREND_Z"][row] == pytest.approx(ref.z)
        assert ours["TREND_P"][row] == pytest.approx(ref.p)
        assert ours["TAU"][row] == pytest.approx(ref.Tau)


H, C, N = 3, -2, 0
CASES = {
    "NEW_HOT": [N] * 9 + [H],
    "CONSECUTIVE_HOT": [N] * 7 + [H, H, H],
    "PERSISTENT_HOT": [H] * 10,
    "INTENSIFYING_HOT": [H] * 10,
    "DIMINISHING_HOT": [N] + [H] * 9,
    "SPORADIC_HOT": [N, H, N, N, H, H, N, N, N, H],
    "OSCILLATING_HOT": [C, N, N, H, N, C, N, N, H, H],
    "HISTORICAL_HOT": [H] * 9 + [N],
    "NEW_COLD": [N] * 9 + [C],
    "INTENSIFYING_COLD": [C] * 10,
    "OSCILLATING_COLD": [H, N, C, N, N, N, N, N, N, C],
    "HISTORICAL_COLD": [C] * 9 + [N],
    "NO_PATTERN": [N, H, H, N, C, N, N, N, N, N],
}


def test_emerging_patterns_follow_the_arcgis_definitions():
    flat = np.ones(10) + np.tile([0.1, -0.1], 5)  # no trend
    rising, falling = np.arange(10.0), -np.arange(10.0)
    trends = {"INTENSIFYING_HOT": rising, "DIMINISHING_HOT": np.r_[0, falling[1:] + 20],
              "INTENSIFYING_COLD": falling}
    bins = np.array(list(CASES.values()))
    z = np.array([trends.get(name, flat) for name in CASES])
    out = hotspots.emerging_patterns(bins, z)
    assert out["PATTERN"].tolist() == list(CASES)
    assert out["HOT_YEARS"].tolist()[:3] == [1, 3, 10]


def test_yearly_values_name_the_unit_and_year(us):
    states, wide = us
    w = build_weights(states, "STATE_NAME", "queen")
    long = wide[["1990", "1991"]].reset_index().melt(id_vars="STATE_NAME", var_name="YEAR", value_name="PCI")
    with pytest.raises(InputError, match="year 1991.*Ohio"):
        hotspots.hot_spots_by_year(long[~((long.STATE_NAME == "Ohio") & (long.YEAR == "1991"))],
                                   "STATE_NAME", "YEAR", "PCI", w)
    constant = long.assign(PCI=1.0)
    with pytest.raises(InputError, match="year 1990.*PCI.*equal"):
        hotspots.hot_spots_by_year(constant, "STATE_NAME", "YEAR", "PCI", w)
    text = long.astype({"PCI": object})
    text.loc[0, "PCI"] = "x"
    with pytest.raises(InputError, match="PCI.*Washington year 1990"):
        hotspots.hot_spots_by_year(text, "STATE_NAME", "YEAR", "PCI", w)


def test_gi_star_on_mexican_states_equals_esda():
    """A second real panel: GDP per capita of 32 Mexican states, 1940–2000 (libpysal's mexico)."""
    esda = pytest.importorskip("esda")
    mexico = geopandas.read_file(libpysal.examples.get_path("mexicojoin.shp"))
    w = build_weights(mexico, "POLY_ID", "queen")
    lw = w.to_libpysal()
    for column in ("PCGDP1940", "PCGDP2000"):
        y = mexico[column].to_numpy(float)
        ref = esda.G_Local(y, lw, transform="B", star=True, permutations=0)
        assert hotspots.gi_star_z(y, w) == pytest.approx(ref.Zs, abs=1e-10)
