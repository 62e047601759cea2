"""Tests for spatial.entropy: standardisation, entropy weights, composite index."""

from math import isclose, log

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spatial.entropy import (
    EntropyIndex,
    composite_index,
    entropy_index,
    entropy_weights,
    standardized,
)
from spatial.errors import InputError


# standardized ---------------------------------------------------------------------

def test_standardized_positive_negative_by_hand():
    df = pd.DataFrame({"x": [10, 20, 30], "y": [5, 5, 9], "z": [0, 1, 2]}, index=[7, 8, 9])
    before = df.copy()
    out = standardized(df, ["x"], ["y"])
    pd.testing.assert_frame_equal(df, before)
    assert list(out.columns) == ["x", "y"]
    assert list(out.index) == [7, 8, 9]
    # x: (x - 10) / 20; y negative: (9 - y) / 4
    assert out["x"].tolist() == [0.0, 0.5, 1.0]
    assert out["y"].tolist() == [1.0, 1.0, 0.0]
    shifted = standardized(df, ["x"], ["y"], shift=0.01)
    assert np.allclose(shifted["x"], [0.01, 0.51, 1.01])


def test_standardized_order_is_positive_then_negative():
    df = pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": [5, 7]})
    assert list(standardized(df, ["c", "a"], ["b"]).columns) == ["c", "a", "b"]
    assert list(standardized(df, [], ["b"]).columns) == ["b"]


def test_standardized_by_group():
    df = pd.DataFrame({"year": [1, 1, 2, 2, 2], "x": [0, 4, 10, 20, 15]})
    out = standardized(df, "x", by="year")
    # year 1: min 0 max 4; year 2: min 10 max 20
    assert out["x"].tolist() == [0.0, 1.0, 0.0, 1.0, 0.5]


def test_standardized_constant_field_named():
    df = pd.DataFrame({"x": [1, 2, 3], "flat": [4.0, 4.0, 4.0]})
    with pytest.raises(InputError) as err:
        standardized(df, ["x", "flat"])
    assert "'flat'" in str(err.value) and "constant" in str(err.value)


def test_standardized_constant_within_year_names_year():
    df = pd.DataFrame({"year": [2011, 2011, 2012, 2012], "x": [1, 2, 3, 3]})
    with pytest.raises(InputError) as err:
        standardized(df, ["x"], by="year")
    msg = str(err.value)
    assert "'x'" in msg and "2012" in msg and "2011" not in msg


def test_standardized_both_directions_rejected():
    df = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    with pytest.raises(InputError) as err:
        standardized(df, ["x", "y"], ["y"])
    assert "'y'" in str(err.value) and "both" in str(err.value)


def test_standardized_missing_value_and_text_named():
    df = pd.DataFrame({"x": [1.0, np.nan, 3.0]}, index=["p", "q", "r"])
    with pytest.raises(InputError) as err:
        standardized(df, ["x"])
    assert "'x'" in str(err.value) and "row 'q'" in str(err.value)
    assert "--missing interpolate" in str(err.value) and "fill_gaps" not in str(err.value)
    with pytest.raises(InputError, match=r"'x' has 1 infinite value\(s\): row 'r'"):
        standardized(df.fillna(2.0).replace(3.0, np.inf), ["x"])
    text = pd.DataFrame({"x": ["1", "oops"]})
    with pytest.raises(InputError, match="'oops'"):
        standardized(text, ["x"])
    with pytest.raises(InputError, match="'absent'"):
        standardized(df, ["absent"])
    with pytest.raises(InputError, match="shift"):
        standardized(pd.DataFrame({"x": [1, 2]}), ["x"], shift=-0.1)


# entropy_weights ------------------------------------------------------------------

