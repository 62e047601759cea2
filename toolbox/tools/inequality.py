"""Inequality of a value between and within groups: Dagum Gini decomposition."""

from spatial.dagum import dagum_by_year
from spatial.panel import require_fields

from ..parameters import EnumInput, FieldInput, TableOutput
from ..tool import Tool
from .common import ID_FIELD, INPUT, YEAR_FIELD, checked_panel


class DagumGini(Tool):
    id = "dagumgini"
    order = 80
    title = "Dagum Gini decomposition"
    group = "Tiers & inequality"
    group_id = "tiers"
    help = (
        "Dagum (1997) decomposition of the Gini coefficient of a value (normally D) "
        "by a group field — tiers, regions, urban agglomerations — for each year: "
        "G = Gw + Gnb + Gt (within groups, net between groups, transvariation), with "
        "their shares of G in %, and the plain Gini beside it (the study's Table 4).\n\n"
        "PAIRS gives the within-group Gini G_jj of every group (GROUP_A = GROUP_B) "
        "and the between-group Gini G_jh and relative economic affluence D_jh of "
        "every pair, GROUP_A being the group with the larger mean (Table 5).\n\n"
        "Computed by sorting and cumulative sums in O(n log n), so county or grid "
        "panels of millions of units work. Values must be non-negative and not all "
        "zero in a year.\n\n"
        "Reference: Dagum (1997), Empirical Economics 22:515–531.")
    parameters = (
        INPUT,
        ID_FIELD,
        YEAR_FIELD,
        FieldInput("VALUE_FIELD", "Value field (normally D)", numeric=True),
        FieldInput("GROUP_FIELD", "Group field (tier, region, agglomeration)"),
        EnumInput("SINGLETONS", "Groups with one member in a year",
                  options=(("error", "Stop with an error"),
                           ("allow", "Allow (their within-group Gini is 0)")),
                  default="error", advanced=True),
    )
    outputs = (
        TableOutput("OUTPUT", "Dagum Gini decomposition per year"),
        TableOutput("PAIRS", "Within- and between-group Gini per year"),
    )

    def run(self, values, feedback):
        df = values["INPUT"]
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        value_field, group_field = values["VALUE_FIELD"], values["GROUP_FIELD"]
        panel = checked_panel(df, id_field, year_field, [value_field])
        require_fields(df, [group_field])
        panel[group_field] = df[group_field]
        output, pairs = dagum_by_year(
            panel, value_field, group_field, year_field,
            allow_singletons=values.get("SINGLETONS") == "allow", id_field=id_field)
        feedback.progress(1.0)
        return {"OUTPUT": output, "PAIRS": pairs}
