"""Global and local Moran's I for every year of a long panel (one row per unit and year).

Each year's cross-section is checked against the weights (every unit once,
no unknown ids, no NULL, infinite or constant values; messages name the
year, the field and the units) and passed to :mod:`spatial.moran` or
:mod:`spatial.lisa`. Each year's draws are seeded with
``[seed, year]`` (:func:`spatial.permutation.year_seed`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .lisa import local_moran, local_moran_bv
from .moran import global_moran, global_moran_bv
from .moran_input import moran_values
from .permutation import year_seed
from .weights import SpatialWeights, _preview


def _year_slices(panel, id_field, year_field, fields, w):
    """(year, {field: values in the order of ``w.ids``}) for every year, in
    order. The rows' positions in the weights are looked up once for the
    whole panel (one hash lookup per row) and each year's values placed by
    them, rather than a set, a list and a re-indexed table per year."""
    for f in [id_field, year_field, *fields]:
        if f not in panel.columns:
            raise InputError(f"field {f!r} is not in the table; fields are {list(panel.columns)}")
    position = pd.Index(w.ids).get_indexer(panel[id_field])
    if (position < 0).any():
        extra = sorted({v for v in panel[id_field].unique() if v not in w._index}, key=str)
        raise InputError(f"ids in the table but not in the polygons/weights: {_preview(extra)}")
    dup = panel.duplicated([id_field, year_field])
    if dup.any():
        bad = panel.loc[dup, [id_field, year_field]].head(5).to_records(index=False).tolist()
        raise InputError(f"more than one row per ({id_field}, {year_field}): {bad}")
    columns = {f: panel[f].to_numpy() for f in fields}
    for year, rows in panel.groupby(year_field, sort=True).indices.items():
        at = position[rows]
        if len(at) < w.n:  # no repeats (refused above): a unit is missing
            present = np.zeros(w.n, dtype=bool)
            present[at] = True
            missing = [w.ids[i] for i in np.flatnonzero(~present)]
            raise InputError(f"year {year}: ids in the polygons/weights but not in the table: {_preview(missing)}")
        g = {}
        for f in fields:
            values = np.empty(w.n, dtype=columns[f].dtype)
            values[at] = columns[f][rows]
            g[f] = moran_values(values, w, name=f, year=year)
        yield year, g


def _year_count(panel, year_field) -> int:
    return max(1, int(panel[year_field].nunique())) if year_field in panel.columns else 1


def global_moran_by_year(panel_df: pd.DataFrame, id_field: str, year_field: str, value_field: str,
                         w: SpatialWeights, permutations: int = 999, seed=None, n_jobs: int = 1,
                         second_field: str | None = None, draws: str = "paired",
                         progress=None) -> pd.DataFrame:
    """Global Moran's I per year: columns YEAR, I, EI, VI, Z, P_NORM, P_SIM, N.
    Bivariate (value against the spatial lag of ``second_field``, as
    esda.Moran_BV; EI, VI, Z and P_NORM are then NaN) when ``second_field``
    is given. Year y uses seed ``[seed, y]`` when ``seed`` is an int
    (reproducible, whatever other years the table holds). Raises InputError for ids not matched either way, NULL,
    infinite or constant values, duplicates (naming the year and field).
    ``progress``, if given, is called with the fraction of years done after
    each year (it may raise to stop the loop)."""
    rows = []
    fields = [value_field] + ([second_field] if second_field else [])
    years = _year_count(panel_df, year_field)
    for t, (year, g) in enumerate(_year_slices(panel_df, id_field, year_field, fields, w)):
        s = year_seed(seed, year)
        x = g[value_field]
        if second_field:
            r = global_moran_bv(x, g[second_field], w, permutations, s, n_jobs, draws)
        else:
            r = global_moran(x, w, permutations, s, n_jobs, draws)
        rows.append({"YEAR": year, **r.to_dict()})
        if progress is not None:
            progress((t + 1) / years)
    return pd.DataFrame(rows, columns=["YEAR", "I", "EI", "VI", "Z", "P_NORM", "P_SIM", "N"])


def local_moran_by_year(panel_df: pd.DataFrame, id_field: str, year_field: str, value_field: str,
                        w: SpatialWeights, second_field: str | None = None, permutations: int = 999, seed=None,
                        significance: float = 0.05, correction: str = "none", n_jobs: int = 1,
                        progress=None) -> pd.DataFrame:
    """LISA per year (bivariate when ``second_field`` is given: value vs lag
    of second): columns <id_field>, YEAR, LISA_I, LISA_P, LISA_Q, CLUSTER,
    LISA_Z, LISA_LAG. Correction applies within each year. ``progress`` as
    for :func:`global_moran_by_year`."""
    fields = [value_field] + ([second_field] if second_field else [])
    years = _year_count(panel_df, year_field)
    out = []
    for t, (year, g) in enumerate(_year_slices(panel_df, id_field, year_field, fields, w)):
        s = year_seed(seed, year)
        x = g[value_field]
        if second_field:
            r = local_moran_bv(x, g[second_field], w, permutations, s, significance,
                               correction, n_jobs)
        else:
            r = local_moran(x, w, permutations, s, significance, correction, n_jobs)
        f = r.to_frame(id_field)
        f.insert(1, "YEAR", year)
        out.append(f)
        if progress is not None:
            progress((t + 1) / years)
    return pd.concat(out, ignore_index=True)
