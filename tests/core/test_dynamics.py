"""Spatial Markov and LISA Markov against giddy directly."""

import warnings

import geopandas as gpd
import giddy.markov as gm
import numpy as np
import pandas as pd
import pytest
from libpysal.examples import get_path
from scipy import stats

from spatial import dynamics as D
from spatial import weights as W
from spatial.errors import InputError

warnings.filterwarnings("ignore")


@pytest.fixture(scope="module")
def data():
    g = gpd.read_file(get_path("us48.shp"))
    inc = pd.read_csv(get_path("usjoin.csv"))
    long = inc.melt(id_vars=["Name", "STATE_FIPS"], var_name="YEAR", value_name="INC")
    long["YEAR"] = long["YEAR"].astype(int)
    long["TIER"] = long.groupby("YEAR")["INC"].transform(lambda s: pd.qcut(s, 3, labels=False)).astype(int)
    w = W.build_weights(g, "STATE_NAME", "queen")
    wide = long.pivot(index="Name", columns="YEAR", values="TIER").reindex(w.ids)
    return long, w, wide


def test_spatial_markov_tiers_equal_giddy(data):
    long, w, wide = data
    before = long.copy()
    r = D.spatial_markov(long, "Name", "YEAR", w, tier_field="TIER")
    np.random.seed(0)
    ref = gm.Spatial_Markov(wide.to_numpy(), w.to_libpysal(), discrete=True)
    t = r.transitions
    assert list(t.columns) == ["CONDITION", "FROM", "TO", "COUNT", "P"]
    for c in range(3):
        sub = t[t.CONDITION == c].pivot(index="FROM", columns="TO", values="P").to_numpy()
        np.testing.assert_allclose(sub, ref.P[c])
        cnt = t[t.CONDITION == c].pivot(index="FROM", columns="TO", values="COUNT").to_numpy()
        np.testing.assert_array_equal(cnt, ref.T[c])
    allp = t[t.CONDITION == "ALL"].pivot(index="FROM", columns="TO", values="P").to_numpy()
    np.testing.assert_allclose(allp, ref.p)
    tests = r.tests.set_index("TEST")
    assert tests.loc["Q", "STATISTIC"] == pytest.approx(ref.Q)
    assert tests.loc["LR", "STATISTIC"] == pytest.approx(ref.LR)
    assert tests.loc["X2", "P_VALUE"] == pytest.approx(ref.x2_pvalue)
    pd.testing.assert_frame_equal(long, before)


def test_spatial_markov_continuous_and_lisa_markov(data):
    long, w, _ = data
    r = D.spatial_markov(long, "Name", "YEAR", w, value_field="INC", k=4, m=4)
    assert set(r.transitions.CONDITION) == {"ALL", 0, 1, 2, 3}
    lm = D.lisa_markov(long, "Name", "YEAR", "INC", w)
    wide = long.pivot(index="Name", columns="YEAR", values="INC").reindex(w.ids).to_numpy(float)
    ref = gm.LISA_Markov(wide, w.to_libpysal())
    np.testing.assert_allclose(lm.transitions.pivot(index="FROM", columns="TO", values="P")
                               .loc[["HH", "LH", "LL", "HL"], ["HH", "LH", "LL", "HL"]].to_numpy(), ref.p)
    assert lm.tests.STATISTIC[0] == pytest.approx(independence_chi2_by_hand(ref.q)[0], rel=1e-12)
    assert len(lm.quadrants) == 48 * wide.shape[1]


def test_bad_inputs(data):
    long, w, _ = data
    with pytest.raises(InputError, match="exactly one"):
        D.spatial_markov(long, "Name", "YEAR", w)
    gap = long[~((long.Name == "Utah") & (long.YEAR == 1950))]
    with pytest.raises(InputError, match="Utah in 1950"):
        D.spatial_markov(gap, "Name", "YEAR", w, tier_field="TIER")
    with pytest.raises(InputError, match="Narnia"):
        D.lisa_markov(pd.concat([long, pd.DataFrame({"Name": ["Narnia"], "YEAR": [1929], "INC": [1.0]})]),
                      "Name", "YEAR", "INC", w)