def test_entropy_weights_three_units_by_hand():
    # x1 = (0, 0.5, 1): p = (0, 1/3, 2/3)
    #   e1 = -(1/ln 3) (1/3 ln 1/3 + 2/3 ln 2/3) = 1 - (2/3) ln 2 / ln 3
    # x2 = (1, 1, 0): p = (1/2, 1/2, 0)
    #   e2 = -(1/ln 3) ln(1/2) = ln 2 / ln 3
    # d1 = (2/3) ln 2 / ln 3, d2 = 1 - ln 2 / ln 3
    # w1 = d1 / (d1 + d2) = (2/3 ln 2) / (ln 3 - 1/3 ln 2)
    x = pd.DataFrame({"x1": [0.0, 0.5, 1.0], "x2": [1.0, 1.0, 0.0]})
    before = x.copy()
    out = entropy_weights(x)
    pd.testing.assert_frame_equal(x, before)
    assert out.index.name == "INDICATOR"
    assert list(out.index) == ["x1", "x2"]
    assert list(out.columns) == ["E", "D", "W"]
    e1 = 1 - (2 / 3) * log(2) / log(3)
    e2 = log(2) / log(3)
    w1 = (2 / 3 * log(2)) / (log(3) - log(2) / 3)
    assert isclose(out.loc["x1", "E"], e1, rel_tol=1e-12)
    assert isclose(out.loc["x2", "E"], e2, rel_tol=1e-12)
    assert isclose(out.loc["x1", "D"], 1 - e1, rel_tol=1e-12)
    assert isclose(out.loc["x1", "W"], w1, rel_tol=1e-12)
    assert isclose(out.loc["x2", "W"], 1 - w1, rel_tol=1e-12)


def test_entropy_weights_panel_uses_k_one_over_ln_rn():
    # A panel pooled over r = 3 years and n = 2 units: 6 rows.
    r, n = 3, 2
    x = pd.DataFrame({"a": [1.0, 1.0, 1.0, 1.0, 1.0, 2.0], "b": [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]})
    out = entropy_weights(x)
    # a: p = (1/7, 1/7, 1/7, 1/7, 1/7, 2/7); H = -sum p ln p = 5/7 ln 7 + 2/7 ln(7/2)
    H = 5 / 7 * log(7) + 2 / 7 * log(7 / 2)
    assert isclose(out.loc["a", "E"], H / log(r * n), rel_tol=1e-12)
    assert (out["E"] <= 1).all()
    # b: a single non-zero value: p = (0, ..., 0, 1), H = 0, e = 0
    assert out.loc["b", "E"] == 0.0
    # The common mistake: pooling the rows but keeping k = 1/ln r.
    assert H / log(r) > 1


def test_entropy_weights_on_a_real_sized_panel_k_is_rows():
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.uniform(0, 1, size=(13 * 40, 3)), columns=["a", "b", "c"])
    out = entropy_weights(x)
    p = x / x.sum()
    expected = -(p * np.log(p)).sum() / log(13 * 40)
    assert np.allclose(out["E"], expected, rtol=1e-12)
    assert (out["E"] <= 1).all() and isclose(out["W"].sum(), 1.0, rel_tol=1e-12)


def test_entropy_weights_bad_inputs():
    with pytest.raises(InputError, match="at least 2 rows"):
        entropy_weights(pd.DataFrame({"a": [1.0]}))
    with pytest.raises(InputError) as err:
        entropy_weights(pd.DataFrame({"a": [1.0, 2.0], "neg": [0.5, -0.1]}))
    assert "'neg'" in str(err.value) and "-0.1" in str(err.value)
    with pytest.raises(InputError) as err:
        entropy_weights(pd.DataFrame({"a": [1.0, 2.0], "zero": [0.0, 0.0]}))
    assert "'zero'" in str(err.value) and "sum to 0" in str(err.value)
    with pytest.raises(InputError, match="no indicator discriminates"):
        entropy_weights(pd.DataFrame({"a": [1.0, 1.0, 1.0], "b": [0.2, 0.2, 0.2]}))
    with pytest.raises(InputError, match="'a'"):
        entropy_weights(pd.DataFrame({"a": [1.0, np.nan, 2.0]}))


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 30), st.integers(1, 5)),
              elements=st.floats(0.001, 1.0)))
def test_entropy_weights_properties(values):
    x = pd.DataFrame(values)
    try:
        out = entropy_weights(x)
    except InputError:
        return  # every column even: no indicator discriminates
    assert ((out["E"] >= -1e-12) & (out["E"] <= 1)).all()
    assert (out["W"] >= 0).all() and isclose(out["W"].sum(), 1.0, rel_tol=1e-9)


# composite_index --------------------------------------------------------------------

def test_composite_index_weighted_sum():
    x = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [1.0, 1.0, 0.0], "extra": [9, 9, 9]}, index=[3, 4, 5])
    w = pd.Series({"a": 0.25, "b": 0.75})
    out = composite_index(x, w)
    assert out.name == "INDEX" and list(out.index) == [3, 4, 5]
    # 0.25 a + 0.75 b
    assert out.tolist() == [0.75, 0.875, 0.25]
    table = entropy_weights(x[["a", "b"]])
    assert np.allclose(composite_index(x, table), x[["a", "b"]].to_numpy() @ table["W"].to_numpy())
    with pytest.raises(InputError, match="'c'"):
        composite_index(x, pd.Series({"a": 0.5, "c": 0.5}))


