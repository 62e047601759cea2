"""Spatial tools on a 3 × 3 grid whose weights and statistics are computed by hand."""

import io

import numpy as np
import pandas as pd
import pytest

geopandas = pytest.importorskip("geopandas")
from shapely.geometry import box  # noqa: E402

from spatial.errors import InputError  # noqa: E402
from toolbox import cli  # noqa: E402
from toolbox.tool import RecordingFeedback as Recorder  # noqa: E402
from toolbox.tools import tool  # noqa: E402

VALUES = {2020: [9, 8, 1, 7, 6, 2, 3, 1, 0], 2021: [5, 6, 1, 9, 4, 2, 3, 2, 8]}


def grid():
    cells = [(r, c) for r in range(3) for c in range(3)]
    return geopandas.GeoDataFrame(
        {"UNIT": [f"r{r}c{c}" for r, c in cells]},
        geometry=[box(c * 1000, r * 1000, (c + 1) * 1000, (r + 1) * 1000) for r, c in cells],
        crs="EPSG:3857")


def panel():
    rows = [(f"r{i // 3}c{i % 3}", year, float(v)) for year, vs in VALUES.items() for i, v in enumerate(vs)]
    return pd.DataFrame(rows, columns=["UNIT", "YEAR", "V"])


def queen_row_standardised():
    w = np.zeros((9, 9))
    for i in range(9):
        for j in range(9):
            if i != j and abs(i // 3 - j // 3) <= 1 and abs(i % 3 - j % 3) <= 1:
                w[i, j] = 1
    return w / w.sum(axis=1, keepdims=True)


def moran(y, w):
    z = np.asarray(y, float) - np.mean(y)
    return len(z) / w.sum() * (z @ w @ z) / (z @ z)


def common(**values):
    return {"INPUT": panel(), "POLYGONS": grid(), "ID_FIELD": "UNIT", "YEAR_FIELD": "YEAR",
            "VALUE_FIELD": "V", "WEIGHTS_TYPE": "queen", "K": 4, "KERNEL": "triangular",
            "TRANSFORM": "r", "SEED": 1, **values}


def test_global_moran_equals_the_formula_every_year():
    out = tool("globalmoran").run(common(PERMUTATIONS=99), Recorder())["OUTPUT"]
    w = queen_row_standardised()
    assert out["YEAR"].tolist() == [2020, 2021]
    for year, row in zip(VALUES, out.itertuples()):
        assert row.I == pytest.approx(moran(VALUES[year], w), abs=1e-12)
        assert row.EI == pytest.approx(-1 / 8)
        assert 0 < row.P_SIM <= 1
    independent = tool("globalmoran").run(common(PERMUTATIONS=99, DRAWS="independent"), Recorder())["OUTPUT"]
    assert independent["I"].tolist() == out["I"].tolist()
    assert ((independent["P_SIM"] > 0) & (independent["P_SIM"] <= 1)).all()


def test_local_moran_values_geometry_and_scatterplot():
    result = tool("localmoran").run(common(PERMUTATIONS=199, SIGNIFICANCE=0.05, CORRECTION="none"),
                                    Recorder())
    out = result["OUTPUT"]
    w = queen_row_standardised()
    y = np.array(VALUES[2020], float)
    z = (y - y.mean()) / y.std()
    expected = (9 - 1) * z * (w @ z) / (z @ z)      # esda's local I
    first = out[out["YEAR"] == 2020]
    np.testing.assert_allclose(first["LISA_I"].to_numpy(), expected, atol=1e-12)
    assert set(out["CLUSTER"]) <= {"HH", "LL", "LH", "HL", "NS", "ISOLATED"}
    assert first.index.tolist() == list(range(9))      # rows of the polygon layer
    assert result["SCATTERPLOT"][:8] == b"\x89PNG\r\n\x1a\n"


def test_local_moran_geopackage_output_keeps_polygons(tmp_path):
    polygons = tmp_path / "grid.gpkg"
    grid().to_file(polygons)
    table = tmp_path / "panel.csv"
    panel().to_csv(table, index=False)
    out = tmp_path / "lisa.gpkg"
    code = cli.main(["--quiet", "localmoran", "--input", str(table), "--polygons", str(polygons),
                     "--id-field", "UNIT", "--year-field", "YEAR", "--value-field", "V",
                     "--permutations", "99", "--output", str(out)])
    assert code == 0
    layer = geopandas.read_file(out)
    assert len(layer) == 18
    assert layer.geometry.iloc[4].equals(grid().geometry.iloc[4])


def test_isolated_unit_is_reported_and_labelled():
    polygons = grid()
    polygons.loc[9] = ["far", box(90000, 90000, 91000, 91000)]
    table = pd.concat([panel(), pd.DataFrame({"UNIT": ["far", "far"], "YEAR": [2020, 2021],
                                              "V": [3.0, 4.0]})], ignore_index=True)
    feedback = Recorder()
    out = tool("localmoran").run(common(INPUT=table, POLYGONS=polygons, PERMUTATIONS=99,
                                        SIGNIFICANCE=0.05, CORRECTION="fdr"), feedback)["OUTPUT"]
    assert (out.loc[out["UNIT"] == "far", "CLUSTER"] == "ISOLATED").all()
    assert any("far" in m and "neighbours" in m for m in feedback.messages)


def test_distance_band_on_a_geographic_crs_is_refused():
    polygons = grid().to_crs("EPSG:4326")
    with pytest.raises(InputError, match="projected"):
        tool("globalmoran").run(common(POLYGONS=polygons, WEIGHTS_TYPE="distance", THRESHOLD=1500,
                                       PERMUTATIONS=0), Recorder())


def test_ids_in_the_table_but_not_in_the_polygons_are_named():
    table = pd.concat([panel(), pd.DataFrame({"UNIT": ["ghost"], "YEAR": [2020], "V": [1.0]})],
                      ignore_index=True)
    with pytest.raises(InputError, match="ghost"):
        tool("globalmoran").run(common(INPUT=table, PERMUTATIONS=0), Recorder())


def test_spatial_weights_gal_round_trip():
    result = tool("spatialweights").run(
        {"INPUT": grid(), "ID_FIELD": "UNIT", "TYPE": "rook", "K": 4, "KERNEL": "triangular",
         "TRANSFORM": "r"}, Recorder())
    lines = io.StringIO(result["OUTPUT"]).read().splitlines()
    assert lines[0].split()[1] == "9"
    neighbours = dict(zip(lines[1::2], lines[2::2]))
    assert sorted(neighbours["r1c1 4"].split()) == ["r0c1", "r1c0", "r1c2", "r2c1"]
    assert result["NEIGHBOURS"]["NEIGHBOURS"].tolist() == [2, 3, 2, 3, 4, 3, 2, 3, 2]


def test_spatial_markov_counts_transitions():
    table = panel()
    table["TIER"] = (table["V"] >= 5).astype(int)
    result = tool("spatialmarkov").run(common(INPUT=table, METHOD="spatial", TIER_FIELD="TIER",
                                              VALUE_FIELD=None, CLASSES=4), Recorder())
    pooled = result["TRANSITIONS"]
    pooled = pooled[pooled["CONDITION"] == "ALL"].set_index(["FROM", "TO"])["COUNT"]
    tiers = table.pivot(index="UNIT", columns="YEAR", values="TIER")
    for a in (0, 1):
        for b in (0, 1):
            assert pooled[(a, b)] == ((tiers[2020] == a) & (tiers[2021] == b)).sum()
    assert set(result["TESTS"]["TEST"]) >= {"Q", "LR"}


def test_weights_file_built_on_more_units_than_the_table(tmp_path):
    gal = tmp_path / "grid.gal"
    gal.write_text(tool("spatialweights").run(
        {"INPUT": grid(), "ID_FIELD": "UNIT", "TYPE": "queen", "K": 4, "KERNEL": "triangular",
         "TRANSFORM": "r"}, Recorder())["OUTPUT"])
    table = panel()
    table = table[table["UNIT"] != "r2c2"]       # one unit has no data
    feedback = Recorder()
    out = tool("globalmoran").run(common(INPUT=table, WEIGHTS_FILE=str(gal), PERMUTATIONS=0),
                                  feedback)["OUTPUT"]
    w = queen_row_standardised()[:8, :8]
    w = w / w.sum(axis=1, keepdims=True)            # r2c2 dropped, rows standardised again
    assert out["I"].iloc[0] == pytest.approx(moran(VALUES[2020][:8], w), abs=1e-12)
    assert any("r2c2" in m for m in feedback.messages)


def test_threads_do_not_change_the_results():
    one = tool("localmoran").run(common(PERMUTATIONS=199, SIGNIFICANCE=0.05, CORRECTION="none",
                                        THREADS=1), Recorder())["OUTPUT"]
    two = tool("localmoran").run(common(PERMUTATIONS=199, SIGNIFICANCE=0.05, CORRECTION="none",
                                        THREADS=2), Recorder())["OUTPUT"]
    pd.testing.assert_frame_equal(one, two)


def test_threads_default_to_one_per_core(monkeypatch):
    """THREADS 0 (the default) runs the permutation blocks on every core the
    process may use; the numbers equal those of one thread."""
    from spatial import permutation
    from toolbox.tools.spatial import permutation_threads

    assert tool("localmoran").parameter("THREADS").default == 0
    assert permutation_threads({}) == permutation_threads({"THREADS": 0}) == -1
    assert permutation_threads({"THREADS": 3}) == 3
    workers = []
    real_pool = permutation.ThreadPoolExecutor

    def pool(max_workers):
        workers.append(max_workers)
        return real_pool(max_workers=max_workers)

    monkeypatch.setattr(permutation, "ThreadPoolExecutor", pool)
    monkeypatch.setattr(permutation, "usable_cores", lambda: 2)
    default = tool("localmoran").run(common(PERMUTATIONS=199, SIGNIFICANCE=0.05, CORRECTION="none"),
                                     Recorder())["OUTPUT"]
    assert workers and set(workers) == {2}  # one pool per year
    one = tool("localmoran").run(common(PERMUTATIONS=199, SIGNIFICANCE=0.05, CORRECTION="none",
                                        THREADS=1), Recorder())["OUTPUT"]
    pd.testing.assert_frame_equal(default, one)


def test_weights_built_once_per_content(monkeypatch):
    """The steps of a study ask for the same weights again: built once, by content."""
    import geopandas as gpd
    from shapely.geometry import box

    from toolbox.tools import spatial as spatial_tools

    def grid(shift=0.0):
        return gpd.GeoDataFrame({"ID": [f"u{i}" for i in range(9)]},
                                geometry=[box(i % 3 + shift, i // 3, i % 3 + 1 + shift, i // 3 + 1)
                                          for i in range(9)], crs="EPSG:3857")

    options = dict(kind="rook", k=4, threshold=None, bandwidth=None, kernel="triangular",
                   transform="r", reproject_to=None)
    spatial_tools._BUILT.clear()
    built = []
    real_build = spatial_tools.build_weights

    def counted(*args, **kwargs):
        built.append(args[2])
        return real_build(*args, **kwargs)

    monkeypatch.setattr(spatial_tools, "build_weights", counted)
    first = spatial_tools._built_weights(grid(), "ID", dict(options))
    again = spatial_tools._built_weights(grid(), "ID", dict(options))  # another object, same content
    assert built == ["rook"]
    assert first.original[4].nnz == 4 and first.original[0].nnz == 2  # rook on a 3 x 3 grid, by hand
    assert again is not first and again.neighbors() == first.neighbors()
    # each caller gets its own copy: altering one leaves the next untouched
    first.transformed.data[:] = 99.0
    first.notes.append("changed by a caller")
    first.ids[0] = "changed"
    third = spatial_tools._built_weights(grid(), "ID", dict(options))
    assert third.ids[0] == "u0" and "changed by a caller" not in third.notes
    assert not np.shares_memory(first.original.indices, third.original.indices)
    np.testing.assert_allclose(third.sparse.sum(axis=1).A1, 1.0)  # row-standardised
    # options contiguity ignores (a TARGET_CRS, k) and another transform: built once still
    binary = spatial_tools._built_weights(grid(), "ID", {**options, "reproject_to": 32650, "k": 8,
                                                          "transform": "b"})
    assert built == ["rook"] and binary.transform == "b"
    np.testing.assert_array_equal(binary.sparse.sum(axis=1).A1, [2, 3, 2, 3, 4, 3, 2, 3, 2])
    assert again.transform == "r"
    queen = spatial_tools._built_weights(grid(), "ID", {**options, "kind": "queen"})
    assert queen.original[4].nnz == 8 and built == ["rook", "queen"]
    renamed = grid()
    renamed["ID"] = [f"v{i}" for i in range(9)]  # same polygons, other ids
    assert spatial_tools._built_weights(renamed, "ID", dict(options)).ids[0] == "v0"
    assert built == ["rook", "queen", "rook"]
    # k-nearest depends on k and on the CRS it measures in: each asks for its own
    for extra in ({"k": 2}, {"k": 3}, {"k": 2, "reproject_to": 32650}, {"k": 2, "transform": "b"}):
        spatial_tools._built_weights(grid(), "ID", {**options, "kind": "knn", **extra})
    assert built == ["rook", "queen", "rook", "knn", "knn", "knn"]
    moved = grid()
    moved.geometry = moved.geometry.translate(0.0, 0.0).set_crs(3857, allow_override=True)
    moved.loc[8, "geometry"] = box(10, 10, 11, 11)  # the corner cell leaves: no neighbours
    detached = spatial_tools._built_weights(moved, "ID", dict(options))
    assert detached is not first and detached.islands == ["u8"]
