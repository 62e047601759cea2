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


def test_group_by_a_field_of_the_polygons_in_ccd_run(tmp_path):
    rng = np.random.default_rng(3)
    ids = [f"U{i:02d}" for i in range(12)]
    polygons = gpd.GeoDataFrame({"ID": ids, "REGION": ["east"] * 6 + ["west"] * 6},
                                geometry=[box(i % 4, i // 4, i % 4 + 1, i // 4 + 1) for i in range(12)],
                                crs="EPSG:3857")
    polygons.to_file(tmp_path / "units.gpkg", layer="units")
    rows = [{"ID": u, "YEAR": y, "A": rng.uniform(1, 2), "B": rng.uniform(1, 2), "X3": rng.uniform(1, 2),
             "X4": rng.uniform(1, 2)} for u in ids for y in (2011, 2012, 2013)]
    pd.DataFrame(rows).to_csv(tmp_path / "panel.csv", index=False)
    (tmp_path / "study.toml").write_text("""
title = "unit fields"
[data]
panel = "panel.csv"
polygons = "units.gpkg"
id_field = "ID"
year_field = "YEAR"
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
group_field = "REGION"
[dagum]
group_field = "REGION"
""", encoding="utf-8")
    assert cli.main(["--quiet", "run", str(tmp_path / "study.toml"), "--output-dir", str(tmp_path / "out")]) == 0
    means = pd.read_csv(tmp_path / "out" / "tables" / "group_means.csv")
    assert {"east", "west"} <= set(means.astype(str).stack())
    results = pd.read_csv(tmp_path / "out" / "tables" / "results.csv")
    east = results[results["REGION"] == "east"]
    assert set(east["ID"]) == set(ids[:6])
