"""``[data] source = "import"``: the panel read by ccd:importpanel (no STEP: a helper of :mod:`.data`).

The keys below are the tool's parameters in lower case; the panel becomes the
study's long table keyed by ``ADCODE`` and ``YEAR``, and its units (with NAME,
PROVINCE, REGION, AGGLOMERATION and the polygons' own fields) the study's
polygons, so every step can group by them; the unit fields are also columns of
the panel. MATCHES becomes the table ``import_matches``; the checks are the
``[diagnostics]`` step's, on the years analysed.
"""

import pandas as pd

from ..config import INT, STR, STR_LIST, Key
from ..tool import RecordingFeedback
from ..tools.importpanel import ImportPanel

TOOL = ImportPanel()

IMPORT_KEYS = (
    Key("input", STR, None, "With `source = \"import\"`: the panel as kept — .xlsx, .xls, .ods or CSV "
        "(UTF-8, UTF-8 with BOM or GBK), any layout (docs/your-data.md); relative to the config file."),
    Key("sheet", STR, None, "import: sheet name or number (default: the first, or all for per-sheet layouts)."),
    Key("layout", STR, None, "import (default `auto`): `auto`, `long`, `wide`, `sheet_per_year` or `sheet_per_indicator`.",
        choices=("auto", "long", "wide", "sheet_per_year", "sheet_per_indicator")),
    Key("name_field", STR, None, "import: column of unit names (default: detected)."),
    Key("code_field", STR, None, "import: column of 6-digit codes, instead of names."),
    Key("province_field", STR, None, "import: column of provinces (settles shared names)."),
    Key("changes", STR, None, "import: rule for units merged or split 2010–2024 (default `stop`): `stop`, `keep`, `merge`, "
        "`drop`.", choices=("stop", "keep", "merge", "drop")),
    Key("change_rules", STR, None, "import: rules per unit, e.g. `莱芜=merge; 巢湖=drop`."),
    Key("sum_fields", STR_LIST, None, "import: indicators summed when merging (counts, amounts)."),
    Key("mean_fields", STR_LIST, None, "import: indicators averaged when merging (rates), weighted by "
        "`weight_field`."),
    Key("weight_field", STR, None, "import: weight of the merged averages (e.g. population)."),
    Key("unmatched", STR, None, "import: names matching no unit: `stop` (default) or `drop`.", choices=("stop", "drop")),
    Key("header_row", INT, None, "import: header row, 1-based (default: detected).", minimum=1),
    Key("wide_pattern", STR, None, "import: regular expression with groups indicator and year for wide columns."),
    Key("value_name", STR, None, "import: indicator name of a wide table whose columns are bare years."),
)
IMPORT_ONLY = tuple(key.name for key in IMPORT_KEYS)


def import_panel(data, feedback=None):
    """(panel, polygons, tables) of a resolved ``[data]`` section with ``source = "import"``.

    ``panel`` is the long table (ADCODE, NAME, PROVINCE, REGION, AGGLOMERATION, YEAR,
    indicators; no geometry), ``polygons`` one polygon per unit with the same unit
    fields, ``tables`` the MATCHES of the import.
    """
    from ..tables import read_layer, tool_table

    feedback = feedback or RecordingFeedback()
    polygons = None
    if data.get("polygons"):
        polygons = tool_table(read_layer(data["polygons"]), "polygon", "data.polygons")
    values = {
        "INPUT": data["input"], "SHEET": data.get("sheet"), "LAYOUT": data.get("layout", "auto"),
        "NAME_FIELD": data.get("name_field"), "CODE_FIELD": data.get("code_field"),
        "YEAR_FIELD": data.get("year_field") if data.get("year_field") != "YEAR" else None,
        "PROVINCE_FIELD": data.get("province_field"), "POLYGONS": polygons,
        "POLYGONS_CODE_FIELD": data.get("polygons_id_field"), "CHANGES": data.get("changes", "stop"),
        "CHANGE_RULES": data.get("change_rules"), "SUM_FIELDS": ",".join(data.get("sum_fields") or []),
        "MEAN_FIELDS": ",".join(data.get("mean_fields") or []), "WEIGHT_FIELD": data.get("weight_field"),
        "UNMATCHED": data.get("unmatched", "stop"), "HEADER_ROW": data.get("header_row"),
        "WIDE_PATTERN": data.get("wide_pattern"), "VALUE_NAME": data.get("value_name"),
        "CHECKS": False,  # the [diagnostics] step checks the years analysed
    }
    out = TOOL.run(values, feedback)
    panel = out["OUTPUT"]
    unit_fields = [c for c in panel.columns if c in ("ADCODE", "NAME", "PROVINCE", "REGION", "AGGLOMERATION")]
    units = panel.drop_duplicates("ADCODE")[unit_fields + [panel.geometry.name]]
    panel = pd.DataFrame(panel.drop(columns=panel.geometry.name))
    return (panel.reset_index(drop=True), units.reset_index(drop=True),
            {"import_matches": out["MATCHES"]})
