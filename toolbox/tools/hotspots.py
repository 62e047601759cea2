"""Hot and cold spots: Getis–Ord Gi* per year and emerging hot-spot patterns."""

import pandas as pd

from spatial.errors import InputError
from spatial.hotspots import emerging_hot_spots, hot_spots_by_year

from ..parameters import EnumInput, NumberInput, TableOutput, TextInput
from ..tool import Tool
from .common import ID_FIELD, YEAR_FIELD
from .spatial import (CORRECTIONS, GROUP, GROUP_ID, PANEL, POLYGONS, SEED, THREADS, VALUE_FIELD,
                      WEIGHTS_FILE, _panel, _years, permutation_threads, unit_polygons, unit_weights,
                      weights_parameters)

INFERENCE = EnumInput("INFERENCE", "p-values", options=(
    ("permutation", "Conditional permutation (two-sided pseudo p)"),
    ("normal", "Normal approximation of z (as ArcGIS)")), default="permutation")
PERMUTATIONS = NumberInput("PERMUTATIONS", "Permutations", default=999, integer=True, minimum=9,
                           maximum=99999, advanced=True)
CORRECTION = EnumInput("CORRECTION", "Multiple-testing correction within each year",
                       options=CORRECTIONS, default="fdr")
YEARS = TextInput("YEARS", "Years, comma separated (default all)", optional=True)
GI_HELP = (
    "Gi* z = (Σⱼ wᵢⱼxⱼ − X̄ Σⱼ wᵢⱼ) / (S √((n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²)/(n−1))) with the unit among "
    "its own neighbours (self-weight 1) and the weights as built (binary contiguity, k-nearest "
    "or distance band, or kernel values). p-values are two-sided, from conditional permutations "
    "(the unit keeps its value, its neighbours' values are drawn from the other units; 999 "
    "seeded permutations by default) or from the normal approximation as ArcGIS reports them. "
    "GI_BIN is ArcGIS's bin: ±3, ±2, ±1 for hot (+) or cold (−) spots at 99, 95 and 90 % "
    "confidence, 0 not significant; the false discovery rate correction (default) lowers the "
    "cut-off of each level within each year. Units without neighbours get no z and bin 0.")


def _hot_spots(values, feedback):
    """(table, polygons, Gi* per unit and year) as the parameters ask."""
    value_field = values["VALUE_FIELD"]
    table = _panel(values, [value_field])
    id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
    years = _years(values.get("YEARS"), table[year_field])
    table = table[table[year_field].isin(years)]
    polygons = unit_polygons(values, id_field, table[id_field].unique(), feedback)
    weights = unit_weights(values, polygons, id_field, "WEIGHTS_TYPE", feedback)
    feedback.progress(0.2)
    result = hot_spots_by_year(
        table, id_field, year_field, value_field, weights,
        inference=values.get("INFERENCE") or "permutation",
        permutations=int(values.get("PERMUTATIONS") or 999), seed=int(values.get("SEED") or 0),
        correction=values.get("CORRECTION") or "fdr", n_jobs=permutation_threads(values))
    if year_field != "YEAR":
        result = result.rename(columns={"YEAR": year_field})
    return table, polygons, result


def _on_polygons(result, polygons, id_field):
    """Index ``result`` rows by the row of their unit's polygon (geometry for writers)."""
    row_of_unit = pd.Series(polygons.index, index=polygons[id_field].to_numpy())
    result.index = row_of_unit.reindex(result[id_field]).to_numpy()
    return result


