"""The geographical detector of D (section ``[geodetector]``): factors, interactions,
risk and ecological detectors, with the interaction heat map."""

import pandas as pd

from ..config import INT, OPTIONS_KEY, REQUIRED, STR, STR_LIST, Key, StudyConfigError
from ..step import Step
from ..tools.geodetector import DISCRETISATIONS, SCOPES, GeoDetector
from .obstacles import default_group

TOOL = GeoDetector()


class GeoDetectorStep(Step):
    name = "geodetector"
    title = "geographical detector"
    order = 72
    report_order = 71  # in the drivers chapter, after the machine-learning models
    independent = True
    absent_note = "the geographical detector"
    template = "geodetector.html.j2"
    tools = (TOOL.id,)
    tables = {"geodetector_factors": "factor detector (q, p)",
              "geodetector_interactions": "interaction detector",
              "geodetector_risk": "risk detector t-tests", "geodetector_ecological": "ecological detector",
              "geodetector_strata": "strata and their means", "geodetector_search": "OPGD search"}
    keys = (
        Key("target", STR, "D", "Target field."),
        Key("drivers", STR_LIST, REQUIRED, "Continuous driver fields (discretised)."),
        Key("categories", STR_LIST, None, "Categorical driver fields, used as strata as they are."),
        Key("discretisation", STR, "optimal", "`optimal` (OPGD search), `equal`, `natural`, "
            "`quantile`, `geometric`, `sd` or `breaks`.", choices=tuple(v for v, _ in DISCRETISATIONS)),
        Key("classes", INT, 5, "Classes of a single discretisation method.", minimum=2, maximum=30),
        Key("min_classes", INT, 3, "Fewest classes in the optimal search.", minimum=2, maximum=30),
        Key("max_classes", INT, 10, "Most classes in the optimal search.", minimum=2, maximum=30),
        Key("breaks", STR, None, "Breaks per driver for `breaks`: `\"FIELD: b1, b2; FIELD2: b1\"`."),
        Key("scope", STR, "pooled", "`pooled` (all unit-years) or `year` (per year).",
            choices=tuple(v for v, _ in SCOPES)),
        Key("group_field", STR, None, "Group field (detectors also within each group); default "
            "`TIER` when `[tiers]` is present."),
        OPTIONS_KEY,
    )

    def resolve(self, section, config, base_dir):
        if not section["drivers"]:
            raise StudyConfigError("geodetector.drivers: expected at least one driver field")
        if section["target"] in section["drivers"] + list(section.get("categories") or []):
            raise StudyConfigError(f"geodetector.drivers: expected fields other than the target "
                                   f"{section['target']!r}")
        if section["min_classes"] > section["max_classes"]:
            raise StudyConfigError("geodetector.min_classes: expected at most max_classes "
                                   f"({section['max_classes']})")
        if section["discretisation"] == "breaks" and not section.get("breaks"):
            raise StudyConfigError('geodetector.breaks: missing; expected "FIELD: b1, b2" for '
                                   'discretisation = "breaks"')
        return default_group(section, config, "geodetector")

    def run(self, context, piece):
        g = context.study["geodetector"]
        out = context.call(TOOL, "geodetector",
                           {**context.common, "TARGET_FIELD": g["target"], "DRIVER_FIELDS": g["drivers"],
                            "CATEGORY_FIELDS": g.get("categories"),
                            "DISCRETISATION": g["discretisation"], "CLASSES": g["classes"],
                            "MIN_CLASSES": g["min_classes"], "MAX_CLASSES": g["max_classes"],
                            "BREAKS": g.get("breaks"), "SCOPE": g["scope"],
                            "GROUP_FIELD": g.get("group_field")},
                           self.title, {"INPUT": context.frame()}, g.get("options"), files=("HEATMAP",))
        how = (f"{g['target']} on {len(g['drivers']) + len(g.get('categories') or [])} drivers, "
               f"{g['scope']} sample" + (f", per {g['group_field']} and for all units"
                                         if g.get("group_field") else "")
               + f"; discretisation {g['discretisation']}"
               + (f" ({g['min_classes']}–{g['max_classes']} classes)"
                  if g["discretisation"] == "optimal" else "") + ".")
        for key, table in out.items():
            if isinstance(table, bytes):
                if table:
                    context.result.figures["geodetector_heatmap"] = table
            elif isinstance(table, pd.DataFrame):
                name = f"geodetector_{key.lower()}"
                context.result.tables[name] = table
                context.result.methods[name] = how
        return f"discretisation {g['discretisation']}, {g['scope']}"

    def figures(self, result):
        return {}  # the heat map comes from the tool (result.figures)

    def report(self, result):
        tables = result.tables
        factors = tables.get("geodetector_factors")
        if factors is None:
            return None
        interactions = tables.get("geodetector_interactions")
        if interactions is not None:
            interactions = interactions.drop(columns=["TYPE_ZH"], errors="ignore")
        ecological = tables.get("geodetector_ecological")
        return {"factors": factors.drop(columns=["BREAKS"], errors="ignore"),
                "interactions": interactions, "ecological": ecological,
                "risk_rows": len(tables.get("geodetector_risk", ()))}


STEP = GeoDetectorStep()
