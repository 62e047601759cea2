"""The geographical detector tool: factor, interaction, risk and ecological detectors."""

from typing import Dict, List

import numpy as np
import pandas as pd

from spatial.errors import InputError
from spatial.panel import check_keys, numeric_values, require_fields

from ..parameters import EnumInput, FieldInput, FileOutput, NumberInput, TableOutput, TextInput
from ..tool import Tool
from .common import INPUT, OPTIONAL_ID_FIELD, OPTIONAL_YEAR_FIELD

DISCRETISATIONS = (
    ("optimal", "Optimal parameters (OPGD): best q over methods and class counts"),
    ("equal", "Equal intervals"),
    ("natural", "Natural breaks (Fisher-Jenks)"),
    ("quantile", "Quantiles"),
    ("geometric", "Geometric intervals"),
    ("sd", "Standard deviation"),
    ("breaks", "My breaks (BREAKS)"),
)
SCOPES = (
    ("pooled", "Pooled: all unit-years together"),
    ("year", "Per year"),
)


def parse_breaks(text) -> Dict[str, List[float]]:
    """``"INC: 10, 15; HOVAL: 30"`` → ``{"INC": [10.0, 15.0], "HOVAL": [30.0]}``."""
    result = {}
    if not text or not str(text).strip():
        return result
    for part in str(text).split(";"):
        if not part.strip():
            continue
        name, colon, numbers = part.partition(":")
        if not colon or not name.strip():
            raise InputError(f"BREAKS: expected 'FIELD: b1, b2, …' separated by ';', got {part!r}")
        try:
            values = [float(v) for v in numbers.replace(" ", ",").split(",") if v.strip()]
        except ValueError:
            raise InputError(f"BREAKS of {name.strip()!r}: not numbers: {numbers.strip()!r}")
        if not values:
            raise InputError(f"BREAKS of {name.strip()!r}: no break values")
        result[name.strip()] = values
    return result


