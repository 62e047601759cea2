"""Tests for spatial.innovation.persistent_innovation."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from spatial.innovation import persistent_innovation


def coninnov(p_t, p_1, p_2):
    """Independent exact reference: (p_t + p_{t-1}) / (p_{t-1} + p_{t-2}) * (p_t + p_{t-1})."""
    num = Fraction(p_t) + Fraction(p_1)
    return num / (Fraction(p_1) + Fraction(p_2)) * num


def series():
    # unit A, 2010–2016: p = 3, 5, 2, 0, 0, 4, 7
    #   2012: (2 + 5) / (5 + 3) * (2 + 5) = 49 / 8
    #   2013: (0 + 2) / (2 + 5) * (0 + 2) = 4 / 7
    #   2014: (0 + 0) / (0 + 2) * 0       = 0
    #   2015: (4 + 0) / (0 + 0)           -> zero denominator
    #   2016: (7 + 4) / (4 + 0) * (7 + 4) = 121 / 4
    # unit B, 2011, 2012, 2014, 2015 (2013 absent): p = 1, 1, 2, 6
    #   2014, 2015: missing prior year
    return pd.DataFrame(
        {
            "city": ["A"] * 7 + ["B"] * 4,
            "year": [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2011, 2012, 2014, 2015],
            "patents": [3, 5, 2, 0, 0, 4, 7, 1, 1, 2, 6],
        }
    )


EXPECTED = {
    ("A", 2010): (None, "first years"),
    ("A", 2011): (None, "first years"),
    ("A", 2012): (Fraction(49, 8), "ok"),
    ("A", 2013): (Fraction(4, 7), "ok"),
    ("A", 2014): (Fraction(0), "ok"),
    ("A", 2015): (None, "zero denominator"),
    ("A", 2016): (Fraction(121, 4), "ok"),
    ("B", 2011): (None, "first years"),
    ("B", 2012): (None, "first years"),
    ("B", 2014): (None, "missing prior year"),
    ("B", 2015): (None, "missing prior year"),
}


def check(df, out):
    assert list(out.columns) == ["CONINNOV", "CONINNOV_STATUS"]
    assert out.index.equals(df.index)
    assert out["CONINNOV"].dtype == "float64"
    for label, row in df.iterrows():
        value, status = EXPECTED[(row["city"], row["year"])]
        assert out.loc[label, "CONINNOV_STATUS"] == status, (row["city"], row["year"])
        got = out.loc[label, "CONINNOV"]
        if value is None:
            assert np.isnan(got)
        else:
            assert got == pytest.approx(float(value), rel=1e-12)


def test_short_series_by_hand():
    df = series()
    # the reference helper agrees with the hand arithmetic above
    assert coninnov(2, 5, 3) == Fraction(49, 8) and coninnov(7, 4, 0) == Fraction(121, 4)
    before = df.copy()
    out = persistent_innovation(df, "city", "year", "patents")
    pd.testing.assert_frame_equal(df, before)
    check(df, out)


def test_shuffled_rows_use_year_not_order():
    df = series().sample(frac=1.0, random_state=7)
    df.index = [f"r{i}" for i in range(len(df))]
    assert not df["year"].is_monotonic_increasing
    out = persistent_innovation(df, "city", "year", "patents")
    check(df, out)


def test_missing_value():
    df = pd.DataFrame({"id": [1, 1, 1, 1], "year": [1, 2, 3, 4], "p": [1.0, np.nan, 2.0, 3.0]})
    out = persistent_innovation(df, "id", "year", "p")
    # year 3 and 4 each need p_2, which is missing
    assert out["CONINNOV_STATUS"].tolist() == ["first years", "first years", "missing value", "missing value"]
    assert out["CONINNOV"].isna().all()


def test_first_two_observed_years_even_with_gap():
    # unit first observed in 2005 and 2008: both are its first two years
    df = pd.DataFrame({"id": ["x", "x", "x"], "year": [2008, 2005, 2009], "p": [1, 2, 3]})
    out = persistent_innovation(df, "id", "year", "p")
    assert out["CONINNOV_STATUS"].tolist() == ["first years", "first years", "missing prior year"]


def test_negative_count_names_unit_and_year():
    df = series()
    df.loc[8, "patents"] = -3
    with pytest.raises(InputError) as err:
        persistent_innovation(df, "city", "year", "patents")
    msg = str(err.value)
    assert "'patents'" in msg and "unit 'B' year 2012" in msg


def test_bad_keys_and_fields():
    df = series()
    with pytest.raises(InputError, match="'patent_count'"):
        persistent_innovation(df, "city", "year", "patent_count")
    dup = pd.concat([df, df.iloc[[2]]])
    with pytest.raises(InputError, match=r"\('A', 2012\)"):
        persistent_innovation(dup, "city", "year", "patents")
    text = df.astype({"patents": object})
    text.loc[3, "patents"] = "many"
    with pytest.raises(InputError) as err:
        persistent_innovation(text, "city", "year", "patents")
    assert "'many'" in str(err.value) and "unit 'A' year 2013" in str(err.value)


def test_large_counts_scale_and_overflow_is_named():
    # Coninnov is homogeneous of degree 1: counts x 2^k give Coninnov x 2^k exactly
    df = series()
    unit = persistent_innovation(df, "city", "year", "patents")
    big = persistent_innovation(df.assign(patents=df["patents"] * 2.0**1000), "city", "year", "patents")
    ok = (unit["CONINNOV_STATUS"] == "ok").to_numpy()
    np.testing.assert_array_equal(big["CONINNOV"].to_numpy()[ok], unit["CONINNOV"].to_numpy()[ok] * 2.0**1000)
    # p_t + p_{t-1} = 2e308 overflows on its own; Coninnov = 2e308 / 2.7e308 * 2e308 fits
    near = pd.DataFrame({"city": "X", "year": [2010, 2011, 2012], "patents": [1.7e308, 1e308, 1e308]})
    value = persistent_innovation(near, "city", "year", "patents")["CONINNOV"].iloc[2]
    assert value == pytest.approx(float(coninnov(1e308, 1e308, 1.7e308)), rel=1e-15)
    # 121/4 x 2^1021 (A, 2016) is beyond the float range: refused by unit and year, not inf
    with pytest.raises(InputError, match=r"exceeds the float range.* 1 row\(s\): unit 'A' year 2016;"):
        persistent_innovation(df.assign(patents=df["patents"] * 2.0**1021), "city", "year", "patents")


def test_infinite_counts_are_named():
    df = series().astype({"patents": float})
    df.loc[3, "patents"] = np.inf
    with pytest.raises(InputError, match=r"must be finite; 1 infinite value\(s\): unit 'A' year 2013"):
        persistent_innovation(df, "city", "year", "patents")


@pytest.mark.parametrize("years", ["dense", "sparse"])
def test_prior_rows_are_those_a_dictionary_of_unit_years_finds(years):
    """Both lookups (dense unit x year table; MultiIndex over a long span) against a plain dict."""
    from spatial.innovation import _prior_rows

    rng = np.random.default_rng(7)
    pairs = [(u, y) for u in ("a", "b", "c", "d") for y in range(2000, 2012) if rng.random() < 0.7]
    if years == "sparse":
        pairs += [("a", 2_000_000), ("a", 2_000_001), ("b", 1_999_999)]
    order = rng.permutation(len(pairs))
    ids = np.array([pairs[i][0] for i in order], dtype=object)
    yrs = np.array([pairs[i][1] for i in order])
    row = {(u, y): r for r, (u, y) in enumerate(zip(ids, yrs))}
    lag1, lag2, rank = _prior_rows(ids, yrs)
    for r, (u, y) in enumerate(zip(ids, yrs)):
        assert lag1[r] == row.get((u, y - 1), -1)
        assert lag2[r] == row.get((u, y - 2), -1)
        assert rank[r] == sorted(v for k, v in row if k == u).index(y)


def test_statuses_are_shared_strings_not_one_object_per_row():
    df = pd.DataFrame({"U": np.repeat(["a", "b"], 50), "Y": np.tile(np.arange(2000, 2050), 2),
                       "P": np.arange(100.0)})
    status = persistent_innovation(df, "U", "Y", "P")["CONINNOV_STATUS"].to_numpy()
    assert len({id(s) for s in status}) == len(set(status)) == 2  # "first years", "ok"
