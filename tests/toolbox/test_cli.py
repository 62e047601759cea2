"""The ``ccd`` command line: arguments from the declarations, files, exit codes."""

import math
import subprocess
import sys

import pandas as pd
import pytest

from toolbox import cli
from toolbox.tools import TOOLS


@pytest.fixture
def indices_csv(tmp_path):
    path = tmp_path / "indices.csv"
    pd.DataFrame({"CITY": ["a", "b", "a", "b"], "YEAR": [2020, 2020, 2021, 2021],
                  "U1": [0.25, 0.5, 0.3, 0.6], "U2": [1.0, 0.5, 0.3, 0.2]}).to_csv(path, index=False)
    return path


def test_every_parameter_name_maps_to_a_flag():
    for tool in TOOLS:
        for parameter in tool.parameters + tool.outputs:
            assert parameter.flag == "--" + parameter.name.lower().replace("_", "-")
            assert parameter.name == parameter.name.upper()


def test_help_lists_tools(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for tool in TOOLS:
        assert tool.id in out


def test_tool_help_lists_its_parameters(capsys):
    with pytest.raises(SystemExit):
        cli.main(["couplingcoordination", "--help"])
    out = capsys.readouterr().out
    for flag in ("--input", "--system-fields", "--system-weights", "--model", "--output"):
        assert flag in out


def test_coupling_on_csv(indices_csv, tmp_path):
    out = tmp_path / "out.csv"
    code = cli.main(["--quiet", "couplingcoordination", "--input", str(indices_csv),
                     "--system-fields", "U1", "U2", "--id-field", "CITY", "--year-field", "YEAR",
                     "--output", str(out)])
    assert code == 0
    table = pd.read_csv(out)
    assert list(table.columns[:4]) == ["CITY", "YEAR", "U1", "U2"]
    # 0.25 and 1: C = 2·sqrt(0.25)/1.25 = 0.8, T = 0.625
    assert table.loc[0, "C"] == pytest.approx(0.8)
    assert table.loc[0, "D"] == pytest.approx(math.sqrt(0.8 * 0.625))
    # 0.3 and 0.3: C = 1, D = sqrt(0.3)
    assert table.loc[2, "D"] == pytest.approx(math.sqrt(0.3))


def test_fields_may_be_comma_separated(indices_csv, tmp_path):
    out = tmp_path / "out.csv"
    assert cli.main(["--quiet", "couplingcoordination", "--input", str(indices_csv),
                     "--system-fields", "U1,U2", "--model", "revised", "--output", str(out)]) == 0
    # revised, 0.25 and 1: C = sqrt((1 − 0.75)·0.25) = 0.25
    assert pd.read_csv(out).loc[0, "C"] == pytest.approx(0.25)


def test_geopackage_keeps_geometry(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    from shapely.geometry import box

    layer = geopandas.GeoDataFrame(
        {"CITY": ["a", "a", "b"], "YEAR": [2020, 2021, 2020], "U1": [0.2, 0.4, 0.6],
         "U2": [0.2, 0.8, 0.3]},
        geometry=[box(0, 0, 1, 1), box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:3857")
    source = tmp_path / "in.gpkg"
    layer.to_file(source, layer="panel")
    out = tmp_path / "out.gpkg"
    assert cli.main(["--quiet", "couplingcoordination", "--input", f"{source}|layername=panel",
                     "--system-fields", "U1", "U2", "--output", str(out)]) == 0
    result = geopandas.read_file(out)
    assert result.crs.to_epsg() == 3857
    assert [g.bounds for g in result.geometry] == [g.bounds for g in layer.geometry]
    assert result["D"].iloc[0] == pytest.approx(math.sqrt(0.2))


def test_refuses_to_write_over_its_input(indices_csv, capsys):
    before = indices_csv.read_bytes()
    code = cli.main(["couplingcoordination", "--input", str(indices_csv),
                     "--system-fields", "U1", "U2", "--output", str(indices_csv)])
    assert code == cli.EXIT_IO
    assert "never writes over its input" in capsys.readouterr().err
    assert indices_csv.read_bytes() == before


def test_input_error_exit_code_names_the_field(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"U1": [0.2], "U2": [1.4]}).to_csv(path, index=False)
    code = cli.main(["couplingcoordination", "--input", str(path), "--system-fields", "U1", "U2",
                     "--output", str(tmp_path / "o.csv")])
    assert code == cli.EXIT_INPUT
    assert "U2" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_missing_file_exit_code(tmp_path, capsys):
    code = cli.main(["couplingcoordination", "--input", str(tmp_path / "nope.csv"),
                     "--system-fields", "U1", "U2", "--output", str(tmp_path / "o.csv")])
    assert code == cli.EXIT_IO
    assert "not found" in capsys.readouterr().err


def test_bad_arguments_exit_code(indices_csv):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["couplingcoordination", "--input", str(indices_csv), "--system-fields", "U1",
                  "U2", "--model", "nonsense", "--output", "x.csv"])
    assert exit_.value.code == cli.EXIT_USAGE


def test_console_script_runs(indices_csv, tmp_path):
    out = tmp_path / "o.csv"
    completed = subprocess.run(
        [sys.executable, "-m", "toolbox.cli", "couplingcoordination", "--input", str(indices_csv),
         "--system-fields", "U1", "U2", "--output", str(out)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert out.exists()


def test_catalog_read_from_source_equals_the_discovered_tools():
    from toolbox.tools import catalog

    assert [(e.id, e.title, e.order) for e in catalog()] == [(t.id, t.title, t.order) for t in TOOLS]
    assert [e.module for e in catalog()] == [type(t).__module__.rsplit(".", 1)[1] for t in TOOLS]


def test_entry_of_one_tool_equals_its_catalog_entry():
    from toolbox.tools import catalog, entry

    assert [entry(e.id) for e in catalog()] == list(catalog())
    assert entry("nosuchtool") is None and entry("run") is None


def test_a_tool_command_lists_only_that_tool_and_a_mistyped_one_lists_all(capsys):
    from toolbox.cli import build_parser
    from toolbox.tools import catalog

    listed = build_parser(full=["localmoran"])._subparsers._group_actions[0].choices
    assert set(listed) == {"localmoran", "run", "demo"}
    with pytest.raises(SystemExit) as stop:
        cli.main(["localmoranx", "--input", "x.csv"])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'localmoranx'" in error
    assert all(f"'{e.id}'" in error for e in catalog())