def test_extreme_magnitudes_give_giddy_on_the_unscaled_values(data):
    long, w, _ = data
    long = long[long.YEAR.isin(range(1929, 1960))]
    wide = long.pivot(index="Name", columns="YEAR", values="INC").reindex(w.ids).to_numpy(float)
    ref_sm = gm.Spatial_Markov(wide, w.to_libpysal(), k=4, m=4, fixed=True)
    ref_lm = gm.LISA_Markov(wide, w.to_libpysal())
    for factor in (1e300, 1e-300):
        scaled = long.assign(INC=long.INC * factor)
        r = D.spatial_markov(scaled, "Name", "YEAR", w, value_field="INC", k=4, m=4)
        counts = r.transitions[r.transitions.CONDITION == "ALL"].pivot(index="FROM", columns="TO", values="COUNT")
        np.testing.assert_array_equal(counts.to_numpy(), ref_sm.transitions)
        lm = D.lisa_markov(scaled, "Name", "YEAR", "INC", w)
        np.testing.assert_array_equal(lm.transitions.pivot(index="FROM", columns="TO", values="COUNT")
                                      .loc[["HH", "LH", "LL", "HL"], ["HH", "LH", "LL", "HL"]].to_numpy(),
                                      ref_lm.transitions)
    bad = long.astype({"INC": float})
    bad.loc[(bad.Name == "Utah") & (bad.YEAR == 1950), "INC"] = np.inf
    with pytest.raises(InputError, match="'INC' is infinite for: Utah in 1950"):
        D.lisa_markov(bad, "Name", "YEAR", "INC", w)


# --- our own code against giddy, number for number, on grids with the cases that matter ---

NAMES = ["HH", "LH", "LL", "HL"]


def grid_weights(rows, cols, kind="rook", transform="r"):
    from shapely.geometry import box

    cells = [(r, c) for r in range(rows) for c in range(cols)]
    g = gpd.GeoDataFrame({"UNIT": [f"u{r:02d}{c:02d}" for r, c in cells]},
                         geometry=[box(c * 1000, r * 1000, (c + 1) * 1000, (r + 1) * 1000) for r, c in cells],
                         crs="EPSG:3857")
    return W.build_weights(g, "UNIT", kind, k=4, transform=transform)


def long_table(w, wide, name):
    """The n × t array ``wide`` (units in w.ids order, years 2000, 2001, ...) as a long table."""
    frame = pd.DataFrame(wide, index=pd.Index(w.ids, name="UNIT"), columns=range(2000, 2000 + wide.shape[1]))
    return frame.stack().rename(name).rename_axis(["UNIT", "YEAR"]).reset_index()


def matrix(transitions, condition, column):
    sub = transitions[transitions.CONDITION == condition]
    return sub.pivot(index="FROM", columns="TO", values=column).to_numpy()


def assert_spatial_markov_is_giddys(result, ref):
    """Every number of ``result`` equal to giddy's Spatial_Markov ``ref``, to the last bit."""
    t = result.transitions
    assert list(t.columns) == ["CONDITION", "FROM", "TO", "COUNT", "P"]
    assert t.COUNT.dtype == np.int64 and t.P.dtype == np.float64
    assert result.classes == [v.item() if hasattr(v, "item") else v for v in ref.classes]
    np.testing.assert_array_equal(matrix(t, "ALL", "COUNT"), ref.transitions)
    np.testing.assert_array_equal(matrix(t, "ALL", "P"), ref.p)
    conditions = [c for c in t.CONDITION.unique() if c != "ALL"]
    assert len(conditions) == len(ref.T)
    for i, c in enumerate(conditions):
        np.testing.assert_array_equal(matrix(t, c, "COUNT"), ref.T[i])
        np.testing.assert_array_equal(matrix(t, c, "P"), ref.P[i])
    tests = result.tests.set_index("TEST")
    assert list(result.tests.columns) == ["TEST", "STATISTIC", "DOF", "P_VALUE"]
    for name, stat, dof, p in (("Q", ref.Q, ref.dof_hom, ref.Q_p_value), ("LR", ref.LR, ref.dof_hom, ref.LR_p_value),
                               ("X2", ref.x2, ref.x2_dof, ref.x2_pvalue)):
        assert tests.loc[name, "DOF"] == dof
        np.testing.assert_array_equal([tests.loc[name, "STATISTIC"], tests.loc[name, "P_VALUE"]],
                                      np.array([stat, p], dtype=float), err_msg=name)


def assert_lisa_markov_is_giddys(result, ref, ids):
    t = result.transitions
    assert list(t.columns) == ["FROM", "TO", "COUNT", "P"]
    np.testing.assert_array_equal(t.pivot(index="FROM", columns="TO", values="COUNT").loc[NAMES, NAMES].to_numpy(),
                                  ref.transitions)
    np.testing.assert_array_equal(t.pivot(index="FROM", columns="TO", values="P").loc[NAMES, NAMES].to_numpy(), ref.p)
    q = result.quadrants.pivot(index=result.quadrants.columns[0], columns="YEAR", values="LISA_Q")
    np.testing.assert_array_equal(q.loc[list(ids)].to_numpy(), ref.q)
    assert result.quadrants.LISA_Q.dtype == np.int64
    chi2, dof = independence_chi2_by_hand(ref.q)
    np.testing.assert_allclose(result.tests.STATISTIC[0], chi2, rtol=1e-12)
    assert result.tests.DOF[0] == dof
    np.testing.assert_allclose(result.tests.P_VALUE[0], stats.chi2.sf(chi2, dof), rtol=1e-9, atol=1e-15)


