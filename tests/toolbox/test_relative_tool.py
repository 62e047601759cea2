"""ccd:relativedevelopment on a real panel: US per-capita income of 1929 and 2009
min–max scaled into two 'systems' (libpysal's us_income), checked by hand."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox import cli
from toolbox.tool import RecordingFeedback
from toolbox.tools import tool

libpysal = pytest.importorskip("libpysal")


@pytest.fixture(scope="module")
def states():
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    scaled = lambda v: (v - v.min()) / (v.max() - v.min()) * 0.9 + 0.05  # noqa: E731
    return pd.DataFrame({"STATE": income["Name"], "U_A": scaled(income["1929"]),
                         "U_B": scaled(income["2009"])})


def test_types_and_classes_by_hand(states):
    out = tool("relativedevelopment").run(
        {"INPUT": states, "SYSTEM_FIELDS": ["U_A", "U_B"], "SYSTEM_NAMES": "early,late",
         "SYSTEM_NAMES_ZH": "早期,晚期", "ID_FIELD": "STATE", "MODEL": "classic"},
        RecordingFeedback())["OUTPUT"]
    assert list(out.columns[:3]) == ["STATE", "U_A", "U_B"]
    a, b = states["U_A"].to_numpy(), states["U_B"].to_numpy()
    e = a / b
    assert out["E"].to_numpy() == pytest.approx(e, rel=1e-12)
    expected = np.where(e < 0.9, "SYSTEM1_LAGGING", np.where(e > 1.1, "SYSTEM2_LAGGING", "SYNCHRONOUS"))
    assert out["E_TYPE"].tolist() == expected.tolist()
    d = np.sqrt(2 * np.sqrt(a * b) / (a + b) * (a + b) / 2)
    names = ["extreme imbalance", "serious imbalance", "moderate imbalance", "mild imbalance",
             "verge of imbalance", "barely coordinated", "primary coordination",
             "intermediate coordination", "good coordination", "high-quality coordination"]
    lag = {"SYSTEM1_LAGGING": ", early lagging", "SYSTEM2_LAGGING": ", late lagging",
           "SYNCHRONOUS": ", synchronous"}
    want = [names[min(int(v * 10), 9)] + lag[t] for v, t in zip(d, expected)]
    assert out["COORD_TYPE"].tolist() == want
    row = out.iloc[int(np.argmin(e))]
    assert row["COORD_TYPE_ZH"].endswith("·早期滞后型")
    assert set(expected) == {"SYSTEM1_LAGGING", "SYNCHRONOUS", "SYSTEM2_LAGGING"}


def test_given_d_field_is_used_and_input_untouched(states):
    df = states.assign(D=0.65)
    before = df.copy()
    out = tool("relativedevelopment").run(
        {"INPUT": df, "SYSTEM_FIELDS": ["U_A", "U_B"], "D_FIELD": "D"}, RecordingFeedback())["OUTPUT"]
    assert out["COORD_TYPE"].str.startswith("primary coordination, ").all()
    assert out["COORD_TYPE_ZH"].str.startswith("初级协调·").all()
    pd.testing.assert_frame_equal(df, before)


def test_bad_inputs_name_the_problem(states):
    run = tool("relativedevelopment").run
    with pytest.raises(InputError, match="two or more"):
        run({"INPUT": states, "SYSTEM_FIELDS": ["U_A"]}, RecordingFeedback())
    with pytest.raises(InputError, match="SYSTEM_NAMES.*one name per system"):
        run({"INPUT": states, "SYSTEM_FIELDS": ["U_A", "U_B"], "SYSTEM_NAMES": "x"}, RecordingFeedback())
    bad = states.assign(U_B=states["U_B"].astype(object))
    bad.loc[3, "U_B"] = "n/a"
    with pytest.raises(InputError, match="U_B.*unit California"):
        run({"INPUT": bad, "SYSTEM_FIELDS": ["U_A", "U_B"], "ID_FIELD": "STATE"}, RecordingFeedback())
    with pytest.raises(InputError, match="D values must lie"):
        run({"INPUT": states.assign(D=1.5), "SYSTEM_FIELDS": ["U_A", "U_B"], "D_FIELD": "D"},
            RecordingFeedback())


def test_command_line(states, tmp_path):
    source = tmp_path / "systems.csv"
    states.to_csv(source, index=False)
    target = tmp_path / "out.csv"
    code = cli.main(["--quiet", "relativedevelopment", "--input", str(source), "--system-fields", "U_A,U_B",
                     "--thresholds", "0.8,1.25", "--output", str(target)])
    assert code == 0
    out = pd.read_csv(target)
    e = out["U_A"] / out["U_B"]
    assert (out.loc[e < 0.8, "E_TYPE"] == "SYSTEM1_LAGGING").all()
    assert (out.loc[(e >= 0.8) & (e <= 1.25), "E_TYPE"] == "SYNCHRONOUS").all()
