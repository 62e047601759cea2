"""Drivers of a target (normally the coupling coordination degree D).

Decision tree, random forest, gradient boosting and ordinary least squares
of a target on chosen driver fields, for the full sample and within each
group (tier): train / test R², cross-validated R², RMSE, OLS adjusted R² and
coefficients, impurity, permutation and SHAP importances and partial
dependence. This is the analysis behind Tables 6-7 of Yang & Geng (2026),
made honest about panel leakage and proportionate to the size of the panel.

The parts live in modules of their own: the models and their size-dependent
defaults in :mod:`spatial.driver_models`, the random and unit-grouped splits
and cross-validation in :mod:`spatial.driver_splits`, the importances and
partial dependence in :mod:`spatial.driver_importance`, least squares in
:mod:`spatial.ols`. This module checks the input and runs them per group.

Both splits are always computed, so the leakage gap (random minus grouped
R²) is visible; ``split`` only says which one is primary (listed first,
used for importances, SHAP, partial dependence and cross-validation; CV of
the other split too with ``cv_both_splits=True``).

Metrics per group, model and split: ``R2_TRAIN``, ``R2_TEST`` and
``RMSE_TEST = sqrt(mean((y - yhat)^2))`` on the held-out part;
``ADJ_R2 = 1 - (1 - R²)(n - 1)/(n - p - 1)`` for OLS, with R² the training
R², n the training rows and p the drivers kept (NaN for the other models);
``R2_CV_MEAN``, ``R2_CV_STD`` over the folds (NaN when not cross-validated).
The OLS coefficient table is fitted on each group's whole sample.

Defaults proportionate to the data (the notes say which applied; details in
the modules): histogram-based boosting (``boosting="exact"`` for
scikit-learn's exact one), forest trees on bootstrap samples of at most
500 rows, no cross-validation unless asked for (``cv_folds``; then not of
groups above 20,000 rows), permutation importance on at most 2,000 and
SHAP on at most 200 held-out rows.

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
from sklearn.base import clone
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import GroupKFold, KFold, cross_val_score
from threadpoolctl import threadpool_limits

from .driver_importance import (PERM_MAX_ROWS, SHAP_MAX_ROWS,
                                impurity_importance, pd_copies, pd_table_rows, permutation_scores,
                                permuted_copies, predicted_parts, sample_positions, shap_values)
from .driver_models import (BOOSTING_KINDS, DEFAULT_PARAMS, ENSEMBLES, FOREST_MAX_ROWS,
                            HIST_BOOSTING_ROWS, MODELS, TUNE_GRIDS, is_histogram, model_params,
                            new_model, tuned_model)
from .driver_splits import CV_MAX_ROWS, SPLITS, cv_splitter, train_test_positions
from .errors import InputError
from .labels import as_list as _as_list, label as _group_label
from .ols import ols_fit
from .panel import numeric_values, require_fields

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
    "SHAP_COLUMNS",
    "SHAP_VALUE_COLUMNS",
]

#: GROUP label of the full sample.
ALL_GROUP = "all"
SAMPLES = ("both", "all", "groups")

METRICS_COLUMNS = [
    "GROUP", "MODEL", "SPLIT", "R2_TRAIN", "R2_TEST", "RMSE_TEST",
    "R2_CV_MEAN", "R2_CV_STD", "ADJ_R2", "N_TRAIN", "N_TEST",
]
IMPORTANCE_COLUMNS = ["GROUP", "MODEL", "DRIVER", "IMPORTANCE", "PERM_IMPORTANCE", "PERM_STD"]
COEFFICIENTS_COLUMNS = ["GROUP", "DRIVER", "COEF", "STD_ERR", "T", "P"]
PARTIAL_DEPENDENCE_COLUMNS = ["GROUP", "MODEL", "DRIVER", "GRID_VALUE", "PD_VALUE"]
SHAP_COLUMNS = ["GROUP", "MODEL", "DRIVER", "MEAN_ABS_SHAP"]
#: One row per explained row and driver: ROW is the position in the caller's
#: DataFrame, VALUE the driver's value there, SHAP its Shapley value, EXPECTED
#: the model's expected value (VALUE and SHAP of one row sum to prediction − EXPECTED).
SHAP_VALUE_COLUMNS = ["GROUP", "MODEL", "ROW", "DRIVER", "VALUE", "SHAP", "EXPECTED"]
#: Name of the intercept in the coefficient table.
INTERCEPT = "const"
#: Histogram boosting of groups of more rows than this uses ``n_jobs`` OpenMP
#: threads; None (default): one. OpenMP's threads wait for each other at every
#: boosting stage: on an idle machine two make a fit of 10^5 rows ~1.7× faster,
#: on a busy one (or beside another step run with --jobs) they made it 5× slower
#: (bench/drivers.py at load 8: 21 s per fit against 4 s on one thread). The
#: forest's fits always get ``n_jobs`` Python threads, which do not wait.
PARALLEL_ROWS = None


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
    - ``partial_dependence``: PARTIAL_DEPENDENCE_COLUMNS;
    - ``shap``: SHAP_COLUMNS, one row per group, model, driver (primary
      split; empty when ``shap_rows`` is 0);
    - ``shap_values``: SHAP_VALUE_COLUMNS, the explained rows one by one
      (for beeswarm and dependence plots).

    Other attributes: ``primary_split``; ``splits[(group, split)] =
    (train_positions, test_positions)``, integer positions into the caller's
    DataFrame (use ``df.iloc[...]``); ``dropped_collinear[group]`` = drivers
    left out of OLS; ``best_params[(group, split, model)]`` (only with
    ``tune=True``); ``notes``; ``n_dropped_rows`` (listwise deletion);
    ``n_rows`` (rows analysed); ``cv_folds[(group, split)]`` (folds used,
    0 when cross-validation was off); ``shap_samples[(group, model)] =
    (positions, values, expected_value)``: the explained rows (positions into
    the caller's DataFrame), their SHAP values (rows × drivers) and the
    model's expected value, for beeswarm and dependence plots;
    ``estimators[(group, model)]`` the primary split's fitted models.
    """

    metrics: pd.DataFrame
    importance: pd.DataFrame
    coefficients: pd.DataFrame
    partial_dependence: pd.DataFrame
    primary_split: str
    target_field: str
    driver_fields: List[str]
    shap: pd.DataFrame = None
    shap_values: pd.DataFrame = None
    notes: List[str] = field(default_factory=list)
    n_dropped_rows: int = 0
    n_rows: int = 0
    splits: Dict[Tuple[str, str], Tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    dropped_collinear: Dict[str, List[str]] = field(default_factory=dict)
    best_params: Dict[Tuple[str, str, str], dict] = field(default_factory=dict)
    cv_folds: Dict[Tuple[str, str], int] = field(default_factory=dict)
    shap_samples: Dict[Tuple[str, str], tuple] = field(default_factory=dict)
    estimators: Dict[Tuple[str, str], object] = field(default_factory=dict)


# --------------------------------------------------------------------------
# input checks


def _whole(name, value, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise InputError(f"{name} must be a whole number >= {low}, got {value!r}")


def _check_options(split, models, test_size, seed, cv_folds, n_pdp, n_repeats,
                   pdp_grid, pdp_rows, min_rows, tune, overrides, n_jobs, boosting,
                   forest_max_rows, cv_max_rows, perm_rows, shap_rows):
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
                             ("pdp_rows", pdp_rows, 1), ("min_rows", min_rows, 4),
                             ("n_jobs", n_jobs, 1), ("shap_rows", shap_rows, 0)):
        _whole(name, value, low)
    for name, value, low in (("forest_max_rows", forest_max_rows, 100),
                             ("cv_max_rows", cv_max_rows, 1), ("perm_rows", perm_rows, 10)):
        if value is not None:
            _whole(name + " (None for no limit)", value, low)
    if seed > 2 ** 32 - 1:
        raise InputError(f"seed must be below 2**32, got {seed!r}")
    if cv_folds == 1:
        raise InputError("cv_folds must be 0 (no cross-validation) or at least 2, got 1")
    if tune and cv_folds < 2:
        raise InputError("tune=True needs cv_folds >= 2 for its cross-validated search")
    if boosting not in BOOSTING_KINDS:
        raise InputError(f"unknown boosting {boosting!r}; choose one of: {', '.join(BOOSTING_KINDS)}")
    return models, float(test_size), model_params(overrides)


def _checked_table(df, target_field, drivers, id_field, group_field, year_field):
    """(values, drivers) after the field checks; values holds target and drivers as floats."""
    if not isinstance(df, pd.DataFrame):
        raise InputError("the input must be a table (pandas DataFrame)")
    drivers = _as_list(drivers)
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
        # scikit-learn's trees compute in float32: larger magnitudes overflow to infinity there
        too_large = np.abs(values[name].to_numpy()) > np.finfo(np.float32).max
        if too_large.any():
            first = int(np.flatnonzero(too_large)[0])
            where = f"unit {df[id_field].iloc[first]}" + (
                f" year {df[year_field].iloc[first]}" if year_field is not None else "")
            raise InputError(
                f"field {name!r} holds {int(too_large.sum())} value(s) too large for the tree "
                f"models, which compute in 32-bit floats (|value| ≤ 3.4e38), e.g. {where}: "
                f"{values[name].iloc[first]:.3g}; rescale the field (divide it by a power of ten "
                "or take its logarithm)"
            )
    null_ids = df[id_field].isna().to_numpy()
    if null_ids.any():
        raise InputError(
            f"id field {id_field!r} is empty (NULL) in {int(null_ids.sum())} row(s); "
            "every row needs its unit id"
        )
    return values, drivers


def _kept_rows(df, values, fields, group_field, notes):
    """Positions of the rows without an empty target, driver or group (listwise deletion)."""
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
    return keep_pos, n_dropped


def _groups(df, group_field, keep_pos):
    """[(label, row positions into the kept rows)], the full sample first."""
    groups = [(ALL_GROUP, np.arange(len(keep_pos)))]
    if group_field is None:
        return groups
    gvals = df[group_field].to_numpy()[keep_pos]
    codes, uniques = pd.factorize(pd.Series(gvals, dtype=object))
    try:
        order = sorted(range(len(uniques)), key=lambda i: uniques[i])
    except TypeError:
        order = sorted(range(len(uniques)), key=lambda i: _group_label(uniques[i]))
    for code in order:
        label = _group_label(uniques[code])
        if label == ALL_GROUP:
            raise InputError(
                f"group field {group_field!r} holds the value 'all', which is reserved "
                "for the full sample; rename that group"
            )
        groups.append((label, np.flatnonzero(codes == code)))
    return groups


def _check_group(name, rows, y, unit_codes, id_field, target_field, test_size, min_rows):
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
    if np.all(y == y[0]):
        raise InputError(
            f"target field {target_field!r} is constant ({y[0]:g}) in {name}; "
            "there is nothing to explain"
        )


def _coefficient_rows(label, fit, drivers):
    rows = [(label, INTERCEPT, fit["coef"][0], fit["se"][0], fit["t"][0], fit["p"][0])]
    for j, driver in enumerate(drivers):
        if j in fit["kept"]:
            at = 1 + fit["kept"].index(j)
            rows.append((label, driver, fit["coef"][at], fit["se"][at], fit["t"][at], fit["p"][at]))
        else:
            rows.append((label, driver, np.nan, np.nan, np.nan, np.nan))
    return rows


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
    cv_folds=0,
    cv_both_splits=False,
    cv_max_rows=CV_MAX_ROWS,
    tune=False,
    models=MODELS,
    n_pdp=2,
    year_field=None,
    model_params=None,
    n_repeats=5,
    perm_rows=PERM_MAX_ROWS,
    shap_rows=SHAP_MAX_ROWS,
    pdp_grid=20,
    pdp_rows=1000,
    min_rows=10,
    n_jobs=2,
    boosting="auto",
    forest_max_rows=FOREST_MAX_ROWS,
    samples="both",
    progress=None,
    is_canceled=None,
):
    """Fit tree, forest, boosting and OLS of ``target_field`` on ``driver_fields``.

    Per group of ``group_field`` (e.g. a coordination tier) and for the full
    sample (GROUP ``"all"``); methods, defaults and formulas in the module
    docstrings (this one and those it names). Returns a :class:`DriverResult`.

    Parameters: ``df`` long table (not modified); ``id_field`` the unit id
    (grouping for the grouped split and grouped CV); ``split`` the primary
    split, ``"grouped"`` (default) or ``"random"`` — both are always computed;
    ``test_size`` share of rows (random) or of units (grouped) held out;
    ``seed`` for every split, model, permutation and sample; ``cv_folds`` K of
    the K-fold CV (default 0: none, the held-out test parts of both splits
    measure fit; K more fits of every model when asked for) on groups of at most ``cv_max_rows`` rows (None:
    every group); ``tune`` small grid search for the ensembles; ``models`` any
    of ``MODELS``; ``n_pdp`` leading drivers with partial dependence per
    ensemble; ``year_field`` (optional) only names rows in error messages;
    ``model_params`` overrides of ``DEFAULT_PARAMS`` per model; ``n_repeats``
    permutations per driver on at most ``perm_rows`` held-out rows (None: all);
    ``shap_rows`` held-out rows explained by SHAP (0: no SHAP); ``pdp_grid``
    grid size; ``pdp_rows`` rows averaged for partial dependence;
    ``min_rows`` smallest group that is analysed; ``n_jobs`` threads for the
    forest's fits (and for histogram boosting of groups above
    :data:`PARALLEL_ROWS` rows, when set; results do not depend on it);
    ``boosting`` ``"auto"`` / ``"exact"`` / ``"histogram"``;
    ``forest_max_rows`` largest bootstrap sample of a forest tree (None: the
    training part); ``samples`` which samples get models: ``"both"`` (the
    full sample and each group), ``"all"`` (the full sample only) or
    ``"groups"`` (each group only) — every group is checked and the notes are
    the whole analysis' either way, and each sample's models do not depend on
    the others, so the two halves can be fitted apart and their tables joined
    (GROUP-major; the metrics ordered by split); ``progress(fraction, message)`` called after each model
    fit; ``is_canceled()`` polled before each fit.

    Raises InputError for: a missing field; a target or driver that is text,
    true/false, or infinite; NULL unit ids; an empty or duplicated driver
    list or the target among the drivers; a group with fewer than
    ``min_rows`` rows or fewer than 2 units (naming the group); a constant
    target (naming the field and the group); a group value ``"all"``; an
    unknown split, model or boosting (listing the choices); out-of-range
    options. Raises InterruptedError when ``is_canceled()`` returns true.
    """
    models, test_size, params = _check_options(
        split, models, test_size, seed, cv_folds, n_pdp, n_repeats, pdp_grid, pdp_rows,
        min_rows, tune, model_params, n_jobs, boosting, forest_max_rows, cv_max_rows,
        perm_rows, shap_rows,
    )
    values, drivers = _checked_table(df, target_field, driver_fields, id_field, group_field,
                                     year_field)
    notes = []
    keep_pos, n_dropped = _kept_rows(df, values, [target_field] + drivers, group_field, notes)
    complete = len(keep_pos) == len(df)  # then no row selection copies the drivers
    X_all = values[drivers].to_numpy(dtype=float)
    y_all = values[target_field].to_numpy(dtype=float)
    if not complete:
        X_all, y_all = X_all[keep_pos], y_all[keep_pos]
    del values
    # units numbered by first appearance among the kept rows (the grouped split draws by number)
    unit_codes = pd.factorize(df[id_field])[0]
    unit_codes = pd.factorize(unit_codes if complete else unit_codes[keep_pos])[0]
    groups = _groups(df, group_field, keep_pos)
    where = f" in group field {group_field!r}" if group_field is not None else ""
    for label, rows in groups:
        name = "the full sample" if label == ALL_GROUP else f"group {label!r}{where}"
        _check_group(name, rows, y_all[rows], unit_codes, id_field, target_field, test_size,
                     min_rows)

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
    tables = {"metrics": [], "importance": [], "coefficients": [], "pd": [], "shap": [],
              "shap_values": []}
    options = dict(split=split, order=order, models=models, params=params, test_size=test_size,
                   seed=seed, cv_folds=cv_folds, cv_both_splits=cv_both_splits,
                   cv_max_rows=cv_max_rows, tune=tune, n_pdp=n_pdp, n_repeats=n_repeats,
                   perm_rows=perm_rows, shap_rows=shap_rows, pdp_grid=pdp_grid,
                   pdp_rows=pdp_rows, n_jobs=n_jobs, boosting=boosting,
                   forest_max_rows=forest_max_rows)
    if samples not in SAMPLES:
        raise InputError(f"unknown samples {samples!r}; expected one of {', '.join(SAMPLES)}")
    if samples == "groups" and group_field is None:
        raise InputError("samples 'groups' (each group only) needs a group field")
    fitted = [(label, rows) for label, rows in groups
              if samples == "both" or (label == ALL_GROUP) == (samples == "all")]
    counter = {"done": 0, "total": len(fitted) * len(order) * len(models)}
    for label, rows in fitted:
        # OpenMP threads cost more than they save on small groups (histogram
        # boosting's per-iteration regions) and on predictions, as do BLAS's on
        # vector products: only histogram boosting of large groups gets them. The
        # forest's trees are fitted in n_jobs Python threads (the tree builder
        # releases the GIL), which pays at every size.
        threads = n_jobs if PARALLEL_ROWS is not None and len(rows) > PARALLEL_ROWS else 1
        whole = label == ALL_GROUP  # its rows are all rows: the arrays themselves, not copies
        with threadpool_limits(limits=1):  # OpenMP and BLAS
            _analyse_group(label, X_all if whole else X_all[rows], y_all if whole else y_all[rows],
                           unit_codes if whole else unit_codes[rows], keep_pos[rows],
                           drivers, dict(options, openmp_threads=threads), result, tables,
                           counter, progress, is_canceled)
    _size_notes(result, groups, options)
    return _finish(result, tables, order)


