"""Conditional permutation kernel for local (LISA-type) statistics.

For each observation i and each round the k_i neighbours' values are
replaced by k_i values drawn without replacement from the other n - 1
observations (Anselin 1995, Geographical Analysis 27(2):93–115, section on
conditional randomization), and the rounds whose statistic
``x_i * sum_j w_ij y*_j`` reaches the observed one are counted; the pseudo p
then follows :func:`spatial.permutation.directed_p`.

Why not esda for the local permutations: esda's ``Moran_Local`` copies the
data once per observation (76 s at 250,000 units without numba) and with
numba costs 20–38 s of compilation in every fresh process; it also draws one
table of permutations shared by all observations. The kernel here is plain
numpy and draws for every observation and every permutation its own
stand-ins — see :func:`conditional_counts`. esda remains the oracle in the
tests.
"""

from __future__ import annotations

import numpy as np

from .permutation import BLOCK, thread_map

_CHUNK = 65536  # units per slice of a LISA round (temporaries within L2; 2 threads scale best)
_BATCHED_UNITS = 8192  # up to this many units, rounds are drawn in batches (batched_block)


def window_bits(n, kmax, bmax=15, bmin=12, units_per_start=8):
    """Number of random window starts per round as a power of two, 2**b.

    ``2**b + kmax <= n`` so that a window of kmax+1 units fits in the
    sample; otherwise 2**b is about ``n / units_per_start`` (so drawing the
    sample costs a fraction of the round), but never under ``2**bmin`` nor
    over ``2**bmax``."""
    fit = int(np.floor(np.log2(max(1, n - kmax))))
    share = int(np.floor(np.log2(max(1, (n - kmax) / units_per_start))))
    return max(0, min(bmax, fit, max(bmin, share)))


