"""Hot and cold spots of D and their evolution (section ``[hotspots]``)."""

import pandas as pd

from ..config import BOOL, FLOAT, INT, INT_LIST, OPTIONS_KEY, STR, Key, StudyConfigError
from ..figures import category_map, map_units
from ..step import Step, StepSkipped, check_years
from ..tools.hotspots import EmergingHotSpots, HotSpots

HOT, EMERGING = HotSpots(), EmergingHotSpots()
BIN_COLOURS = {3: "#d62f27", 2: "#ed7551", 1: "#fab984", 0: "#f7f7f2", -1: "#c0ccbe",
               -2: "#849eba", -3: "#4575b5"}
BIN_NAMES = {3: "Hot 99 %", 2: "Hot 95 %", 1: "Hot 90 %", 0: "Not significant", -1: "Cold 90 %",
             -2: "Cold 95 %", -3: "Cold 99 %"}
PATTERN_COLOURS = {
    "NEW_HOT": "#ffc0c0", "CONSECUTIVE_HOT": "#ff8080", "INTENSIFYING_HOT": "#ff0000",
    "PERSISTENT_HOT": "#a80000", "DIMINISHING_HOT": "#ff7f7f", "SPORADIC_HOT": "#ffbebe",
    "OSCILLATING_HOT": "#e69800", "HISTORICAL_HOT": "#c29ed7", "NEW_COLD": "#bed2ff",
    "CONSECUTIVE_COLD": "#7fb2ff", "INTENSIFYING_COLD": "#0070ff", "PERSISTENT_COLD": "#002673",
    "DIMINISHING_COLD": "#73b2ff", "SPORADIC_COLD": "#bee8ff", "OSCILLATING_COLD": "#00a884",
    "HISTORICAL_COLD": "#9ed7c2", "NO_PATTERN": "#e1e1e1"}
WEIGHTS = ("queen", "rook", "knn", "distance", "kernel")


def weights_values(section):
    """The weights parameters of the spatial tools from a section's keys."""
    return {"WEIGHTS_TYPE": section["weights"], "K": section.get("k") or 4,
            "THRESHOLD": section.get("threshold"), "TARGET_CRS": section.get("target_crs")}


WEIGHT_KEYS = (
    Key("weights", STR, "queen", "Spatial weights: `queen`, `rook`, `knn`, `distance` or `kernel`.",
        choices=WEIGHTS),
    Key("k", INT, None, "Neighbours for `knn` / adaptive `kernel` weights."),
    Key("threshold", FLOAT, None, "Distance band for `distance` weights (CRS units)."),
    Key("target_crs", INT, None, "EPSG code to reproject to before distance-based weights.",
        minimum=1024, maximum=999999),
)