# entropy_index ---------------------------------------------------------------------------

def test_entropy_index_panel_matches_hand_example():
    # raw values that standardise to the hand example above: x positive, y negative
    df = pd.DataFrame({"x": [10, 20, 30], "y": [5, 5, 9], "name": ["p", "q", "r"]})
    before = df.copy()
    res = entropy_index(df, ["x"], ["y"])
    pd.testing.assert_frame_equal(df, before)
    assert isinstance(res, EntropyIndex)
    assert list(res.weights.columns) == ["INDICATOR", "E", "D", "W"]
    w1 = (2 / 3 * log(2)) / (log(3) - log(2) / 3)
    assert isclose(res.weights["W"].iloc[0], w1, rel_tol=1e-12)
    # INDEX = w1 * (0, 0.5, 1) + (1 - w1) * (1, 1, 0)
    expected = [1 - w1, 0.5 * w1 + (1 - w1), w1]
    assert np.allclose(res.index.to_numpy(), expected, rtol=1e-12)
    assert res.index.name == "INDEX"
    assert list(res.standardized.columns) == ["x", "y"]


def test_entropy_index_per_year():
    df = pd.DataFrame(
        {
            "year": [2012, 2011, 2012, 2011, 2011, 2012],
            "x": [0, 10, 4, 20, 30, 8],
            "y": [1, 5, 1, 5, 9, 2],
        },
        index=list("uvwxyz"),
    )
    res = entropy_index(df, ["x"], ["y"], year_field="year", scope="year")
    assert list(res.weights.columns) == ["YEAR", "INDICATOR", "E", "D", "W"]
    assert res.weights["YEAR"].tolist() == [2011, 2011, 2012, 2012]
    # 2011 rows v, x, y are the hand example (x: 10, 20, 30; y: 5, 5, 9)
    w1 = (2 / 3 * log(2)) / (log(3) - log(2) / 3)
    assert isclose(res.weights["W"].iloc[0], w1, rel_tol=1e-12)
    assert np.allclose(res.index.loc[["v", "x", "y"]], [1 - w1, 0.5 * w1 + 1 - w1, w1])
    # 2012 rows u, w, z: x standardised (0, 0.5, 1); y negative (2 - y)/1 = (1, 1, 0): same example
    assert np.allclose(res.index.loc[["u", "w", "z"]], [1 - w1, 0.5 * w1 + 1 - w1, w1])
    assert list(res.index.index) == list(df.index)
    for sums in res.weights.groupby("YEAR")["W"].sum():
        assert isclose(sums, 1.0)


def test_entropy_index_bad_inputs():
    df = pd.DataFrame({"year": [2011, 2011, 2012], "x": [1, 2, 3], "y": [3, 1, 2]})
    with pytest.raises(InputError) as err:
        entropy_index(df, ["x"], year_field="year", scope="year")
    assert "2012" in str(err.value) and "single row" in str(err.value)
    with pytest.raises(InputError) as err:
        entropy_index(df, ["x"], scope="decade")
    assert "'decade'" in str(err.value) and "'panel'" in str(err.value) and "'year'" in str(err.value)
    with pytest.raises(InputError, match="year field"):
        entropy_index(df, ["x"], scope="year")
    with pytest.raises(InputError, match="'x'"):
        entropy_index(df, ["x"], ["x"])


def test_the_index_is_of_the_unshifted_values_and_stays_in_zero_one():
    """A unit that leads on every indicator: with the shift in the index it
    would be 1 + shift and coupling coordination would refuse it. The weights
    are those of the shifted values (p_ij, logs); the index is sum w x'."""
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [10.0, 30.0, 20.0, 40.0], "c": [5.0, 1.0, 2.0, 0.5]})
    result = entropy_index(df, ["a", "b"], ["c"], shift=0.01)
    x = np.column_stack([(df.a - 1) / 3, (df.b - 10) / 30, (5 - df.c) / 4.5])
    p = (x + 0.01) / (x + 0.01).sum(axis=0)
    d = 1 + (p * np.log(p)).sum(axis=0) / np.log(4)
    w = d / d.sum()
    np.testing.assert_allclose(result.weights["W"], w, rtol=1e-12)
    np.testing.assert_allclose(result.index, x @ w, rtol=1e-12, atol=1e-15)
    assert result.index.iloc[3] == pytest.approx(1.0, abs=1e-15) and result.index.iloc[3] <= 1.0
    assert result.index.min() >= 0.0
