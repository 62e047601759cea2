"""The command line on the same data at 1, x 1e300 and x 1e-300: the scale-free columns agree.

The issue's cases end to end (CSV in, CSV out): global Moran's I came out
empty and LISA all NS for extreme magnitudes; two equal indices of 1e-200
were "low-level" coupled; a value of 1.5e308 was called missing. The
references are the unscaled runs and hand formulas.
"""

import math

import numpy as np
import pandas as pd
import pytest

geopandas = pytest.importorskip("geopandas")
from shapely.geometry import box  # noqa: E402

from toolbox import cli  # noqa: E402

SIDE = 6
FACTORS = (1.0, 1e300, 1e-300)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("magnitudes")
    cells = [(r, c) for r in range(SIDE) for c in range(SIDE)]
    units = geopandas.GeoDataFrame({"UNIT": [f"u{r}_{c}" for r, c in cells]},
                                   geometry=[box(c, r, c + 1, r + 1) for r, c in cells], crs="EPSG:3857")
    units.to_file(folder / "units.gpkg", driver="GPKG")
    rng = np.random.default_rng(3)
    rows = []
    for year in (2020, 2021):
        smooth = [math.sin(r / 2.0) + math.cos(c / 2.0) for r, c in cells]
        for (r, c), s in zip(cells, smooth):
            rows.append((f"u{r}_{c}", year, 10.0 + s + rng.standard_normal() * 0.5, ["east", "west"][c % 2]))
    panel = pd.DataFrame(rows, columns=["UNIT", "YEAR", "V", "REGION"])
    for factor in FACTORS:
        panel.assign(V=panel["V"] * factor).to_csv(folder / f"panel_{factor:g}.csv", index=False)
    return folder


def run(*argv):
    assert cli.main(["--quiet", *map(str, argv)]) == 0


def spatial_args(folder, factor):
    return ("--input", folder / f"panel_{factor:g}.csv", "--polygons", folder / "units.gpkg",
            "--id-field", "UNIT", "--year-field", "YEAR", "--value-field", "V", "--seed", 4)


def test_global_moran_and_lisa_ignore_the_scale(files):
    tables = {}
    for factor in FACTORS:
        run("globalmoran", *spatial_args(files, factor), "--permutations", 199,
            "--output", files / f"moran_{factor:g}.csv")
        run("localmoran", *spatial_args(files, factor), "--permutations", 199,
            "--output", files / f"lisa_{factor:g}.csv")
        tables[factor] = (pd.read_csv(files / f"moran_{factor:g}.csv"), pd.read_csv(files / f"lisa_{factor:g}.csv"))
    moran, lisa = tables[1.0]
    assert (moran["I"] > 0.3).all() and (lisa["CLUSTER"] != "NS").any()
    for factor in FACTORS[1:]:
        scaled_moran, scaled_lisa = tables[factor]
        for column in ("I", "Z", "P_NORM"):
            np.testing.assert_allclose(scaled_moran[column], moran[column], rtol=1e-9)
        assert scaled_moran["P_SIM"].tolist() == moran["P_SIM"].tolist()
        np.testing.assert_allclose(scaled_lisa["LISA_I"], lisa["LISA_I"], rtol=1e-9, atol=1e-12)
        assert scaled_lisa["CLUSTER"].tolist() == lisa["CLUSTER"].tolist()
        assert scaled_lisa["LISA_P"].tolist() == lisa["LISA_P"].tolist()


def test_dagum_ignores_the_scale(files):
    out = {}
    for factor in FACTORS:
        run("dagumgini", "--input", files / f"panel_{factor:g}.csv", "--id-field", "UNIT", "--year-field", "YEAR",
            "--value-field", "V", "--group-field", "REGION", "--output", files / f"dagum_{factor:g}.csv",
            "--pairs", files / f"pairs_{factor:g}.csv")
        out[factor] = pd.read_csv(files / f"dagum_{factor:g}.csv")
    for factor in FACTORS[1:]:
        for column in ("G", "GW", "GNB", "GT", "GINI"):
            np.testing.assert_allclose(out[factor][column], out[1.0][column], rtol=1e-9)


def test_tiny_equal_indices_are_coupled_and_huge_indicators_are_valid(tmp_path):
    pd.DataFrame({"ID": ["a", "b"], "YEAR": 2020, "U1": [1e-200, 0.3], "U2": [1e-200, 0.6]}).to_csv(
        tmp_path / "u.csv", index=False)
    run("couplingcoordination", "--input", tmp_path / "u.csv", "--system-fields", "U1", "U2",
        "--output", tmp_path / "c.csv")
    c = pd.read_csv(tmp_path / "c.csv")
    assert c["C"].tolist()[0] == 1.0 and c["C_LEVEL_NAME"].tolist()[0] == "high-level"
    assert c["C"].tolist()[1] == pytest.approx(2 * math.sqrt(0.18) / 0.9, rel=1e-12)
    pd.DataFrame({"ID": list("abcd"), "YEAR": 2020, "X": [1.5e308, -1.5e308, 0.0, 7.5e307],
                  "Y": [1.0, 2.0, 3.0, 4.0]}).to_csv(tmp_path / "x.csv", index=False)
    run("entropyweights", "--input", tmp_path / "x.csv", "--id-field", "ID", "--year-field", "YEAR",
        "--positive-fields", "X", "Y", "--output", tmp_path / "i.csv", "--weights", tmp_path / "w.csv")
    weights = pd.read_csv(tmp_path / "w.csv").set_index("INDICATOR")
    # X standardises to 1, 0, 0.5, 0.75: p = x / 2.25, e = -sum p ln p / ln 4
    p = np.array([1.0, 0.0, 0.5, 0.75]) / 2.25
    e = -(p[p > 0] * np.log(p[p > 0])).sum() / math.log(4)
    assert weights.loc["X", "E"] == pytest.approx(e, rel=1e-12)
