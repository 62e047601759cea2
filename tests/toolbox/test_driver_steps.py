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
    results = pd.read_csv(out / "tables" / "results.csv") if (out / "tables" / "results.csv").exists() \
        else None
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
