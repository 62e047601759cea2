"""The four driver models and their defaults, proportionate to the data.

Models (scikit-learn, ``random_state=seed``): ``tree``
``DecisionTreeRegressor(max_depth=6, min_samples_leaf=5)`` — shallow enough
to read and not to memorise the panel; ``forest``
``RandomForestRegressor(n_estimators=100, min_samples_leaf=5,
max_features=1.0)`` — bagged trees over all drivers; ``boosting``
``GradientBoostingRegressor(n_estimators=100, learning_rate=0.1,
max_depth=3, subsample=1.0)`` (scikit-learn's defaults); ``ols`` least
squares with an intercept (:mod:`spatial.ols`). Override any parameter with
``model_params={"forest": {"n_estimators": 500}}``.

Defaults chosen for the cost of a whole analysis (4 groups × 2 splits × 4
models, then importances, SHAP and partial dependence), proportionate to the
data; each is a parameter, and the notes of a run say which applied:

- boosting is histogram-based (``boosting="auto"``, unless its parameters
  have no histogram equivalent, e.g. ``subsample < 1``):
  ``HistGradientBoostingRegressor`` with the same stages, learning rate and
  depth (``max_iter=n_estimators``, ``min_samples_leaf=1``, no early
  stopping). Split points are searched among at most 255 quantile bins per
  driver instead of every distinct value (Ke et al. 2017, LightGBM, NeurIPS;
  scikit-learn's user guide, "Histogram-Based Gradient Boosting"); on groups
  of fewer than 256 distinct values per driver the candidate splits are the
  same. On the demo panel (2,691 training rows) one fit takes 0.19 s
  instead of 1.06 s, test R² 0.993 against 0.995. ``boosting="exact"``
  keeps ``GradientBoostingRegressor``;
  :data:`HIST_BOOSTING_ROWS` (0) is the training size above which ``auto``
  turns histogram-based;
- each forest tree is grown on a bootstrap sample of at most
  :data:`FOREST_MAX_ROWS` (500) rows (``max_samples``) instead of as many
  rows as the training part has — subsampled bagging (Bühlmann & Yu 2002,
  Annals of Statistics 30(4):927–961): 100 trees still draw 50,000 rows,
  and fit time, tree size and the cost of predicting and explaining the
  trees grow with the cap, not with the panel. Test R² of the forest, cap
  500 against 1,000: demo panel (2,691 training rows of the full sample;
  ≤ 1,808 of a tier) 0.9940 / 0.9958 grouped, 0.9882 / 0.9921 random, at
  most 0.004 lower in any group (RMSE 0.0075 / 0.0063 grouped, 0.0110 /
  0.0090 random: its D is almost a function of the drivers); a generated
  2,500-cell grid × 13 years (22,750 training rows) 0.8792 / 0.8808 grouped,
  0.8791 / 0.8820 random, at most 0.003 lower in any group (RMSE at most
  1.3 % higher); the leading three drivers by impurity importance the same
  in every group of both. The whole driver analysis costs 30 % less CPU on
  the grid (15.6 → 10.6 s), 20–30 % on the demo (6.5 → 4.5–5.1 s); with cap
  1,000 the uncapped forest's test R² was 0.9961 (grouped) and 0.994
  (random) on the demo;
- ``n_jobs`` threads (default 2) for the forest's fits (histogram boosting
  runs on one OpenMP thread, see ``spatial.drivers.PARALLEL_ROWS``); results
  do not depend on it.

``tune=True`` replaces the ensembles' defaults by the best of a small grid
(:data:`TUNE_GRIDS`), chosen by ``GridSearchCV`` on the training part only.
"""

from sklearn.ensemble import (GradientBoostingRegressor, HistGradientBoostingRegressor,
                              RandomForestRegressor)
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeRegressor

from .errors import InputError
from .ols import OLSRegressor

__all__ = ["MODELS", "ENSEMBLES", "DEFAULT_PARAMS", "TUNE_GRIDS", "HIST_BOOSTING_ROWS",
           "FOREST_MAX_ROWS", "BOOSTING_KINDS", "model_params", "new_model", "tuned_model",
           "is_histogram"]