class HotSpots(Tool):
    id = "hotspots"
    order = 180
    title = "Hot and cold spots (Getis–Ord Gi*) per year"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "Getis–Ord Gi* of a value for every unit and year: where high values (hot spots) or "
        "low values (cold spots) cluster more than chance would allow. " + GI_HELP + "\n\n"
        "The output has one polygon per unit and year, styled in ArcGIS's red–blue hot spot "
        "colours.\n\n"
        "References: Getis & Ord (1992), Geographical Analysis 24(3):189–206; Ord & Getis "
        "(1995), Geographical Analysis 27(4):286–306; Benjamini & Hochberg (1995), JRSS B "
        "57(1):289–300; ArcGIS Pro, How Hot Spot Analysis (Getis-Ord Gi*) works.")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD, VALUE_FIELD, YEARS, INFERENCE, CORRECTION,
                  PERMUTATIONS, SEED, THREADS) + weights_parameters("WEIGHTS_TYPE") + (WEIGHTS_FILE,)
    outputs = (TableOutput("OUTPUT", "Hot and cold spots", geometry_from=("POLYGONS", "INPUT"),
                           style="hotspots"),)

    def run(self, values, feedback):
        table, polygons, result = _hot_spots(values, feedback)
        id_field, year_field, value_field = values["ID_FIELD"], values["YEAR_FIELD"], values["VALUE_FIELD"]
        counts = pd.crosstab(result[year_field], result["GI_BIN"])
        feedback.info("Gi* bins per year (−3 … 3):\n" + counts.to_string())
        keys = pd.MultiIndex.from_arrays([result[id_field], result[year_field]])
        result.insert(2, value_field,
                      table.set_index([id_field, year_field])[value_field].reindex(keys).to_numpy())
        return {"OUTPUT": _on_polygons(result, polygons, id_field)}


class EmergingHotSpots(Tool):
    id = "emerginghotspots"
    order = 190
    title = "Emerging hot spots"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "How the hot and cold spots of a value evolve over the years: the yearly Gi* hot "
        "spots of every unit and the Mann–Kendall trend of its yearly Gi* z-scores give one "
        "pattern per unit, following ArcGIS Pro's Emerging Hot Spot Analysis: new, "
        "consecutive, intensifying, persistent, diminishing, sporadic, oscillating or "
        "historical hot spot, the same for cold spots, or no pattern. A year counts as a hot "
        "(cold) spot where GI_BIN > 0 (< 0), i.e. significant at 90 % or more. Intensifying, "
        "persistent and diminishing need ≥ 90 % of the years hot including the last; new: hot "
        "in the last year only; consecutive: one final run of ≥ 2 hot years and never hot "
        "before; sporadic: hot in the last year, on and off before, never cold; oscillating: "
        "hot in the last year and cold in an earlier one; historical: ≥ 90 % of the years hot "
        "but not the last. ArcGIS asks for at least 10 years.\n\n" + GI_HELP + " The Gi* here "
        "is that of each year (no time neighbours).\n\n"
        "References: ArcGIS Pro, How Emerging Hot Spot Analysis works; Getis & Ord (1992); "
        "Mann (1945), Econometrica 13:245–259; Kendall (1975), Rank Correlation Methods.")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD, VALUE_FIELD, YEARS, INFERENCE, CORRECTION,
                  NumberInput("TREND_SIGNIFICANCE", "Significance of the Mann–Kendall trend",
                              default=0.05, minimum=0.0001, maximum=0.5),
                  PERMUTATIONS, SEED, THREADS) + weights_parameters("WEIGHTS_TYPE") + (WEIGHTS_FILE,)
    outputs = (TableOutput("OUTPUT", "Emerging hot spot patterns",
                           geometry_from=("POLYGONS", "INPUT"), style="emerging"),
               TableOutput("HOT_SPOTS", "Gi* per unit and year", optional=True,
                           geometry_from=("POLYGONS", "INPUT"), style="hotspots"))

    def run(self, values, feedback):
        table, polygons, result = _hot_spots(values, feedback)
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        years = sorted(result[year_field].unique())
        if len(years) < 3:
            raise InputError(f"emerging hot spots need at least 3 years (ArcGIS asks for 10); got "
                             f"{len(years)}")
        if len(years) < 10:
            feedback.warning(f"{len(years)} years: ArcGIS's emerging hot spot analysis asks for at "
                             "least 10; with fewer the 90 % rules mean every year")
        feedback.progress(0.8)
        patterns = emerging_hot_spots(result.rename(columns={year_field: "YEAR"}), id_field,
                                      float(values.get("TREND_SIGNIFICANCE") or 0.05))
        feedback.info("patterns:\n" + patterns["PATTERN"].value_counts().to_string())
        return {"OUTPUT": _on_polygons(patterns, polygons, id_field),
                "HOT_SPOTS": _on_polygons(result, polygons, id_field)}
