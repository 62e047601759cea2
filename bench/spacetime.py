"""User-path benchmarks of the space-time tools (issue 15), beside the peer a user would pick.

Each measurement is a fresh process — ``ccd TOOL …`` for ours, a plain script
for the peer — reading the same generated files and writing its result, in the
same run, so the ratios hold however busy the machine is. The files are
bench/userpath.py's square grids of 1 km cells (EPSG:3857) and their 13-year
panel (``U1``, ``U2`` in (0, 1), ``V``):

- relativedevelopment: E = U1/U2, its lag type and the coordination type, beside
  the same formulas in plain pandas (C, T, D, D class, E, E type, labels);
- kerneldensity: Gaussian density of U1 per year on a 200-point common grid
  (Silverman), beside ``scipy.stats.gaussian_kde`` evaluated on the same grid;
- gravitycentre: the U1-weighted mean centre of the cell centroids per year and
  the shift between years, beside geopandas centroids + ``pointpats``'
  ``weighted_mean_center``;
- deviationalellipse: the U1-weighted ellipse (1 and 2 standard deviations)
  per year, beside ``pointpats.centrography.ellipse`` (unweighted: pointpats has
  no weighted ellipse — the peer does less work);
- emerginghotspots: Gi* of U1 per year (queen, binary) and the Mann–Kendall
  trend of each unit's z, beside ``esda.G_Local`` per year + ``pymannkendall``
  per unit (the peer classifies no patterns — it does less work); normal
  inference at every size, 999 conditional permutations at 2,500 units only
  (esda's Gi* with permutations takes about 17 s per 1,000 cells and year);
- convergence: σ per year and absolute + conditional (two-way fixed effects)
  β with SEs clustered by unit, beside statsmodels OLS (cov_type="cluster",
  the within transformation by hand); with the polygons (2,500 units only) also
  the spatial β models, beside ``spreg.Panel_FE_Lag`` / ``Panel_FE_Error``.

Printed per tool and size: seconds (wall clock of the whole process), peak
memory of our process, ours ÷ peer (< 1: we are faster) and the growth figure
time(40,000 units) ÷ time(2,500 units) (16× the units).

    .venv/bin/python bench/spacetime.py                       # 2,500 and 40,000 units
    .venv/bin/python bench/spacetime.py --sizes 2500 --tools density,gravity
    .venv/bin/python bench/spacetime.py --keep /tmp/grids     # keep the generated files
"""

import argparse
import os
import tempfile

from userpath import YEARS, Table, ccd, made, script, timed

PANDAS_RELATIVE = """
import sys, numpy as np, pandas as pd
df = pd.read_csv(sys.argv[1])
u1, u2 = df["U1"], df["U2"]
c = 2 * np.sqrt(u1 * u2) / (u1 + u2)
d = np.sqrt(c * (0.5 * u1 + 0.5 * u2))
names = ["extreme disorder", "serious disorder", "moderate disorder", "mild disorder",
         "on the verge of disorder", "barely coordinated", "primary coordination",
         "intermediate coordination", "good coordination", "high-quality coordination"]
df["D"] = d
df["E"] = u1 / u2
df["E_TYPE"] = np.select([df["E"] < 0.9, df["E"] > 1.1], ["U1 lagging", "U2 lagging"], "synchronous")
df["COORD_TYPE"] = np.array(names)[np.minimum((d * 10).astype(int), 9)] + ", " + df["E_TYPE"]
df.to_csv(sys.argv[2], index=False)
"""

SCIPY_DENSITY = """
import sys, numpy as np, pandas as pd
from scipy.stats import gaussian_kde
df = pd.read_csv(sys.argv[1])
v = df["U1"].to_numpy()
grid = np.linspace(v.min(), v.max(), 200)
rows = []
for year, one in df.groupby("YEAR"):
    kde = gaussian_kde(one["U1"].to_numpy(), bw_method="silverman")
    rows.append(pd.DataFrame({"YEAR": year, "X": grid, "DENSITY": kde(grid)}))
pd.concat(rows).to_csv(sys.argv[2], index=False)
"""

