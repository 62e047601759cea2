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


def _gwr_layer(coefficients, significant):
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle

    layer = QgsVectorLayer("Polygon?crs=EPSG:3857&field=B_INTERCEPT:double&field=B_X1:double"
                           "&field=T_X1:double&field=SIG_X1:integer&field=LOCAL_R2:double",
                           "gwr", "memory")
    features = []
    for i, (b, sig) in enumerate(zip(coefficients, significant)):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(i, 0, i + 1, 1)))
        feature.setAttributes([0.1, b, 3.0 if sig else 0.5, sig, 0.5])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_gwr_style_diverging_classes_and_hatched_insignificant_units(qgis_app):
    from qgis.core import QgsRenderContext
    from qgis.PyQt.QtGui import QColor

    from qgis_plugin import styling

    coefficients = [-0.9, -0.5, -0.1, 0.2, 0.4, 0.8, 1.2, 1.6, 2.0, 2.4]
    significant = [1, 0, 0, 1, 1, 0, 1, 1, 0, 1]
    layer = _gwr_layer(coefficients, significant)
    styling.apply_style(layer, "gwr")
    renderer = layer.renderer()
    assert renderer.type() == "RuleRenderer"
    classes, hatch = renderer.rootRule().children()
    assert classes.label() == "Local coefficient of X1"
    # quantile limits of the ten values (positions 0, 2, 4, 5, 7, 9) and 0 added: six classes
    limits = [-0.9, -0.1, 0.0, 0.4, 0.8, 1.6, 2.4]
    assert [rule.label() for rule in classes.children()] == [
        f"{a:.4g} – {b:.4g}" for a, b in zip(limits[:-1], limits[1:])]
    # two negative classes: darkest and lightest blue of RdBu; four positive ones from the
    # lightest to the darkest red, the middle two interpolated a third and two thirds of the way
    # (#fddbc7 → #ef8a62 → #b2182b: (253,219,199), (239,138,98), (178,24,43))
    colours = [QColor(rule.symbol().color()).name() for rule in classes.children()]
    assert colours == ["#2166ac", "#d1e5f0", "#fddbc7", "#f4a584", "#db6450", "#b2182b"]
    assert hatch.filterExpression() == '"SIG_X1" = 0'
    assert hatch.label() == "Not significant (hatched)"
    assert hatch.symbol().symbolLayer(0).layerType() == "LinePatternFill"
    context = QgsRenderContext()
    renderer.startRender(context, layer.fields())
    drawn = [len(renderer.symbolsForFeature(f, context)) for f in layer.getFeatures()]
    renderer.stopRender(context)
    # every unit gets its class colour; the insignificant ones the hatch over it as well
    assert drawn == [1 + (1 - s) for s in significant]


def test_gwr_output_is_styled_on_its_first_driver(run_algorithm, stl_layers):
    from qgis_plugin import styling
    from toolbox.tools import tool

    assert next(o for o in tool("gwr").outputs if o.name == "OUTPUT").style == "gwr"
    polygons, panel = stl_layers
    result = run_algorithm("ccd:gwr", {
        "INPUT": panel, "POLYGONS": polygons, "ID_FIELD": "FIPSNO", "YEAR_FIELD": "YEAR",
        "TARGET_FIELD": "HR", "DRIVER_FIELDS": ["RDAC"], "SCOPE": 1, "OUTPUT": "memory:",
        "SUMMARY": "memory:", "TERMS": "memory:"})
    layer = result["OUTPUT"]
    styling.apply_style(layer, "gwr")
    classes, hatch = layer.renderer().rootRule().children()
    assert classes.label() == "Local coefficient of RDAC"
    assert hatch.filterExpression() == '"SIG_RDAC" = 0'
    b = sorted(values(layer, "B_RDAC"))
    first = classes.children()[0].filterExpression()
    assert first.startswith(f'"B_RDAC" >= {b[0]!r}')
