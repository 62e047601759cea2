"""The command line starts quickly: building the tool list imports no heavy library.

Every ``ccd`` command imports every tool declaration (to build its parser);
a tool that imports scikit-learn, scipy.stats, matplotlib or a PySAL package
at module level makes every other command pay for it (scipy.stats alone
takes about 1 s, scikit-learn 1-2 s). Import those inside ``run``.
"""

import subprocess
import sys

HEAVY = ("sklearn", "scipy.stats", "matplotlib", "shap", "esda", "libpysal", "giddy", "spreg",
         "mgwr", "statsmodels", "numba", "mapclassify", "pointpats", "inequality", "dask",
         "distributed", "jinja2")


def test_the_tool_list_imports_no_heavy_library():
    code = ("import sys, toolbox.cli\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported when the tool list is built: {out.stdout.strip()}"
