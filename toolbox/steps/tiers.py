"""Coordination tiers of D per year (section ``[tiers]``): Tables 2 and 3."""

import numpy as np
import pandas as pd

from ..config import FLOAT_LIST, INT, OPTIONS_KEY, STR, Key
from ..figures import (KNOWN_NAMES, Labels, axes_title, category_map, map_units, new_figure, png_bytes,
                       tier_colours, tier_name)
from ..step import Step
from ..tools.tiers import CoordinationTiers
from .coupling import coupling_note

TOOL = CoordinationTiers()


class Tiers(Step):
    name = "tiers"
    title = "tiers"
    order = 40
    chapter = "Coordination by group and tier"
    absent_note = "Tables 2–3"
    template = "tiers.html.j2"
    tools = (TOOL.id,)
    adds = "`TIER` (0 = lowest)"
    tables = {"tier_counts": "Table 3", "group_means": "Table 2", "tier_thresholds": "tier thresholds"}
    keys = (
        Key("value_field", STR, "D", "Value classified."),
        Key("method", STR, "kmeans_year", "`kmeans_year`, `kmeans_pooled`, `jenks`, `quantiles` or `fixed`.",
            choices=("kmeans_year", "kmeans_pooled", "jenks", "quantiles", "fixed")),
        Key("k", INT, 3, "Number of tiers.", minimum=2, maximum=20),
        Key("seed", INT, 0, "Random seed (K-means, Jenks sample).", minimum=0),
        Key("breaks", FLOAT_LIST, None, "Breaks for `method = \"fixed\"`."),
        Key("group_field", STR, None, "Group field of Table 2 (e.g. urban agglomeration); "
            "default: the tiers themselves."),
        OPTIONS_KEY,
    )

    def run(self, context, piece):
        t = context.study["tiers"]
        out = context.add_fields(TOOL, "tiers",
                                 {**context.common, "VALUE_FIELD": t["value_field"], "METHOD": t["method"],
                                  "K": t["k"], "SEED": t["seed"], "BREAKS": t.get("breaks"),
                                  "GROUP_FIELD": t.get("group_field")},
                                 self.title, t.get("options"))
        result = context.result
        for key, name in (("COUNTS", "tier_counts"), ("GROUP_MEANS", "group_means"),
                          ("THRESHOLDS", "tier_thresholds")):
            result.tables[name] = out[key]
        how = f"{t['method']} (k = {t['k']}, seed {t['seed']})"
        base = coupling_note(context.study)
        result.methods["tier_counts"] = f"Units per tier and year; tiers by {how} of {t['value_field']}. {base}."
        result.methods["tier_thresholds"] = f"Value range and centroid of each tier; {how}."
        result.methods["group_means"] = (
            f"Mean {t['value_field']} per {t.get('group_field') or 'tier'} and year; 'overall' is the "
            f"mean over all units of the year (units with no group included). {base}.")
        return how

    def figures(self, result):
        study, tables, synthetic = result.study, result.tables, result.synthetic
        id_field, year_field = study["data"]["id_field"], study["data"]["year_field"]
        k = study["tiers"]["k"]
        labels = Labels()
        result.figure_label_key = labels
        figures = {}
        if "group_means" in tables:
            group = study["report"].get("group_field") or study["tiers"].get("group_field") or "tier"
            means = tables["group_means"]
            if group in ("tier", "TIER"):
                means = means.assign(GROUP=[g if g == "overall" else tier_name(g, k) for g in means["GROUP"]])
            figures["trend_groups"] = trend_figure(means, study["tiers"]["value_field"], group, synthetic,
                                                   labels)
        if "tier_counts" in tables:
            figures["tier_counts"] = tier_count_figure(tables["tier_counts"], k, synthetic)
        if result.units is not None and "TIER" in result.results.columns:
            units = map_units(result)
            tiers = sorted(int(t) for t in pd.to_numeric(result.results["TIER"], errors="coerce")
                           .dropna().unique())
            colours = dict(zip(tiers, tier_colours(max(len(tiers), 2))))
            names = {t: tier_name(t, k) for t in tiers}
            for year in study["report"]["map_years"]:
                rows = result.results[pd.to_numeric(result.results[year_field]) == year]
                values = pd.Series(pd.to_numeric(rows["TIER"], errors="coerce").to_numpy(),
                                   index=rows[id_field].to_numpy())
                figures[f"tier_map_{year}"] = category_map(
                    units, id_field, values, colours, names, f"Coordination tiers, {year}", synthetic)
        return figures

    def report(self, result):
        study, tables = result.study, result.tables
        k = study["tiers"]["k"]
        means = tables["group_means"].copy()
        group = study["tiers"].get("group_field")
        if not group:
            means["GROUP"] = [g if g == "overall" else tier_name(g, k) for g in means["GROUP"]]
        else:
            means["GROUP"] = [f"{g} ({KNOWN_NAMES[g]})" if g in KNOWN_NAMES else g for g in means["GROUP"]]
        means = means.rename(columns={"GROUP": group or "tier", "MEAN": "mean"})
        wide = tables["tier_counts"].pivot(index="YEAR", columns="TIER", values="COUNT").fillna(0).astype(int)
        wide.columns = [tier_name(c, k) for c in wide.columns]
        wide["total"] = wide.sum(axis=1)
        return {"value": study["tiers"]["value_field"], "group": group or "tier", "means": means,
                "counts": wide.reset_index().rename(columns={"YEAR": "year"}),
                "thresholds": tables.get("tier_thresholds"),
                "maps": [(f"tier_map_{y}", f"Coordination tiers in {y}.") for y in study["report"]["map_years"]]}


