"""Sources read from their files and GeoPackage outputs written directly
(``qgis_plugin/file_layers.py``) give what QGIS's feature iteration and sink give.

QGIS itself is the reference: every comparison is against the same layer read
feature by feature (``layers.source_table``) or the same output written
through QGIS's feature sink, and LISA values against the formula by hand.
"""

import hashlib
import os

import numpy as np
import pandas as pd
import pytest

qgis_core = pytest.importorskip("qgis.core")
geopandas = pytest.importorskip("geopandas")
pyogrio = pytest.importorskip("pyogrio")
from qgis.core import (QgsFeatureRequest, QgsProcessingContext, QgsProcessingFeatureSource,  # noqa: E402
                       QgsProcessingFeatureSourceDefinition, QgsProcessingFeedback,
                       QgsProcessingOutputLayerDefinition, QgsProject, QgsVectorLayer)
from shapely.geometry import Polygon, box  # noqa: E402

pytestmark = pytest.mark.qgis
SIDE = 3
VALUES = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0]


def _grid_file(path, years=(2020, 2021), invalid=False):
    """A 3 x 3 grid, one square per cell and year, with fields of every plain type."""
    rows = []
    for year in years:
        for cell in range(SIDE * SIDE):
            x, y = cell % SIDE, cell // SIDE
            rows.append({"CELL": f"c{cell}", "YEAR": year, "N": np.int32(cell),
                         "V": VALUES[cell] + (year - years[0]),
                         "GAP": np.nan if cell == 4 else cell / 2, "FLAG": cell % 2 == 0,
                         "NOTE": None if cell == 1 else f"note {cell}",
                         "geometry": box(x, y, x + 1, y + 1)})
    frame = geopandas.GeoDataFrame(rows, crs="EPSG:3857")
    frame["N"] = frame["N"].astype(np.int32)
    if invalid:  # a bow tie: not valid for GEOS
        frame.loc[0, "geometry"] = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    frame.to_file(path, layer="grid", driver="GPKG")
    return f"{path}|layername=grid"


def _needs_pyogrio():
    from qgis_plugin import file_layers

    if not file_layers.pyogrio_usable():
        pytest.skip("pyogrio's own PROJ database is older than QGIS's PROJ: files go through QGIS")


def _both(layer, context, value=None):
    from qgis_plugin import file_layers, layers

    _needs_pyogrio()
    source = QgsProcessingFeatureSource(layer, context)
    direct = file_layers.read_source(value if value is not None else layer, layer, source,
                                     context.invalidGeometryCheck())
    return direct, layers.source_table(source)


def test_a_geopackage_read_from_its_file_is_what_qgis_iterates(qgis_app, tmp_path):
    layer = QgsVectorLayer(_grid_file(tmp_path / "grid.gpkg"), "grid", "ogr")
    assert layer.isValid()
    (table, geometries), (expected, expected_geometries) = _both(layer, QgsProcessingContext())
    assert list(table.columns) == ["fid", "CELL", "YEAR", "N", "V", "GAP", "FLAG", "NOTE"]
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert [g.wkb for g in geometries] == [g.wkb for g in expected_geometries]


def test_a_shapefile_read_from_its_file_is_what_qgis_iterates(qgis_app, tmp_path):
    frame = pyogrio.read_dataframe(_grid_file(tmp_path / "grid.gpkg").split("|")[0])
    frame.drop(columns=["FLAG"]).to_file(tmp_path / "grid.shp")
    layer = QgsVectorLayer(str(tmp_path / "grid.shp"), "grid", "ogr")
    (table, geometries), (expected, expected_geometries) = _both(layer, QgsProcessingContext())
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert [g.wkb for g in geometries] == [g.wkb for g in expected_geometries]


def test_a_csv_file_read_from_its_file_is_what_qgis_ogr_provider_iterates(qgis_app, tmp_path):
    """QGIS's OGR provider opens a CSV file (``qgis_process run ... INPUT=panel.csv``) with text fields."""
    path = tmp_path / "panel.csv"
    path.write_text("CITY,YEAR,U1,NOTE\n001,2020,0.25,\nb,2020,,\"x, y\"\n", encoding="utf-8")
    layer = QgsVectorLayer(str(path), "panel", "ogr")
    (table, geometries), (expected, expected_geometries) = _both(layer, QgsProcessingContext())
    assert geometries is None and expected_geometries is None
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert table["CITY"].tolist() == ["001", "b"] and table["NOTE"].tolist()[1] == "x, y"


