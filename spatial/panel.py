"""Validation and gap filling of long panel tables (one row per unit and year).

Every check raises :class:`~spatial.errors.InputError` with a message that
names the field, the unit and the year at fault. Nothing here modifies the
caller's DataFrame.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .labels import as_list as _as_list

#: How many offending examples a message lists before it just gives the count.
SHOW = 5


def _fmt(value):
    """A value as users read it: text quoted, numbers plain (no numpy reprs)."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value) if isinstance(value, str) else str(value)


def _examples(items, total=None, show=SHOW):
    """'a, b, c' or 'a, b, c, … (12 in all)'."""
    items = list(items)
    total = len(items) if total is None else total
    text = ", ".join(str(i) for i in items[:show])
    if total > show:
        text += f", … ({total} in all)"
    return text


def require_fields(df, fields):
    """Raise InputError unless every name in ``fields`` is a column of ``df``.

    The message lists the missing names and the columns that are available.
    """
    wanted = _as_list(fields)
    missing = [f for f in wanted if f not in df.columns]
    if missing:
        raise InputError(
            f"field(s) not found in the input: {', '.join(map(repr, missing))}; "
            f"available fields: {', '.join(map(repr, map(str, df.columns)))}"
        )


def _row_keys(df, id_field, year_field):
    """A function giving a readable '(unit, year)' or 'row label' for positions."""
    if id_field is not None and year_field is not None:
        ids = df[id_field].to_numpy()
        years = df[year_field].to_numpy()
        return lambda pos: f"unit {_fmt(ids[pos])} year {_fmt(years[pos])}"
    labels = df.index.to_numpy()
    return lambda pos: f"row {_fmt(labels[pos])}"