def tier_note(study) -> str:
    """How the tiers were made, for the method lines of later tables ("" without tiers)."""
    if not study.has("tiers"):
        return ""
    t = study["tiers"]
    return f"Tiers: {t['method']}, k = {t['k']}, seed {t['seed']}."


def group_title(group, study, section: str) -> str:
    """A group's name in a table of ``section``: ``tier 0 low`` when grouped by tier."""
    if study.has("tiers") and study.has(section) and study[section].get("group_field") == "TIER":
        return "tier " + tier_name(group, study["tiers"]["k"])
    return str(group)


def trend_figure(group_means: pd.DataFrame, value: str, group_label: str, synthetic: bool,
                 labels: Labels) -> bytes:
    """Lines of the mean value per group over the years; the overall mean dashed."""
    years = [c for c in group_means.columns if c not in ("GROUP", "MEAN")]
    x = [int(float(y)) for y in years]
    figure = new_figure(9, 4.8)
    ax = figure.add_subplot()
    groups = group_means[group_means["GROUP"] != "overall"]
    from matplotlib import colormaps

    cmap = colormaps["tab10" if len(groups) <= 10 else "tab20"]
    for i, row in enumerate(groups.itertuples(index=False)):
        ax.plot(x, [row[j + 1] for j in range(len(years))],
                marker="o", markersize=3, linewidth=1.4, color=cmap(i % cmap.N), label=labels(row[0]))
    overall = group_means[group_means["GROUP"] == "overall"]
    if len(overall):
        ax.plot(x, overall.iloc[0][years].astype(float).to_numpy(), color="black", linestyle="--",
                linewidth=2.2, label="overall")
    ax.set_xlabel("year")
    ax.set_ylabel(f"mean {value}")
    ax.set_xticks(x)
    ax.tick_params(axis="x", labelrotation=45)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, title=group_label)
    axes_title(ax, f"Mean {value} per {group_label} and year", synthetic)
    return png_bytes(figure, synthetic)


def tier_count_figure(counts: pd.DataFrame, k: int, synthetic: bool) -> bytes:
    wide = counts.pivot(index="YEAR", columns="TIER", values="COUNT").fillna(0)
    colours = tier_colours(len(wide.columns))
    figure = new_figure(8, 3.8)
    ax = figure.add_subplot()
    bottom = np.zeros(len(wide))
    x = np.arange(len(wide))
    for i, tier in enumerate(wide.columns):
        ax.bar(x, wide[tier].to_numpy(), bottom=bottom, color=colours[i % len(colours)],
               edgecolor="white", label=tier_name(tier, k))
        bottom += wide[tier].to_numpy()
    ax.set_xticks(x, [str(int(y)) for y in wide.index], rotation=45)
    ax.set_ylabel("units")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, title="tier")
    axes_title(ax, "Units per tier and year", synthetic)
    return png_bytes(figure, synthetic)


STEP = Tiers()
