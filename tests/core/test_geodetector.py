"""Tests for spatial.geodetector against hand computations, scipy, mapclassify and
the PyPI ``geodetector`` package, on libpysal's Columbus data (49 neighbourhoods)."""

import geopandas as gpd
import libpysal
import mapclassify
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from spatial import geodetector as gd
from spatial.errors import InputError


@pytest.fixture(scope="module")
def columbus():
    return pd.DataFrame(gpd.read_file(libpysal.examples.get_path("columbus.shp"))
                        .drop(columns="geometry"))


def hand_q(y, strata):
    """q = 1 - sum_h N_h var_h / (N var) with pandas group variances (ddof=0)."""
    frame = pd.DataFrame({"y": y, "s": strata})
    within = frame.groupby("s")["y"].agg(lambda v: len(v) * v.var(ddof=0)).sum()
    return 1 - within / (len(y) * frame["y"].var(ddof=0))


def hand_p(y, strata):
    """Non-central F p-value of Wang, Zhang & Fu (2016), equations written out."""
    frame = pd.DataFrame({"y": y, "s": strata})
    groups = frame.groupby("s")["y"]
    n, levels = len(y), groups.ngroups
    means, sizes = groups.mean().to_numpy(), groups.size().to_numpy()
    lam = (np.sum(means ** 2) - np.sum(np.sqrt(sizes) * means) ** 2 / n) / np.var(y)
    q = hand_q(y, strata)
    f = (n - levels) / (levels - 1) * q / (1 - q)
    return stats.ncf.sf(f, levels - 1, n - levels, lam)


def test_q_and_p_by_hand_with_user_breaks(columbus):
    y = columbus["CRIME"].to_numpy()
    result = gd.geodetector(columbus, "CRIME", ["INC"], discretisation="breaks",
                            user_breaks={"INC": [10, 15, 20]})
    inc = columbus["INC"].to_numpy()
    strata = np.select([inc <= 10, inc <= 15, inc <= 20], [0, 1, 2], 3)
    row = result.factors.iloc[0]
    assert row["METHOD"] == "breaks" and row["CLASSES"] == 4 and row["N"] == 49
    assert row["Q"] == pytest.approx(hand_q(y, strata), rel=1e-12)
    assert row["P"] == pytest.approx(hand_p(y, strata), rel=1e-9)
    # the strata table holds the stratum means and sizes
    means = pd.Series(y).groupby(strata).mean().to_numpy()
    assert result.strata["MEAN"].to_numpy() == pytest.approx(means)
    assert result.strata["N"].tolist() == np.bincount(strata).tolist()
    assert result.strata["INTERVAL"].tolist() == ["<= 10", "(10, 15]", "(15, 20]", "> 20"]


def test_against_pypi_geodetector_without_singleton_strata(columbus):
    """The maintained package agrees where its rule (dropping one-unit strata) does not bite."""
    pkg = pytest.importorskip("geodetector._stats")
    y = columbus["CRIME"].to_numpy()
    for driver in ("INC", "HOVAL", "OPEN"):
        strata = gd.strata_of(columbus[driver], gd.breaks(columbus[driver], "quantile", 5))
        assert np.bincount(strata).min() >= 2
        test = gd.factor_test(y, strata)
        assert test.q == pytest.approx(pkg.q_statistic(y, strata), rel=1e-12)
        assert test.p == pytest.approx(pkg.q_significance_test(y, strata), rel=1e-7, abs=1e-12)


def test_factor_test_edge_cases():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    perfect = gd.factor_test(y, [0, 0, 1, 1])
    assert perfect.q == pytest.approx(0.8) and perfect.strata == 2
    exact = gd.factor_test(np.array([1.0, 1.0, 5.0, 5.0]), [0, 0, 1, 1])
    assert exact.q == 1.0 and exact.p == 0.0 and exact.f == np.inf
    one = gd.factor_test(y, [0, 0, 0, 0])
    assert one.q == 0.0 and np.isnan(one.p)
    each = gd.factor_test(y, [0, 1, 2, 3])
    assert each.q == pytest.approx(1.0) and np.isnan(each.p)


