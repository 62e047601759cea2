"""Tier dynamics: spatial Markov chains and LISA Markov (giddy).

Spatial Markov (Rey 2001, Geographical Analysis 33(1):59–79): transition
probabilities of each unit's class from year t to t+1, conditioned on the
class of its neighbours in year t (giddy.markov.Spatial_Markov). With tiers
(discrete input) the neighbours' class is the modal tier among neighbours
(giddy's ``lag_categorical``, ties resolved by the unit's own tier when it is
among the modes); with continuous values both own and lag classes are
quantiles (``k`` and ``m`` classes, pooled over years when ``fixed``).
Tests: ``Q`` and ``LR`` of homogeneity of the conditional matrices
(Bickenbach & Bode 2003), ``X2`` of spatial dependence (sum of chi-square
tests of each conditional matrix against the pooled one).

LISA Markov (Rey 2014): transitions between Moran scatterplot quadrants
(1 HH, 2 LH, 3 LL, 4 HL) and the chi-square test that own and neighbours'
moves are independent (giddy.markov.LISA_Markov).

Classes and quadrants do not depend on the scale of the values, so
continuous values are passed to giddy times a power of two
(:func:`spatial.scaling.unit_scaled`): values near 1e±300 get the classes
of their unit-scale counterparts instead of overflowing z-scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
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


def spatial_markov(panel_df: pd.DataFrame, id_field: str, year_field: str, w: SpatialWeights,
                   tier_field: str | None = None, value_field: str | None = None, k: int = 4, m: int = 4,
                   fixed: bool = True, seed: int = 0) -> SpatialMarkovResult:
    """Spatial Markov transition matrices of tiers (``tier_field``, discrete)
    or quantile classes of ``value_field`` (``k`` own classes, ``m`` lag
    classes), conditioned on the neighbours' class in the starting year.
    Units are ordered as ``w.ids``; every unit needs every year. giddy breaks
    ties of the modal neighbour tier at random with numpy's global generator:
    it is seeded with ``seed`` for the call and restored afterwards.
    """
    import giddy.markov as gm

    if (tier_field is None) == (value_field is None):
        raise InputError("give exactly one of tier_field (discrete tiers) or value_field (continuous values)")
    fname = tier_field or value_field
    wide = _wide(panel_df, id_field, year_field, fname, w)
    lw = w.to_libpysal()
    if tier_field:
        y = wide.to_numpy()
        state = np.random.get_state()
        try:
            np.random.seed(seed)
            sm = gm.Spatial_Markov(y, lw, discrete=True, fill_empty_classes=False)
        finally:
            np.random.set_state(state)
        labels = [v.item() if hasattr(v, "item") else v for v in sm.classes]
        conditions = labels
    else:
        y = unit_scaled(wide.to_numpy(dtype=float))  # classes are scale-free; no overflow
        if not (isinstance(k, (int, np.integer)) and k >= 2 and isinstance(m, (int, np.integer)) and m >= 2):
            raise InputError(f"k and m must be integers >= 2; got k={k!r}, m={m!r}")
        sm = gm.Spatial_Markov(y, lw, k=int(k), m=int(m), fixed=fixed, discrete=False)
        labels = list(range(sm.k))
        conditions = list(range(sm.m))
    pooled = _tidy([sm.p], [sm.transitions], labels, ["ALL"])
    cond = _tidy(sm.P, sm.T, labels, conditions)
    tests = pd.DataFrame(
        [
            {"TEST": "Q", "STATISTIC": float(sm.Q), "DOF": int(sm.dof_hom), "P_VALUE": float(sm.Q_p_value)},
            {"TEST": "LR", "STATISTIC": float(sm.LR), "DOF": int(sm.dof_hom), "P_VALUE": float(sm.LR_p_value)},
            {"TEST": "X2", "STATISTIC": float(sm.x2), "DOF": int(sm.x2_dof), "P_VALUE": float(sm.x2_pvalue)},
        ]
    )
    return SpatialMarkovResult(pd.concat([pooled, cond], ignore_index=True), tests, labels)


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
    """LISA Markov chain of Moran scatterplot quadrants (giddy.markov.LISA_Markov)."""
    import giddy.markov as gm

    wide = _wide(panel_df, id_field, year_field, value_field, w)
    y = unit_scaled(wide.to_numpy(dtype=float))  # quadrants are scale-free; z-scores cannot overflow
    lm = gm.LISA_Markov(y, w.to_libpysal())
    names = [QUADRANT_NAMES[c] for c in (1, 2, 3, 4)]
    trans = _tidy([lm.p], [lm.transitions], names, ["ALL"]).drop(columns="CONDITION")
    chi2, pval, dof = lm.chi_2
    tests = pd.DataFrame([{"TEST": "CHI2", "STATISTIC": float(chi2), "DOF": int(dof), "P_VALUE": float(pval)}])
    q = pd.DataFrame(lm.q, index=wide.index, columns=wide.columns)
    quads = q.stack().rename("LISA_Q").reset_index()
    quads.columns = [id_field, "YEAR", "LISA_Q"]
    return LisaMarkovResult(trans, tests, quads)
