"""toolbox.geopackage.write_layers against one classic pyogrio write per layer."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from toolbox.geopackage import write_layers


def _layers():
    squares = [shapely.box(x, 0, x + 1, 1) for x in range(4)]
    return [
        ("units", gpd.GeoDataFrame({"ID": ["a", "b", "c", "d"], "N": [1, 2, 3, 4]},
                                   geometry=squares, crs="EPSG:3857")),
        ("results", pd.DataFrame({
            "ID": ["a", "b", "c", "d"], "YEAR": np.array([2011, 2011, 2012, 2012], dtype="int64"),
            "D": [0.1, np.nan, 1e-300, 0.123456789012345678], "FLAG": [True, False, True, False],
            "TIER": pd.array([0, None, 2, 1], dtype="Int64"), "NAME": ["甲", None, "丙", "丁"]})),
        ("empty", pd.DataFrame({"X": pd.Series([], dtype="float64"), "S": pd.Series([], dtype=object)})),
        # a column of mixed types: not taken by the Arrow path, written by the classic writer
        ("mixed", pd.DataFrame({"A": [1, "x", None], "B": [1.5, np.nan, 2.0]})),
    ]


def _read(path, name):
    info = pyogrio.read_info(path, layer=name)
    frame = pyogrio.read_dataframe(path, layer=name)
    return info, frame


def test_layers_read_back_as_from_the_classic_writer(tmp_path):
    classic, ours = str(tmp_path / "classic.gpkg"), str(tmp_path / "ours.gpkg")
    for name, table in _layers():
        try:
            pyogrio.write_dataframe(table, classic, layer=name, driver="GPKG")
        except Exception:
            pytest.fail(f"the classic writer refused layer {name}")
    write_layers(ours, _layers())
    assert pyogrio.list_layers(ours).tolist() == pyogrio.list_layers(classic).tolist()
    for name, _ in _layers():
        (info_a, a), (info_b, b) = _read(classic, name), _read(ours, name)
        for key in ("fields", "dtypes"):
            assert list(info_b[key]) == list(info_a[key]), (name, key)
        for key in ("geometry_type", "crs", "features"):
            assert info_b[key] == info_a[key], (name, key)
        if "geometry" in a:
            assert b.geometry.geom_equals_exact(a.geometry, 0).all()
            a, b = pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
        pd.testing.assert_frame_equal(b, a, check_exact=True)
    results = pyogrio.read_dataframe(ours, layer="results")
    assert results["D"].iloc[3] == 0.123456789012345678 and results["D"].iloc[2] == 1e-300
    assert results["NAME"].tolist()[0] == "甲"


def test_gdal_configuration_is_restored_and_inputs_unchanged(tmp_path):
    layers = _layers()
    copies = [(name, table.copy()) for name, table in layers]
    before = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    write_layers(str(tmp_path / "out.gpkg"), layers)
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") == before
    for (_, table), (_, copy) in zip(layers, copies):
        pd.testing.assert_frame_equal(table, copy)


def test_a_layer_written_again_is_replaced_as_by_the_classic_writer(tmp_path):
    classic, ours = str(tmp_path / "classic.gpkg"), str(tmp_path / "ours.gpkg")
    for table in (pd.DataFrame({"X": [1.0]}), pd.DataFrame({"X": [2.0, 3.0]})):
        pyogrio.write_dataframe(table, classic, layer="t", driver="GPKG")
        write_layers(ours, [("t", table)])
    assert pyogrio.read_dataframe(classic, layer="t")["X"].tolist() == [2.0, 3.0]
    assert pyogrio.read_dataframe(ours, layer="t")["X"].tolist() == [2.0, 3.0]
    assert pyogrio.list_layers(ours).tolist() == pyogrio.list_layers(classic).tolist()


def test_detailed_polygons_take_the_classic_writer_and_read_back_the_same(tmp_path):
    from toolbox import geopackage

    fine = shapely.segmentize(shapely.box(0, 0, 1, 1), 1.0 / 1000)  # 4,001 vertices
    table = gpd.GeoDataFrame({"ID": ["a", "b"]}, geometry=[fine, shapely.box(2, 0, 3, 1)], crs="EPSG:3857")
    assert geopackage._detailed(table) and not geopackage._detailed(pd.DataFrame({"X": [1]}))
    write_layers(str(tmp_path / "ours.gpkg"), [("fine", table)])
    back = pyogrio.read_dataframe(str(tmp_path / "ours.gpkg"), layer="fine")
    assert back.geometry.geom_equals_exact(table.geometry, 0).all()


def _indexed_layer(rows=10, batch=None):
    """Units and their rows in another order, a unit repeated per year; every column kind."""
    units = gpd.GeoSeries([shapely.box(x, 0, x + 1, 1) for x in range(4)], crs="EPSG:3857")
    index = np.array([3, 0, 1, 2] * (rows // 4 + 1))[:rows]
    attributes = pd.DataFrame({
        "ID": np.array(["d", "a", "b", "c"])[[0, 1, 2, 3] * (rows // 4 + 1)][:rows],
        "YEAR": np.arange(rows, dtype="int64"),
        "D": np.where(np.arange(rows) % 3 == 0, np.nan, np.linspace(-1, 1e-300, rows)),
        "FLAG": np.arange(rows) % 2 == 0,
        "TIER": pd.array([None if i % 4 == 0 else i for i in range(rows)], dtype="Int64"),
        "NAME": [None if i < 5 else "甲乙" for i in range(rows)],  # first batch of nulls, text after
        "NONE": [None] * rows,
        "LEVEL": pd.Categorical(["low", "high", None, "low"] * (rows // 4 + 1))[:rows],
        "TEXT": pd.array(["x", None] * (rows // 2), dtype="string"),
    })
    from toolbox.geopackage import IndexedLayer

    return IndexedLayer(attributes, units, index)


def test_an_indexed_layer_reads_back_as_its_whole_geodataframe(tmp_path, monkeypatch):
    from toolbox import geopackage

    monkeypatch.setattr(geopackage, "BATCH_ROWS", 4)  # several batches, the first all-null NAME
    layer = _indexed_layer(rows=10)
    whole = layer.whole()
    assert whole.geometry.iloc[0].equals(shapely.box(3, 0, 4, 1))
    classic, ours = str(tmp_path / "classic.gpkg"), str(tmp_path / "ours.gpkg")
    pyogrio.write_dataframe(whole, classic, layer="results", driver="GPKG")
    before = layer.attributes.copy()
    write_layers(ours, [("results", layer)])
    pd.testing.assert_frame_equal(layer.attributes, before)
    assert geopackage._write_indexed(pyogrio, str(tmp_path / "direct.gpkg"), "results", layer)  # the stream
    (info_a, a), (info_b, b) = _read(classic, "results"), _read(ours, "results")
    for key in ("fields", "dtypes"):
        assert list(info_b[key]) == list(info_a[key]), key
    for key in ("geometry_type", "crs", "features", "geometry_name"):
        assert info_b.get(key) == info_a.get(key), key
    assert b.geometry.geom_equals_exact(a.geometry, 0).all()
    assert b.geometry.iloc[5].equals(shapely.box(0, 0, 1, 1))
    pd.testing.assert_frame_equal(pd.DataFrame(b.drop(columns="geometry")),
                                  pd.DataFrame(a.drop(columns="geometry")), check_exact=True)
    assert pyogrio.read_bounds(ours)[1].tolist() == pyogrio.read_bounds(classic)[1].tolist()


def test_indexed_layers_the_stream_does_not_take_are_written_whole(tmp_path):
    from toolbox.geopackage import IndexedLayer

    mixed = gpd.GeoSeries([shapely.box(0, 0, 1, 1), shapely.MultiPolygon([shapely.box(2, 0, 3, 1)])],
                          crs="EPSG:4326")
    cases = [IndexedLayer(pd.DataFrame({"ID": ["a", "b", "a"]}), mixed, np.array([0, 1, 0])),
             IndexedLayer(pd.DataFrame({"ID": ["a", "z"]}), mixed, np.array([0, -1])),
             IndexedLayer(pd.DataFrame({"W": pd.to_datetime(["2020-01-01", "2021-01-01"])}), mixed,
                          np.array([0, 0]))]
    for number, layer in enumerate(cases):
        classic, ours = str(tmp_path / f"classic{number}.gpkg"), str(tmp_path / f"ours{number}.gpkg")
        pyogrio.write_dataframe(layer.whole(), classic, layer="r", driver="GPKG")
        write_layers(ours, [("r", layer)])
        (info_a, a), (info_b, b) = _read(classic, "r"), _read(ours, "r")
        assert info_b["geometry_type"] == info_a["geometry_type"]
        assert list(info_b["dtypes"]) == list(info_a["dtypes"])
        assert b.geometry.to_wkb().equals(a.geometry.to_wkb())


def test_an_indexed_layer_is_written_whole_where_arrow_writing_fails(tmp_path, monkeypatch):
    layer = _indexed_layer(rows=8)
    classic, ours = str(tmp_path / "classic.gpkg"), str(tmp_path / "ours.gpkg")
    pyogrio.write_dataframe(layer.whole(), classic, layer="results", driver="GPKG")
    real = pyogrio.write_arrow

    def failing(stream, path, **options):  # writes part of the layer, then fails as an old GDAL would
        real(pa_table_of_first_row(stream), path, **options)
        raise RuntimeError("GDAL >= 3.8 required")

    def pa_table_of_first_row(stream):
        import pyarrow as pa

        return pa.Table.from_batches([next(iter(stream))]).slice(0, 1)

    monkeypatch.setattr(pyogrio, "write_arrow", failing)
    write_layers(ours, [("results", layer)])
    (info_a, a), (info_b, b) = _read(classic, "results"), _read(ours, "results")
    assert info_b["features"] == info_a["features"] == 8
    assert list(info_b["dtypes"]) == list(info_a["dtypes"])
    assert b.geometry.geom_equals_exact(a.geometry, 0).all()


def test_long_tables_streamed_in_batches_read_back_as_from_the_classic_writer(tmp_path, monkeypatch):
    from toolbox import geopackage

    monkeypatch.setattr(geopackage, "BATCH_ROWS", 2)  # the 4-row tables in batches, "empty" whole
    assert geopackage._long_table(_layers()[1][1]) and not geopackage._long_table(_layers()[3][1])
    geopackage._write_stream(pyogrio, str(tmp_path / "direct.gpkg"), "results", _layers()[1][1])
    assert pyogrio.read_info(str(tmp_path / "direct.gpkg"), layer="results")["features"] == 4
    test_layers_read_back_as_from_the_classic_writer(tmp_path)
