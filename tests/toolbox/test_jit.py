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
# data, and giddy's classical Markov steady state (quantecon's numba solver)
SNIPPET = """
import json, sys
import numpy as np
import libpysal
import pandas as pd
from mgwr.gwr import GWR
from mgwr.sel_bw import Sel_BW
from giddy.markov import Markov

data = pd.read_csv(libpysal.examples.get_path("GData_utm.csv"))
coords = data[["X", "Y"]].to_numpy()
y = data[["PctBach"]].to_numpy()
x = data[["PctFB", "PctBlack", "PctRural"]].to_numpy()
bw = Sel_BW(coords, y, x, n_jobs=1).search(criterion="AICc")
fit = GWR(coords, y, x, bw, n_jobs=1).fit()
classes = np.array([[0, 1, 1, 2, 2], [1, 1, 2, 2, 0], [0, 0, 1, 2, 2], [2, 1, 0, 0, 1]])
chain = Markov(classes)
from numba.core import config
print(json.dumps({"jit_disabled": bool(config.DISABLE_JIT), "bw": float(bw), "aicc": float(fit.aicc),
                  "params": fit.params.tolist(), "steady": np.asarray(chain.steady_state).ravel().tolist()}))
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
    np.testing.assert_allclose(uncompiled["steady"], compiled["steady"], rtol=1e-10)
    # the steady state solves pi P = pi: checked against the transition counts by hand
    P = np.zeros((3, 3))
    classes = [[0, 1, 1, 2, 2], [1, 1, 2, 2, 0], [0, 0, 1, 2, 2], [2, 1, 0, 0, 1]]
    for row in classes:
        for a, b in zip(row[:-1], row[1:]):
            P[a, b] += 1
    P /= P.sum(axis=1, keepdims=True)
    pi = np.array(compiled["steady"])
    np.testing.assert_allclose(pi @ P, pi, atol=1e-12)
