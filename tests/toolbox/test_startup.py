"""The command line starts quickly: building the tool list imports no heavy library,
and ``ccd TOOL`` imports TOOL's module only.

``ccd --help`` is built from :func:`toolbox.tools.catalog` (the tool modules'
source read with ``ast``), so it imports no tool module; ``ccd TOOL`` imports
the module of TOOL alone. A tool module that imports scikit-learn,
scipy.stats, matplotlib or a PySAL package at module level still makes the
other tools of its module pay for it (scipy.stats alone takes about 1 s,
scikit-learn 1-2 s): import those inside ``run``.
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
