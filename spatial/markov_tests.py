"""Markov chain transition probabilities and the tests that compare chains.

``n_ij`` are transition counts from class i to class j, ``n_i = sum_j n_ij``.

**Probabilities** ``p_ij = n_ij / n_i``, a row without transitions left at 0
(maximum likelihood; Anderson & Goodman 1957, Annals of Mathematical
Statistics 28(1):89–110). Computed as ``(1 / n_i) * n_ij``, the reciprocal
first, as giddy's ``Markov`` does (``diag(1 / n_i) @ N``), so the numbers
are giddy's to the last bit.

**Homogeneity of m chains** (Bickenbach & Bode 2003, International Regional
Science Review 26(3):363–392, eqs. 9–10): counts ``n_ijm`` of chain (regime)
m, pooled ``n_ij = sum_m n_ijm`` with probabilities ``p_ij``, per chain
``p_ijm``:

- ``Q = sum_m sum_i n_im sum_j (p_ijm - p_ij)^2 / p_ij`` (terms with
  ``p_ij = 0`` divide by 1),
- ``LR = 2 sum_m sum_i sum_j n_ijm ln(p_ijm / p_ij)`` over the cells with
  ``n_ijm > 0`` and ``p_ij > 0``,
- both chi-square with ``sum_i (b_i - 1)(a_i - 1)`` degrees of freedom,
  ``b_i`` the chains with transitions out of i, ``a_i`` the classes j with
  ``p_ij > 0`` (the authors' correction for empty cells).

**Chi-square of one count matrix against another's probabilities**
(giddy's ``chi2``; the LISA Markov independence test of Rey, Murray &
Anselin 2011): expected ``E_ij = n_i(T1) p_ij(T2)``,
``X2 = sum_ij (T1_ij - E_ij)^2 / E_ij`` (cells with ``E_ij = 0`` divide by
1), dof ``(r1 - 1)(r2 - 1)`` with r the rows of each matrix that have
transitions.

**Spatial dependence** of a spatial Markov chain (Rey 2001): the sum over
the neighbour classes l of the chi-square of the conditional counts
``n_ijl`` against the pooled probabilities, with ``k (k - 1)^2`` degrees of
freedom for k classes.

p-values are ``1 - F(x; dof)`` of the chi-square distribution (scipy), the
expression giddy uses; every sum is numpy's sum of the same array in the
same order, so the statistics equal giddy's bit for bit.
"""

from __future__ import annotations

import numpy as np


def row_probabilities(counts) -> np.ndarray:
    """``p_ij = n_ij / n_i`` of a k × k count matrix (or a stack of them,
    along the last two axes); rows without transitions stay 0."""
    counts = np.asarray(counts, dtype=float)
    totals = counts.sum(axis=-1)
    return (1.0 / (totals + (totals == 0)))[..., None] * counts


def upper_tail(statistic, dof) -> float:
    """``1 - F(statistic)`` of the chi-square distribution with ``dof`` degrees of freedom."""
    from scipy import stats

    return 1 - stats.chi2.cdf(statistic, dof)


def homogeneity(counts) -> dict:
    """Bickenbach & Bode's Q and LR tests that the m chains ``counts``
    (m × k × k) have the same transition probabilities (module docstring).
    Returns Q, LR, DOF, Q_P_VALUE, LR_P_VALUE."""
    counts = np.asarray(counts, dtype=float)
    pooled = counts.sum(axis=0)
    p = row_probabilities(pooled)
    nonzero_p = p > 0
    den = p + (p == 0)
    classes_reached = (pooled > 0).sum(axis=1)       # a_i
    chains_leaving = np.zeros(pooled.shape[0])       # b_i
    q = 0.0
    lr = 0.0
    for n in counts:
        n_i = n.sum(axis=1)
        chains_leaving = chains_leaving + (n_i > 0)
        p_m = row_probabilities(n)
        q = q + (n_i[:, None] * ((p_m - p) ** 2 / den)).sum()
        used = (n > 0) & nonzero_p
        ratio = np.where(used, p_m, 1.0) / np.where(used, p, 1.0)
        lr = lr + (n * np.log(ratio)).sum()
    lr = lr * 2.0
    dof = int(((chains_leaving - 1) * (classes_reached - 1)).sum())
    return {"Q": q, "LR": lr, "DOF": dof, "Q_P_VALUE": upper_tail(q, dof), "LR_P_VALUE": upper_tail(lr, dof)}


def chi2_against(observed, reference):
    """Chi-square of the counts ``observed`` against the probabilities of
    the counts ``reference`` (both k × k; module docstring). Returns
    (statistic, p-value, dof)."""
    observed = np.asarray(observed, dtype=float)
    reference = np.asarray(reference, dtype=float)
    n_obs = observed.sum(axis=1)
    n_ref = reference.sum(axis=1)
    dof = ((n_obs > 0).sum() - 1) * ((n_ref > 0).sum() - 1)
    expected = n_obs[:, None] * row_probabilities(reference)
    statistic = ((observed - expected) ** 2 / (expected + (expected == 0))).sum()
    return statistic, upper_tail(statistic, dof), dof


def spatial_dependence(conditional, pooled):
    """Rey's X2 of the conditional count matrices ``conditional`` (m × k × k)
    against the ``pooled`` counts (k × k): (statistic, p-value, dof)."""
    statistic = sum(chi2_against(counts, pooled)[0] for counts in conditional)
    k = np.shape(pooled)[0]
    dof = k * (k - 1) * (k - 1)
    return statistic, upper_tail(statistic, dof), dof
