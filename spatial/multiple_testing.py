"""p-value cut-offs when every unit is tested: none, Bonferroni, Benjamini–Hochberg.

- Bonferroni: ``alpha / n``.
- false discovery rate (Benjamini & Hochberg 1995, JRSS B 57(1):289–300) in
  esda's form (``esda.fdr``): with p sorted, the largest ``k alpha / n``
  such that ``p_(k) < k alpha / n``; ``alpha / n`` when there is none.

A unit is significant when ``p <= cut-off``.
"""

import numpy as np

from .errors import InputError

CORRECTIONS = ("none", "fdr", "bonferroni")


def fdr_threshold(p, alpha: float = 0.05) -> float:
    """Benjamini–Hochberg cut-off, equal to ``esda.fdr(p, alpha)``: with p
    sorted, the largest ``k alpha / n`` such that ``p_(k) < k alpha / n``;
    ``alpha / n`` when there is none. Significant: ``p <= cut-off``."""
    p = np.asarray(p, dtype=float)
    n = p.shape[0]
    p_sort = np.sort(p)[::-1]
    p_fdr = np.arange(n, 0, -1) * alpha / n
    sig = np.flatnonzero(p_sort < p_fdr)
    return float(alpha / n) if sig.size == 0 else float(p_fdr[sig[0]])


def significance_cutoff(p, significance: float = 0.05, correction: str = "none") -> float:
    """p-value cut-off for ``correction`` 'none' (alpha), 'bonferroni'
    (alpha / n) or 'fdr' (:func:`fdr_threshold`); ``p`` are the tested units."""
    if correction not in CORRECTIONS:
        raise InputError(f"correction {correction!r} is not one of {', '.join(CORRECTIONS)}")
    if not 0 < significance < 1:
        raise InputError(f"significance must be between 0 and 1; got {significance!r}")
    p = np.asarray(p, dtype=float)
    if correction == "none":
        return float(significance)
    if correction == "bonferroni":
        return float(significance / max(1, p.shape[0]))
    return fdr_threshold(p, significance)
