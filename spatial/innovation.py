"""Persistent (continuous) innovation index from patent counts.

``Coninnov_t = (p_t + p_{t-1}) / (p_{t-1} + p_{t-2}) * (p_t + p_{t-1})``
where ``p_t`` is a unit's patent count in year t (Yang & Geng 2026; DESIGN §1).
It needs the two previous calendar years of the same unit; where it is
undefined the value is NaN and a status says why — a zero denominator is
reported, never turned into 0 or infinity. Coninnov is homogeneous of
degree 1 in the counts and is computed on each row times a power of two
(:mod:`spatial.scaling`), so only a result beyond the float range (refused
by unit and year) can overflow, not an intermediate sum.
"""

import numpy as np
import pandas as pd

from .errors import InputError
from .panel import SHOW, _examples, _fmt, _integer_years, check_keys, numeric_values, require_fields
from .scaling import binary_exponent, times_power_of_two

STATUS_OK = "ok"
STATUS_FIRST_YEARS = "first years"
STATUS_MISSING_PRIOR = "missing prior year"
STATUS_ZERO_DENOMINATOR = "zero denominator"
STATUS_MISSING_VALUE = "missing value"


def _prior_rows(ids: np.ndarray, years: np.ndarray):
    """(row of the unit's year t-1, row of its year t-2, rank of year t among
    the unit's observed years from 0) of each row; -1 where that year has no row.
    Unit-years are unique (checked before).

    Looked up in a dense unit × year table of row numbers when that table is
    not much larger than the panel: the MultiIndex lookups of 5.5 million rows
    held ~1.5 GB. Otherwise (few rows over a long span of years) by MultiIndex.
    """
    codes, units = pd.factorize(ids)
    low = int(years.min())
    span = int(years.max()) - low + 1
    if len(units) * span > 4 * len(ids) + 1_000_000:
        keys = pd.MultiIndex.from_arrays([ids, years])
        rank = pd.Series(years).groupby(codes).rank(method="first").to_numpy() - 1
        return (keys.get_indexer(pd.MultiIndex.from_arrays([ids, years - 1])),
                keys.get_indexer(pd.MultiIndex.from_arrays([ids, years - 2])), rank)
    column = (years - low).astype(np.intp)
    table = np.full((len(units), span), -1, dtype=np.int64)
    table[codes, column] = np.arange(len(ids))

    def row_of(back):
        rows = np.full(len(ids), -1, dtype=np.int64)
        inside = column >= back
        rows[inside] = table[codes[inside], column[inside] - back]
        return rows

    observed = np.cumsum(table >= 0, axis=1, dtype=np.int64)
    return row_of(1), row_of(2), observed[codes, column] - 1


def persistent_innovation(df, id_field, year_field, patent_field):
    """CONINNOV and CONINNOV_STATUS for every row of a long panel.

    Returns a DataFrame indexed like ``df`` with ``CONINNOV`` (float64, NaN
    where undefined) and ``CONINNOV_STATUS`` (str), checked in this order:

    - "first years": the row is one of the unit's first two observed years;
    - "missing prior year": year t-1 or t-2 of that unit has no row;
    - "missing value": p_t, p_{t-1} or p_{t-2} is NULL/NaN;
    - "zero denominator": p_{t-1} + p_{t-2} = 0;
    - "ok" otherwise.

    Prior years are found by calendar year (t-1, t-2), not by row order, so
    rows may come in any order. Raises InputError for missing fields, bad keys
    (see :func:`spatial.panel.check_keys`), non-numeric counts, and negative
    counts (naming unit and year). The input is not modified.
    """
    require_fields(df, [id_field, year_field, patent_field])
    check_keys(df, id_field, year_field)
    p = numeric_values(df, [patent_field], id_field, year_field)[patent_field].to_numpy()
    ids = df[id_field].to_numpy()
    infinite = np.isinf(p)
    if infinite.any():
        rows = np.flatnonzero(infinite)
        years_raw = df[year_field].to_numpy()
        raise InputError(
            f"patent counts in {patent_field!r} must be finite; {len(rows)} infinite value(s): "
            + _examples([f"unit {_fmt(ids[r])} year {_fmt(years_raw[r])}" for r in rows[:SHOW]], len(rows))
        )
    negative = p < 0
    if negative.any():
        rows = np.flatnonzero(negative)
        years_raw = df[year_field].to_numpy()
        shown = [
            f"unit {_fmt(ids[r])} year {_fmt(years_raw[r])}: {_fmt(p[r])}" for r in rows[:SHOW]
        ]
        raise InputError(
            f"patent counts in {patent_field!r} must be ≥ 0; {len(rows)} negative value(s): "
            + _examples(shown, len(rows))
        )
    n = len(df)
    if n == 0:
        return pd.DataFrame(
            {
                "CONINNOV": pd.Series([], dtype="float64"),
                "CONINNOV_STATUS": pd.Series([], dtype=object),
            },
            index=df.index,
        )
    years = _integer_years(df, year_field, id_field)
    lag1, lag2, rank = _prior_rows(ids, years)
    first_years = rank < 2
    missing_prior = ~first_years & ((lag1 < 0) | (lag2 < 0))

    p1 = np.where(lag1 >= 0, p[np.maximum(lag1, 0)], np.nan)
    p2 = np.where(lag2 >= 0, p[np.maximum(lag2, 0)], np.nan)
    rest = ~first_years & ~missing_prior
    missing_value = rest & (np.isnan(p) | np.isnan(p1) | np.isnan(p2))
    zero = rest & ~missing_value & (p1 == 0) & (p2 == 0)  # counts >= 0: p_{t-1} + p_{t-2} = 0
    ok = rest & ~missing_value & ~zero

    value = np.full(n, np.nan)
    # Coninnov is homogeneous of degree 1 in the counts: computed on each row
    # times a power of two (exact) and scaled back, so p_t + p_{t-1} cannot
    # overflow on its own; only a result beyond the float range is refused
    e = binary_exponent(np.maximum(np.maximum(p[ok], p1[ok]), p2[ok]))
    a, b, c = (times_power_of_two(q[ok], -e) for q in (p, p1, p2))
    with np.errstate(over="ignore"):
        value[ok] = times_power_of_two((a + b) / (b + c) * (a + b), e)
    too_large = np.flatnonzero(ok & np.isinf(value))
    if len(too_large):
        years_raw = df[year_field].to_numpy()
        raise InputError(
            f"Coninnov of {patent_field!r} exceeds the float range (about 1.8e308) in "
            f"{len(too_large)} row(s): "
            + _examples([f"unit {_fmt(ids[r])} year {_fmt(years_raw[r])}" for r in too_large[:SHOW]],
                        len(too_large))
            + "; rescale the counts (e.g. to thousands)"
        )

    status = np.empty(n, dtype=object)
    status[:] = STATUS_OK  # one shared string (np.full would make one per row: 5·10^6 × 51 bytes)
    status[first_years] = STATUS_FIRST_YEARS
    status[missing_prior] = STATUS_MISSING_PRIOR
    status[missing_value] = STATUS_MISSING_VALUE
    status[zero] = STATUS_ZERO_DENOMINATOR
    return pd.DataFrame(
        {
            "CONINNOV": pd.Series(value, index=df.index, dtype="float64"),
            "CONINNOV_STATUS": pd.Series(status, index=df.index, dtype=object),
        },
        index=df.index,
    )
