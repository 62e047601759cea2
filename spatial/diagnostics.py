"""Checks of a long panel before analysis: balance, gaps, duplicates, suspicious values.

All functions take a long table (one row per unit and year) and return tidy
DataFrames; nothing is modified, printed or raised for data that are merely
suspicious — the caller decides what to show.

* :func:`balance` — which years each unit has (a balanced panel has every
  unit in every year);
* :func:`missing_shares` — share of missing values per indicator and year;
* :func:`duplicate_keys` — rows that repeat a (unit, year);
* :func:`robust_outliers` — values far from the year's median in robust
  z-scores, ``z = (x - median) / (1.4826 · MAD)`` (the MAD scaled to the
  standard deviation of a normal distribution, as scipy's
  ``median_abs_deviation(scale="normal")``; written with numpy because
  importing scipy.stats costs seconds), flagged at ``|z| > 3.5`` as
  recommended by Iglewicz & Hoaglin (1993), *How to Detect and Handle
  Outliers*, ASQC. A field without negative values is scored on ``log10(x)``
  (``log10(x + c)`` with ``c`` its smallest positive value when it has zeros,
  e.g. patent counts): amounts and counts across cities are right-skewed
  (roughly log-normal), and on the raw scale every large city would be flagged;
* :func:`unit_jumps` — a unit's value changing from one year to the next by a
  factor near a power of ten (``|log10(x_t / x_{t-1})| >= 1.5``): the mark of a
  column that switched between 元, 万元 and 亿元 (×10⁴) or between 千 and 万
  (×10) … and of typing errors;
* :func:`issues` — all of the above as one table (``CHECK``, ``UNIT``, ``YEAR``,
  ``FIELD``, ``VALUE``, ``DETAIL``).
"""

from typing import Optional, Sequence

import numpy as np
import pandas as pd

NORMAL_MAD = 1.482602218505602
"""1 / Φ⁻¹(3/4): makes the MAD estimate the standard deviation of a normal distribution."""
ISSUE_COLUMNS = ["CHECK", "UNIT", "YEAR", "FIELD", "VALUE", "DETAIL"]
Z_LIMIT = 3.5
MIN_VALUES = 5
"""Fewer values than this in a year (or pooled) are not scored: a median and MAD of 3 values say little."""
JUMP_LOG10 = 1.5
_SCALE_NAMES = {1: "×10 (千 vs 万?)", 2: "×100", 3: "×1000 (元 vs 千元?)", 4: "×10⁴ (万元 vs 亿元, or 元 vs 万元?)",
                8: "×10⁸ (元 vs 亿元?)"}


def balance(panel: pd.DataFrame, unit_field: str, year_field: str) -> pd.DataFrame:
    """Per unit: ``YEARS`` present, ``FIRST_YEAR``, ``LAST_YEAR`` and the
    ``MISSING_YEARS`` of the panel's year range that it lacks (comma separated).

    One sort of the (unit, year) pairs; the text of the missing years is built
    only for the units that lack some.
    """
    columns = ["UNIT", "YEARS", "FIRST_YEAR", "LAST_YEAR", "MISSING_YEARS"]
    unit_codes, units = pd.factorize(panel[unit_field], sort=True)  # NaN units: -1, left out
    if len(units) == 0:
        return pd.DataFrame(columns=columns)
    year_values = panel[year_field]
    years = np.sort(np.asarray(pd.unique(year_values.dropna())))
    has_year = year_values.notna().to_numpy() & (unit_codes >= 0)
    year_codes = np.searchsorted(years, year_values[has_year].to_numpy(dtype=years.dtype))
    pairs = np.unique(unit_codes[has_year].astype(np.int64) * len(years) + year_codes)
    pair_units, pair_years = np.divmod(pairs, len(years)) if len(years) else (pairs, pairs)
    counts = np.bincount(pair_units, minlength=len(units))
    first = np.full(len(units), -1, dtype=np.int64)
    last = np.full(len(units), -1, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, pair_units[1:] != pair_units[:-1]]) if len(pairs) else pairs
    first[pair_units[starts]] = pair_years[starts]
    ends = np.r_[starts[1:] - 1, len(pairs) - 1] if len(pairs) else pairs
    last[pair_units[ends]] = pair_years[ends]
    labels = np.array([str(int(y)) for y in years], dtype=object)
    missing_text = np.full(len(units), "", dtype=object)
    short = np.flatnonzero(counts < len(years))
    if len(short):
        row_of = np.full(len(units), -1, dtype=np.int64)
        row_of[short] = np.arange(len(short))
        present = np.zeros((len(short), len(years)), dtype=bool)
        kept = row_of[pair_units] >= 0
        present[row_of[pair_units[kept]], pair_years[kept]] = True
        missing_text[short] = [", ".join(labels[~row]) for row in present]

    def bounds(codes):
        if (codes >= 0).all():
            return years[codes]
        return [years[c] if c >= 0 else None for c in codes]

    unit_values = units.to_numpy()
    if not np.issubdtype(unit_values.dtype, np.number):
        unit_values = unit_values.astype(object)
    return pd.DataFrame({"UNIT": unit_values,
                         "YEARS": counts, "FIRST_YEAR": bounds(first), "LAST_YEAR": bounds(last),
                         "MISSING_YEARS": missing_text}, columns=columns)