def _size_notes(result, groups, o):
    """Say which size-dependent default applied (see spatial.driver_models)."""
    largest = max(len(rows) for _, rows in groups)
    n_train = int(round(largest * (1 - o["test_size"])))
    if "boosting" in o["models"] and is_histogram(o["boosting"], o["params"]["boosting"], n_train):
        above = f" on groups with more than {HIST_BOOSTING_ROWS:,} training rows" \
            if HIST_BOOSTING_ROWS else ""
        result.notes.append(
            f"boosting: histogram-based (HistGradientBoostingRegressor){above}: split points among "
            "at most 255 quantile bins per driver; same stages, learning rate and depth")
    if "forest" in o["models"] and o["forest_max_rows"] and n_train > o["forest_max_rows"]:
        result.notes.append(
            f"forest: each tree grown on a bootstrap sample of at most {o['forest_max_rows']:,} rows")
    if not o["cv_folds"]:
        result.notes.append(
            "no cross-validation (R2_CV_MEAN and R2_CV_STD empty): the held-out test parts of "
            "both splits measure the fit; ask for K folds (cv_folds, CV_FOLDS) at K more fits "
            "of every model")
    if o["cv_folds"] and o["cv_max_rows"] is not None:
        skipped = [label for label, rows in groups if len(rows) > o["cv_max_rows"]]
        if skipped:
            result.notes.append(
                f"cross-validation skipped for group(s) {', '.join(map(repr, skipped))} (more than "
                f"{o['cv_max_rows']:,} rows; their held-out test part measures R² precisely)")
    test = int(round(largest * o["test_size"]))
    if o["perm_rows"] is not None and test > o["perm_rows"]:
        result.notes.append(
            f"permutation importance on a seeded sample of {o['perm_rows']:,} held-out rows per group")
    if o["shap_rows"] and test > o["shap_rows"]:
        result.notes.append(f"SHAP values of a seeded sample of {o['shap_rows']:,} held-out rows per group")


