"""Composite indices of a system: entropy-weighted index and persistent innovation."""

import pandas as pd

from spatial.entropy import entropy_index
from spatial.innovation import persistent_innovation
from spatial.panel import check_complete, fill_gaps

from ..parameters import EnumInput, FieldInput, NumberInput, TableOutput, TextInput
from ..tool import Tool
from .common import (ID_FIELD, INPUT, NEGATIVE_FIELDS, OUTPUT, POSITIVE_FIELDS, YEAR_FIELD,
                     checked_panel, indicators, new_fields_free)

SCOPES = (
    ("panel", "Pooled over all years (indices comparable over time)"),
    ("year", "Separately within each year"),
)
MISSING = (
    ("error", "Stop and list the missing values"),
    ("interpolate", "Interpolate gaps linearly within each unit"),
)


class EntropyWeights(Tool):
    id = "entropyweights"
    order = 30
    title = "Entropy-weighted index"
    group = "Indices"
    group_id = "indices"
    help = (
        "Standardises the indicators (positive: (x − min)/(max − min); negative: "
        "(max − x)/(max − min)), weights them with the entropy method and writes "
        "the composite index of each row.\n\n"
        "p_ij = x'_ij / Σ_i x'_ij, e_j = −k Σ_i p_ij ln p_ij (0 ln 0 = 0), "
        "d_j = 1 − e_j, w_j = d_j / Σ d_j. Pooled over a panel of r years and n "
        "units k = 1/ln(rn) (min and max over all years, so indices compare over "
        "time); within each year k = 1/ln(n).\n\n"
        "The WEIGHTS table gives e, d and w of every indicator.\n\n"
        "Reference: Shannon (1948), Bell System Technical Journal 27:379–423; the "
        "entropy weight method as in Zou Zhihong et al. (2006), Journal of "
        "Environmental Sciences 18(5):1020–1023.")
    parameters = (
        INPUT,
        ID_FIELD,
        YEAR_FIELD,
        POSITIVE_FIELDS,
        NEGATIVE_FIELDS,
        EnumInput("SCOPE", "Standardise and weight", options=SCOPES, default="panel"),
        NumberInput("SHIFT", "Shift added after standardisation (e.g. 0.0001)",
                    default=0.0, minimum=0.0, maximum=1.0, advanced=True),
        TextInput("INDEX_FIELD", "Name of the index field", default="INDEX"),
        EnumInput("MISSING", "Missing values", options=MISSING, default="error"),
        NumberInput("MAX_MISSING_SHARE",
                    "Drop units with a larger share of missing values (0–1; with interpolation)",
                    optional=True, minimum=0.0, maximum=1.0, advanced=True),
    )
    outputs = (OUTPUT, TableOutput("WEIGHTS", "Entropy weights"))

    def run(self, values, feedback):
        df = values["INPUT"]
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        positive, negative = indicators(values)
        index_field = (values.get("INDEX_FIELD") or "INDEX").strip()
        new_fields_free(df, [index_field])
        fields = positive + negative

        interpolate = values.get("MISSING", "error") == "interpolate"
        panel = checked_panel(df, id_field, year_field, fields, complete=not interpolate)
        positions = pd.Series(df.index, index=pd.MultiIndex.from_frame(df[[id_field, year_field]]))
        if interpolate:
            panel, report = fill_gaps(
                panel, id_field, year_field, fields,
                max_missing_share=values.get("MAX_MISSING_SHARE"))
            feedback.info(report.summary())
            if len(report.filled):
                feedback.info("filled: " + _cell_list(report.filled, id_field, year_field))
            if report.dropped_units:
                feedback.warning("dropped units (too many missing values): "
                                 + ", ".join(map(str, report.dropped_units)))
            check_complete(panel, fields, id_field, year_field)
        feedback.progress(0.3)

        result = entropy_index(
            panel, positive, negative, year_field=year_field,
            scope=values.get("SCOPE", "panel"), shift=values.get("SHIFT") or 0.0)
        feedback.progress(0.9)

        out = _rows_with_geometry_source(df, panel, positions, id_field, year_field)
        out[index_field] = result.index.to_numpy()
        for row in result.weights.itertuples(index=False):
            feedback.info(f"{row.INDICATOR}: w = {row.W:.4f}")
        return {"OUTPUT": out, "WEIGHTS": result.weights.reset_index(drop=True)}


