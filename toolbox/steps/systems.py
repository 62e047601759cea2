"""Entropy-weighted index of each system (sections ``[systems.NAME]``)."""

import re

from ..config import FLOAT, OPTIONS_KEY, STR, STR_LIST, Key, StudyConfigError, check_table, fail
from ..step import Step
from ..tools.indices import EntropyWeights

TOOL = EntropyWeights()

SYSTEM_KEYS = (
    Key("positive", STR_LIST, [], "Positive indicators (larger is better)."),
    Key("negative", STR_LIST, [], "Negative indicators (smaller is better)."),
    Key("scope", STR, "panel", "`panel`: standardise and weight pooled over all years (k = 1/ln(rn)); "
        "`year`: within each year.", choices=("panel", "year")),
    Key("shift", FLOAT, 0.0, "Shift added after standardisation (e.g. 0.0001).", minimum=0.0, maximum=1.0),
    Key("index_field", STR, None, "Name of the index field (default `U_<NAME>` in capitals)."),
    Key("missing", STR, "error", "`error`: stop on missing values; `interpolate`: fill gaps "
        "linearly within each unit.", choices=("error", "interpolate")),
    Key("max_missing_share", FLOAT, None, "With interpolation: drop units with a larger share of "
        "missing values (0-1).", minimum=0.0, maximum=1.0),
    OPTIONS_KEY,
)


def index_field_name(name: str) -> str:
    """The default index field of system ``name``: ``U_<NAME>``."""
    return "U_" + re.sub(r"[^A-Za-z0-9_]", "_", name).upper()


class Systems(Step):
    name = "systems"
    title = "index"
    order = 20
    named = True
    chapter = "Indices and coupling coordination"
    template = "systems.html.j2"
    tools = (TOOL.id,)
    adds = "the index field (`U_<NAME>`)"
    tables = {"weights_<NAME>": "entropy weights of each system"}
    keys = SYSTEM_KEYS

    def parse(self, raw):
        if not isinstance(raw, dict) or not raw:
            raise fail("systems", "a table of systems ([systems.NAME] with positive / negative)", raw)
        return raw

    def check(self, raw):
        """The named subsections, each checked against :data:`SYSTEM_KEYS`."""
        systems = {}
        for name, table in raw.items():
            path = f"systems.{name}"
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
                raise StudyConfigError(f"{path}: expected a system name of letters, digits and _")
            if not isinstance(table, dict):
                raise fail(path, f"a table ([{path}])", table)
            systems[name] = check_table(table, SYSTEM_KEYS, path)
        return systems

    def resolve(self, systems, config, base_dir):
        for name, system in systems.items():
            path = f"systems.{name}"
            if not system["positive"] and not system["negative"]:
                raise StudyConfigError(f"{path}.positive: missing; expected at least one indicator "
                                       "in positive or negative")
            both = sorted(set(system["positive"]) & set(system["negative"]))
            if both:
                raise StudyConfigError(f"{path}.negative: {', '.join(both)} is also positive; expected "
                                       "each indicator in one direction")
            system.setdefault("index_field", index_field_name(name))
        fields = [s["index_field"] for s in systems.values()]
        repeated = sorted({f for f in fields if fields.count(f) > 1})
        if repeated:
            raise StudyConfigError(f"systems: index_field {repeated[0]} is used by two systems; expected "
                                   "distinct index fields")
        return systems

    def pieces(self, study, years=(), workers=1):
        return [(f"index {name}", name) for name in study["systems"]]

    def run(self, context, name):
        s = context.study["systems"][name]
        out = context.add_fields(
            TOOL, f"systems.{name}",
            {**context.common, "POSITIVE_FIELDS": s["positive"], "NEGATIVE_FIELDS": s["negative"],
             "SCOPE": s["scope"], "SHIFT": s["shift"], "INDEX_FIELD": s["index_field"],
             "MISSING": s["missing"], "MAX_MISSING_SHARE": s.get("max_missing_share")},
            f"index {name}", s.get("options"))
        result = context.result
        table = f"weights_{name}"
        result.tables[table] = out["WEIGHTS"]
        k = "1/ln(rn), pooled over all years" if s["scope"] == "panel" else "1/ln(n), within each year"
        result.methods[table] = (
            f"Entropy method: min–max standardisation ({len(s['positive'])} positive, "
            f"{len(s['negative'])} negative indicators), k = {k}, shift {s['shift']:g}, "
            f"missing values: {s['missing']}; index field {s['index_field']}.")
        return f"{len(s['positive']) + len(s['negative'])} indicators → {s['index_field']}"

    def report(self, result):
        weights = [(name, result.tables[f"weights_{name}"]) for name in result.study["systems"]
                   if f"weights_{name}" in result.tables]
        return {"weights": weights}


STEP = Systems()
