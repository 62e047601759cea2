"""How much each driver matters to a fitted driver model: impurity, permutation, SHAP.

- Impurity importance (``IMPORTANCE``, sums to 1): trees and ensembles, the
  mean decrease in squared error over their splits (scikit-learn's
  ``feature_importances_``; Breiman et al. 1984). Histogram boosting has no
  ``feature_importances_``; the same quantity is the sum over its trees of
  every split's gain ``G_L²/H_L + G_R²/H_R − G²/H`` (sums of gradients G and
  hessians H in the node and its children), which for squared error is the
  split's decrease in the sum of squared residuals, normalised to 1. OLS:
  the share of the absolute standardised coefficient,
  ``|b_j| sd(x_j) / sum_k |b_k| sd(x_k)`` on the training data.
- Permutation importance (``PERM_IMPORTANCE``, ``PERM_STD``): mean and
  standard deviation over ``n_repeats`` seeded shuffles of the drop in R²
  when the driver is permuted (Breiman 2001; the permutations and numbers of
  ``sklearn.inspection.permutation_importance``, predicted in one call per
  model), on the held-out rows — on a seeded sample of at most
  :data:`PERM_MAX_ROWS` (2,000) of them when there are more: the estimate's
  sampling error is then well below the spread between repeats, and the cost
  no longer grows with the panel.
- SHAP (``MEAN_ABS_SHAP``): mean absolute Shapley value of each driver
  (Lundberg & Lee 2017, NeurIPS; Lundberg et al. 2020, Nature Machine
  Intelligence 2:56–67) on a seeded sample of at most :data:`SHAP_MAX_ROWS`
  (200) held-out rows. Trees and ensembles: exact TreeSHAP with the
  ``shap`` package (``TreeExplainer``, path-dependent: the conditional
  expectations follow the training rows through the trees), checked for
  additivity — each row's values sum to its prediction minus the expected
  value. OLS: the exact Shapley values of a linear model with the training
  means as reference, ``b_j (x_j − mean_train(x_j))`` (what
  ``shap.LinearExplainer`` gives with an independent masker).
- Partial dependence (Friedman 2001) of the leading drivers of each
  ensemble: ``PD(v) = mean_i f(v, x_i,-j)`` over at most ``pdp_rows``
  (seeded sample of) training rows, on a grid between the 5th and 95th
  percentiles (the numbers of ``sklearn.inspection.partial_dependence``,
  ``method="brute"``, predicted in one call per driver; the "recursion" shortcut leaves out the boosting model's initial constant
  in some scikit-learn versions).
"""

import warnings

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor

__all__ = ["PERM_MAX_ROWS", "SHAP_MAX_ROWS", "sample_positions", "impurity_importance",
           "histogram_gain_importance", "permuted_copies", "permutation_scores",
           "permutation_importances", "shap_values", "pd_grid", "pd_copies", "pd_table_rows",
           "partial_dependence_rows", "predict_stacked", "predicted_parts"]

#: Largest number of held-out rows permutation importance is computed on.
PERM_MAX_ROWS = 2_000
#: Largest number of held-out rows SHAP values are computed for.
SHAP_MAX_ROWS = 200


def sample_positions(n, max_rows, seed):
    """All of 0..n-1 when ``n <= max_rows``, else a seeded sorted sample of ``max_rows``."""
    if max_rows is None or n <= max_rows:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=int(max_rows), replace=False))


def histogram_gain_importance(estimator):
    """Total split gain per driver of a fitted ``HistGradientBoostingRegressor``
    (unnormalised; see the module docstring)."""
    gains = np.zeros(estimator.n_features_in_)
    for stage in estimator._predictors:  # one list of tree predictors per iteration
        for predictor in stage:
            nodes = predictor.nodes[~predictor.nodes["is_leaf"].astype(bool)]
            np.add.at(gains, nodes["feature_idx"].astype(np.intp), nodes["gain"])
    return gains


