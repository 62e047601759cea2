"""The spatial regression and GWR tools on libpysal's St. Louis homicide panel
(78 counties, 3 periods) and Georgia (159 counties), against spreg / mgwr."""

import subprocess
import sys

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
import spreg

from spatial.errors import InputError
from spatial.weights import build_weights
from toolbox.tool import RecordingFeedback
from toolbox.tools import tool


@pytest.fixture(scope="module")
def stl():
    layer = gpd.read_file(libpysal.examples.get_path("stl_hom.shp"))
    periods = (("7984", "80", "77"), ("8488", "85", "82"), ("8893", "90", "87"))
    rows = [pd.DataFrame({"FIPSNO": layer["FIPSNO"], "YEAR": year, "HR": layer[f"HR{hr}"],
                          "RDAC": layer[f"RDAC{rd}"], "PE": layer[f"PE{pe}"]})
            for year, (hr, rd, pe) in zip((1984, 1988, 1993), periods)]
    return layer[["FIPSNO", "geometry"]], pd.concat(rows, ignore_index=True)


def regression(stl, **values):
    polygons, table = stl
    feedback = RecordingFeedback()
    result = tool("spatialregression").run(
        {"INPUT": table, "POLYGONS": polygons, "ID_FIELD": "FIPSNO", "YEAR_FIELD": "YEAR",
         "TARGET_FIELD": "HR", "DRIVER_FIELDS": ["RDAC", "PE"], "WEIGHTS_TYPE": "queen",
         "DRAWS": 200, "SEED": 1, **values}, feedback)
    return result, feedback


def test_cross_section_per_year_matches_spreg(stl):
    polygons, table = stl
    result, _ = regression(stl, MODEL="sar", FIXED_EFFECTS="none")
    coefficients = result["COEFFICIENTS"]
    assert sorted(coefficients["YEAR"].unique()) == [1984, 1988, 1993]
    assert coefficients["PART"].tolist()[:4] == ["main", "main", "main", "spatial"]
    w = build_weights(polygons, "FIPSNO", "queen")
    year = table[table["YEAR"] == 1988].set_index("FIPSNO").loc[w.ids]
    lag = spreg.ML_Lag(year[["HR"]].to_numpy(), year[["RDAC", "PE"]].to_numpy(), w.to_libpysal(),
                       method="full", spat_impacts=None)
    ours = coefficients[coefficients["YEAR"] == 1988]["COEF"].to_numpy()
    np.testing.assert_allclose(ours, lag.betas.ravel(), rtol=1e-5)
    assert set(result["EFFECTS"].columns) >= {"DRIVER", "DIRECT", "INDIRECT", "TOTAL", "DIRECT_SE",
                                              "INDIRECT_P", "TOTAL_P"}


def test_panel_sdm_tables(stl):
    result, feedback = regression(stl, MODEL="sdm", FIXED_EFFECTS="twoway")
    terms = result["COEFFICIENTS"]["TERM"].tolist()
    assert terms == ["RDAC", "PE", "W_RDAC", "W_PE", "W_Y (rho)"]
    assert result["COEFFICIENTS"]["PART"].tolist() == ["main", "main", "wx", "wx", "spatial"]
    tests = set(result["DIAGNOSTICS"]["TEST"])
    assert {"LM_LAG", "ROBUST_LM_ERROR", "WALD_SDM_TO_SAR", "LR_SDM_TO_SEM"} <= tests
    assert "YEAR" not in result["EFFECTS"].columns
    assert any("SDM" in message for message in feedback.messages)


def test_bad_input(stl):
    polygons, table = stl
    with pytest.raises(InputError, match="two years"):
        regression(stl, MODEL="sar", FIXED_EFFECTS="unit", YEARS="1988")
    with pytest.raises(InputError, match="DRIVER_FIELDS"):
        regression(stl, DRIVER_FIELDS=[])
    with pytest.raises(InputError, match="year 1993.*not balanced|not balanced"):
        regression((polygons, table.iloc[:-1]), MODEL="ols", FIXED_EFFECTS="unit")


