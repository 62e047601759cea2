"""Gravity centre and standard deviational ellipse on US per-capita income (us_income),
against pointpats, repeated points, an eigen-decomposition and a spherical distance."""

import numpy as np
import pandas as pd
import pytest

from spatial import centrography
from spatial.errors import InputError

geopandas = pytest.importorskip("geopandas")
libpysal = pytest.importorskip("libpysal")
pointpats = pytest.importorskip("pointpats.centrography")


@pytest.fixture(scope="module")
def us():
    states = geopandas.read_file(libpysal.examples.get_path("us48.shp")).set_crs("EPSG:4326")
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    long = income.melt(id_vars=["Name"], value_vars=["1929", "1969", "2009"], var_name="YEAR",
                       value_name="PCI").astype({"YEAR": int})
    return states, long


def test_geographic_layers_are_reprojected_to_equal_area_and_no_crs_is_refused(us):
    states, _ = us
    points, crs, notes = centrography.projected_centroids(states, "STATE_NAME")
    assert crs.is_projected and "Lambert Azimuthal Equal Area" in crs.coordinate_operation.method_name
    assert "equal-area" in notes[0]
    albers = states.to_crs("EPSG:5070")  # USA Contiguous Albers Equal Area
    same, _, notes = centrography.projected_centroids(albers, "STATE_NAME")
    assert notes == []
    expected = albers.geometry.centroid
    assert same["X"].to_numpy() == pytest.approx(expected.x.to_numpy())
    with pytest.raises(InputError, match="no CRS"):
        centrography.projected_centroids(states.set_crs(None, allow_override=True), "STATE_NAME")
    with pytest.raises(InputError, match="not projected"):
        centrography.projected_centroids(states, "STATE_NAME", target_crs=4326)
    _, _, notes = centrography.projected_centroids(states.to_crs(3857), "STATE_NAME")
    assert "not equal-area" in notes[0]


def test_mean_centres_and_shift_against_hand_formulas(us):
    states, long = us
    points, crs, _ = centrography.projected_centroids(states, "STATE_NAME", target_crs=5070)
    years, xy, w = centrography.yearly_weights(points, long.rename(columns={"Name": "STATE_NAME"}),
                                               "STATE_NAME", "YEAR", "PCI")
    out = centrography.mean_centres(years, xy, w, crs)
    assert out["YEAR"].tolist() == [1929, 1969, 2009]
    for t in range(3):
        assert out["X"][t] == pytest.approx(np.average(xy[:, 0], weights=w[:, t]))
        assert out["Y"][t] == pytest.approx(np.average(xy[:, 1], weights=w[:, t]))
    # haversine on a sphere of radius 6371 km agrees with the ellipsoidal geodesic to < 0.5 %
    lon, lat = np.radians(out["LON"].to_numpy()), np.radians(out["LAT"].to_numpy())
    h = (np.sin(np.diff(lat) / 2) ** 2
         + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2)
    sphere = 2 * 6371.0 * np.arcsin(np.sqrt(h))
    assert out["SHIFT_KM"][1:].to_numpy() == pytest.approx(sphere, rel=5e-3)
    assert np.isnan(out["SHIFT_KM"][0])
    assert out["SPEED_KM"][1] == pytest.approx(out["SHIFT_KM"][1] / 40)
    bearing = np.degrees(np.arctan2(np.diff(out["X"].to_numpy()), np.diff(out["Y"].to_numpy()))) % 360
    # grid north of Albers is within a few degrees of true north east of -96°
    assert out["BEARING"][1:].to_numpy() == pytest.approx(bearing, abs=6)


def test_compass_names():
    assert centrography.compass([0, 22.4, 22.6, 90, 181, 300, 359]).tolist() == \
        ["N", "N", "NE", "E", "S", "NW", "N"]