def test_interaction_types_on_designed_strata():
    # additive balanced 2 x 2 design: q(A ∩ B) = q(A) + q(B) exactly -> independent
    a = np.repeat([0, 1], 4)
    b = np.tile(np.repeat([0, 1], 2), 2)
    noise = np.tile([0.5, -0.5], 4)
    y = 3.0 * a + 1.0 * b + noise
    frame = pd.DataFrame({"Y": y, "A": a, "B": b})
    result = gd.geodetector(frame, "Y", categorical=["A", "B"])
    row = result.interactions.iloc[0]
    sst = np.sum((y - y.mean()) ** 2)
    assert row["Q_A"] == pytest.approx(8 * 1.5 ** 2 / sst)
    assert row["Q_B"] == pytest.approx(8 * 0.5 ** 2 / sst)
    assert row["Q_AB"] == pytest.approx(row["Q_A"] + row["Q_B"])
    assert row["TYPE"] == "independent" and row["TYPE_ZH"] == "独立"
    # exclusive-or: neither driver alone explains anything, together everything
    y_xor = (a != b).astype(float) + noise * 0.01
    xor = gd.geodetector(frame.assign(Y=y_xor), "Y", categorical=["A", "B"]).interactions.iloc[0]
    assert xor["Q_A"] == pytest.approx(0.0, abs=1e-12) and xor["TYPE"] == "nonlinear enhance"
    assert gd.interaction_type(0.3, 0.4, 0.5) == "bivariate enhance"
    assert gd.interaction_type(0.3, 0.4, 0.35) == "univariate weaken"
    assert gd.interaction_type(0.3, 0.4, 0.2) == "nonlinear weaken"


def test_risk_detector_is_welch(columbus):
    result = gd.geodetector(columbus, "CRIME", ["INC"], discretisation="quantile", classes=3)
    inc, y = columbus["INC"].to_numpy(), columbus["CRIME"].to_numpy()
    strata = gd.strata_of(inc, np.percentile(inc, [100 / 3, 200 / 3]))
    first, third = y[strata == 0], y[strata == 2]
    va, vb = first.var(ddof=1) / len(first), third.var(ddof=1) / len(third)
    t = (first.mean() - third.mean()) / np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(first) - 1) + vb ** 2 / (len(third) - 1))
    row = result.risk[(result.risk["STRATUM_A"] == 1) & (result.risk["STRATUM_B"] == 3)].iloc[0]
    assert row["T"] == pytest.approx(t) and row["DF"] == pytest.approx(df)
    assert row["P"] == pytest.approx(2 * stats.t.sf(abs(t), df))
    assert row["SIGNIFICANT"] == (row["P"] < 0.05)
    assert len(result.risk) == 3


def test_ecological_detector_by_hand(columbus):
    result = gd.geodetector(columbus, "CRIME", ["INC", "OPEN"], discretisation="equal", classes=4)
    y = columbus["CRIME"].to_numpy()
    ssw = {}
    for name in ("INC", "OPEN"):
        x = columbus[name].to_numpy()
        strata = gd.strata_of(x, np.linspace(x.min(), x.max(), 5)[1:-1])
        ssw[name] = (1 - hand_q(y, strata)) * np.sum((y - y.mean()) ** 2)
    row = result.ecological.iloc[0]
    worse, better = sorted(ssw, key=ssw.get, reverse=True)
    assert (row["DRIVER_A"], row["DRIVER_B"]) == (worse, better)
    assert row["F"] == pytest.approx(ssw[worse] / ssw[better])
    assert row["P"] == pytest.approx(stats.f.sf(ssw[worse] / ssw[better], 48, 48))


def test_breaks_by_method(columbus):
    x = columbus["HOVAL"].to_numpy()
    assert gd.breaks(x, "equal", 4) == pytest.approx(np.linspace(x.min(), x.max(), 5)[1:-1])
    assert gd.breaks(x, "quantile", 5) == pytest.approx(mapclassify.Quantiles(x, k=5).bins[:-1])
    assert gd.breaks(x, "natural", 4) == pytest.approx(mapclassify.FisherJenks(x, k=4).bins[:-1])
    ratio = (x.max() - x.min() + 1) ** (1 / 4)
    assert gd.breaks(x, "geometric", 4) == pytest.approx(ratio ** np.arange(1, 4) + x.min() - 1)
    sd_breaks = x.mean() + np.array([-1.0, 0.0, 1.0]) * x.std()
    assert gd.breaks(x, "sd", 4) == pytest.approx(sd_breaks[(sd_breaks > x.min())])
    # classes are right-closed: a value equal to a break falls in the lower class
    assert gd.strata_of([1.0, 2.0, 2.5, 3.0], [2.0, 3.0]).tolist() == [0, 0, 1, 1]


