"""A new GeoPackage is written through GDAL's Arrow interface: the same layer
as pyogrio's row-by-row writer gives, and the row-by-row writer where the
Arrow path refuses a column."""

import geopandas
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from toolbox.tables import Layer, write_table

pytest.importorskip("pyarrow")


def _layer():
    geometry = geopandas.GeoSeries([box(i, 0, i + 1, 1) for i in range(4)], crs="EPSG:3857")
    return Layer(pd.DataFrame({"ID": [1, 2, 3, 4]}), geometry, geometry.crs)


def _classic(table, layer, path):
    frame = geopandas.GeoDataFrame(table.reset_index(drop=True),
                                   geometry=layer.geometry.take(table.index.to_numpy()).to_numpy(),
                                   crs=layer.crs)
    pyogrio.write_dataframe(frame, path, driver="GPKG", layer="out", use_arrow=False)
    return pyogrio.read_dataframe(path)


def test_new_geopackage_equals_the_row_by_row_writer(tmp_path):
    table = pd.DataFrame({"ID": [3, 1], "V": [0.5, None], "CLUSTER": ["HH", "NS"], "N": [7, 8]},
                         index=[2, 0])
    layer = _layer()
    write_table(table, str(tmp_path / "out.gpkg"), layer=layer, geometry=True)
    ours = pyogrio.read_dataframe(tmp_path / "out.gpkg")
    expected = _classic(table, layer, tmp_path / "classic.gpkg")
    pd.testing.assert_frame_equal(pd.DataFrame(ours.drop(columns="geometry")),
                                  pd.DataFrame(expected.drop(columns="geometry")))
    assert [g.bounds for g in ours.geometry] == [(2, 0, 3, 1), (0, 0, 1, 1)]
    assert ours.crs.to_epsg() == 3857
    assert pyogrio.read_info(tmp_path / "out.gpkg")["dtypes"].tolist() == \
        pyogrio.read_info(tmp_path / "classic.gpkg")["dtypes"].tolist()


def test_a_column_arrow_refuses_is_written_row_by_row(tmp_path):
    table = pd.DataFrame({"ID": [1, 2], "MIXED": pd.Series([1, "a"], dtype=object)})
    layer = _layer()
    write_table(table, str(tmp_path / "out.gpkg"), layer=layer, geometry=True)
    ours = pyogrio.read_dataframe(tmp_path / "out.gpkg")
    expected = _classic(table, layer, tmp_path / "classic.gpkg")
    assert ours["MIXED"].tolist() == expected["MIXED"].tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classic.gpkg", "out.gpkg"]