def _analyse_group(label, X, y, units, positions, drivers, o, result, tables, counter,
                   progress, is_canceled):
    fit = ols_fit(X, y)
    dropped = [drivers[j] for j in fit["dropped"]]
    result.dropped_collinear[label] = dropped
    if dropped and "ols" in o["models"]:
        result.notes.append(
            f"group {label!r}: OLS left out driver(s) {', '.join(map(repr, dropped))} "
            "(constant or a linear combination of the intercept and earlier drivers)"
        )
    tables["coefficients"].extend(_coefficient_rows(label, fit, drivers))
    n = len(y)
    index_splits = train_test_positions(n, units, o["test_size"], o["seed"])
    cv_wanted = o["cv_folds"] if (o["cv_max_rows"] is None or n <= o["cv_max_rows"]) else 0
    for split_name in o["order"]:
        train, test = index_splits[split_name]
        primary = split_name == o["split"]
        result.splits[(label, split_name)] = (positions[train], positions[test])
        cv = cv_splitter(split_name, cv_wanted if (o["cv_both_splits"] or primary) else 0,
                         units, n, o["seed"])
        result.cv_folds[(label, split_name)] = cv.get_n_splits() if cv is not None else 0
        if cv is not None and cv.get_n_splits() < cv_wanted:
            result.notes.append(
                f"group {label!r}, {split_name} split: cross-validation uses "
                f"{cv.get_n_splits()} folds (fewer units than the {cv_wanted} asked for)"
            )
        X_train, y_train = X[train], y[train]  # one copy per split, shared by its models
        for model in o["models"]:
            if is_canceled is not None and is_canceled():
                raise InterruptedError("driver analysis canceled")
            estimator = _fitted(model, split_name, X_train, y_train, units[train], label, o,
                                result)
            predicted = _predictions(label, model, estimator, X, y, X_train, y_train, train, test,
                                     drivers, o, result.notes, explained=primary)
            tables["metrics"].append(_metric_row(label, model, split_name, estimator, X, y, train,
                                                 test, predicted, cv,
                                                 units if split_name == "grouped" else None))
            if model == "ols" and primary and estimator.dropped_ != fit["dropped"]:
                result.notes.append(
                    f"group {label!r}: on the {split_name} training part OLS left out "
                    f"{', '.join(repr(drivers[j]) for j in estimator.dropped_) or 'no driver'}"
                )
            if primary:
                result.estimators[(label, model)] = estimator
                _explain(label, model, estimator, X, y, X_train, test, positions, drivers, o,
                         result, tables, predicted)
            counter["done"] += 1
            if progress is not None:
                progress(counter["done"] / counter["total"], f"group {label}: {model}, {split_name} split")
        del X_train, y_train  # before the next split's copies


