"""Parquet and GeoParquet as input and output of the tools (``ccd``), and
leading-zero codes found by the CSV reader's column check."""

import math

import numpy as np
import pandas as pd
import pytest

from toolbox import cli
from toolbox.tables import read_csv, read_layer

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _panel(tmp_path):
    path = tmp_path / "panel.parquet"
    table = pa.table({"CITY": ["a", "b", "a", "b"], "YEAR": [2020, 2020, 2021, 2021],
                      "U1": [0.25, 0.5, 0.3, 0.6], "U2": [1.0, 0.5, 0.3, 0.2]})
    pq.write_table(table, path)  # written by pyarrow itself, not by our writer
    return path


def test_parquet_panel_is_read_in_its_types(tmp_path):
    layer = read_layer(str(_panel(tmp_path)))
    assert layer.geometry is None
    assert list(layer.attributes.columns) == ["CITY", "YEAR", "U1", "U2"]
    assert layer.attributes["YEAR"].dtype == np.int64
    assert layer.attributes["U1"].tolist() == [0.25, 0.5, 0.3, 0.6]


def test_coupling_from_parquet_to_parquet(tmp_path):
    out = tmp_path / "out.parquet"
    assert cli.main(["--quiet", "couplingcoordination", "--input", str(_panel(tmp_path)),
                     "--system-fields", "U1", "U2", "--id-field", "CITY", "--year-field", "YEAR",
                     "--output", str(out)]) == 0
    result = pq.read_table(out).to_pandas()
    # 0.25 and 1: C = 2·sqrt(0.25)/1.25 = 0.8, T = 0.625, D = sqrt(0.5)
    assert result.loc[0, "C"] == pytest.approx(0.8)
    assert result.loc[0, "D"] == pytest.approx(math.sqrt(0.8 * 0.625))
    assert result.loc[2, "D"] == pytest.approx(math.sqrt(0.3))  # 0.3 and 0.3: C = 1


def _grid(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    from shapely.geometry import box

    cells = geopandas.GeoDataFrame(
        {"CELL": [1, 2, 3, 4]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)],
        crs="EPSG:3857")
    path = tmp_path / "cells.geoparquet"
    cells.to_parquet(path)
    return path, cells


def test_geoparquet_weights_and_neighbour_layer(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    source, cells = _grid(tmp_path)
    gal, counts = tmp_path / "w.gal", tmp_path / "n.geoparquet"
    assert cli.main(["--quiet", "spatialweights", "--input", str(source), "--id-field", "CELL",
                     "--type", "rook", "--output", str(gal), "--neighbours", str(counts)]) == 0
    lines = gal.read_text().split("\n")
    # a 2×2 grid: every cell shares an edge with two others (1: 2 and 3)
    assert lines[1:3] == ["1 2", "2 3"]
    written = geopandas.read_parquet(counts)
    assert written["NEIGHBOURS"].tolist() == [2, 2, 2, 2]
    assert written.crs.to_epsg() == 3857
    assert [g.bounds for g in written.geometry] == [g.bounds for g in cells.geometry]


def test_not_a_parquet_file_is_an_io_error(tmp_path, capsys):
    bad = tmp_path / "bad.parquet"
    bad.write_text("CITY,U1\na,1\n")
    code = cli.main(["couplingcoordination", "--input", str(bad), "--system-fields", "U1", "U2",
                     "--output", str(tmp_path / "o.csv")])
    assert code == cli.EXIT_IO
    assert "not a valid Parquet file" in capsys.readouterr().err


def test_leading_zero_codes_with_a_null_stay_text(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("CODE,YEAR,V\n001,2020,0.5\n,2020,1.5\n010,2021,2\n")
    table = read_csv(str(path))
    assert table["CODE"].tolist()[0::2] == ["001", "010"] and pd.isna(table["CODE"][1])
    assert table["YEAR"].tolist() == [2020, 2020, 2021]
    assert table["V"].tolist() == [0.5, 1.5, 2.0]
