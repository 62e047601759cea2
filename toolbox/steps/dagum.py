"""Dagum Gini decomposition of D by tier or group (section ``[dagum]``): Tables 4 and 5."""

import pandas as pd

from ..config import OPTIONS_KEY, STR, Key, StudyConfigError
from ..figures import axes_title, new_figure, png_bytes, tier_name
from ..step import Step
from ..tools.inequality import DagumGini
from .tiers import tier_note

TOOL = DagumGini()


class Dagum(Step):
    name = "dagum"
    title = "Dagum Gini"
    order = 50
    chapter = "Inequality: Dagum Gini decomposition"
    absent_note = "Tables 4–5"
    template = "dagum.html.j2"
    tools = (TOOL.id,)
    tables = {"dagum": "Table 4", "dagum_pairs": "Table 5"}
    keys = (
        Key("value_field", STR, "D", "Value decomposed."),
        Key("group_field", STR, "TIER", "Group field: `TIER` (needs `[tiers]`) or any field of the panel."),
        Key("singletons", STR, "error", "Groups with one member in a year: `error` or `allow`.",
            choices=("error", "allow")),
        OPTIONS_KEY,
    )

    def resolve(self, dagum, config, base_dir):
        if dagum["group_field"] == "TIER" and "tiers" not in config:
            raise StudyConfigError('dagum.group_field: "TIER" needs a [tiers] section; expected '
                                   "[tiers] or another group field")
        return dagum

    def run(self, context, piece):
        d = context.study["dagum"]
        out = context.call(TOOL, "dagum",
                           {**context.common, "VALUE_FIELD": d["value_field"], "GROUP_FIELD": d["group_field"],
                            "SINGLETONS": d["singletons"]},
                           self.title, {"INPUT": context.frame()}, d.get("options"))
        result = context.result
        result.tables["dagum"] = out["OUTPUT"]
        result.tables["dagum_pairs"] = out["PAIRS"]
        note = (f"Dagum (1997) decomposition of {d['value_field']} by {d['group_field']} per year: "
                "G = Gw + Gnb + Gt; shares in % of G.")
        tiers = tier_note(context.study)
        result.methods["dagum"] = note + (" " + tiers if d["group_field"] == "TIER" else "")
        result.methods["dagum_pairs"] = ("Within-group Gini G_jj (GROUP_A = GROUP_B) and between-"
                                         "group Gini G_jh with relative affluence D_jh, GROUP_A the "
                                         f"group with the larger mean; groups: {d['group_field']}.")
        return f"by {d['group_field']}"

    def figures(self, result):
        if "dagum" not in result.tables:
            return {}
        return {"dagum": dagum_figure(result.tables["dagum"], result.synthetic)}

    def report(self, result):
        study, tables = result.study, result.tables
        dagum = tables["dagum"].rename(columns={"GW_SHARE": "GW %", "GNB_SHARE": "GNB %", "GT_SHARE": "GT %"})
        pairs = tables["dagum_pairs"].copy()
        if study["dagum"]["group_field"] == "TIER":
            k = study["tiers"]["k"]
            name = lambda g: tier_name(g, k)  # noqa: E731
        else:
            name = str
        pairs["pair"] = [f"G {name(a)}" if str(a) == str(b) else f"G {name(a)} vs {name(b)}"
                         for a, b in zip(pairs["GROUP_A"], pairs["GROUP_B"])]
        order = list(dict.fromkeys(pairs["pair"]))
        wide = pairs.pivot(index="YEAR", columns="pair", values="G_AB")[order].reset_index()
        return {"dagum": dagum, "pairs": wide}


def dagum_figure(dagum: pd.DataFrame, synthetic: bool) -> bytes:
    figure = new_figure(10, 3.8)
    years = dagum["YEAR"].astype(int).to_numpy()
    ax = figure.add_subplot(121)
    for column, colour in (("G", "black"), ("GW", "#1b9e77"), ("GNB", "#d95f02"), ("GT", "#7570b3")):
        ax.plot(years, dagum[column].astype(float), marker="o", markersize=3, color=colour, label=column)
    ax.set_ylabel("Gini")
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelrotation=45)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    axes_title(ax, "Gini and its parts", synthetic)
    ax2 = figure.add_subplot(122)
    shares = [dagum[c].astype(float).to_numpy() for c in ("GW_SHARE", "GNB_SHARE", "GT_SHARE")]
    ax2.stackplot(years, *shares, colors=["#1b9e77", "#d95f02", "#7570b3"],
                  labels=["within", "net between", "transvariation"], alpha=0.85)
    ax2.set_ylim(0, 100)
    ax2.set_ylabel("share of G (%)")
    ax2.set_xticks(years)
    ax2.tick_params(axis="x", labelrotation=45)
    ax2.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    axes_title(ax2, "Contributions", synthetic)
    figure.tight_layout()
    return png_bytes(figure, synthetic)


STEP = Dagum()