POINTPATS_GRAVITY = """
import sys, numpy as np, pandas as pd, geopandas
from pointpats.centrography import weighted_mean_center
cells = geopandas.read_file(sys.argv[1])
centres = cells.geometry.centroid
xy = pd.DataFrame({"CELL": cells["CELL"], "X": centres.x, "Y": centres.y})
panel = pd.read_csv(sys.argv[2]).merge(xy, on="CELL")
rows = []
for year, one in panel.groupby("YEAR"):
    x, y = weighted_mean_center(one[["X", "Y"]].to_numpy(), one["U1"].to_numpy())
    rows.append((year, x, y))
out = pd.DataFrame(rows, columns=["YEAR", "X", "Y"])
dx, dy = out["X"].diff(), out["Y"].diff()
out["SHIFT_KM"] = np.hypot(dx, dy) / 1000
out["BEARING"] = np.degrees(np.arctan2(dx, dy)) % 360
out.to_csv(sys.argv[3], index=False)
"""

POINTPATS_ELLIPSE = """
import sys, pandas as pd, geopandas
from pointpats.centrography import ellipse
cells = geopandas.read_file(sys.argv[1])
centres = cells.geometry.centroid
xy = pd.DataFrame({"CELL": cells["CELL"], "X": centres.x, "Y": centres.y})
panel = pd.read_csv(sys.argv[2]).merge(xy, on="CELL")
rows = []
for year, one in panel.groupby("YEAR"):
    sx, sy, theta = ellipse(one[["X", "Y"]].to_numpy())
    rows += [(year, k, k * sx, k * sy, theta) for k in (1, 2)]
pd.DataFrame(rows, columns=["YEAR", "SD", "SX", "SY", "THETA"]).to_csv(sys.argv[3], index=False)
"""

ESDA_EMERGING = """
import sys, warnings, numpy as np, pandas as pd, geopandas, esda, libpysal, pymannkendall
warnings.simplefilter("ignore")
cells = geopandas.read_file(sys.argv[1])
panel = pd.read_csv(sys.argv[2])
permutations = int(sys.argv[4])
w = libpysal.weights.Queen.from_dataframe(cells, ids=cells["CELL"].tolist(), use_index=False)
zs, hot = [], []
for year, one in panel.groupby("YEAR"):
    y = one.set_index("CELL").loc[cells["CELL"], "U1"].to_numpy()
    g = esda.G_Local(y, w, transform="B", star=True, permutations=permutations, seed=1, n_jobs=1)
    zs.append(g.Zs)
    hot.append(pd.DataFrame({"CELL": cells["CELL"], "YEAR": year, "GI_Z": g.Zs,
                             "GI_P": g.p_sim if permutations else g.p_norm}))
z = np.column_stack(zs)
trend = [pymannkendall.original_test(series) for series in z]
pd.concat(hot).to_csv(sys.argv[3] + ".gi.csv", index=False)
pd.DataFrame({"CELL": cells["CELL"], "TREND_Z": [t.z for t in trend],
              "TREND_P": [t.p for t in trend]}).to_csv(sys.argv[3], index=False)
"""

STATSMODELS_CONVERGENCE = """
import sys, warnings, numpy as np, pandas as pd
import statsmodels.api as sm
warnings.simplefilter("ignore")
df = pd.read_csv(sys.argv[1]).sort_values(["CELL", "YEAR"])
sigma = df.groupby("YEAR")["U1"].agg(["std", "mean"])
sigma["CV"] = sigma["std"] / sigma["mean"]
df["LEVEL"] = np.log(df["U1"])
df["GROWTH"] = df.groupby("CELL")["LEVEL"].shift(-1) - df["LEVEL"]
g = df.dropna(subset=["GROWTH"])
rows = []
fit = sm.OLS(g["GROWTH"], sm.add_constant(g["LEVEL"])).fit(cov_type="cluster",
                                                          cov_kwds={"groups": g["CELL"]})
rows.append(("absolute", fit.params["LEVEL"], fit.bse["LEVEL"]))
within = g[["GROWTH", "LEVEL"]]
within = (within - within.groupby(g["CELL"]).transform("mean")
          - within.groupby(g["YEAR"]).transform("mean") + within.mean())
fit = sm.OLS(within["GROWTH"], within[["LEVEL"]]).fit(cov_type="cluster",
                                                       cov_kwds={"groups": g["CELL"]})
rows.append(("conditional", fit.params["LEVEL"], fit.bse["LEVEL"]))
if len(sys.argv) > 4:
    import geopandas, libpysal, spreg
    cells = geopandas.read_file(sys.argv[4])
    w = libpysal.weights.Queen.from_dataframe(cells, ids=cells["CELL"].tolist(), use_index=False)
    w.transform = "r"
    y = g.pivot(index="CELL", columns="YEAR", values="GROWTH").loc[cells["CELL"]].to_numpy()
    x = g.pivot(index="CELL", columns="YEAR", values="LEVEL").loc[cells["CELL"]].to_numpy()
    lag = spreg.Panel_FE_Lag(y, x, w)
    rows.append(("sar", lag.betas[0, 0], lag.std_err[0]))
    error = spreg.Panel_FE_Error(y, x, w)
    rows.append(("sem", error.betas[0, 0], error.std_err[0]))
sigma.to_csv(sys.argv[2])
pd.DataFrame(rows, columns=["MODEL", "BETA", "SE"]).to_csv(sys.argv[3], index=False)
"""

