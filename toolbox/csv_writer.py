"""Large tables written as CSV quickly, byte for byte as pandas writes them.

:func:`write_csv` writes exactly the bytes of ``table.to_csv(path, sep=sep,
index=False)`` (pandas' defaults: UTF-8, ``os.linesep`` line ends, minimal
quoting with ``"`` doubled, missing values as empty fields), but formats the
columns with Arrow compute kernels instead of one Python object per value:
a study's ``results.csv`` of 40,000 cells × 13 years (520,000 rows × 55
fields) took pandas 30–46 s, nearly all of it turning 20 million floats into
text (NumPy's Dragon4, then the ``csv`` module).

What pandas writes, column by column (``pandas.core.indexes.base.get_values_for_csv``
and the ``csv`` module it hands the values to):

- float64: NumPy's ``astype(str)``, the shortest text that reads back as the
  same number, as Python's ``repr`` (``1.0``, ``1e-05``, ``0.30000000000000004``,
  ``1e+16``, ``inf``, ``-0.0``); NaN as an empty field. Arrow's cast to text
  gives the same shortest digits in another layout (``1``, ``0.00001``,
  ``1e+10``, ``1.5e-7``; positional for decimal exponents −6…9, Python's
  −4…15), which is fixed here: ``.0`` appended to positional numbers without
  a point, one-digit exponents padded (``e-07``), and the few numbers whose
  layouts differ (exponents −6, −5 and 10…15) formatted by ``repr``. Before
  the first use, the fixed Arrow text is compared with ``repr`` on doubles
  around every power of ten; where an Arrow version differs, every float is
  formatted by NumPy, as pandas does;
- other floats (float32, float16): NumPy's ``astype(str)``, as pandas;
- integers: decimal digits; bool: ``True``/``False``; nullable integers and
  booleans: the same, missing as empty;
- text, objects and categories: ``str`` of each value, as the ``csv`` module
  writes it, missing (None, NaN, NA, NaT) as empty; a field
  holding the separator, a quote or a line break is quoted by the ``csv``
  module itself, so its rules (which differ between Python versions) are
  those of the running Python;
- a table of one column writes an empty field as ``""`` (the ``csv`` module's
  rule for an empty record).

Chunks of rows are formatted in :data:`THREADS` threads and written in
order. Tables of fewer than :data:`SMALL_FIELDS` fields, tables with
anything else (dates, periods, intervals, nullable floats, column labels
that are not all text, a MultiIndex), other separators or a compressed path,
and every table where pyarrow is not installed, are written by pandas itself.
Identity with pandas is tested on a table of every awkward value
(tests/toolbox/test_csv_writer.py).
"""

import csv
import io
import os
import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List, Optional

import numpy as np
import pandas as pd

__all__ = ["write_csv"]

#: Fields formatted and written at a time (~15 MB of text at 15 bytes a field).
CHUNK_FIELDS = 1_000_000
#: Chunks formatted at once, in threads (Arrow's kernels release the GIL), written in order.
THREADS = min(2, os.cpu_count() or 1)
#: Tables of fewer fields are written by pandas (no gain worth importing pyarrow).
SMALL_FIELDS = 50_000
#: Separators the fast path takes; others go to pandas.
SEPARATORS = (",", "\t")
#: Path endings pandas would compress (``compression="infer"``): written by pandas.
COMPRESSED = (".gz", ".bz2", ".zip", ".xz", ".zst", ".tar")
#: Magnitudes outside [1e-4, 1e16) are written in scientific notation by ``repr``
#: (exact for doubles: a double at or above ``1e-4``'s double has a shortest text
#: of at least 0.0001).
REPR_POSITIONAL = (1e-4, 1e16)
#: Magnitudes Arrow writes positionally (double-conversion's shortest mode as Arrow sets it).
ARROW_POSITIONAL = (1e-6, 1e10)


def _probe() -> np.ndarray:
    """Doubles at, beside and between every power of ten from 1e-12 to 1e25 and
    the extremes: where Arrow's and Python's layouts could part."""
    powers = 10.0 ** np.arange(-12, 26)
    between = np.outer(powers, [1.0, 1.5, 9.5, 1.2345678901234567, 3.0000000000000004]).ravel()
    edges = np.concatenate([np.nextafter(powers, 0), np.nextafter(powers, np.inf)])
    extremes = [0.0, 0.1 + 0.2, 1 / 3, 2011.0, 12345678901.5, 9999999999999998.0, 5e-324,
                2.2250738585072014e-308, 1.7976931348623157e308, 1e100, 1e-100, np.inf, np.nan]
    values = np.concatenate([between, edges, extremes])
    return np.concatenate([values, -values])


_arrow_floats_exact: Optional[bool] = None


def _arrow():
    try:
        import pyarrow
        import pyarrow.compute
    except ImportError:
        return None
    return pyarrow