def _cell_list(cells, id_field, year_field, limit=20):
    """``unit a year 2021: X1, X2; …`` for a table of (unit, year, FIELD) cells."""
    grouped = cells.groupby([id_field, year_field], sort=False)["FIELD"].agg(", ".join)
    items = [f"unit {unit} year {year}: {fields}" for (unit, year), fields in grouped.items()]
    more = f"; … {len(items) - limit} more" if len(items) > limit else ""
    return "; ".join(items[:limit]) + more


def _rows_with_geometry_source(df, panel, positions, id_field, year_field):
    """Input rows in ``panel``'s order, indexed by the input row that holds their geometry.

    Rows that gap filling added (absent unit-years) copy their unit's first
    input row for the attributes that are not indicators and its geometry.
    """
    keys = pd.MultiIndex.from_frame(panel[[id_field, year_field]])
    source = positions.reindex(keys)
    first_of_unit = df.groupby(id_field, sort=False).head(1)
    first = pd.Series(first_of_unit.index, index=first_of_unit[id_field].to_numpy())
    missing = source.isna().to_numpy()
    source[missing] = first.reindex(panel.loc[missing, id_field]).to_numpy()
    out = df.loc[source.astype(int).to_numpy()].copy()
    out[year_field] = panel[year_field].to_numpy()
    indicator_fields = [c for c in panel.columns if c not in (id_field, year_field)]
    out[indicator_fields] = panel[indicator_fields].to_numpy()
    return out


class PersistentInnovation(Tool):
    id = "persistentinnovation"
    order = 40
    title = "Persistent innovation index (Coninnov)"
    group = "Indices"
    group_id = "indices"
    help = (
        "Persistent urban innovation from a patent count p per unit and year:\n"
        "Coninnov_t = (p_t + p_{t−1}) / (p_{t−1} + p_{t−2}) · (p_t + p_{t−1}).\n\n"
        "Each unit's first two years have no value (status 'first years'); a year "
        "whose two prior years are absent has status 'missing prior year'; a zero "
        "denominator (no patents in the two prior years) is left empty with status "
        "'zero denominator' and listed in the log — never turned into 0 or infinity.\n\n"
        "Reference: Yang & Geng (2026), the reference study of this toolbox.")
    parameters = (
        INPUT,
        ID_FIELD,
        YEAR_FIELD,
        FieldInput("PATENT_FIELD", "Patent count field", numeric=True),
    )
    outputs = (OUTPUT,)

    def run(self, values, feedback):
        df = values["INPUT"]
        id_field, year_field, patents = values["ID_FIELD"], values["YEAR_FIELD"], values["PATENT_FIELD"]
        new_fields_free(df, ["CONINNOV", "CONINNOV_STATUS"])
        panel = checked_panel(df, id_field, year_field, [patents], complete=False)
        result = persistent_innovation(panel, id_field, year_field, patents)
        zero = result["CONINNOV_STATUS"] == "zero denominator"
        if zero.any():
            names = (df.loc[zero, id_field].astype(str) + " " + df.loc[zero, year_field].astype(str))
            feedback.warning(
                f"zero denominator (no patents in the two prior years) for {int(zero.sum())} "
                "unit-year(s), left empty: " + ", ".join(names.iloc[:10])
                + (" …" if zero.sum() > 10 else ""))
        counts = result["CONINNOV_STATUS"].value_counts()
        feedback.info("status: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        return {"OUTPUT": pd.concat([df, result[["CONINNOV", "CONINNOV_STATUS"]]], axis=1)}
