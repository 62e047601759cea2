"""Panel diagnostics before analysis (section ``[diagnostics]``; always run, shown first)."""

from ..config import FLOAT, STR_LIST, Key, StudyConfigError
from ..step import Step
from ..tools.importpanel import PanelDiagnostics

TOOL = PanelDiagnostics()


class Diagnostics(Step):
    name = "diagnostics"
    title = "panel diagnostics"
    order = 15  # after the persistent-innovation lead-in, on the years analysed
    report_order = 1
    required = True
    chapter = "Data"
    template = "diagnostics.html.j2"
    tools = (TOOL.id,)
    adds = "—"
    tables = {"panel_issues": "duplicates, gaps, missing values, outliers, jumps by powers of ten",
              "panel_missing": "missing share per indicator and year",
              "import_matches": "how the units of an imported panel were matched ([data] source = \"import\")"}
    keys = (
        Key("fields", STR_LIST, None, "Indicators to check (default: every numeric field of the panel)."),
        Key("z_limit", FLOAT, 3.5, "Robust z-score beyond which a value is flagged (Iglewicz & Hoaglin: 3.5).",
            minimum=0.5),
        Key("jump_log10", FLOAT, 1.5, "Flag a unit's year-to-year ratio beyond 10^this (1.5: ×32; 万元 vs "
            "亿元 is ×10⁴).", minimum=0.1),
    )

    def parse(self, raw):
        return {} if raw is None else raw

    def run(self, context, piece):
        section = context.study["diagnostics"]
        frame = context.frame()
        fields = section.get("fields")
        if fields:
            missing = [f for f in fields if f not in frame.columns]
            if missing:
                raise StudyConfigError(f"diagnostics.fields: not in the panel: {', '.join(missing)}")
        out = context.call(TOOL, "diagnostics",
                           {**context.common, "FIELDS": fields, "Z_LIMIT": section["z_limit"],
                            "JUMP_LOG10": section["jump_log10"]},
                           self.title, {"INPUT": frame})
        result = context.result
        result.tables["panel_issues"] = out["OUTPUT"]
        result.tables["panel_missing"] = out["MISSING"]
        result.methods["panel_issues"] = (
            "duplicate (unit, year) rows; units lacking years of the panel's range; indicator-years with "
            f"missing values; robust z = (x − median) / (1.4826·MAD) within each year beyond "
            f"{section['z_limit']:g} (of log10 x for positive fields); year-to-year ratios beyond "
            f"10^{section['jump_log10']:g}.")
        result.methods["panel_missing"] = "Share of missing values per indicator and year (%)."
        counts = out["OUTPUT"]["CHECK"].value_counts()
        return ", ".join(f"{check} {int(n)}" for check, n in counts.items()) or "no findings"

    def report(self, result):
        issues = result.tables.get("panel_issues")
        if issues is None:
            return None
        counts = issues.groupby("CHECK").size().rename("FINDINGS").reset_index()
        missing = result.tables["panel_missing"]
        wide = None
        if len(missing) and (missing["MISSING"] > 0).any():
            wide = (100 * missing.pivot(index="FIELD", columns="YEAR", values="SHARE")).reset_index()
            wide.columns = [str(c) for c in wide.columns]
        matches = result.tables.get("import_matches")
        how = None
        if matches is not None:
            how = matches.groupby("HOW").size().rename("UNITS").reset_index()
        explained = None
        if matches is not None:
            explained = matches[matches["HOW"].isin(["change", "ambiguous", "unmatched"])
                                | matches["NOTE"].fillna("").ne("")]
            explained = explained[["INPUT_NAME", "ADCODE", "NAME", "HOW", "CHANGE", "RULE", "NOTE"]]
        return {"counts": counts, "issues": issues.head(50), "shown": min(len(issues), 50), "total": len(issues),
                "missing": wide, "how": how, "explained": explained}


STEP = Diagnostics()
