"""The command line runs numba-decorated library code uncompiled
(toolbox.jit): the results must be those of the compiled code, computed here
in the test process, where numba compiles as usual (tests/conftest.py)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

numba = pytest.importorskip("numba")

from toolbox.jit import SWITCH, without_compilation  # noqa: E402

# mgwr's GWR (its distance kernel is numba-decorated) on libpysal's Georgia
# data, and mapclassify's Fisher-Jenks breaks (its kernel is compiled at import)
SNIPPET = """
import json, sys
import numpy as np
import libpysal
import pandas as pd
from mgwr.gwr import GWR
from mgwr.sel_bw import Sel_BW
import mapclassify

data = pd.read_csv(libpysal.examples.get_path("GData_utm.csv"))
coords = data[["X", "Y"]].to_numpy()
y = data[["PctBach"]].to_numpy()
x = data[["PctFB", "PctBlack", "PctRural"]].to_numpy()
bw = Sel_BW(coords, y, x, n_jobs=1).search(criterion="AICc")
fit = GWR(coords, y, x, bw, n_jobs=1).fit()
breaks = mapclassify.FisherJenks(data["PctBach"].to_numpy(float), k=5).bins
from numba.core import config
print(json.dumps({"jit_disabled": bool(config.DISABLE_JIT), "bw": float(bw), "aicc": float(fit.aicc),
                  "params": fit.params.tolist(), "breaks": np.asarray(breaks).tolist()}))
"""


def run_snippet(env):
    done = subprocess.run([sys.executable, "-c", SNIPPET], env=env, capture_output=True, text=True,
                          timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_switch_respects_the_user_and_an_imported_numba(monkeypatch):
    monkeypatch.delenv(SWITCH, raising=False)
    assert "numba" in sys.modules  # imported above: changing the switch now would break numba
    assert without_compilation() is False and SWITCH not in os.environ
    monkeypatch.setenv(SWITCH, "0")
    assert without_compilation() is False and os.environ[SWITCH] == "0"


def test_uncompiled_results_equal_compiled():
    env = {k: v for k, v in os.environ.items() if k != SWITCH}
    code = "from toolbox.jit import without_compilation; print(without_compilation())"
    set_here = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              check=True).stdout.strip()
    assert set_here == "True"
    compiled = run_snippet({**env, SWITCH: "0"})
    uncompiled = run_snippet({**env, SWITCH: "1"})
    assert not compiled["jit_disabled"] and uncompiled["jit_disabled"]
    assert uncompiled["bw"] == compiled["bw"]
    np.testing.assert_allclose(uncompiled["aicc"], compiled["aicc"], rtol=1e-10)
    np.testing.assert_allclose(uncompiled["params"], compiled["params"], rtol=1e-9, atol=1e-12)
    assert uncompiled["breaks"] == compiled["breaks"]
    # Fisher-Jenks breaks are values of the data, the largest one its maximum
    import libpysal
    import pandas as pd

    pct = pd.read_csv(libpysal.examples.get_path("GData_utm.csv"))["PctBach"].to_numpy(float)
    assert set(compiled["breaks"]) <= set(pct.tolist()) and compiled["breaks"][-1] == pct.max()
