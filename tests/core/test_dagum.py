"""Tests for spatial.dagum: Dagum (1997) Gini decomposition."""

import itertools
import tracemalloc
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spatial.dagum import dagum_by_year, dagum_gini, gini
from spatial.errors import InputError


# ---------------------------------------------------------------------------
# independent references
# ---------------------------------------------------------------------------

def naive_gini(values):
    """Double loop over all ordered pairs: sum |y_i - y_r| / (2 n^2 mu)."""
    n = len(values)
    total = 0.0
    for a in values:
        for b in values:
            total += abs(a - b)
    return total / (2 * n * n * (sum(values) / n))


def naive_dagum(values, groups):
    """Dagum decomposition straight from the definitions, O(n^2) per pair.

    d_jh and p_jh are the means of max(y_ji - y_hr, 0) and max(y_hr - y_ji, 0)
    over all pairs (not the shortcut mu_j - mu_h used by the fast code).
    """
    values = np.asarray(values, dtype=float)
    groups = np.asarray(groups, dtype=object)
    labels = list(dict.fromkeys(groups.tolist()))
    n = len(values)
    mu = values.mean()
    member = {g: values[groups == g] for g in labels}
    mean = {g: member[g].mean() for g in labels}
    p = {g: len(member[g]) / n for g in labels}
    s = {g: len(member[g]) * mean[g] / (n * mu) for g in labels}
    g_jj = {}
    for g in labels:
        y = member[g]
        diff = np.abs(y[:, None] - y[None, :]).sum()
        g_jj[g] = diff / (2 * len(y) ** 2 * mean[g]) if mean[g] > 0 else np.nan
    gw = sum((g_jj[g] if mean[g] > 0 else 0.0) * p[g] * s[g] for g in labels)
    between = {}
    gnb = gt = 0.0
    for a, b in itertools.combinations(labels, 2):
        j, h = (a, b) if mean[a] >= mean[b] else (b, a)
        delta = member[j][:, None] - member[h][None, :]
        d = np.maximum(delta, 0).mean()
        pp = np.maximum(-delta, 0).mean()
        denominator = len(member[j]) * len(member[h]) * (mean[j] + mean[h])
        g_jh = np.abs(delta).sum() / denominator if denominator > 0 else np.nan
        d_jh = (d - pp) / (d + pp) if d + pp > 0 else np.nan
        between[frozenset((j, h))] = (j, h, g_jh, d_jh)
        if d + pp > 0:
            weight = g_jh * (p[j] * s[h] + p[h] * s[j])
            gnb += weight * d_jh
            gt += weight * (1 - d_jh)
    g = np.abs(values[:, None] - values[None, :]).sum() / (2 * n * n * mu)
    return {"G": g, "GW": gw, "GNB": gnb, "GT": gt, "G_JJ": g_jj, "BETWEEN": between}


def pair_lookup(result):
    between = result.pairs[result.pairs["GROUP_A"] != result.pairs["GROUP_B"]]
    return {
        frozenset((row.GROUP_A, row.GROUP_B)): (row.GROUP_A, row.GROUP_B, row.G_AB, row.D_AB)
        for row in between.itertuples()
    }


# ---------------------------------------------------------------------------
# hand-worked example with exact fractions
# ---------------------------------------------------------------------------

LOW = [1, 3]
MID = [2, 4, 6]
HIGH = [5, 10]


