"""ccd:convergence on US per-capita income 1990–2009 (us_income)."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox import cli
from toolbox.tool import RecordingFeedback
from toolbox.tools import tool

geopandas = pytest.importorskip("geopandas")
libpysal = pytest.importorskip("libpysal")


@pytest.fixture(scope="module")
def data():
    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))[["STATE_NAME", "SUB_REGION", "geometry"]]
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    long = income.melt(id_vars=["Name"], value_vars=[str(y) for y in range(1990, 2010)],
                       var_name="YEAR", value_name="PCI").astype({"YEAR": int})
    long = long.rename(columns={"Name": "STATE_NAME"}).merge(states[["STATE_NAME", "SUB_REGION"]])
    return states, long


def test_tables_with_and_without_polygons(data):
    states, long = data
    base = {"INPUT": long, "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "PCI",
            "GROUP_FIELD": "SUB_REGION", "WEIGHTS_TYPE": "queen", "K": 4, "TRANSFORM": "r"}
    before = long.copy()
    plain = tool("convergence").run(base, RecordingFeedback())
    pd.testing.assert_frame_equal(long, before)
    assert plain["BETA"]["MODEL"].tolist() == ["absolute", "conditional"]
    sigma = plain["SIGMA"]
    assert set(sigma["GROUP"]) == {"all", *states["SUB_REGION"]}
    x = long.loc[long.YEAR == 2009, "PCI"]
    assert sigma[(sigma.YEAR == 2009) & (sigma.GROUP == "all")]["CV"].iloc[0] == pytest.approx(x.std() / x.mean())
    spatial = tool("convergence").run({**base, "POLYGONS": states}, RecordingFeedback())["BETA"]
    assert spatial["MODEL"].tolist() == ["absolute", "conditional", "sar", "sem"]
    assert spatial["BETA"].iloc[0] == pytest.approx(plain["BETA"]["BETA"].iloc[0])
    assert (spatial["BETA"] < 0).all() and np.isfinite(spatial["HALF_LIFE"]).all()


def test_bad_input(data):
    states, long = data
    base = {"INPUT": long.assign(PCI=long.PCI.where(long.STATE_NAME != "Iowa", -1.0)),
            "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "PCI"}
    with pytest.raises(InputError, match="positive.*Iowa"):
        tool("convergence").run(base, RecordingFeedback())
    with pytest.raises(InputError):
        tool("convergence").run({**base, "INPUT": pd.concat([long, long.iloc[:1]])}, RecordingFeedback())


def test_command_line(data, tmp_path):
    _, long = data
    source = tmp_path / "pci.csv"
    long.to_csv(source, index=False)
    code = cli.main(["--quiet", "convergence", "--input", str(source), "--id-field", "STATE_NAME",
                     "--year-field", "YEAR", "--value-field", "PCI", "--sigma", str(tmp_path / "s.csv"),
                     "--beta", str(tmp_path / "b.csv")])
    assert code == 0
    assert pd.read_csv(tmp_path / "b.csv")["MODEL"].tolist() == ["absolute", "conditional"]


def test_more_units_than_the_spatial_models_take_build_no_weights(data, monkeypatch):
    """Beyond the unit limit the sar/sem models are left out before any weights
    are built (at 250,000 cells, queen weights for nothing: ~1 GB)."""
    from spatial import econometrics
    from toolbox.tools import convergence

    states, long = data
    monkeypatch.setattr(econometrics, "ML_UNIT_LIMIT", 40)
    monkeypatch.setattr(convergence, "unit_weights", lambda *a, **k: pytest.fail("weights built"))
    feedback = RecordingFeedback()
    out = tool("convergence").run({"INPUT": long, "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "YEAR",
                                   "VALUE_FIELD": "PCI", "POLYGONS": states, "WEIGHTS_TYPE": "queen",
                                   "K": 4, "TRANSFORM": "r"}, feedback)
    assert out["BETA"]["MODEL"].tolist() == ["absolute", "conditional"]
    assert any("48 units: the spatial β models (sar, sem) are left out" in m for m in feedback.messages)


def test_two_years_give_absolute_beta_and_leave_the_fixed_effects_models_out(data):
    """One growth period per unit: unit fixed effects absorb it, so the
    conditional and spatial models are left out with a warning (a study of
    two years goes on) and the absolute β is the cross-section slope."""
    from spatial.convergence import beta_convergence, growth_panel

    states, long = data
    two = long[long.YEAR.isin([1990, 1991])]
    feedback = RecordingFeedback()
    out = tool("convergence").run({"INPUT": two, "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "YEAR",
                                   "VALUE_FIELD": "PCI", "POLYGONS": states, "WEIGHTS_TYPE": "queen",
                                   "K": 4, "TRANSFORM": "r"}, feedback)["BETA"]
    assert out["MODEL"].tolist() == ["absolute"]
    assert any("one growth period per unit" in m for m in feedback.messages)
    wide = two.pivot(index="STATE_NAME", columns="YEAR", values="PCI")
    slope = np.polyfit(np.log(wide[1990]), np.log(wide[1991] / wide[1990]), 1)[0]
    assert out["BETA"].iloc[0] == pytest.approx(slope, rel=1e-10)
    with pytest.raises(InputError, match="one growth period per unit .* at least three years"):
        beta_convergence(growth_panel(two, "STATE_NAME", "YEAR", "PCI"), "STATE_NAME", "YEAR",
                         models=["conditional"])