def _fitted(model, split_name, X, y, units, label, o, result):
    """The model fitted on the training part, with threads for the fit only
    (its later predictions run on one thread, see driver_analysis)."""
    with threadpool_limits(limits=o["openmp_threads"], user_api="openmp"):
        estimator = _fit(model, split_name, X, y, units, label, o, result)
    if model == "forest":
        estimator.set_params(n_jobs=1)  # predictions of small samples
    return estimator


def _fit(model, split_name, X, y, units, label, o, result):
    estimator = new_model(model, o["params"], o["seed"], len(y), o["n_jobs"], o["boosting"],
                          o["forest_max_rows"])
    if not (o["tune"] and model in TUNE_GRIDS):
        return estimator.fit(X, y)
    if split_name == "grouped":
        n_units = len(np.unique(units))
        if n_units < 2:
            result.notes.append(
                f"group {label!r}, grouped split: {model} not tuned (one training unit); defaults used"
            )
            return estimator.fit(X, y)
        cv, groups = GroupKFold(n_splits=min(o["cv_folds"], n_units)), units
    else:
        cv, groups = KFold(n_splits=min(o["cv_folds"], len(y)), shuffle=True,
                           random_state=o["seed"]), None
    estimator, best = tuned_model(estimator, model, cv, groups, X, y)
    result.best_params[(label, split_name, model)] = best
    return estimator