def _numeric_column(series, name, describe):
    """One column as a float64 array; non-numbers raise InputError."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise InputError(
            f"field {name!r} holds true/false values, not numbers; "
            "convert it to 0/1 explicitly if that is meant"
        )
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        raise InputError(f"field {name!r} holds dates or durations, not numbers")
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        if pd.api.types.is_complex_dtype(dtype):
            raise InputError(f"field {name!r} holds complex numbers")
        return series.to_numpy(dtype="float64", na_value=np.nan)

    values = series.astype(object).to_numpy()
    is_bool = np.fromiter(
        (isinstance(v, (bool, np.bool_)) for v in values), dtype=bool, count=len(values)
    )
    blank = np.fromiter(
        (isinstance(v, str) and not v.strip() for v in values), dtype=bool, count=len(values)
    )
    cleaned = values.copy()
    cleaned[blank] = None
    cleaned[is_bool] = None
    converted = pd.to_numeric(pd.Series(cleaned, dtype=object), errors="coerce")
    converted = converted.to_numpy(dtype="float64", na_value=np.nan)
    missing_before = pd.isna(pd.Series(cleaned, dtype=object)).to_numpy()
    bad = is_bool | (~missing_before & np.isnan(converted))
    if bad.any():
        where = np.flatnonzero(bad)
        shown = [f"{describe(p)}: {_fmt(values[p])}" for p in where[:SHOW]]
        raise InputError(
            f"field {name!r} holds text that is not a number in {len(where)} row(s): "
            + _examples(shown, len(where))
        )
    return converted


def require_roles(df: pd.DataFrame, fields) -> None:
    """Like :func:`require_fields`, naming each field by its role:
    ``[("value field", "D"), ("group field", "TIER")]``."""
    for role, name in fields:
        if name not in df.columns:
            raise InputError(
                f"The {role} '{name}' is not a column of the input; available: "
                f"{', '.join(map(str, df.columns))}."
            )


def numeric_values(df, fields, id_field, year_field):
    """The given fields as a float64 DataFrame (a copy, same index as ``df``).

    Integer, float and nullable numeric columns convert directly (NULL becomes
    NaN). Text columns are parsed; blank text counts as missing. Text that is
    not a number, true/false values and dates raise InputError naming the field
    and the first few offending (unit, year, value) triples. ``id_field`` and
    ``year_field`` may be None, in which case offending rows are named by their
    row label.
    """
    names = _as_list(fields)
    require_fields(df, names + [f for f in (id_field, year_field) if f is not None])
    describe = _row_keys(df, id_field, year_field)
    data = {name: _numeric_column(df[name], name, describe) for name in names}
    return pd.DataFrame(data, index=df.index, columns=names)


def _integer_years(df, year_field, id_field=None):
    """The year column as int64; NULL or non-integer years raise InputError."""
    series = df[year_field]
    describe = (
        (lambda pos: f"unit {_fmt(df[id_field].iloc[pos])}") if id_field is not None
        else (lambda pos: f"row {_fmt(df.index[pos])}")
    )
    null = series.isna().to_numpy()
    if null.any():
        where = np.flatnonzero(null)
        raise InputError(
            f"year field {year_field!r} is empty (NULL) in {len(where)} row(s): "
            + _examples([describe(p) for p in where[:SHOW]], len(where))
        )
    if pd.api.types.is_bool_dtype(series.dtype):
        raise InputError(f"year field {year_field!r} holds true/false values, not years")
    try:
        values = _numeric_column(series, year_field, describe)
    except InputError as exc:
        raise InputError(f"years must be whole numbers: {exc}") from None
    bad = ~np.isfinite(values) | (values != np.round(values))
    if bad.any():
        where = np.flatnonzero(bad)
        shown = [f"{describe(p)}: {_fmt(series.iloc[p])}" for p in where[:SHOW]]
        raise InputError(
            f"year field {year_field!r} must hold whole numbers; found "
            f"{len(where)} other value(s): " + _examples(shown, len(where))
        )
    return values.astype(np.int64)


def check_keys(df, id_field, year_field):
    """Check the panel keys: no NULL ids or years, integer years, unique (id, year).

    Raises InputError naming the rows at fault; duplicate pairs are listed
    (first few) with their count.
    """
    require_fields(df, [id_field, year_field])
    null_ids = df[id_field].isna().to_numpy()
    if null_ids.any():
        where = np.flatnonzero(null_ids)
        years = df[year_field].to_numpy()
        shown = [f"row {_fmt(df.index[p])} (year {_fmt(years[p])})" for p in where[:SHOW]]
        raise InputError(
            f"id field {id_field!r} is empty (NULL) in {len(where)} row(s): "
            + _examples(shown, len(where))
        )
    years = _integer_years(df, year_field, id_field)
    keys = pd.DataFrame({"id": df[id_field].to_numpy(), "year": years})
    dup = keys.duplicated(keep=False).to_numpy()
    if dup.any():
        counts = keys[dup].value_counts(sort=False)
        pairs = [f"({_fmt(i)}, {y}) ×{n}" for (i, y), n in counts.items()]
        raise InputError(
            f"{len(pairs)} (unit, year) pair(s) of {id_field!r} and {year_field!r} "
            f"occur more than once; each unit needs one row per year: "
            + _examples(pairs, len(pairs))
        )


#: What a message about missing values tells a user to do: the options, not a function.
MISSING_HINT = (
    "`--missing interpolate` (tool entropyweights; in a study "
    '`systems.NAME.missing = "interpolate"`) fills gaps between two observed years '
    "of a unit; otherwise fill them in the data or drop those units"
)


def _bad_cells(df, names, ids, years, test):
    """(count, first few 'field f unit u year y' texts) of the cells where ``test(column)``."""
    problems, total = [], 0
    for name in names:
        bad = test(df[name])
        if bad.any():
            where = np.flatnonzero(bad)
            total += len(where)
            for p in where[: max(0, SHOW - len(problems))]:
                problems.append(f"field {name!r} unit {_fmt(ids[p])} year {_fmt(years[p])}")
    return total, problems


def _infinite(col):
    if not pd.api.types.is_float_dtype(col.dtype):
        return np.zeros(len(col), dtype=bool)
    return np.isinf(col.to_numpy(dtype="float64", na_value=np.nan))


def check_complete(df, fields, id_field, year_field):
    """Raise InputError if the table is empty or any of ``fields`` has a missing
    (NULL / NaN) or, for numeric columns, an infinite cell.

    The message names field, unit and year of the first few cells at fault
    and their count; for missing cells it points at the interpolation option
    (:data:`MISSING_HINT`). Every finite value, however large, is valid.
    """
    names = _as_list(fields)
    require_fields(df, names + [id_field, year_field])
    if len(df) == 0:
        raise InputError("the input has no rows")
    ids = df[id_field].to_numpy()
    years = df[year_field].to_numpy()
    total, problems = _bad_cells(df, names, ids, years, lambda col: col.isna().to_numpy())
    if total:
        raise InputError(
            f"{total} missing (NULL) value(s): " + _examples(problems, total) + "; " + MISSING_HINT
        )
    total, problems = _bad_cells(df, names, ids, years, _infinite)
    if total:
        raise InputError(
            f"{total} infinite value(s): " + _examples(problems, total)
            + "; every value must be a finite number (check the source data, e.g. for a "
            "division by zero)"
        )


#: A year range longer than this is taken for a typo (e.g. 20111) rather than
#: expanded into a unit × year grid.
MAX_YEAR_SPAN = 500


def _year_range(df, years, id_field, year_field):
    """(first, last) year of the panel; an implausibly long range raises InputError."""
    lo, hi = int(years.min()), int(years.max())
    if hi - lo + 1 > MAX_YEAR_SPAN:
        ids = df[id_field].to_numpy()
        raise InputError(
            f"year field {year_field!r} spans {lo}–{hi} ({hi - lo + 1} years): "
            f"unit {_fmt(ids[int(np.argmin(years))])} has year {lo}, unit "
            f"{_fmt(ids[int(np.argmax(years))])} has year {hi}; check for a mistyped year"
        )
    return lo, hi


def _sorted_units(units):
    try:
        return sorted(units)
    except TypeError:
        return list(units)


def missing_years(df, id_field, year_field):
    """Years inside the panel's overall year range that each unit lacks.

    Returns ``{unit: [year, ...]}`` (years as ints, ascending) for the units
    that lack at least one year; an empty dict means a balanced panel. Keys
    are checked first (see :func:`check_keys`).
    """
    check_keys(df, id_field, year_field)
    if len(df) == 0:
        return {}
    years = _integer_years(df, year_field, id_field)
    try:
        codes, units = pd.factorize(df[id_field].to_numpy(), sort=True)
    except TypeError:
        codes, units = pd.factorize(df[id_field].to_numpy(), sort=False)
    y0, y1 = _year_range(df, years, id_field, year_field)
    n_years = y1 - y0 + 1
    present = np.zeros((len(units), n_years), dtype=bool)
    present[codes, years - y0] = True
    unit_pos, year_pos = np.nonzero(~present)
    if len(unit_pos) == 0:
        return {}
    cuts = np.flatnonzero(np.diff(unit_pos)) + 1
    result = {}
    for u_block, y_block in zip(np.split(unit_pos, cuts), np.split(year_pos, cuts)):
        unit = units[u_block[0]]
        if isinstance(unit, np.generic):
            unit = unit.item()
        result[unit] = [int(y) + y0 for y in y_block]
    return result


@dataclass
class GapReport:
    """What :func:`fill_gaps` did.

    ``filled`` and ``unfilled`` have columns (id field, year field, ``FIELD``):
    one row per cell interpolated / per cell still missing (leading or
    trailing gaps, which interpolation cannot reach).
    """

    filled: pd.DataFrame
    dropped_units: list
    unfilled: pd.DataFrame
    added_rows: int = 0
    max_missing_share: float = None
    id_field: str = "ID"
    year_field: str = "YEAR"
    dropped_shares: dict = field(default_factory=dict)

    def summary(self):
        """A few sentences for users."""
        lines = []
        if self.dropped_units:
            shares = ", ".join(
                f"{_fmt(u)} ({self.dropped_shares.get(u, float('nan')):.0%})"
                for u in self.dropped_units[:10]
            )
            more = f", … ({len(self.dropped_units)} in all)" if len(self.dropped_units) > 10 else ""
            lines.append(
                f"Dropped {len(self.dropped_units)} unit(s) with more than "
                f"{self.max_missing_share:.0%} of their cells missing: {shares}{more}."
            )
        if self.added_rows:
            lines.append(f"Added {self.added_rows} row(s) for unit-years absent from the input.")
        if len(self.filled):
            n_units = self.filled[self.id_field].nunique()
            lines.append(
                f"Filled {len(self.filled)} cell(s) in {n_units} unit(s) by linear "
                "interpolation over the year within each unit."
            )
        if len(self.unfilled):
            groups = self.unfilled.groupby([self.id_field, "FIELD"], sort=False)[self.year_field]
            shown = [
                f"unit {_fmt(u)} field {f!r} year(s) {', '.join(str(y) for y in ys)}"
                for (u, f), ys in list(groups)[:SHOW]
            ]
            lines.append(
                f"{len(self.unfilled)} cell(s) at the start or end of a unit's series stay "
                "missing (interpolation needs a value on both sides): "
                + _examples(shown, groups.ngroups)
                + "."
            )
        if not lines:
            return "No gaps: every unit has a value for every field in every year."
        return " ".join(lines)


def _cells(ids, years, fields_idx, field_names, id_field, year_field):
    return pd.DataFrame(
        {
            id_field: ids,
            year_field: years,
            "FIELD": pd.Series(np.asarray(field_names, dtype=object)[fields_idx], dtype=object),
        }
    )


def fill_gaps(df, id_field, year_field, fields, *, max_missing_share=None):
    """Fill a panel's gaps: drop sparse units, add absent years, interpolate.

    1. If ``max_missing_share`` is given (0–1), units whose share of missing
       cells exceeds it are dropped. The share counts, over ``fields`` × the
       years of the panel's overall range, NULL cells and cells of absent rows.
    2. Rows are added for unit-years absent inside the (remaining) panel's year
       range, and interior gaps are filled by linear interpolation over the
       year within each unit, as the reference study (Yang & Geng 2026) fills
       gaps. Leading and trailing gaps stay NaN and are reported.

    Returns ``(filled_df, GapReport)``. ``filled_df`` holds every column of
    the input, sorted by unit and year with a fresh RangeIndex (the grid
    has one row per kept unit and year of the range); ``fields``
    become float64 and the year int64. In added rows, columns that are
    constant within every unit (e.g. a region name) are carried over; other
    columns stay missing. The input is never modified.

    Written by hand rather than with ``DataFrame.interpolate`` per group so
    that it stays vectorised (groupwise forward/backward fill) on panels with
    10^5+ units.
    """
    names = _as_list(fields)
    require_fields(df, [id_field, year_field] + names)
    if not names:
        raise InputError("fill_gaps needs at least one field to fill")
    if id_field in names or year_field in names:
        raise InputError("the id and year fields cannot be filled as data fields")
    if max_missing_share is not None:
        share = float(max_missing_share)
        if not (0.0 <= share <= 1.0):
            raise InputError(
                f"max_missing_share must lie between 0 and 1 (a share of cells); got {max_missing_share!r}"
            )
    check_keys(df, id_field, year_field)
    if len(df) == 0:
        raise InputError("the input has no rows")

    values = numeric_values(df, names, id_field, year_field)
    years = _integer_years(df, year_field, id_field)
    _year_range(df, years, id_field, year_field)
    ids = df[id_field].to_numpy()
    n_fields = len(names)

    dropped, dropped_shares = [], {}
    keep = np.ones(len(df), dtype=bool)
    if max_missing_share is not None:
        n_years = int(years.max() - years.min() + 1)
        nan_cells = values.isna().sum(axis=1).to_numpy()
        per_unit = pd.DataFrame({"nan": nan_cells, "rows": 1}).groupby(ids, sort=False).sum()
        missing = per_unit["nan"] + (n_years - per_unit["rows"]) * n_fields
        shares = missing / (n_years * n_fields)
        too_sparse = shares[shares > share + 1e-12]
        dropped = _sorted_units(too_sparse.index)
        dropped_shares = {u: float(too_sparse[u]) for u in dropped}
        if dropped:
            keep = ~pd.Series(ids).isin(set(too_sparse.index)).to_numpy()
            if not keep.any():
                raise InputError(
                    f"every unit has more than {share:.0%} of its cells missing; nothing is left "
                    "to fill (raise max_missing_share)"
                )

    kept = df.loc[keep] if not keep.all() else df
    kept_values = values.to_numpy()[keep]
    kept_years = years[keep]
    kept_ids = ids[keep]

    # Complete grid of units × years, units sorted (or in order of first
    # appearance when ids of mixed types cannot be sorted).
    try:
        unit_codes, units = pd.factorize(kept_ids, sort=True)
    except TypeError:
        unit_codes, units = pd.factorize(kept_ids, sort=False)
    y0, y1 = int(kept_years.min()), int(kept_years.max())
    n_years = y1 - y0 + 1
    n_units = len(units)
    grid_pos = unit_codes * n_years + (kept_years - y0)
    present = np.zeros(n_units * n_years, dtype=bool)
    present[grid_pos] = True
    source_row = np.full(n_units * n_years, -1, dtype=np.int64)
    source_row[grid_pos] = np.arange(len(kept))

    grid = np.full((n_units * n_years, n_fields), np.nan)
    grid[grid_pos] = kept_values
    grid_unit = np.repeat(np.arange(n_units), n_years)
    grid_year = np.tile(np.arange(y0, y1 + 1, dtype=np.int64), n_units)

    # Interior linear interpolation: previous / next valid position within the unit.
    pos = np.arange(len(grid), dtype="float64")
    was_nan = np.isnan(grid)
    filled_grid = grid.copy()
    for j in range(n_fields):
        valid_pos = np.where(was_nan[:, j], np.nan, pos)
        by_unit = pd.Series(valid_pos).groupby(grid_unit, sort=False)
        prev_pos = by_unit.ffill().to_numpy()
        next_pos = by_unit.bfill().to_numpy()
        interior = was_nan[:, j] & ~np.isnan(prev_pos) & ~np.isnan(next_pos)
        if interior.any():
            a = prev_pos[interior].astype(np.int64)
            b = next_pos[interior].astype(np.int64)
            va, vb = grid[a, j], grid[b, j]
            frac = (pos[interior] - a) / (b - a)
            filled_grid[interior, j] = va + (vb - va) * frac
    now_nan = np.isnan(filled_grid)

    # Assemble the output table: the complete grid; other columns taken from
    # the source row, or for added rows carried over if constant within units.
    added = ~present
    unit_values = np.asarray(units)[grid_unit]
    other = [c for c in df.columns if c not in names and c not in (id_field, year_field)]
    out = pd.DataFrame({id_field: unit_values, year_field: grid_year})
    if other:
        carried = kept[other].reset_index(drop=True)
        picked = carried.iloc[np.where(present, source_row, 0)].reset_index(drop=True)
        for col in other:
            column = picked[col]
            if added.any():
                per_unit = kept[col].groupby(kept_ids, sort=False)
                if (per_unit.nunique(dropna=True) <= 1).all():
                    constant = per_unit.first().reindex(units).to_numpy()[grid_unit]
                    replacement = pd.Series(constant, index=column.index)
                else:
                    replacement = pd.Series(np.nan, index=column.index)
                column = column.mask(pd.Series(added, index=column.index), replacement)
            out[col] = column
    for j, name in enumerate(names):
        out[name] = filled_grid[:, j]
    out = out[list(df.columns)]

    fi_rows, fi_cols = np.nonzero(was_nan & ~now_nan)
    un_rows, un_cols = np.nonzero(now_nan)
    filled = _cells(unit_values[fi_rows], grid_year[fi_rows], fi_cols, names, id_field, year_field)
    unfilled = _cells(unit_values[un_rows], grid_year[un_rows], un_cols, names, id_field, year_field)
    report = GapReport(
        filled=filled,
        dropped_units=dropped,
        unfilled=unfilled,
        added_rows=int(added.sum()),
        max_missing_share=max_missing_share,
        id_field=id_field,
        year_field=year_field,
        dropped_shares=dropped_shares,
    )
    return out, report

