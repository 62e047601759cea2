"""The values a Moran-type statistic tests: one finite number per unit of the weights.

A Series is aligned to the weights by its index (the unit ids); anything
else is taken in the order of ``w.ids``. Every refusal is an InputError
naming the field (and the year, when the caller gives it) and the units.
Any finite magnitude is accepted: the statistics rescale before squaring
(:mod:`spatial.scaling`), so 1e-300 and 1e300 are as valid as 1.
"""

import numpy as np
import pandas as pd

from .errors import InputError
from .weights import SpatialWeights, _preview


def _where(name, year):
    return f"field {name!r}" + ("" if year is None else f" in year {year}")


def moran_values(values, w: SpatialWeights, name="value", year=None) -> np.ndarray:
    """Values in the order of ``w.ids``; a Series is aligned by its index (ids).

    Raises InputError naming ``name`` (the field) and ``year`` (when given)
    for ids not matched either way, NULL or text values and infinite values
    (each with the units at fault), fewer than 3 units and a constant field.
    """
    where = _where(name, year)
    if isinstance(values, pd.Series) and not isinstance(values.index, pd.RangeIndex):
        extra = [v for v in values.index if v not in w._index]
        missing = [v for v in w.ids if v not in values.index]
        if extra:
            raise InputError(f"{where}: ids in the table but not in the polygons/weights: {_preview(extra)}")
        if missing:
            raise InputError(f"{where}: ids in the polygons/weights but not in the table: {_preview(missing)}")
        values = values.reindex(w.ids)
    y = np.asarray(values)
    if y.dtype.kind in "fi":
        y = y.astype(float)
    else:  # text, objects, nullable types: what is not a number becomes NaN (NULL)
        y = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(dtype=float)
    if y.shape[0] != w.n:
        raise InputError(f"{where}: {y.shape[0]} values for {w.n} units in the weights")
    null = np.isnan(y)
    if null.any():
        raise InputError(f"{where}: NULL or non-numeric values for units "
                         f"{_preview([w.ids[i] for i in np.flatnonzero(null)])}")
    infinite = np.isinf(y)
    if infinite.any():
        raise InputError(f"{where}: infinite values for units "
                         f"{_preview([w.ids[i] for i in np.flatnonzero(infinite)])}; "
                         "Moran's I needs a finite number for every unit")
    if w.n < 3:
        raise InputError(f"Moran's I needs at least 3 units; got {w.n}")
    if np.all(y == y[0]):
        raise InputError(f"{where}: all {w.n} values are equal ({y[0]:g}); Moran's I is undefined "
                         "for a constant field (no variance to correlate)")
    return y