def write_csv(table: pd.DataFrame, path: str, sep: str = ",") -> None:
    """Write ``table`` to the file ``path`` as ``table.to_csv(path, sep=sep,
    index=False)`` does, byte for byte (see the module's note for how)."""
    pa = _arrow() if table.size >= SMALL_FIELDS else None
    formatters = _formatters(table, sep) if pa is not None and _fast_path(table, path, sep) else None
    if formatters is None:
        table.to_csv(path, sep=sep, index=False)
        return
    line_end = os.linesep

    def lines(rows: slice) -> list:
        """The text of ``rows`` as Arrow string arrays (in halves where one would pass 2 GB)."""
        try:
            fields = [formatter(rows) for formatter in formatters]
            if len(fields) == 1:
                fields = [pa.compute.if_else(pa.compute.equal(fields[0], ""), '""', fields[0])]
            fields[-1] = pa.compute.binary_join_element_wise(fields[-1], "", line_end)
            return [pa.compute.binary_join_element_wise(*fields, sep) if len(fields) > 1 else fields[-1]]
        except pa.lib.ArrowCapacityError:
            if rows.stop - rows.start < 2:
                raise
            middle = (rows.start + rows.stop) // 2
            return lines(slice(rows.start, middle)) + lines(slice(middle, rows.stop))

    chunk = max(1, CHUNK_FIELDS // len(formatters))
    with open(path, "wb") as handle, ThreadPoolExecutor(THREADS) as pool:
        header = io.StringIO()
        csv.writer(header, delimiter=sep, lineterminator=line_end).writerow(list(table.columns))
        handle.write(header.getvalue().encode("utf-8"))
        pending = deque()
        for start in range(0, len(table), chunk):
            pending.append(pool.submit(lines, slice(start, min(start + chunk, len(table)))))
            if len(pending) > THREADS:
                _write_lines(handle, pending.popleft().result())
        while pending:
            _write_lines(handle, pending.popleft().result())


def _fast_path(table, path, sep) -> bool:
    return (sep in SEPARATORS and isinstance(path, (str, os.PathLike))
            and not str(path).lower().endswith(COMPRESSED)
            and isinstance(table, pd.DataFrame) and not isinstance(table.columns, pd.MultiIndex)
            and len(table.columns) > 0 and all(isinstance(name, str) for name in table.columns))


def _write_lines(handle, arrays) -> None:
    for strings in arrays:
        handle.write(_text_bytes(strings))


def _text_bytes(strings) -> memoryview:
    """The UTF-8 bytes of an Arrow (large) string array without nulls, end to end."""
    import pyarrow as pa

    width = np.int64 if pa.types.is_large_string(strings.type) else np.int32
    offsets = np.frombuffer(strings.buffers()[1], dtype=width)
    offsets = offsets[strings.offset:strings.offset + len(strings) + 1]
    return memoryview(strings.buffers()[2])[offsets[0]:offsets[-1]]


# ----------------------------------------------------------------------------
# columns
# ----------------------------------------------------------------------------


def _formatters(table: pd.DataFrame, sep: str) -> Optional[List[Callable]]:
    """For each column a function of a row slice giving its fields as an Arrow
    string array, or None when a column is of a kind left to pandas."""
    formatters = []
    for position in range(table.shape[1]):
        formatter = _formatter(table.iloc[:, position], sep)
        if formatter is None:
            return None
        formatters.append(formatter)
    return formatters


def _formatter(column: pd.Series, sep: str) -> Optional[Callable]:
    import pyarrow as pa

    dtype = column.dtype
    if isinstance(dtype, np.dtype):
        values = column.to_numpy()
        if dtype == np.float64:
            return lambda rows: _float_text(values[rows])
        if dtype.kind == "f":
            return lambda rows: _numpy_float_text(values[rows])
        if dtype.kind in "iu":
            return lambda rows: pa.compute.cast(pa.array(values[rows]), pa.string())
        if dtype.kind == "b":
            return lambda rows: pa.compute.if_else(pa.array(values[rows]), "True", "False")
        if dtype == object:
            return _text_formatter(column, sep)
        return None
    if isinstance(dtype, pd.CategoricalDtype):
        if dtype.categories.dtype.kind in "mM" or isinstance(dtype.categories.dtype, pd.PeriodDtype):
            return None
        return _labels_formatter(column.cat.codes.to_numpy(), dtype.categories.to_numpy(dtype=object), sep)
    if isinstance(dtype, pd.StringDtype):
        return _text_formatter(column, sep)
    if isinstance(dtype, (pd.BooleanDtype,)) or (dtype.kind in "iu" and hasattr(column.array, "_mask")):
        array = column.array
        if dtype.kind == "b":
            return lambda rows: pa.compute.fill_null(
                pa.compute.if_else(pa.array(array[rows]), "True", "False"), "")
        return lambda rows: pa.compute.fill_null(pa.compute.cast(pa.array(array[rows]), pa.string()), "")
    return None


def _labels_formatter(codes: np.ndarray, labels: np.ndarray, sep: str) -> Callable:
    """Fields of values given as codes into ``labels`` (-1 missing): each label
    formatted once."""
    import pyarrow as pa

    text = _quoted(pa.array(_python_text(labels) + [""], type=pa.string()), sep)
    codes = codes.astype(np.int8 if len(text) < 2 ** 7 else np.int16 if len(text) < 2 ** 15 else np.int32)
    codes[codes < 0] = len(text) - 1
    return lambda rows: text.take(pa.array(codes[rows]))


def _text_formatter(column: pd.Series, sep: str) -> Callable:
    """Fields of an object or text column: a column of text only is coded
    (``pd.factorize``) and each distinct text formatted once; other objects
    one by one (mixed objects cannot be coded: 1, 1.0 and True are equal keys
    but different text)."""
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        codes, labels = pd.factorize(column)
        return _labels_formatter(codes, np.asarray(labels, dtype=object), sep)
    values = column.to_numpy(dtype=object)
    missing = pd.isna(values)
    return lambda rows: _object_text(values[rows], missing[rows], sep)


def _python_text(values) -> List[str]:
    """What the ``csv`` module writes for each (non-missing) Python object: the
    text itself, else ``str`` (``repr`` for an exact float, the same text)."""
    return [value if isinstance(value, str) else str(value) for value in values]


def _object_text(values: np.ndarray, missing: np.ndarray, sep: str):
    import pyarrow as pa

    text = np.empty(len(values), dtype=object)
    text[:] = ""
    present = ~missing
    text[present] = _python_text(values[present])
    return _quoted(pa.array(text, type=pa.string()), sep)


def _quoted(strings, sep: str):
    """``strings`` with each field that holds a separator, quote or line break
    quoted as the ``csv`` module quotes it."""
    import pyarrow as pa

    special = pa.compute.match_substring_regex(strings, "[" + re.escape(sep) + "\"\r\n]")
    if not pa.compute.any(special).as_py():
        return strings
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=os.linesep)
    quoted = {}
    for value in pa.compute.filter(strings, special).to_pylist():
        if value not in quoted:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([value])
            quoted[value] = buffer.getvalue()[:-len(os.linesep)]
    return pa.compute.replace_with_mask(
        strings, special, pa.array([quoted[v] for v in pa.compute.filter(strings, special).to_pylist()],
                                   type=pa.string()))


