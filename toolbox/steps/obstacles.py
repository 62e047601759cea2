"""Obstacle degree of each indicator and subsystem (section ``[obstacles]``): Table 8."""

from typing import Optional

import numpy as np
import pandas as pd

from ..config import FLOAT_LIST, INT, OPTIONS_KEY, STR, STR_LIST, STR_LIST_TABLE, Key, StudyConfigError
from ..figures import axes_title, new_figure, png_bytes, tier_name
from ..step import Step
from ..tools.obstacles import ObstacleDegree
from .tiers import tier_note

TOOL = ObstacleDegree()


def default_group(section, config, path):
    """``group_field`` defaults to ``TIER`` when the study has tiers, and needs them."""
    has_tiers = "tiers" in config
    if "group_field" not in section and has_tiers:
        section["group_field"] = "TIER"
    if section.get("group_field") == "TIER" and not has_tiers:
        raise StudyConfigError(f'{path}.group_field: "TIER" needs a [tiers] section; expected [tiers] '
                               "or another group field")
    return section


class Obstacles(Step):
    name = "obstacles"
    title = "obstacle degree"
    order = 60
    report_order = 75  # Table 8 follows the drivers' Tables 6–7
    chapter = "Obstacles"
    absent_note = "Table 8"
    template = "obstacles.html.j2"
    tools = (TOOL.id,)
    adds = "`O_<indicator>`, `O_<subsystem>`, top obstacles"
    tables = {"obstacle_summary": "Table 8"}
    keys = (
        Key("positive", STR_LIST, None, "Positive indicators (default: every system's positive "
            "indicators)."),
        Key("negative", STR_LIST, None, "Negative indicators (default: every system's negative indicators)."),
        Key("weights", FLOAT_LIST, None, "Indicator weights, positive then negative "
            "(default: entropy weights pooled over all years)."),
        Key("group_field", STR, None, "Group of the summary (Table 8); default `TIER` when "
            "`[tiers]` is present."),
        Key("subsystems", STR_LIST_TABLE, None, "Subsystems: `{ fintech = [\"FT_A\", \"FT_B\"] }` "
            "(default: the systems, when the indicators are the default)."),
        Key("top_n", INT, 3, "Top obstacles listed per unit-year.", minimum=0, maximum=20),
        OPTIONS_KEY,
    )

    def resolve(self, obstacles, config, base_dir):
        systems = config.get("systems", {})
        if "positive" not in obstacles and "negative" not in obstacles:
            if not systems:
                raise StudyConfigError("obstacles.positive: missing; expected indicators (there are "
                                       "no [systems] to take them from)")
            obstacles["positive"] = [f for s in systems.values() for f in s["positive"]]
            obstacles["negative"] = [f for s in systems.values() for f in s["negative"]]
            obstacles.setdefault("subsystems", {name: s["positive"] + s["negative"]
                                                for name, s in systems.items()})
        obstacles.setdefault("positive", [])
        obstacles.setdefault("negative", [])
        count = len(obstacles["positive"]) + len(obstacles["negative"])
        if count == 0:
            raise StudyConfigError("obstacles.positive: expected at least one indicator")
        if "weights" in obstacles and len(obstacles["weights"]) != count:
            raise StudyConfigError(f"obstacles.weights: expected {count} numbers (positive then "
                                   f"negative indicators), got {len(obstacles['weights'])}")
        return default_group(obstacles, config, "obstacles")

    def run(self, context, piece):
        o = context.study["obstacles"]
        subsystems = o.get("subsystems")
        text = "; ".join(f"{name}={','.join(fields)}" for name, fields in subsystems.items()) \
            if subsystems else None
        out = context.add_fields(TOOL, "obstacles",
                                 {**context.common, "POSITIVE_FIELDS": o["positive"], "NEGATIVE_FIELDS": o["negative"],
                                  "WEIGHTS": o.get("weights"), "GROUP_FIELD": o.get("group_field"),
                                  "SUBSYSTEMS": text, "TOP_N": o["top_n"]},
                                 self.title, o.get("options"))
        result = context.result
        result.tables["obstacle_summary"] = out["SUMMARY"]
        weights = "as given" if o.get("weights") else "entropy weights pooled over all years"
        result.methods["obstacle_summary"] = (
            f"O_ij = F_j·I_ij / Σ F_j·I_ij × 100 with I_ij = 1 − x'_ij, F_j = {weights}; mean per "
            f"{o.get('group_field') or 'all units'} and year, 'average' = mean of the yearly means. "
            + tier_note(context.study))
        return f"{len(o['positive']) + len(o['negative'])} indicators"

    def figures(self, result):
        study = result.study
        if "obstacle_summary" not in result.tables:
            return {}
        k = study["tiers"]["k"] if study.has("tiers") else 3
        matrix = obstacle_matrix(result.tables["obstacle_summary"], study, k)
        if matrix is None:
            return {}
        return {"obstacle_heatmap": obstacle_heatmap(
            matrix, result.synthetic, tuple((study["obstacles"].get("subsystems") or {}).keys()))}

    def report(self, result):
        study = result.study
        k = study["tiers"]["k"] if study.has("tiers") else 3
        tiers = study["obstacles"].get("group_field") == "TIER"
        shown = result.tables["obstacle_summary"].copy()
        shown["GROUP"] = [("all units" if g == "all" else tier_name(g, k) if tiers else g)
                          for g in shown["GROUP"]]
        subsystems = list((study["obstacles"].get("subsystems") or {}).keys())
        sub_columns = [f"O_{s}" for s in subsystems if f"O_{s}" in shown.columns]
        indicator_columns = [c for c in shown.columns if c.startswith("O_") and c not in sub_columns]
        average = shown[shown["YEAR"].astype(str) == "average"]
        average = average[["GROUP"] + sub_columns + indicator_columns].rename(
            columns=lambda c: c[2:] if c.startswith("O_") else c)
        yearly = None
        if sub_columns:
            by_year = shown[shown["YEAR"].astype(str) != "average"]
            wide = by_year.pivot(index="YEAR", columns="GROUP", values=sub_columns)
            wide.columns = [f"{s[2:]} · {g}" for s, g in wide.columns]
            yearly = wide.reset_index().rename(columns={"YEAR": "year"})
        return {"average": average, "yearly": yearly}


