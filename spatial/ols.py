"""Ordinary least squares with standard errors and a report of collinear drivers.

The fit is PySAL's ``spreg.OLS`` of y on [1, X_kept] — its estimation
(``spreg.ols.BaseOLS`` on the matrix ``spreg.user_output.check_constant``
builds from columns none of which is constant: ones, then X_kept, here built
in one array rather than through check_constant's two copies, 0.4 GB each at
5·10^6 rows × 9 drivers) and its ``spreg.diagnostics``, without the summary table that
``spreg.OLS`` lays out with pandas (27 of its 30 ms on 3,848 rows × 9
drivers; a driver analysis fits OLS three times per group): ``b = (A'A)^-1 A'y``,
``s² = RSS / (n - k)`` (k columns of A), ``Var(b) = s² (A'A)^-1``,
``t = b / se`` with two-sided p-values from Student's t with n - k degrees
of freedom, ``R² = 1 - RSS/TSS`` and ``adjusted R² = 1 - (1 - R²)(n - 1)/(n - k)``
(Anselin & Rey 2014, *Modern Spatial Econometrics in Practice*; Greene,
*Econometric Analysis*, ch. 3-4). The spatial diagnostics of the same model
are ``ccd:spatialregression``'s.

What is ours: perfectly collinear drivers — a constant, or a linear
combination of the intercept and earlier drivers, judged by
``numpy.linalg.matrix_rank``'s rule on the centred, RMS-scaled columns
(from their QR factor, see :func:`independent_columns`), adding
drivers in the given order — are dropped and reported before the fit
(``spreg.OLS`` would invert a singular matrix), and the scikit-learn
estimator wrapper used for cross-validation and permutation importance.
"""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

__all__ = ["independent_columns", "ols_fit", "OLSRegressor"]


def independent_columns(X, block: int = 65536):
    """Split column indices into (kept, dropped) so that [1, X[:, kept]] has full rank.

    Columns are added in order; a column is dropped when it is constant or
    does not raise the rank of the centred, RMS-scaled kept columns (that is,
    it is a linear combination of the intercept and earlier kept columns).

    The rank is ``numpy.linalg.matrix_rank``'s — singular values above
    ``s_max · max(n, k) · eps`` — of the columns taken from R of a QR
    factorisation of the centred, scaled matrix ``M = QR``: ``M[:, S] = Q R[:, S]``
    with Q orthonormal, so both have the same singular values (Golub & Van
    Loan, *Matrix Computations*, 4th ed., 5.2 and 2.4). R is built
    ``block`` rows at a time (the QR of [R; next block] at each step, the
    tall-skinny QR of Demmel et al. 2012), so no n × p copy of X is made:
    at 3.5·10^6 rows × 8 drivers the centred copy, a candidate's copy and
    LAPACK's copy of it had taken 614 MiB beside X.
    """
    n, p = X.shape
    kept, dropped = [], []
    if n == 0:
        return kept, list(range(p))
    mean = X.mean(axis=0)
    squares = np.zeros(p)
    r = np.zeros((0, p))
    for start in range(0, n, block):
        centred = X[start:start + block] - mean
        squares += np.einsum("ij,ij->j", centred, centred)
        r = np.linalg.qr(np.vstack([r, centred]), mode="r")
    scales = np.sqrt(squares / n)
    r = r / np.where(scales > 0, scales, 1.0)
    eps = np.finfo(float).eps
    for j in range(p):
        column = X[:, j]
        if np.all(column == column[0]):
            dropped.append(j)
            continue
        singular = np.linalg.svd(r[:, kept + [j]], compute_uv=False)
        if np.count_nonzero(singular > singular.max() * max(n, len(kept) + 1) * eps) == len(kept) + 1:
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
    k = 1 + len(kept)
    df_resid = n - k
    nan = np.full(k, np.nan)
    if df_resid <= 0 or not kept:
        # nothing to estimate beyond the mean, or no residual degrees of freedom
        A = np.column_stack([np.ones(n), X[:, kept]])
        coef = np.linalg.lstsq(A, y, rcond=None)[0]
        resid = y - A @ coef
        tss = float(((y - y.mean()) ** 2).sum())
        r2 = 1.0 - float(resid @ resid) / tss if tss > 0 and kept else (0.0 if tss > 0 else np.nan)
        return {"kept": kept, "dropped": dropped, "coef": coef, "se": nan, "t": nan, "p": nan,
                "r2": r2, "adj_r2": np.nan, "n": n, "df_resid": df_resid}
    from spreg import diagnostics
    from spreg.ols import BaseOLS

    A = np.empty((n, k))
    A[:, 0] = 1.0
    A[:, 1:] = X if len(kept) == X.shape[1] else X[:, kept]
    model = BaseOLS(np.asarray(y, dtype=float).reshape(-1, 1), A)
    t_stat = diagnostics.t_stat(model)
    coef = np.asarray(model.betas, dtype=float).ravel()
    se = np.asarray(diagnostics.se_betas(model), dtype=float)
    t = np.array([pair[0] for pair in t_stat], dtype=float)
    p = np.array([pair[1] for pair in t_stat], dtype=float)
    return {
        "kept": kept, "dropped": dropped, "coef": coef, "se": se, "t": t, "p": p,
        "r2": float(diagnostics.r2(model)), "adj_r2": float(diagnostics.ar2(model)), "n": n, "df_resid": df_resid,
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
