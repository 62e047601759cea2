"""GeoDa .gal text of spatial weights, written by hand for a small layout."""

import scipy.sparse as sp

from spatial.weights import SpatialWeights, weights_from_gal


def test_gal_text_lists_each_unit_and_its_neighbours_with_an_empty_line_for_an_island():
    # a - b - c in a row, d alone
    m = sp.csr_matrix(([1, 1, 1, 1], ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(4, 4))
    w = SpatialWeights(["a", "b", "c", "d"], m, "queen", params={"layer": "cities",
                                                                  "id_field": "CODE"})
    assert w.to_gal() == "0 4 cities CODE\na 1\nb\nb 2\na c\nc 1\nb\nd 0\n\n"
    back = weights_from_gal(w.to_gal())
    assert back.ids == ["a", "b", "c", "d"]
    assert (back.original != w.original).nnz == 0
    assert back.islands == ["d"]
