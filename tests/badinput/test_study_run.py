"""``ccd run``: bad configs and output folders refused before any work (exit 3 / 4,
nothing touched); reruns into an old folder replace the toolbox's files only;
a failure or Ctrl-C while writing leaves the previous run complete."""

import json
import os
import shutil
import subprocess

import pytest

from badinput_support import check_run, hashes, leftovers
from toolbox import cli, pipeline
from toolbox.atomic import MANIFEST, folder_is_complete


def config(name, text):
    def make():
        with open(name, "w", encoding="utf-8") as handle:
            handle.write(text)
    return make


def data_folder_with_the_panel_in_study_gpkg():
    """The issue's case: [data] panel = "data/study.gpkg|layername=panel", --output-dir data."""
    os.mkdir("data")
    shutil.copy("data.gpkg", "data/study.gpkg")
    with open("quick.toml", encoding="utf-8") as handle:
        text = handle.read()
    text = text.replace('panel = "panel.csv"', 'panel = "data/study.gpkg|layername=panel"')
    text = text.replace('polygons = "data.gpkg|layername=units"',
                        'polygons = "data/study.gpkg|layername=units"')
    with open("instudy.toml", "w", encoding="utf-8") as handle:
        handle.write(text)


def foreign_report():
    os.mkdir("papers")
    with open("papers/report.html", "w", encoding="utf-8") as handle:
        handle.write("<p>my own report</p>")


REFUSED = [
    ("config-missing", ["run", "nope.toml"], 4, ["nope.toml", "not found"], None),
    ("output-dir-is-a-file", ["run", "quick.toml", "--output-dir", "panel.csv"], 4,
     ["panel.csv", "not a folder"], None),
    ("output-dir-holds-the-panel", ["run", "quick.toml", "--output-dir", "."], 4,
     ["holds an input", "panel.csv"], None),
    ("output-dir-is-the-geopackage-folder-of-the-panel", ["run", "instudy.toml", "--output-dir", "data"],
     4, ["holds an input", "study.gpkg"], data_folder_with_the_panel_in_study_gpkg),
    ("output-dir-has-a-report-the-toolbox-did-not-write",
     ["run", "quick.toml", "--output-dir", "papers"], 4, ["report.html", "not written by the toolbox"],
     foreign_report),
    ("toml-syntax-error", ["run", "broken.toml"], 3, ["broken.toml", "line"],
     config("broken.toml", 'title = "x"\n[data\npanel = "panel.csv"\n')),
    ("unknown-section", ["run", "typo.toml"], 3, ["coupeling"],
     config("typo.toml", 'title = "x"\n[data]\npanel = "panel.csv"\nid_field = "ID"\n'
                         'year_field = "YEAR"\n[coupeling]\n')),
    ("unknown-key", ["run", "key.toml"], 3, ["modle"],
     config("key.toml", 'title = "x"\n[data]\npanel = "panel.csv"\nid_field = "ID"\n'
                        'year_field = "YEAR"\n[systems.a]\npositive = ["X1"]\n[coupling]\nmodle = "x"\n')),
    ("panel-file-missing", ["run", "gone.toml", "--output-dir", "out"], 4, ["nothere.csv"],
     config("gone.toml", 'title = "x"\n[data]\npanel = "nothere.csv"\nid_field = "ID"\n'
                         'year_field = "YEAR"\n[systems.a]\npositive = ["X1"]\n[systems.b]\n'
                         'positive = ["X2"]\n[coupling]\n')),
    ("id-field-missing", ["run", "id.toml", "--output-dir", "out"], 3, ["CITY"],
     config("id.toml", 'title = "x"\n[data]\npanel = "panel.csv"\nid_field = "CITY"\n'
                       'year_field = "YEAR"\n[systems.a]\npositive = ["X1"]\n[systems.b]\n'
                       'positive = ["X2"]\n[coupling]\n')),
    ("system-field-missing", ["run", "sys.toml", "--output-dir", "out"], 3, ["X9"],
     config("sys.toml", 'title = "x"\n[data]\npanel = "panel.csv"\nid_field = "ID"\n'
                        'year_field = "YEAR"\n[systems.a]\npositive = ["X9"]\n[systems.b]\n'
                        'positive = ["X2"]\n[coupling]\n')),
]


@pytest.mark.parametrize("name, argv, code, says, make", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused(name, argv, code, says, make, work, capsys):
    if make:
        make()
    check_run(capsys, work, ["--quiet"] + argv, code, says=says)


def test_output_dir_in_a_folder_without_write_permission(work, capsys):
    os.mkdir("locked")
    subprocess.run(["chattr", "+i", "locked"], check=True)
    try:
        check_run(capsys, work, ["--quiet", "run", "quick.toml", "--output-dir", "locked/run"], 4,
                  says=["locked", "no permission"])
    finally:
        subprocess.run(["chattr", "-i", "locked"], check=True)


def run_files(folder):
    return {name for name in hashes(folder)}


def test_rerun_replaces_the_toolbox_files_only(work, capsys):
    assert cli.main(["--quiet", "run", "quick.toml", "--output-dir", "out"]) == 0
    first = run_files("out")
    assert {"report.html", "study.gpkg", "tables/obstacle_summary.csv", MANIFEST} <= first
    with open("out/notes.txt", "w") as handle:
        handle.write("my notes")
    assert cli.main(["--quiet", "run", "minimal.toml", "--output-dir", "out"]) == 0  # no tiers, …
    second = run_files("out")
    dropped = {"tables/obstacle_summary.csv", "figures/obstacle_heatmap.png", "tables/dagum.csv",
               "tables/tier_counts.csv", "figures/tier_counts.png"}
    assert dropped <= first and not dropped & second
    assert second - {"notes.txt"} < first
    assert open("out/notes.txt").read() == "my notes"
    assert folder_is_complete("out") and leftovers(work) == []
    assert "notes.txt" not in json.load(open(f"out/{MANIFEST}"))["files"]
    # the written config reruns, into a folder of its own
    assert cli.main(["--quiet", "run", "out/study-resolved.toml", "--output-dir", "again"]) == 0
    assert {n for n in run_files("again") if n.endswith(".csv")} == {
        n for n in second if n.endswith(".csv")}
    capsys.readouterr()


@pytest.mark.parametrize("error, code", [(OSError(28, "No space left on device"), 4),
                                         (KeyboardInterrupt(), 130),
                                         (RuntimeError("renderer crashed"), 1)],
                         ids=["disk-full", "ctrl-c", "unexpected"])
def test_failure_while_writing_leaves_the_previous_run(error, code, work, capsys, monkeypatch):
    assert cli.main(["--quiet", "run", "minimal.toml", "--output-dir", "out"]) == 0
    before = hashes("out")
    original = pipeline.write_outputs

    def failing(result, output_dir, feedback=None):
        original(result, output_dir, feedback)  # everything written, then the last step fails
        raise error

    monkeypatch.setattr(pipeline, "write_outputs", failing)
    capsys.readouterr()
    assert cli.main(["--quiet", "run", "quick.toml", "--output-dir", "out"]) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert hashes("out") == before
    assert leftovers(work) == []