class GeoDetector(Tool):
    id = "geodetector"
    order = 110
    title = "Geographical detector (factor, interaction, risk, ecological)"
    group = "Drivers"
    group_id = "drivers"
    help = (
        "The geographical detector (地理探测器) of a target (normally D) and its drivers. "
        "Factor detector: q = 1 − SSW/SST, the share of the target's variance between "
        "the strata of a driver, with the non-central F test of Wang, Zhang & Fu (2016). "
        "Interaction detector: q of the overlaid strata of two drivers and the "
        "interaction type (nonlinear weaken, univariate weaken, bivariate enhance, "
        "independent, nonlinear enhance). Risk detector: mean of the target in every "
        "stratum (STRATA) and Welch's t-test of every pair of strata (RISK). Ecological "
        "detector: F-test of whether one driver leaves significantly less within-strata "
        "variance than another.\n\n"
        "Continuous drivers (DRIVER_FIELDS) are cut into classes: by the optimal "
        "parameters search of Song et al. (2020) — equal, natural breaks, quantile, "
        "geometric and standard-deviation intervals with MIN_CLASSES to MAX_CLASSES "
        "classes, the largest q kept and reported (METHOD, CLASSES, BREAKS; SEARCH lists "
        "every q tried) —, by one method with CLASSES classes, or by your BREAKS "
        "('FIELD: b1, b2; FIELD2: b1'). Classes are right-closed, (a, b]. Categorical "
        "drivers (CATEGORY_FIELDS: region, province…) are used as they are. Per year or "
        "pooled over the years, and within each group of GROUP_FIELD (GROUP 'all' is "
        "the full sample). Rows with an empty target or driver are left out and "
        "counted in the log.\n\n"
        "References: Wang J.F. et al. (2010), IJGIS 24(1):107–127; Wang, Zhang & Fu "
        "(2016), Ecological Indicators 67:250–256; Wang & Xu (2017), Acta Geographica "
        "Sinica 72(1):116–134; Song et al. (2020), GIScience & Remote Sensing "
        "57(5):593–610.")
    parameters = (
        INPUT,
        OPTIONAL_ID_FIELD,
        OPTIONAL_YEAR_FIELD,
        FieldInput("TARGET_FIELD", "Target field (normally D)", numeric=True),
        FieldInput("DRIVER_FIELDS", "Continuous drivers (discretised)", multiple=True,
                   numeric=True, optional=True),
        FieldInput("CATEGORY_FIELDS", "Categorical drivers (used as strata)", multiple=True,
                   optional=True),
        EnumInput("DISCRETISATION", "Discretisation of continuous drivers",
                  options=DISCRETISATIONS, default="optimal"),
        NumberInput("CLASSES", "Classes (one method)", default=5, integer=True, minimum=2,
                    maximum=30),
        NumberInput("MIN_CLASSES", "Fewest classes in the optimal search", default=3,
                    integer=True, minimum=2, maximum=30, advanced=True),
        NumberInput("MAX_CLASSES", "Most classes in the optimal search", default=10,
                    integer=True, minimum=2, maximum=30, advanced=True),
        TextInput("BREAKS", "Breaks per driver: 'FIELD: b1, b2; FIELD2: b1'", optional=True),
        EnumInput("SCOPE", "Sample", options=SCOPES, default="pooled"),
        FieldInput("GROUP_FIELD", "Group field (e.g. the tier): also within each group",
                   optional=True),
        NumberInput("SIGNIFICANCE", "Significance level (risk and ecological detectors)",
                    default=0.05, minimum=0.0001, maximum=0.5, advanced=True),
        NumberInput("SEED", "Random seed (natural breaks on large samples)", default=0,
                    integer=True, minimum=0, advanced=True),
    )
    outputs = (
        TableOutput("FACTORS", "Factor detector"),
        TableOutput("INTERACTIONS", "Interaction detector"),
        TableOutput("RISK", "Risk detector: t-tests between strata"),
        TableOutput("ECOLOGICAL", "Ecological detector"),
        TableOutput("STRATA", "Strata: intervals, sizes and target means", optional=True),
        TableOutput("SEARCH", "Optimal discretisation search: q of every method and class count",
                    optional=True),
        FileOutput("HEATMAP", "Interaction heat map", extension="png", optional=True),
    )

    def run(self, values, feedback):
        # imported here, not with the tool list: scipy.stats takes ~1 s to load
        from spatial import geodetector

        df = values["INPUT"]
        target = values["TARGET_FIELD"]
        drivers = list(values.get("DRIVER_FIELDS") or [])
        categories = list(values.get("CATEGORY_FIELDS") or [])
        scope = values.get("SCOPE") or "pooled"
        year_field = values.get("YEAR_FIELD") or None
        group_field = values.get("GROUP_FIELD") or None
        if scope == "year" and not year_field:
            raise InputError("SCOPE 'year' needs YEAR_FIELD")
        table = pd.DataFrame(df.drop(columns="geometry") if hasattr(df, "geometry") else df)
        require_fields(table, [target, *drivers, *categories]
                       + [f for f in (year_field if scope == "year" else None, group_field) if f])
        id_field = values.get("ID_FIELD") or None
        if id_field and year_field:
            check_keys(table, id_field, year_field)
            # text and infinite values named by unit and year (the core names rows)
            numbers = numeric_values(table, [target, *drivers], id_field, year_field)
            infinite = np.isinf(numbers.to_numpy())
            if infinite.any():
                row, column = np.argwhere(infinite)[0]
                raise InputError(f"field {numbers.columns[column]!r} is infinite for unit "
                                 f"{table[id_field].iloc[row]} year {table[year_field].iloc[row]} "
                                 f"({int(infinite.sum())} value(s) in all); every value must be a "
                                 "finite number")
            del numbers, infinite
        discretisation = values.get("DISCRETISATION") or "optimal"
        user_breaks = parse_breaks(values.get("BREAKS"))
        if discretisation == "breaks" and not user_breaks:
            raise InputError("DISCRETISATION 'breaks' needs BREAKS ('FIELD: b1, b2; FIELD2: b1')")
        options = dict(discretisation=discretisation, classes=int(values.get("CLASSES") or 5),
                       min_classes=int(values.get("MIN_CLASSES") or 3),
                       max_classes=int(values.get("MAX_CLASSES") or 10), user_breaks=user_breaks,
                       alpha=float(values.get("SIGNIFICANCE") or 0.05),
                       seed=int(values.get("SEED") or 0))
        by = [year_field] if scope == "year" else []
        # the detectors' tables only: each sample's strata (a code per row and driver) go
        results = [("all", _tables_only(geodetector.geodetector_by(
            table, target, drivers, categories, by=by, **options)))]
        if group_field:
            for value, sample in table.groupby(group_field, sort=True, dropna=True):
                feedback.check_canceled()
                try:
                    results.append((str(value), _tables_only(geodetector.geodetector_by(
                        sample, target, drivers, categories, by=by, **options))))
                except InputError as error:
                    raise InputError(f"group {group_field} = {value}: {error}") from None
                del sample
        feedback.progress(0.9)
        tables = {}
        for output, attribute in (("FACTORS", "factors"), ("INTERACTIONS", "interactions"),
                                  ("RISK", "risk"), ("ECOLOGICAL", "ecological"),
                                  ("STRATA", "strata"), ("SEARCH", "search")):
            parts = [getattr(result, attribute).assign(GROUP=group) for group, result in results]
            stacked = pd.concat(parts, ignore_index=True)
            first = by + ["GROUP"]
            tables[output] = stacked[first + [c for c in stacked.columns if c not in first]]
        for _, result in results:
            for note in result.notes:
                feedback.warning(note)
        factors = tables["FACTORS"]
        feedback.info("factor detector:\n" + factors[first + ["DRIVER", "Q", "P", "METHOD",
                                                              "CLASSES"]].to_string(index=False))
        tables["HEATMAP"] = interaction_heatmap(tables["FACTORS"], tables["INTERACTIONS"], target)
        return tables


