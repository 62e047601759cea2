"""The two algorithms no other QGIS test ran, through ``processing.run`` (each
algorithm's module is imported only when it runs: tests/qgis/test_lazy_loading.py)."""

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

pytestmark = pytest.mark.qgis


def _layer(spec, rows, squares=None):
    layer = QgsVectorLayer(spec, "t", "memory")
    features = []
    for position, row in enumerate(rows):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(row))
        if squares:
            x, y = squares[position]
            feature.setGeometry(QgsGeometry.fromWkt(
                f"POLYGON(({x} {y},{x + 1} {y},{x + 1} {y + 1},{x} {y + 1},{x} {y}))"))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _rows(layer, *fields):
    return sorted(tuple(None if f[name] is None or str(f[name]) == "NULL" else f[name]
                        for name in fields) for f in layer.getFeatures())


def test_panel_diagnostics_finds_what_the_panel_holds(run_algorithm):
    # b has 2020 twice and no 2021; c has no 2020; one of the two 2021 values of X is missing
    table = _layer("None?field=ID:string&field=YEAR:integer&field=X:double",
                   [("a", 2020, 1.0), ("a", 2021, 2.0), ("b", 2020, 3.0), ("b", 2020, 3.0),
                    ("c", 2021, None)])
    result = run_algorithm("ccd:paneldiagnostics", {
        "INPUT": table, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "FIELDS": ["X"],
        "OUTPUT": "memory:", "MISSING": "memory:", "BALANCE": "memory:"})
    checks = _rows(result["OUTPUT"], "CHECK", "UNIT", "YEAR")
    assert ("duplicate", "b", 2020) in checks
    assert ("unbalanced", "b", None) in checks and ("unbalanced", "c", None) in checks
    assert _rows(result["MISSING"], "FIELD", "YEAR", "ROWS", "MISSING") == [
        ("X", 2020, 3, 0), ("X", 2021, 2, 1)]
    assert _rows(result["BALANCE"], "UNIT", "YEARS") == [("a", 2), ("b", 1), ("c", 1)]


def test_spatial_markov_counts_every_transition(run_algorithm):
    tiers = {"u0": (1, 1, 2), "u1": (1, 2, 2), "u2": (3, 3, 3), "u3": (2, 3, 3)}
    rows, squares = [], []
    for position, (unit, path) in enumerate(tiers.items()):
        for year, tier in zip((2020, 2021, 2022), path):
            rows.append((unit, year, tier))
            squares.append((position % 2, position // 2))
    layer = _layer("Polygon?crs=EPSG:3857&field=ID:string&field=YEAR:integer&field=TIER:integer",
                   rows, squares)
    result = run_algorithm("ccd:spatialmarkov", {
        "INPUT": layer, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "TIER_FIELD": "TIER",
        "TRANSITIONS": "memory:", "TESTS": "memory:"})
    counts = {(f["FROM"], f["TO"]): f["COUNT"] for f in result["TRANSITIONS"].getFeatures()
              if str(f["CONDITION"]) == "ALL"}
    # by hand from the paths: 1→1 once (u0), 1→2 twice (u0, u1), 2→2 (u1), 2→3 (u3), 3→3 thrice
    expected = {(1, 1): 1, (1, 2): 2, (2, 2): 1, (2, 3): 1, (3, 3): 3}
    assert {key: value for key, value in counts.items() if value} == expected
    assert sum(counts.values()) == 4 * 2
