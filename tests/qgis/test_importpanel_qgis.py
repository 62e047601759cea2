"""ccd:importpanel in real QGIS: a GBK CSV of city names and a polygon layer of codes."""

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

pytestmark = pytest.mark.qgis

ROWS = "城市,年份,GDP\n北京市,2018,30320\nBeijing,2019,35371\n襄樊,2018,4310\n襄阳市,2019,4813\n莱芜市,2018,1005\n"


def units_layer():
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=CODE:string", "units", "memory")
    features = []
    for i, code in enumerate(["110000", "420600", "370100"]):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([code])
        feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({i} 0,{i + 1} 0,{i + 1} 1,{i} 1,{i} 0))"))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_import_panel_in_qgis(run_algorithm, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_bytes(ROWS.encode("gbk"))
    parameters = {"INPUT": str(path), "LAYOUT": 0, "POLYGONS": units_layer(), "POLYGONS_CODE_FIELD": "CODE",
                  "OUTPUT": "memory:", "MATCHES": "memory:"}
    with pytest.raises(QgsProcessingException, match="莱芜市"):
        run_algorithm("ccd:importpanel", parameters)
    result = run_algorithm("ccd:importpanel", {**parameters, "CHANGES": 3})  # drop
    out = result["OUTPUT"]
    rows = sorted((f["ADCODE"], f["YEAR"], f["GDP"], f["NAME"]) for f in out.getFeatures())
    assert rows == [("110000", 2018, 30320.0, "北京市"), ("110000", 2019, 35371.0, "北京市"),
                    ("420600", 2018, 4310.0, "襄阳市"), ("420600", 2019, 4813.0, "襄阳市")]
    boxes = {f["ADCODE"]: f.geometry().boundingBox().xMinimum() for f in out.getFeatures()}
    assert boxes == {"110000": 0.0, "420600": 1.0}
    how = {f["INPUT_NAME"]: f["HOW"] for f in result["MATCHES"].getFeatures()}
    assert how == {"北京市": "exact", "Beijing": "alias", "襄樊": "change", "襄阳市": "exact", "莱芜市": "change"}


def test_group_field_of_a_polygon_layer_in_any_tool(run_algorithm):
    """ccd:coordinationtiers groups by REGION, a field only of the UNITS polygon layer."""
    units = QgsVectorLayer("Polygon?crs=EPSG:4326&field=CODE:string&field=REGION:string", "units", "memory")
    features = []
    for i, (code, region) in enumerate([("a", "north"), ("b", "north"), ("c", "east"), ("d", "east")]):
        feature = QgsFeature(units.fields())
        feature.setAttributes([code, region])
        feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({i} 0,{i + 1} 0,{i + 1} 1,{i} 1,{i} 0))"))
        features.append(feature)
    units.dataProvider().addFeatures(features)
    panel = QgsVectorLayer("None?field=ID:string&field=YEAR:integer&field=D:double", "panel", "memory")
    values = {("a", 2020): 0.2, ("b", 2020): 0.4, ("c", 2020): 0.7, ("d", 2020): 0.9}
    rows = []
    for (unit, year), d in values.items():
        feature = QgsFeature(panel.fields())
        feature.setAttributes([unit, year, d])
        rows.append(feature)
    panel.dataProvider().addFeatures(rows)
    parameters = {"INPUT": panel, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "D", "K": 2,
                  "GROUP_FIELD": "REGION", "UNITS": units, "UNITS_ID_FIELD": "CODE",
                  "OUTPUT": "memory:", "GROUP_MEANS": "memory:"}
    result = run_algorithm("ccd:coordinationtiers", parameters)
    means = {f["GROUP"]: f["2020"] for f in result["GROUP_MEANS"].getFeatures()}
    assert means["north"] == pytest.approx((0.2 + 0.4) / 2) and means["east"] == pytest.approx((0.7 + 0.9) / 2)
    assert {f["ID"]: f["REGION"] for f in result["OUTPUT"].getFeatures()} == {
        "a": "north", "b": "north", "c": "east", "d": "east"}
    with pytest.raises(QgsProcessingException, match="no row for 1 unit.*'d'"):
        units.dataProvider().deleteFeatures([4])
        run_algorithm("ccd:coordinationtiers", {**parameters, "OUTPUT": "memory:", "GROUP_MEANS": "memory:"})
