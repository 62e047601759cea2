"""Benchmark of spatial.drivers.driver_analysis (tool ccd:driveranalysis).

The whole driver analysis with its defaults — tree, forest, boosting and OLS;
full sample plus three tiers; random and grouped split; train/test R²,
impurity and permutation importance, SHAP and partial dependence (see
spatial.driver_models for the defaults: histogram boosting, forest trees on
<= 500-row bootstraps, no cross-validation) — on a synthetic panel of 296
units x 13 years (the demo's size) and on 10^5 rows (7,693 x 13).

Baseline, in the same process: the plain scikit-learn script a user would
write for the same table — per group (all + 3 tiers) and split (random and
grouped), fit the same four models with the same parameters (decision tree,
random forest of 100 trees on the same bootstrap size with 2 threads,
HistGradientBoostingRegressor, LinearRegression), score train and test R²,
read feature_importances_, and sklearn.inspection.permutation_importance of the
primary split's models on the same <= 2,000 held-out rows with 5 repeats;
OpenMP on one thread (histogram boosting's threads on small groups cost more
than they save on a busy machine, which would flatter the ratio). The
ratio (ours / plain script) is our overhead; SHAP and partial dependence are
extra work the script does not do.

    .venv/bin/python bench/drivers.py            # 296 x 13 and 10^5 rows
    .venv/bin/python bench/drivers.py --quick    # 60 x 8 and 154 x 13 rows
    .venv/bin/python bench/drivers.py --only-small | --only-large
"""

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spatial.driver_importance import PERM_MAX_ROWS, sample_positions  # noqa: E402
from spatial.driver_models import DEFAULT_PARAMS, FOREST_MAX_ROWS  # noqa: E402
from spatial.driver_splits import train_test_positions  # noqa: E402
from spatial.drivers import driver_analysis  # noqa: E402
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor  # noqa: E402
from sklearn.inspection import permutation_importance  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
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


def plain_script(df):
    """(wall, CPU) seconds the plain scikit-learn script takes (see the module docstring)."""
    from threadpoolctl import threadpool_limits

    start, cpu = time.perf_counter(), time.process_time()
    with threadpool_limits(limits=1, user_api="openmp"):
        _plain_fits(df)
    return time.perf_counter() - start, time.process_time() - cpu


def _plain_fits(df):
    b = DEFAULT_PARAMS["boosting"]
    groups = [df] + [part for _, part in df.groupby("TIER")]
    for part in groups:
        X = part[DRIVERS].to_numpy()
        y = part["D"].to_numpy()
        units = pd.factorize(part["id"])[0]
        splits = train_test_positions(len(y), units, 0.3, 42)  # the same rows as ours
        for name in ("grouped", "random"):
            train, test = splits[name]
            models = [
                DecisionTreeRegressor(random_state=42, **DEFAULT_PARAMS["tree"]),
                RandomForestRegressor(random_state=42, n_jobs=2, **DEFAULT_PARAMS["forest"],
                                      max_samples=FOREST_MAX_ROWS if len(train) > FOREST_MAX_ROWS
                                      else None),
                HistGradientBoostingRegressor(max_iter=b["n_estimators"], max_depth=b["max_depth"],
                                              learning_rate=b["learning_rate"], min_samples_leaf=1,
                                              max_leaf_nodes=None, early_stopping=False,
                                              random_state=42),
                LinearRegression(),
            ]
            sample = test[sample_positions(len(test), PERM_MAX_ROWS, 42)]
            for model in models:
                model.fit(X[train], y[train])
                r2_score(y[train], model.predict(X[train]))
                r2_score(y[test], model.predict(X[test]))
                getattr(model, "feature_importances_", None)
                if name == "grouped":
                    permutation_importance(model, X[sample], y[sample], n_repeats=5,
                                           random_state=42)


def run(label, units, years, show_progress=False, with_baseline=True):
    df = make_panel(units, years)
    base, base_cpu = plain_script(df) if with_baseline else (float("nan"), float("nan"))
    print(f"{label}: {len(df):,} rows, 4 groups (all + 3 tiers), 4 models, 2 splits, defaults")
    print(f"  plain scikit-learn script (same models):      {base:8.2f} s  (CPU {base_cpu:.2f} s)",
          flush=True)
    start, cpu = time.perf_counter(), time.process_time()

    def progress(fraction, message):
        if show_progress:
            print(f"    {time.perf_counter() - start:8.1f} s  {fraction:6.1%}  {message}", flush=True)

    res = driver_analysis(df, "D", DRIVERS, id_field="id", group_field="TIER", progress=progress)
    whole, whole_cpu = time.perf_counter() - start, time.process_time() - cpu
    gap = res.metrics.pivot_table(index=["GROUP", "MODEL"], columns="SPLIT", values="R2_TEST")
    all_rows = gap.loc["all"]
    print(f"  whole driver analysis:                        {whole:8.2f} s  (CPU {whole_cpu:.2f} s; "
          f"x{whole / base:.2f} the plain script, CPU x{whole_cpu / base_cpu:.2f})")
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} (2 cores)")
    print("  full-sample test R2 (random / grouped split): " + ", ".join(
        f"{m} {all_rows.loc[m, 'random']:.3f}/{all_rows.loc[m, 'grouped']:.3f}"
        for m in all_rows.index))
    return whole, base


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--only-small", action="store_true", help="296 x 13 rows only")
    parser.add_argument("--only-large", action="store_true", help="10^5 rows only")
    parser.add_argument("--progress", action="store_true", help="print the time of every model fit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain script")
    args = parser.parse_args()
    if args.quick:
        run("quick panel 60 x 8", 60, 8, args.progress)
        run("quick panel 154 x 13", 154, 13, args.progress)
        return
    if not args.only_large:
        run("demo scale 296 x 13", 296, 13, args.progress, not args.no_baseline)
    if not args.only_small:
        run("large panel 7,693 x 13", 7693, 13, args.progress, not args.no_baseline)


if __name__ == "__main__":
    main()