def test_optimal_search_keeps_the_largest_q(columbus):
    y = columbus["CRIME"].to_numpy()
    result = gd.geodetector(columbus, "CRIME", ["OPEN"], min_classes=3, max_classes=6)
    brute = {}
    for method in gd.METHODS:
        for k in range(3, 7):
            strata = gd.strata_of(columbus["OPEN"], gd.breaks(columbus["OPEN"], method, k))
            brute[(method, k)] = hand_q(y, strata)
    best = max(brute.values())
    row = result.factors.iloc[0]
    assert row["Q"] == pytest.approx(best, rel=1e-12)
    assert brute[(row["METHOD"], int(result.search.loc[result.search["Q"].idxmax(),
                                                        "CLASSES_ASKED"]))] == pytest.approx(best)
    assert len(result.search) == 5 * 4


def test_samples_by_field(columbus):
    frame = columbus.assign(SIDE=np.where(columbus["X"] > columbus["X"].median(), "east", "west"))
    result = gd.geodetector_by(frame, "CRIME", ["INC"], by=["SIDE"], discretisation="quantile",
                               classes=3)
    assert result.factors["SIDE"].tolist() == ["east", "west"]
    west = frame[frame["SIDE"] == "west"]
    x = west["INC"].to_numpy()
    strata = gd.strata_of(x, np.percentile(x, [100 / 3, 200 / 3]))
    assert result.factors["Q"].iloc[1] == pytest.approx(hand_q(west["CRIME"].to_numpy(), strata))


def test_bad_input(columbus):
    with pytest.raises(InputError, match="NOPE"):
        gd.geodetector(columbus, "CRIME", ["NOPE"])
    with pytest.raises(InputError, match="constant"):
        gd.geodetector(columbus.assign(CRIME=1.0), "CRIME", ["INC"])
    with pytest.raises(InputError, match="'INC'.*not a number"):
        gd.geodetector(columbus.assign(INC=columbus["INC"].astype(object).where(
            columbus.index != 3, "n/a")), "CRIME", ["INC"])
    with pytest.raises(InputError, match="method"):
        gd.geodetector(columbus, "CRIME", ["INC"], methods=["kmeans"])
    with pytest.raises(InputError, match="different"):
        gd.geodetector(columbus, "CRIME", ["CRIME"])
    with pytest.raises(InputError, match="HOVAL"):
        gd.geodetector(columbus, "CRIME", ["INC"], discretisation="breaks",
                       user_breaks={"HOVAL": [30]})
    frame = columbus.copy()
    frame.loc[[0, 1], "INC"] = np.nan
    before = frame.copy()
    result = gd.geodetector(frame, "CRIME", ["INC"], discretisation="quantile")
    assert result.factors["N"].iloc[0] == 47 and "2 row(s)" in result.notes[0]
    pd.testing.assert_frame_equal(frame, before)


def test_natural_breaks_for_every_class_count_match_mapclassify(columbus):
    x = columbus["CRIME"].to_numpy()
    every = gd.natural_breaks(x, 10)
    for k in range(2, 11):
        assert every[k] == pytest.approx(mapclassify.FisherJenks(x, k=k).bins[:-1]), k
    large = np.random.default_rng(1).lognormal(size=gd.NATURAL_SAMPLE + 500)
    first, again = gd.natural_breaks(large, 5, seed=4), gd.natural_breaks(large, 5, seed=4)
    assert first[5] == pytest.approx(again[5]) and len(first[5]) == 4


def within_ssd(values, inner):
    """Total within-class sum of squares of ``values`` cut at the inner breaks."""
    values = np.sort(np.asarray(values, dtype=float))
    strata = gd.strata_of(values, inner)
    return sum(((values[strata == c] - values[strata == c].mean()) ** 2).sum()
               for c in np.unique(strata))


def brute_force_ssd(values, k):
    """Least within-class sum of squares over every split of the sorted values into k classes."""
    from itertools import combinations

    v = np.sort(np.asarray(values, dtype=float))
    return min(sum(((part - part.mean()) ** 2).sum() for part in np.split(v, list(cuts)))
               for cuts in combinations(range(1, len(v)), k - 1))


