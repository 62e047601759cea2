"""Drivers of a target (normally the coupling coordination degree D).

Decision tree, random forest, gradient boosting (scikit-learn) and ordinary
least squares of a target on chosen driver fields, for the full sample and
within each group (tier): train / test R², cross-validated R², RMSE, OLS
adjusted R² and coefficients, impurity and permutation importances and
partial dependence. This is the analysis behind Tables 6-7 of Yang & Geng
(2026), made honest about panel leakage.

Splits. A panel holds several years of every unit. A random row split
(``split="random"``, ``sklearn.model_selection.train_test_split``; the
reference study's way) puts a city's other years into the training set, so the
test R² measures interpolation within known cities. A split grouped by unit
(``split="grouped"``, ``GroupShuffleSplit`` on ``id_field``) keeps every unit
entirely in train or entirely in test; ``test_size`` is then the share of
*units* held out. Both splits are always computed, so the leakage gap
(random minus grouped R²) is visible; ``split`` only says which one is primary
(listed first, used for importances and partial dependence).
Cross-validated R² (``R2_CV_MEAN``, ``R2_CV_STD``) is computed on the whole
sample of the group: ``GroupKFold`` over units for the grouped split (the
honest number to report), shuffled ``KFold`` (seeded) for the random split.
It is computed for the primary split only (NaN for the other) unless
``cv_both_splits=True``: cross-validation is most of the run time.
With fewer units than ``cv_folds`` the number of folds is reduced (noted).

Models and their fixed defaults (``DEFAULT_PARAMS``; override any with
``model_params={"forest": {"n_estimators": 500}}``), all with
``random_state=seed`` and ``n_jobs=1``:

- ``tree``: ``DecisionTreeRegressor(max_depth=6, min_samples_leaf=5)`` — a
  tree shallow enough to read and not to memorise the panel;
- ``forest``: ``RandomForestRegressor(n_estimators=100, min_samples_leaf=5,
  max_features=1.0)`` (bagged trees over all drivers, scikit-learn's default
  for regression);
- ``boosting``: ``GradientBoostingRegressor(n_estimators=100,
  learning_rate=0.1, max_depth=3, subsample=1.0)`` (scikit-learn's defaults);
- ``ols``: least squares with an intercept (below).

``tune=True`` replaces the ensembles' defaults by the best of a small grid
(``TUNE_GRIDS``) chosen by ``GridSearchCV`` on the training part only, with
grouped K-fold over the training units for the grouped split and shuffled
K-fold for the random split; the chosen values are in ``best_params``.

Metrics per group, model and split: ``R2_TRAIN``, ``R2_TEST`` and
``RMSE_TEST = sqrt(mean((y - yhat)^2))`` on the held-out part;
``ADJ_R2 = 1 - (1 - R²)(n - 1)/(n - p - 1)`` for OLS, with R² the training
R², n the training rows and p the drivers kept (NaN for the other models).

Importances (from the models fitted on the primary split's training part):

- ``IMPORTANCE``: trees and ensembles, the impurity (MDI) importance
  ``feature_importances_`` (sums to 1); OLS, the share of the absolute
  standardised coefficient, ``|b_j| sd(x_j) / sum_k |b_k| sd(x_k)`` on the
  training data (sums to 1; 0 for a dropped collinear driver);
- ``PERM_IMPORTANCE``, ``PERM_STD``: mean and standard deviation over
  ``n_repeats`` seeded shuffles of the drop in test-set R² when the driver
  is permuted (``sklearn.inspection.permutation_importance``; Breiman 2001).
  Near 0 for a driver the model does not use; can be slightly negative.

Partial dependence (Friedman 2001) of the ``n_pdp`` drivers with the largest
impurity importance, for each ensemble (``forest``, ``boosting``):
``PD(v) = mean_i f(v, x_i,-j)`` over (at most ``pdp_rows``, seeded sample of)
the training rows, on a grid of ``pdp_grid`` values between the 5th and 95th
percentiles (``sklearn.inspection.partial_dependence`` with
``method="brute"``: its "recursion" shortcut leaves out the boosting model's
initial constant in some scikit-learn versions, so its values would not be on
the target's scale).

OLS is written here with ``numpy.linalg.lstsq`` because scikit-learn's
``LinearRegression`` gives neither standard errors nor a report of collinear
columns, and statsmodels is not a dependency. With design matrix A =
[1, X_kept], ``b = argmin |y - A b|²``, ``s² = RSS / (n - k)`` (k columns of
A), ``Var(b) = s² (A'A)^-1`` (via the QR factor R: ``(A'A)^-1 = R^-1 R^-T``),
``t = b / se``, two-sided p from Student's t with n - k degrees of freedom.
Perfectly collinear drivers (a constant, or a linear combination of the
intercept and earlier drivers — judged by ``numpy.linalg.matrix_rank`` on the
centred, scaled columns, adding drivers in the given order) are dropped and
reported (``dropped_collinear``, ``notes``); the coefficient table is fitted
on the group's whole sample (inference), the metrics on each split's
training part.

Missing values: rows with NULL / NaN in the target, any driver, or the group
field are removed (listwise deletion) before anything is fitted; the count per
field and the total are in ``notes`` and ``n_dropped_rows``. Infinite values
and text that is not a number raise :class:`~spatial.errors.InputError`.
"""

