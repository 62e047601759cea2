"""The command line starts quickly: building the tool list imports no heavy library,
and ``ccd TOOL`` imports TOOL's module only.

``ccd --help`` is built from :func:`toolbox.tools.catalog` (the tool modules'
source read with ``ast``), so it imports no tool module; ``ccd TOOL`` imports
the module of TOOL alone. A tool module that imports scikit-learn,
scipy.stats, matplotlib or a PySAL package at module level still makes the
other tools of its module pay for it (scipy.stats alone takes about 1 s,
scikit-learn 1-2 s): import those inside ``run``.

``ccd spatialweights`` writing a GeoDa file loads neither pandas, geopandas,
pyproj, pyarrow nor scipy (together about 1 s of CPU, more than GeoDa takes
for queen weights of 40,000 cells): the layer is read as arrays
(:class:`toolbox.tables.ArrayLayer`).
"""

import subprocess
import sys

HEAVY = ("sklearn", "scipy.stats", "matplotlib", "shap", "esda", "libpysal", "giddy", "spreg",
         "mgwr", "statsmodels", "numba", "mapclassify", "pointpats", "inequality", "dask",
         "distributed", "jinja2")


def _loaded_after(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_the_tool_list_imports_no_heavy_library():
    code = ("import sys, toolbox.cli\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    assert _loaded_after(code) == "", "imported when the tool list is built"


def test_every_tool_module_imports_no_heavy_library():
    code = ("import sys\nfrom toolbox.tools import TOOLS\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    assert _loaded_after(code) == "", "imported by a tool module at module level"


def test_help_imports_no_tool_module():
    code = ("import sys, contextlib, io\nfrom toolbox import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n        cli.main(['--help'])\n    except SystemExit:\n        pass\n"
            "assert 'localmoran' in out.getvalue() and 'driveranalysis' in out.getvalue()\n"
            "print(','.join(sorted(m for m in sys.modules if m.startswith('toolbox.tools.'))))")
    assert _loaded_after(code) == ""


def test_one_tool_imports_its_module_only():
    code = ("import sys, contextlib, io\nfrom toolbox import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        cli.main(['spatialweights', '--help'])\n    except SystemExit:\n"
            "        pass\n"
            "print(','.join(sorted(m for m in sys.modules if m.startswith('toolbox.tools.'))))")
    assert _loaded_after(code) == "toolbox.tools.common,toolbox.tools.spatial"


def _polygon_grid(folder, side=4):
    """A side x side grid of unit squares as a GeoPackage (ids 1..side^2, row
    by row; YEAR 2020 and a value V = the id squared)."""
    import geopandas
    import shapely

    cells = [shapely.box(x, y, x + 1, y + 1) for y in range(side) for x in range(side)]
    path = folder / "grid.gpkg"
    ids = list(range(1, side * side + 1))
    geopandas.GeoDataFrame({"CELL": ids, "YEAR": 2020, "V": [float(i * i) for i in ids]},
                           geometry=cells, crs="EPSG:3857").to_file(path, layer="grid")
    return path


def test_queen_weights_to_a_gal_file_load_no_pandas_scipy_or_geopandas(tmp_path):
    """``ccd spatialweights`` writing a .gal file: the layer read as arrays
    (pyogrio's NumPy reader), weights without scipy.sparse; the file holds
    the queen neighbours of a 4 x 4 grid, counted by hand."""
    source = _polygon_grid(tmp_path)
    gal = tmp_path / "w.gal"
    code = ("import sys\nfrom toolbox import cli\n"
            f"assert cli.main(['--quiet', 'spatialweights', '--input', {str(source)!r}, "
            f"'--id-field', 'CELL', '--output', {str(gal)!r}]) == 0\n"
            "print(','.join(m for m in ('pandas', 'geopandas', 'pyproj', 'scipy', 'pyarrow')"
            " if m in sys.modules))")
    assert _loaded_after(code) == ""
    lines = gal.read_text().splitlines()
    assert lines[0].split()[1] == "16"
    neighbours = {int(head.split()[0]): sorted(map(int, body.split()))
                  for head, body in zip(lines[1::2], lines[2::2])}
    # corner 1 touches 2, 5, 6; edge 2 touches 1, 3, 5, 6, 7; inner 6 all eight around it
    assert neighbours[1] == [2, 5, 6]
    assert neighbours[2] == [1, 3, 5, 6, 7]
    assert neighbours[6] == [1, 2, 3, 5, 7, 9, 10, 11]
    assert sum(len(v) for v in neighbours.values()) == 2 * (2 * 4 * 3 + 2 * 3 * 3)


def test_a_neighbour_table_in_a_geopackage_reads_the_layer_as_before(tmp_path):
    """A layer output needs pyogrio's data-frame writer: then the input is
    read with geopandas as before, and the counts are right."""
    import pyogrio

    source = _polygon_grid(tmp_path)
    code = ("import sys\nfrom toolbox import cli\n"
            f"assert cli.main(['--quiet', 'spatialweights', '--input', {str(source)!r}, "
            f"'--id-field', 'CELL', '--output', {str(tmp_path / 'w.gal')!r}, "
            f"'--neighbours', {str(tmp_path / 'n.gpkg')!r}]) == 0\n"
            "print('geopandas' in sys.modules)")
    assert _loaded_after(code) == "True"
    counts = pyogrio.read_dataframe(tmp_path / "n.gpkg")
    assert counts.set_index("CELL")["NEIGHBOURS"].loc[[1, 2, 6]].tolist() == [3, 5, 8]


def test_local_moran_loads_no_scipy(tmp_path):
    """LISA's lags and permutations work on the weights' CSR arrays: ``ccd
    localmoran`` imports no scipy (0.3 s of CPU). The lag of corner cell 1
    is the mean of V over its neighbours 2, 5, 6 (4, 25, 36), less the mean
    of V, over the standard deviation: checked by hand."""
    import math

    import pandas
    import pytest

    source = _polygon_grid(tmp_path)
    out = tmp_path / "lisa.csv"
    code = ("import sys\nfrom toolbox import cli\n"
            f"assert cli.main(['--quiet', 'localmoran', '--input', {str(source)!r}, "
            "'--id-field', 'CELL', '--year-field', 'YEAR', '--value-field', 'V', "
            f"'--permutations', '99', '--output', {str(out)!r}]) == 0\n"
            "print(','.join(m for m in ('scipy', 'sklearn', 'matplotlib') if m in sys.modules))")
    assert _loaded_after(code) == ""
    lisa = pandas.read_csv(out).set_index("CELL")
    v = [float(i * i) for i in range(1, 17)]
    mean = sum(v) / 16
    sd = math.sqrt(sum((x - mean) ** 2 for x in v) / 16)
    assert lisa.loc[1, "LISA_LAG"] == pytest.approx(((4 + 25 + 36) / 3 - mean) / sd)
