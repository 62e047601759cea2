"""ccd:geodetector, ccd:spatialregression and ccd:gwr run as QGIS algorithms on
libpysal's St. Louis counties (78 polygons) and their homicide panel."""

import pytest

qgis_core = pytest.importorskip("qgis.core")
geopandas = pytest.importorskip("geopandas")
libpysal = pytest.importorskip("libpysal")
from qgis.core import QgsVectorLayer  # noqa: E402


@pytest.fixture
def stl_layers(tmp_path):
    import pandas as pd

    layer = geopandas.read_file(libpysal.examples.get_path("stl_hom.shp"))
    periods = (("7984", "80"), ("8488", "85"), ("8893", "90"))
    table = pd.concat([pd.DataFrame({"FIPSNO": layer["FIPSNO"], "YEAR": year,
                                     "HR": layer[f"HR{hr}"], "RDAC": layer[f"RDAC{rd}"]})
                       for year, (hr, rd) in zip((1984, 1988, 1993), periods)])
    layer[["FIPSNO", "geometry"]].set_crs("EPSG:4326").to_file(tmp_path / "stl.gpkg", layer="stl")
    table.to_csv(tmp_path / "panel.csv", index=False)
    polygons = QgsVectorLayer(f"{tmp_path / 'stl.gpkg'}|layername=stl", "stl", "ogr")
    panel = QgsVectorLayer(f"file://{tmp_path / 'panel.csv'}?delimiter=,&detectTypes=yes", "panel",
                           "delimitedtext")
    assert polygons.isValid() and panel.isValid()
    return polygons, panel


def values(layer, field):
    return [feature[field] for feature in layer.getFeatures()]


def test_geodetector_in_qgis(run_algorithm, stl_layers):
    _, panel = stl_layers
    result = run_algorithm("ccd:geodetector", {
        "INPUT": panel, "TARGET_FIELD": "HR", "DRIVER_FIELDS": ["RDAC"], "CATEGORY_FIELDS": ["YEAR"],
        "DISCRETISATION": 3, "CLASSES": 4, "FACTORS": "memory:", "INTERACTIONS": "memory:",
        "RISK": "memory:", "ECOLOGICAL": "memory:"})
    assert values(result["FACTORS"], "DRIVER") == ["RDAC", "YEAR"]
    assert all(0 <= q <= 1 for q in values(result["FACTORS"], "Q"))
    assert len(values(result["INTERACTIONS"], "TYPE")) == 1


def test_spatial_regression_in_qgis(run_algorithm, stl_layers):
    polygons, panel = stl_layers
    result = run_algorithm("ccd:spatialregression", {
        "INPUT": panel, "POLYGONS": polygons, "ID_FIELD": "FIPSNO", "YEAR_FIELD": "YEAR",
        "TARGET_FIELD": "HR", "DRIVER_FIELDS": ["RDAC"], "MODEL": 3, "FIXED_EFFECTS": 1,
        "DRAWS": 200, "COEFFICIENTS": "memory:", "EFFECTS": "memory:", "DIAGNOSTICS": "memory:"})
    assert values(result["COEFFICIENTS"], "TERM") == ["RDAC", "W_RDAC", "W_Y (rho)"]
    assert "LR_SDM_TO_SEM" in values(result["DIAGNOSTICS"], "TEST")


def test_gwr_layer_in_qgis(run_algorithm, stl_layers):
    polygons, panel = stl_layers
    result = run_algorithm("ccd:gwr", {
        "INPUT": panel, "POLYGONS": polygons, "ID_FIELD": "FIPSNO", "YEAR_FIELD": "YEAR",
        "TARGET_FIELD": "HR", "DRIVER_FIELDS": ["RDAC"], "SCOPE": 1, "OUTPUT": "memory:",
        "SUMMARY": "memory:", "TERMS": "memory:"})
    layer = result["OUTPUT"]
    assert layer.featureCount() == 78 and layer.geometryType() == polygons.geometryType()
    assert {"B_RDAC", "T_RDAC", "SIG_RDAC", "LOCAL_R2"} <= set(layer.fields().names())