class HotSpotsStep(Step):
    name = "hotspots"
    title = "hot spots"
    order = 82
    independent = True
    absent_note = "Getis–Ord Gi* hot spots and emerging hot spots"
    template = "hotspots.html.j2"
    tools = (HOT.id, EMERGING.id)
    tables = {"hotspots": "Gi* per unit and year", "hotspot_counts": "bins per year",
              "emerging": "emerging hot spot pattern per unit"}
    keys = (
        Key("value_field", STR, "D", "Value whose hot and cold spots are sought."),
        *WEIGHT_KEYS,
        Key("inference", STR, "permutation", "`permutation` (conditional) or `normal` p-values.",
            choices=("permutation", "normal")),
        Key("permutations", INT, 999, "Permutations.", minimum=9),
        Key("seed", INT, 0, "Seed of the permutations.", minimum=0),
        Key("correction", STR, "fdr", "`none`, `fdr` or `bonferroni` within each year.",
            choices=("none", "fdr", "bonferroni")),
        Key("emerging", BOOL, True, "Emerging hot spot patterns over the years."),
        Key("trend_significance", FLOAT, 0.05, "Significance of the Mann–Kendall trend.",
            minimum=0.0, maximum=0.5),
        Key("map_years", INT_LIST, None, "Years with Gi* maps (default the last)."),
        OPTIONS_KEY,
    )

    def resolve(self, section, config, base_dir):
        if section["weights"] == "distance" and "threshold" not in section:
            raise StudyConfigError('hotspots.threshold: missing; expected a distance for weights = "distance"')
        return section

    def resolve_years(self, section, years):
        section.setdefault("map_years", [years[-1]])
        check_years(section["map_years"], years, "hotspots.map_years")

    def run(self, context, piece):
        h = context.study["hotspots"]
        result = context.result
        if result.units is None:
            raise StepSkipped("no unit polygons: give data.polygons (or a panel layer with geometry)")
        wanted = {**context.common, "VALUE_FIELD": h["value_field"], "INFERENCE": h["inference"],
                  "PERMUTATIONS": h["permutations"], "SEED": h["seed"], "CORRECTION": h["correction"],
                  "TREND_SIGNIFICANCE": h["trend_significance"], **weights_values(h)}
        tables = {"INPUT": context.frame(), "POLYGONS": result.units}
        how = (f"Getis–Ord Gi* of {h['value_field']}: {h['weights']} weights, {h['inference']} p "
               + (f"({h['permutations']} permutations, seed {h['seed']})" if h["inference"] == "permutation"
                  else "") + f", correction {h['correction']}.")
        years = int(tables["INPUT"][context.year_field].nunique())
        emerging = h["emerging"] and years >= 3
        if h["emerging"] and not emerging:  # the tool refuses them: the study goes on without
            context.warning(self.title, f"{years} year(s) of data: emerging hot spot patterns "
                            "need at least 3 (a trend over the years); Gi* per year only")
        tool = EMERGING if emerging else HOT
        out = context.call(tool, "hotspots", wanted, self.title, tables, h.get("options"))
        yearly = out["HOT_SPOTS"] if emerging else out["OUTPUT"]
        yearly = pd.DataFrame(yearly.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
        result.tables["hotspots"] = yearly
        result.methods["hotspots"] = how
        year = context.year_field
        result.tables["hotspot_counts"] = pd.crosstab(yearly[year], yearly["GI_BIN"]).reset_index()
        result.methods["hotspot_counts"] = how
        if emerging:
            result.tables["emerging"] = pd.DataFrame(out["OUTPUT"]).reset_index(drop=True)
            result.methods["emerging"] = (how + " Patterns as ArcGIS Pro's Emerging Hot Spot Analysis "
                                          f"defines them; Mann–Kendall trend at {h['trend_significance']:g}.")
        return h["inference"]

    def figures(self, result):
        h, tables = result.study["hotspots"], result.tables
        if result.units is None or "hotspots" not in tables:
            return {}
        id_field, year_field = result.study["data"]["id_field"], result.study["data"]["year_field"]
        units = map_units(result)
        figures = {}
        yearly = tables["hotspots"]
        for year in h["map_years"]:
            rows = yearly[pd.to_numeric(yearly[year_field]) == year]
            values = pd.Series(rows["GI_BIN"].astype(int).to_numpy(), index=rows[id_field].to_numpy())
            figures[f"hotspots_{year}"] = category_map(units, id_field, values, BIN_COLOURS, BIN_NAMES,
                                                       f"Gi* hot and cold spots of {h['value_field']}, {year}",
                                                       result.synthetic)
        if "emerging" in tables:
            e = tables["emerging"]
            values = pd.Series(e["PATTERN"].to_numpy(), index=e[id_field].to_numpy())
            names = {k: k.replace("_", " ").lower() for k in PATTERN_COLOURS}
            figures["emerging"] = category_map(units, id_field, values, PATTERN_COLOURS, names,
                                               f"Emerging hot spots of {h['value_field']}", result.synthetic)
        return figures

    def report(self, result):
        counts = result.tables.get("hotspot_counts")
        if counts is None:
            return None
        emerging = result.tables.get("emerging")
        patterns = emerging["PATTERN"].value_counts().rename_axis("pattern").reset_index() \
            if emerging is not None else None
        return {"counts": counts, "patterns": patterns,
                "maps": [f"hotspots_{y}" for y in result.study["hotspots"]["map_years"]]}


STEP = HotSpotsStep()
