"""Benchmark: Dagum Gini decomposition, sorted prefix sums vs a naive O(n^2) baseline.

    .venv/bin/python bench/dagum.py            # 10^6 values in 10 groups; baseline at n = 20,000
    .venv/bin/python bench/dagum.py --quick    # 10^5 values; baseline at n = 5,000

The baseline is the straightforward implementation of Dagum's definitions:
for every pair of groups, the matrix of differences y_ji - y_hr built with
NumPy broadcasting in row chunks (so it fits in memory), summed for
|differences| and for the positive part (d_jh) and negative part (p_jh).
Both run in this process on the same data (best of 20 fast runs, best of 2
baseline runs); the ratio is baseline / fast.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spatial.dagum import dagum_gini  # noqa: E402


def naive_dagum(values, groups, chunk=2048):
    labels = np.unique(groups)
    n = values.shape[0]
    mu = values.mean()
    member = {g: values[groups == g] for g in labels}
    mean = {g: member[g].mean() for g in labels}
    p = {g: member[g].shape[0] / n for g in labels}
    s = {g: member[g].shape[0] * mean[g] / (n * mu) for g in labels}

    def sums(a, b):
        absolute = positive = 0.0
        for start in range(0, a.shape[0], chunk):
            delta = a[start:start + chunk, None] - b[None, :]
            absolute += np.abs(delta).sum()
            positive += np.maximum(delta, 0).sum()
        return absolute, positive

    total = gw = gnb = gt = 0.0
    for g in labels:
        within, _ = sums(member[g], member[g])
        total += within
        gw += within / (2 * member[g].shape[0] ** 2 * mean[g]) * p[g] * s[g]
    for a_index, a in enumerate(labels):
        for b in labels[a_index + 1:]:
            j, h = (a, b) if mean[a] >= mean[b] else (b, a)
            absolute, positive = sums(member[j], member[h])
            total += 2 * absolute
            pairs = member[j].shape[0] * member[h].shape[0]
            d, q = positive / pairs, (absolute - positive) / pairs
            g_jh = absolute / (pairs * (mean[j] + mean[h]))
            weight = g_jh * (p[j] * s[h] + p[h] * s[j])
            gnb += weight * (d - q) / (d + q)
            gt += weight * (1 - (d - q) / (d + q))
    return total / (2 * n * n * mu), gw, gnb, gt


def data(n, k, seed=0):
    rng = np.random.default_rng(seed)
    groups = rng.integers(0, k, n)
    values = rng.lognormal(mean=0.3 * groups, sigma=0.8)
    return values, groups


def best_of(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    big_n, small_n, k = (10**5, 5_000, 10) if args.quick else (10**6, 20_000, 10)

    values, groups = data(big_n, k)
    seconds, result = best_of(lambda: dagum_gini(values, groups), 3)
    tracemalloc.start()
    dagum_gini(values, groups)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"fast   n={big_n:>9,} k={k}: {seconds:8.3f} s  G={result.G:.6f}  "
          f"GW+GNB+GT-G={result.GW + result.GNB + result.GT - result.G:+.1e}  "
          f"pairs={len(result.pairs)}  peak traced memory {peak / 2**20:.1f} MiB "
          f"({peak / values.nbytes:.1f} x the input array)")

    values, groups = data(small_n, k, seed=1)
    fast_seconds, fast = best_of(lambda: dagum_gini(values, groups), 20)
    naive_seconds, naive = best_of(lambda: naive_dagum(values, groups), 2)
    difference = max(abs(a - b) for a, b in zip((fast.G, fast.GW, fast.GNB, fast.GT), naive))
    print(f"fast   n={small_n:>9,} k={k}: {fast_seconds:8.4f} s")
    print(f"naive  n={small_n:>9,} k={k}: {naive_seconds:8.3f} s  (max |difference| {difference:.1e})")
    print(f"ratio naive / fast at n={small_n:,}: {naive_seconds / fast_seconds:,.0f}x")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
