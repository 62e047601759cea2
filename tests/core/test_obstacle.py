"""Tests for spatial.obstacle: obstacle degree model."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spatial.errors import InputError
from spatial.obstacle import (
    no_deviation_rows,
    obstacle_degree,
    obstacle_summary,
    subsystem_obstacles,
    top_obstacles,
)

WEIGHTS = pd.Series({"gdp": 0.5, "green": 0.3, "patents": 0.2})


def standardised():
    return pd.DataFrame(
        {
            "gdp": [0.5, 1.0, 0.0, 1.0],
            "green": [0.5, 0.0, 1.0, 1.0],
            "patents": [0.0, 1.0, 0.5, 1.0],
        },
        index=["a", "b", "c", "d"],
    )


def test_hand_worked_obstacles():
    x = standardised()
    before = x.copy()
    result = obstacle_degree(x, WEIGHTS)
    pd.testing.assert_frame_equal(x, before)
    assert list(result.columns) == ["O_gdp", "O_green", "O_patents"]
    assert result.index.equals(x.index)
    F = Fraction
    # row a: w I = 1/2*1/2, 3/10*1/2, 1/5*1 -> 1/4, 3/20, 1/5; total 3/5
    row_a = [F(1, 4) / F(3, 5) * 100, F(3, 20) / F(3, 5) * 100, F(1, 5) / F(3, 5) * 100]
    # row b: 0, 3/10*1, 0 -> all obstacle in green
    row_b = [0, 100, 0]
    # row c: 1/2*1, 0, 1/5*1/2 -> 1/2, 0, 1/10; total 3/5
    row_c = [F(1, 2) / F(3, 5) * 100, 0, F(1, 10) / F(3, 5) * 100]
    np.testing.assert_allclose(result.loc["a"], [float(v) for v in row_a], rtol=1e-14)
    np.testing.assert_allclose(result.loc["b"], row_b, atol=1e-12)
    np.testing.assert_allclose(result.loc["c"], [float(v) for v in row_c], rtol=1e-14)


def test_no_deviation_row_is_nan_and_reported():
    x = standardised()
    with np.errstate(all="raise"):  # a division by zero would raise here
        result = obstacle_degree(x, WEIGHTS)
    assert result.loc["d"].isna().all()
    assert list(no_deviation_rows(x, WEIGHTS)) == ["d"]
    # deviation only on a zero-weight indicator is still no weighted deviation
    x2 = pd.DataFrame({"gdp": [1.0], "green": [1.0], "patents": [0.2]})
    weights = pd.Series({"gdp": 0.6, "green": 0.4, "patents": 0.0})
    assert obstacle_degree(x2, weights).isna().all(axis=None)
    assert list(no_deviation_rows(x2, weights)) == [0]


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda m: st.tuples(
            st.lists(st.floats(0.01, 1), min_size=m, max_size=m),
            st.lists(st.lists(st.floats(0, 1), min_size=m, max_size=m), min_size=1, max_size=20),
        )
    )
)
def test_rows_sum_to_100(data):
    raw_weights, rows = data
    columns = [f"x{j}" for j in range(len(raw_weights))]
    weights = pd.Series(raw_weights, index=columns)
    weights = weights / weights.sum()
    x = pd.DataFrame(rows, columns=columns)
    result = obstacle_degree(x, weights)
    defined = ~result.isna().any(axis=1)
    np.testing.assert_allclose(result[defined].sum(axis=1), 100.0, rtol=1e-12)
    assert (result[defined] >= 0).all(axis=None)
    assert list(result.index[~defined]) == list(no_deviation_rows(x, weights))
    # the naive formula, row by row
    for i, row in enumerate(rows):
        total = sum(w * (1 - v) for w, v in zip(weights, row))
        if total > 0:
            expected = [w * (1 - v) / total * 100 for w, v in zip(weights, row)]
            np.testing.assert_allclose(result.iloc[i], expected, rtol=1e-9, atol=1e-9)


def test_bad_weights():
    x = standardised()
    with pytest.raises(InputError, match="sum to 1; they sum to 1.1"):
        obstacle_degree(x, pd.Series({"gdp": 0.6, "green": 0.3, "patents": 0.2}))
    with pytest.raises(InputError, match=r"'green' is negative"):
        obstacle_degree(x, pd.Series({"gdp": 1.1, "green": -0.3, "patents": 0.2}))
    with pytest.raises(InputError, match=r"No weight was given for indicator\(s\) 'patents'"):
        obstacle_degree(x, pd.Series({"gdp": 0.7, "green": 0.3}))
    with pytest.raises(InputError, match=r"'roads'.*not among the indicators"):
        obstacle_degree(x, pd.Series({"gdp": 0.5, "green": 0.3, "patents": 0.2, "roads": 0.0}))
    with pytest.raises(InputError, match=r"'gdp' is missing or not finite"):
        obstacle_degree(x, pd.Series({"gdp": np.nan, "green": 0.5, "patents": 0.5}))
    with pytest.raises(InputError, match=r"sum to 1"):
        no_deviation_rows(x, WEIGHTS * 2)


def test_bad_standardised_values():
    x = standardised()
    x.loc["b", "green"] = 1.01
    with pytest.raises(InputError, match=r"'green'.*1.01.*'b'.*outside \[0, 1\]"):
        obstacle_degree(x, WEIGHTS)
    x = standardised()
    x.loc["c", "gdp"] = np.nan
    with pytest.raises(InputError, match=r"'gdp' has NULL values.*'c'"):
        obstacle_degree(x, WEIGHTS)
    x = standardised().astype({"patents": object})
    x.loc["a", "patents"] = "many"
    with pytest.raises(InputError, match=r"'patents' must be numeric"):
        obstacle_degree(x, WEIGHTS)


def test_subsystem_obstacles():
    result = obstacle_degree(standardised(), WEIGHTS)
    sub = subsystem_obstacles(result, {"economy": ["gdp", "O_patents"], "environment": ["green"]})
    assert list(sub.columns) == ["O_economy", "O_environment"]
    np.testing.assert_allclose(sub["O_economy"], result["O_gdp"] + result["O_patents"])
    np.testing.assert_allclose(sub.iloc[:3].sum(axis=1), 100.0)
    assert sub.loc["d"].isna().all()
    with pytest.raises(InputError, match=r"'roads'.*O_roads"):
        subsystem_obstacles(result, {"economy": ["roads"]})
    with pytest.raises(InputError, match=r"'gdp' is in both subsystem 'a' and 'b'"):
        subsystem_obstacles(result, {"a": ["gdp"], "b": ["gdp"]})


def test_obstacle_summary_layout_and_means():
    obstacles = pd.DataFrame(
        {"O_x": [10.0, 30.0, 50.0, 70.0, 20.0, np.nan], "O_y": [90.0, 70.0, 50.0, 30.0, 80.0, np.nan]},
        index=[10, 11, 12, 13, 14, 15],
    )
    df = pd.DataFrame(
        {"tier": [0, 0, 1, 0, None, 1], "year": [2011, 2011, 2011, 2012, 2012, 2012]},
        index=[10, 11, 12, 13, 14, 15],
    )
    before = df.copy()
    table = obstacle_summary(obstacles, df, "tier", "year")
    pd.testing.assert_frame_equal(df, before)
    assert list(table.columns) == ["GROUP", "YEAR", "O_x", "O_y"]
    assert list(zip(table["GROUP"], table["YEAR"])) == [
        ("0", "2011"), ("0", "2012"), ("0", "average"),
        ("1", "2011"), ("1", "2012"), ("1", "average"),
        ("all", "2011"), ("all", "2012"), ("all", "average"),
    ]
    x = table["O_x"].tolist()
    assert x[0] == pytest.approx(20.0)  # tier 0, 2011: (10 + 30) / 2
    assert x[1] == pytest.approx(70.0)
    assert x[2] == pytest.approx(45.0)  # mean of the yearly means
    assert x[3] == pytest.approx(50.0)
    assert np.isnan(x[4])  # tier 1 in 2012: only a no-deviation unit
    assert x[5] == pytest.approx(50.0)
    assert x[6] == pytest.approx(30.0)  # all, 2011
    assert x[7] == pytest.approx(45.0)  # all, 2012: (70 + 20) / 2, NULL tier included
    assert x[8] == pytest.approx(37.5)
    with pytest.raises(InputError, match=r"'region'"):
        obstacle_summary(obstacles, df, "region", "year")


def test_top_obstacles():
    result = obstacle_degree(standardised(), WEIGHTS)
    top = top_obstacles(result, n=2)
    assert list(top.columns) == ["TOP1", "TOP1_O", "TOP2", "TOP2_O"]
    assert top.loc["a", "TOP1"] == "gdp" and top.loc["a", "TOP2"] == "patents"
    assert top.loc["c", "TOP1"] == "gdp"
    assert top.loc["a", "TOP1_O"] == pytest.approx(result.loc["a", "O_gdp"])
    assert pd.isna(top.loc["d", "TOP1"]) and np.isnan(top.loc["d", "TOP1_O"])
    with pytest.raises(InputError, match="between 1 and 3"):
        top_obstacles(result, n=4)