TOOLS = ("relative", "density", "gravity", "ellipse", "emerging", "convergence")


def spacetime(sizes, folder, table, tools=TOOLS):
    out = os.path.join(folder, "out")
    os.makedirs(out, exist_ok=True)
    for n in sizes:
        side = int(round(n ** 0.5))
        n = side * side
        files = made("grid", side, folder)
        cells, panel = files["cells"], files["panel"]
        keys = ("--id-field", "CELL", "--year-field", "YEAR")
        print(f"\n{n:,} square cells × {YEARS} years", flush=True)

        def o(name):
            return os.path.join(out, f"{name}{n}.csv")

        if "relative" in tools:
            t, mib = timed(ccd("relativedevelopment", "--input", panel, *keys,
                               "--system-fields", "U1", "U2", "--output", o("rel")))
            base = timed(script(PANDAS_RELATIVE, panel, o("pdrel")))[0]
            table.add("relativedevelopment", n, t, mib, "plain pandas", base)
        if "density" in tools:
            t, mib = timed(ccd("kerneldensity", "--input", panel, "--year-field", "YEAR",
                               "--value-field", "U1", "--density", o("kde")))
            base = timed(script(SCIPY_DENSITY, panel, o("sckde")))[0]
            table.add("kerneldensity", n, t, mib, "scipy gaussian_kde", base)
        if "gravity" in tools:
            t, mib = timed(ccd("gravitycentre", "--input", panel, "--polygons", cells, *keys,
                               "--weight-field", "U1", "--output", o("centre"), "--path", o("path")))
            base = timed(script(POINTPATS_GRAVITY, cells, panel, o("ppcentre")))[0]
            table.add("gravitycentre", n, t, mib, "geopandas + pointpats", base)
        if "ellipse" in tools:
            t, mib = timed(ccd("deviationalellipse", "--input", panel, "--polygons", cells, *keys,
                               "--weight-field", "U1", "--output", o("ellipse")))
            base = timed(script(POINTPATS_ELLIPSE, cells, panel, o("ppellipse")))[0]
            table.add("deviationalellipse", n, t, mib, "geopandas + pointpats (unweighted)", base)
        if "emerging" in tools:
            runs = [("normal", 0)] + ([("permutation", 999)] if n <= 2500 else [])
            for inference, permutations in runs:
                t, mib = timed(ccd("emerginghotspots", "--input", panel, "--polygons", cells, *keys,
                                   "--value-field", "U1", "--inference", inference,
                                   "--permutations", str(max(permutations, 99)),
                                   "--output", o(f"eh{inference}"), "--hot-spots", o(f"gi{inference}")))
                base = timed(script(ESDA_EMERGING, cells, panel, o(f"esda{inference}"), permutations))[0]
                table.add(f"emerginghotspots {inference[:4]}", n, t, mib,
                          "esda G_Local + pymannkendall", base)
        if "convergence" in tools:
            t, mib = timed(ccd("convergence", "--input", panel, *keys, "--value-field", "U1",
                               "--sigma", o("sigma"), "--beta", o("beta")))
            base = timed(script(STATSMODELS_CONVERGENCE, panel, o("smsigma"), o("smbeta")))[0]
            table.add("convergence σ+β", n, t, mib, "statsmodels OLS cluster", base)
            if n <= 2500:
                t, mib = timed(ccd("convergence", "--input", panel, "--polygons", cells, *keys,
                                   "--value-field", "U1", "--sigma", o("sigmaw"), "--beta", o("betaw")))
                base = timed(script(STATSMODELS_CONVERGENCE, panel, o("smsigmaw"), o("smbetaw"),
                                    cells))[0]
                table.add("convergence + spatial β", n, t, mib, "statsmodels + spreg Panel_FE", base)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,40000", help="units of the grids")
    parser.add_argument("--tools", default=",".join(TOOLS), help=", ".join(TOOLS))
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated files here")
    args = parser.parse_args()
    table = Table()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
        spacetime([int(s) for s in args.sizes.split(",") if s], folder, table, args.tools.split(","))
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    table.growth()


if __name__ == "__main__":
    main()
