"""Fields of the polygons usable by every step of ccd run, as if they were in the panel."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from toolbox import cli
from toolbox.steps.unit_fields import with_unit_fields
from toolbox.tool import RecordingFeedback


def test_fields_joined_by_id_without_touching_the_panel():
    panel = pd.DataFrame({"ID": ["a", "b", "a", "c"], "YEAR": [1, 1, 2, 2], "X": [1.0, 2.0, 3.0, 4.0]})
    polygons = gpd.GeoDataFrame({"ID": ["a", "b"], "REGION": ["east", "west"], "X": [9, 9]},
                                geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)])
    before = panel.copy()
    feedback = RecordingFeedback()
    out = with_unit_fields(panel, polygons, "ID", feedback)
    pd.testing.assert_frame_equal(panel, before)
    assert out["REGION"].isna().iloc[3]
    assert out["REGION"].iloc[:3].tolist() == ["east", "west", "east"]
    assert out["X"].tolist() == [1.0, 2.0, 3.0, 4.0]  # the panel's own field wins
    assert "geometry" not in out.columns and any("REGION" in m for m in feedback.messages)
    repeated = pd.concat([polygons, polygons])
    assert "REGION" not in with_unit_fields(panel, repeated, "ID", feedback).columns


IDS = [f"U{i:02d}" for i in range(12)]
# the steps of the two ccd run studies below, after their [data] section
STUDY_STEPS = """
[systems.one]
positive = ["A", "B"]
[systems.two]
positive = ["X3", "X4"]
[coupling]
model = "classic"
[tiers]
method = "kmeans_pooled"
k = 3
seed = 0
"""


def write_panel(folder, seed):
    """``panel.csv``: units IDS x 2011-2013 with two indicators per system."""
    rng = np.random.default_rng(seed)
    rows = [{"ID": u, "YEAR": y, "A": rng.uniform(1, 2), "B": rng.uniform(1, 2), "X3": rng.uniform(1, 2),
             "X4": rng.uniform(1, 2)} for u in IDS for y in (2011, 2012, 2013)]
    pd.DataFrame(rows).to_csv(folder / "panel.csv", index=False)


def test_group_by_a_field_of_the_polygons_in_ccd_run(tmp_path):
    ids = IDS
    polygons = gpd.GeoDataFrame({"ID": ids, "REGION": ["east"] * 6 + ["west"] * 6},
                                geometry=[box(i % 4, i // 4, i % 4 + 1, i // 4 + 1) for i in range(12)],
                                crs="EPSG:3857")
    polygons.to_file(tmp_path / "units.gpkg", layer="units")
    write_panel(tmp_path, seed=3)
    (tmp_path / "study.toml").write_text("""
