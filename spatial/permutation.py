"""Permutation draws for global statistics and the pseudo p-value rule.

- pseudo p (esda's and GeoDa's "directed" rule): with ``c`` the number of
  the ``P`` permutation statistics ``>=`` the observed one,
  ``p = (min(c, P - c) + 1) / (P + 1)``.
- draws: ``P`` seeded, uniformly random permutations of a vector, either
  paired (:func:`paired_draws`: pairwise independent, at about half the
  cost of one Fisher–Yates shuffle per draw) or independent
  (:func:`independent_draws`: one shuffle each). Random streams are spawned
  from the seed per block of draws, so the number of threads never changes
  a result.

numpy only; used by :mod:`spatial.moran` (and the conditional kernel of
:mod:`spatial.conditional_permutation` shares :func:`thread_map`,
:func:`directed_p` and :data:`BLOCK`).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .errors import InputError

DRAWS = ("paired", "independent")
BLOCK = 64  # permutations per random stream: results do not depend on n_jobs
_PAIRED_MEMORY = 256 * 2**20  # bytes of permuted copies kept for paired draws


def year_seed(seed, year):
    """The seed of one year's draws, ``[seed, year]`` (None when ``seed`` is
    None): seeded by the calendar year, so a year's pseudo p-values do not
    depend on which other years the table holds or how a study split them."""
    return None if seed is None else [int(seed), int(year) % 2**32]


def checked_permutations(permutations) -> int:
    """``permutations`` as an int, or InputError unless a non-negative integer."""
    if not isinstance(permutations, (int, np.integer)) or permutations < 0:
        raise InputError(f"permutations must be a non-negative integer; got {permutations!r}")
    return int(permutations)


def check_draws(draws):
    """InputError unless ``draws`` is one of :data:`DRAWS`."""
    if draws not in DRAWS:
        raise InputError(f"draws {draws!r} is not one of {', '.join(DRAWS)}")


def directed_p(larger, permutations):
    """Pseudo p ``(min(c, P - c) + 1) / (P + 1)`` of counts ``c`` = ``larger``."""
    larger = np.asarray(larger)
    larger = np.minimum(larger, permutations - larger)
    return (larger + 1.0) / (permutations + 1.0)


def thread_map(fn, items, n_jobs):
    """``[fn(i) for i in items]``, on ``n_jobs`` threads (-1: one per core
    this process may use)."""
    items = list(items)
    workers = 1 if n_jobs is None else usable_cores() if n_jobs == -1 else int(n_jobs)
    if workers <= 1 or len(items) == 1:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(fn, items))


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity; the machine's count
    where the system does not say)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pair_counts(n, permutations):
    """(m_a, m_b) with m_a * m_b >= permutations: m_a about
    sqrt(permutations), but the m_a copies of n values within
    :data:`_PAIRED_MEMORY`."""
    m_a = max(1, min(int(np.ceil(np.sqrt(permutations))), _PAIRED_MEMORY // (8 * n)))
    return m_a, -(-permutations // m_a)


def _shuffled(z, rng):
    """A uniformly random permutation of ``z`` (numpy's Fisher–Yates on the
    float bits viewed as int64, its fastest path)."""
    out = z.copy()
    rng.shuffle(out.view(np.int64))
    return out


def paired_draws(z, permutations, seed, n_jobs, statistic):
    """``permutations`` statistics of paired permutations of ``z``.

    Draw k = i + m_a j is ``z[A_i][B_j]`` with A_i (m_a of them) and B_j
    (m_b) independent uniformly random permutations. Every draw is then a
    uniformly random permutation of ``z``, and any two draws are independent
    (given A_i, ``A_i∘B_j`` and ``A_i∘B_j'`` are independent and uniform;
    likewise for a shared B_j), so the count of draws ``>=`` the observed
    statistic has the same mean and the same variance as with
    ``permutations`` mutually independent shuffles: the Monte Carlo error
    of the pseudo p is unchanged. (Draws are pairwise, not mutually,
    independent: A_1B_1, A_1B_2 and A_2B_1 determine A_2B_2.) The cost is
    m_a + m_b ≈ 2·sqrt(P) shuffles plus P gathers instead of P shuffles;
    numpy's Fisher–Yates costs ~11 ns per value (one bounded random integer
    each), a gather ~3 ns.

    ``statistic(rows, B)`` returns the statistic of each ``row[B]``. Random
    streams are spawned from ``seed`` per A_i and per B_j, so ``n_jobs``
    threads do not change the result.
    """
    n = z.shape[0]
    m_a, m_b = pair_counts(n, permutations)
    seeds = np.random.SeedSequence(seed).spawn(m_a + m_b)
    ZA = np.stack(thread_map(lambda s: _shuffled(z, np.random.default_rng(s)), seeds[:m_a], n_jobs))

    def block(j):
        B = _shuffled(np.arange(n, dtype=np.int64), np.random.default_rng(seeds[m_a + j]))
        return statistic(ZA[: min(m_a, permutations - j * m_a)], B)

    return np.concatenate(thread_map(block, range(m_b), n_jobs))


def independent_draws(z, permutations, seed, n_jobs, statistic):
    """As :func:`paired_draws`, with one fresh Fisher–Yates shuffle per
    draw (the textbook scheme; about twice as slow for global Moran).
    Shuffling the previous draw again gives a uniform permutation that is
    independent of it, so one buffer per stream is enough."""
    seeds = np.random.SeedSequence(seed).spawn(-(-permutations // BLOCK))

    def block(b):
        rng = np.random.default_rng(seeds[b])
        buf = z.copy()
        out = np.empty(min(BLOCK, permutations - b * BLOCK))
        for k in range(out.shape[0]):
            rng.shuffle(buf.view(np.int64))
            out[k] = statistic(buf[None, :], None)[0]
        return out

    return np.concatenate(thread_map(block, range(len(seeds)), n_jobs))


def permutation_draws(z, permutations, seed, n_jobs, statistic, draws):
    """``statistic`` of ``permutations`` permutations of ``z`` by the scheme ``draws``."""
    fn = paired_draws if draws == "paired" else independent_draws
    return fn(z, permutations, seed, n_jobs, statistic)
