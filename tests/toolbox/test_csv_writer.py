"""toolbox.csv_writer.write_csv writes the bytes pandas' own ``to_csv(index=False)`` writes.

The reference is pandas itself (and NumPy's float text for the float
formatting): every test writes the same table both ways and compares bytes.
"""

import numpy as np
import pandas as pd
import pytest

from toolbox import csv_writer
from toolbox.csv_writer import write_csv

pytest.importorskip("pyarrow")


@pytest.fixture(autouse=True)
def every_table_formatted_by_the_writer(monkeypatch):
    """Small tables are left to pandas: the tests' tables take the writer's own path."""
    monkeypatch.setattr(csv_writer, "SMALL_FIELDS", 0)

AWKWARD_FLOATS = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.0, 2011.0, 1e16, 1e-05, 0.1 + 0.2, 1e10,
                  1.5e-7, 1e-4, 9.999999999999999e-05, 9999999999999998.0, 1e15, 123456789012.25,
                  5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e22, 1e-6, 2.5e-6,
                  123456.789, 1 / 3, -7.25e-9]
TEXT = ["plain", "with, comma", 'with "quotes"', "line\nbreak", "carriage\rreturn", "tab\there",
        "中文 城市", "émoji 🚀", "", None, np.nan, " leading space", '"', ",", "a,\"b\"\n"]


def pandas_bytes(table, tmp_path, sep=","):
    path = tmp_path / "pandas.csv"
    table.to_csv(path, sep=sep, index=False)
    return path.read_bytes()


def our_bytes(table, tmp_path, sep=","):
    path = tmp_path / "ours.csv"
    write_csv(table, str(path), sep=sep)
    return path.read_bytes()


def awkward_table(rows=60):
    """Every awkward value, cycled to ``rows`` rows, in every column kind the writer formats itself."""
    def cycle(values):
        return [values[i % len(values)] for i in range(rows)]

    floats = cycle(AWKWARD_FLOATS)
    text = cycle(TEXT)
    return pd.DataFrame({
        "floats": np.array(floats, dtype=np.float64),
        "whole floats": np.arange(rows, dtype=np.float64) - 3,
        "float32": np.array([v if abs(v) < 1e30 else 1.5 for v in floats], dtype=np.float32),
        "ints": np.arange(rows, dtype=np.int64) * -123456789,
        "small ints": np.arange(rows, dtype=np.uint8),
        "flags": np.arange(rows) % 3 == 0,
        "text": np.array(text, dtype=object),
        "mixed objects": cycle([1, 1.0, True, "x", None, np.float64(0.5), 2.5, "1", np.nan, -0.0]),
        "category": pd.Categorical(cycle(["low", "mid, high", None, "低"])),
        "int category": pd.Categorical(cycle([3, 1, 2])),
        "float category": pd.Categorical(cycle([0.1 + 0.2, 1e-05, np.nan, 2.0])),
        "string": pd.array(cycle(["a", None, "b,c", "d\"e"]), dtype="string"),
        "nullable ints": pd.array(cycle([1, None, -5]), dtype="Int64"),
        "nullable flags": pd.array(cycle([True, None, False]), dtype="boolean"),
        'name, "quoted"': 1.5,
        "名称": "值",
    })


def test_awkward_values_are_written_as_pandas_writes_them(tmp_path):
    table = awkward_table()
    assert our_bytes(table, tmp_path) == pandas_bytes(table, tmp_path)


def test_tab_separated_and_many_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_writer, "CHUNK_FIELDS", 50)
    table = awkward_table(rows=97)
    assert our_bytes(table, tmp_path, sep="\t") == pandas_bytes(table, tmp_path, sep="\t")
    assert our_bytes(table, tmp_path) == pandas_bytes(table, tmp_path)


def test_default_text_columns_of_pandas(tmp_path):
    """Text read or built without a dtype (``str`` in pandas 3, object before)."""
    table = pd.DataFrame({"id": ["a", "b", None, "c,d"] * 5, "x": np.linspace(0, 1, 20)})
    assert our_bytes(table, tmp_path) == pandas_bytes(table, tmp_path)


@pytest.mark.parametrize("values", [[np.nan, 1.5, np.nan], ["", "a", None], [None, None, None]])
def test_one_column_writes_an_empty_record_as_quotes(tmp_path, values):
    table = pd.DataFrame({"only": values})
    data = our_bytes(table, tmp_path)
    assert data == pandas_bytes(table, tmp_path)
    assert b'""' in data


def test_no_rows_and_unnamed_single_column(tmp_path):
    for table in (awkward_table().iloc[:0], pd.DataFrame({"": [1.0, np.nan]})):
        assert our_bytes(table, tmp_path) == pandas_bytes(table, tmp_path)


def test_kinds_left_to_pandas_are_still_identical(tmp_path):
    table = pd.DataFrame({"when": pd.to_datetime(["2020-01-01 00:00", None, "2021-06-30 12:00"]),
                          "x": [1.0, 2.0, 3.0]})
    assert csv_writer._formatters(table, ",") is None
    assert csv_writer._formatters(table[["x"]], ",") is not None
    assert our_bytes(table, tmp_path) == pandas_bytes(table, tmp_path)
    numbered = pd.DataFrame({0: [1.5], 1: ["a"]})
    assert our_bytes(numbered, tmp_path) == pandas_bytes(numbered, tmp_path)


def test_without_arrow_floats_or_arrow(tmp_path, monkeypatch):
    table = awkward_table()
    expected = pandas_bytes(table, tmp_path)
    monkeypatch.setattr(csv_writer, "_arrow_floats_exact", False)
    assert our_bytes(table, tmp_path) == expected
    monkeypatch.setattr(csv_writer, "_arrow", lambda: None)
    assert our_bytes(table, tmp_path) == expected


def test_float_text_equals_numpy_on_random_doubles():
    """Random bit patterns (every exponent, subnormals, both signs) and values
    around every power of ten: NumPy's shortest text, which pandas writes."""
    rng = np.random.default_rng(7)
    bits = rng.integers(0, 2 ** 64 - 1, 100_000, dtype=np.uint64, endpoint=True)
    random = bits.view(np.float64)
    decades = 10.0 ** rng.uniform(-12, 20, 50_000) * rng.choice([-1, 1], 50_000)
    rounded = np.round(decades, 3)
    for values in (random, decades, rounded):
        expected = np.where(np.isnan(values), "", values.astype(str)).tolist()
        assert csv_writer._float_text(values).to_pylist() == expected


def test_the_input_table_is_unchanged(tmp_path):
    table = awkward_table()
    before = table.copy(deep=True)
    our_bytes(table, tmp_path)
    pd.testing.assert_frame_equal(table, before)


def test_a_chunk_too_large_for_one_arrow_array_is_written_in_halves(tmp_path, monkeypatch):
    import pyarrow as pa

    table = awkward_table(rows=40)
    expected = pandas_bytes(table, tmp_path)
    formatters = csv_writer._formatters

    def overflowing(table, sep):
        def too_large(formatter):
            def format(rows):
                if rows.stop - rows.start > 7:
                    raise pa.lib.ArrowCapacityError("array cannot contain more than 2147483646 bytes")
                return formatter(rows)
            return format
        return [too_large(formatter) for formatter in formatters(table, sep)]

    monkeypatch.setattr(csv_writer, "_formatters", overflowing)
    assert our_bytes(table, tmp_path) == expected
