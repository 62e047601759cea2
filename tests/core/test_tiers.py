"""Tests for spatial.tiers: tiers, tier counts, group means."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from spatial.tiers import METHODS, fisher_jenks_bins, group_means, quantile_bins, tier_counts, tiers


def panel(n_units=40, years=(2011, 2012, 2013), seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for year in years:
        for unit in range(n_units):
            # three well separated levels plus noise
            level = [0.2, 0.5, 0.8][unit % 3]
            rows.append({
                "id": f"c{unit:02d}", "year": year,
                "D": float(np.clip(level + rng.normal(0, 0.04), 0, 1)),
                "region": ["east", "centre", "west", None][unit % 4],
            })
    return pd.DataFrame(rows)


def assert_ordered(values, labels):
    """Every value of a higher tier is >= every value of a lower tier."""
    values = np.asarray(values)
    labels = np.asarray(labels)
    for t in range(labels.max()):
        assert values[labels == t].max() <= values[labels == t + 1].min()


@pytest.mark.parametrize("method", ["kmeans_year", "kmeans_pooled", "jenks", "quantiles"])
def test_data_driven_tiers_are_ordered_and_deterministic(method):
    df = panel()
    before = df.copy()
    first = tiers(df, "D", "year", method=method, k=3, seed=4)
    second = tiers(df, "D", "year", method=method, k=3, seed=4)
    pd.testing.assert_frame_equal(df, before)
    pd.testing.assert_series_equal(first.tier, second.tier)
    pd.testing.assert_frame_equal(first.thresholds, second.thresholds)
    assert first.tier.name == "TIER"
    assert first.tier.index.equals(df.index)
    assert set(first.tier) == {0, 1, 2}
    assert list(first.thresholds.columns) == ["YEAR", "TIER", "LOWER", "UPPER", "CENTROID"]
    if method == "kmeans_year":
        for year, part in df.groupby("year"):
            assert_ordered(part["D"], first.tier[part.index])
        assert sorted(first.thresholds["YEAR"].unique()) == [2011, 2012, 2013]
    else:
        assert_ordered(df["D"], first.tier)
        assert first.thresholds["YEAR"].isna().all()
        assert list(first.thresholds["TIER"]) == [0, 1, 2]


def test_kmeans_matches_scikit_learn_up_to_relabelling():
    from sklearn.cluster import KMeans

    df = panel()
    part = df[df["year"] == 2012]
    model = KMeans(n_clusters=3, n_init=10, random_state=0).fit(part[["D"]].to_numpy())
    result = tiers(df, "D", "year", method="kmeans_year", k=3, seed=0)
    ours = result.tier[part.index].to_numpy()
    # same partition: the map from sklearn label to tier is a bijection
    pairs = set(zip(model.labels_, ours))
    assert len(pairs) == 3 and len({a for a, _ in pairs}) == 3
    centres = np.sort(model.cluster_centers_.ravel())
    got = result.thresholds[result.thresholds["YEAR"] == 2012]
    np.testing.assert_allclose(got["CENTROID"], centres)
    for row in got.itertuples():
        members = part["D"][ours == row.TIER]
        assert (row.LOWER, row.UPPER) == (members.min(), members.max())


def test_relabelling_handles_unordered_kmeans_labels():
    from sklearn.cluster import KMeans

    df = panel()
    x = df[["D"]].to_numpy()
    unordered_seed = None
    for seed in range(30):
        model = KMeans(n_clusters=3, n_init=1, random_state=seed).fit(x)
        centres = model.cluster_centers_.ravel()
        if list(np.argsort(centres)) != [0, 1, 2]:
            unordered_seed = seed
            break
    assert unordered_seed is not None, "expected some seed to give unordered K-means labels"
    result = tiers(df, "D", "year", method="kmeans_pooled", k=3, seed=unordered_seed, n_init=1)
    assert_ordered(df["D"], result.tier)
    assert list(np.diff(result.thresholds["CENTROID"]) > 0) == [True, True]


def test_fixed_d_classes():
    df = pd.DataFrame({"year": [1] * 6, "D": [0.0, 0.1, 0.15, 0.5, 0.9, 1.0]})
    result = tiers(df, "D", "year", method="fixed")
    assert result.tier.tolist() == [0, 1, 1, 5, 9, 9]  # [a, b), last class closed
    assert len(result.thresholds) == 10
    assert result.thresholds.iloc[0][["LOWER", "UPPER"]].tolist() == [0.0, 0.1]
    custom = tiers(df, "D", None, method="fixed", breaks=[0, 0.3, 0.6, 1])
    assert custom.tier.tolist() == [0, 0, 0, 1, 2, 2]


def test_quantile_tiers_have_equal_counts():
    df = pd.DataFrame({"year": 1, "D": np.arange(12, dtype=float)})
    result = tiers(df, "D", "year", method="quantiles", k=4)
    assert result.tier.value_counts().tolist() == [3, 3, 3, 3]
    assert result.tier.tolist() == [0] * 3 + [1] * 3 + [2] * 3 + [3] * 3


def test_jenks_finds_natural_gaps_and_sampling_is_seeded():
    rng = np.random.default_rng(1)
    values = np.concatenate([rng.uniform(0, 1, 300), rng.uniform(5, 6, 300), rng.uniform(10, 11, 300)])
    df = pd.DataFrame({"year": 1, "D": values})
    exact = tiers(df, "D", "year", method="jenks")
    np.testing.assert_array_equal(exact.tier, np.repeat([0, 1, 2], 300))
    sampled = tiers(df, "D", "year", method="jenks", jenks_sample=200, seed=3)
    np.testing.assert_array_equal(sampled.tier, np.repeat([0, 1, 2], 300))
    again = tiers(df, "D", "year", method="jenks", jenks_sample=200, seed=3)
    pd.testing.assert_frame_equal(sampled.thresholds, again.thresholds)


@pytest.mark.parametrize("n, k, seed", [(30, 2, 0), (120, 3, 1), (300, 4, 2), (200, 5, 3), (7, 7, 4)])
def test_fisher_jenks_matches_mapclassify(n, k, seed):
    import mapclassify

    values = np.random.default_rng(seed).lognormal(size=n)
    np.testing.assert_allclose(fisher_jenks_bins(values, k), mapclassify.FisherJenks(values, k=k).bins)


@pytest.mark.filterwarnings("ignore:Not enough unique values")
@pytest.mark.parametrize("k", [2, 3, 4, 5, 7])
def test_quantile_bins_match_mapclassify(k):
    import mapclassify

    rng = np.random.default_rng(k)
    for values in (rng.random(101), rng.integers(0, 4, 50).astype(float), np.arange(12.0)):
        np.testing.assert_allclose(quantile_bins(values, k), mapclassify.Quantiles(values, k=k).bins)


def test_year_with_too_few_units_names_the_year():
    df = panel()
    df = df[~((df["year"] == 2012) & (df["id"] > "c01"))]  # 2 units left in 2012
    with pytest.raises(InputError, match=r"[Yy]ear 2012.*2 distinct.*k=3"):
        tiers(df, "D", "year", method="kmeans_year", k=3)


def test_too_few_distinct_values_pooled():
    df = pd.DataFrame({"year": [1, 1, 2, 2], "D": [0.1, 0.1, 0.2, 0.2]})
    with pytest.raises(InputError, match=r"'D'.*2 distinct"):
        tiers(df, "D", "year", method="kmeans_pooled", k=3)
    with pytest.raises(InputError, match=r"'D'.*2 distinct"):
        tiers(df, "D", "year", method="jenks", k=3)


def test_unknown_method_lists_methods():
    with pytest.raises(InputError) as error:
        tiers(panel(), "D", "year", method="kmeans")
    for method in METHODS:
        assert method in str(error.value)


def test_bad_values():
    df = panel()
    df.loc[5, "D"] = np.nan
    with pytest.raises(InputError, match=r"'D'.*NULL.*unit 'c05', year 2011"):
        tiers(df, "D", "year", id_field="id")
    df = panel()
    df["D"] = df["D"].astype(object)
    df.loc[7, "D"] = "high"
    with pytest.raises(InputError, match=r"'D' must be numeric.*'high'"):
        tiers(df, "D", "year")
    with pytest.raises(InputError, match=r"value field 'E'"):
        tiers(panel(), "E", "year")
    with pytest.raises(InputError, match=r"outside the class breaks"):
        tiers(pd.DataFrame({"year": [1, 1], "D": [0.5, 1.2]}), "D", "year", method="fixed")
    with pytest.raises(InputError, match=r"strictly increasing"):
        tiers(panel(), "D", "year", method="fixed", breaks=[0, 0.5, 0.5, 1])
    with pytest.raises(InputError, match=r"K .*at least 2"):
        tiers(panel(), "D", "year", k=1)


def test_tier_counts_zero_filled():
    df = pd.DataFrame({
        "year": [2011, 2011, 2011, 2012, 2012],
        "TIER": [0, 0, 2, 1, 1],
    })
    before = df.copy()
    table = tier_counts(df, "TIER", "year")
    pd.testing.assert_frame_equal(df, before)
    assert list(table.columns) == ["YEAR", "TIER", "COUNT"]
    expected = pd.DataFrame({
        "YEAR": [2011, 2011, 2011, 2012, 2012, 2012],
        "TIER": [0, 1, 2, 0, 1, 2],
        "COUNT": [2, 0, 1, 0, 2, 0],
    })
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    wide = tier_counts(df, "TIER", "year", all_tiers=range(4))
    assert len(wide) == 8 and wide["COUNT"].sum() == 5


def test_group_means_table():
    df = pd.DataFrame({
        "year": [2011, 2011, 2011, 2012, 2012, 2012, 2012],
        "D": [0.2, 0.4, 0.9, 0.3, 0.5, 0.7, 0.1],
        "region": ["a", "a", "b", "a", "b", "b", None],
    })
    before = df.copy()
    table = group_means(df, "D", "region", "year")
    pd.testing.assert_frame_equal(df, before)
    assert list(table.columns) == ["GROUP", "2011", "2012", "MEAN"]
    assert list(table["GROUP"]) == ["a", "b", "overall"]
    a, b, overall = (table.iloc[i] for i in range(3))
    assert a["2011"] == pytest.approx(0.3) and a["2012"] == pytest.approx(0.3)
    assert b["2011"] == pytest.approx(0.9) and b["2012"] == pytest.approx(0.6)
    # overall = mean over all units of the year (NULL group included), not mean of group means
    assert overall["2011"] == pytest.approx(1.5 / 3)
    assert overall["2012"] == pytest.approx(1.6 / 4)
    assert overall["MEAN"] == pytest.approx((0.5 + 0.4) / 2)
    assert b["MEAN"] == pytest.approx(0.75)


def test_group_means_bad_input():
    df = pd.DataFrame({"year": [1, 1], "D": [0.1, None], "g": ["a", "b"]})
    with pytest.raises(InputError, match=r"'D'.*NULL"):
        group_means(df, "D", "g", "year")
    with pytest.raises(InputError, match=r"group field 'region'"):
        group_means(df, "D", "region", "year")