def missing_shares(panel: pd.DataFrame, fields: Sequence[str], year_field: str) -> pd.DataFrame:
    """Per indicator and year: ``ROWS``, ``MISSING`` (NaN values) and ``SHARE`` = MISSING / ROWS."""
    columns = ["FIELD", "YEAR", "ROWS", "MISSING", "SHARE"]
    by_year = panel[list(fields)].isna().groupby(panel[year_field], sort=True)
    missing = by_year.sum()
    rows = by_year.size()
    if len(rows) == 0 or not len(fields):
        return pd.DataFrame(columns=columns)
    n_fields = len(fields)
    counts = missing.to_numpy(dtype=np.int64).ravel()  # year by year, fields within a year
    sizes = np.repeat(rows.to_numpy(dtype=np.int64), n_fields)
    return pd.DataFrame({"FIELD": np.tile(np.asarray(list(fields), dtype=object), len(rows)),
                         "YEAR": np.repeat(rows.index.to_numpy(), n_fields), "ROWS": sizes,
                         "MISSING": counts, "SHARE": counts / sizes}, columns=columns)


def duplicate_keys(panel: pd.DataFrame, unit_field: str, year_field: str) -> pd.DataFrame:
    """Every row whose (unit, year) appears more than once, with ``COUNT``."""
    keys = panel[[unit_field, year_field]]
    repeated = keys[keys.duplicated(keep=False)]
    if repeated.empty:
        return pd.DataFrame(columns=["UNIT", "YEAR", "COUNT"])
    counts = repeated.groupby([unit_field, year_field]).size().reset_index(name="COUNT")
    return counts.rename(columns={unit_field: "UNIT", year_field: "YEAR"})


def robust_z(values: pd.Series) -> pd.Series:
    """``(x - median) / (1.4826 · MAD)``; NaN where the MAD is 0 (more than half the values equal)."""
    data = values.astype(float)
    valid = data.dropna().to_numpy()
    if valid.size == 0:
        return pd.Series(np.nan, index=values.index)
    centre = np.median(valid)
    scale = NORMAL_MAD * np.median(np.abs(valid - centre))
    if not scale > 0:
        return pd.Series(np.nan, index=values.index)
    return (data - centre) / scale


def log_offset(values: pd.Series):
    """``c`` of the log scale ``log10(x + c)``: 0 for positive values, the smallest
    positive value when there are zeros, None (raw scale) with negative values or none positive."""
    valid = values.dropna()
    positive = valid[valid > 0]
    if valid.empty or (valid < 0).any() or positive.empty:
        return None
    return 0.0 if len(positive) == len(valid) else float(positive.min())