MODELS = ("tree", "forest", "boosting", "ols")
ENSEMBLES = ("forest", "boosting")
BOOSTING_KINDS = ("auto", "exact", "histogram")

DEFAULT_PARAMS = {
    "tree": {"max_depth": 6, "min_samples_leaf": 5},
    "forest": {"n_estimators": 100, "min_samples_leaf": 5, "max_features": 1.0},
    "boosting": {"n_estimators": 100, "learning_rate": 0.1, "max_depth": 3, "subsample": 1.0},
}

TUNE_GRIDS = {
    "forest": {"max_depth": [None, 8], "min_samples_leaf": [1, 5], "max_features": [1.0, 0.5]},
    "boosting": {"n_estimators": [100, 300], "learning_rate": [0.03, 0.1], "max_depth": [2, 3]},
}

#: Training rows above which boosting is histogram-based (``boosting="auto"``): always.
HIST_BOOSTING_ROWS = 0
#: Largest bootstrap sample a forest tree is grown on.
FOREST_MAX_ROWS = 500

_ESTIMATORS = {
    "tree": DecisionTreeRegressor,
    "forest": RandomForestRegressor,
    "boosting": GradientBoostingRegressor,
}
# GradientBoostingRegressor parameters and their HistGradientBoostingRegressor names
_HIST_NAMES = {"n_estimators": "max_iter", "learning_rate": "learning_rate",
               "max_depth": "max_depth", "min_samples_leaf": "min_samples_leaf"}


def model_params(overrides):
    """Parameters per tree model: :data:`DEFAULT_PARAMS` updated by ``overrides``
    (``{model: {name: value}}``); unknown models or parameters raise InputError."""
    params = {}
    for model, extra in (overrides or {}).items():
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
    return params


def _hist_compatible(params):
    """True when the boosting parameters have a histogram-boosting equivalent."""
    return all(name in _HIST_NAMES or (name == "subsample" and value == 1.0)
               for name, value in params.items())


def is_histogram(boosting, params, n_train):
    """Whether boosting on ``n_train`` rows is histogram-based (see module docstring)."""
    if boosting == "histogram":
        return True
    return boosting == "auto" and n_train > HIST_BOOSTING_ROWS and _hist_compatible(params)


def new_model(model, params, seed, n_train, n_jobs=2, boosting="auto",
              forest_max_rows=FOREST_MAX_ROWS):
    """An unfitted estimator for ``model`` on ``n_train`` training rows."""
    if model == "ols":
        return OLSRegressor()
    chosen = dict(params[model])
    if model == "forest":
        chosen.setdefault("n_jobs", n_jobs)
        if forest_max_rows and n_train > forest_max_rows and "max_samples" not in chosen:
            chosen["max_samples"] = int(forest_max_rows)
    if model == "boosting" and is_histogram(boosting, chosen, n_train):
        if not _hist_compatible(chosen):
            raise InputError("histogram boosting takes n_estimators, learning_rate, max_depth and "
                             "min_samples_leaf only (no subsample); choose boosting 'exact'")
        hist = {"min_samples_leaf": 1}
        hist.update({_HIST_NAMES[k]: v for k, v in chosen.items() if k in _HIST_NAMES})
        return HistGradientBoostingRegressor(random_state=seed, early_stopping=False,
                                             max_leaf_nodes=None, **hist)
    return _ESTIMATORS[model](random_state=seed, **chosen)


def tuned_model(estimator, model, cv, groups, X, y, n_jobs=1):
    """``estimator`` refitted with the best :data:`TUNE_GRIDS` values
    (``GridSearchCV`` with the splitter ``cv`` on the training part);
    returns (fitted estimator, best parameters)."""
    grid = TUNE_GRIDS[model]
    if isinstance(estimator, HistGradientBoostingRegressor):
        grid = {_HIST_NAMES[k]: v for k, v in grid.items()}
    search = GridSearchCV(estimator, grid, scoring="r2", cv=cv, n_jobs=n_jobs, refit=True)
    search.fit(X, y, groups=groups)
    return search.best_estimator_, dict(search.best_params_)
