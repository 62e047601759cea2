"""ccd:hotspots and ccd:emerginghotspots on US per-capita income 1990–2009 (us_income)."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox import cli
from toolbox.tool import RecordingFeedback
from toolbox.tools import tool

geopandas = pytest.importorskip("geopandas")
libpysal = pytest.importorskip("libpysal")
YEARS = [str(y) for y in range(1990, 2010)]


@pytest.fixture(scope="module")
def data():
    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))[["STATE_NAME", "geometry"]]
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    long = income.melt(id_vars=["Name", "STATE_FIPS"], value_vars=YEARS, var_name="YEAR",
                       value_name="PCI").astype({"YEAR": int}).rename(columns={"Name": "STATE_NAME"})
    return states, long


def values(data, **extra):
    states, long = data
    return {"INPUT": long, "POLYGONS": states, "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "YEAR",
            "VALUE_FIELD": "PCI", "WEIGHTS_TYPE": "queen", "K": 4, "KERNEL": "triangular",
            "TRANSFORM": "r", "SEED": 5, "PERMUTATIONS": 199, "CORRECTION": "fdr", **extra}


def test_hotspots_normal_inference_equals_esda_and_the_bins(data):
    esda = pytest.importorskip("esda")
    from scipy.stats import norm

    states, long = data
    before = long.copy()
    out = tool("hotspots").run(values(data, INFERENCE="normal", CORRECTION="none",
                                      YEARS="2000,2009"), RecordingFeedback())["OUTPUT"]
    pd.testing.assert_frame_equal(long, before)
    assert list(out.columns) == ["STATE_NAME", "YEAR", "PCI", "GI_Z", "GI_P", "GI_BIN"]
    assert sorted(out["YEAR"].unique()) == [2000, 2009]
    from spatial.weights import build_weights

    lw = build_weights(states, "STATE_NAME", "queen").to_libpysal()
    for year in (2000, 2009):
        rows = out[out.YEAR == year]
        assert (states.loc[rows.index, "STATE_NAME"].to_numpy() == rows["STATE_NAME"].to_numpy()).all()
        y = long[long.YEAR == year].set_index("STATE_NAME").reindex(rows["STATE_NAME"])["PCI"].to_numpy()
        g = esda.G_Local(y, lw, transform="B", star=True, permutations=0)
        assert rows["GI_Z"].to_numpy() == pytest.approx(g.Zs, abs=1e-10)
        p = 2 * norm.sf(np.abs(g.Zs))
        assert rows["GI_P"].to_numpy() == pytest.approx(p)
        level = np.select([p <= 0.01, p <= 0.05, p <= 0.10], [3, 2, 1], 0) * np.sign(g.Zs)
        assert rows["GI_BIN"].tolist() == level.astype(int).tolist()
    assert out.loc[out.STATE_NAME == "Connecticut", "GI_BIN"].iloc[0] > 0  # the north-east is hot


def test_emerging_patterns_are_those_of_the_yearly_bins(data):
    from spatial.hotspots import emerging_patterns

    result = tool("emerginghotspots").run(values(data, INFERENCE="normal", CORRECTION="none"),
                                         RecordingFeedback())
    patterns, yearly = result["OUTPUT"], result["HOT_SPOTS"]
    assert len(patterns) == 48 and len(yearly) == 48 * 20
    bins = yearly.pivot(index="STATE_NAME", columns="YEAR", values="GI_BIN")
    z = yearly.pivot(index="STATE_NAME", columns="YEAR", values="GI_Z")
    expected = emerging_patterns(bins.to_numpy(), z.to_numpy())
    expected.index = bins.index
    got = patterns.set_index("STATE_NAME")
    assert got["PATTERN"].to_dict() == expected["PATTERN"].to_dict()
    hot = got.loc["Connecticut"]
    assert hot["HOT_YEARS"] == (bins.loc["Connecticut"] > 0).sum()
    assert got["PATTERN"].str.endswith("_HOT").any() and got["PATTERN"].str.endswith("_COLD").any()


def test_permutation_run_is_seeded_and_bad_input_is_named(data):
    run = tool("hotspots").run
    first = run(values(data, YEARS="2009"), RecordingFeedback())["OUTPUT"]
    again = run(values(data, YEARS="2009"), RecordingFeedback())["OUTPUT"]
    pd.testing.assert_frame_equal(first, again)
    assert ((first["GI_P"] > 0) & (first["GI_P"] <= 1)).all()
    states, long = data
    with pytest.raises(InputError, match="YEARS"):
        run(values(data, YEARS="1900"), RecordingFeedback())
    short = long[long.YEAR < 1992]
    with pytest.raises(InputError, match="at least 3 years"):
        tool("emerginghotspots").run(values((states, short)), RecordingFeedback())
    with pytest.raises(InputError, match="Ohio"):
        run(values((states, long[~((long.STATE_NAME == "Ohio") & (long.YEAR == 2000))])),
            RecordingFeedback())


def test_command_line_writes_a_styled_layer(data, tmp_path):
    states, long = data
    polygons, table = tmp_path / "states.gpkg", tmp_path / "income.csv"
    states.set_crs("EPSG:4326").to_file(polygons)
    long.to_csv(table, index=False)
    target = tmp_path / "emerging.gpkg"
    code = cli.main(["--quiet", "emerginghotspots", "--input", str(table), "--polygons", str(polygons),
                     "--id-field", "STATE_NAME", "--year-field", "YEAR", "--value-field", "PCI",
                     "--inference", "normal", "--output", str(target)])
    assert code == 0
    out = geopandas.read_file(target)
    assert len(out) == 48 and out.geometry.notna().all() and "PATTERN" in out