import math
import warnings
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.inspection import partial_dependence, permutation_importance
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    cross_val_score,
    train_test_split,
)
from sklearn.tree import DecisionTreeRegressor

from .errors import InputError
from .panel import numeric_values, require_fields
from .labels import as_list as _as_list, label as _group_label

__all__ = [
    "DriverResult",
    "driver_analysis",
    "MODELS",
    "SPLITS",
    "ENSEMBLES",
    "DEFAULT_PARAMS",
    "TUNE_GRIDS",
    "ALL_GROUP",
    "METRICS_COLUMNS",
    "IMPORTANCE_COLUMNS",
    "COEFFICIENTS_COLUMNS",
    "PARTIAL_DEPENDENCE_COLUMNS",
]

MODELS = ("tree", "forest", "boosting", "ols")
SPLITS = ("random", "grouped")
ENSEMBLES = ("forest", "boosting")
#: GROUP label of the full sample.
ALL_GROUP = "all"

DEFAULT_PARAMS = {
    "tree": {"max_depth": 6, "min_samples_leaf": 5},
    "forest": {"n_estimators": 100, "min_samples_leaf": 5, "max_features": 1.0},
    "boosting": {"n_estimators": 100, "learning_rate": 0.1, "max_depth": 3, "subsample": 1.0},
}

TUNE_GRIDS = {
    "forest": {"max_depth": [None, 8], "min_samples_leaf": [1, 5], "max_features": [1.0, 0.5]},
    "boosting": {"n_estimators": [100, 300], "learning_rate": [0.03, 0.1], "max_depth": [2, 3]},
}

_ESTIMATORS = {
    "tree": DecisionTreeRegressor,
    "forest": RandomForestRegressor,
    "boosting": GradientBoostingRegressor,
}

METRICS_COLUMNS = [
    "GROUP", "MODEL", "SPLIT", "R2_TRAIN", "R2_TEST", "RMSE_TEST",
    "R2_CV_MEAN", "R2_CV_STD", "ADJ_R2", "N_TRAIN", "N_TEST",
]
IMPORTANCE_COLUMNS = ["GROUP", "MODEL", "DRIVER", "IMPORTANCE", "PERM_IMPORTANCE", "PERM_STD"]
COEFFICIENTS_COLUMNS = ["GROUP", "DRIVER", "COEF", "STD_ERR", "T", "P"]
PARTIAL_DEPENDENCE_COLUMNS = ["GROUP", "MODEL", "DRIVER", "GRID_VALUE", "PD_VALUE"]
#: Name of the intercept in the coefficient table.
INTERCEPT = "const"