def test_part_of_a_layer_or_a_checked_invalid_geometry_goes_through_qgis(qgis_app, tmp_path):
    from qgis_plugin import file_layers

    layer = QgsVectorLayer(_grid_file(tmp_path / "grid.gpkg"), "grid", "ogr")
    context = QgsProcessingContext()
    assert _both(layer, context, QgsProcessingFeatureSourceDefinition(layer.source(), True))[0] is None
    limited = QgsProcessingFeatureSourceDefinition(layer.source(), False, 5)
    assert _both(layer, context, limited)[0] is None
    layer.setSubsetString('"YEAR" = 2020')
    assert file_layers.file_of(layer, layer) is None
    layer.setSubsetString("")
    assert file_layers.file_of(layer, layer) == (str(tmp_path / "grid.gpkg"), "grid")

    broken = QgsVectorLayer(_grid_file(tmp_path / "broken.gpkg", invalid=True), "broken", "ogr")
    context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometrySkipInvalid)
    direct, (through_qgis, _) = _both(broken, context)
    assert direct is None and len(through_qgis) == 17  # QGIS skipped the bow tie
    context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
    direct, _ = _both(broken, context)
    assert direct is not None and len(direct[0]) == 18


@pytest.fixture
def direct_calls(monkeypatch):
    """The number of sources read and outputs written directly, counted."""
    from qgis_plugin import file_layers

    _needs_pyogrio()
    calls = {"read": 0, "written": 0}

    def counted(function, key):
        def call(*args, **kwargs):
            result = function(*args, **kwargs)
            calls[key] += result not in (None, False)
            return result
        return call

    monkeypatch.setattr(file_layers, "read_source", counted(file_layers.read_source, "read"))
    monkeypatch.setattr(file_layers, "write_geopackage",
                        counted(file_layers.write_geopackage, "written"))
    return calls


def _lisa(run_algorithm, source, output, **extra):
    return run_algorithm("ccd:localmoran", {
        "INPUT": source, "ID_FIELD": "CELL", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "V",
        "PERMUTATIONS": 99, "SEED": 7, "OUTPUT": output, **extra})