QUADRANT_HALVES = {1: (1, 1), 2: (0, 1), 3: (0, 0), 4: (1, 0)}  # HH, LH, LL, HL: (own high, lag high)


def independence_chi2_by_hand(q):
    """Rey, Murray & Anselin's (2011) test counted with loops over units and
    years: the unit's chain (z > 0 or not) and its neighbours' (Wz > 0 or
    not) from year t to t+1, Pearson's X2 of the quadrant transitions
    against the product of the two chains. (statistic, dof (r - 1)^2 for
    the r quadrants that are left.)"""
    n, years = q.shape
    own, lag, observed = np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((4, 4))
    for i in range(n):
        for t in range(years - 1):
            a, b = QUADRANT_HALVES[q[i, t]], QUADRANT_HALVES[q[i, t + 1]]
            own[a[0], b[0]] += 1
            lag[a[1], b[1]] += 1
            observed[q[i, t] - 1, q[i, t + 1] - 1] += 1
    chi2 = 0.0
    for qa in range(1, 5):
        for qb in range(1, 5):
            a, b = QUADRANT_HALVES[qa], QUADRANT_HALVES[qb]
            if observed[qa - 1].sum() == 0:
                continue
            expected = (observed[qa - 1].sum() * own[a[0], b[0]] / own[a[0]].sum()
                        * lag[a[1], b[1]] / lag[a[1]].sum())
            if expected > 0:
                chi2 += (observed[qa - 1, qb - 1] - expected) ** 2 / expected
    r = int((observed.sum(axis=1) > 0).sum())
    return chi2, (r - 1) ** 2


def test_lisa_markov_test_does_not_depend_on_the_order_of_the_units(data):
    """giddy's chi-square changes when the units are reordered (its chains run
    across units); ours is the same for any order, as are the transitions."""
    long, w, _ = data
    order = list(np.random.default_rng(3).permutation(w.ids))
    first = D.lisa_markov(long, "Name", "YEAR", "INC", w)
    again = D.lisa_markov(long, "Name", "YEAR", "INC", w.subset(order))
    np.testing.assert_allclose(again.tests.STATISTIC[0], first.tests.STATISTIC[0], rtol=1e-12)
    pd.testing.assert_frame_equal(again.transitions, first.transitions)
    wide = long.pivot(index="Name", columns="YEAR", values="INC")
    giddy_first = gm.LISA_Markov(wide.reindex(w.ids).to_numpy(float), w.to_libpysal()).chi_2[0]
    giddy_again = gm.LISA_Markov(wide.reindex(order).to_numpy(float), w.subset(order).to_libpysal()).chi_2[0]
    assert abs(giddy_again - giddy_first) > 1.0  # the flaw that ours does not copy


def giddy_tiers(y, w, seed):
    np.random.seed(seed)
    return gm.Spatial_Markov(y, w.to_libpysal(), discrete=True, fill_empty_classes=False)


@pytest.mark.parametrize("kind, transform", [("rook", "r"), ("queen", "r"), ("queen", "b"), ("kernel", "r")])
def test_tiers_with_tied_neighbour_modes_equal_giddy_for_every_seed(kind, transform, monkeypatch):
    w = grid_weights(5, 6, kind, transform)
    tiers = np.random.default_rng(3).integers(0, 3, size=(w.n, 6))
    table = long_table(w, tiers, "TIER")
    draws = []
    choice = np.random.choice

    def counted(*args, **kwargs):
        draws.append(args[0])
        return choice(*args, **kwargs)

    results = {}
    for seed in (0, 1, 2, 12345):
        monkeypatch.setattr(np.random, "choice", counted)
        np.random.seed(99)
        before = np.random.get_state()[1].copy()
        results[seed] = D.spatial_markov(table, "UNIT", "YEAR", w, tier_field="TIER", seed=seed)
        np.testing.assert_array_equal(np.random.get_state()[1], before)  # the caller's generator is untouched
        monkeypatch.setattr(np.random, "choice", choice)
        assert_spatial_markov_is_giddys(results[seed], giddy_tiers(tiers, w, seed))
    if kind != "kernel":  # equal weights: ties among the modes, broken at random
        assert draws
        if kind == "queen":  # the unit's own tier can join the tie instead of breaking it
            assert any(len(modes) == 3 for modes in draws)
        counts = {s: tuple(r.transitions.COUNT) for s, r in results.items()}
        assert len(set(counts.values())) > 1  # the draws change the neighbour classes


