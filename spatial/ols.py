"""Ordinary least squares with standard errors and a report of collinear drivers.

With design matrix A = [1, X_kept], ``b = argmin |y - A b|²``
(``numpy.linalg.lstsq``), ``s² = RSS / (n - k)`` (k columns of A),
``Var(b) = s² (A'A)^-1`` computed from the QR factor R of A
(``(A'A)^-1 = R^-1 R^-T``), ``t = b / se`` and the two-sided p-value from
Student's t with n - k degrees of freedom; ``R² = 1 - RSS/TSS`` and
``adjusted R² = 1 - (1 - R²)(n - 1)/(n - k)`` (Greene, Econometric
Analysis, ch. 3-4).

Perfectly collinear drivers — a constant, or a linear combination of the
intercept and earlier drivers, judged by ``numpy.linalg.matrix_rank`` on the
centred, RMS-scaled columns, adding drivers in the given order — are dropped
and reported rather than given arbitrary coefficients.

Written by hand because scikit-learn's ``LinearRegression`` gives neither
standard errors nor a report of collinear columns, and statsmodels is not a
dependency; the tests compare with the normal equations and scikit-learn.
"""

import numpy as np
from scipy.special import stdtr
from sklearn.base import BaseEstimator, RegressorMixin

__all__ = ["independent_columns", "ols_fit", "OLSRegressor"]


def independent_columns(X):
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


def ols_fit(X, y):
    """Least squares of y on [1, X] with collinear columns dropped.

    Returns a dict: ``kept``, ``dropped`` (column indices), ``coef`` (length
    1 + len(kept), intercept first), ``se``, ``t``, ``p``, ``r2``, ``adj_r2``,
    ``n``, ``df_resid``. Formulas in the module docstring.
    """
    n = len(y)
    kept, dropped = independent_columns(X)
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
        p = 2.0 * stdtr(df_resid, -np.abs(t))  # = 2 * P(T > |t|)
        adj = 1.0 - (1.0 - r2) * (n - 1) / df_resid
    return {
        "kept": kept, "dropped": dropped, "coef": coef, "se": se, "t": t, "p": p,
        "r2": r2, "adj_r2": adj, "n": n, "df_resid": df_resid,
    }


class OLSRegressor(RegressorMixin, BaseEstimator):
    """scikit-learn wrapper around :func:`ols_fit` (for cross-validation and
    permutation importance). After ``fit``: ``coef_`` (one per column of X, 0
    for a dropped collinear column), ``intercept_``, ``dropped_`` (column
    indices), ``r2_``, ``adj_r2_``."""

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        fit = ols_fit(X, y)
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
