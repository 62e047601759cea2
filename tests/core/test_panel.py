"""Tests for spatial.panel: key checks, numeric conversion, gap filling."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from spatial.panel import (
    GapReport,
    check_complete,
    check_keys,
    fill_gaps,
    missing_years,
    numeric_values,
    require_fields,
)


def small_panel():
    # unit b: 2011, 2013, 2014 (2012 absent), x NaN in 2013
    # unit a: 2011, 2012, 2015 (2013, 2014 absent), x NaN in 2012
    return pd.DataFrame(
        {
            "id": ["b", "b", "b", "a", "a", "a"],
            "year": [2011, 2013, 2014, 2011, 2012, 2015],
            "x": [1.0, np.nan, 4.0, 2.0, np.nan, 8.0],
            "y": [10.0, 30.0, 40.0, 5.0, 6.0, 9.0],
            "region": ["N", "N", "N", "S", "S", "S"],
            "note": ["p", "q", "r", "s", "t", "u"],
        }
    )


# require_fields ------------------------------------------------------------

def test_require_fields_lists_missing_and_available():
    df = small_panel()
    require_fields(df, ["x", "y"])
    with pytest.raises(InputError) as err:
        require_fields(df, ["x", "gdp", "pop"])
    msg = str(err.value)
    assert "'gdp'" in msg and "'pop'" in msg
    assert "available" in msg and "'region'" in msg


# numeric_values --------------------------------------------------------------

def test_numeric_values_converts_to_float_copy():
    df = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "year": [2011, 2011, 2011],
            "i": [1, 2, 3],
            "n": pd.array([1, None, 3], dtype="Int64"),
            "t": ["1.5", " 2 ", ""],
        }
    )
    before = df.copy()
    out = numeric_values(df, ["i", "n", "t"], "id", "year")
    assert list(out.columns) == ["i", "n", "t"]
    assert (out.dtypes == "float64").all()
    assert out["i"].tolist() == [1.0, 2.0, 3.0]
    assert np.isnan(out["n"].iloc[1])
    assert out["t"].iloc[0] == 1.5 and out["t"].iloc[1] == 2.0 and np.isnan(out["t"].iloc[2])
    out.iloc[0, 0] = 99.0
    pd.testing.assert_frame_equal(df, before)


def test_numeric_values_names_field_and_offending_triples():
    df = pd.DataFrame(
        {
            "city": ["A", "B", "C"],
            "yr": [2011, 2012, 2013],
            "gdp": ["1.0", "n/a", "12,5"],
        }
    )
    with pytest.raises(InputError) as err:
        numeric_values(df, ["gdp"], "city", "yr")
    msg = str(err.value)
    assert "'gdp'" in msg
    assert "unit 'B' year 2012: 'n/a'" in msg
    assert "unit 'C' year 2013: '12,5'" in msg
    assert "'A'" not in msg


def test_numeric_values_rejects_booleans():
    df = pd.DataFrame({"id": ["a", "b"], "year": [1, 2], "flag": [True, False]})
    with pytest.raises(InputError, match="'flag'"):
        numeric_values(df, ["flag"], "id", "year")
    mixed = pd.DataFrame({"id": ["a", "b"], "year": [1, 2], "v": pd.Series([1.0, True], dtype=object)})
    with pytest.raises(InputError) as err:
        numeric_values(mixed, ["v"], "id", "year")
    assert "'v'" in str(err.value) and "unit 'b' year 2" in str(err.value)


def test_numeric_values_missing_field():
    with pytest.raises(InputError, match="'nope'"):
        numeric_values(small_panel(), ["nope"], "id", "year")


# check_keys --------------------------------------------------------------------

def test_check_keys_accepts_valid_panel():
    check_keys(small_panel(), "id", "year")
    df = small_panel()
    df["year"] = df["year"].astype(float)  # 2011.0 is a whole year
    check_keys(df, "id", "year")


def test_check_keys_null_id():
    df = small_panel()
    df.loc[2, "id"] = None
    with pytest.raises(InputError) as err:
        check_keys(df, "id", "year")
    assert "'id'" in str(err.value) and "row 2" in str(err.value)


def test_check_keys_null_year():
    df = small_panel()
    df["year"] = df["year"].astype(float)
    df.loc[4, "year"] = np.nan
    with pytest.raises(InputError) as err:
        check_keys(df, "id", "year")
    assert "'year'" in str(err.value) and "unit 'a'" in str(err.value)


def test_check_keys_duplicates_listed_with_count():
    df = pd.DataFrame(
        {
            "id": ["a", "a", "b", "b", "b", "c"],
            "year": [2011, 2011, 2012, 2012, 2012, 2011],
        }
    )
    before = df.copy()
    with pytest.raises(InputError) as err:
        check_keys(df, "id", "year")
    msg = str(err.value)
    assert msg.startswith("2 (unit, year) pair(s)")
    assert "('a', 2011) ×2" in msg and "('b', 2012) ×3" in msg
    assert "'c'" not in msg
    pd.testing.assert_frame_equal(df, before)


def test_check_keys_non_integer_year():
    df = pd.DataFrame({"id": ["a", "b"], "year": [2011.0, 2011.5]})
    with pytest.raises(InputError) as err:
        check_keys(df, "id", "year")
    assert "'year'" in str(err.value) and "unit 'b'" in str(err.value) and "2011.5" in str(err.value)
    text = pd.DataFrame({"id": ["a", "b"], "year": ["2011", "twenty"]})
    with pytest.raises(InputError, match="'twenty'"):
        check_keys(text, "id", "year")


# check_complete ----------------------------------------------------------------

def test_check_complete_names_field_unit_year_and_count():
    df = small_panel()
    with pytest.raises(InputError) as err:
        check_complete(df, ["x", "y"], "id", "year")
    msg = str(err.value)
    assert msg.startswith("2 missing")
    assert "field 'x' unit 'b' year 2013" in msg
    assert "field 'x' unit 'a' year 2012" in msg
    check_complete(df, ["y"], "id", "year")


def test_check_complete_empty_table():
    empty = small_panel().iloc[0:0]
    with pytest.raises(InputError, match="the input has no rows"):
        check_complete(empty, ["x"], "id", "year")


def test_check_complete_lists_first_few_then_count():
    df = pd.DataFrame({"id": list("abcdefgh"), "year": 2011, "x": np.nan})
    with pytest.raises(InputError) as err:
        check_complete(df, ["x"], "id", "year")
    assert "(8 in all)" in str(err.value)



def test_missing_values_point_at_the_interpolation_option_not_a_function():
    with pytest.raises(InputError) as err:
        check_complete(small_panel(), ["x"], "id", "year")
    msg = str(err.value)
    assert "--missing interpolate" in msg and 'systems.NAME.missing = "interpolate"' in msg
    assert "fill_gaps" not in msg and "infinite" not in msg


def test_infinite_values_are_reported_apart_and_large_finite_values_pass():
    df = pd.DataFrame({"id": ["a", "b", "c"], "year": 2011, "x": [1.5e308, -1.5e308, 0.0]})
    check_complete(df, ["x"], "id", "year")  # finite: valid however large
    df.loc[1, "x"] = -np.inf
    with pytest.raises(InputError) as err:
        check_complete(df, ["x"], "id", "year")
    msg = str(err.value)
    assert msg.startswith("1 infinite value(s): field 'x' unit 'b' year 2011")
    assert "missing" not in msg and "interpolate" not in msg


# missing_years -------------------------------------------------------------------

def test_missing_years():
    # panel range 2011–2015
    assert missing_years(small_panel(), "id", "year") == {"a": [2013, 2014], "b": [2012, 2015]}
    balanced = pd.DataFrame({"id": ["a", "a", "b", "b"], "year": [1, 2, 1, 2]})
    assert missing_years(balanced, "id", "year") == {}


# fill_gaps -------------------------------------------------------------------------

def test_fill_gaps_interpolates_over_year_and_reports():
    df = small_panel()
    before = df.copy()
    out, report = fill_gaps(df, "id", "year", ["x", "y"])
    pd.testing.assert_frame_equal(df, before)
    assert isinstance(report, GapReport)
    assert list(out.columns) == list(df.columns)
    assert len(out) == 2 * 5  # 2 units × 2011–2015
    a = out[out["id"] == "a"].set_index("year")
    b = out[out["id"] == "b"].set_index("year")
    # unit a, x: 2011 -> 2, 2015 -> 8; slope (8 - 2) / 4 = 1.5 per year
    assert a["x"].tolist() == [2.0, 3.5, 5.0, 6.5, 8.0]
    # unit a, y: 2012 -> 6, 2015 -> 9; slope 1 per year
    assert a["y"].tolist() == [5.0, 6.0, 7.0, 8.0, 9.0]
    # unit b, x: 2011 -> 1, 2014 -> 4: 2012 -> 2, 2013 -> 3; 2015 trailing, unfilled
    assert b["x"].tolist()[:4] == [1.0, 2.0, 3.0, 4.0] and np.isnan(b.loc[2015, "x"])
    # unit b, y: 2011 -> 10, 2013 -> 30: 2012 -> 20
    assert b.loc[2012, "y"] == 20.0
    # region is constant per unit: carried into added rows; note is not
    assert a["region"].tolist() == ["S"] * 5 and b["region"].tolist() == ["N"] * 5
    assert pd.isna(a.loc[2013, "note"]) and a.loc[2011, "note"] == "s"

    filled = set(map(tuple, report.filled.to_numpy().tolist()))
    assert filled == {
        ("a", 2012, "x"), ("a", 2013, "x"), ("a", 2014, "x"),
        ("a", 2013, "y"), ("a", 2014, "y"),
        ("b", 2012, "x"), ("b", 2013, "x"), ("b", 2012, "y"),
    }
    assert list(report.filled.columns) == ["id", "year", "FIELD"]
    unfilled = set(map(tuple, report.unfilled.to_numpy().tolist()))
    assert unfilled == {("b", 2015, "x"), ("b", 2015, "y")}
    assert report.dropped_units == []
    assert report.added_rows == 4
    text = report.summary()
    assert "8 cell(s)" in text and "unit 'b'" in text and "2015" in text


def test_fill_gaps_leading_gap_stays_missing():
    df = pd.DataFrame({"id": ["a"] * 4, "year": [1, 2, 3, 4], "x": [np.nan, 1.0, np.nan, 5.0]})
    out, report = fill_gaps(df, "id", "year", "x")
    assert np.isnan(out["x"].iloc[0]) and out["x"].iloc[2] == 3.0
    assert report.unfilled.to_numpy().tolist() == [["a", 1, "x"]]


def test_fill_gaps_drops_sparse_units():
    df = small_panel()
    df = pd.concat(
        [df, pd.DataFrame({"id": ["c"] * 5, "year": range(2011, 2016), "x": 1.0, "y": 2.0,
                           "region": "E", "note": "z"})],
        ignore_index=True,
    )
    # cells over 2 fields × 5 years = 10 per unit
    # a: 3 rows, 1 NaN cell + 2 absent rows × 2 = 5 missing -> 0.5
    # b: 3 rows, 1 NaN cell + 2 absent rows × 2 = 5 missing -> 0.5 (2015 counted absent)
    # c: complete -> 0
    out, report = fill_gaps(df, "id", "year", ["x", "y"], max_missing_share=0.5)
    assert report.dropped_units == []
    out, report = fill_gaps(df, "id", "year", ["x", "y"], max_missing_share=0.4)
    assert report.dropped_units == ["a", "b"]
    assert report.dropped_shares == {"a": 0.5, "b": 0.5}
    assert out["id"].unique().tolist() == ["c"]
    assert "Dropped 2 unit(s)" in report.summary()


def test_fill_gaps_all_units_dropped():
    with pytest.raises(InputError, match="every unit"):
        fill_gaps(small_panel(), "id", "year", ["x"], max_missing_share=0.1)


def test_fill_gaps_bad_share_and_duplicates():
    with pytest.raises(InputError, match="max_missing_share"):
        fill_gaps(small_panel(), "id", "year", ["x"], max_missing_share=1.5)
    dup = pd.concat([small_panel(), small_panel().iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError, match=r"\('b', 2011\)"):
        fill_gaps(dup, "id", "year", ["x"])


def test_fill_gaps_no_gaps_summary():
    df = pd.DataFrame({"id": ["a", "a"], "year": [1, 2], "x": [1.0, 2.0]})
    out, report = fill_gaps(df, "id", "year", ["x"])
    assert out["x"].tolist() == [1.0, 2.0]
    assert report.summary().startswith("No gaps")


def test_mistyped_year_is_refused_not_expanded():
    df = pd.DataFrame({"id": ["a", "b"], "year": [2011, 20111], "x": [1.0, 2.0]})
    with pytest.raises(InputError) as err:
        fill_gaps(df, "id", "year", ["x"])
    assert "20111" in str(err.value) and "unit 'b'" in str(err.value)
    with pytest.raises(InputError, match="20111"):
        missing_years(df, "id", "year")