def obstacle_matrix(summary: pd.DataFrame, study, k) -> Optional[pd.DataFrame]:
    """Indicator (rows) × group (columns) matrix of the 'average' rows of the summary."""
    average = summary[summary["YEAR"].astype(str) == "average"]
    if not len(average):
        return None
    columns = [c for c in summary.columns if c.startswith("O_")]
    matrix = average.set_index("GROUP")[columns].T
    matrix.index = [c[2:] for c in columns]
    tiers = study.has("obstacles") and study["obstacles"].get("group_field") == "TIER"
    matrix.columns = ["all units" if g == "all" else (tier_name(g, k) if tiers else str(g))
                      for g in matrix.columns]
    return matrix


def obstacle_heatmap(matrix: pd.DataFrame, synthetic: bool, subsystems=()) -> bytes:
    """Indicators (rows) × groups (columns), mean obstacle degree in %; the
    subsystem sums (rows named in ``subsystems``) in a second panel with their
    own colour scale, so they do not wash out the indicators."""
    parts = [matrix.loc[[i for i in matrix.index if i not in subsystems]]]
    if any(i in subsystems for i in matrix.index):
        parts.append(matrix.loc[[i for i in matrix.index if i in subsystems]])
    heights = [max(1, len(p)) for p in parts]
    figure = new_figure(2.4 + 1.3 * matrix.shape[1], 1.4 + 0.42 * sum(heights) + 0.5 * (len(parts) - 1))
    grid = figure.add_gridspec(len(parts), 1, height_ratios=heights, hspace=0.35)
    for n, part in enumerate(parts):
        ax = figure.add_subplot(grid[n])
        values = part.to_numpy(dtype=float)
        image = ax.imshow(values, cmap="OrRd", aspect="auto")
        ax.set_xticks(range(part.shape[1]), part.columns if n == len(parts) - 1 else [""] * part.shape[1],
                      rotation=30, ha="right", fontsize=9)
        ax.set_yticks(range(part.shape[0]), part.index, fontsize=9)
        top = np.nanmax(values) if np.isfinite(values).any() else 1
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=8,
                        color="white" if v > 0.6 * top else "black")
        figure.colorbar(image, ax=ax, label="%", shrink=0.9, pad=0.02)
        if n == 0:
            axes_title(ax, "Mean obstacle degree (%) over the years: indicators", synthetic)
        else:
            ax.set_title("subsystems (sum of their indicators)", fontsize=10, loc="left")
    return png_bytes(figure, synthetic)


STEP = Obstacles()