title = "unit fields"
[data]
panel = "panel.csv"
polygons = "units.gpkg"
id_field = "ID"
year_field = "YEAR"
""" + STUDY_STEPS + """group_field = "REGION"
[dagum]
group_field = "REGION"
""", encoding="utf-8")
    assert cli.main(["--quiet", "run", str(tmp_path / "study.toml"), "--output-dir", str(tmp_path / "out")]) == 0
    means = pd.read_csv(tmp_path / "out" / "tables" / "group_means.csv")
    assert {"east", "west"} <= set(means.astype(str).stack())
    results = pd.read_csv(tmp_path / "out" / "tables" / "results.csv")
    east = results[results["REGION"] == "east"]
    assert set(east["ID"]) == set(ids[:6])


# --- UNITS / UNITS_ID_FIELD: unit attributes in every tool that takes a panel ------------------------

from spatial.errors import InputError
from spatial.unit_attributes import with_unit_attributes
from toolbox.tools import TOOLS


def _tool(tool_id):
    return next(t for t in TOOLS if t.id == tool_id)


def _cities(tmp_path):
    """Six units, REGION only in the polygons; the panel ids are integers, the polygon ids text."""
    ids = [110100, 120100, 130100, 310100, 320100, 330100]
    region = {110100: "north", 120100: "north", 130100: "north", 310100: "east", 320100: "east",
              330100: "east"}
    polygons = gpd.GeoDataFrame({"CODE": [str(i) for i in ids], "REGION": [region[i] for i in ids]},
                                geometry=[box(i, 0, i + 1, 1) for i in range(6)], crs="EPSG:4326")
    polygons.to_file(tmp_path / "cities.gpkg", layer="cities")
    values = {(110100, 2020): 0.2, (120100, 2020): 0.4, (130100, 2020): 0.3, (310100, 2020): 0.7,
              (320100, 2020): 0.8, (330100, 2020): 0.6, (110100, 2021): 0.25, (120100, 2021): 0.45,
              (130100, 2021): 0.35, (310100, 2021): 0.75, (320100, 2021): 0.85, (330100, 2021): 0.95}
    panel = pd.DataFrame([{"ID": u, "YEAR": y, "D": d} for (u, y), d in values.items()])
    panel.to_csv(tmp_path / "panel.csv", index=False)
    return values, region


def test_group_field_only_in_the_polygons_on_the_command_line(tmp_path):
    values, region = _cities(tmp_path)
    code = cli.main(["--quiet", "coordinationtiers", "--input", str(tmp_path / "panel.csv"),
                     "--id-field", "ID", "--year-field", "YEAR", "--value-field", "D",
                     "--group-field", "REGION", "--units", str(tmp_path / "cities.gpkg"),
                     "--units-id-field", "CODE", "--group-means", str(tmp_path / "means.csv"),
                     "--output", str(tmp_path / "out.csv")])
    assert code == 0
    means = pd.read_csv(tmp_path / "means.csv").set_index("GROUP")
    for group in ("north", "east"):
        for year in (2020, 2021):
            # mean by hand over the units of the group
            expected = np.mean([d for (u, y), d in values.items() if y == year and region[u] == group])
            assert means.loc[group, str(year)] == pytest.approx(expected, abs=1e-12)
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["REGION"].tolist() == [region[u] for u in out["ID"]]
    # without --units the field is unknown, as before
    assert cli.main(["--quiet", "coordinationtiers", "--input", str(tmp_path / "panel.csv"),
                     "--id-field", "ID", "--year-field", "YEAR", "--value-field", "D",
                     "--group-field", "REGION", "--output", str(tmp_path / "out2.csv")]) == cli.EXIT_INPUT


def _panel():
    return pd.DataFrame({"ID": ["a", "b", "a", "b"], "YEAR": [1, 1, 2, 2], "D": [0.1, 0.2, 0.3, 0.4]})


def test_unit_attribute_errors_name_the_units_and_fields():
    tool = _tool("coordinationtiers")
    base = {"INPUT": _panel(), "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "D",
            "METHOD": "kmeans_year", "K": 2, "SEED": 0, "BREAKS": None, "GROUP_FIELD": "REGION"}
    with pytest.raises(InputError, match=r"no row for 1 unit.*'b'"):
        tool.run({**base, "UNITS": pd.DataFrame({"ID": ["a", "c"], "REGION": ["x", "y"]})},
                 RecordingFeedback())
    with pytest.raises(InputError, match=r"repeat 1 unit id.*'a'"):
        tool.run({**base, "UNITS": pd.DataFrame({"ID": ["a", "a", "b"], "REGION": ["x", "y", "y"]})},
                 RecordingFeedback())
    with pytest.raises(InputError, match=r"'D' is in both.*unit 'b' year 1"):
        tool.run({**base, "UNITS": pd.DataFrame({"ID": ["a", "b"], "REGION": ["x", "y"], "D": [0.1, 9]})},
                 RecordingFeedback())
    with pytest.raises(InputError, match="no id field 'CODE'"):
        tool.run({**base, "UNITS": pd.DataFrame({"ID": ["a", "b"], "REGION": ["x", "y"]}),
                  "UNITS_ID_FIELD": "CODE"}, RecordingFeedback())


def test_join_keeps_the_input_and_matches_a_dictionary_lookup():
    panel = _panel()
    units = pd.DataFrame({"CODE": ["b", "a"], "REGION": ["y", "x"], "D": [np.nan, np.nan]})
    before_panel, before_units = panel.copy(), units.copy()
    # the panel's D differs from the units' D (missing): a conflict
    with pytest.raises(InputError):
        with_unit_attributes(panel, units, "ID", "CODE")
    out, added, shared = with_unit_attributes(panel, units.drop(columns="D"), "ID", "CODE")
    assert added == ["REGION"] and shared == []
    assert out["REGION"].tolist() == [{"a": "x", "b": "y"}[u] for u in panel["ID"]]
    assert out.index.equals(panel.index)
    pd.testing.assert_frame_equal(panel, before_panel)
    pd.testing.assert_frame_equal(units, before_units)
    # a field in both with the same values (text vs number) is accepted and not duplicated
    same = pd.DataFrame({"ID": ["a", "b"], "D2": ["1", "2"]})
    out, added, shared = with_unit_attributes(panel.assign(D2=[1, 2, 1, 2]), same, "ID")
    assert added == [] and shared == ["D2"]


def test_every_tool_that_takes_a_panel_has_the_unit_parameters():
    for tool in TOOLS:
        names = [p.name for p in tool.parameters]
        takes = "INPUT" in names and any(p.name == "ID_FIELD" and getattr(p, "parent", "") == "INPUT"
                                         for p in tool.parameters)
        assert (("UNITS" in names) and ("UNITS_ID_FIELD" in names)) == takes, tool.id
        if takes:
            assert tool.parameter("UNITS").advanced and tool.parameter("UNITS").optional


def test_join_is_linear_not_per_row():
    """10^6 panel rows against 10^5 units: a hash join takes well under a second (a Python loop
    per row takes several); the bound is loose for a loaded machine."""
    import time

    units = pd.DataFrame({"ID": np.arange(100_000), "REGION": np.arange(100_000) % 4})
    panel = pd.DataFrame({"ID": np.tile(np.arange(100_000), 10), "YEAR": np.repeat(np.arange(10), 100_000)})
    start = time.perf_counter()
    out, _, _ = with_unit_attributes(panel, units, "ID", year_field="YEAR")
    assert time.perf_counter() - start < 5
    assert (out["REGION"].to_numpy() == panel["ID"].to_numpy() % 4).all()


def test_ids_of_different_types_are_joined_as_the_same_codes():
    panel = pd.DataFrame({"ID": [110100.0, 420600.0], "YEAR": [1, 1]})  # a CSV read as floats
    units = pd.DataFrame({"ID": ["110100", " 420600"], "REGION": ["east", "centre"]})  # text, one padded
    out, _, _ = with_unit_attributes(panel, units, "ID")
    assert out["REGION"].tolist() == ["east", "centre"]
    codes = pd.DataFrame({"ID": ["0101", "0102"], "REGION": ["a", "b"]})  # leading zeros: compared as text
    with pytest.raises(InputError, match=r"no row for 2 unit.*'101'"):
        with_unit_attributes(pd.DataFrame({"ID": [101, 102]}), codes, "ID")
    out, _, _ = with_unit_attributes(pd.DataFrame({"ID": ["0102", "0101"]}), codes, "ID")
    assert out["REGION"].tolist() == ["b", "a"]


def test_a_unit_table_in_ccd_run(tmp_path, capsys):
    """data.units: a table without geometry lends its fields to every step; the
    group means of Table 2 are checked against pandas on the joined results."""
    ids = IDS
    write_panel(tmp_path, seed=5)
    units = pd.DataFrame({"CODE": ids, "PROVINCE": ["north"] * 4 + ["south"] * 8})
    units.to_csv(tmp_path / "units.csv", index=False)
    before = (tmp_path / "units.csv").read_bytes()
    config = """
