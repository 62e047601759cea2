"""The unzipped plugin: its toolbox and core import from inside its own
package, and nothing lands at the top level of QGIS's Python."""

import json
import os
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import pandas as pd
from coupling_coordination.toolbox.tools import TOOLS
from coupling_coordination.toolbox.steps import all_steps
from coupling_coordination.toolbox.tool import Feedback
from coupling_coordination.toolbox.report import environment
tool = next(t for t in TOOLS if t.id == "couplingcoordination")
table = pd.DataFrame({"U1": [0.25, 0.5], "U2": [0.25, 0.125]})
out = tool.run({"INPUT": table, "SYSTEM_FIELDS": ["U1", "U2"], "MODEL": "classic"}, Feedback())
print(json.dumps({
    "tools": [t.id for t in TOOLS],
    "steps": [s.name for s in all_steps()],
    "templates": sorted(s.template for s in all_steps() if s.template and
                        environment().get_template(s.template)),
    "C": out["OUTPUT"]["C"].tolist(),
    "top_level": sorted(m for m in sys.modules if m.split(".")[0] in ("spatial", "toolbox")),
}))
"""


def test_unzipped_plugin_runs_from_its_own_package(tmp_path):
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import build_plugin
    finally:
        sys.path.pop(0)
    with zipfile.ZipFile(build_plugin.build(str(tmp_path / "dist"))) as archive:
        archive.extractall(tmp_path / "plugins")
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "plugins")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    from toolbox.steps import all_steps
    from toolbox.tools import TOOLS

    assert seen["tools"] == [t.id for t in TOOLS]
    assert seen["steps"] == [s.name for s in all_steps()]
    assert seen["templates"] == sorted(s.template for s in all_steps() if s.template)
    # classic C = 2·sqrt(U1·U2)/(U1 + U2): 1 for equal indices, 2·sqrt(1/16)/(5/8) = 0.8
    assert seen["C"][0] == 1.0 and abs(seen["C"][1] - 0.8) < 1e-12
    assert seen["top_level"] == [], "the plugin imported top-level spatial/toolbox modules"
