"""ccd fullanalysis: the tables it receives enter the run folder with the finished
run (inputs.gpkg), and the folder's resolved config repeats the run from there."""

import os

import pyogrio

from toolbox import cli

from test_pipeline import panel_for, squares


def test_inputs_enter_the_folder_with_the_run_and_rerun_from_it(tmp_path):
    units = squares(nx=4, ny=4)
    units.to_file(tmp_path / "units.gpkg", layer="units")
    panel_for(units).query("YEAR >= 2010").to_csv(tmp_path / "panel.csv", index=False)
    out = tmp_path / "full"
    argv = ["--quiet", "fullanalysis", "--input", str(tmp_path / "panel.csv"),
            "--polygons", str(tmp_path / "units.gpkg"), "--id-field", "UNIT", "--year-field", "YEAR",
            "--system1-positive", "F1", "F2", "--system2-positive", "I1", "EDU",
            "--permutations", "19", "--output-folder", str(out)]
    failed = argv[:-1] + [str(tmp_path / "failed")]
    failed[failed.index("F2")] = "NOPE"
    assert cli.main(failed) == 3
    assert not os.path.exists(tmp_path / "failed")  # nothing written for a run that failed
    assert cli.main(argv) == 0
    layers = dict(pyogrio.list_layers(out / "inputs.gpkg"))
    assert set(layers) == {"panel", "units"}
    assert len(pyogrio.read_dataframe(out / "inputs.gpkg", layer="panel")) == 16 * 7
    resolved = (out / "study-resolved.toml").read_text(encoding="utf-8")
    assert str(out / "inputs.gpkg") + "|layername=panel" in resolved
    assert "ccd-inputs-" not in resolved
    again = tmp_path / "again"
    assert cli.main(["--quiet", "run", str(out / "study-resolved.toml"), "--output-dir", str(again)]) == 0
    for name in sorted(os.listdir(out / "tables")):
        assert (out / "tables" / name).read_bytes() == (again / "tables" / name).read_bytes(), name
