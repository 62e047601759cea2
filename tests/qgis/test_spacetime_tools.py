"""The space-time tools in QGIS: layers with the geometries the tools make, and their styles."""

import pytest

qgis_core = pytest.importorskip("qgis.core")
geopandas = pytest.importorskip("geopandas")
libpysal = pytest.importorskip("libpysal")
from qgis.core import QgsFeature, QgsVectorLayer, QgsWkbTypes  # noqa: E402


@pytest.fixture
def us_layers(tmp_path):
    import pandas as pd

    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))[["STATE_NAME", "geometry"]]
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    long = income.melt(id_vars=["Name"], value_vars=["1969", "1989", "2009"], var_name="YEAR",
                       value_name="PCI").astype({"YEAR": int}).rename(columns={"Name": "STATE_NAME"})
    path = tmp_path / "us.gpkg"
    states.set_crs("EPSG:4326").to_file(path, layer="states")
    table = tmp_path / "income.csv"
    long.to_csv(table, index=False)
    polygons = QgsVectorLayer(f"{path}|layername=states", "states", "ogr")
    panel = QgsVectorLayer(f"file://{table}?delimiter=,&detectTypes=yes", "income", "delimitedtext")
    assert polygons.isValid() and panel.isValid()
    return polygons, panel


def test_gravity_centre_and_ellipse_layers(run_algorithm, us_layers):
    polygons, panel = us_layers
    common = {"INPUT": panel, "POLYGONS": polygons, "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "YEAR",
              "WEIGHT_FIELD": "PCI", "TARGET_CRS": 5070}
    result = run_algorithm("ccd:gravitycentre", {**common, "OUTPUT": "memory:", "PATH": "memory:"})
    points, path = result["OUTPUT"], result["PATH"]
    assert points.featureCount() == 3 and path.featureCount() == 2
    assert QgsWkbTypes.geometryType(points.wkbType()) == QgsWkbTypes.geometryType(QgsWkbTypes.parseType("Point"))
    assert points.crs().authid() == "EPSG:5070"
    first = next(points.getFeatures())
    assert first.geometry().asPoint().x() == pytest.approx(first["X"])
    ellipses = run_algorithm("ccd:deviationalellipse", {**common, "OUTPUT": "memory:"})["OUTPUT"]
    assert ellipses.featureCount() == 6
    feature = next(ellipses.getFeatures())
    assert feature.geometry().area() / 1e6 == pytest.approx(feature["AREA"], rel=0.01)


def test_hot_spots_in_qgis(run_algorithm, us_layers):
    polygons, panel = us_layers
    out = run_algorithm("ccd:hotspots", {
        "INPUT": panel, "POLYGONS": polygons, "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "YEAR",
        "VALUE_FIELD": "PCI", "INFERENCE": 1, "CORRECTION": 0, "OUTPUT": "memory:"})["OUTPUT"]
    assert out.featureCount() == 48 * 3
    assert {f["GI_BIN"] for f in out.getFeatures()} <= set(range(-3, 4))


@pytest.mark.parametrize("style, field, expected", [
    ("hotspots", "GI_BIN", {"3": "#d62f27", "0": "#f7f7f2", "-3": "#4575b5"}),
    ("emerging", "PATTERN", {"NEW_HOT": "#ffc0c0", "PERSISTENT_COLD": "#002673"}),
    ("relative", "E_TYPE", {"SYSTEM1_LAGGING": "#fc8d59", "SYNCHRONOUS": "#ffffbf"}),
])
def test_new_styles_load(qgis_app, style, field, expected):
    from qgis_plugin import styling

    kind = "integer" if field == "GI_BIN" else "string"
    layer = QgsVectorLayer(f"Polygon?crs=EPSG:3857&field={field}:{kind}", "styled", "memory")
    styling.apply_style(layer, style)
    colours = {str(c.value()): c.symbol().color().name() for c in layer.renderer().categories()}
    for value, colour in expected.items():
        assert colours[value] == colour


def test_years_style_colours_each_year(qgis_app):
    from qgis_plugin import styling

    layer = QgsVectorLayer("Polygon?crs=EPSG:3857&field=YEAR:integer", "ellipses", "memory")
    features = []
    for year in (2011, 2015, 2023):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([year])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    styling.apply_style(layer, "years_outline")
    categories = layer.renderer().categories()
    assert [c.value() for c in categories] == [2011, 2015, 2023]
    assert categories[0].symbol().symbolLayer(0).strokeColor().name() == "#ffffb2"
    assert categories[-1].symbol().symbolLayer(0).strokeColor().name() == "#bd0026"


def test_emerging_density_convergence_and_relative_in_qgis(run_algorithm, us_layers, tmp_path):
    polygons, panel = us_layers
    common = {"INPUT": panel, "POLYGONS": polygons, "ID_FIELD": "STATE_NAME", "YEAR_FIELD": "YEAR"}
    emerging = run_algorithm("ccd:emerginghotspots", {**common, "VALUE_FIELD": "PCI", "INFERENCE": 1,
                                                      "OUTPUT": "memory:"})["OUTPUT"]
    assert emerging.featureCount() == 48
    curves = tmp_path / "curves.png"
    density = run_algorithm("ccd:kerneldensity", {"INPUT": panel, "YEAR_FIELD": "YEAR",
                                                  "VALUE_FIELD": "PCI", "DENSITY": "memory:",
                                                  "SUMMARY": "memory:", "CURVES": str(curves)})
    assert density["SUMMARY"].featureCount() == 3 and curves.read_bytes()[:4] == b"\x89PNG"
    beta = run_algorithm("ccd:convergence", {**common, "VALUE_FIELD": "PCI", "SIGMA": "memory:",
                                             "BETA": "memory:"})["BETA"]
    assert [f["MODEL"] for f in beta.getFeatures()] == ["absolute", "conditional", "sar", "sem"]
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=U1:double&field=U2:double", "u", "memory")
    features = []
    for a, b in ((0.2, 0.5), (0.5, 0.5), (0.8, 0.4)):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([a, b])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    out = run_algorithm("ccd:relativedevelopment", {"INPUT": layer, "SYSTEM_FIELDS": ["U1", "U2"],
                                                    "OUTPUT": "memory:"})["OUTPUT"]
    assert [f["E_TYPE"] for f in out.getFeatures()] == ["SYSTEM1_LAGGING", "SYNCHRONOUS", "SYSTEM2_LAGGING"]