def test_a_geopackage_output_is_what_qgis_sink_writes(run_algorithm, tmp_path, monkeypatch,
                                                     direct_calls):
    from qgis_plugin import file_layers

    source = _grid_file(tmp_path / "grid.gpkg")
    before = hashlib.sha256((tmp_path / "grid.gpkg").read_bytes()).hexdigest()
    direct = tmp_path / "direct.gpkg"
    direct.write_bytes(b"an older file, replaced as QGIS's sink replaces it")
    assert _lisa(run_algorithm, source, str(direct))["OUTPUT"] == str(direct)
    assert direct_calls == {"read": 1, "written": 1}
    with monkeypatch.context() as patched:
        patched.setattr(file_layers, "geopackage_destination", lambda value, context: None)
        _lisa(run_algorithm, source, str(tmp_path / "sink.gpkg"))
    ours, sink = pyogrio.read_info(str(direct)), pyogrio.read_info(str(tmp_path / "sink.gpkg"))
    for key in ("crs", "encoding", "fields", "ogr_types", "ogr_subtypes", "fid_column",
                "geometry_name", "geometry_type", "features"):
        assert str(ours[key]) == str(sink[key]), key
    assert (ours["layer_name"], sink["layer_name"]) == ("direct", "sink")
    a = pyogrio.read_dataframe(str(direct), fid_as_index=True)
    b = pyogrio.read_dataframe(str(tmp_path / "sink.gpkg"), fid_as_index=True)
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")),
                                  pd.DataFrame(b.drop(columns="geometry")), check_exact=True)
    assert list(a.geometry.to_wkb()) == list(b.geometry.to_wkb())
    assert hashlib.sha256((tmp_path / "grid.gpkg").read_bytes()).hexdigest() == before
    assert sorted(os.listdir(tmp_path)) == ["direct.gpkg", "grid.gpkg", "sink.gpkg"]

    # Local Moran by hand (Anselin 1995) in esda's and GeoDa's scaling:
    # I_i = (n - 1) z_i (W z)_i / sum(z^2), z = x - mean(x), W queen with rows summing to 1
    w = np.array([[1.0 if i != j and abs(i // 3 - j // 3) <= 1 and abs(i % 3 - j % 3) <= 1 else 0.0
                   for j in range(9)] for i in range(9)])
    w /= w.sum(axis=1, keepdims=True)
    z = np.array(VALUES) - np.mean(VALUES)
    first = a[a["YEAR"] == 2020].set_index("CELL").loc[[f"c{i}" for i in range(9)]]
    np.testing.assert_allclose(first["LISA_I"], 8 * z * (w @ z) / (z @ z), rtol=1e-12, atol=1e-15)


def test_a_table_without_geometry_written_directly_matches_qgis_sink(run_algorithm, tmp_path,
                                                                     monkeypatch, direct_calls):
    from qgis_plugin import file_layers

    parameters = {"INPUT": _grid_file(tmp_path / "grid.gpkg"), "ID_FIELD": "CELL",
                  "YEAR_FIELD": "YEAR", "VALUE_FIELD": "V", "PERMUTATIONS": 99}
    run_algorithm("ccd:globalmoran", {**parameters, "OUTPUT": str(tmp_path / "direct.gpkg")})
    assert direct_calls["written"] == 1
    with monkeypatch.context() as patched:
        patched.setattr(file_layers, "geopackage_destination", lambda value, context: None)
        run_algorithm("ccd:globalmoran", {**parameters, "OUTPUT": str(tmp_path / "sink.gpkg")})
    ours, sink = pyogrio.read_info(str(tmp_path / "direct.gpkg")), \
        pyogrio.read_info(str(tmp_path / "sink.gpkg"))
    for key in ("fields", "ogr_types", "ogr_subtypes", "geometry_type", "features"):
        assert str(ours[key]) == str(sink[key]), key
    pd.testing.assert_frame_equal(pyogrio.read_dataframe(str(tmp_path / "direct.gpkg")),
                                  pyogrio.read_dataframe(str(tmp_path / "sink.gpkg")),
                                  check_exact=True)


def test_tool_made_points_written_directly_match_qgis_sink(run_algorithm, tmp_path, monkeypatch,
                                                          direct_calls):
    """Centres a tool makes (a GeoDataFrame, not the source's geometry), in the GeoPackage."""
    from qgis_plugin import file_layers

    source = _grid_file(tmp_path / "grid.gpkg")
    parameters = {"INPUT": source, "ID_FIELD": "CELL", "YEAR_FIELD": "YEAR", "WEIGHT_FIELD": "V"}
    run_algorithm("ccd:gravitycentre", {**parameters, "OUTPUT": str(tmp_path / "direct.gpkg")})
    assert direct_calls == {"read": 1, "written": 1}
    with monkeypatch.context() as patched:
        patched.setattr(file_layers, "geopackage_destination", lambda value, context: None)
        run_algorithm("ccd:gravitycentre", {**parameters, "OUTPUT": str(tmp_path / "sink.gpkg")})
    a = pyogrio.read_dataframe(str(tmp_path / "direct.gpkg"))
    b = pyogrio.read_dataframe(str(tmp_path / "sink.gpkg"))
    assert pyogrio.read_info(str(tmp_path / "direct.gpkg"))["geometry_type"] == \
        pyogrio.read_info(str(tmp_path / "sink.gpkg"))["geometry_type"]
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")),
                                  pd.DataFrame(b.drop(columns="geometry")), check_exact=True)
    assert list(a.geometry.to_wkb()) == list(b.geometry.to_wkb())
    # the weighted mean centre of 2020 by hand: sum(v x) / sum(v) of the cell centres
    x = np.array([i % 3 + 0.5 for i in range(9)])
    assert a.loc[a["YEAR"] == 2020].geometry.x.iloc[0] == pytest.approx(x @ VALUES / sum(VALUES))


def test_a_written_geopackage_is_loaded_and_styled_on_completion(qgis_app, tmp_path):
    import processing

    path = str(tmp_path / "lisa.gpkg")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    processing.run("ccd:localmoran", {
        "INPUT": _grid_file(tmp_path / "grid.gpkg"), "ID_FIELD": "CELL", "YEAR_FIELD": "YEAR",
        "VALUE_FIELD": "V", "PERMUTATIONS": 99,
        "OUTPUT": QgsProcessingOutputLayerDefinition(path, QgsProject.instance())},
        context=context, feedback=QgsProcessingFeedback())
    assert context.willLoadLayerOnCompletion(path)
    assert context.layerToLoadOnCompletionDetails(path).postProcessor() is not None