def _tables_only(result):
    result.discretisations = {}
    return result


def interaction_heatmap(factors: pd.DataFrame, interactions: pd.DataFrame, target: str) -> bytes:
    """PNG of q (diagonal) and q(A ∩ B) (below it) for the full pooled sample
    or, per year, the last year; empty bytes when there is nothing to draw."""
    factors = factors[factors["GROUP"] == "all"]
    interactions = interactions[interactions["GROUP"] == "all"]
    title = f"Interaction detector: q of {target}"
    if "GROUP" in factors and len(factors.columns) and factors.columns[0] != "GROUP":
        year_field = factors.columns[0]
        last = factors[year_field].max()
        factors = factors[factors[year_field] == last]
        interactions = interactions[interactions[year_field] == last]
        title += f", {last}"
    names = factors["DRIVER"].tolist()
    if not names:
        return b""
    import numpy as np

    from ..figures import new_figure, png_bytes

    grid = np.full((len(names), len(names)), np.nan)
    position = {name: i for i, name in enumerate(names)}
    for name, q in zip(factors["DRIVER"], factors["Q"]):
        grid[position[name], position[name]] = q
    for a, b, q in zip(interactions["DRIVER_A"], interactions["DRIVER_B"], interactions["Q_AB"]):
        i, j = sorted((position[a], position[b]), reverse=True)
        grid[i, j] = q
    size = 1.2 + 0.75 * len(names)
    figure = new_figure(size + 1.5, size)  # no pyplot: steps may draw in threads
    axes = figure.add_subplot()
    top = max(1e-9, float(np.nanmax(grid)))
    image = axes.imshow(grid, cmap="YlOrRd", vmin=0, vmax=top)
    for (i, j), q in np.ndenumerate(grid):
        if q == q:
            axes.text(j, i, f"{q:.2f}", ha="center", va="center", fontsize=8,
                      color="white" if q > 0.6 * top else "black")
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_title(title)
    figure.colorbar(image, ax=axes, label="q")
    return png_bytes(figure, False)
