"""In QGIS every failure is a QgsProcessingException with the command line's message
(toolbox.failures.explain), never a Python traceback in the dialog; file outputs
are written atomically."""

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

pytestmark = pytest.mark.qgis


def grid(years=(2020, 2021)):
    layer = QgsVectorLayer("Polygon?crs=EPSG:3857&field=UNIT:string&field=YEAR:integer&field=V:double",
                           "grid", "memory")
    features = []
    for year in years:
        for i in range(9):
            r, c = divmod(i, 3)
            feature = QgsFeature(layer.fields())
            feature.setAttributes([f"u{i}", year, float((i * 7 + year) % 5)])
            feature.setGeometry(QgsGeometry.fromWkt(
                f"POLYGON(({c} {r},{c + 1} {r},{c + 1} {r + 1},{c} {r + 1},{c} {r}))"))
            features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def moran(layer, **more):
    return {"INPUT": layer, "ID_FIELD": "UNIT", "YEAR_FIELD": "YEAR", "VALUE_FIELD": "V",
            "PERMUTATIONS": 99, "OUTPUT": "memory:", **more}


def test_malformed_gal_names_the_file_and_line(run_algorithm, tmp_path):
    gal = tmp_path / "broken.gal"
    gal.write_text("0 9 grid UNIT\nu0 2\nu1\n")
    with pytest.raises(QgsProcessingException, match=r"broken\.gal.*line 3.*2 neighbour"):
        run_algorithm("ccd:globalmoran", moran(grid(), WEIGHTS_FILE=str(gal)))


def test_binary_weights_file_is_named(run_algorithm, tmp_path):
    gal = tmp_path / "binary.gal"
    gal.write_bytes(bytes(range(256)))
    with pytest.raises(QgsProcessingException, match=r"binary\.gal.*not a text file"):
        run_algorithm("ccd:globalmoran", moran(grid(), WEIGHTS_FILE=str(gal)))


def test_unexpected_error_is_one_line_pointing_at_the_log(run_algorithm, monkeypatch):
    from toolbox.tools import tool

    kind = type(tool("globalmoran"))
    monkeypatch.setattr(kind, "run", lambda self, values, feedback: {"OUTPUT": 1 / 0})
    with pytest.raises(QgsProcessingException) as raised:
        run_algorithm("ccd:globalmoran", moran(grid()))
    message = str(raised.value)
    assert "unexpected error (ZeroDivisionError" in message and "log" in message
    assert "Traceback" not in message


def test_weights_file_written_atomically(run_algorithm, tmp_path, monkeypatch):
    """A failing write leaves the previous weights file and no temporary file."""
    from toolbox import atomic

    target = tmp_path / "w.gal"
    target.write_text("previous weights\n")

    def full_disk(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full_disk)
    with pytest.raises(QgsProcessingException, match="disk is full"):
        run_algorithm("ccd:spatialweights", {"INPUT": grid((2020,)), "ID_FIELD": "UNIT",
                                             "OUTPUT": str(target), "NEIGHBOURS": "memory:"})
    assert target.read_text() == "previous weights\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.gal"]