def test_hand_worked_example():
    F = Fraction
    n = 7
    mu = F(1 + 3 + 2 + 4 + 6 + 5 + 10, 7)  # 31/7
    mu_low, mu_mid, mu_high = F(4, 2), F(12, 3), F(15, 2)
    # sums of |y_i - y_r| over ordered pairs, every term written out
    within_low = 2 * (3 - 1)  # 4
    within_mid = 2 * ((4 - 2) + (6 - 2) + (6 - 4))  # 16
    within_high = 2 * (10 - 5)  # 10
    # between groups: list every |difference| (j = richer group, h = poorer)
    mid_minus_low = [2 - 1, 2 - 3, 4 - 1, 4 - 3, 6 - 1, 6 - 3]  # 1, -1, 3, 1, 5, 3
    high_minus_low = [5 - 1, 5 - 3, 10 - 1, 10 - 3]  # 4, 2, 9, 7
    high_minus_mid = [5 - 2, 5 - 4, 5 - 6, 10 - 2, 10 - 4, 10 - 6]  # 3, 1, -1, 8, 6, 4
    cross_ml = sum(abs(t) for t in mid_minus_low)  # 14
    cross_hl = sum(abs(t) for t in high_minus_low)  # 22
    cross_hm = sum(abs(t) for t in high_minus_mid)  # 23
    assert (cross_ml, cross_hl, cross_hm) == (14, 22, 23)

    total = within_low + within_mid + within_high + 2 * (cross_ml + cross_hl + cross_hm)  # 148
    G = F(total) / (2 * n * n * mu)
    assert G == F(74, 217)

    p = {"low": F(2, 7), "mid": F(3, 7), "high": F(2, 7)}
    s = {"low": 2 * mu_low / (n * mu), "mid": 3 * mu_mid / (n * mu), "high": 2 * mu_high / (n * mu)}
    assert s == {"low": F(4, 31), "mid": F(12, 31), "high": F(15, 31)}
    g_ll = F(within_low) / (2 * 2 * 2 * mu_low)  # 1/4
    g_mm = F(within_mid) / (2 * 3 * 3 * mu_mid)  # 2/9
    g_hh = F(within_high) / (2 * 2 * 2 * mu_high)  # 1/6
    assert (g_ll, g_mm, g_hh) == (F(1, 4), F(2, 9), F(1, 6))
    GW = g_ll * p["low"] * s["low"] + g_mm * p["mid"] * s["mid"] + g_hh * p["high"] * s["high"]
    assert GW == F(15, 217)

    def d_and_p(terms):
        d = F(sum(max(t, 0) for t in terms), len(terms))
        q = F(sum(max(-t, 0) for t in terms), len(terms))
        return (d - q) / (d + q)

    g_ml = F(cross_ml) / (3 * 2 * (mu_mid + mu_low))  # 7/18
    g_hl = F(cross_hl) / (2 * 2 * (mu_high + mu_low))  # 11/19
    g_hm = F(cross_hm) / (2 * 3 * (mu_high + mu_mid))  # 1/3
    d_ml, d_hl, d_hm = d_and_p(mid_minus_low), d_and_p(high_minus_low), d_and_p(high_minus_mid)
    assert (g_ml, g_hl, g_hm) == (F(7, 18), F(11, 19), F(1, 3))
    assert (d_ml, d_hl, d_hm) == (F(6, 7), F(1), F(21, 23))
    w_ml = p["mid"] * s["low"] + p["low"] * s["mid"]
    w_hl = p["high"] * s["low"] + p["low"] * s["high"]
    w_hm = p["high"] * s["mid"] + p["mid"] * s["high"]
    GNB = g_ml * w_ml * d_ml + g_hl * w_hl * d_hl + g_hm * w_hm * d_hm
    GT = g_ml * w_ml * (1 - d_ml) + g_hl * w_hl * (1 - d_hl) + g_hm * w_hm * (1 - d_hm)
    assert (GNB, GT) == (F(55, 217), F(4, 217))
    assert GW + GNB + GT == G

    values = LOW + MID + HIGH
    groups = ["low"] * 2 + ["mid"] * 3 + ["high"] * 2
    result = dagum_gini(values, groups)
    assert result.G == pytest.approx(float(G), abs=1e-15)
    assert result.GW == pytest.approx(float(GW), abs=1e-15)
    assert result.GNB == pytest.approx(float(GNB), abs=1e-15)
    assert result.GT == pytest.approx(float(GT), abs=1e-15)
    assert result.GW_SHARE == pytest.approx(float(100 * GW / G))
    assert result.GNB_SHARE == pytest.approx(float(100 * GNB / G))
    assert result.GT_SHARE == pytest.approx(float(100 * GT / G))

    assert list(result.groups.columns) == ["GROUP", "N", "MEAN", "G_JJ"]
    assert list(result.groups["GROUP"]) == ["low", "mid", "high"]  # by mean
    assert list(result.groups["N"]) == [2, 3, 2]
    np.testing.assert_allclose(result.groups["MEAN"], [2, 4, 7.5])
    np.testing.assert_allclose(result.groups["G_JJ"], [float(g_ll), float(g_mm), float(g_hh)], rtol=1e-14)

    assert list(result.pairs.columns) == ["GROUP_A", "GROUP_B", "G_AB", "D_AB"]
    rows = {(r.GROUP_A, r.GROUP_B): (r.G_AB, r.D_AB) for r in result.pairs.itertuples()}
    assert set(rows) == {
        ("low", "low"), ("mid", "mid"), ("high", "high"),
        ("mid", "low"), ("high", "low"), ("high", "mid"),
    }
    assert np.isnan(rows[("mid", "mid")][1])
    assert rows[("mid", "mid")][0] == pytest.approx(float(g_mm))
    for key, (g_ab, d_ab) in {
        ("mid", "low"): (g_ml, d_ml), ("high", "low"): (g_hl, d_hl), ("high", "mid"): (g_hm, d_hm)
    }.items():
        assert rows[key][0] == pytest.approx(float(g_ab), rel=1e-14)
        assert rows[key][1] == pytest.approx(float(d_ab), rel=1e-14)

    assert gini(values) == pytest.approx(float(G), rel=1e-15)