def _predictions(label, model, estimator, X, y, X_train, y_train, train, test, drivers, o, notes,
                 explained):
    """Every prediction of a fitted model the analysis asks for: of the
    training and the test part (one call on the group's rows, which are the
    two parts: no copy of either) and, for the primary split's model
    (``explained``), of the permuted copies of the held-out sample
    (permutation importance) and the partial-dependence copies, with the
    impurity importance that picks the drivers shown, those copies predicted
    in one call (:func:`predicted_parts`). Predictions are row by row, so the
    numbers are those of one call per part."""
    out = {"train": None, "test": None, "importance": None, "sample": None, "baseline": None,
           "permuted": None,
           "pd": [], "pd_predicted": []}
    every = estimator.predict(X)
    out["train"], out["test"] = every[train], every[test]
    if not explained:
        return out
    out["importance"] = impurity_importance(estimator, model, X_train, y_train)
    out["sample"] = sample_positions(len(test), o["perm_rows"], o["seed"])
    out["baseline"] = out["test"][out["sample"]]
    parts = [permuted_copies(X[test[out["sample"]]], o["n_repeats"], o["seed"])]
    if model in ENSEMBLES and o["n_pdp"] > 0:
        out["pd"] = pd_copies(X_train, out["importance"], drivers, label, model, o["n_pdp"],
                              o["pdp_grid"], o["pdp_rows"], o["seed"], notes)
        parts.extend(blocks for _, _, blocks in out["pd"])
    predicted = predicted_parts(estimator, parts)
    out["permuted"], out["pd_predicted"] = predicted[0], predicted[1:]
    return out


