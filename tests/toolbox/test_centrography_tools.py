"""ccd:gravitycentre and ccd:deviationalellipse on US per-capita income (us_income)."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox import cli
from toolbox.tool import RecordingFeedback
from toolbox.tools import tool

geopandas = pytest.importorskip("geopandas")
libpysal = pytest.importorskip("libpysal")
pointpats = pytest.importorskip("pointpats.centrography")


@pytest.fixture(scope="module")
def data():
    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))[["STATE_NAME", "geometry"]]
    states = states.set_crs("EPSG:4326")
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    long = income.melt(id_vars=["Name"], value_vars=["1929", "1959", "1989", "2009"], var_name="T",
                       value_name="PCI").astype({"T": int}).rename(columns={"Name": "STATE_NAME"})
    return states, long


def values(data, **extra):
    states, long = data
    return {"INPUT": long, "POLYGONS": states, "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "T",
            "WEIGHT_FIELD": "PCI", "TARGET_CRS": 5070, **extra}


def test_gravity_centre_points_and_path(data):
    states, long = data
    result = tool("gravitycentre").run(values(data), RecordingFeedback())
    points, path = result["OUTPUT"], result["PATH"]
    assert points.crs.to_epsg() == 5070 and list(points["T"]) == [1929, 1959, 1989, 2009]
    centroids = states.to_crs(5070).geometry.centroid
    for row in points.itertuples():
        w = long[long["T"] == row.T].set_index("STATE_NAME").reindex(states["STATE_NAME"])["PCI"]
        x, y = pointpats.weighted_mean_center(np.c_[centroids.x, centroids.y], w.to_numpy())
        assert (row.X, row.Y) == pytest.approx((x, y))
        assert (row.geometry.x, row.geometry.y) == pytest.approx((x, y))
    assert len(path) == 3 and list(path["YEAR_FROM"]) == [1929, 1959, 1989]
    assert path["SHIFT_KM"].to_numpy() == pytest.approx(points["SHIFT_KM"].to_numpy()[1:])
    assert path.geometry.iloc[0].coords[0] == pytest.approx((points["X"][0], points["Y"][0]))
    assert set(path["DIRECTION"]) <= {"N", "NE", "E", "SE", "S", "SW", "W", "NW"}


def test_ellipses_one_and_two_sd_against_pointpats(data):
    states, long = data
    out = tool("deviationalellipse").run(values(data, CONVENTION="crimestat"), RecordingFeedback())["OUTPUT"]
    assert len(out) == 8 and list(out["SD"][:2]) == [1, 2]
    centroids = states.to_crs(5070).geometry.centroid
    xy = np.c_[centroids.x, centroids.y]
    w = long[long["T"] == 2009].set_index("STATE_NAME").reindex(states["STATE_NAME"])["PCI"].to_numpy()
    major, minor, _ = pointpats.ellipse(xy, w)  # pointpats' CrimeStat convention, weighted
    last = out[(out["T"] == 2009) & (out["SD"] == 1)].iloc[0]
    assert (last["MAJOR"], last["MINOR"]) == pytest.approx((major / 1000, minor / 1000))
    two = out[(out["T"] == 2009) & (out["SD"] == 2)].iloc[0]
    assert two["AREA"] == pytest.approx(4 * last["AREA"])
    assert out.geometry.iloc[0].geom_type == "Polygon" and out.crs.to_epsg() == 5070


def test_bad_inputs(data):
    states, long = data
    with pytest.raises(InputError, match="no CRS"):
        tool("gravitycentre").run(values(data, POLYGONS=states.set_crs(None, allow_override=True),
                                         TARGET_CRS=None), RecordingFeedback())
    with pytest.raises(InputError, match="DEVIATIONS"):
        tool("deviationalellipse").run(values(data, DEVIATIONS=[0]), RecordingFeedback())
    feedback = RecordingFeedback()
    tool("gravitycentre").run(values(data, TARGET_CRS=None), feedback)
    assert any("equal-area" in m for m in feedback.messages)


def test_command_line_writes_point_line_and_polygon_layers(data, tmp_path):
    states, long = data
    polygons, table = tmp_path / "states.gpkg", tmp_path / "income.csv"
    states.to_file(polygons)
    long.to_csv(table, index=False)
    common = ["--input", str(table), "--polygons", str(polygons), "--id-field", "STATE_NAME",
              "--year-field", "T", "--weight-field", "PCI"]
    assert cli.main(["--quiet", "gravitycentre", *common, "--output", str(tmp_path / "c.gpkg"),
                     "--path", str(tmp_path / "p.gpkg")]) == 0
    assert cli.main(["--quiet", "deviationalellipse", *common, "--deviations", "1",
                     "--output", str(tmp_path / "e.gpkg")]) == 0
    centres = geopandas.read_file(tmp_path / "c.gpkg")
    assert centres.geom_type.eq("Point").all() and len(centres) == 4
    assert geopandas.read_file(tmp_path / "p.gpkg").geom_type.eq("LineString").all()
    ellipses = geopandas.read_file(tmp_path / "e.gpkg")
    assert ellipses.geom_type.eq("Polygon").all() and len(ellipses) == 4
    assert "Lambert" in ellipses.crs.to_wkt() or "laea" in ellipses.crs.to_proj4()


def test_centre_and_ellipse_of_one_layer_project_its_polygons_once(data, monkeypatch):
    from toolbox.tools import centrography

    calls = []
    original = centrography.projected_centroids
    monkeypatch.setattr(centrography, "projected_centroids",
                        lambda *args: calls.append(args[2]) or original(*args))
    monkeypatch.setattr(centrography, "_LAST", [None, None])
    centres = tool("gravitycentre").run(values(data), RecordingFeedback())["OUTPUT"]
    ellipses = tool("deviationalellipse").run(values(data), RecordingFeedback())["OUTPUT"]
    assert calls == [5070]
    # another CRS, another layer with the same content: projected anew, the same numbers
    tool("deviationalellipse").run(values(data, TARGET_CRS=5069), RecordingFeedback())
    states, long = data
    again = tool("deviationalellipse").run({**values(data), "POLYGONS": states.copy()},
                                           RecordingFeedback())["OUTPUT"]
    assert calls == [5070, 5069, 5070]
    pd.testing.assert_frame_equal(pd.DataFrame(again.drop(columns="geometry")),
                                  pd.DataFrame(ellipses.drop(columns="geometry")))
    centroids = states.to_crs(5070).geometry.centroid
    first = centres[centres["T"] == 1929].iloc[0]
    w = long[long["T"] == 1929].set_index("STATE_NAME").reindex(states["STATE_NAME"])["PCI"].to_numpy()
    assert (first["X"], first["Y"]) == pytest.approx(pointpats.weighted_mean_center(
        np.c_[centroids.x, centroids.y], w))
