"""``declarations.json``, which the QGIS plugin registers its algorithms from (generated
when the zip is built; tests/conftest.py makes one for the tests), says exactly what the
tools declare."""

import json
import subprocess
import sys

import pytest

from toolbox import parameters
from toolbox.declarations import (PATH, Declaration, as_data, declaration, declarations_text,
                                  declared_tools, from_data)
from toolbox.tools import TOOLS, catalog


def test_the_plugin_zip_ships_what_the_tools_declare(tmp_path):
    import os
    import zipfile

    sys.path.insert(0, os.path.join(os.path.dirname(PATH), os.pardir, "scripts"))
    import build_plugin

    with zipfile.ZipFile(build_plugin.build(str(tmp_path))) as archive:
        names = [n for n in archive.namelist() if n.endswith("declarations.json")]
        assert names == [f"{build_plugin.PLUGIN}/toolbox/declarations.json"]
        assert archive.read(names[0]).decode("utf-8") == declarations_text(TOOLS)


def test_read_back_every_field_equals_the_tools_own():
    read = declared_tools()
    assert [d.id for d in read] == [t.id for t in TOOLS] == [e.id for e in catalog()]
    for item, tool in zip(read, TOOLS):
        assert item == declaration(tool)
        assert (item.title, item.group, item.group_id, item.help, item.order) == (
            tool.title, tool.group, tool.group_id, tool.help, tool.order)
        assert item.parameters == tool.parameters and item.outputs == tool.outputs
        assert [type(p) for p in item.parameters] == [type(p) for p in tool.parameters]


def test_tuples_and_numbers_survive_json():
    enum = parameters.EnumInput("MODEL", "Model", default="b", options=(("a", "A"), ("b", "B")))
    number = parameters.NumberInput("ALPHA", "Alpha", default=0.1, minimum=0.0, maximum=1.0)
    count = parameters.NumberInput("N", "N", default=999, integer=True)
    output = parameters.TableOutput("OUTPUT", "Out", geometry_from=("INPUT", "POLYGONS"))
    item = Declaration("x", "m", 5, "X", "G", "g", "help", (enum, number, count),
                       (output,))
    back = from_data(json.loads(json.dumps(as_data(item))))
    assert back == item
    assert back.parameters[0].options == (("a", "A"), ("b", "B"))
    assert type(back.parameters[2].default) is int and type(back.parameters[1].default) is float
    assert back.outputs[0].geometry_from == ("INPUT", "POLYGONS")


def test_a_parameter_of_another_class_is_refused():
    class Odd(parameters.TextInput):
        pass

    item = Declaration("x", "m", 5, "X", "G", "g", "", (Odd("A", "a"),), ())
    with pytest.raises(TypeError, match="A: Odd"):
        as_data(item)


def test_absent_file_gives_no_declarations(tmp_path):
    assert declared_tools(str(tmp_path / "none.json")) == ()


def test_reading_imports_no_tool_module_nor_pandas():
    code = ("import sys; from toolbox.declarations import declared_tools; declared_tools(); "
            "print(sorted(m for m in sys.modules if m.startswith('toolbox.tools') "
            "or m.split('.')[0] in ('pandas', 'numpy', 'scipy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
