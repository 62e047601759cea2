"""Output locations and inputs, for every tool: refused before any work, exit 4, nothing touched.

Each case is run for every tool of :data:`toolbox.tools.TOOLS` (a new tool is
covered without editing this file). The checks come before any input is
read, so the other arguments only need to be well-formed.
"""

import os
import shutil
import subprocess

import pytest

from badinput_support import check_run
from toolbox.parameters import (FieldInput, FileInput, FileOutput, FolderOutput, PathOutput,
                                TableInput, TableOutput)
from toolbox.tools import TOOLS

DESTINATIONS = {tool.id: [o for o in tool.outputs if not isinstance(o, PathOutput)] for tool in TOOLS}
FILE_TOOLS = [t for t in TOOLS if not isinstance(DESTINATIONS[t.id][0], FolderOutput)]
TABLE_TOOLS = [t for t in FILE_TOOLS if isinstance(DESTINATIONS[t.id][0], TableOutput)]
MULTI_TOOLS = [t for t in FILE_TOOLS if len(DESTINATIONS[t.id]) > 1]
FOLDER_TOOLS = [t for t in TOOLS if isinstance(DESTINATIONS[t.id][0], FolderOutput)]


def main_input(tool):
    return next(p for p in tool.parameters if isinstance(p, (TableInput, FileInput)))


def argv(tool, source="panel.csv", outputs=None):
    """A well-formed command line for ``tool``: ``source`` as its main input,
    "ID" for every required field, ``outputs`` (flag → path) as given."""
    args = [tool.id]
    first = main_input(tool)
    for parameter in tool.parameters:
        if parameter is first:
            args += [parameter.flag, source]
        elif isinstance(parameter, (TableInput, FileInput)):
            continue
        elif isinstance(parameter, FieldInput) and not parameter.optional:
            args += [parameter.flag, "ID"]
    for flag, path in (outputs or {}).items():
        args += [flag, path]
    return args


def first_flag(tool):
    return DESTINATIONS[tool.id][0].flag


def immutable(path, on=True):
    subprocess.run(["chattr", "+i" if on else "-i", path], check=True)


ids = [t.id for t in FILE_TOOLS]


@pytest.mark.parametrize("tool", TOOLS, ids=[t.id for t in TOOLS])
def test_missing_input_file(tool, work, capsys):
    out = {first_flag(tool): "out.csv" if not FOLDER_TOOLS.count(tool) else "outdir"}
    check_run(capsys, work, argv(tool, "no-such-panel.csv", out), 4,
              says=["no-such-panel.csv", "not found"])


@pytest.mark.parametrize("tool", FILE_TOOLS, ids=ids)
def test_output_is_the_input_file(tool, work, capsys):
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "panel.csv"}), 4,
              says=["panel.csv", "never writes over its input"])


@pytest.mark.parametrize("tool", FILE_TOOLS, ids=ids)
def test_output_into_the_geopackage_of_an_input_layer(tool, work, capsys):
    check_run(capsys, work, argv(tool, "data.gpkg|layername=panel",
                                 {first_flag(tool): "data.gpkg|layername=fresh"}), 4,
              says=["data.gpkg", "input layer"])


@pytest.mark.parametrize("tool", FILE_TOOLS, ids=ids)
def test_output_is_a_symlink_to_the_input(tool, work, capsys):
    os.symlink("panel.csv", "alias.csv")
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "alias.csv"}), 4,
              says=["alias.csv", "never writes over its input"])


@pytest.mark.parametrize("tool", FILE_TOOLS, ids=ids)
def test_output_is_a_hard_link_to_the_input(tool, work, capsys):
    os.link("panel.csv", "twin.csv")
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "twin.csv"}), 4,
              says=["twin.csv", "never writes over its input"])


@pytest.mark.parametrize("tool", FILE_TOOLS, ids=ids)
def test_output_folder_missing(tool, work, capsys):
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "nowhere/out.csv"}), 4,
              says=["nowhere", "does not exist"])


@pytest.mark.parametrize("tool", FILE_TOOLS, ids=ids)
def test_output_names_a_folder(tool, work, capsys):
    os.mkdir("out.csv")
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "out.csv"}), 4,
              says=["out.csv", "is a folder"])


@pytest.mark.parametrize("tool", FILE_TOOLS, ids=ids)
def test_output_folder_not_writable(tool, work, capsys):
    os.mkdir("locked")
    immutable("locked")
    try:
        check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "locked/out.csv"}), 4,
                  says=["locked", "no permission"])
    finally:
        immutable("locked", on=False)


@pytest.mark.parametrize("tool", FILE_TOOLS, ids=ids)
def test_output_file_read_only(tool, work, capsys):
    with open("old.csv", "w") as handle:
        handle.write("a previous result\n")
    immutable("old.csv")
    try:
        check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "old.csv"}), 4,
                  says=["old.csv", "read-only"])
    finally:
        immutable("old.csv", on=False)


@pytest.mark.parametrize("tool", TABLE_TOOLS, ids=[t.id for t in TABLE_TOOLS])
def test_unknown_output_format(tool, work, capsys):
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "out.xyz"}), 4,
              says=["out.xyz", "unknown output format", ".gpkg"])


@pytest.mark.parametrize("tool", TABLE_TOOLS, ids=[t.id for t in TABLE_TOOLS])
def test_existing_geopackage_layer_needs_overwrite(tool, work, capsys):
    shutil.copy("data.gpkg", "mywork.gpkg")
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "mywork.gpkg|layername=units"}),
              4, says=["mywork.gpkg", "'units'", "--overwrite"])


@pytest.mark.parametrize("tool", MULTI_TOOLS, ids=[t.id for t in MULTI_TOOLS])
def test_two_outputs_name_one_file(tool, work, capsys):
    first, second = DESTINATIONS[tool.id][:2]
    check_run(capsys, work, argv(tool, "panel.csv", {first.flag: "same.csv", second.flag: "same.csv"}),
              4, says=["same.csv", "same file"])


@pytest.mark.parametrize("tool", MULTI_TOOLS, ids=[t.id for t in MULTI_TOOLS])
def test_second_output_folder_missing_is_found_before_the_first_is_written(tool, work, capsys):
    first, second = DESTINATIONS[tool.id][:2]
    check_run(capsys, work, argv(tool, "panel.csv", {first.flag: "first.csv",
                                                     second.flag: "gone/second.csv"}),
              4, says=["gone", "does not exist"])


@pytest.mark.parametrize("tool", FOLDER_TOOLS, ids=[t.id for t in FOLDER_TOOLS])
def test_output_folder_is_an_existing_file(tool, work, capsys):
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "study.toml"}), 4,
              says=["study.toml", "not a folder"])


@pytest.mark.parametrize("tool", FOLDER_TOOLS, ids=[t.id for t in FOLDER_TOOLS])
def test_output_folder_holds_the_input(tool, work, capsys):
    check_run(capsys, work, argv(tool, "panel.csv", {first_flag(tool): "."}), 4,
              says=["holds an input", "panel.csv"])


def test_no_output_given_is_a_usage_error(work, capsys):
    tool = next(t for t in TOOLS if t.id == "couplingcoordination")
    check_run(capsys, work, argv(tool, "panel.csv"), 2, says=["give at least one output", "--output"])
