"""The values a Moran-type statistic tests: one finite number per unit of the weights.

A Series is aligned to the weights by its index (the unit ids); anything
else is taken in the order of ``w.ids``. Every refusal is an InputError
naming the field (and the year, when the caller gives it) and the units.
"""

import numpy as np
import pandas as pd

from .errors import InputError
from .weights import SpatialWeights, _preview


def moran_values(values, w: SpatialWeights, name="value") -> np.ndarray:
    """Values in the order of ``w.ids``; a Series is aligned by its index (ids)."""
    if isinstance(values, pd.Series) and not isinstance(values.index, pd.RangeIndex):
        extra = [v for v in values.index if v not in w._index]
        missing = [v for v in w.ids if v not in values.index]
        if extra:
            raise InputError(f"{name}: ids in the table but not in the polygons/weights: {_preview(extra)}")
        if missing:
            raise InputError(f"{name}: ids in the polygons/weights but not in the table: {_preview(missing)}")
        values = values.reindex(w.ids)
    y = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(dtype=float)
    if y.shape[0] != w.n:
        raise InputError(f"{name}: {y.shape[0]} values for {w.n} units in the weights")
    bad = ~np.isfinite(y)
    if bad.any():
        raise InputError(f"{name}: NULL or non-numeric values for units {_preview([w.ids[i] for i in np.flatnonzero(bad)])}")
    if w.n < 3:
        raise InputError(f"Moran's I needs at least 3 units; got {w.n}")
    if np.ptp(y) == 0:
        raise InputError(f"{name}: all {w.n} values are equal ({y[0]}); Moran's I is undefined")
    return y
