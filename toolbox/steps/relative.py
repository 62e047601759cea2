"""Relative development degree and coordination types (section ``[relative]``)."""

import pandas as pd

from ..config import FLOAT_LIST, OPTIONS_KEY, STR_LIST, Key, StudyConfigError
from ..step import Step
from ..tools.relative import RelativeDevelopment
from .coupling import index_fields

TOOL = RelativeDevelopment()


class Relative(Step):
    name = "relative"
    title = "relative development"
    order = 35
    absent_note = "the relative development degree and coordination types"
    template = "relative.html.j2"
    tools = (TOOL.id,)
    adds = "`E`, `E_TYPE`, `COORD_TYPE`, `COORD_TYPE_ZH`"
    tables = {"relative_types": "lag types per year", "coordination_types": "coordination types per year"}
    keys = (
        Key("thresholds", FLOAT_LIST, None, "Lag thresholds low, high of E = U1/U2 (default 0.9, 1.1)."),
        Key("names", STR_LIST, None, "Display names of the coupled systems (default their names)."),
        Key("names_zh", STR_LIST, None, "Chinese display names (default `names`)."),
        OPTIONS_KEY,
    )

    def resolve(self, relative, config, base_dir):
        if "coupling" not in config:
            raise StudyConfigError("relative: needs [coupling] (the systems and their D)")
        systems = config["coupling"]["systems"]
        for key in ("names", "names_zh"):
            if relative.get(key) is not None and len(relative[key]) != len(systems):
                raise StudyConfigError(f"relative.{key}: expected {len(systems)} names (one per "
                                       f"system: {', '.join(systems)}), got {len(relative[key])}")
        if relative.get("thresholds") is not None and len(relative["thresholds"]) != 2:
            raise StudyConfigError("relative.thresholds: expected two numbers (low, high)")
        return relative

    def run(self, context, piece):
        r = context.study["relative"]
        names = r.get("names") or context.study["coupling"]["systems"]
        out = context.add_fields(TOOL, "relative",
                                 {"ID_FIELD": context.id_field, "YEAR_FIELD": context.year_field,
                                  "SYSTEM_FIELDS": index_fields(context.study), "D_FIELD": "D",
                                  "SYSTEM_NAMES": ",".join(names),
                                  "SYSTEM_NAMES_ZH": ",".join(r["names_zh"]) if r.get("names_zh") else None,
                                  "THRESHOLDS": r.get("thresholds")},
                                 self.title, r.get("options"))
        low, high = r.get("thresholds") or (0.9, 1.1)
        year = context.year_field
        frame = context.result.results
        if "E_TYPE" in frame:
            context.result.tables["relative_types"] = pd.crosstab(frame[year], frame["E_TYPE"]).reset_index()
            context.result.methods["relative_types"] = (
                f"E = {names[0]} / {names[1]}; lagging below {low:g}, synchronous to {high:g}.")
        context.result.tables["coordination_types"] = (
            frame.groupby([year, "COORD_TYPE"]).size().rename("COUNT").reset_index())
        context.result.methods["coordination_types"] = "Class of D joined with the lagging system."
        return f"thresholds {low:g}, {high:g}"

    def report(self, result):
        types = result.tables.get("coordination_types")
        if types is None:
            return None
        last = types[types.iloc[:, 0] == types.iloc[:, 0].max()].sort_values("COUNT", ascending=False)
        return {"types": result.tables.get("relative_types"), "last": last}


STEP = Relative()