def impurity_importance(estimator, model, X, y):
    """Impurity importance (trees) or share of |standardised coefficient| (OLS); sums to 1."""
    if model == "ols":
        raw = np.abs(estimator.coef_) * np.std(X, axis=0) / np.std(y)
    elif isinstance(estimator, HistGradientBoostingRegressor):
        raw = histogram_gain_importance(estimator)
    else:
        raw = np.asarray(estimator.feature_importances_, dtype=float)
    total = raw.sum()
    return raw / total if total > 0 else np.full(len(raw), np.nan)


def predict_stacked(estimator, blocks):
    """Predictions of ``estimator`` for a list of equally long row blocks, in one call.

    One ``predict`` of all blocks stacked costs the per-call overhead of a
    forest (one joblib dispatch and one OpenMP region per tree) once instead
    of once per block; tree predictions are row by row, so the numbers are
    those of one call per block.
    """
    return predicted_parts(estimator, [blocks])[0]


def _r2(y, predictions):
    """R² of each row of ``predictions`` against ``y`` (sklearn's ``r2_score``)."""
    residual = ((predictions - y[None, :]) ** 2).sum(axis=1)
    total = ((y - y.mean()) ** 2).sum()
    if total == 0:  # constant y: sklearn's force_finite convention
        return np.where(residual == 0, 1.0, 0.0)
    return 1.0 - residual / total


def permuted_copies(X, n_repeats, seed):
    """The ``drivers × n_repeats`` permuted copies of ``X`` permutation
    importance predicts, driver by driver (see :func:`permutation_importances`)."""
    X = np.asarray(X, dtype=float)
    shared = np.random.RandomState(seed).randint(np.iinfo(np.int32).max + 1)
    blocks = []
    for j in range(X.shape[1]):
        rng = np.random.RandomState(shared)
        permuted = X.copy()
        order = np.arange(len(X))
        for _ in range(n_repeats):
            rng.shuffle(order)
            permuted[:, j] = permuted[order, j]
            blocks.append(permuted.copy())
    return blocks


def permutation_scores(y, baseline, predicted, n_repeats):
    """(mean, std) per driver of the drop in R² from ``baseline`` (the
    predictions of the rows as they are) to ``predicted`` (those of
    :func:`permuted_copies`, one row per copy)."""
    y = np.asarray(y, dtype=float)
    drops = _r2(y, baseline[None, :])[0] - _r2(y, predicted).reshape(-1, n_repeats)
    return drops.mean(axis=1), drops.std(axis=1)


def permutation_importances(estimator, X, y, n_repeats, seed):
    """(mean, std) per driver of the drop in R² when it is permuted.

    The same permutations and scores as ``sklearn.inspection.
    permutation_importance(estimator, X, y, n_repeats=n_repeats,
    random_state=seed)`` (the tests check equality): one RandomState seeded
    from ``seed`` draws a seed shared by all drivers; per driver, a fresh
    RandomState of that seed shuffles the row order ``n_repeats`` times,
    each shuffle applied to the already shuffled column. Written here so that
    all ``drivers × n_repeats`` permuted copies are predicted in one call
    (see :func:`predict_stacked`): for a forest of 100 trees on a few
    thousand rows that is 20–50× faster than scikit-learn's one call per copy.
    """
    X = np.asarray(X, dtype=float)
    blocks = permuted_copies(X, n_repeats, seed)
    return permutation_scores(y, estimator.predict(X), predict_stacked(estimator, blocks), n_repeats)


def _shap():
    """The shap module, imported the first time on a thread of its own.

    At import shap keeps the errors of the optional packages it does not find
    (cv2, pyspark) with their tracebacks, and a traceback holds every frame of
    the stack that imported it with all their locals: imported inside the
    driver analysis, it kept that analysis' arrays alive for the rest of the
    process (1.3 GiB at 5·10^6 unit-years). A new thread's stack holds nothing."""
    import sys

    if "shap" in sys.modules:
        return sys.modules["shap"]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_imported_shap).result()


def _imported_shap():
    import shap

    return shap


def shap_values(estimator, model, X, X_train):
    """(values, expected value): SHAP values of ``X`` (rows × drivers) and the
    model's expected value; see the module docstring."""
    if model == "ols":
        reference = X_train.mean(axis=0)
        expected = float(estimator.predict(reference[None, :])[0])
        return (X - reference) * estimator.coef_, expected
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shap = _shap()
        explainer = shap.TreeExplainer(estimator, feature_perturbation="tree_path_dependent")
        values = explainer.shap_values(X, check_additivity=True)
    expected = float(np.ravel(explainer.expected_value)[0])
    return np.asarray(values, dtype=float), expected


