"""Benchmark: vectorised coupling coordination vs a row-wise DataFrame.apply.

Full run: 10^5 units × 20 years = 2·10^6 rows, 2 systems, both models.
The row-wise baseline is run on a subsample (2·10^4 rows) and scaled
linearly to the full size; the output says so.

    .venv/bin/python bench/coupling.py            # full
    .venv/bin/python bench/coupling.py --quick    # 10^4 units × 20 years
"""

import argparse
import math
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spatial.coupling import coupling_coordination  # noqa: E402


def row_classic(row):
    u1, u2 = row["U1"], row["U2"]
    if u1 + u2 == 0:
        return pd.Series({"C": math.nan, "T": 0.0, "D": math.nan})
    c = 2 * math.sqrt(u1 * u2) / (u1 + u2)
    t = 0.5 * u1 + 0.5 * u2
    return pd.Series({"C": c, "T": t, "D": math.sqrt(c * t)})


def row_revised(row):
    u1, u2 = row["U1"], row["U2"]
    hi, lo = max(u1, u2), min(u1, u2)
    if hi == 0:
        return pd.Series({"C": math.nan, "T": 0.0, "D": math.nan})
    c = math.sqrt((1 - abs(u1 - u2)) * lo / hi)
    t = 0.5 * u1 + 0.5 * u2
    return pd.Series({"C": c, "T": t, "D": math.sqrt(c * t)})


BASELINES = {"classic": row_classic, "revised": row_revised}


def best_of(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10^4 units × 20 years, baseline on 2·10^3 rows")
    args = parser.parse_args(argv)

    units, years = (10_000, 20) if args.quick else (100_000, 20)
    sub = 2_000 if args.quick else 20_000
    rows = units * years
    rng = np.random.default_rng(42)
    U = pd.DataFrame(
        {"U1": rng.uniform(0, 1, rows), "U2": rng.uniform(0, 1, rows)},
        index=pd.MultiIndex.from_product([np.arange(units), np.arange(2004, 2004 + years)],
                                         names=["ID", "YEAR"]),
    )
    U.iloc[:5] = 0.0  # a few 0/0 unit-years
    sample = U.iloc[rng.choice(rows, size=sub, replace=False)]
    scale = rows / sub

    print(f"coupling coordination, 2 systems, {units:,} units × {years} years = {rows:,} rows")
    print(f"baseline: row-wise DataFrame.apply on a random subsample of {sub:,} rows, "
          f"time scaled linearly ×{scale:g} to {rows:,} rows")
    for model in ("classic", "revised"):
        coupling_coordination(U.iloc[:1000], model=model)  # warm-up
        sample.iloc[:200].apply(BASELINES[model], axis=1)
        fast, result = best_of(lambda: coupling_coordination(U, model=model), repeat=3)
        slow_sub, base = best_of(lambda: sample.apply(BASELINES[model], axis=1), repeat=1)
        slow = slow_sub * scale
        check = coupling_coordination(sample, model=model)
        assert np.allclose(check.to_numpy(), base[["C", "T", "D"]].to_numpy(), equal_nan=True)
        print(
            f"  {model:8s} vectorised {fast:8.3f} s | row-wise {slow_sub:7.3f} s on {sub:,} rows "
            f"-> {slow:8.1f} s scaled | speed-up ×{slow / fast:,.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
