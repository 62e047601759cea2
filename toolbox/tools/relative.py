"""Relative development degree and coordination types (which system lags)."""

import pandas as pd

from spatial.coupling import coupling_coordination, d_classes
from spatial.errors import InputError
from spatial.panel import check_keys, numeric_values
from spatial.relative import coordination_types, lagging_systems, relative_development

from ..parameters import EnumInput, FieldInput, NumberListInput, TableOutput, TextInput
from ..tool import Tool
from .common import (INPUT, OPTIONAL_ID_FIELD, OPTIONAL_YEAR_FIELD, new_fields_free, row_labels,
                     system_index_fields)
from .coupling import MODELS


def _names(text, fields, what):
    if not text or not str(text).strip():
        return dict(zip(fields, fields))
    names = [part.strip() for part in str(text).split(",")]
    if len(names) != len(fields) or not all(names):
        raise InputError(f"{what}: give one name per system field ({len(fields)}: "
                         f"{', '.join(fields)}), separated by commas; got {text!r}")
    return dict(zip(fields, names))


class RelativeDevelopment(Tool):
    id = "relativedevelopment"
    order = 60
    title = "Relative development degree and coordination type"
    group = "Coupling"
    group_id = "coupling"
    help = (
        "Relative development degree E = U1 / U2 of two system indices for every row "
        "(unit-year) and the lag type from two thresholds (default 0.9 and 1.1): "
        "E < 0.9 system 1 lags, 0.9 ≤ E ≤ 1.1 synchronous, E > 1.1 system 2 lags. "
        "COORD_TYPE joins the class of the coupling coordination degree D with the lag, "
        "as the studies write it: 'primary coordination, fintech lagging' / "
        "初级协调·金融科技滞后型. D is read from D_FIELD, or computed from the systems "
        "with MODEL when D_FIELD is not given.\n\n"
        "With more than two systems every pair gets E_<A>_<B> and E_TYPE_<A>_<B>, and a "
        "system lags when it lags in at least one pair. Where U2 = 0, E is left empty and "
        "the type follows from U1 (U1 > 0: system 2 lags).\n\n"
        "Reference: Liao Chongbin (1999), 热带地理 19(2):171–177 (coordination types).")
    parameters = (
        INPUT,
        FieldInput("SYSTEM_FIELDS", "System index fields (two, or more for every pair)",
                   multiple=True, numeric=True),
        TextInput("SYSTEM_NAMES", "System names for COORD_TYPE, comma separated "
                                  "(default the field names)", optional=True),
        TextInput("SYSTEM_NAMES_ZH", "Chinese system names for COORD_TYPE_ZH, comma separated "
                                     "(default the English names)", optional=True),
        NumberListInput("THRESHOLDS", "Lag thresholds low,high of E (default 0.9,1.1)",
                        optional=True),
        FieldInput("D_FIELD", "Coupling coordination degree field (default: computed)",
                   numeric=True, optional=True),
        EnumInput("MODEL", "Coupling model when D is computed", options=MODELS,
                  default="classic", advanced=True),
        OPTIONAL_ID_FIELD,
        OPTIONAL_YEAR_FIELD,
    )
    outputs = (TableOutput("OUTPUT", "Output layer", geometry_from=("INPUT",), style="relative"),)

    def run(self, values, feedback):
        df = values["INPUT"]
        fields = system_index_fields(values, values.get("D_FIELD"))
        id_field, year_field, d_field = (values.get(name) for name in
                                         ("ID_FIELD", "YEAR_FIELD", "D_FIELD"))
        names_en = _names(values.get("SYSTEM_NAMES"), fields, "SYSTEM_NAMES")
        names_zh = _names(values.get("SYSTEM_NAMES_ZH"), fields, "SYSTEM_NAMES_ZH") \
            if values.get("SYSTEM_NAMES_ZH") else dict(names_en)
        thresholds = values.get("THRESHOLDS")

        if id_field and year_field:
            check_keys(df, id_field, year_field)
        labels = row_labels(df, id_field, year_field)
        indices = numeric_values(df[fields].set_axis(labels), fields, None, None)
        pairs, lagging = lagging_systems(indices, thresholds)
        if len(fields) == 2:
            added = relative_development(indices[fields[0]], indices[fields[1]], thresholds)
        else:
            added = pairs
        if d_field:
            d = numeric_values(df[[d_field]].set_axis(labels), [d_field], None, None)[d_field]
        else:
            model = values.get("MODEL") or "classic"
            d = coupling_coordination(indices, model=model)["D"]
            feedback.info(f"D computed from {', '.join(fields)} with the {model} model "
                          "(give D_FIELD to use your own)")
        classes = d_classes(d)
        types = coordination_types(classes["D_CLASS_NAME"], classes["D_CLASS_ZH"], lagging,
                                   names_en, names_zh)
        added = pd.concat([added, types], axis=1)
        undefined = added.index[lagging.isna().to_numpy()]
        if len(undefined):
            feedback.warning(f"no lag type where every system index is 0 or NULL ({len(undefined)} "
                             "row(s)): " + ", ".join(map(str, undefined[:10])))
        new_fields_free(df, list(added.columns))
        added.index = df.index
        counts = added["COORD_TYPE"].value_counts()
        feedback.info("coordination types:\n" + counts.to_string())
        return {"OUTPUT": pd.concat([df, added], axis=1)}