title = "unit table"
[data]
panel = "panel.csv"
units = "units.csv"
units_id_field = "CODE"
id_field = "ID"
year_field = "YEAR"
""" + STUDY_STEPS + """group_field = "PROVINCE"
"""
    (tmp_path / "study.toml").write_text(config, encoding="utf-8")
    assert cli.main(["--quiet", "run", str(tmp_path / "study.toml"), "--output-dir", str(tmp_path / "out")]) == 0
    assert (tmp_path / "units.csv").read_bytes() == before
    results = pd.read_csv(tmp_path / "out" / "tables" / "results.csv")
    assert dict(zip(results["ID"], results["PROVINCE"])) == dict(zip(units["CODE"], units["PROVINCE"]))
    means = pd.read_csv(tmp_path / "out" / "tables" / "group_means.csv").set_index("GROUP")
    year_columns = [c for c in means.columns if c.isdigit()]
    assert year_columns, means.columns
    for province in ("north", "south"):
        expected = results[results["PROVINCE"] == province].groupby("YEAR")["D"].mean()
        np.testing.assert_allclose(means.loc[province, year_columns].astype(float),
                                   expected.loc[[int(c) for c in year_columns]], rtol=1e-9)

    units.iloc[:-1].to_csv(tmp_path / "units.csv", index=False)  # U11 has no row any more
    capsys.readouterr()
    assert cli.main(["--quiet", "run", str(tmp_path / "study.toml"), "--output-dir", str(tmp_path / "out2")]) != 0
    error = capsys.readouterr().err
    assert "data.units" in error and "'U11'" in error, error
    assert not (tmp_path / "out2").exists()
