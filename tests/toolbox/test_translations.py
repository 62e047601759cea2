"""Every user-facing string the QGIS plugin shows has a Simplified Chinese translation."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import translations  # noqa: E402


def test_every_string_is_translated():
    assert translations.untranslated() == []


def test_the_ts_file_holds_no_stale_strings():
    assert set(translations.read_translations()) == set(translations.wanted_strings())


def test_tool_titles_and_style_labels_are_collected():
    wanted = set(translations.wanted_strings())
    assert "Coupling coordination degree" in wanted
    assert "High-High" in wanted
    assert "Install Python dependencies" in wanted  # a tr() string of qgis_plugin/