@dataclass
class DriverResult:
    """Everything :func:`driver_analysis` computes.

    Tables (tidy DataFrames; GROUP is ``"all"`` for the full sample, else the
    group value as text):

    - ``metrics``: METRICS_COLUMNS, one row per group, model and split, the
      primary split's rows first;
    - ``importance``: IMPORTANCE_COLUMNS, one row per group, model, driver
      (primary split);
    - ``coefficients``: COEFFICIENTS_COLUMNS, OLS on each group's whole
      sample, intercept first (DRIVER ``"const"``); a dropped collinear
      driver has a row of NaN;
    - ``partial_dependence``: PARTIAL_DEPENDENCE_COLUMNS.

    Other attributes: ``primary_split``; ``splits[(group, split)] =
    (train_positions, test_positions)``, integer positions into the caller's
    DataFrame (use ``df.iloc[...]``); ``dropped_collinear[group]`` = drivers
    left out of OLS; ``best_params[(group, split, model)]`` (only with
    ``tune=True``); ``notes``; ``n_dropped_rows`` (listwise deletion);
    ``n_rows`` (rows analysed); ``cv_folds[(group, split)]`` (folds used,
    0 when cross-validation was off).
    """

    metrics: pd.DataFrame
    importance: pd.DataFrame
    coefficients: pd.DataFrame
    partial_dependence: pd.DataFrame
    primary_split: str
    target_field: str
    driver_fields: List[str]
    notes: List[str] = field(default_factory=list)
    n_dropped_rows: int = 0
    n_rows: int = 0
    splits: Dict[Tuple[str, str], Tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    dropped_collinear: Dict[str, List[str]] = field(default_factory=dict)
    best_params: Dict[Tuple[str, str, str], dict] = field(default_factory=dict)
    cv_folds: Dict[Tuple[str, str], int] = field(default_factory=dict)


# --------------------------------------------------------------------------
# OLS


def _independent_columns(X):
    """Split column indices into (kept, dropped) so that [1, X[:, kept]] has full rank.

    Columns are added in order; a column is dropped when it is constant or
    does not raise the rank of the centred, RMS-scaled kept columns (that is,
    it is a linear combination of the intercept and earlier kept columns).
    """
    kept, dropped = [], []
    if X.shape[0] == 0:
        return kept, list(range(X.shape[1]))
    centred = X - X.mean(axis=0)
    for j in range(X.shape[1]):
        column = X[:, j]
        if np.all(column == column[0]):
            dropped.append(j)
            continue
        candidate = centred[:, kept + [j]]
        candidate = candidate / np.sqrt(np.mean(candidate ** 2, axis=0))
        if np.linalg.matrix_rank(candidate) == len(kept) + 1:
            kept.append(j)
        else:
            dropped.append(j)
    return kept, dropped


def _ols(X, y):
    """Least squares of y on [1, X] with collinear columns dropped.

    Returns a dict: ``kept``, ``dropped`` (column indices), ``coef`` (length
    1 + len(kept), intercept first), ``se``, ``t``, ``p``, ``r2``, ``adj_r2``,
    ``n``, ``df_resid``. Formulas in the module docstring.
    """
    n = len(y)
    kept, dropped = _independent_columns(X)
    A = np.column_stack([np.ones(n), X[:, kept]])
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    resid = y - A @ coef
    k = A.shape[1]
    df_resid = n - k
    rss = float(resid @ resid)
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - rss / tss if tss > 0 else np.nan
    se = np.full(k, np.nan)
    t = np.full(k, np.nan)
    p = np.full(k, np.nan)
    adj = np.nan
    if df_resid > 0:
        sigma2 = rss / df_resid
        r_factor = np.linalg.qr(A, mode="r")
        r_inv = np.linalg.inv(r_factor)
        se = np.sqrt(sigma2 * np.sum(r_inv ** 2, axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = coef / se
        p = 2.0 * stats.t.sf(np.abs(t), df_resid)
        adj = 1.0 - (1.0 - r2) * (n - 1) / df_resid
    return {
        "kept": kept, "dropped": dropped, "coef": coef, "se": se, "t": t, "p": p,
        "r2": r2, "adj_r2": adj, "n": n, "df_resid": df_resid,
    }


class _OLSRegressor(RegressorMixin, BaseEstimator):
    """scikit-learn wrapper around :func:`_ols` (for CV and permutation importance).

    After ``fit``: ``coef_`` (one per column of X, 0 for a dropped collinear
    column), ``intercept_``, ``dropped_`` (column indices), ``r2_``,
    ``adj_r2_``.
    """

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        fit = _ols(X, y)
        self.coef_ = np.zeros(X.shape[1])
        self.coef_[fit["kept"]] = fit["coef"][1:]
        self.intercept_ = float(fit["coef"][0])
        self.dropped_ = list(fit["dropped"])
        self.r2_ = fit["r2"]
        self.adj_r2_ = fit["adj_r2"]
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float) @ self.coef_ + self.intercept_


# --------------------------------------------------------------------------
# input checks


def _check_options(split, models, test_size, seed, cv_folds, n_pdp, n_repeats,
                   pdp_grid, pdp_rows, min_rows, tune, model_params):
    if split not in SPLITS:
        raise InputError(
            f"unknown split {split!r}; choose one of: {', '.join(SPLITS)}"
        )
    models = _as_list(models)
    if not models:
        raise InputError(f"no model chosen; choose among: {', '.join(MODELS)}")
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise InputError(
            f"unknown model(s) {', '.join(map(repr, unknown))}; "
            f"choose among: {', '.join(MODELS)}"
        )
    models = list(dict.fromkeys(models))
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float, np.number)) \
            or not 0.0 < float(test_size) < 1.0:
        raise InputError(f"test size must be a share between 0 and 1 (exclusive), got {test_size!r}")
    for name, value, low in (("seed", seed, 0), ("cv_folds", cv_folds, 0), ("n_pdp", n_pdp, 0),
                             ("n_repeats", n_repeats, 1), ("pdp_grid", pdp_grid, 2),
                             ("pdp_rows", pdp_rows, 1), ("min_rows", min_rows, 4)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise InputError(f"{name} must be a whole number >= {low}, got {value!r}")
    if seed > 2 ** 32 - 1:
        raise InputError(f"seed must be below 2**32, got {seed!r}")
    if cv_folds == 1:
        raise InputError("cv_folds must be 0 (no cross-validation) or at least 2, got 1")
    if tune and cv_folds < 2:
        raise InputError("tune=True needs cv_folds >= 2 for its cross-validated search")
    params = {}
    for model, extra in (model_params or {}).items():
        if model not in _ESTIMATORS:
            raise InputError(
                f"model_params: no tunable parameters for model {model!r}; "
                f"choose among: {', '.join(_ESTIMATORS)}"
            )
        merged = dict(DEFAULT_PARAMS[model], **dict(extra))
        try:
            _ESTIMATORS[model]().set_params(**merged)
        except ValueError as exc:
            raise InputError(f"model_params for {model!r}: {exc}") from None
        params[model] = merged
    for model in _ESTIMATORS:
        params.setdefault(model, dict(DEFAULT_PARAMS[model]))
    return models, float(test_size), params


def _new_model(model, params, seed):
    if model == "ols":
        return _OLSRegressor()
    return _ESTIMATORS[model](random_state=seed, **params[model])


# --------------------------------------------------------------------------
# the analysis


def driver_analysis(
    df,
    target_field,
    driver_fields,
    *,
    id_field,
    group_field=None,
    split="grouped",
    test_size=0.3,
    seed=42,
    cv_folds=5,
    cv_both_splits=False,
    tune=False,
    models=MODELS,
    n_pdp=2,
    year_field=None,
    model_params=None,
    n_repeats=5,
    pdp_grid=20,
    pdp_rows=1000,
    min_rows=10,
    progress=None,
    is_canceled=None,
):
    """Fit tree, forest, boosting and OLS of ``target_field`` on ``driver_fields``.

    Per group of ``group_field`` (e.g. a coordination tier) and for the full
    sample (GROUP ``"all"``); methods, defaults and formulas in the module
    docstring. Returns a :class:`DriverResult`.

    Parameters: ``df`` long table (not modified); ``id_field`` the unit id
    (grouping for the grouped split and grouped CV); ``split`` the primary
    split, ``"grouped"`` (default) or ``"random"`` — both are always computed;
    ``test_size`` share of rows (random) or of units (grouped) held out;
    ``seed`` for every split, model and permutation; ``cv_folds`` K of the
    K-fold CV (0 = none); ``tune`` small grid search for the ensembles;
    ``models`` any of ``MODELS``; ``n_pdp`` leading drivers with partial
    dependence per ensemble; ``year_field`` (optional) only names rows in
    error messages; ``model_params`` overrides of ``DEFAULT_PARAMS`` per model;
    ``n_repeats`` permutations per driver; ``pdp_grid`` grid size;
    ``pdp_rows`` rows averaged for partial dependence; ``min_rows`` smallest
    group that is analysed; ``progress(fraction, message)`` called after each
    model fit; ``is_canceled()`` polled before each fit.

    Raises InputError for: a missing field; a target or driver that is text,
    true/false, or infinite; NULL unit ids; an empty or duplicated driver
    list or the target among the drivers; a group with fewer than
    ``min_rows`` rows or fewer than 2 units (naming the group); a constant
    target (naming the field and the group); a group value ``"all"``; an
    unknown split or model (listing the choices); out-of-range options.
    Raises InterruptedError when ``is_canceled()`` returns true.
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError("the input must be a table (pandas DataFrame)")
    models, test_size, params = _check_options(
        split, models, test_size, seed, cv_folds, n_pdp, n_repeats, pdp_grid, pdp_rows,
        min_rows, tune, model_params,
    )
    drivers = _as_list(driver_fields)
    if not drivers:
        raise InputError("no driver fields given; choose at least one numeric field")
    duplicated = sorted({d for d in drivers if drivers.count(d) > 1})
    if duplicated:
        raise InputError(f"driver field(s) listed more than once: {', '.join(map(repr, duplicated))}")
    if target_field in drivers:
        raise InputError(f"target field {target_field!r} is also listed as a driver")
    require_fields(df, [target_field] + drivers + [id_field]
                   + [f for f in (group_field, year_field) if f is not None])
    if len(df) == 0:
        raise InputError("the input has no rows")

    fields = [target_field] + drivers
    values = numeric_values(df, fields, id_field if year_field is not None else None, year_field)
    for name in fields:
        infinite = np.isinf(values[name].to_numpy())
        if infinite.any():
            raise InputError(
                f"field {name!r} holds infinite values in {int(infinite.sum())} row(s); "
                "finite numbers (or NULL for missing) are expected"
            )
    null_ids = df[id_field].isna().to_numpy()
    if null_ids.any():
        raise InputError(
            f"id field {id_field!r} is empty (NULL) in {int(null_ids.sum())} row(s); "
            "every row needs its unit id"
        )

    notes = []
    missing = {name: values[name].isna().to_numpy() for name in fields}
    if group_field is not None:
        missing[group_field] = df[group_field].isna().to_numpy()
    drop = np.zeros(len(df), dtype=bool)
    for mask in missing.values():
        drop |= mask
    n_dropped = int(drop.sum())
    if n_dropped:
        per_field = ", ".join(f"{name!r}: {int(m.sum())}" for name, m in missing.items() if m.any())
        notes.append(
            f"listwise deletion: {n_dropped} of {len(df)} row(s) dropped for empty values "
            f"(rows with an empty value per field — {per_field})"
        )
    keep_pos = np.flatnonzero(~drop)
    if len(keep_pos) == 0:
        raise InputError("no row is left after removing rows with empty values")

    X_all = values[drivers].to_numpy(dtype=float)[keep_pos]
    y_all = values[target_field].to_numpy(dtype=float)[keep_pos]
    ids_all = df[id_field].to_numpy()[keep_pos]
    unit_codes = pd.factorize(pd.Series(ids_all, dtype=object))[0]

    groups = [(ALL_GROUP, np.arange(len(keep_pos)))]
    if group_field is not None:
        gvals = df[group_field].to_numpy()[keep_pos]
        labels = np.array([_group_label(v) for v in gvals], dtype=object)
        uniques = pd.unique(pd.Series(gvals, dtype=object))
        try:
            uniques = sorted(uniques)
        except TypeError:
            uniques = sorted(uniques, key=_group_label)
        for value in uniques:
            label = _group_label(value)
            if label == ALL_GROUP:
                raise InputError(
                    f"group field {group_field!r} holds the value 'all', which is reserved "
                    "for the full sample; rename that group"
                )
            groups.append((label, np.flatnonzero(labels == label)))

    where = f" in group field {group_field!r}" if group_field is not None else ""
    for label, rows in groups:
        name = "the full sample" if label == ALL_GROUP else f"group {label!r}{where}"
        if len(rows) < min_rows:
            raise InputError(
                f"{name} has {len(rows)} row(s) after removing empty values; at least "
                f"{min_rows} are needed to split it into training and test data"
            )
        n_units = len(np.unique(unit_codes[rows]))
        if n_units < 2:
            raise InputError(
                f"{name} holds only {n_units} unit of {id_field!r}; the grouped split "
                "needs at least 2 units"
            )
        for count, what in ((len(rows), "rows"), (n_units, f"units of {id_field!r}")):
            if math.floor((1.0 - test_size) * count) < 1 or math.ceil(test_size * count) < 1:
                raise InputError(
                    f"{name} holds {count} {what}: a test size of {test_size:g} leaves "
                    "no training data; lower the test size"
                )
        y = y_all[rows]
        if np.all(y == y[0]):
            raise InputError(
                f"target field {target_field!r} is constant ({y[0]:g}) in {name}; "
                "there is nothing to explain"
            )

    order = [split] + [s for s in SPLITS if s != split]
    notes.append(
        f"primary split: {split} ({'rows drawn at random, a unit can be in both training and test' if split == 'random' else f'units of {id_field!r} held out whole'}); "
        f"test size {test_size:g}, seed {seed}; the {order[1]} split is shown for comparison"
    )

    result = DriverResult(
        metrics=None, importance=None, coefficients=None, partial_dependence=None,
        primary_split=split, target_field=target_field, driver_fields=list(drivers),
        notes=notes, n_dropped_rows=n_dropped, n_rows=len(keep_pos),
    )
    metric_rows, importance_rows, coef_rows, pd_rows = [], [], [], []
    total = len(groups) * len(order) * len(models)
    done = 0

    for label, rows in groups:
        X, y, units = X_all[rows], y_all[rows], unit_codes[rows]
        n = len(rows)
        positions = keep_pos[rows]

        fit = _ols(X, y)
        dropped = [drivers[j] for j in fit["dropped"]]
        result.dropped_collinear[label] = dropped
        if dropped and "ols" in models:
            notes.append(
                f"group {label!r}: OLS left out driver(s) {', '.join(map(repr, dropped))} "
                "(constant or a linear combination of the intercept and earlier drivers)"
            )
        coef_rows.append((label, INTERCEPT, fit["coef"][0], fit["se"][0], fit["t"][0], fit["p"][0]))
        for j, driver in enumerate(drivers):
            if j in fit["kept"]:
                at = 1 + fit["kept"].index(j)
                coef_rows.append((label, driver, fit["coef"][at], fit["se"][at], fit["t"][at], fit["p"][at]))
            else:
                coef_rows.append((label, driver, np.nan, np.nan, np.nan, np.nan))

        index_splits = {}
        train, test = train_test_split(np.arange(n), test_size=test_size, random_state=seed)
        index_splits["random"] = (np.sort(train), np.sort(test))
        shuffle = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
        train, test = next(shuffle.split(X, y, groups=units))
        index_splits["grouped"] = (np.sort(train), np.sort(test))

        for split_name in order:
            train, test = index_splits[split_name]
            result.splits[(label, split_name)] = (positions[train], positions[test])
            cv = _cv(split_name, cv_folds if (cv_both_splits or split_name == split) else 0,
                     units, n, seed)
            result.cv_folds[(label, split_name)] = cv.get_n_splits() if cv is not None else 0
            if cv is not None and cv.get_n_splits() < cv_folds:
                notes.append(
                    f"group {label!r}, {split_name} split: cross-validation uses "
                    f"{cv.get_n_splits()} folds (fewer units than the {cv_folds} asked for)"
                )
            cv_groups = units if split_name == "grouped" else None
            for model in models:
                if is_canceled is not None and is_canceled():
                    raise InterruptedError("driver analysis canceled")
                estimator = _new_model(model, params, seed)
                if tune and model in TUNE_GRIDS:
                    estimator = _tuned(estimator, model, split_name, X[train], y[train],
                                       units[train], cv_folds, seed, label, result, notes)
                else:
                    estimator.fit(X[train], y[train])
                pred_train = estimator.predict(X[train])
                pred_test = estimator.predict(X[test])
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UndefinedMetricWarning)
                    r2_train = r2_score(y[train], pred_train)
                    r2_test = r2_score(y[test], pred_test) if len(test) > 1 else np.nan
                rmse = math.sqrt(mean_squared_error(y[test], pred_test))
                cv_mean = cv_std = np.nan
                if cv is not None:
                    scores = cross_val_score(clone(estimator), X, y, groups=cv_groups, cv=cv,
                                             scoring="r2", n_jobs=1)
                    cv_mean, cv_std = float(np.mean(scores)), float(np.std(scores))
                adj = estimator.adj_r2_ if model == "ols" else np.nan
                metric_rows.append((label, model, split_name, r2_train, r2_test, rmse,
                                    cv_mean, cv_std, adj, len(train), len(test)))
                if model == "ols" and split_name == split and estimator.dropped_ != fit["dropped"]:
                    notes.append(
                        f"group {label!r}: on the {split_name} training part OLS left out "
                        f"{', '.join(repr(drivers[j]) for j in estimator.dropped_) or 'no driver'}"
                    )
                if split_name == split:
                    importance = _importance(estimator, model, X[train], y[train])
                    perm = permutation_importance(
                        estimator, X[test], y[test], n_repeats=n_repeats,
                        random_state=seed, n_jobs=1,
                    )
                    for j, driver in enumerate(drivers):
                        importance_rows.append((label, model, driver, importance[j],
                                                perm.importances_mean[j], perm.importances_std[j]))
                    if model in ENSEMBLES and n_pdp > 0:
                        pd_rows.extend(_partial_dependence(
                            estimator, X[train], importance, drivers, label, model,
                            n_pdp, pdp_grid, pdp_rows, seed, notes,
                        ))
                done += 1
                if progress is not None:
                    progress(done / total, f"group {label}: {model}, {split_name} split")

    metric_rows.sort(key=lambda row: order.index(row[2]))  # stable: primary split first
    result.metrics = pd.DataFrame(metric_rows, columns=METRICS_COLUMNS)
    result.metrics = result.metrics.astype({"N_TRAIN": "int64", "N_TEST": "int64"})
    result.importance = pd.DataFrame(importance_rows, columns=IMPORTANCE_COLUMNS)
    result.coefficients = pd.DataFrame(coef_rows, columns=COEFFICIENTS_COLUMNS)
    result.partial_dependence = pd.DataFrame(pd_rows, columns=PARTIAL_DEPENDENCE_COLUMNS)
    for table in (result.metrics, result.importance, result.coefficients, result.partial_dependence):
        for column in table.columns:
            if column not in ("GROUP", "MODEL", "SPLIT", "DRIVER", "N_TRAIN", "N_TEST"):
                table[column] = table[column].astype("float64")
    return result


def _cv(split_name, cv_folds, units, n, seed):
    """The K-fold splitter for the cross-validated R² of one split (None if off)."""
    if cv_folds == 0:
        return None
    if split_name == "grouped":
        return GroupKFold(n_splits=min(cv_folds, len(np.unique(units))))
    return KFold(n_splits=min(cv_folds, n), shuffle=True, random_state=seed)


def _tuned(estimator, model, split_name, X, y, units, cv_folds, seed, label, result, notes):
    """Fit ``estimator`` with the best TUNE_GRIDS values (GridSearchCV on the training part)."""
    if split_name == "grouped":
        n_units = len(np.unique(units))
        if n_units < 2:
            notes.append(
                f"group {label!r}, grouped split: {model} not tuned (one training unit); defaults used"
            )
            return estimator.fit(X, y)
        cv, groups = GroupKFold(n_splits=min(cv_folds, n_units)), units
    else:
        cv, groups = KFold(n_splits=min(cv_folds, len(y)), shuffle=True, random_state=seed), None
    search = GridSearchCV(estimator, TUNE_GRIDS[model], scoring="r2", cv=cv, n_jobs=1, refit=True)
    search.fit(X, y, groups=groups)
    result.best_params[(label, split_name, model)] = dict(search.best_params_)
    return search.best_estimator_


def _importance(estimator, model, X, y):
    """Impurity importance (trees) or share of |standardised coefficient| (OLS); sums to 1."""
    if model == "ols":
        sd_y = np.std(y)
        raw = np.abs(estimator.coef_) * np.std(X, axis=0) / sd_y
    else:
        raw = np.asarray(estimator.feature_importances_, dtype=float)
    total = raw.sum()
    return raw / total if total > 0 else np.full(len(raw), np.nan)


def _partial_dependence(estimator, X, importance, drivers, label, model, n_pdp, grid,
                        max_rows, seed, notes):
    """Rows (GROUP, MODEL, DRIVER, GRID_VALUE, PD_VALUE) for the leading drivers."""
    if len(X) > max_rows:
        rng = np.random.default_rng(seed)
        X = X[np.sort(rng.choice(len(X), size=max_rows, replace=False))]
    ranking = np.argsort(-np.nan_to_num(importance, nan=0.0), kind="stable")[:n_pdp]
    rows = []
    for j in ranking:
        try:
            pdp = partial_dependence(estimator, X, [int(j)], grid_resolution=grid,
                                     percentiles=(0.05, 0.95), method="brute", kind="average")
        except ValueError as exc:
            notes.append(f"group {label!r}, {model}: no partial dependence for {drivers[j]!r} ({exc})")
            continue
        for value, average in zip(pdp["grid_values"][0], pdp["average"][0]):
            rows.append((label, model, drivers[j], float(value), float(average)))
    return rows