def conditional_counts(x, y, W, permutations, seed, n_jobs=1):
    """Conditional-permutation counts for local Moran-type statistics.

    ``W``: the weights, a ``scipy.sparse`` matrix or anything with CSR arrays
    ``indptr``, ``indices`` and ``data`` (:class:`spatial.weights.CSR`).

    For each observation i and each of ``permutations`` rounds, the k_i
    neighbours' values ``y_j`` are replaced by k_i values drawn without
    replacement from the other n-1 observations (never i itself), and
    ``c_i`` counts rounds whose statistic ``x_i * sum_j w_ij y*_j`` is ``>=``
    the observed one (ties within 1e-9 relative count as ``>=``). Returns
    ``c`` (int array; meaningless where the row is empty or ``x_i = 0``).

    How the draws are made, in numpy with O(n) memory: every round draws a
    uniformly random ordered sample R of m = 2**b + kmax distinct units
    (``Generator.choice(replace=False)``; 2**b from :func:`window_bits`)
    and, for each observation, its own uniformly random window start o_i in
    [0, 2**b) (b random bits, so no modulo bias). The window
    R[o_i : o_i + k_i + 1] is a uniformly random ordered tuple of distinct
    units; its first k_i members other than i are therefore a uniformly
    random ordered k_i-sample of the other n-1 units, which is exactly one
    conditional permutation for observation i. Rounds use fresh R and
    offsets, so each observation's draws are independent across rounds;
    within a round two observations share stand-ins only when their windows
    overlap (esda and GeoDa's lookup table instead reuse one table of draws
    for all observations in every round). With equal weights in a row
    (contiguity, knn, distance band; row-standardised or binary) the window
    sum is read from a table of window sums of y[R] for that cardinality
    (prefix-sum differences; one gather per round for all such rows); rows
    with unequal weights gather their k_i stand-ins and weight them.
    """
    n = x.shape[0]
    if hasattr(W, "tocsr"):  # a scipy.sparse matrix
        W = W.tocsr()
    indptr, indices, data = W.indptr, W.indices, W.data
    card = np.diff(indptr).astype(np.intp)
    kmax = int(card.max())
    rows = np.repeat(np.arange(n), card)
    rmin = np.full(n, np.inf)
    rmax = np.full(n, -np.inf)
    np.minimum.at(rmin, rows, data)
    np.maximum.at(rmax, rows, data)
    equal = (card > 0) & (rmin == rmax)
    c = np.where(card > 0, rmin, 0.0)
    # row sums in index order, as scipy's product W @ y adds them
    s_obs = np.bincount(rows, weights=y[indices], minlength=n)  # sum of the neighbours' y
    lag = np.bincount(rows, weights=data * y[indices], minlength=n)
    ymax = float(np.abs(y).max())
    tol = 1e-9 * ymax * np.maximum(card, 1)
    sgn = np.sign(x * c).astype(np.int8)
    eq_active = equal & (sgn != 0)
    general = (card > 0) & ~equal & (x != 0)
    # Relabel units so that equal-weight rows of one (cardinality, sign)
    # class are contiguous, all others last. R is drawn in this labelling.
    # A class compares its window sums, negated for a negative sign, with
    # ">=" against a limit negated likewise.
    ks = np.unique(card[eq_active])
    cls = np.searchsorted(ks, card) + np.where(sgn > 0, 0, ks.size)
    key = np.where(eq_active, cls, 2 * ks.size)
    order = np.argsort(key, kind="stable")
    inv = np.empty(n, np.intp)
    inv[order] = np.arange(n)
    n_act = int(eq_active.sum())
    y_r = y[order]
    k_r = np.where(eq_active, card, 0)[order].astype(np.int32)
    sg_r = np.where(sgn > 0, 1.0, -1.0)[order][:n_act]
    lim_r = (sg_r * np.where(sgn > 0, s_obs - tol, s_obs + tol)[order][:n_act])
    b = window_bits(n, kmax)
    ns = 1 << b
    m = ns + kmax
    # segments (start, end, offset of the class's table row), at most _CHUNK
    # units each so that a round's temporaries stay in cache
    key_r = key[order][:n_act]
    segments = []
    for row in np.unique(key_r):
        a, e = np.searchsorted(key_r, [row, row + 1])
        for s in range(int(a), int(e), _CHUNK):
            segments.append((s, min(int(e), s + _CHUNK), int(row) * ns))
    rows_k = [(int(k), 1.0) for k in ks] + [(int(k), -1.0) for k in ks]
    groups = []
    for k in np.unique(card[general]):
        g = np.flatnonzero(general & (card == k))
        wmat = data[indptr[g][:, None] + np.arange(k)]
        sg = np.sign(x[g])
        groups.append((inv[g], int(k), wmat, sg, sg * lag[g] - 1e-9 * ymax * np.abs(wmat).sum(1)))
    nblocks = -(-permutations // BLOCK)
    seeds = np.random.SeedSequence(seed).spawn(nblocks)
    ar = np.arange(m, dtype=np.intp)
    shift = np.uint16(16 - b)
    chunk = min(_CHUNK, max(1, n_act))

    def block(bi):
        rng = np.random.default_rng(seeds[bi])
        bitgen = rng.bit_generator
        rounds = min(BLOCK, permutations - bi * BLOCK)
        cnt = np.zeros(n, np.uint8)  # at most BLOCK <= 255 rounds per block
        C = np.zeros(m + 1)
        T = np.empty((len(rows_k), ns))
        flat = T.ravel()
        idx = np.empty(chunk, np.intp)
        S = np.empty(chunk)
        ge = np.empty(chunk, bool)
        posR = np.full(n, -1, np.int64) if groups else None
        nwords = (n + 3) // 4
        for _ in range(rounds):
            R = rng.choice(n, m, replace=False)
            yR = y_r[R]
            np.cumsum(yR, out=C[1:])
            o = bitgen.random_raw(nwords).view(np.uint16)[:n]
            np.right_shift(o, shift, out=o)
            for t, (k, sg) in enumerate(rows_k):
                if sg > 0:
                    np.subtract(C[k : k + ns], C[:ns], out=T[t])
                else:
                    np.subtract(C[:ns], C[k : k + ns], out=T[t])
            for a, e, off in segments:
                L = e - a
                np.add(o[a:e], off, out=idx[:L], dtype=np.intp)
                np.take(flat, idx[:L], out=S[:L], mode="clip")  # in range by construction
                np.greater_equal(S[:L], lim_r[a:e], out=ge[:L])
                np.add(cnt[a:e], ge[:L].view(np.uint8), out=cnt[a:e])
            # observations whose own unit fell inside their window of k
            d = ar - o[R]
            hit = (d >= 0) & (d < k_r[R])
            if hit.any():
                u = R[hit]
                ou = o[u].astype(np.intp)
                ku = k_r[u]
                old = np.take(C, ou + ku) - np.take(C, ou)
                new = old + yR[ou + ku] - y_r[u]
                su, lu = sg_r[u], lim_r[u]
                cnt[u] += (su * new >= lu).astype(np.uint8) - (su * old >= lu).astype(np.uint8)
            for g, k, wmat, sg, gthr in groups:
                posR[R] = ar
                dg = (posR[g] - o[g])[:, None]
                posR[R] = -1
                t = np.arange(k)
                idx_g = o[g].astype(np.intp)[:, None] + t + ((dg >= 0) & (dg <= t))
                val = np.einsum("ij,ij->i", yR[idx_g], wmat) * sg
                cnt[g] += val >= gthr
        return cnt

    def batched_block(bi):
        """:func:`block` for layers of at most ``_BATCHED_UNITS`` units with
        equal weights in every row: the same draws (a uniformly random ordered
        sample R and a window start per observation, fresh every round) for
        ``batch`` rounds at once, each numpy call working on all of them, so
        that a small layer does not pay a round's dozens of calls 999 times."""
        rng = np.random.default_rng(seeds[bi])
        bitgen = rng.bit_generator
        rounds = min(BLOCK, permutations - bi * BLOCK)
        cnt = np.zeros(n, np.int64)
        base = np.tile(np.arange(n), (min(rounds, batch), 1))
        for start in range(0, rounds, batch):
            B = min(batch, rounds - start)
            R = rng.permuted(base[:B], axis=1)[:, :m]
            yR = y_r[R]
            C = np.zeros((B, m + 1))
            np.cumsum(yR, axis=1, out=C[:, 1:])
            o = bitgen.random_raw((B * n + 3) // 4).view(np.uint16)[:B * n].reshape(B, n) >> shift
            o = o.astype(np.intp)
            T = np.empty((B, len(rows_k), ns))
            for t, (k, sg) in enumerate(rows_k):
                if sg > 0:
                    np.subtract(C[:, k:k + ns], C[:, :ns], out=T[:, t])
                else:
                    np.subtract(C[:, :ns], C[:, k:k + ns], out=T[:, t])
            flat = T.ravel()
            at = o + (np.arange(B) * (len(rows_k) * ns))[:, None]  # row b's offsets in flat
            for a, e, off in segments:
                S = np.take(flat, at[:, a:e] + off)
                cnt[a:e] += np.count_nonzero(S >= lim_r[a:e], axis=0)
            d = ar - np.take_along_axis(o, R, axis=1)
            hit = (d >= 0) & (d < k_r[R])
            b_hit, p_hit = np.nonzero(hit)
            if b_hit.size:
                u = R[b_hit, p_hit]
                ou = o[b_hit, u]
                ku = k_r[u]
                old = C[b_hit, ou + ku] - C[b_hit, ou]
                new = old + yR[b_hit, ou + ku] - y_r[u]
                su, lu = sg_r[u], lim_r[u]
                np.add.at(cnt, u, (su * new >= lu).astype(np.int64) - (su * old >= lu).astype(np.int64))
        return cnt

    # about 2**17 sampled units per batch of rounds: small layers do whole blocks at once
    batch = max(1, min(BLOCK, (1 << 17) // max(1, m)))
    kernel = batched_block if (n <= _BATCHED_UNITS and not groups and batch > 1) else block
    counts = np.sum(thread_map(kernel, range(nblocks), n_jobs), axis=0, dtype=np.int64)
    return counts[inv]