def pd_grid(values, resolution, percentiles=(0.05, 0.95)):
    """Grid of a driver's partial dependence, scikit-learn's rule: its distinct
    values when it has fewer than ``resolution``, else ``resolution`` equally
    spaced points between its ``percentiles`` (``scipy.stats.mstats.mquantiles``).
    Raises ValueError when those percentiles coincide."""
    from scipy.stats.mstats import mquantiles

    uniques = np.unique(values)
    if len(uniques) < resolution:
        return uniques
    low, high = mquantiles(values, prob=percentiles, axis=0)
    if np.allclose(low, high):
        raise ValueError("percentiles are too close to each other, unable to build the grid")
    return np.linspace(low, high, num=resolution, endpoint=True)


def pd_copies(X, importance, drivers, label, model, n_pdp, grid, max_rows, seed, notes):
    """[(driver index, grid, copies)] of the ``n_pdp`` leading drivers: the rows
    averaged (at most ``max_rows`` of ``X``, a seeded sample) with the driver
    set to each grid value, one copy per value (see :func:`partial_dependence_rows`);
    a driver without a grid is named in ``notes``."""
    X = np.asarray(X[sample_positions(len(X), max_rows, seed)], dtype=float)
    ranking = np.argsort(-np.nan_to_num(importance, nan=0.0), kind="stable")[:n_pdp]
    plan = []
    for j in ranking:
        try:
            axis = pd_grid(X[:, j], grid)
        except ValueError as exc:
            notes.append(f"group {label!r}, {model}: no partial dependence for {drivers[j]!r} ({exc})")
            continue
        blocks = []
        for value in axis:
            copy = X.copy()
            copy[:, j] = value
            blocks.append(copy)
        plan.append((j, axis, blocks))
    return plan


def pd_table_rows(plan, predicted, drivers, label, model):
    """Rows (GROUP, MODEL, DRIVER, GRID_VALUE, PD_VALUE) of a :func:`pd_copies`
    plan, ``predicted`` holding each driver's predictions (one row per copy)."""
    rows = []
    for (j, axis, _), predictions in zip(plan, predicted):
        for value, average in zip(axis, predictions.mean(axis=1)):
            rows.append((label, model, drivers[j], float(value), float(average)))
    return rows


def partial_dependence_rows(estimator, X, importance, drivers, label, model, n_pdp, grid,
                            max_rows, seed, notes):
    """Rows (GROUP, MODEL, DRIVER, GRID_VALUE, PD_VALUE) for the ``n_pdp`` leading drivers.

    ``PD(v) = mean_i f(x_i with driver j set to v)``: the numbers of
    ``sklearn.inspection.partial_dependence(method="brute",
    percentiles=(0.05, 0.95))`` (the tests check equality), with all grid
    points of a driver predicted in one call (see :func:`predict_stacked`).
    """
    plan = pd_copies(X, importance, drivers, label, model, n_pdp, grid, max_rows, seed, notes)
    predicted = [predict_stacked(estimator, blocks) for _, _, blocks in plan]
    return pd_table_rows(plan, predicted, drivers, label, model)


def predicted_parts(estimator, parts):
    """Predictions of ``estimator`` for each of ``parts`` (lists of equally
    long row blocks), all in one ``predict`` call, each part as an array of
    one row per block. For tree models and ensembles: their predictions are
    row by row, so the numbers are those of one call per block, and a forest's
    per-call cost (a dispatch per tree, ≈ 10 ms for 100 trees) is paid once
    per fitted model instead of six times."""
    sizes = [len(blocks) * len(blocks[0]) for blocks in parts]
    joined = estimator.predict(np.concatenate([block for blocks in parts for block in blocks], axis=0))
    pieces = np.split(joined, np.cumsum(sizes)[:-1])
    return [piece.reshape(len(blocks), -1) for piece, blocks in zip(pieces, parts)]
