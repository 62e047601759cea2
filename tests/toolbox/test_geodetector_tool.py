"""The geodetector tool on libpysal's Mexico panel (32 states, GDP per capita 1940–2000)."""

import subprocess
import sys

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox.tool import RecordingFeedback
from toolbox.tools import tool
from toolbox.tools.geodetector import parse_breaks


@pytest.fixture(scope="module")
def mexico():
    """Long panel: state, year, log GDP per capita, growth over the next decade,
    region (INEGI) and the 1940 level as a continuous driver."""
    wide = pd.DataFrame(gpd.read_file(libpysal.examples.get_path("mexicojoin.shp"))
                        .drop(columns="geometry"))
    rows = []
    for year in range(1950, 2001, 10):
        rows.append(pd.DataFrame({
            "STATE": wide["NAME"], "YEAR": year, "LGDP": np.log(wide[f"PCGDP{year}"]),
            "REGION": wide["INEGI"], "START": wide["PCGDP1940"],
            "PREVIOUS": wide[f"PCGDP{year - 10}"]}))
    return pd.concat(rows, ignore_index=True)


def hand_q(y, strata):
    frame = pd.DataFrame({"y": np.asarray(y), "s": np.asarray(strata)})
    within = frame.groupby("s")["y"].agg(lambda v: ((v - v.mean()) ** 2).sum()).sum()
    return 1 - within / ((frame["y"] - frame["y"].mean()) ** 2).sum()


def run(table, **values):
    feedback = RecordingFeedback()
    result = tool("geodetector").run({"INPUT": table, "ID_FIELD": "STATE", "TARGET_FIELD": "LGDP",
                                      **values}, feedback)
    return result, feedback


def test_per_year_region_q_by_hand(mexico):
    result, feedback = run(mexico, YEAR_FIELD="YEAR", SCOPE="year", CATEGORY_FIELDS=["REGION"],
                           DRIVER_FIELDS=["PREVIOUS"], DISCRETISATION="quantile", CLASSES=4)
    factors = result["FACTORS"]
    assert list(factors.columns[:3]) == ["YEAR", "GROUP", "DRIVER"]
    region = factors[factors["DRIVER"] == "REGION"].set_index("YEAR")["Q"]
    for year, sample in mexico.groupby("YEAR"):
        assert region[year] == pytest.approx(hand_q(sample["LGDP"], sample["REGION"]), rel=1e-12)
    assert len(result["INTERACTIONS"]) == 6 and set(result["INTERACTIONS"]["GROUP"]) == {"all"}
    assert result["HEATMAP"][:8] == b"\x89PNG\r\n\x1a\n"
    assert any("factor detector" in m for m in feedback.messages)


def test_groups_and_user_breaks(mexico):
    table = mexico.assign(NORTH=np.where(mexico["REGION"] <= 2, "north", "south"))
    before = table.copy()
    result, _ = run(table, DRIVER_FIELDS=["START"], DISCRETISATION="breaks",
                    BREAKS="START: 2000, 4000", GROUP_FIELD="NORTH")
    factors = result["FACTORS"].set_index("GROUP")
    assert factors.loc["all", "CLASSES"] == 3 and factors.loc["all", "METHOD"] == "breaks"
    south = table[table["NORTH"] == "south"]
    strata = np.digitize(south["START"], [2000, 4000], right=True)
    assert factors.loc["south", "Q"] == pytest.approx(hand_q(south["LGDP"], strata))
    pd.testing.assert_frame_equal(table, before)


def test_optimal_search_is_reported(mexico):
    result, _ = run(mexico, DRIVER_FIELDS=["START", "PREVIOUS"], MIN_CLASSES=3, MAX_CLASSES=5)
    search = result["SEARCH"]
    assert len(search) == 2 * 5 * 3
    best = search.groupby("DRIVER")["Q"].max()
    factors = result["FACTORS"].set_index("DRIVER")
    assert factors.loc["START", "Q"] == pytest.approx(best["START"])
    assert factors.loc["START", "METHOD"] in ("equal", "natural", "quantile", "geometric", "sd")


def test_parse_breaks_and_bad_input(mexico):
    assert parse_breaks("A: 1, 2; B: 0.5") == {"A": [1.0, 2.0], "B": [0.5]}
    with pytest.raises(InputError, match="BREAKS"):
        parse_breaks("A 1 2")
    with pytest.raises(InputError, match="not numbers"):
        parse_breaks("A: one")
    with pytest.raises(InputError, match="YEAR_FIELD"):
        run(mexico, SCOPE="year", DRIVER_FIELDS=["START"])
    with pytest.raises(InputError, match="BREAKS"):
        run(mexico, DRIVER_FIELDS=["START"], DISCRETISATION="breaks")
    with pytest.raises(InputError, match="GDP"):
        run(mexico, DRIVER_FIELDS=["GDP"])


def test_command_line(tmp_path, mexico):
    source = tmp_path / "mexico.csv"
    mexico.to_csv(source, index=False)
    factors, heatmap = tmp_path / "factors.csv", tmp_path / "q.png"
    done = subprocess.run(
        [sys.executable, "-m", "toolbox.cli", "geodetector", "--input", str(source),
         "--target-field", "LGDP", "--category-fields", "REGION", "--driver-fields", "START",
         "--discretisation", "equal", "--classes", "4", "--factors", str(factors),
         "--heatmap", str(heatmap)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(factors)
    assert table["DRIVER"].tolist() == ["START", "REGION"]
    assert heatmap.stat().st_size > 1000


def test_a_group_that_cannot_be_analysed_is_named(mexico):
    table = mexico.assign(NORTH=np.where(mexico["REGION"] <= 2, "north", "south"))
    table.loc[table["NORTH"] == "north", "LGDP"] = 1.0
    with pytest.raises(InputError, match="group NORTH = north.*constant"):
        run(table, DRIVER_FIELDS=["START"], DISCRETISATION="equal", GROUP_FIELD="NORTH")
