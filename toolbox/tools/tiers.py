"""Coordination tiers of a value (normally D), with counts and group means."""

from spatial.panel import require_fields
from spatial.tiers import D_CLASS_BREAKS, group_means, tier_counts, tiers

from ..parameters import EnumInput, FieldInput, NumberInput, NumberListInput, TableOutput
from ..tool import Tool
from .common import ID_FIELD, INPUT, YEAR_FIELD, checked_panel, new_fields_free

METHODS = (
    ("kmeans_year", "K-means within each year (the reference study's; tiers not comparable across years)"),
    ("kmeans_pooled", "K-means pooled over all years (fixed thresholds, comparable)"),
    ("jenks", "Jenks natural breaks, pooled"),
    ("quantiles", "Quantiles, pooled"),
    ("fixed", "Fixed classes (the ten D classes, or the breaks given)"),
)


class CoordinationTiers(Tool):
    id = "coordinationtiers"
    order = 70
    title = "Coordination tiers"
    group = "Tiers & inequality"
    group_id = "tiers"
    help = (
        "Sorts every unit-year into tiers of a value, normally the coupling "
        "coordination degree D: K-means per year (k = 3 gives the reference study's "
        "low / mid / high coordination), K-means pooled over all years, Jenks natural "
        "breaks, quantiles, or fixed classes. Tiers are ordered by centroid or "
        "interval: 0 is the lowest.\n\n"
        "THRESHOLDS gives the value range (and K-means centroid) each tier covers, per "
        "year for per-year K-means. COUNTS gives the number of units per tier and year "
        "(the study's Table 3). GROUP_MEANS gives the mean value per group (e.g. urban "
        "agglomeration; per tier when no group field is given) and year, with an "
        "'overall' row over all units (the study's Table 2).\n\n"
        "References: Lloyd (1982), IEEE Transactions on Information Theory 28(2):129–137 "
        "(K-means, scikit-learn); Jenks (1967), International Yearbook of Cartography "
        "7:186–190 (natural breaks, Fisher's exact optimisation).")
    parameters = (
        INPUT,
        ID_FIELD,
        YEAR_FIELD,
        FieldInput("VALUE_FIELD", "Value field (normally D)", numeric=True),
        EnumInput("METHOD", "Method", options=METHODS, default="kmeans_year"),
        NumberInput("K", "Number of tiers (K-means, Jenks, quantiles)", default=3, integer=True,
                    minimum=2, maximum=20),
        NumberInput("SEED", "Random seed (K-means, Jenks sample)", default=0, integer=True, minimum=0,
                    advanced=True),
        NumberListInput("BREAKS", "Class breaks for fixed classes, comma separated "
                                  "(default 0, 0.1, …, 1)", optional=True, advanced=True),
        FieldInput("GROUP_FIELD", "Group field for the group means (e.g. urban agglomeration)",
                   optional=True),
    )
    outputs = (
        TableOutput("OUTPUT", "Output layer", geometry_from=("INPUT",), style="tier"),
        TableOutput("COUNTS", "Tier counts per year"),
        TableOutput("GROUP_MEANS", "Mean value per group and year"),
        TableOutput("THRESHOLDS", "Tier thresholds"),
    )

    def run(self, values, feedback):
        df = values["INPUT"]
        id_field, year_field, value_field = values["ID_FIELD"], values["YEAR_FIELD"], values["VALUE_FIELD"]
        group_field = values.get("GROUP_FIELD")
        new_fields_free(df, ["TIER"])
        panel = checked_panel(df, id_field, year_field, [value_field])
        if group_field:
            require_fields(df, [group_field])
        method = values.get("METHOD", "kmeans_year")
        result = tiers(
            panel, value_field, year_field, method=method, k=int(values.get("K") or 3),
            seed=int(values.get("SEED") or 0), breaks=values.get("BREAKS"), id_field=id_field)
        for note in result.notes:
            feedback.warning(note)
        feedback.progress(0.7)
        out = df.copy()
        out["TIER"] = result.tier.to_numpy()
        all_tiers = None
        if method == "fixed":
            breaks = values.get("BREAKS") or D_CLASS_BREAKS
            all_tiers = range(len(breaks) - 1)
        counts = tier_counts(out, "TIER", year_field, all_tiers=all_tiers)
        by = group_field or "TIER"
        means = group_means(out, value_field, by, year_field)
        feedback.info(f"tiers by {method}; thresholds:\n" + result.thresholds.to_string(index=False))
        feedback.progress(1.0)
        return {"OUTPUT": out, "COUNTS": counts, "GROUP_MEANS": means,
                "THRESHOLDS": result.thresholds}