def test_command_line(tmp_path, stl):
    polygons, table = stl
    polygons.to_file(tmp_path / "stl.gpkg")
    table.to_csv(tmp_path / "panel.csv", index=False)
    done = subprocess.run(
        [sys.executable, "-m", "toolbox.cli", "spatialregression", "--input",
         str(tmp_path / "panel.csv"), "--polygons", str(tmp_path / "stl.gpkg"),
         "--id-field", "FIPSNO", "--year-field", "YEAR", "--target-field", "HR",
         "--driver-fields", "RDAC", "PE", "--model", "sem", "--fixed-effects", "unit",
         "--coefficients", str(tmp_path / "coef.csv"), "--effects", str(tmp_path / "effects.csv"),
         "--diagnostics", str(tmp_path / "diag.csv")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    coefficients = pd.read_csv(tmp_path / "coef.csv")
    assert coefficients["TERM"].tolist() == ["RDAC", "PE", "W_U (lambda)"]
    effects = pd.read_csv(tmp_path / "effects.csv")
    assert (effects["INDIRECT"] == 0).all()


def local_model(stl, **values):
    polygons, table = stl
    feedback = RecordingFeedback()
    result = tool("gwr").run(
        {"INPUT": table, "POLYGONS": polygons, "ID_FIELD": "FIPSNO", "YEAR_FIELD": "YEAR",
         "TARGET_FIELD": "HR", "DRIVER_FIELDS": ["RDAC"], **values}, feedback)
    return result, feedback


def test_gwr_per_year_layer_matches_mgwr(stl):
    from mgwr.gwr import GWR
    from mgwr.sel_bw import Sel_BW

    polygons, table = stl
    result, feedback = local_model(stl, MODEL="gwr", SCOPE="year", YEARS="1988")
    layer = result["OUTPUT"]
    assert {"B_INTERCEPT", "B_RDAC", "T_RDAC", "SIG_RDAC", "LOCAL_R2"} <= set(layer.columns)
    assert len(layer) == 78 and sorted(layer.index) == sorted(polygons.index)
    year = table[table["YEAR"] == 1988].set_index("FIPSNO").loc[polygons["FIPSNO"]]
    centres = polygons.geometry.centroid
    coords = np.column_stack([centres.x, centres.y])
    y, x = year[["HR"]].to_numpy(), year[["RDAC"]].to_numpy()
    bandwidth = Sel_BW(coords, y, x, n_jobs=1).search(criterion="AICc")
    direct = GWR(coords, y, x, bandwidth, n_jobs=1).fit()
    by_unit = layer.set_index("FIPSNO").loc[polygons["FIPSNO"]]
    np.testing.assert_allclose(by_unit["B_RDAC"], direct.params[:, 1], rtol=1e-8)
    np.testing.assert_allclose(by_unit["LOCAL_R2"], direct.localR2.ravel(), rtol=1e-8)
    assert result["TERMS"]["BANDWIDTH"].iloc[0] == bandwidth
    assert any("operations" in message for message in feedback.messages)


def test_gwr_on_unit_means(stl):
    polygons, table = stl
    result, _ = local_model(stl, SCOPE="mean")
    layer = result["OUTPUT"]
    assert len(layer) == 78 and layer["YEARS"].iloc[0] == "1984-1993"
    means = table.groupby("FIPSNO")["HR"].mean()
    np.testing.assert_allclose(layer.set_index("FIPSNO")["HR"], means.loc[layer["FIPSNO"]])
    assert result["SUMMARY"]["N"].iloc[0] == 78


def test_gwr_bad_input(stl):
    polygons, table = stl
    with pytest.raises(InputError, match="DRIVER_FIELDS"):
        local_model(stl, DRIVER_FIELDS=[])
    broken = table.copy()
    broken.loc[5, "RDAC"] = np.nan
    with pytest.raises(InputError, match="RDAC.*year 1984|RDAC"):
        local_model((polygons, broken), YEARS="1984")