def _metric_row(label, model, split_name, estimator, X, y, train, test, predicted, cv, cv_groups):
    pred_train, pred_test = predicted["train"], predicted["test"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        r2_train = r2_score(y[train], pred_train)
        r2_test = r2_score(y[test], pred_test) if len(test) > 1 else np.nan
    rmse = math.sqrt(mean_squared_error(y[test], pred_test))
    cv_mean = cv_std = np.nan
    if cv is not None:
        scores = cross_val_score(clone(estimator), X, y, groups=cv_groups, cv=cv, scoring="r2",
                                 n_jobs=1)
        cv_mean, cv_std = float(np.mean(scores)), float(np.std(scores))
    adj = estimator.adj_r2_ if model == "ols" else np.nan
    return (label, model, split_name, r2_train, r2_test, rmse, cv_mean, cv_std, adj, len(train),
            len(test))


def _explain(label, model, estimator, X, y, X_train, test, positions, drivers, o, result, tables,
             predicted):
    """Importances, SHAP and partial dependence of the primary split's model
    (``predicted``: its :func:`_predictions`)."""
    importance = predicted["importance"]
    perm_mean, perm_std = permutation_scores(y[test[predicted["sample"]]], predicted["baseline"],
                                             predicted["permuted"], o["n_repeats"])
    for j, driver in enumerate(drivers):
        tables["importance"].append((label, model, driver, importance[j], perm_mean[j], perm_std[j]))
    if o["shap_rows"]:
        explained = test[sample_positions(len(test), o["shap_rows"], o["seed"])]
        values, expected = shap_values(estimator, model, X[explained], X_train)
        result.shap_samples[(label, model)] = (positions[explained], values, expected)
        for j, driver in enumerate(drivers):
            tables["shap"].append((label, model, driver, float(np.mean(np.abs(values[:, j])))))
        n_rows, n_drivers = values.shape
        tables["shap_values"].append(pd.DataFrame({
            "GROUP": label, "MODEL": model,
            "ROW": np.repeat(positions[explained], n_drivers).astype("int64"),
            "DRIVER": np.tile(np.asarray(drivers, dtype=object), n_rows),
            "VALUE": X[explained].ravel(), "SHAP": values.ravel(), "EXPECTED": expected}))
    tables["pd"].extend(pd_table_rows(predicted["pd"], predicted["pd_predicted"], drivers, label,
                                      model))


def _finish(result, tables, order):
    metric_rows = sorted(tables["metrics"], key=lambda row: order.index(row[2]))  # stable
    result.metrics = pd.DataFrame(metric_rows, columns=METRICS_COLUMNS)
    result.metrics = result.metrics.astype({"N_TRAIN": "int64", "N_TEST": "int64"})
    result.importance = pd.DataFrame(tables["importance"], columns=IMPORTANCE_COLUMNS)
    result.coefficients = pd.DataFrame(tables["coefficients"], columns=COEFFICIENTS_COLUMNS)
    result.partial_dependence = pd.DataFrame(tables["pd"], columns=PARTIAL_DEPENDENCE_COLUMNS)
    result.shap = pd.DataFrame(tables["shap"], columns=SHAP_COLUMNS)
    result.shap_values = (pd.concat(tables["shap_values"], ignore_index=True)
                          if tables["shap_values"] else pd.DataFrame(columns=SHAP_VALUE_COLUMNS))
    result.shap_values = result.shap_values.astype(
        {"ROW": "int64", "VALUE": "float64", "SHAP": "float64", "EXPECTED": "float64"})
    for table in (result.metrics, result.importance, result.coefficients,
                  result.partial_dependence, result.shap):
        for column in table.columns:
            if column not in ("GROUP", "MODEL", "SPLIT", "DRIVER", "N_TRAIN", "N_TEST"):
                table[column] = table[column].astype("float64")
    return result