def test_tier_absent_from_a_neighbour_class_leaves_an_empty_row():
    w = grid_weights(4, 5, "rook")
    tiers = np.zeros((w.n, 4), dtype=int)
    tiers[:, 1::2] = 1
    tiers[:3, :] = 2           # tier 2 only in one corner: it is no neighbour class of most tiers
    table = long_table(w, tiers, "TIER")
    result = D.spatial_markov(table, "UNIT", "YEAR", w, tier_field="TIER", seed=4)
    ref = giddy_tiers(tiers, w, 4)
    assert (ref.T.sum(axis=2) == 0).any()
    assert_spatial_markov_is_giddys(result, ref)


@pytest.mark.parametrize("fixed", [True, False])
@pytest.mark.parametrize("k, m", [(4, 4), (3, 5), (5, 2)])
@pytest.mark.parametrize("kind, transform", [("queen", "r"), ("rook", "b"), ("kernel", "r")])
def test_value_classes_equal_giddy(fixed, k, m, kind, transform):
    w = grid_weights(5, 6, kind, transform)
    values = np.random.default_rng(k * 10 + m).lognormal(size=(w.n, 7))
    result = D.spatial_markov(long_table(w, values, "V"), "UNIT", "YEAR", w, value_field="V", k=k, m=m, fixed=fixed)
    ref = gm.Spatial_Markov(values, w.to_libpysal(), k=k, m=m, fixed=fixed)
    assert_spatial_markov_is_giddys(result, ref)


@pytest.mark.parametrize("fixed", [True, False])
def test_duplicate_quantile_bins_equal_giddy(fixed):
    w = grid_weights(5, 6, "queen")
    rng = np.random.default_rng(8)
    values = rng.lognormal(size=(w.n, 6))
    values[rng.random(values.shape) < 0.45] = 0.0      # the lowest quantiles repeat
    result = D.spatial_markov(long_table(w, values, "V"), "UNIT", "YEAR", w, value_field="V", k=5, m=5, fixed=fixed)
    ref = gm.Spatial_Markov(values, w.to_libpysal(), k=5, m=5, fixed=fixed)
    if fixed:
        assert len(result.classes) == ref.k < 5          # pooled: classes of the distinct bins
    assert_spatial_markov_is_giddys(result, ref)


@pytest.mark.parametrize("fixed", [True, False])
def test_us_income_classes_equal_giddy(data, fixed):
    long, w, _ = data
    wide = long.pivot(index="Name", columns="YEAR", values="INC").reindex(w.ids).to_numpy(float)
    result = D.spatial_markov(long, "Name", "YEAR", w, value_field="INC", k=5, m=3, fixed=fixed)
    assert_spatial_markov_is_giddys(result, gm.Spatial_Markov(wide, w.to_libpysal(), k=5, m=3, fixed=fixed))
    tiers = D.spatial_markov(long, "Name", "YEAR", w, tier_field="TIER", seed=5)
    tier_wide = long.pivot(index="Name", columns="YEAR", values="TIER").reindex(w.ids).to_numpy()
    assert_spatial_markov_is_giddys(tiers, giddy_tiers(tier_wide, w, 5))


@pytest.mark.parametrize("kind, transform", [("rook", "r"), ("queen", "b"), ("kernel", "r")])
def test_lisa_markov_with_zero_deviations_equal_giddy(kind, transform):
    w = grid_weights(5, 6, kind, transform)
    rng = np.random.default_rng(11)
    # as many -1 as +1 in every year: the mean is exactly 5, z exactly 0 for the 5s,
    # and neighbourhoods of balanced deviations have a lag of exactly 0
    year = np.array([4.0] * 9 + [6.0] * 9 + [5.0] * (w.n - 18))
    values = np.column_stack([rng.permutation(year) for _ in range(6)])
    values[:, 2] = 5.0 + np.where((np.arange(w.n) + np.arange(w.n) // 6) % 2, 1.0, -1.0)  # a checkerboard
    z = (values - values.mean(axis=0)) / values.std(axis=0)
    assert (z == 0).any()
    lag = np.column_stack([w.lag(z[:, t]) for t in range(6)])
    assert (lag == 0).any()
    result = D.lisa_markov(long_table(w, values, "V"), "UNIT", "YEAR", "V", w)
    ref = gm.LISA_Markov(values, w.to_libpysal())
    assert_lisa_markov_is_giddys(result, ref, w.ids)


def test_lisa_markov_us_income_equals_giddy(data):
    long, w, _ = data
    wide = long.pivot(index="Name", columns="YEAR", values="INC").reindex(w.ids).to_numpy(float)
    assert_lisa_markov_is_giddys(D.lisa_markov(long, "Name", "YEAR", "INC", w), gm.LISA_Markov(wide, w.to_libpysal()),
                                 w.ids)
