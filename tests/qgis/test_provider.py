"""The provider and its algorithms in real QGIS (no mocks)."""

import math

import pytest
from qgis.core import (QgsApplication, QgsFeature, QgsGeometry, QgsProcessingException,
                       QgsVectorLayer)

pytestmark = pytest.mark.qgis


def polygon_panel(rows, fields):
    """A memory polygon layer in long format: one square per unit, repeated per year.

    ``fields`` maps name → QGIS memory type ('string', 'integer', 'double').
    """
    spec = "&".join(f"field={name}:{kind}" for name, kind in fields.items())
    layer = QgsVectorLayer(f"Polygon?crs=EPSG:3857&{spec}", "panel", "memory")
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(row))
        x = hash(str(row[0])) % 100
        feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({x} 0,{x + 1} 0,{x + 1} 1,{x} 1,{x} 0))"))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def attributes(layer, field):
    """The field's values, NULL as None (QGIS 3 gives NULL QVariants, QGIS 4 None)."""
    from qgis_plugin.layers import python_value

    return [python_value(f[field]) for f in layer.getFeatures()]


def test_provider_lists_the_tools(qgis_app):
    provider = QgsApplication.processingRegistry().providerById("ccd")
    assert provider is not None
    ids = {a.id() for a in provider.algorithms()}
    assert {"ccd:entropyweights", "ccd:persistentinnovation", "ccd:couplingcoordination"} <= ids


