"""Spatial weights: contiguity equal to libpysal, islands, CRS checks, repairs, GAL/GWT."""

import warnings

import geopandas as gpd
import libpysal
import numpy as np
import pytest
import shapely
from libpysal.examples import get_path

from spatial import weights as W
from spatial.errors import InputError

warnings.filterwarnings("ignore", message=".*(island|disconnected).*")


def _layer(name):
    g = gpd.read_file(get_path(name))
    g["UID"] = np.arange(len(g)) * 10 + 7  # ids unlike positions
    return g


def _grid(side, crs=3857):
    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    xs, ys = xs.ravel(), ys.ravel()
    return gpd.GeoDataFrame({"id": [f"c{i}" for i in range(side * side)]},
                            geometry=shapely.box(xs, ys, xs + 1, ys + 1), crs=crs)


@pytest.mark.parametrize("name", ["us48.shp", "mexicojoin.shp", "columbus.shp", "sids2.shp", "10740.shp"])
@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_contiguity_equals_libpysal(name, kind):
    g = _layer(name)
    mine = W.build_weights(g, "UID", kind).neighbors()
    cls = libpysal.weights.Queen if kind == "queen" else libpysal.weights.Rook
    ref = cls.from_dataframe(g, ids=list(g["UID"]))
    assert set(mine) == set(ref.neighbors)
    for uid in mine:
        assert set(mine[uid]) == set(ref.neighbors[uid]), uid


def test_grid_queen_and_rook_counts():
    w = W.build_weights(_grid(5), "id", "queen")
    card = dict(zip(w.ids, w.cardinalities))
    assert card["c0"] == 3 and card["c12"] == 8 and card["c2"] == 5
    r = W.build_weights(_grid(5), "id", "rook")
    assert dict(zip(r.ids, r.cardinalities))["c12"] == 4


def test_row_standardised_and_lag():
    g = _grid(4)
    w = W.build_weights(g, "id", "queen")
    np.testing.assert_allclose(np.asarray(w.sparse.sum(axis=1)).ravel(), 1.0)
    y = np.arange(16.0)
    lag = W.spatial_lag(w, y)
    nb = w.neighbors()
    expected = [np.mean([y[w.ids.index(j)] for j in nb[i]]) for i in w.ids]
    np.testing.assert_allclose(lag, expected)
    assert W.build_weights(g, "id", "queen", transform="b").sparse.max() == 1.0


def test_islands_reported_not_crashing():
    g = _grid(3)
    g = gpd.GeoDataFrame(
        {"id": list(g["id"]) + ["far"]},
        geometry=list(g.geometry) + [shapely.box(100, 100, 101, 101)], crs=3857,
    )
    w = W.build_weights(g, "id", "queen")
    assert w.islands == ["far"]
    assert any("far" in note for note in w.notes)
    assert w.sparse[w.ids.index("far")].sum() == 0


def test_distance_on_geographic_crs_refused_with_hint():
    g = _layer("us48.shp").set_crs(4326, allow_override=True)
    for kind, kw in [("distance", {"threshold": 5.0}), ("knn", {"k": 4}), ("kernel", {"k": 5})]:
        with pytest.raises(InputError, match="projected CRS"):
            W.build_weights(g, "UID", kind, **kw)
    w = W.build_weights(g, "UID", "knn", k=4, reproject_to=5070)
    assert (w.cardinalities == 4).all()
    assert any("reprojected" in note for note in w.notes)


def test_knn_distance_kernel_equal_libpysal():
    g = _layer("columbus.shp")
    pts = np.column_stack([g.geometry.centroid.x, g.geometry.centroid.y])
    w = W.build_weights(g, "UID", "knn", k=3)
    ref = libpysal.weights.KNN(pts, k=3)
    for i, uid in enumerate(g["UID"]):
        assert set(w.neighbors()[uid]) == {g["UID"][j] for j in ref.neighbors[i]}
    wd = W.build_weights(g, "UID", "distance", threshold=1.0)
    refd = libpysal.weights.DistanceBand(pts, threshold=1.0, silence_warnings=True)
    assert sorted(wd.cardinalities) == sorted(refd.cardinalities.values())
    wk = W.build_weights(g, "UID", "kernel", k=5, transform="b")
    refk = libpysal.weights.Kernel(pts, k=5, function="triangular")
    dense = refk.full()[0]
    np.fill_diagonal(dense, 0)
    np.testing.assert_allclose(wk.original.toarray(), dense)


def test_invalid_bowtie_repaired_and_multipolygon():
    g = _grid(3)
    geoms = list(g.geometry)
    geoms[4] = shapely.Polygon([(1, 1), (2, 2), (2, 1), (1, 2), (1, 1)])  # bow-tie
    geoms[0] = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(10, 10, 11, 11)])
    g2 = gpd.GeoDataFrame({"id": g["id"]}, geometry=geoms, crs=3857)
    before = g2.copy()
    w = W.build_weights(g2, "id", "queen")
    assert w.repaired == ["c4"]
    assert "c4" in w.neighbors()["c0"]
    assert set(w.neighbors()["c4"]) == {"c0", "c1", "c2", "c3", "c5", "c6", "c7", "c8"}
    # caller's layer untouched (compared as WKB: GEOS 3.11's topological equals is False for an
    # invalid geometry even against itself)
    assert g2.geometry.iloc[4].wkb == before.geometry.iloc[4].wkb


def test_bad_inputs_name_the_culprit():
    g = _grid(3)
    with pytest.raises(InputError, match="at least 3"):
        W.build_weights(g.iloc[:2], "id", "queen")
    with pytest.raises(InputError, match="'nope'"):
        W.build_weights(g, "nope", "queen")
    dup = g.copy()
    dup.loc[1, "id"] = "c0"
    with pytest.raises(InputError, match="c0"):
        W.build_weights(dup, "id", "queen")
    with pytest.raises(InputError, match="hexagonal"):
        W.build_weights(g, "id", "hexagonal")
    with pytest.raises(InputError, match="threshold"):
        W.build_weights(g, "id", "distance")
    empty = g.copy()
    empty.loc[2, "geometry"] = None
    with pytest.raises(InputError, match="c2"):
        W.build_weights(empty, "id", "queen")


def test_gal_gwt_roundtrip_and_libpysal_reads(tmp_path):
    g = _layer("columbus.shp")
    w = W.build_weights(g, "UID", "queen")
    gal = w.to_gal()
    back = W.weights_from_gal(gal, ids=list(g["UID"]))
    assert back.neighbors() == w.neighbors()
    p = tmp_path / "c.gal"
    p.write_text(gal)
    ref = libpysal.io.open(str(p)).read()
    assert {int(k): {int(v) for v in vs} for k, vs in ref.neighbors.items()} == {
        k: set(vs) for k, vs in w.neighbors().items()}
    wk = W.build_weights(g, "UID", "kernel", k=4, transform="b")
    gwt = wk.to_gwt()
    back = W.weights_from_gwt(gwt, ids=list(g["UID"]), transform="b")
    np.testing.assert_allclose(back.original.toarray(), wk.original.toarray())
    p = tmp_path / "c.gwt"
    p.write_text(gwt)
    ref = libpysal.io.open(str(p)).read()
    assert ref.n == wk.n


def test_to_libpysal_matches():
    g = _layer("us48.shp")
    w = W.build_weights(g, "UID", "queen")
    lw = w.to_libpysal()
    np.testing.assert_allclose(lw.sparse.toarray(), w.sparse.toarray())
    assert lw.id_order == w.ids
