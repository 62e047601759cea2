"""Obstacle degree: which indicators hold each unit back."""

import pandas as pd

from spatial.entropy import entropy_index, standardized as standardized_indicators
from spatial.errors import InputError
from spatial.obstacle import (obstacle_degree, obstacle_summary, subsystem_obstacles,
                              top_obstacles)
from spatial.panel import require_fields

from ..parameters import FieldInput, NumberInput, NumberListInput, TableOutput, TextInput
from ..tool import Tool
from .common import (ID_FIELD, INPUT, NEGATIVE_FIELDS, OUTPUT, POSITIVE_FIELDS, YEAR_FIELD,
                     checked_panel, indicators, new_fields_free)


def subsystems_from_text(text):
    """``fintech=FT_A,FT_B; innovation=INN_A`` → {'fintech': ['FT_A', 'FT_B'], …}."""
    result = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        name, sep, fields = part.partition("=")
        if not sep or not name.strip() or not fields.strip():
            raise InputError(
                f"SUBSYSTEMS: expected 'name=FIELD1,FIELD2; name2=FIELD3', got {part.strip()!r}")
        result[name.strip()] = [f.strip() for f in fields.split(",") if f.strip()]
    return result


class ObstacleDegree(Tool):
    id = "obstacledegree"
    order = 90
    title = "Obstacle degree"
    group = "Drivers"
    group_id = "drivers"
    help = (
        "How much each indicator holds a unit back. Indicators are standardised in "
        "their direction, pooled over all years; deviation I_ij = 1 − x'_ij; factor "
        "contribution F_j = the indicator's weight (entropy weight by default, or the "
        "weights given); obstacle O_ij = F_j I_ij / Σ_j F_j I_ij × 100, so each row "
        "sums to 100. A subsystem's obstacle is the sum over its indicators.\n\n"
        "OUTPUT adds O_<indicator> (and O_<subsystem>) in % and the top obstacles of "
        "each unit-year. SUMMARY gives the mean obstacle per group (normally the tier) "
        "and year, an 'average' row per group over the years, and the same for all "
        "units (the study's Table 8). A unit at the best value of every indicator has "
        "no deviation: its obstacles are left empty and it is listed in the log.\n\n"
        "Reference: the obstacle degree model (障碍度模型) as used in Chinese regional "
        "studies, e.g. Yang & Geng (2026), Table 8.")
    parameters = (
        INPUT,
        ID_FIELD,
        YEAR_FIELD,
        POSITIVE_FIELDS,
        NEGATIVE_FIELDS,
        NumberListInput("WEIGHTS", "Indicator weights, comma separated, positive then negative "
                                   "indicators (default: entropy weights)", optional=True),
        FieldInput("GROUP_FIELD", "Group field for the summary (normally the tier)", optional=True),
        TextInput("SUBSYSTEMS", "Subsystems, e.g. 'fintech=FT_A,FT_B; innovation=INN_A'",
                  optional=True),
        NumberInput("TOP_N", "Number of top obstacles listed per unit-year", default=3,
                    integer=True, minimum=0, maximum=20, advanced=True),
    )
    outputs = (OUTPUT, TableOutput("SUMMARY", "Mean obstacle degree per group and year"))

    def run(self, values, feedback):
        df = values["INPUT"]
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        positive, negative = indicators(values)
        fields = positive + negative
        group_field = values.get("GROUP_FIELD")
        panel = checked_panel(df, id_field, year_field, fields)
        if group_field:
            require_fields(df, [group_field])

        given = values.get("WEIGHTS")
        if given:
            if len(given) != len(fields):
                raise InputError(f"WEIGHTS has {len(given)} numbers for {len(fields)} indicators "
                                 f"({', '.join(fields)})")
            standardized = standardized_indicators(panel, positive, negative)
            weights = pd.Series(given, index=fields, dtype=float)
            feedback.info("weights: as given")
        else:
            entropy = entropy_index(panel, positive, negative)
            standardized = entropy.standardized
            weights = entropy.weights.set_index("INDICATOR")["W"]
            del entropy  # and with it its index (a float per row)
            feedback.info("weights: entropy, pooled over all years")
        feedback.progress(0.4)

        # the checked copy of the fields (0.4 GiB at 5·10^6 unit-years x 9 indicators) goes before
        # the obstacles are made, the standardised values once they are
        del panel
        obstacles = obstacle_degree(standardized, weights)
        del standardized
        no_deviation = obstacles.index[obstacles.isna().all(axis=1).to_numpy()]  # as no_deviation_rows
        if len(no_deviation):
            names = (df.loc[no_deviation, id_field].astype(str) + " "
                     + df.loc[no_deviation, year_field].astype(str))
            feedback.warning("no deviation on any indicator (best value everywhere), obstacles "
                             "left empty: " + ", ".join(names.iloc[:10])
                             + (" …" if len(names) > 10 else ""))
        subsystems = subsystems_from_text(values.get("SUBSYSTEMS"))
        parts = [obstacles]
        if subsystems:
            parts.append(subsystem_obstacles(obstacles, subsystems))
        top_n = int(values.get("TOP_N") or 0)
        if top_n:
            parts.append(top_obstacles(obstacles, n=min(top_n, len(fields))))
        added = pd.concat(parts, axis=1)
        new_fields_free(df, list(added.columns))
        feedback.progress(0.8)

        summary_columns = [c for c in parts[0].columns] + (
            list(parts[1].columns) if subsystems else [])
        summary = obstacle_summary(
            added[summary_columns], df, group_field, year_field)
        feedback.progress(1.0)
        return {"OUTPUT": pd.concat([df, added], axis=1), "SUMMARY": summary}
