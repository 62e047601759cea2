"""Study sections [geodetector], [econometrics] and [gwr] in `ccd run`: tables, report,
and the same numbers as the single tools."""

import pandas as pd
import pytest
from test_pipeline import STUDY_TOML, panel_for, squares

from toolbox import cli
from toolbox.tool import Feedback
from toolbox.tools import tool

HEAD = STUDY_TOML.split("[dagum]")[0]
SECTIONS = """
[geodetector]
drivers = ["GDP", "OPEN", "EDU"]
max_classes = 5

[econometrics]
drivers = ["GDP", "OPEN"]
model = "sdm"
fixed_effects = "twoway"
draws = 200

[gwr]
drivers = ["GDP"]
scope = "mean"
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drivers")
    units = squares()
    units.to_file(folder / "units.gpkg", layer="units")
    panel_for(units).to_csv(folder / "panel.csv", index=False)
    (folder / "study.toml").write_text(HEAD + SECTIONS, encoding="utf-8")
    out = folder / "out"
    assert cli.main(["--quiet", "run", str(folder / "study.toml"), "--output-dir", str(out)]) == 0
    return folder, out


def test_tables_and_report(run):
    _, out = run
    for name in ("geodetector_factors", "geodetector_interactions", "geodetector_ecological",
                 "econometrics_coefficients", "econometrics_effects", "econometrics_diagnostics",
                 "gwr_local", "gwr_summary", "gwr_terms"):
        assert len(pd.read_csv(out / "tables" / f"{name}.csv")) > 0, name
    factors = pd.read_csv(out / "tables" / "geodetector_factors.csv")
    assert set(factors["GROUP"].astype(str)) == {"all", "0", "1", "2"}  # TIER groups by default
    report = (out / "report.html").read_text(encoding="utf-8")
    for heading in ("Geographical detector: Factor detector", "Spatial econometric model: Coefficients",
                    "Local model: Global fit", "Direct, indirect (spillover) and total effects"):
        assert heading in report
    assert (out / "figures" / "geodetector_heatmap.png").stat().st_size > 1000
    assert (out / "figures" / "gwr_GDP.png").stat().st_size > 1000


def test_step_numbers_are_the_tools(run):
    folder, out = run
    # read back bit for bit: the ML fit stops within xatol 1e-7 of rho, so inputs that differ in
    # their last digit can move the coefficients by ~1e-6 (scipy 1.10's bounded Brent does)
    results = pd.read_csv(out / "tables" / "results.csv", float_precision="round_trip") \
        if (out / "tables" / "results.csv").exists() else None
    coefficients = pd.read_csv(out / "tables" / "econometrics_coefficients.csv")
    assert coefficients["TERM"].tolist() == ["GDP", "OPEN", "W_GDP", "W_OPEN", "W_Y (rho)"]
    if results is None:
        pytest.skip("no results table written")
    import geopandas

    units = geopandas.read_file(folder / "units.gpkg", layer="units")
    direct = tool("spatialregression").run(
        {"INPUT": results, "POLYGONS": units, "ID_FIELD": "UNIT", "YEAR_FIELD": "YEAR",
         "TARGET_FIELD": "D", "DRIVER_FIELDS": ["GDP", "OPEN"], "MODEL": "sdm",
         "FIXED_EFFECTS": "twoway", "WEIGHTS_TYPE": "queen", "DRAWS": 200, "SEED": 12345},
        Feedback())
    pd.testing.assert_series_equal(coefficients["COEF"], direct["COEFFICIENTS"]["COEF"],
                                   check_exact=False, rtol=1e-8)


DRIVERS_SECTION = """
[drivers]
drivers = ["GDP", "OPEN", "EDU"]
seed = 3
options = { N_ESTIMATORS = 15, SHAP_ROWS = 40 }
"""


@pytest.fixture(scope="module")
def drivers_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shap")
    units = squares()
    units.to_file(folder / "units.gpkg", layer="units")
    panel_for(units).to_csv(folder / "panel.csv", index=False)
    (folder / "study.toml").write_text(HEAD + DRIVERS_SECTION, encoding="utf-8")
    out = folder / "out"
    assert cli.main(["--quiet", "run", str(folder / "study.toml"), "--output-dir", str(out)]) == 0
    return out


def test_shap_beeswarm_and_dependence_plots_are_drawn_and_in_the_report(drivers_run):
    import base64
    import io
    import re

    from matplotlib.image import imread

    report = (drivers_run / "report.html").read_text(encoding="utf-8")
    images = dict(re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([^"]+)"', report))
    for name, caption in (("shap_beeswarm", "SHAP beeswarm"), ("shap_dependence", "SHAP dependence")):
        png = (drivers_run / "figures" / f"{name}.png").read_bytes()
        pixels = imread(io.BytesIO(png), format="png")
        assert pixels.shape[0] > 300 and pixels.shape[1] > 600, name
        inline = [data for alt, data in images.items() if alt.startswith(caption)]
        assert inline and base64.b64decode(inline[0]) == png, name
    assert "Mean |SHAP| per driver, group and model" in report
    assert "SHAP on ≤ 200 held-out rows" in report  # the defaults in the how-computed line
    assert "R2_CV_MEAN" not in report  # not cross-validated: no empty columns in Table 6


def test_shap_values_table_names_held_out_rows_and_matches_the_means(drivers_run):
    values = pd.read_csv(drivers_run / "tables" / "drivers_shap_values.csv")
    means = pd.read_csv(drivers_run / "tables" / "drivers_shap.csv")
    assert {"GROUP", "MODEL", "UNIT", "YEAR", "DRIVER", "VALUE", "SHAP", "EXPECTED"} <= set(values)
    assert set(values["MODEL"]) == {"tree", "forest", "boosting", "ols"}
    per_model = values.groupby(["GROUP", "MODEL"]).size()
    assert (per_model <= 40 * 3).all()  # SHAP_ROWS explained rows × 3 drivers
    recomputed = (values.assign(A=values["SHAP"].abs())
                  .groupby(["GROUP", "MODEL", "DRIVER"])["A"].mean().rename("MEAN_ABS_SHAP"))
    joined = means.astype({"GROUP": str}).set_index(["GROUP", "MODEL", "DRIVER"])["MEAN_ABS_SHAP"]
    recomputed.index = recomputed.index.set_levels(recomputed.index.levels[0].astype(str), level=0)
    pd.testing.assert_series_equal(joined.sort_index(), recomputed.reindex(joined.index).sort_index(),
                                   check_exact=False, rtol=1e-9)
    # the grouped split holds units out whole: no explained unit is in the training part
    metrics = pd.read_csv(drivers_run / "tables" / "drivers_metrics.csv")
    assert metrics["R2_CV_MEAN"].isna().all()  # cross-validation is opt-in