def _segment_medians(ordered: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """``np.median`` of each segment ``ordered[bounds[g]:bounds[g + 1]]`` (NaN when empty)."""
    return np.array([np.median(ordered[start:end]) if end > start else np.nan
                     for start, end in zip(bounds[:-1], bounds[1:])], dtype=float)


def robust_outliers(panel: pd.DataFrame, fields: Sequence[str], unit_field: str, year_field: str,
                    limit: float = Z_LIMIT, per_year: bool = True) -> pd.DataFrame:
    """Values with ``|robust z| > limit``, z computed within each year (or pooled).

    A field without negative values is scored on a log scale (see the module
    docstring); a year with fewer than :data:`MIN_VALUES` values is not scored.
    Returns ``UNIT``, ``YEAR``, ``FIELD``, ``VALUE``, ``ROBUST_Z``, by year, field
    and row. The numbers of :func:`robust_z` applied year by year, with the medians
    of a year taken on its rows, gathered by one sort of the years.
    """
    columns = ["UNIT", "YEAR", "FIELD", "VALUE", "ROBUST_Z"]
    if per_year:
        codes, _ = pd.factorize(panel[year_field], sort=True)  # NaN years: -1, not scored
    else:
        codes = np.zeros(len(panel), dtype=np.int64)
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    by_year = np.argsort(codes, kind="stable")  # rows year by year, in row order within a year
    hits = []  # (year code, field number, row position, z)
    for number, name in enumerate(fields):
        raw = panel[name].to_numpy(dtype=float, na_value=np.nan)
        offset = log_offset(panel[name])
        scored = raw if offset is None else np.log10(raw + offset)
        valid = ~np.isnan(scored) & (codes >= 0)
        rows = by_year[valid[by_year]]
        row_codes = codes[rows]
        counts = np.bincount(row_codes, minlength=n_groups)
        bounds = np.r_[0, np.cumsum(counts)]
        centre = _segment_medians(scored[rows], bounds)
        deviation = np.abs(scored[rows] - centre[row_codes])
        scale = NORMAL_MAD * _segment_medians(deviation, bounds)
        keep = (counts[row_codes] >= MIN_VALUES) & (scale[row_codes] > 0)
        rows, row_codes = rows[keep], row_codes[keep]
        z = (scored[rows] - centre[row_codes]) / scale[row_codes]
        flagged = np.abs(z) > limit
        hits.append((row_codes[flagged], np.full(flagged.sum(), number), rows[flagged], z[flagged]))
    if not hits or not sum(len(h[0]) for h in hits):
        return pd.DataFrame([], columns=columns)
    year_code, field_number, row, z = (np.concatenate(parts) for parts in zip(*hits))
    order = np.lexsort((row, field_number, year_code))
    row, field_number = row[order], field_number[order]
    values = np.empty(len(row), dtype=object)
    for number, name in enumerate(fields):
        at = field_number == number
        values[at] = panel[name].to_numpy()[row[at]]
    return pd.DataFrame({
        "UNIT": panel[unit_field].to_numpy()[row], "YEAR": panel[year_field].to_numpy()[row],
        "FIELD": np.asarray(list(fields), dtype=object)[field_number],
        "VALUE": pd.Series(values.tolist(), dtype=None), "ROBUST_Z": z[order]}, columns=columns)


def unit_jumps(panel: pd.DataFrame, fields: Sequence[str], unit_field: str, year_field: str,
               log10_limit: float = JUMP_LOG10) -> pd.DataFrame:
    """Consecutive-year changes of a unit's value by a factor of at least
    ``10 ** log10_limit`` (either way), positive values only.

    Returns ``UNIT``, ``YEAR`` (the later year), ``FIELD``, ``PREVIOUS``, ``VALUE``,
    ``RATIO`` and ``LIKELY`` (the nearest power of ten, e.g. ×10⁴ for 万元 vs 亿元).
    """
    ordered = panel.sort_values([unit_field, year_field], kind="stable")
    units = ordered[unit_field].to_numpy()
    years = ordered[year_field].to_numpy()
    consecutive = np.zeros(len(ordered), dtype=bool)
    consecutive[1:] = (units[1:] == units[:-1]) & (np.diff(years) == 1)
    pieces = []
    for name in fields:
        values = ordered[name].to_numpy(dtype=float)
        previous = np.r_[np.nan, values[:-1]]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where((previous > 0) & (values > 0), values / previous, np.nan)
            exponent = np.log10(ratio)
        hits = np.flatnonzero(consecutive & (np.abs(exponent) >= log10_limit))
        pieces.append(pd.DataFrame({
            "UNIT": units[hits], "YEAR": years[hits], "FIELD": name, "PREVIOUS": previous[hits],
            "VALUE": values[hits], "RATIO": ratio[hits],
            "LIKELY": [_SCALE_NAMES.get(int(round(abs(e))), f"×10^{int(round(abs(e)))}") for e in exponent[hits]]}))
    columns = ["UNIT", "YEAR", "FIELD", "PREVIOUS", "VALUE", "RATIO", "LIKELY"]
    found = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(columns=columns)
    return found.sort_values(["UNIT", "FIELD", "YEAR"], kind="stable").reset_index(drop=True)[columns]


def issues(panel: pd.DataFrame, fields: Sequence[str], unit_field: str, year_field: str,
           z_limit: float = Z_LIMIT, jump_log10: float = JUMP_LOG10,
           missing_limit: Optional[float] = 0.0) -> pd.DataFrame:
    """Every finding of the checks as one table with :data:`ISSUE_COLUMNS`.

    ``CHECK`` is ``duplicate``, ``unbalanced`` (a unit lacking years of the
    panel's range), ``missing`` (an indicator-year whose missing share exceeds
    ``missing_limit``), ``outlier`` (robust z) or ``unit_jump``.
    """
    panel = pd.DataFrame(panel[[unit_field, year_field, *fields]])  # no geometry to carry through groupby
    rows = []
    for row in duplicate_keys(panel, unit_field, year_field).itertuples(index=False):
        rows.append(("duplicate", row.UNIT, row.YEAR, "", np.nan, f"{row.COUNT} rows for this unit and year"))
    repeated = panel.duplicated([unit_field, year_field], keep="first")
    clean = panel[~repeated] if repeated.any() else panel  # no copy of a panel without duplicates
    for row in balance(clean, unit_field, year_field).itertuples(index=False):
        if row.MISSING_YEARS:
            rows.append(("unbalanced", row.UNIT, np.nan, "", np.nan, f"no rows for {row.MISSING_YEARS}"))
    if missing_limit is not None:
        for row in missing_shares(clean, fields, year_field).itertuples(index=False):
            if row.MISSING and row.SHARE > missing_limit:
                rows.append(("missing", "", row.YEAR, row.FIELD, row.SHARE,
                             f"{row.MISSING} of {row.ROWS} values missing ({100 * row.SHARE:.1f}%)"))
    logged = {name for name in fields if log_offset(clean[name]) is not None}
    for row in robust_outliers(clean, fields, unit_field, year_field, z_limit).itertuples(index=False):
        rows.append(("outlier", row.UNIT, row.YEAR, row.FIELD, row.VALUE,
                     f"robust z = {row.ROBUST_Z:.1f} within the year"
                     + (" (log scale)" if row.FIELD in logged else "")))
    for row in unit_jumps(clean, fields, unit_field, year_field, jump_log10).itertuples(index=False):
        rows.append(("unit_jump", row.UNIT, row.YEAR, row.FIELD, row.VALUE,
                     f"{row.PREVIOUS:g} → {row.VALUE:g} (ratio {row.RATIO:.4g}, {row.LIKELY})"))
    table = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    table["YEAR"] = pd.array(table["YEAR"], dtype="Int64") if len(table) else table["YEAR"].astype("Int64")
    return table
