"""ccd:kerneldensity on US per-capita income relative to the mean (us_income), with the
Markov chain of its quartile classes."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox import cli
from toolbox.tool import RecordingFeedback
from toolbox.tools import tool

libpysal = pytest.importorskip("libpysal")


@pytest.fixture(scope="module")
def long():
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    years = [str(y) for y in range(1929, 2010, 20)]
    relative = income[years] / income[years].mean()
    relative["STATE"] = income["Name"]
    out = relative.melt(id_vars="STATE", var_name="YEAR", value_name="REL").astype({"YEAR": int})
    out["CLASS"] = out.groupby("YEAR")["REL"].transform(lambda v: pd.qcut(v, 4, labels=False))
    return out


def test_density_summary_figures_and_markov(long):
    before = long.copy()
    result = tool("kerneldensity").run({"INPUT": long, "YEAR_FIELD": "YEAR", "VALUE_FIELD": "REL",
                                        "BANDWIDTH": "isj", "CLASS_FIELD": "CLASS",
                                        "ID_FIELD": "STATE", "GRID_POINTS": 300}, RecordingFeedback())
    pd.testing.assert_frame_equal(long, before)
    curves, summary = result["DENSITY"], result["SUMMARY"]
    assert list(curves.columns) == ["YEAR", "GROUP", "X", "DENSITY"]
    assert len(curves) == 5 * 300 and summary["YEAR"].tolist() == list(range(1929, 2010, 20))
    from spatial.density import isj_bandwidth

    x = long.loc[long.YEAR == 1989, "REL"].to_numpy()
    assert summary.loc[summary.YEAR == 1989, "BANDWIDTH"].iloc[0] == pytest.approx(isj_bandwidth(x))
    assert result["CURVES"][:4] == b"\x89PNG" and result["SURFACE"][:4] == b"\x89PNG"
    transitions = result["TRANSITIONS"]
    assert transitions["COUNT"].sum() == 48 * 4
    assert transitions.groupby("FROM")["P"].sum().to_numpy() == pytest.approx(np.ones(4))
    assert result["STEADY_STATE"]["STEADY_STATE"].sum() == pytest.approx(1)


def test_fixed_bandwidth_and_bad_input(long):
    run = tool("kerneldensity").run
    out = run({"INPUT": long, "YEAR_FIELD": "YEAR", "VALUE_FIELD": "REL", "BANDWIDTH": "silverman",
               "BANDWIDTH_VALUE": 0.05}, RecordingFeedback())["SUMMARY"]
    assert (out["BANDWIDTH"] == 0.05).all()
    with pytest.raises(InputError, match="needs ID_FIELD"):
        run({"INPUT": long, "YEAR_FIELD": "YEAR", "VALUE_FIELD": "REL", "CLASS_FIELD": "CLASS"},
            RecordingFeedback())
    one = long[long.YEAR == 1929].assign(REL=1.0)
    with pytest.raises(InputError, match="year 1929.*two different values"):
        run({"INPUT": one, "YEAR_FIELD": "YEAR", "VALUE_FIELD": "REL"}, RecordingFeedback())
    text = long.astype({"REL": object})
    text.loc[5, "REL"] = "abc"
    with pytest.raises(InputError, match="REL.*abc"):
        run({"INPUT": text, "YEAR_FIELD": "YEAR", "VALUE_FIELD": "REL"}, RecordingFeedback())


def test_command_line(long, tmp_path):
    source = tmp_path / "rel.csv"
    long.to_csv(source, index=False)
    code = cli.main(["--quiet", "kerneldensity", "--input", str(source), "--year-field", "YEAR",
                     "--value-field", "REL", "--density", str(tmp_path / "d.csv"),
                     "--summary", str(tmp_path / "s.csv"), "--curves", str(tmp_path / "c.png")])
    assert code == 0
    assert pd.read_csv(tmp_path / "s.csv")["PEAKS"].min() >= 1
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