# ---------------------------------------------------------------------------
# property tests
# ---------------------------------------------------------------------------

@st.composite
def grouped_data(draw, max_groups=6, max_size=40):
    k = draw(st.integers(2, max_groups))
    sizes = draw(st.lists(st.integers(2, max_size), min_size=k, max_size=k))
    integer = draw(st.booleans())
    element = (
        st.integers(0, 50).map(float)
        if integer
        else st.floats(0, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    )
    values = draw(st.lists(element, min_size=sum(sizes), max_size=sum(sizes)))
    if not any(v > 0 for v in values):
        values[0] = 1.0
    groups = [f"g{g}" for g, size in enumerate(sizes) for _ in range(size)]
    order = draw(st.permutations(range(len(values))))
    return [values[i] for i in order], [groups[i] for i in order]


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(grouped_data())
def test_identity_and_naive_agreement(data):
    values, groups = data
    result = dagum_gini(values, groups)
    assert result.G == pytest.approx(result.GW + result.GNB + result.GT, abs=1e-12)
    if result.G > 0:
        assert result.GW_SHARE + result.GNB_SHARE + result.GT_SHARE == pytest.approx(100, abs=1e-9)
    reference = naive_dagum(values, groups)
    for key in ("G", "GW", "GNB", "GT"):
        assert result.__dict__[key] == pytest.approx(reference[key], abs=1e-12)
    for row in result.groups.itertuples():
        np.testing.assert_allclose(row.G_JJ, reference["G_JJ"][row.GROUP], atol=1e-12)
    fast = pair_lookup(result)
    assert set(fast) == set(reference["BETWEEN"])
    for key, (a, b, g_ab, d_ab) in reference["BETWEEN"].items():
        fa, fb, fg, fd = fast[key]
        np.testing.assert_allclose(fg, g_ab, atol=1e-12)
        np.testing.assert_allclose(fd, d_ab, atol=1e-9)
        if np.isfinite(d_ab) and not np.isclose(d_ab, 0, atol=1e-12):
            assert (fa, fb) == (a, b)  # GROUP_A is the group with the larger mean


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 3000), k=st.integers(2, 12))
def test_identity_random_sizes(seed, n, k):
    rng = np.random.default_rng(seed)
    k = min(k, n // 2)
    if k < 2:
        return
    groups = np.concatenate([np.arange(k), np.arange(k), rng.integers(0, k, n - 2 * k)])
    values = rng.lognormal(mean=rng.normal(size=k)[groups], sigma=rng.uniform(0.1, 2))
    result = dagum_gini(values, groups)
    assert result.G == pytest.approx(result.GW + result.GNB + result.GT, abs=1e-12)
    assert result.G == pytest.approx(gini(values), abs=1e-12)


def test_extreme_magnitudes_give_the_unit_scale_result():
    groups = ["a", "a", "b", "b", "b"]
    unit = dagum_gini([0.0, 0.0, 1.0, 0.0, 2.0], groups)
    # subnormal values; values whose sums would overflow
    for tiny, big in ((5e-324, 1e-323), (1e-310, 2e-310), (1e300, 2e300), (0.8e308, 1.6e308)):
        r = dagum_gini([0.0, 0.0, tiny, 0.0, big], groups)
        assert (r.G, r.GW, r.GNB, r.GT) == pytest.approx((unit.G, unit.GW, unit.GNB, unit.GT), rel=1e-12)
        assert gini([0.0, tiny, big]) == pytest.approx(gini([0.0, 1.0, 2.0]), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1e4, allow_nan=False), min_size=1, max_size=60))