def test_a_canceled_run_leaves_no_file(qgis_app, tmp_path):
    import processing

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    processing.run("ccd:localmoran", {
        "INPUT": _grid_file(tmp_path / "grid.gpkg"), "ID_FIELD": "CELL", "YEAR_FIELD": "YEAR",
        "VALUE_FIELD": "V", "PERMUTATIONS": 99, "OUTPUT": str(tmp_path / "lisa.gpkg")},
        context=QgsProcessingContext(), feedback=feedback)
    assert sorted(os.listdir(tmp_path)) == ["grid.gpkg"]


def test_the_scatterplot_is_drawn_only_when_asked_for(run_algorithm, tmp_path, monkeypatch):
    from toolbox import charts

    source = _grid_file(tmp_path / "grid.gpkg")
    with monkeypatch.context() as patched:
        patched.setattr(charts, "moran_scatterplot", lambda *a, **k: pytest.fail("drawn unasked"))
        _lisa(run_algorithm, source, "memory:")
    plot = tmp_path / "plot.png"
    _lisa(run_algorithm, source, "memory:", SCATTERPLOT=str(plot))
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_a_layer_handed_over_by_qgis_has_plain_values_nulls_and_dates_as_text(qgis_app):
    """Feature iteration (``layers.source_table``, for every source not read from
    its file): NULL as None/NaN, dates as ISO text, numbers as numbers — the same
    frame as converting every value of every feature one by one."""
    from qgis.core import QgsFeature
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime

    from qgis_plugin import layers

    layer = QgsVectorLayer("None?field=I:integer&field=X:double&field=S:string&field=B:boolean"
                           "&field=D:date&field=T:datetime&field=N:integer", "t", "memory")
    features = []
    for number, row in enumerate([
            [1, 0.5, "a", True, QDate(2020, 1, 2), QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5)), 7],
            [None, None, None, None, None, None, 8],
            [3, 2.0, "c", False, QDate(2021, 12, 31), None, 9]]):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(row)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    table, geometries = layers.source_table(QgsProcessingFeatureSource(layer, QgsProcessingContext()))
    one_by_one = pd.DataFrame([[layers.python_value(v) for v in f.attributes()]
                               for f in layer.getFeatures()], columns=layer.fields().names())
    pd.testing.assert_frame_equal(table, one_by_one.infer_objects(), check_exact=True)
    assert geometries is None
    assert table["I"].tolist()[0] == 1 and np.isnan(table["I"].tolist()[1])
    def texts(column):  # NULL is None or NaN, as the pandas version stores missing text
        return [v if isinstance(v, str) else None for v in table[column]]

    assert table[["D", "T", "S"]].isna().sum().tolist() == [1, 2, 1]
    assert texts("D") == ["2020-01-02", None, "2021-12-31"]
    assert texts("T") == ["2020-01-02T03:04:05", None, None]
    assert table["N"].dtype == np.int64 and texts("S") == ["a", None, "c"]


@pytest.mark.parametrize("layout, usable", [((1, 6), False), ((1, 7), True), ((2, 0), True), (None, True)])
def test_pyogrio_is_used_in_qgis_only_where_its_proj_database_is_not_older(qgis_app, tmp_path,
                                                                          monkeypatch, layout, usable):
    """A pyogrio wheel points PROJ at its own proj.db on import; QGIS's PROJ
    refuses a database of an older layout than its own (QGIS 3.44 on Debian
    sid: layout 1.6 against 1.7), so files then go through QGIS."""
    import importlib.util
    import sqlite3
    from types import SimpleNamespace

    from qgis_plugin import file_layers

    def database(path, version):
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE metadata (key TEXT, value TEXT)")
            connection.executemany("INSERT INTO metadata VALUES (?, ?)", [
                ("DATABASE.LAYOUT.VERSION.MAJOR", str(version[0])),
                ("DATABASE.LAYOUT.VERSION.MINOR", str(version[1]))])
        return str(path)

    package = tmp_path / "pyogrio"
    (package / "proj_data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    if layout is not None:
        database(package / "proj_data" / "proj.db", layout)
    system = database(tmp_path / "share" / "proj" / "proj.db", (1, 7))
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name: SimpleNamespace(origin=str(package / "__init__.py")))
    monkeypatch.setattr(file_layers, "_qgis_proj_database", lambda: system)
    monkeypatch.setattr(file_layers, "_USABLE", [])
    assert file_layers.pyogrio_usable() is usable


def test_qgis_proj_database_is_on_qgis_search_path(qgis_app):
    from qgis_plugin import file_layers

    database = file_layers._qgis_proj_database()
    assert database is None or (os.path.isfile(database) and file_layers._layout(database) >= (1, 0))
