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
    ``MISSING_YEARS`` of the panel's year range that it lacks (comma separated)."""
    years = sorted(pd.unique(panel[year_field].dropna()))
    rows = []
    for unit, group in panel.groupby(unit_field, sort=True):
        present = sorted(set(group[year_field].dropna()))
        absent = [y for y in years if y not in present]
        rows.append({"UNIT": unit, "YEARS": len(present), "FIRST_YEAR": present[0] if present else None,
                     "LAST_YEAR": present[-1] if present else None,
                     "MISSING_YEARS": ", ".join(str(int(y)) for y in absent)})
    return pd.DataFrame(rows, columns=["UNIT", "YEARS", "FIRST_YEAR", "LAST_YEAR", "MISSING_YEARS"])


def missing_shares(panel: pd.DataFrame, fields: Sequence[str], year_field: str) -> pd.DataFrame:
    """Per indicator and year: ``ROWS``, ``MISSING`` (NaN values) and ``SHARE`` = MISSING / ROWS."""
    rows = []
    for year, group in panel.groupby(year_field, sort=True):
        for name in fields:
            missing = int(group[name].isna().sum())
            rows.append({"FIELD": name, "YEAR": year, "ROWS": len(group), "MISSING": missing,
                         "SHARE": missing / len(group) if len(group) else np.nan})
    return pd.DataFrame(rows, columns=["FIELD", "YEAR", "ROWS", "MISSING", "SHARE"])


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


def robust_outliers(panel: pd.DataFrame, fields: Sequence[str], unit_field: str, year_field: str,
                    limit: float = Z_LIMIT, per_year: bool = True) -> pd.DataFrame:
    """Values with ``|robust z| > limit``, z computed within each year (or pooled).

    A field without negative values is scored on a log scale (see the module
    docstring); a year with fewer than :data:`MIN_VALUES` values is not scored. Returns ``UNIT``, ``YEAR``, ``FIELD``, ``VALUE``, ``ROBUST_Z``.
    """
    rows = []
    offsets = {name: log_offset(panel[name]) for name in fields}
    groups = panel.groupby(year_field, sort=True) if per_year else [(None, panel)]
    for _, group in groups:
        for name in fields:
            if group[name].notna().sum() < MIN_VALUES:
                continue
            offset = offsets[name]
            z = robust_z(group[name] if offset is None else np.log10(group[name] + offset))
            flagged = z[z.abs() > limit]
            for index, score in flagged.items():
                rows.append({"UNIT": group.at[index, unit_field], "YEAR": group.at[index, year_field],
                             "FIELD": name, "VALUE": group.at[index, name], "ROBUST_Z": float(score)})
    return pd.DataFrame(rows, columns=["UNIT", "YEAR", "FIELD", "VALUE", "ROBUST_Z"])


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
    clean = panel.drop_duplicates([unit_field, year_field], keep="first")
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