def test_plain_gini_matches_naive_and_inequality(values):
    from inequality.gini import Gini

    if not any(v > 0 for v in values):
        values = values + [1.0]
    assert gini(values) == pytest.approx(naive_gini(values), abs=1e-12)
    assert gini(values) == pytest.approx(Gini(np.asarray(values)).g, abs=1e-12)
    groups = ["a", "b"] * (len(values) // 2) + ["a"] * (len(values) % 2)
    if len(values) >= 4:
        assert dagum_gini(values, groups).G == pytest.approx(gini(values), abs=1e-12)


@FAST
@given(
    sizes=st.lists(st.integers(2, 20), min_size=2, max_size=5),
    seed=st.integers(0, 10_000),
)
def test_no_transvariation_when_groups_do_not_overlap(sizes, seed):
    rng = np.random.default_rng(seed)
    values, groups = [], []
    for g, size in enumerate(sizes):
        # group g lives in [10 g, 10 g + 10]: ranges touch at most at a point
        values.extend(10 * g + 10 * rng.random(size))
        groups.extend([g] * size)
    result = dagum_gini(values, groups)
    assert result.GT == pytest.approx(0, abs=1e-14)
    between = result.pairs[result.pairs["GROUP_A"] != result.pairs["GROUP_B"]]
    np.testing.assert_allclose(between["D_AB"], 1.0, atol=1e-13)


@FAST
@given(grouped_data(max_groups=5, max_size=25), st.randoms(use_true_random=False),
       st.floats(1e-3, 1e3))
def test_invariance_to_labels_order_and_scale(data, random, scale):
    values, groups = data
    base = dagum_gini(values, groups)
    names = sorted(set(groups))
    renamed = names[:]
    random.shuffle(renamed)
    mapping = {old: f"x{new}" for old, new in zip(names, renamed)}
    rows = list(range(len(values)))
    random.shuffle(rows)
    other = dagum_gini(
        [values[i] * scale for i in rows], [mapping[groups[i]] for i in rows]
    )
    for key in ("G", "GW", "GNB", "GT"):
        assert getattr(other, key) == pytest.approx(getattr(base, key), abs=1e-12)
    base_pairs = {frozenset(map(mapping.get, key)): v for key, v in pair_lookup(base).items()}
    other_pairs = pair_lookup(other)
    assert set(base_pairs) == set(other_pairs)
    for key, (_, _, g_ab, d_ab) in base_pairs.items():
        np.testing.assert_allclose(other_pairs[key][2], g_ab, atol=1e-12)
        np.testing.assert_allclose(other_pairs[key][3], d_ab, atol=1e-9)


def test_memory_is_linear():
    rng = np.random.default_rng(3)
    n = 200_000
    values = rng.random(n)
    groups = rng.integers(0, 4, n)
    tracemalloc.start()
    dagum_gini(values, groups)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # a single n_j x n_h block would need 50_000^2 * 8 bytes = 20 GB
    assert peak < 60 * n * 8


# ---------------------------------------------------------------------------
# by year
# ---------------------------------------------------------------------------

def panel():
    rng = np.random.default_rng(7)
    rows = []
    for year in (2012, 2011):
        for unit in range(30):
            rows.append({"id": unit, "year": year, "D": rng.random() + 0.05 * unit,
                         "region": ["east", "centre", "west"][unit % 3]})
    return pd.DataFrame(rows)


def test_by_year_tables():
    df = panel()
    before = df.copy()
    output, pairs = dagum_by_year(df, "D", "region", "year")
    pd.testing.assert_frame_equal(df, before)
    assert list(output.columns) == ["YEAR", "G", "GW", "GNB", "GT", "GW_SHARE", "GNB_SHARE", "GT_SHARE", "GINI"]
    assert list(output["YEAR"]) == [2011, 2012]
    assert list(pairs.columns) == ["YEAR", "GROUP_A", "GROUP_B", "G_AB", "D_AB"]
    assert len(pairs) == 2 * (3 + 3)
    for row in output.itertuples():
        year_values = df.loc[df["year"] == row.YEAR, "D"].tolist()
        assert row.GINI == pytest.approx(naive_gini(year_values), abs=1e-12)
        assert row.G == pytest.approx(row.GINI, abs=1e-12)
        assert row.G == pytest.approx(row.GW + row.GNB + row.GT, abs=1e-12)
        reference = naive_dagum(year_values, df.loc[df["year"] == row.YEAR, "region"].tolist())
        assert row.GNB == pytest.approx(reference["GNB"], abs=1e-12)


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------

def test_null_value_names_field_and_year():
    df = panel()
    df.loc[3, "D"] = np.nan
    with pytest.raises(InputError, match=r"'D'.*NULL.*2012|'D'.*2012"):
        dagum_by_year(df, "D", "region", "year")


def test_null_group_names_field():
    df = panel()
    df.loc[40, "region"] = None
    with pytest.raises(InputError, match=r"'region'.*NULL.*2011"):
        dagum_by_year(df, "D", "region", "year")


def test_negative_value():
    with pytest.raises(InputError, match=r"'income'.*negative"):
        dagum_gini([1, -2, 3, 4], ["a", "a", "b", "b"], value_field="income")
    with pytest.raises(InputError, match="negative"):
        gini([1, -1])


def test_all_zero_year_is_refused():
    df = panel()
    df.loc[df["year"] == 2011, "D"] = 0.0
    with pytest.raises(InputError, match=r"'D' is zero for every unit in year 2011"):
        dagum_by_year(df, "D", "region", "year")
    with pytest.raises(InputError, match="undefined"):
        gini([0, 0, 0])


def test_one_member_group_names_group_and_year():
    df = panel()
    df.loc[(df["year"] == 2012) & (df["id"] == 5), "region"] = "island"
    with pytest.raises(InputError, match=r"'island'.*'region'.*single member in year 2012"):
        dagum_by_year(df, "D", "region", "year")
    output, pairs = dagum_by_year(df, "D", "region", "year", allow_singletons=True)
    island = pairs[(pairs["GROUP_A"] == "island") & (pairs["GROUP_B"] == "island")]
    assert island["G_AB"].tolist() == [0.0]
    row = output[output["YEAR"] == 2012].iloc[0]
    assert row.G == pytest.approx(row.GW + row.GNB + row.GT, abs=1e-12)


def test_fewer_than_two_groups():
    with pytest.raises(InputError, match=r"'tier'.*1 group.*at least 2"):
        dagum_gini([1, 2, 3], [0, 0, 0], group_field="tier")


def test_text_values():
    df = panel()
    df["D"] = df["D"].astype(object)
    df.loc[2, "D"] = "n/a"
    with pytest.raises(InputError, match=r"'D' must be numeric.*'n/a'"):
        dagum_by_year(df, "D", "region", "year")


def test_missing_fields():
    df = panel()
    with pytest.raises(InputError, match=r"group field 'province'"):
        dagum_by_year(df, "D", "province", "year")
    with pytest.raises(InputError, match=r"value field 'E'"):
        dagum_by_year(df, "E", "region", "year")


def test_null_year():
    df = panel()
    df["year"] = df["year"].astype(float)
    df.loc[0, "year"] = np.nan
    with pytest.raises(InputError, match=r"'year'.*NULL"):
        dagum_by_year(df, "D", "region", "year")


def test_equal_values_give_zero_and_undefined_shares():
    result = dagum_gini([2, 2, 2, 2], ["a", "a", "b", "b"])
    assert result.G == 0
    assert np.isnan(result.GW_SHARE)
    assert result.notes
    between = result.pairs[result.pairs["GROUP_A"] != result.pairs["GROUP_B"]]
    assert between["G_AB"].tolist() == [0.0]
    assert np.isnan(between["D_AB"]).all()


def test_zero_group_has_undefined_g_jj():
    result = dagum_gini([0, 0, 1, 3], ["z", "z", "b", "b"])
    assert np.isnan(result.groups.set_index("GROUP").loc["z", "G_JJ"])
    assert result.G == pytest.approx(result.GW + result.GNB + result.GT, abs=1e-15)
    assert result.G == pytest.approx(naive_gini([0, 0, 1, 3]))


def test_messages_name_the_unit_and_year_not_the_row():
    df = panel().assign(id=lambda d: "city" + d["id"].astype(str))
    bad = df.copy()
    bad.loc[(bad["year"] == 2011) & (bad["id"] == "city7"), "D"] = -0.5
    with pytest.raises(InputError) as err:
        dagum_by_year(bad, "D", "region", "year", id_field="id")
    message = str(err.value)
    assert "'D'" in message and "year 2011" in message and "unit 'city7'" in message
    assert "row" not in message
    bad = df.copy()
    bad.loc[(bad["year"] == 2012) & (bad["id"] == "city3"), "D"] = np.inf
    with pytest.raises(InputError, match=r"'D' has 1 infinite value\(s\) in year 2012 \(first at unit 'city3'\)"):
        dagum_by_year(bad, "D", "region", "year", id_field="id")
    bad = df.copy()
    bad.loc[(bad["year"] == 2012) & (bad["id"] == "city4"), "region"] = None
    with pytest.raises(InputError, match=r"'region'.*NULL.*2012.*unit 'city4'"):
        dagum_by_year(bad, "D", "region", "year", id_field="id")
    with pytest.raises(InputError, match=r"id field 'code'"):
        dagum_by_year(df, "D", "region", "year", id_field="code")


def test_values_next_to_the_float_maximum_are_valid():
    # finite values are data, however large: the same G as at unit scale
    result = dagum_gini([1.5e308, 0.5e308, 1.0e308, 1.2e308], ["a", "a", "b", "b"])
    unit = dagum_gini([1.5, 0.5, 1.0, 1.2], ["a", "a", "b", "b"])
    assert result.G == pytest.approx(unit.G, rel=1e-12)
    assert unit.G == pytest.approx(naive_gini([1.5, 0.5, 1.0, 1.2]), rel=1e-12)
