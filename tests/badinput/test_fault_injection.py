"""Fault injection: 20 runs of ``ccd run`` killed with SIGINT or SIGKILL at random
moments while they write; each leaves the previous complete run or the new
complete one (see ``fault_harness.py`` for how the moments are chosen and
what is compared), and the next run sweeps whatever a killed one left."""

import json
import os
import subprocess
import sys

from badinput_support import build_study_folder

RUNS = 20


def test_killed_runs_leave_the_old_or_the_new_complete_folder(tmp_path):
    folder = str(tmp_path / "study")
    build_study_folder(folder)
    harness = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fault_harness.py")
    seed = int.from_bytes(os.urandom(2), "big") if not os.environ.get("CI") else 12
    done = subprocess.run([sys.executable, harness, folder, str(RUNS), str(seed)], capture_output=True,
                          text=True, timeout=900,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, f"seed {seed}: " + done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    summary["seed"] = seed
    assert summary["failures"] == [], f"seed {seed}: {summary}"
    assert summary["runs"] == RUNS
    assert summary["sigint"] > 0 and summary["sigkill"] > 0, summary
    assert summary["while_writing"] >= RUNS // 2, summary  # the kills land while the folder is built
    assert summary["final_run_exit"] == 0 and summary["final_state"] in ("A", "B")
    assert summary["leftovers"] == [], summary
