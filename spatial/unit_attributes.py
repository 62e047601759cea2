"""Unit-level attributes (region, province, agglomeration…) joined onto a long panel by unit id.

A panel has one row per unit and year; a unit table (or the attribute table of
a polygon layer) one row per unit. Joining the second onto the first makes its
fields usable by any method as if they were in the panel. The join is a hash
join (:meth:`pandas.Index.get_indexer` on the unit ids, then one take per
field), linear in the number of rows; no per-row Python loop.
"""

from typing import List, Optional, Tuple

import numpy as np
import pandas as pd

from .errors import InputError

_SHOWN = 10  # ids named in a message before "… and N more"


def _shown(value) -> str:
    """A value as a message shows it: text quoted, numbers plain (no ``np.float64(…)``)."""
    return repr(value) if isinstance(value, str) else str(value)


def _named(values) -> str:
    values = [str(v) for v in values]
    text = ", ".join(repr(v) for v in values[:_SHOWN])
    if len(values) > _SHOWN:
        text += f" … and {len(values) - _SHOWN} more"
    return text


def join_keys(panel_ids: pd.Series, unit_ids: pd.Series) -> Tuple[pd.Series, pd.Series]:
    """The two id columns in one comparable form.

    Ids of the same dtype are used as they are. Numbers against text (a CSV
    read as integers, a GeoPackage holding the ids as text): the text becomes
    integers when every id is written as a whole number without leading zeros
    (``"110100"``), else both become text, whole numbers without a decimal part
    (``110100.0`` → ``"110100"``).
    """
    if panel_ids.dtype == unit_ids.dtype:
        return panel_ids, unit_ids
    numeric = [pd.api.types.is_numeric_dtype(ids.dtype) and not pd.api.types.is_bool_dtype(ids.dtype)
               for ids in (panel_ids, unit_ids)]
    if all(numeric):
        return panel_ids.astype(float), unit_ids.astype(float)
    if any(numeric):
        text = unit_ids if numeric[0] else panel_ids
        stripped = text.astype(str).str.strip()
        whole = stripped.str.fullmatch(r"-?(0|[1-9]\d{0,17})")
        if whole.all():
            as_int = stripped.astype("int64")
            return (panel_ids, as_int) if numeric[0] else (as_int, unit_ids)

    def as_text(ids: pd.Series) -> pd.Series:
        if pd.api.types.is_float_dtype(ids.dtype):
            whole = ids.dropna()
            if (whole == whole.round()).all():
                ids = ids.astype("Int64")
        return ids.astype(str).str.strip()

    return as_text(panel_ids), as_text(unit_ids)


def with_unit_attributes(panel: pd.DataFrame, units: pd.DataFrame, id_field: str,
                         units_id_field: Optional[str] = None, *, year_field: Optional[str] = None,
                         require_all: bool = True, conflicts: str = "error") -> Tuple[pd.DataFrame, List[str], List[str]]:
    """``panel`` with the fields of ``units`` joined by unit id; (joined panel, fields added,
    fields present in both).

    ``units_id_field`` (default ``id_field``) names the id field of ``units``;
    geometry columns of ``units`` are not copied. A field present in both must
    hold the same value for every row of the panel (compared after the join;
    missing equals missing); with ``conflicts="error"`` a difference raises
    InputError naming the field, unit and year (``year_field``), with ``"panel"`` the panel's
    value is kept. Raises InputError when ``units`` lacks its id field, repeats
    an id, or — with ``require_all`` — has no row for a unit of the panel (the
    units are named). Returns a new DataFrame with the panel's index and row
    order; the inputs are not modified.
    """
    units_id_field = units_id_field or id_field
    if id_field not in panel.columns:
        raise InputError(f"the panel has no unit id field {id_field!r}")
    if units_id_field not in units.columns:
        raise InputError(f"the unit attributes have no id field {units_id_field!r}; their fields are "
                         + ", ".join(map(str, units.columns)))
    geometry = getattr(units, "_geometry_column_name", None)
    fields = [c for c in units.columns if c != units_id_field and c != geometry
              and c != id_field]
    if geometry is None:
        fields = [c for c in fields if c != "geometry"]
    shared = [c for c in fields if c in panel.columns]
    added = [c for c in fields if c not in panel.columns]
    panel_keys, unit_keys = join_keys(panel[id_field], units[units_id_field])
    index = pd.Index(unit_keys)
    if not index.is_unique:
        ids = pd.unique(unit_keys[unit_keys.duplicated(keep=False)])
        raise InputError(f"the unit attributes repeat {len(ids)} unit id(s) of {units_id_field}: "
                         f"{_named(ids)}; give one row per unit")
    rows = index.get_indexer(panel_keys)  # the hash join: position of each panel row's unit
    missing = rows < 0
    if require_all and missing.any():
        ids = pd.unique(panel[id_field][missing])
        raise InputError(f"the unit attributes have no row for {len(ids)} unit(s) of the panel "
                         f"({id_field}): {_named(ids)}")
    out = panel.copy()
    for column in shared:
        theirs = _taken(units[column], rows, missing)
        ours = panel[column]
        differ = ~(_same(ours, pd.Series(theirs, index=panel.index)))
        if differ.any() and conflicts == "error":
            row = differ.to_numpy().nonzero()[0][0]
            where = f"unit {_shown(panel[id_field].iloc[row])}"
            if year_field and year_field in panel.columns:
                where += f" year {panel[year_field].iloc[row]}"
            raise InputError(
                f"field {column!r} is in both the panel and the unit attributes with different values "
                f"({differ.sum()} row(s)); first at {where}, row {row + 1}: panel "
                f"{_shown(ours.iloc[row])}, unit attributes {_shown(theirs[row])}; rename or drop one of them")
    for column in added:
        out[column] = _taken(units[column], rows, missing)
    return out, added, shared


def _taken(values: pd.Series, rows: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``values`` at positions ``rows``; missing where ``missing`` (integers become floats then)."""
    if not missing.any():
        return values.to_numpy()[rows]
    return values.reset_index(drop=True).reindex(np.where(missing, -1, rows)).to_numpy()


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    """Row-wise equality where missing equals missing; numbers compared as numbers."""
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    try:
        equal = (pd.to_numeric(a) == pd.to_numeric(b)).to_numpy()
    except (ValueError, TypeError):
        equal = (a.astype("string") == b.astype("string")).fillna(False).to_numpy()
    return pd.Series(both_missing | equal, index=a.index)
