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
