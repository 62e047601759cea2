"""Classes of units and of their neighbours for spatial and LISA Markov chains.

Each function gives the classes PySAL gives (giddy, libpysal, mapclassify,
esda; the tests check equality), written here so that a Markov chain does
not import giddy, whose import chain compiles numba code (quantecon) and
fails where the command line switches numba's compiler off.

Weights are PySAL's ``W`` as :meth:`spatial.weights.SpatialWeights.to_libpysal`
makes it: the original weights of each unit's neighbours in ascending unit
order, row-standardised as libpysal does it, ``w_ij / sum_j w_ij`` with the
row sum taken by Python's ``sum`` (:func:`pysal_weights`).

- **Spatial lag** ``[Wy]_i = sum_j w_ij y_j``, added in neighbour order, as
  ``scipy.sparse`` does for libpysal's ``lag_spatial``.
- **Quantile classes** (mapclassify's ``Quantiles``): bins are the
  percentiles ``100 j / k``, j = 1..k (``scipy.stats.scoreatpercentile``,
  linear interpolation between order statistics), with repeated bins
  dropped — tied values can leave fewer than k classes; a value is in the
  class of the first bin that is >= it.
- **Modal neighbour class** (libpysal's ``lag_categorical`` with
  ``ties="tryself"``; Rey 2001 uses the neighbours' class): per year, the
  class with the largest sum of the unit's weights among its neighbours.
  On a tie the unit's own class is added with the mean of its weights; if
  that leaves a tie (its own class was not among the modes and reaches at
  most their tally), one of the tied classes is drawn with numpy's global
  generator (``numpy.random.choice``), year by year and unit by unit in
  unit order — the draws libpysal makes.
- **Moran scatterplot quadrants** (Anselin 1995; esda's ``Moran_Local``,
  ``geoda_quads=False``): per year ``z = (y - mean) / sd`` (sd with
  ddof 0), ``Wz`` with row-standardised weights; 1 HH (z > 0, Wz > 0),
  2 LH (z <= 0, Wz > 0), 3 LL (z <= 0, Wz <= 0), 4 HL (z > 0, Wz <= 0): a
  value of exactly 0 counts as low.
"""

from __future__ import annotations

import numpy as np

from .weights import CSR, SpatialWeights


def pysal_weights(w: SpatialWeights, row_standardised: bool) -> CSR:
    """The weights of ``w`` as PySAL holds them (module docstring): the
    original weights, or each divided by its row's sum."""
    m = w._csr
    if not row_standardised:
        return CSR(m.indptr, m.indices, np.asarray(m.data, dtype=float))
    data = m.data.tolist()
    bounds = m.indptr.tolist()
    sums = [sum(data[a:b]) * 1.0 for a, b in zip(bounds[:-1], bounds[1:])]
    card = np.diff(m.indptr)
    return CSR(m.indptr, m.indices, m.data / np.repeat(np.asarray(sums, dtype=float), card))


def spatial_lag(weights: CSR, values) -> np.ndarray:
    """``W y`` for ``values`` of shape (n,) or (n, t), each unit's products
    added in neighbour order."""
    y = np.asarray(values, dtype=float)
    n = len(weights.indptr) - 1
    row = np.repeat(np.arange(n), np.diff(weights.indptr))
    if y.ndim == 1:
        return np.bincount(row, weights=weights.data * y[weights.indices], minlength=n)
    out = np.empty(y.shape)
    for t in range(y.shape[1]):
        out[:, t] = np.bincount(row, weights=weights.data * y[weights.indices, t], minlength=n)
    return out


def quantile_classes(values, k: int):
    """Quantile classes of ``values`` (any shape; classed together) into
    ``k`` classes as mapclassify's ``Quantiles``: (class of each value,
    0-based, in the shape of ``values``; number of classes after dropping
    repeated bins)."""
    from scipy.stats import scoreatpercentile

    y = np.asarray(values, dtype=float)
    step = 100.0 / k
    percents = np.arange(step, 100 + step, step)   # mapclassify's grid: may end a hair off 100
    if percents[-1] > 100.0:
        percents[-1] = 100.0
    flat = y.ravel()
    bins = np.unique(scoreatpercentile(flat, percents))
    classes = np.searchsorted(bins, flat, side="left")
    classes[classes == len(bins)] = 0  # above a last bin short of the maximum: mapclassify's class 0
    return classes.astype(int).reshape(y.shape), len(bins)


def modal_neighbour_classes(weights: CSR, classes) -> np.ndarray:
    """Modal class among each unit's neighbours, per column (year) of the
    integer ``classes`` (n × t), ties broken as the module docstring says
    (numpy's global generator is drawn from, not seeded)."""
    c = np.asarray(classes)
    n = c.shape[0]
    card = np.diff(weights.indptr)
    row = np.repeat(np.arange(n), card)
    out = np.empty_like(c)
    for t in range(c.shape[1]):
        labels, code = np.unique(c[:, t], return_inverse=True)
        code = code.reshape(-1)
        tally = np.zeros((n, len(labels)))
        np.add.at(tally, (row, code[weights.indices]), weights.data)  # in neighbour order
        top = tally.max(axis=1)
        tied = (tally == top[:, None]).sum(axis=1) > 1
        choice = tally.argmax(axis=1)
        for i in np.flatnonzero(tied):
            own = tally[i].copy()
            own[code[i]] += np.mean(weights.data[weights.indptr[i]:weights.indptr[i + 1]])
            modes = np.flatnonzero(own == own.max())
            choice[i] = modes[0] if len(modes) == 1 else np.random.choice(modes)
        out[:, t] = labels[choice]
    return out


def moran_quadrants(values, weights: CSR) -> np.ndarray:
    """Moran scatterplot quadrant (1 HH, 2 LH, 3 LL, 4 HL) of each unit in
    each column (year) of ``values`` (n × t), with row-standardised
    ``weights`` (module docstring)."""
    y = np.asarray(values, dtype=float)
    q = np.empty(y.shape, dtype=np.int64)
    for t in range(y.shape[1]):
        col = y[:, t].copy()
        z = col - col.mean()
        with np.errstate(all="ignore"):
            z /= col.std()
        high = z > 0
        high_lag = spatial_lag(weights, z) > 0
        q[:, t] = np.where(high, np.where(high_lag, 1, 4), np.where(high_lag, 2, 3))
    return q