def test_ellipse_equals_pointpats_unweighted_and_repeated_points_weighted(us):
    states, long = us
    points, _, _ = centrography.projected_centroids(states, "STATE_NAME", target_crs=5070)
    xy = points[["X", "Y"]].to_numpy()
    major, minor, _ = centrography.ellipse_axes(xy, np.ones(len(xy)), "crimestat")
    ref = pointpats.ellipse(xy)  # CrimeStat convention, unweighted
    assert (major, minor) == pytest.approx(ref[:2])
    # integer weights = repeated points (Yuill's and ArcGIS's formulas divide by the weight sum)
    counts = np.arange(len(xy)) % 4 + 1
    repeated = np.repeat(xy, counts, axis=0)
    for convention, sqrt2 in (("yuill", False), ("arcgis", True)):
        got = centrography.ellipse_axes(xy, counts.astype(float), convention)
        want = pointpats.ellipse(repeated, method="yuill", crimestatCorr=sqrt2, degfreedCorr=False)
        assert got[:2] == pytest.approx(want[:2])


def test_ellipse_axes_and_rotation_are_the_weighted_covariance_eigenvectors(us):
    states, long = us
    points, _, _ = centrography.projected_centroids(states, "STATE_NAME", target_crs=5070)
    xy = points[["X", "Y"]].to_numpy()
    w = long[long.YEAR == 2009].set_index("Name").reindex(points["STATE_NAME"])["PCI"].to_numpy()
    major, minor, rotation = centrography.ellipse_axes(xy, w, "arcgis")
    d = xy - np.average(xy, axis=0, weights=w)
    cov = (d * w[:, None]).T @ d / w.sum()
    values, vectors = np.linalg.eigh(cov)
    assert major == pytest.approx(np.sqrt(2 * values[1]))
    assert minor == pytest.approx(np.sqrt(2 * values[0]))
    east, north = vectors[:, 1]
    assert rotation == pytest.approx(np.degrees(np.arctan2(east, north)) % 180, abs=1e-6)


def test_deviational_ellipses_table_and_polygons():
    xy = np.array([[0.0, 0.0], [4000.0, 4000.0], [8000.0, 8000.0], [3000.0, 5000.0], [5000.0, 3000.0]])
    w = np.ones((5, 1))
    out = centrography.deviational_ellipses([2020], xy, w, "yuill", deviations=(1, 2))
    one, two = out.iloc[0], out.iloc[1]
    assert one["ROTATION"] == pytest.approx(45.0)
    assert two["MAJOR"] == pytest.approx(2 * one["MAJOR"])
    assert one["AREA"] == pytest.approx(np.pi * one["MAJOR"] * one["MINOR"])
    assert one["geometry"].area / 1e6 == pytest.approx(one["AREA"], rel=0.01)
    assert one["geometry"].centroid.x == pytest.approx(4000.0)


def test_bad_weights_are_named(us):
    states, long = us
    points, _, _ = centrography.projected_centroids(states, "STATE_NAME", target_crs=5070)
    table = long.rename(columns={"Name": "STATE_NAME"})
    bad = table.copy()
    bad.loc[(bad.STATE_NAME == "Ohio") & (bad.YEAR == 1969), "PCI"] = -1
    with pytest.raises(InputError, match="year 1969.*negative.*Ohio"):
        centrography.yearly_weights(points, bad, "STATE_NAME", "YEAR", "PCI")
    with pytest.raises(InputError, match="year 2009.*Texas"):
        centrography.yearly_weights(points, table.drop(table.index[(table.STATE_NAME == "Texas")
                                                                    & (table.YEAR == 2009)]),
                                    "STATE_NAME", "YEAR", "PCI")
    with pytest.raises(InputError, match="without a polygon: Atlantis"):
        centrography.yearly_weights(points, pd.concat([table, pd.DataFrame(
            {"STATE_NAME": ["Atlantis"], "YEAR": [1929], "PCI": [1.0]})]), "STATE_NAME", "YEAR", "PCI")
    with pytest.raises(InputError, match="sum to 0"):
        centrography.yearly_weights(points, table.assign(PCI=0.0), "STATE_NAME", "YEAR", "PCI")
