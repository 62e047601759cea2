"""Benchmark: the user path of ccd:spatialregression and ccd:gwr against calling
spreg / mgwr directly for the same tables.

Panel: a square grid of G × G polygons (queen weights) × T years, target and two
drivers with a spatial lag. Direct baseline for the SDM with two-way fixed
effects: libpysal Queen weights from the polygons, the arrays stacked year by
year, and the spreg fits whose numbers the tool's tables hold — the within OLS
(spreg.PanelFE; the tool adds its panel LM tests), ML_LagFE of the SDM, ML_LagFE of the SAR and ML_ErrorFE of the
SEM (the LR tests). GWR: one cross-section of the grid, Sel_BW + GWR.fit
against ``tool("gwr").run``. Ratio = tool / direct (best of ``--repeat``).

    .venv/bin/python bench/regression.py            # 30 × 30 grid, 10 years; GWR on 400 units
    .venv/bin/python bench/regression.py --quick    # 15 × 15 grid, 5 years; GWR on 144 units
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from toolbox.tool import Feedback  # noqa: E402
from toolbox.tools import tool  # noqa: E402


def grid(g):
    import geopandas
    from shapely.geometry import box

    cells = [box(i, j, i + 1, j + 1) for j in range(g) for i in range(g)]
    return geopandas.GeoDataFrame({"ID": np.arange(g * g)}, geometry=cells, crs="EPSG:3857")


def panel(units, years, seed=0):
    import libpysal

    rng = np.random.default_rng(seed)
    w = libpysal.weights.Queen.from_dataframe(units, use_index=False, silence_warnings=True)
    w.transform = "r"
    n = len(units)
    a = np.eye(n) - 0.4 * w.full()[0]
    effect = rng.normal(size=n)
    rows = []
    for t in range(years):
        x = rng.normal(size=(n, 2))
        y = np.linalg.solve(a, x @ [1.0, -0.5] + 0.3 * (w.sparse @ x[:, 0]) + effect + 0.2 * t
                            + rng.normal(scale=0.5, size=n))
        rows.append(pd.DataFrame({"ID": units["ID"], "YEAR": 2000 + t, "Y": y, "X1": x[:, 0],
                                  "X2": x[:, 1]}))
    return pd.concat(rows, ignore_index=True)


def direct_sdm(units, table):
    import libpysal
    import spreg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.Queen.from_dataframe(units, use_index=False, silence_warnings=True)
        w.transform = "r"
        table = table.sort_values(["YEAR", "ID"])
        years = table["YEAR"].nunique()
        y = table[["Y"]].to_numpy()
        x = table[["X1", "X2"]].to_numpy()
        dummies = np.kron(np.eye(years)[:, 1:], np.ones((len(units), 1)))
        wx = np.vstack([w.sparse @ block for block in x.reshape(years, len(units), 2)])
        spreg.PanelFE(y, np.hstack([x, dummies]), w)
        spreg.ML_LagFE(y, np.hstack([x, wx, dummies]), w, spat_impacts=None)
        spreg.ML_LagFE(y, np.hstack([x, dummies]), w, spat_impacts=None)
        spreg.ML_ErrorFE(y, np.hstack([x, dummies]), w)


def ours_sdm(units, table):
    tool("spatialregression").run(
        {"INPUT": table, "POLYGONS": units, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR",
         "TARGET_FIELD": "Y", "DRIVER_FIELDS": ["X1", "X2"], "MODEL": "sdm",
         "FIXED_EFFECTS": "twoway", "WEIGHTS_TYPE": "queen", "DRAWS": 1000, "SEED": 1}, Feedback())


def direct_gwr(units, table):
    from mgwr.gwr import GWR
    from mgwr.sel_bw import Sel_BW

    centres = units.geometry.centroid
    coords = np.column_stack([centres.x, centres.y])
    y, x = table[["Y"]].to_numpy(), table[["X1", "X2"]].to_numpy()
    bandwidth = Sel_BW(coords, y, x, n_jobs=1).search(criterion="AICc")
    results = GWR(coords, y, x, bandwidth, n_jobs=1).fit()
    results.filter_tvals()
    return results.localR2


def ours_gwr(units, table):
    tool("gwr").run({"INPUT": table, "POLYGONS": units, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR",
                     "TARGET_FIELD": "Y", "DRIVER_FIELDS": ["X1", "X2"], "MODEL": "gwr",
                     "SCOPE": "year"}, Feedback())


def best(fn, repeat, *args):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    side, years, gwr_side = (15, 5, 12) if args.quick else (30, 10, 20)
    units = grid(side)
    table = panel(units, years)
    direct_sdm(units, table)  # warm-up: imports and first-call compilation
    ours_sdm(units, table)
    baseline = best(direct_sdm, args.repeat, units, table)
    ours = best(ours_sdm, args.repeat, units, table)
    print(f"SDM two-way FE, {side * side} units × {years} years: spreg direct {baseline:.2f} s, "
          f"ccd:spatialregression {ours:.2f} s, ratio {ours / baseline:.3f}")
    small = grid(gwr_side)
    cross = panel(small, 1)
    direct_gwr(small, cross)
    ours_gwr(small, cross)
    baseline = best(direct_gwr, args.repeat, small, cross)
    ours = best(ours_gwr, args.repeat, small, cross)
    print(f"GWR, {gwr_side * gwr_side} units: mgwr direct {baseline:.2f} s, ccd:gwr {ours:.2f} s, "
          f"ratio {ours / baseline:.3f}")


if __name__ == "__main__":
    main()
