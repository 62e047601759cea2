"""Writing outputs: existing files and layers, failures, cancels and unexpected errors
while a tool writes — the previous state stays, no partial file, one clear line."""

import errno
import os
import shutil
import subprocess

import pandas as pd
import pytest

from badinput_support import check_run, hashes, leftovers
from toolbox import cli, tables
from toolbox.tools import tool as tool_by_id

COUPLING = ("couplingcoordination", "--input", "panel.csv", "--system-fields", "U1", "U2",
            "--id-field", "ID", "--year-field", "YEAR")
TIERS = ("coordinationtiers", "--input", "panel.csv", "--id-field", "ID", "--year-field", "YEAR",
         "--value-field", "DC")


def layers_of(path):
    import pyogrio

    return {str(name): pyogrio.read_dataframe(path, layer=str(name))
            for name in pyogrio.list_layers(path)[:, 0]}


def test_a_new_layer_leaves_the_other_layers_of_the_geopackage(work, capsys):
    shutil.copy("data.gpkg", "mywork.gpkg")
    before = layers_of("mywork.gpkg")
    check_run(capsys, work, COUPLING + ("--output", "mywork.gpkg|layername=coupling"), 0,
              changed=["mywork.gpkg"])
    after = layers_of("mywork.gpkg")
    assert set(after) == {"panel", "units", "coupling"}
    for name in ("panel", "units"):
        pd.testing.assert_frame_equal(after[name], before[name])
    assert len(after["coupling"]) == 64 and "D" in after["coupling"].columns


def test_overwrite_replaces_only_the_named_layer(work, capsys):
    shutil.copy("data.gpkg", "mywork.gpkg")
    before = layers_of("mywork.gpkg")
    check_run(capsys, work, COUPLING + ("--output", "mywork.gpkg|layername=units", "--overwrite"), 0,
              changed=["mywork.gpkg"])
    after = layers_of("mywork.gpkg")
    pd.testing.assert_frame_equal(after["panel"], before["panel"])
    assert "D" in after["units"].columns and len(after["units"]) == 64


def test_an_existing_csv_is_replaced_whole(work, capsys):
    with open("old.csv", "w") as handle:
        handle.write("a,b\n" + "1,2\n" * 5000)
    check_run(capsys, work, COUPLING + ("--output", "old.csv"), 0, changed=["old.csv"])
    assert len(pd.read_csv("old.csv")) == 64


def test_a_shapefile_replacing_one_with_more_parts_leaves_none_of_the_old_parts(work, capsys):
    for part in (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix"):
        with open("old" + part, "w") as handle:
            handle.write("stale")
    check_run(capsys, work, ("couplingcoordination", "--input", "data.gpkg|layername=panel",
                             "--system-fields", "U1", "U2", "--output", "old.shp"), 0,
              changed=[f"old{p}" for p in (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix")])
    assert not os.path.exists("old.qix")  # an index of the old file would point into nothing
    assert "stale" not in open("old.prj").read()


def _failing_to_csv(error, after_bytes=100):
    original = pd.DataFrame.to_csv

    def to_csv(self, path, *args, **kwargs):
        text = original(self, None, *args, **kwargs)
        with open(path, "w") as handle:
            handle.write(text[:after_bytes])  # a partial file, then the failure
        raise error

    return to_csv


@pytest.mark.parametrize("error, code, says", [
    (OSError(errno.ENOSPC, "No space left on device"), 4, ["disk is full"]),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), 4, ["quota"]),
    (PermissionError(errno.EACCES, "Permission denied"), 4, ["no permission"]),
    (KeyboardInterrupt(), 130, ["canceled", "as they were"]),
], ids=["disk-full", "quota", "permission", "ctrl-c"])
def test_failure_while_writing_leaves_the_previous_file(error, code, says, work, capsys, monkeypatch):
    with open("result.csv", "w") as handle:
        handle.write("the previous result\n")
    monkeypatch.setattr(pd.DataFrame, "to_csv", _failing_to_csv(error))
    check_run(capsys, work, COUPLING + ("--output", "result.csv"), code, says=says)
    assert open("result.csv").read() == "the previous result\n"


def test_the_second_output_failing_leaves_the_first_unwritten(work, capsys, monkeypatch):
    original = tables.write_table

    def write_table(table, destination, *args, **kwargs):
        if "counts" in destination:
            raise OSError(errno.ENOSPC, "No space left on device", destination)
        return original(table, destination, *args, **kwargs)

    monkeypatch.setattr(cli, "write_table", write_table)
    check_run(capsys, work, TIERS + ("--output", "tiers.csv", "--counts", "counts.csv"), 4,
              says=["counts.csv", "disk is full"])


def test_cancel_during_the_computation_writes_nothing(work, capsys, monkeypatch):
    def run(self, values, feedback):
        raise KeyboardInterrupt

    monkeypatch.setattr(type(tool_by_id("couplingcoordination")), "run", run)
    check_run(capsys, work, COUPLING + ("--output", "o.csv"), 130, says=["canceled"])


def test_an_unexpected_error_is_one_line_with_a_hint(work, capsys, monkeypatch):
    def run(self, values, feedback):
        return {"OUTPUT": 1 / 0}

    monkeypatch.setattr(type(tool_by_id("couplingcoordination")), "run", run)
    err = check_run(capsys, work, COUPLING + ("--output", "o.csv"), 1,
                    says=["unexpected error", "ZeroDivisionError", "--debug"])
    assert len(err.strip().splitlines()[-1]) < 300


def test_debug_shows_the_traceback(work, capsys, monkeypatch):
    def run(self, values, feedback):
        return {"OUTPUT": 1 / 0}

    monkeypatch.setattr(type(tool_by_id("couplingcoordination")), "run", run)
    assert cli.main(["--debug"] + list(COUPLING) + ["--output", "o.csv"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err
    assert not os.path.exists("o.csv")


def test_folder_made_read_only_after_the_check_fails_cleanly(work, capsys, monkeypatch):
    os.mkdir("out")
    monkeypatch.setattr(cli, "check_outputs", lambda *args, **kwargs: None)
    subprocess.run(["chattr", "+i", "out"], check=True)
    try:
        check_run(capsys, work, COUPLING + ("--output", "out/o.csv"), 4,
                  says=["out", "not permitted"])
    finally:
        subprocess.run(["chattr", "-i", "out"], check=True)


def test_sigterm_while_a_tool_runs_writes_nothing(work):
    """A real process: SIGTERM arrives during the computation (the tool is slowed down)."""
    import signal
    import sys
    import time

    script = (
        "import sys, time\n"
        "from toolbox import cli\n"
        "from toolbox.tools import tool\n"
        "kind = type(tool('couplingcoordination'))\n"
        "original = kind.run\n"
        "def slow(self, values, feedback):\n"
        "    print('computing', flush=True)\n"
        "    time.sleep(30)\n"
        "    return original(self, values, feedback)\n"
        "kind.run = slow\n"
        "sys.exit(cli.main(sys.argv[1:]))\n")
    before = hashes(work)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    process = subprocess.Popen([sys.executable, "-c", script, *COUPLING, "--output", "o.csv"],
                               cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": root})
    assert process.stdout.readline().strip() == "computing"
    time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "canceled" in err and "Traceback" not in err
    assert hashes(work) == before and leftovers(work) == []