def test_coupling_coordination_values_and_geometry(run_algorithm):
    layer = polygon_panel(
        [("a", 2020, 0.25, 1.0), ("b", 2020, 0.5, 0.5), ("c", 2020, 0.0, 0.0)],
        {"CITY": "string", "YEAR": "integer", "U1": "double", "U2": "double"})
    result = run_algorithm("ccd:couplingcoordination", {
        "INPUT": layer, "SYSTEM_FIELDS": ["U1", "U2"], "MODEL": 0,
        "ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "OUTPUT": "memory:"})
    out = result["OUTPUT"]
    assert out.featureCount() == 3
    assert out.geometryType() == layer.geometryType()
    c, t, d = attributes(out, "C"), attributes(out, "T"), attributes(out, "D")
    # a: C = 2·sqrt(0.25·1)/1.25 = 0.8, T = 0.625, D = sqrt(0.5)
    assert c[0] == pytest.approx(0.8)
    assert t[0] == pytest.approx(0.625)
    assert d[0] == pytest.approx(math.sqrt(0.5))
    assert attributes(out, "D_CLASS")[0] == 8  # 0.7071 is in [0.7, 0.8)
    # b: equal indices, C = 1, D = sqrt(0.5)
    assert c[1] == pytest.approx(1.0)
    # c: every system 0 → C undefined, left NULL rather than invented
    assert c[2] is None and d[2] is None
    assert [f.geometry().asWkt() for f in out.getFeatures()] == [
        f.geometry().asWkt() for f in layer.getFeatures()]
    # input untouched
    assert [f.fields().names() for f in layer.getFeatures()][0] == ["CITY", "YEAR", "U1", "U2"]


def test_coupling_revised_model(run_algorithm):
    layer = polygon_panel([("a", 2020, 0.25, 1.0)],
                          {"CITY": "string", "YEAR": "integer", "U1": "double", "U2": "double"})
    out = run_algorithm("ccd:couplingcoordination", {
        "INPUT": layer, "SYSTEM_FIELDS": ["U1", "U2"], "MODEL": 1, "OUTPUT": "memory:"})["OUTPUT"]
    # revised: C = sqrt((1 − 0.75) · 0.25/1) = 0.25
    assert attributes(out, "C")[0] == pytest.approx(0.25)


def test_entropy_weights_on_a_table(run_algorithm):
    table = QgsVectorLayer("None?field=ID:string&field=YEAR:integer&field=X1:double&field=X2:double",
                           "t", "memory")
    rows = [("a", 2020, 0.0, 2.0), ("b", 2020, 1.0, 1.0), ("c", 2020, 2.0, 0.0), ("d", 2020, 2.0, 2.0)]
    features = []
    for row in rows:
        feature = QgsFeature(table.fields())
        feature.setAttributes(list(row))
        features.append(feature)
    table.dataProvider().addFeatures(features)
    result = run_algorithm("ccd:entropyweights", {
        "INPUT": table, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "POSITIVE_FIELDS": ["X1"],
        "NEGATIVE_FIELDS": ["X2"], "OUTPUT": "memory:", "WEIGHTS": "memory:"})
    weights = {f["INDICATOR"]: f["W"] for f in result["WEIGHTS"].getFeatures()}
    # X1' = (0, .5, 1, 1) and X2' = (0, .5, 1, 0): k = 1/ln 4
    def entropy(values):
        total = sum(values)
        return -sum(v / total * math.log(v / total) for v in values if v) / math.log(4)
    d1, d2 = 1 - entropy([0, .5, 1, 1]), 1 - entropy([0, .5, 1, 0])
    assert weights["X1"] == pytest.approx(d1 / (d1 + d2))
    assert weights["X2"] == pytest.approx(d2 / (d1 + d2))
    index = attributes(result["OUTPUT"], "INDEX")
    assert index[2] == pytest.approx(1.0)
    assert result["OUTPUT"].featureCount() == 4


def test_persistent_innovation(run_algorithm):
    rows = [("a", 2011, 10.0), ("a", 2012, 20.0), ("a", 2013, 30.0), ("a", 2014, 40.0),
            ("z", 2011, 0.0), ("z", 2012, 0.0), ("z", 2013, 5.0)]
    layer = polygon_panel(rows, {"CITY": "string", "YEAR": "integer", "PAT": "double"})
    out = run_algorithm("ccd:persistentinnovation", {
        "INPUT": layer, "ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "PATENT_FIELD": "PAT",
        "OUTPUT": "memory:"})["OUTPUT"]
    values = attributes(out, "CONINNOV")
    status = attributes(out, "CONINNOV_STATUS")
    # 2013: (30+20)/(20+10)·(30+20) = 250/3; 2014: (40+30)/(30+20)·70 = 98
    assert values[2] == pytest.approx(250 / 3)
    assert values[3] == pytest.approx(98.0)
    assert status[:2] == ["first years", "first years"]
    assert status[6] == "zero denominator"
    assert values[6] is None


def test_bad_input_is_a_processing_exception_naming_the_field(run_algorithm):
    layer = polygon_panel([("a", 2020, 0.25, 1.5)],
                          {"CITY": "string", "YEAR": "integer", "U1": "double", "U2": "double"})
    with pytest.raises(QgsProcessingException, match="U2"):
        run_algorithm("ccd:couplingcoordination", {
            "INPUT": layer, "SYSTEM_FIELDS": ["U1", "U2"], "OUTPUT": "memory:"})


def pattern_layer():
    rows = [(c, y, d, g) for y, ds in ((2020, (0.10, 0.12, 0.50, 0.52, 0.90, 0.91)),
                                       (2021, (0.15, 0.11, 0.55, 0.49, 0.95, 0.88)))
            for c, d, g in zip("abcdef", ds, ("e", "e", "w", "w", "e", "w"))]
    return polygon_panel(rows, {"CITY": "string", "YEAR": "integer", "D": "double", "REGION": "string"})


def test_coordination_tiers_keeps_geometry_and_counts(run_algorithm):
    layer = pattern_layer()
    result = run_algorithm("ccd:coordinationtiers", {
        "INPUT": layer, "ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "D", "METHOD": 0,
        "K": 3, "SEED": 0, "GROUP_FIELD": "REGION", "OUTPUT": "memory:", "COUNTS": "memory:",
        "GROUP_MEANS": "memory:", "THRESHOLDS": "memory:"})
    assert attributes(result["OUTPUT"], "TIER") == [0, 0, 1, 1, 2, 2] * 2
    assert result["OUTPUT"].geometryType() == layer.geometryType()
    assert attributes(result["COUNTS"], "COUNT") == [2] * 6
    means = {f["GROUP"]: f["2020"] for f in result["GROUP_MEANS"].getFeatures()}
    assert means["e"] == pytest.approx((0.10 + 0.12 + 0.90) / 3)


def test_dagum_gini_identity_in_qgis(run_algorithm):
    result = run_algorithm("ccd:dagumgini", {
        "INPUT": pattern_layer(), "ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "D",
        "GROUP_FIELD": "REGION", "OUTPUT": "memory:", "PAIRS": "memory:"})
    rows = list(result["OUTPUT"].getFeatures())
    assert [r["YEAR"] for r in rows] == [2020, 2021]
    values = [0.10, 0.12, 0.50, 0.52, 0.90, 0.91]
    g = sum(abs(a - b) for a in values for b in values) / (2 * 36 * (sum(values) / 6))
    assert rows[0]["G"] == pytest.approx(g)
    assert rows[0]["GW"] + rows[0]["GNB"] + rows[0]["GT"] == pytest.approx(g, abs=1e-12)
    assert result["PAIRS"].featureCount() == 2 * 3


def test_obstacle_degree_in_qgis(run_algorithm):
    layer = polygon_panel([("a", 2020, 0.0, 4.0), ("b", 2020, 5.0, 2.0), ("c", 2020, 10.0, 0.0)],
                          {"CITY": "string", "YEAR": "integer", "X1": "double", "X2": "double"})
    result = run_algorithm("ccd:obstacledegree", {
        "INPUT": layer, "ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "POSITIVE_FIELDS": ["X1"],
        "NEGATIVE_FIELDS": ["X2"], "WEIGHTS": "0.25,0.75", "TOP_N": 1,
        "OUTPUT": "memory:", "SUMMARY": "memory:"})
    assert attributes(result["OUTPUT"], "O_X1")[:2] == pytest.approx([25.0, 25.0])
    assert attributes(result["OUTPUT"], "O_X2")[2] is None


def grid_panel():
    """3 × 3 squares (EPSG:3857), two years of a value, long format."""
    layer = QgsVectorLayer("Polygon?crs=EPSG:3857&field=UNIT:string&field=YEAR:integer&field=V:double",
                           "grid", "memory")
    values = {2020: [9, 8, 1, 7, 6, 2, 3, 1, 0], 2021: [5, 6, 1, 9, 4, 2, 3, 2, 8]}
    features = []
    for year, vs in values.items():
        for i, v in enumerate(vs):
            r, c = divmod(i, 3)
            feature = QgsFeature(layer.fields())
            feature.setAttributes([f"r{r}c{c}", year, float(v)])
            feature.setGeometry(QgsGeometry.fromWkt(
                f"POLYGON(({c} {r},{c + 1} {r},{c + 1} {r + 1},{c} {r + 1},{c} {r}))"))
            features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer, values


def test_global_and_local_moran_in_qgis(run_algorithm, tmp_path):
    import numpy as np

    layer, values = grid_panel()
    out = run_algorithm("ccd:globalmoran", {
        "INPUT": layer, "ID_FIELD": "UNIT", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "V",
        "PERMUTATIONS": 99, "SEED": 1, "OUTPUT": "memory:"})["OUTPUT"]
    w = np.zeros((9, 9))
    for i in range(9):
        for j in range(9):
            if i != j and abs(i // 3 - j // 3) <= 1 and abs(i % 3 - j % 3) <= 1:
                w[i, j] = 1
    w /= w.sum(axis=1, keepdims=True)
    z = np.array(values[2020], float) - np.mean(values[2020])
    assert attributes(out, "I")[0] == pytest.approx((z @ w @ z) / (z @ z))

    scatter = tmp_path / "scatter.png"
    lisa = run_algorithm("ccd:localmoran", {
        "INPUT": layer, "ID_FIELD": "UNIT", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "V",
        "PERMUTATIONS": 99, "SEED": 1, "CORRECTION": 1, "OUTPUT": "memory:",
        "SCATTERPLOT": str(scatter)})
    assert lisa["OUTPUT"].featureCount() == 18
    assert lisa["OUTPUT"].geometryType() == layer.geometryType()
    assert set(attributes(lisa["OUTPUT"], "CLUSTER")) <= {"HH", "LL", "LH", "HL", "NS", "ISOLATED"}
    assert scatter.read_bytes()[:4] == b"\x89PNG"


def test_driver_analysis_in_qgis(run_algorithm):
    import random

    random.seed(3)
    rows = []
    for unit in range(12):
        for year in range(2015, 2020):
            x1, x2 = random.random(), random.random()
            rows.append((f"u{unit}", year, x1, x2, 0.8 * x2 + 0.05 * x1 + random.gauss(0, 0.01)))
    layer = polygon_panel(rows, {"ID": "string", "YEAR": "integer", "X1": "double",
                                 "X2": "double", "D": "double"})
    result = run_algorithm("ccd:driveranalysis", {
        "INPUT": layer, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "TARGET_FIELD": "D",
        "DRIVER_FIELDS": ["X1", "X2"], "SPLIT": 0, "CV_FOLDS": 3, "N_ESTIMATORS": 10,
        "METRICS": "memory:", "IMPORTANCE": "memory:"})
    models = set(attributes(result["METRICS"], "MODEL"))
    assert models == {"tree", "forest", "boosting", "ols"}
    importance = [(f["MODEL"], f["DRIVER"], f["IMPORTANCE"]) for f in result["IMPORTANCE"].getFeatures()]
    forest = {d: v for m, d, v in importance if m == "forest"}
    assert forest["X2"] > forest["X1"]


@pytest.mark.parametrize("style, field, expected", [
    ("lisa", "CLUSTER", {"HH": "#d7191c", "LL": "#2c7bb6", "LH": "#abd9e9", "HL": "#fdae61",
                         "NS": "#d3d3d3", "ISOLATED": "#ffffff"}),
    ("d_class", "D_CLASS", {"1": "#a50026", "5": "#fee08b", "6": "#d9ef8b", "10": "#006837"}),
    ("tier", "TIER", {"0": "#fee8c8", "1": "#fdbb84", "2": "#e34a33"}),
])
def test_shipped_styles_load_with_their_colours(qgis_app, style, field, expected):
    from qgis_plugin import styling

    kind = "string" if field == "CLUSTER" else "integer"
    layer = QgsVectorLayer(f"Polygon?crs=EPSG:3857&field={field}:{kind}", "styled", "memory")
    values = list(expected) if kind == "string" else [int(v) for v in expected]
    features = []
    for value in values:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([value])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    styling.apply_style(layer, style)
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol"
    assert renderer.classAttribute() == field
    colours = {str(c.value()): c.symbol().color().name() for c in renderer.categories()}
    for value, colour in expected.items():
        assert colours[value] == colour
    # every feature finds its symbol (string category values match integer fields)
    context = __import__("qgis.core", fromlist=["QgsRenderContext"]).QgsRenderContext()
    renderer.startRender(context, layer.fields())
    assert all(renderer.symbolForFeature(f, context) is not None for f in layer.getFeatures())
    renderer.stopRender(context)


def test_long_outputs_are_temporal_on_the_year_field(qgis_app):
    from qgis.core import QgsDateTimeRange
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime
    from qgis_plugin import styling

    layer, _ = grid_panel()
    styling.set_temporal(layer, "YEAR")
    properties = layer.temporalProperties()
    assert properties.isActive()
    start = QDateTime(QDate(2021, 3, 1), QTime(0, 0))
    assert properties.isVisibleInTemporalRange(QgsDateTimeRange(start, start.addDays(1)))
    assert 'make_date("YEAR", 1, 1)' == properties.startExpression()


def test_chinese_translation_loads(qgis_app, tmp_path):
    import shutil
    import subprocess

    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    lrelease = shutil.which("lrelease")
    if lrelease is None:
        pytest.skip("Qt's lrelease is not installed")
    qm = tmp_path / "ccd_zh.qm"
    subprocess.run([lrelease, "-silent", "qgis_plugin/i18n/ccd_zh.ts", "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        from qgis_plugin.translation import tr

        assert tr("Coupling coordination degree") == "耦合协调度"
        assert tr("High-High") == "高-高"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_shipped_model_runs(run_algorithm):
    provider = QgsApplication.processingRegistry().providerById("ccd")
    models = [a for a in provider.algorithms() if a.id() == "ccd:Coupling coordination study"]
    assert models, [a.id() for a in provider.algorithms()]
    rows = []
    for year in (2020, 2021):
        for unit in range(9):
            rows.append((f"u{unit}", year, unit + year - 2019.0, (unit * 7) % 5 + 1.0,
                         9.0 - unit, (9 - unit) * 1.5 + (unit * 3) % 4 + year - 2019.0))
    layer = polygon_panel(rows, {"ID": "string", "YEAR": "integer", "A1": "double", "A2": "double",
                                 "NEG": "double", "B1": "double"})
    result = run_algorithm("ccd:Coupling coordination study", {
        "panel": layer, "id_field": "ID", "year_field": "YEAR", "system1_positive": ["A1", "A2"],
        "system1_negative": ["NEG"], "system2_positive": ["B1"],
        "tiers:Coupling coordination with tiers": "memory:", "tiers:Tier counts": "memory:",
        "tiers:Mean D per tier": "memory:", "dagum:Dagum decomposition": "memory:",
        "dagum:Dagum pairs": "memory:"})
    coupled = result["tiers:Coupling coordination with tiers"]
    if isinstance(coupled, str):
        coupled = QgsVectorLayer(coupled)
    assert coupled.featureCount() == 18
    assert set(attributes(coupled, "TIER")) == {0, 1, 2}
    dagum = result["dagum:Dagum decomposition"]
    if isinstance(dagum, str):
        dagum = QgsVectorLayer(dagum)
    for feature in dagum.getFeatures():
        assert feature["GW"] + feature["GNB"] + feature["GT"] == pytest.approx(feature["G"], abs=1e-12)


def test_full_analysis_in_qgis(run_algorithm, tmp_path):
    import csv

    rows = []
    for year in (2019, 2020, 2021):
        for unit in range(9):
            rows.append((f"u{unit}", year, unit + year - 2018.0, (unit * 7) % 5 + 1.0, 9.0 - unit,
                         (9 - unit) * 1.5 + (unit * 3) % 4 + year - 2018.0))
    layer = polygon_panel(rows, {"ID": "string", "YEAR": "integer", "A1": "double", "A2": "double",
                                 "NEG": "double", "B1": "double"})
    provider = layer.dataProvider()
    for feature in layer.getFeatures():   # a 3 × 3 grid of neighbouring squares
        r, c = divmod(int(feature["ID"][1:]), 3)
        provider.changeGeometryValues({feature.id(): QgsGeometry.fromWkt(
            f"POLYGON(({c} {r},{c + 1} {r},{c + 1} {r + 1},{c} {r + 1},{c} {r}))")})
    folder = tmp_path / "study"
    result = run_algorithm("ccd:fullanalysis", {
        "INPUT": layer, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "SYSTEM1_POSITIVE": ["A1", "A2"],
        "SYSTEM1_NEGATIVE": ["NEG"], "SYSTEM2_POSITIVE": ["B1"], "PERMUTATIONS": 99,
        "OUTPUT_FOLDER": str(folder)})
    assert result["REPORT"].endswith("report.html")
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Dagum" in html and "Moran" in html
    results = QgsVectorLayer(result["RESULTS"])
    assert results.isValid() and results.featureCount() == 27
    # D from the pipeline equals the single coupling algorithm on the same indices
    with open(folder / "tables" / "results.csv", encoding="utf-8") as opened:
        table = list(csv.DictReader(opened))
    row = table[0]
    u1, u2 = float(row["U_SYSTEM1"]), float(row["U_SYSTEM2"])
    c = 2 * (u1 * u2) ** 0.5 / (u1 + u2) if u1 + u2 else float("nan")
    assert float(row["D"]) == pytest.approx((c * (u1 + u2) / 2) ** 0.5)
