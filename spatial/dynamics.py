"""Tier dynamics: spatial Markov chains and LISA Markov.

**Spatial Markov** (Rey 2001, Geographical Analysis 33(3):195–214): transition
counts ``n_ijl`` of each unit's class from year t (i) to t+1 (j), one k × k
matrix per class l of its neighbours in year t, and the pooled chain
``n_ij = sum_l n_ijl``; probabilities ``p_ij = n_ij / n_i``, rows without
transitions left at 0 (:mod:`spatial.markov_tests`). With tiers (discrete
input) the neighbours' class is their modal tier, ties broken by the unit's
own tier and then at random; with continuous values both own and lag
(``W y``, the weights' transform) classes are quantiles, ``k`` and ``m`` of
them, pooled over the years when ``fixed`` (then tied bins can leave fewer
classes) or per year (:mod:`spatial.markov_classes`).
Tests: ``Q`` and ``LR`` of the homogeneity of the conditional matrices
(Bickenbach & Bode 2003, International Regional Science Review
26(3):363–392), ``X2`` of spatial dependence: the sum over lag classes of
the chi-square of each conditional count matrix against the pooled
probabilities, with ``k (k - 1)^2`` degrees of freedom (Rey 2001).

**LISA Markov** (Rey 2001; Rey, Murray & Anselin 2011, Letters in Spatial
and Resource Sciences 4(1):81–90): transitions between Moran scatterplot
quadrants (1 HH, 2 LH, 3 LL, 4 HL), and the chi-square test that the unit's
and its neighbours' moves are independent: the expected transitions share
each quadrant's count out by the Kronecker product of two two-state chains
counted over every unit from one year to the next, the unit above the
year's mean or not (z > 0) and its neighbours' lag above it or not
(Wz > 0). giddy's ``LISA_Markov`` forms these chains on its years × units
array instead, so that its mean is each unit's own over the years and its
chains step from one unit to the next within a year: its statistic changes
when the units are reordered (48 US states 1929–2009: 1058.2, reordered
1004.0) while its transitions do not. Ours does not depend on the order;
the transitions, quadrants and P equal giddy's.

Every number of the spatial Markov chain equals giddy's ``Spatial_Markov``
(``fill_empty_classes`` False), and of the LISA Markov chain all but the
chi-square (the tests compare them); they are computed here
with numpy and scipy, because importing giddy imports quantecon, which
compiles numba code on import and fails when the command line has turned
numba's compiler off (:mod:`toolbox.jit`) and numba's cache is empty.

Classes and quadrants do not depend on the scale of the values, so
continuous values are classed times a power of two
(:func:`spatial.scaling.unit_scaled`): values near 1e±300 get the classes
of their unit-scale counterparts instead of overflowing z-scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .markov_classes import modal_neighbour_classes, moran_quadrants, pysal_weights, quantile_classes, spatial_lag
from .markov_tests import chi2_against, homogeneity, row_probabilities, spatial_dependence
from .scaling import unit_scaled
from .weights import SpatialWeights, _preview

QUADRANT_NAMES = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def _wide(panel, id_field, year_field, field_name, w):
    for f in (id_field, year_field, field_name):
        if f not in panel.columns:
            raise InputError(f"field {f!r} is not in the table; fields are {list(panel.columns)}")
    extra = sorted({v for v in panel[id_field].unique() if v not in w._index}, key=str)
    if extra:
        raise InputError(f"ids in the table but not in the polygons/weights: {_preview(extra)}")
    if panel.duplicated([id_field, year_field]).any():
        raise InputError(f"more than one row per ({id_field}, {year_field})")
    wide = panel.pivot(index=id_field, columns=year_field, values=field_name)
    missing = [v for v in w.ids if v not in wide.index]
    if missing:
        raise InputError(f"ids in the polygons/weights but not in the table: {_preview(missing)}")
    wide = wide.reindex(w.ids).sort_index(axis=1)
    if wide.shape[1] < 2:
        raise InputError(f"transitions need at least two years in {year_field!r}; found {wide.shape[1]}")
    nulls = wide.isna()
    if nulls.to_numpy().any():
        r, c = np.nonzero(nulls.to_numpy())
        cells = [f"{wide.index[i]} in {wide.columns[j]}" for i, j in zip(r[:10], c[:10])]
        raise InputError(f"field {field_name!r} is NULL (or the row is missing) for: {', '.join(cells)}")
    if all(pd.api.types.is_float_dtype(t) for t in wide.dtypes):
        r, c = np.nonzero(np.isinf(wide.to_numpy(dtype=float)))
        if r.size:
            cells = [f"{wide.index[i]} in {wide.columns[j]}" for i, j in zip(r[:10], c[:10])]
            raise InputError(f"field {field_name!r} is infinite for: {', '.join(cells)}")
    if w.islands:
        raise InputError(
            f"units without neighbours have no neighbour class; use knn weights or drop them: {_preview(w.islands)}"
        )
    return wide


@dataclass
class SpatialMarkovResult:
    """``transitions``: CONDITION (lag class; 'ALL' for the pooled chain),
    FROM, TO, COUNT, P. ``tests``: TEST, STATISTIC, DOF, P_VALUE (Q, LR, X2).
    ``classes`` the class labels in order."""

    transitions: pd.DataFrame
    tests: pd.DataFrame
    classes: list
    steady_state: pd.DataFrame = field(default_factory=pd.DataFrame)


def _tidy(matrices_p, matrices_t, labels, conditions):
    rows = []
    for cond, P, T in zip(conditions, matrices_p, matrices_t):
        P = np.asarray(P, float)
        T = np.asarray(T, float)
        for a, fa in enumerate(labels):
            for b, tb in enumerate(labels):
                rows.append({"CONDITION": cond, "FROM": fa, "TO": tb, "COUNT": int(T[a, b]), "P": float(P[a, b])})
    return pd.DataFrame(rows, columns=["CONDITION", "FROM", "TO", "COUNT", "P"])


def _transition_counts(classes, k, conditions=None, m=1):
    """Counts of moves from class a in year t to class b in year t+1 (k × k),
    or with ``conditions`` (class of the neighbours in year t, m of them)
    one k × k matrix per condition (m × k × k)."""
    cell = classes[:, :-1].ravel() * k + classes[:, 1:].ravel()
    shape = (k, k)
    if conditions is not None:
        cell = conditions[:, :-1].ravel() * (k * k) + cell
        shape = (m, k, k)
    return np.bincount(cell, minlength=m * k * k).astype(float).reshape(shape)


def spatial_markov(panel_df: pd.DataFrame, id_field: str, year_field: str, w: SpatialWeights,
                   tier_field: str | None = None, value_field: str | None = None, k: int = 4, m: int = 4,
                   fixed: bool = True, seed: int = 0) -> SpatialMarkovResult:
    """Spatial Markov transition matrices of tiers (``tier_field``, discrete)
    or quantile classes of ``value_field`` (``k`` own classes, ``m`` lag
    classes), conditioned on the neighbours' class in the starting year
    (module docstring). Units are ordered as ``w.ids``; every unit needs
    every year. Ties of the modal neighbour tier are broken at random with
    numpy's global generator, as libpysal does: it is seeded with ``seed``
    for the call and restored afterwards.
    """
    if (tier_field is None) == (value_field is None):
        raise InputError("give exactly one of tier_field (discrete tiers) or value_field (continuous values)")
    fname = tier_field or value_field
    wide = _wide(panel_df, id_field, year_field, fname, w)
    weights = pysal_weights(w, row_standardised=w.transform == "r")
    if tier_field:
        y = wide.to_numpy()
        classes, own = np.unique(y, return_inverse=True)
        own = own.reshape(y.shape)
        n_classes = n_lag = len(classes)
        state = np.random.get_state()
        try:
            np.random.seed(seed)
            lag = modal_neighbour_classes(weights, own)
        finally:
            np.random.set_state(state)
        labels = [v.item() if hasattr(v, "item") else v for v in classes]
        conditions = labels
    else:
        if not (isinstance(k, (int, np.integer)) and k >= 2 and isinstance(m, (int, np.integer)) and m >= 2):
            raise InputError(f"k and m must be integers >= 2; got k={k!r}, m={m!r}")
        y = unit_scaled(wide.to_numpy(dtype=float))  # classes are scale-free; no overflow
        own, n_classes = _value_classes(y, int(k), fixed)
        lag, n_lag = _value_classes(spatial_lag(weights, y), int(m), fixed)
        labels = list(range(n_classes))
        conditions = list(range(n_lag))
    pooled = _transition_counts(own, n_classes)
    by_lag = _transition_counts(own, n_classes, lag, n_lag)
    hom = homogeneity(by_lag)
    x2, x2_p, x2_dof = spatial_dependence(by_lag, pooled)
    tests = pd.DataFrame(
        [
            {"TEST": "Q", "STATISTIC": float(hom["Q"]), "DOF": hom["DOF"], "P_VALUE": float(hom["Q_P_VALUE"])},
            {"TEST": "LR", "STATISTIC": float(hom["LR"]), "DOF": hom["DOF"], "P_VALUE": float(hom["LR_P_VALUE"])},
            {"TEST": "X2", "STATISTIC": float(x2), "DOF": int(x2_dof), "P_VALUE": float(x2_p)},
        ]
    )
    table = pd.concat([_tidy([row_probabilities(pooled)], [pooled], labels, ["ALL"]),
                       _tidy(row_probabilities(by_lag), by_lag, labels, conditions)], ignore_index=True)
    return SpatialMarkovResult(table, tests, labels)


def _value_classes(y, k, fixed):
    """Quantile classes of the n × t values: pooled over the years
    (``fixed``; the number of classes is that of distinct bins) or per year
    (k classes, some perhaps empty in a year with tied bins)."""
    if fixed:
        return quantile_classes(y, k)
    columns = [quantile_classes(y[:, t], k)[0] for t in range(y.shape[1])]
    return np.column_stack(columns), k


@dataclass
class LisaMarkovResult:
    """``transitions``: FROM, TO (quadrant names HH/LH/LL/HL), COUNT, P.
    ``tests``: CHI2 of independence of own and neighbours' moves.
    ``quadrants``: per unit and year (columns id, YEAR, LISA_Q)."""

    transitions: pd.DataFrame
    tests: pd.DataFrame
    quadrants: pd.DataFrame


def lisa_markov(panel_df: pd.DataFrame, id_field: str, year_field: str, value_field: str,
                w: SpatialWeights) -> LisaMarkovResult:
    """LISA Markov chain of Moran scatterplot quadrants and its chi-square
    test of independence (module docstring); row-standardised weights
    whatever the transform of ``w`` (as esda's ``Moran_Local``)."""
    wide = _wide(panel_df, id_field, year_field, value_field, w)
    y = unit_scaled(wide.to_numpy(dtype=float))  # quadrants are scale-free; z-scores cannot overflow
    weights = pysal_weights(w, row_standardised=True)
    q = moran_quadrants(y, weights)
    counts = _transition_counts(q - 1, 4)
    names = [QUADRANT_NAMES[c] for c in (1, 2, 3, 4)]
    trans = _tidy([row_probabilities(counts)], [counts], names, ["ALL"]).drop(columns="CONDITION")
    chi2, pval, dof = chi2_against(counts, _independent_moves_expected(q, counts))
    tests = pd.DataFrame([{"TEST": "CHI2", "STATISTIC": float(chi2), "DOF": int(dof), "P_VALUE": float(pval)}])
    quads = pd.DataFrame(q, index=wide.index, columns=wide.columns).stack().rename("LISA_Q").reset_index()
    quads.columns = [id_field, "YEAR", "LISA_Q"]
    return LisaMarkovResult(trans, tests, quads)


def _independent_moves_expected(q, counts):
    """Expected LISA transitions if a unit's move and its neighbours' move
    were independent (Rey, Murray & Anselin 2011): the Kronecker product of
    two two-state chains counted over every unit from year t to t+1 — the
    unit's value above the year's mean or not (z > 0) and its neighbours'
    lag above it or not (Wz > 0), the two halves of its quadrant ``q`` —
    shares out each quadrant's transitions."""
    own = row_probabilities(_transition_counts(np.isin(q, (2, 3)).astype(int), 2))  # LH, LL: low
    lag = row_probabilities(_transition_counts(np.isin(q, (3, 4)).astype(int), 2))  # LL, HL: low lag
    # state 2 a + b of the product chain, a (own) and b (lag) 1 when low:
    # 0 HH, 1 HL, 2 LH, 3 LL, taken in quadrant order HH, LH, LL, HL
    order = [0, 2, 3, 1]
    independent = np.kron(own, lag)[np.ix_(order, order)]
    return counts.sum(axis=1)[:, None] * independent