@pytest.mark.parametrize("kind", ["normal", "integers", "evenly spaced", "tripled"])
def test_natural_breaks_reach_the_least_within_class_sum_of_squares(kind):
    # divide and conquer over the monotone splits: the optimum of the full programme, checked by
    # enumerating every split (13 values) and against mapclassify's Fisher-Jenks (300 values)
    rng = np.random.default_rng(7)
    make = {"normal": lambda n: rng.normal(size=n),
            "integers": lambda n: rng.integers(0, 6, size=n).astype(float),
            "evenly spaced": lambda n: np.arange(n, dtype=float),
            "tripled": lambda n: np.repeat(rng.normal(size=n // 3 + 1), 3)[:n]}[kind]
    small = make(13)
    every = gd.natural_breaks(small, 5)
    for k in range(2, 6):
        if len(np.unique(small)) >= k:
            assert within_ssd(small, every[k]) == pytest.approx(brute_force_ssd(small, k),
                                                                rel=1e-12, abs=1e-12), k
    large = make(300)
    every = gd.natural_breaks(large, 10)
    for k in range(2, 11):
        if len(np.unique(large)) >= k:
            reference = mapclassify.FisherJenks(large, k=k).bins[:-1]
            assert within_ssd(large, every[k]) == pytest.approx(within_ssd(large, reference),
                                                                rel=1e-12, abs=1e-12), k


@pytest.mark.filterwarnings("ignore:Precision loss")
def test_risk_detector_matches_scipy_for_every_pair():
    rng = np.random.default_rng(3)
    strata = np.repeat([0, 1, 2, 4, 5], [12, 7, 1, 9, 5])  # a singleton, a gap in the codes
    y = rng.normal(size=strata.shape[0]) + strata
    y[strata == 5] = 2.5  # a constant stratum
    table = gd.risk_tests(y, strata)
    assert len(table) == 10
    for row in table.itertuples():
        a, b = y[strata == row.STRATUM_A], y[strata == row.STRATUM_B]
        if min(len(a), len(b)) < 2:
            assert np.isnan(row.T) and np.isnan(row.P) and not row.SIGNIFICANT
            continue
        expected = stats.ttest_ind(a, b, equal_var=False)
        assert row.T == pytest.approx(expected.statistic, rel=1e-12)
        assert row.P == pytest.approx(expected.pvalue, rel=1e-10)
        assert row.MEAN_A == pytest.approx(a.mean()) and row.MEAN_B == pytest.approx(b.mean())
    both_constant = gd.risk_tests([1.0, 1.0, 2.0, 2.0], [0, 0, 1, 1])
    assert np.isnan(both_constant["T"].iloc[0]) and not both_constant["SIGNIFICANT"].iloc[0]


def test_search_lists_the_q_of_every_combination(columbus):
    # q from the sorted runs of the search equals the q of the stratified rows
    y, x = columbus["CRIME"].to_numpy(), columbus["HOVAL"].to_numpy()
    cut = gd.optimal_discretisation(y, x, "HOVAL", classes=range(2, 9))
    for row in cut.search.itertuples():
        strata = gd.strata_of(x, gd.breaks(x, row.METHOD, row.CLASSES_ASKED))
        assert row.Q == pytest.approx(hand_q(y, strata), rel=1e-12)
        assert row.CLASSES == len(np.unique(strata))
    assert cut.q == pytest.approx(cut.search["Q"].max(), rel=1e-12)


def test_q_does_not_depend_on_how_strata_are_labelled(columbus):
    y = columbus["CRIME"].to_numpy()
    strata = gd.strata_of(columbus["INC"], [10.0, 15.0, 20.0])
    expected = hand_q(y, strata)
    for labels in (strata, strata * 7 + 3, strata.astype(np.int64) * 10 ** 12,
                   np.array(["low", "mid", "high", "top"])[strata], strata - 2):
        assert gd.q_statistic(y, labels) == pytest.approx(expected, rel=1e-12)
        assert gd.factor_test(y, labels).strata == 4


def test_strata_are_small_integer_codes_equal_to_a_sorted_search():
    """A sample keeps one code per row and driver: the smallest integer type
    that holds the classes, with the class of np.searchsorted (left) on the breaks."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=1000)
    inner = np.array([-1.0, 0.0, 0.5, 2.0])
    strata = gd.strata_of(x, inner)
    assert strata.dtype == np.int8
    assert strata.tolist() == np.searchsorted(inner, x, side="left").tolist()
    many = np.linspace(0, 1, 400)[1:-1]
    assert gd.strata_of(x, many).dtype == np.int16
