"""The driver-analysis tool: tables, seeds, leakage-free grouped split."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox.tool import Feedback
from toolbox.tools import tool


def panel(seed=0):
    rng = np.random.default_rng(seed)
    units, years = 30, 6
    x = rng.random((units * years, 3))
    return pd.DataFrame({
        "ID": np.repeat([f"u{i}" for i in range(units)], years),
        "YEAR": np.tile(np.arange(2015, 2015 + years), units),
        "X1": x[:, 0], "X2": x[:, 1], "X3": x[:, 2],
        "D": 0.7 * x[:, 1] + 0.1 * x[:, 0] + rng.normal(0, 0.01, units * years),
        "TIER": np.repeat(np.arange(units) % 2, years),
    })


def run(**values):
    return tool("driveranalysis").run(
        {"INPUT": panel(), "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "TARGET_FIELD": "D",
         "DRIVER_FIELDS": ["X1", "X2", "X3"], "SPLIT": "grouped", "TEST_SIZE": 0.3, "SEED": 7,
         "CV_FOLDS": 3, "N_ESTIMATORS": 20, "TUNE": False, **values}, Feedback())


def test_tables_and_the_leading_driver():
    result = run(GROUP_FIELD="TIER")
    metrics, importance = result["METRICS"], result["IMPORTANCE"]
    assert set(metrics["GROUP"]) == {"all", "0", "1"}
    assert set(metrics["SPLIT"]) == {"grouped", "random"}
    assert metrics["SPLIT"].iloc[0] == "grouped"
    sums = importance.groupby(["GROUP", "MODEL"])["IMPORTANCE"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    forest = importance[(importance["GROUP"] == "all") & (importance["MODEL"] == "forest")]
    assert forest.sort_values("IMPORTANCE")["DRIVER"].iloc[-1] == "X2"
    ols = result["COEFFICIENTS"].set_index(["GROUP", "DRIVER"])["COEF"]
    assert ols[("all", "X2")] == pytest.approx(0.7, abs=0.02)


def test_same_seed_same_numbers():
    a, b = run(), run()
    pd.testing.assert_frame_equal(a["METRICS"], b["METRICS"])
    pd.testing.assert_frame_equal(a["IMPORTANCE"], b["IMPORTANCE"])


def test_a_tier_too_small_to_split_is_named():
    table = panel()
    table.loc[table.index[:6], "TIER"] = 9     # one unit alone in tier 9
    with pytest.raises(InputError, match="9"):
        tool("driveranalysis").run(
            {"INPUT": table, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR", "TARGET_FIELD": "D",
             "DRIVER_FIELDS": ["X1", "X2"], "GROUP_FIELD": "TIER", "SPLIT": "grouped",
             "TEST_SIZE": 0.3, "SEED": 1, "CV_FOLDS": 0, "N_ESTIMATORS": 5}, Feedback())


def test_html_summary_has_both_tables_and_a_chart(tmp_path):
    import base64
    import re

    html = run(GROUP_FIELD="TIER")["REPORT"]
    assert "Table 6." in html and "Table 7." in html
    image = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n"
