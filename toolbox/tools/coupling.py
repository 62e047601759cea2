"""Coupling coordination degree of two or more systems."""

import pandas as pd

from spatial.coupling import c_levels, coupling_coordination, d_classes, undefined_rows
from spatial.panel import numeric_values

from ..parameters import EnumInput, FieldInput, NumberListInput, TableOutput
from ..tool import Tool
from .common import (INPUT, OPTIONAL_ID_FIELD, OPTIONAL_YEAR_FIELD, new_fields_free, row_labels,
                     system_index_fields)

MODELS = (
    ("classic", "Classic coupling C = n·(∏U / (ΣU)ⁿ)^(1/n)"),
    ("revised", "Revised coupling (Wang Shujia et al., 2021)"),
)
NEW_FIELDS = ["C", "T", "D", "D_CLASS", "D_CLASS_NAME", "D_CLASS_ZH", "C_LEVEL", "C_LEVEL_NAME"]


class CouplingCoordination(Tool):
    id = "couplingcoordination"
    order = 50
    title = "Coupling coordination degree"
    group = "Coupling"
    group_id = "coupling"
    help = (
        "Coupling degree C, comprehensive development index T and coupling "
        "coordination degree D = sqrt(C·T) of two or more system indices in [0, 1] "
        "for every row (unit-year), with the 10-level class of D and the level of C.\n\n"
        "Classic: C = n·(∏Uᵢ / (ΣUᵢ)ⁿ)^(1/n). Revised (Wang Shujia et al., 2021, "
        "自然资源学报 36(3):793–810): C = sqrt((1 − Σ_{i>j}|Uᵢ−Uⱼ| / Σ_{m=1}^{n−1} m) · "
        "(∏Uᵢ / max U)^(1/(n−1))), which avoids the classic C crowding near 1. "
        "T = Σ aᵢUᵢ with the system weights (equal by default).\n\n"
        "Rows where every system is 0 have no defined C: C and D are left empty "
        "and the rows are listed in the log.\n\n"
        "References: Wang Shujia, Kong Wei, Ren Lang, Zhi Dandan, Dai Bingtao (2021), "
        "自然资源学报 36(3):793–810; ten classes of D as commonly used in Chinese "
        "regional studies (0–0.1 extreme imbalance … 0.9–1 high-quality coordination).")
    parameters = (
        INPUT,
        FieldInput("SYSTEM_FIELDS", "System index fields (two or more, values in [0, 1])",
                   multiple=True, numeric=True),
        NumberListInput("SYSTEM_WEIGHTS",
                        "System weights for T, comma separated, summing to 1 (default equal)",
                        optional=True),
        EnumInput("MODEL", "Coupling model", options=MODELS, default="classic"),
        NumberListInput("CLASS_BREAKS",
                        "Class breaks of D, comma separated (default 0, 0.1, …, 1: ten levels)",
                        optional=True, advanced=True),
        OPTIONAL_ID_FIELD,
        OPTIONAL_YEAR_FIELD,
    )
    outputs = (TableOutput("OUTPUT", "Output layer", geometry_from=("INPUT",), style="d_class"),)

    def run(self, values, feedback):
        df = values["INPUT"]
        fields = system_index_fields(values)
        id_field, year_field = values.get("ID_FIELD"), values.get("YEAR_FIELD")
        new_fields_free(df, NEW_FIELDS)

        indices = numeric_values(df, fields, id_field, year_field)
        indices.index = row_labels(df, id_field, year_field)
        model = values["MODEL"]
        result = coupling_coordination(
            indices, weights=values.get("SYSTEM_WEIGHTS"), model=model)
        feedback.progress(0.6)
        undefined = undefined_rows(indices, model=model)
        if len(undefined):
            feedback.warning(
                f"C and D are undefined (0/0: every system index is 0) for {len(undefined)} "
                "row(s), left empty: " + ", ".join(map(str, undefined[:10]))
                + (" …" if len(undefined) > 10 else ""))
        classes = d_classes(result["D"], breaks=values.get("CLASS_BREAKS"))
        levels = c_levels(result["C"])
        added = pd.concat([result, classes, levels], axis=1)
        added.index = df.index
        feedback.info(f"coupling model: {model}; systems: {', '.join(fields)}")
        feedback.progress(1.0)
        return {"OUTPUT": pd.concat([df, added[NEW_FIELDS]], axis=1)}