def _numpy_float_text(values: np.ndarray):
    """float32/float16 as pandas writes them: NumPy's shortest text of that precision."""
    import pyarrow as pa

    text = values.astype(str).astype(object)
    text[np.isnan(values)] = ""
    return pa.array(text, type=pa.string())


def _float_text(values: np.ndarray):
    """float64 as ``repr`` writes it, NaN empty: Arrow's shortest text with its
    layout changed to Python's (see the module's note)."""
    import pyarrow as pa

    if not _arrow_floats_checked():
        return _numpy_float_text(values)
    return _repr_layout(values, pa.compute.cast(pa.array(values), pa.string()))


def _repr_layout(values: np.ndarray, text):
    """Arrow's text of the doubles ``values`` in ``repr``'s layout."""
    import pyarrow as pa

    compute = pa.compute
    magnitude = np.abs(values)
    finite = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        integral = values == np.floor(values)
    nonzero = magnitude != 0
    scientific = finite & (((magnitude < REPR_POSITIONAL[0]) & nonzero) | (magnitude >= REPR_POSITIONAL[1]))
    arrow_scientific = finite & (((magnitude < ARROW_POSITIONAL[0]) & nonzero)
                                 | (magnitude >= ARROW_POSITIONAL[1]))
    both = scientific & arrow_scientific
    changes = (
        # 2011 -> 2011.0, -0 -> -0.0
        (finite & ~scientific & ~arrow_scientific & integral,
         lambda part: compute.binary_join_element_wise(part, "", ".0")),
        # 1.5e-7 -> 1.5e-07
        (both & (magnitude >= 1e-9) & (magnitude < 1e10),
         lambda part: compute.replace_substring_regex(part, r"e([+-])(\d)$", r"e\10\2")),
        (finite & (scientific != arrow_scientific), None),
        (np.isnan(values), None),
    )
    for mask, change in changes:
        if mask.any():
            if change is None:
                part = pa.array(["" if v != v else repr(v) for v in values[mask].tolist()], type=pa.string())
            else:
                part = change(compute.filter(text, pa.array(mask)))
            text = compute.replace_with_mask(text, pa.array(mask), part)
    return text


def _arrow_floats_checked() -> bool:
    """Whether this pyarrow's float text, in Python's layout, equals ``repr`` on awkward values."""
    global _arrow_floats_exact
    if _arrow_floats_exact is None:
        import pyarrow as pa

        probe = _probe()
        fixed = _repr_layout(probe, pa.compute.cast(pa.array(probe), pa.string())).to_pylist()
        _arrow_floats_exact = fixed == ["" if v != v else repr(v) for v in probe.tolist()]
    return _arrow_floats_exact
