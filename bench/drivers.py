"""Benchmark of spatial.drivers.driver_analysis (tool ccd:driveranalysis).

The whole driver analysis — tree, forest, boosting and OLS; full sample plus
three tiers; random and grouped split; 5-fold CV on groups of at most 20,000
rows; permutation importance; SHAP; partial dependence, with the defaults of
spatial.driver_models (histogram boosting and capped forest bootstraps at scale) — on a synthetic panel of 337 units x 13 years (the
reference study's scale) and on 10^5 rows. Baseline, in the same process: one
plain fit of each of the four models (same parameters) on the full sample,
i.e. the least any driver analysis must spend (sklearn's exact boosting and
full-size forest bootstraps, as at the reference scale). The ratio says how many
"single fits" the whole analysis costs.

    .venv/bin/python bench/drivers.py            # 337 x 13 and 10^5 rows
    .venv/bin/python bench/drivers.py --quick    # 60 x 8 and 2,000 rows
    .venv/bin/python bench/drivers.py --only-small
"""

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spatial.driver_models import DEFAULT_PARAMS  # noqa: E402
from spatial.drivers import driver_analysis  # noqa: E402
from spatial.ols import OLSRegressor  # noqa: E402
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor  # noqa: E402
from sklearn.tree import DecisionTreeRegressor  # noqa: E402

DRIVERS = [f"X{k}" for k in range(1, 10)]


def make_panel(units, years, seed=0):
    rng = np.random.default_rng(seed)
    n = units * years
    unit_effect = np.repeat(rng.normal(0, 0.05, units), years)
    df = pd.DataFrame({
        "id": np.repeat(np.arange(units), years),
        "year": np.tile(np.arange(2011, 2011 + years), units),
    })
    for k in range(1, 10):
        df[f"X{k}"] = rng.random(n)
    df["D"] = (0.3 + 0.3 * df["X5"] + 0.1 * df["X1"] + 0.05 * df["X2"] * df["X3"]
               + unit_effect + rng.normal(0, 0.02, n))
    df["TIER"] = pd.qcut(df["D"], 3, labels=False)
    return df


def baseline(df):
    X = df[DRIVERS].to_numpy()
    y = df["D"].to_numpy()
    start = time.perf_counter()
    DecisionTreeRegressor(random_state=42, **DEFAULT_PARAMS["tree"]).fit(X, y)
    RandomForestRegressor(random_state=42, n_jobs=1, **DEFAULT_PARAMS["forest"]).fit(X, y)
    GradientBoostingRegressor(random_state=42, **DEFAULT_PARAMS["boosting"]).fit(X, y)
    OLSRegressor().fit(X, y)
    return time.perf_counter() - start


def run(label, units, years, show_progress=False, with_baseline=True):
    df = make_panel(units, years)
    base = baseline(df) if with_baseline else float("nan")
    print(f"{label}: {len(df):,} rows, 4 groups (all + 3 tiers), 4 models, 2 splits, defaults")
    print(f"  baseline (one fit of each model on all rows): {base:8.2f} s", flush=True)
    start = time.perf_counter()

    def progress(fraction, message):
        if show_progress:
            print(f"    {time.perf_counter() - start:8.1f} s  {fraction:6.1%}  {message}", flush=True)

    res = driver_analysis(df, "D", DRIVERS, id_field="id", group_field="TIER", progress=progress)
    whole = time.perf_counter() - start
    gap = res.metrics.pivot_table(index=["GROUP", "MODEL"], columns="SPLIT", values="R2_TEST")
    all_rows = gap.loc["all"]
    print(f"  whole driver analysis:                        {whole:8.2f} s  "
          f"(x{whole / base:.1f} the baseline)")
    print("  full-sample test R2 (random / grouped split): " + ", ".join(
        f"{m} {all_rows.loc[m, 'random']:.3f}/{all_rows.loc[m, 'grouped']:.3f}"
        for m in all_rows.index))
    return whole, base


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--only-small", action="store_true", help="337 x 13 rows only")
    parser.add_argument("--only-large", action="store_true", help="10^5 rows only")
    parser.add_argument("--progress", action="store_true", help="print the time of every model fit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the single-fit baseline")
    args = parser.parse_args()
    if args.quick:
        run("quick panel 60 x 8", 60, 8, args.progress)
        run("quick panel 154 x 13", 154, 13, args.progress)
        return
    if not args.only_large:
        run("reference scale 337 x 13", 337, 13, args.progress, not args.no_baseline)
    if not args.only_small:
        run("large panel 7,693 x 13", 7693, 13, args.progress, not args.no_baseline)


if __name__ == "__main__":
    main()
