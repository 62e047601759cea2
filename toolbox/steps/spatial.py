"""Spatial structure of D (section ``[spatial]``): Moran's I, LISA, spatial Markov."""

import numpy as np
import pandas as pd

from spatial.errors import InputError

from ..charts import CLUSTER_COLOURS
from ..config import BOOL, FLOAT, INT, INT_LIST, OPTIONS_KEY, STR, Key, StudyConfigError
from ..figures import axes_title, category_map, map_units, new_figure, png_bytes
from ..step import Step, StepSkipped, YearsPiece, check_years, year_chunks
from ..tools.spatial import GlobalMoran, LocalMoran, SpatialMarkov
from .tiers import tier_note

TOOLS = (GlobalMoran(), LocalMoran(), SpatialMarkov())
TOOLS_BY_ID = {tool.id: tool for tool in TOOLS}
TITLES = {"globalmoran": "global Moran's I", "localmoran": "LISA", "spatialmarkov": "spatial Markov"}
TABLE_NAMES = {"globalmoran": "moran", "localmoran": "lisa"}
LISA_NAMES = {"HH": "High-High", "LL": "Low-Low", "LH": "Low-High", "HL": "High-Low",
              "NS": "Not significant", "ISOLATED": "No neighbours"}
WEIGHT_CHOICES = ("queen", "rook", "knn", "distance", "kernel")


class Spatial(Step):
    name = "spatial"
    title = "spatial autocorrelation"
    order = 80
    independent = True
    chapter = "Spatial structure"
    absent_note = "Moran's I and LISA"
    template = "spatial.html.j2"
    tools = tuple(tool.id for tool in TOOLS)
    tables = {"moran": "global Moran's I per year", "lisa": "LISA per unit and year",
              "markov_transitions": "spatial Markov transitions", "markov_tests": "tests"}
    keys = (
        Key("value_field", STR, "D", "Value tested for spatial autocorrelation."),
        Key("weights", STR, "queen", "Spatial weights: `queen`, `rook`, `knn`, `distance` or `kernel`.",
            choices=WEIGHT_CHOICES),
        Key("k", INT, None, "Neighbours for `knn` / adaptive `kernel` weights."),
        Key("threshold", FLOAT, None, "Distance band for `distance` weights (CRS units)."),
        Key("target_crs", INT, None, "EPSG code to reproject to before distance-based weights "
            "(`knn`, `distance`, `kernel`) on a longitude/latitude layer, e.g. 32649.",
            minimum=1024, maximum=999999),
        Key("permutations", INT, 999, "Permutations for pseudo p-values.", minimum=0),
        Key("seed", INT, 0, "Seed of the permutations.", minimum=0),
        Key("draws", STR, "paired", "Global Moran's permutation draws: `paired` (pairwise independent, "
            "about twice as fast) or `independent` (one shuffle each).", choices=("paired", "independent")),
        Key("significance", FLOAT, 0.05, "Significance level of LISA clusters.", minimum=0.0, maximum=1.0),
        Key("correction", STR, "none", "Multiple-testing correction of LISA: `none`, `fdr`, `bonferroni`.",
            choices=("none", "fdr", "bonferroni")),
        Key("lisa_years", INT_LIST, None, "Years with LISA cluster maps (default first and last year)."),
        Key("markov", BOOL, True, "Spatial Markov transitions of the tiers (of value quantiles "
            "without `[tiers]`)."),
        Key("markov_weights", STR, None, "Weights of the spatial Markov chain, which needs every unit "
            "to have neighbours (default `weights`; `knn` where contiguity leaves islands).",
            choices=WEIGHT_CHOICES),
        OPTIONS_KEY,
    )

    def resolve(self, spatial, config, base_dir):
        if spatial["weights"] == "distance" and "threshold" not in spatial:
            raise StudyConfigError('spatial.threshold: missing; expected a distance (CRS units) for '
                                   'weights = "distance"')
        spatial.setdefault("markov_weights", spatial["weights"])
        if spatial["markov_weights"] == "distance" and "threshold" not in spatial:
            raise StudyConfigError('spatial.threshold: missing; expected a distance (CRS units) for '
                                   'markov_weights = "distance"')
        if {spatial["weights"], spatial["markov_weights"]} & {"knn", "kernel"}:
            spatial.setdefault("k", 4)
        return spatial

    def resolve_years(self, spatial, years):
        spatial.setdefault("lisa_years", [years[0], years[-1]] if years[0] != years[-1] else [years[0]])
        check_years(spatial["lisa_years"], years, "spatial.lisa_years")

    def pieces(self, study, years=(), workers=1):
        """Global Moran and LISA in ``workers`` runs of years each (every year
        is seeded by its calendar year, so the split changes no number), then
        the spatial Markov chain, which needs every year."""
        chunks = year_chunks(years, workers) if years else [()]
        pieces = []
        for tool in TOOLS[:2]:
            for chunk in chunks:
                piece = YearsPiece((tool.id, chunk is chunks[-1]), chunk)
                pieces.append((TITLES[tool.id] + (f" {piece.span}" if len(chunks) > 1 else ""), piece))
        if study["spatial"]["markov"]:
            pieces.append((TITLES["spatialmarkov"], YearsPiece(("spatialmarkov", True), ())))
        return pieces

    def run(self, context, piece):
        s = context.study["spatial"]
        result = context.result
        if result.units is None:
            raise StepSkipped("no unit polygons: give data.polygons (or a panel layer with geometry)")
        tool_id, last_years = piece.part
        tool = TOOLS_BY_ID[tool_id]
        options = s.get("options") or {}
        unknown = [k for k in options if not any(k in (p.name for p in t.parameters) for t in TOOLS)]
        if unknown:
            raise StudyConfigError(f"spatial.options.{unknown[0]}: not a parameter of "
                                   f"{', '.join(t.id for t in TOOLS)}")
        weights = {"WEIGHTS": s["weights"], "WEIGHTS_TYPE": s["weights"], "TYPE": s["weights"],
                   "K": s.get("k"), "THRESHOLD": s.get("threshold"), "DISTANCE": s.get("threshold"),
                   "TARGET_CRS": s.get("target_crs")}
        wanted = {**context.common, "VALUE_FIELD": s["value_field"], "PERMUTATIONS": s["permutations"],
                  "SEED": s["seed"], **weights}
        how = weights_note(s) + f"; {s['permutations']} permutations, seed {s['seed']}"
        files = ()
        if tool.id == "localmoran":
            wanted.update(SIGNIFICANCE=s["significance"], CORRECTION=s["correction"])
            files = ("SCATTERPLOT",) if last_years else ()  # of the last year
        if tool.id == "globalmoran":
            wanted.update(DRAWS=s["draws"])
        if tool.id == "spatialmarkov":
            if context.study.has("tiers"):
                wanted.update(TIER_FIELD="TIER", VALUE_FIELD=None)
            wanted.update(WEIGHTS=s["markov_weights"], WEIGHTS_TYPE=s["markov_weights"],
                          TYPE=s["markov_weights"])
        own = {k: v for k, v in options.items() if any(p.name == k for p in tool.parameters)}
        tables = {"INPUT": context.frame(piece.years or None), "POLYGONS": result.units}
        try:
            out = context.call(tool, "spatial", wanted, tool.id, tables, own, files=files)
        except StepSkipped as problem:
            return self._not_run(result, str(problem))
        except InputError as problem:
            if tool.id != "spatialmarkov" or isinstance(problem, StudyConfigError):
                raise
            # the chain needs neighbours for every unit, which Moran's I does not: report, go on
            return self._not_run(result, f"spatial Markov chain: {problem}")
        for key, table in out.items():
            if isinstance(table, bytes):
                result.figures[f"{tool.id}_{key.lower()}"] = table
            if not isinstance(table, pd.DataFrame):
                continue
            name = TABLE_NAMES[tool.id] if key == "OUTPUT" and tool.id in TABLE_NAMES else \
                f"{tool.id.replace('spatial', '')}_{key.lower()}"
            table = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
            result.tables[name] = table.reset_index(drop=True)
            result.methods[name] = method_line(tool.id, s, how, context.study)
        return how

    @staticmethod
    def _not_run(result, why):
        note = f"not run: {why}"
        result.log.append(f"[spatial] {note}")
        return note

    def figures(self, result):
        study, tables, synthetic = result.study, result.tables, result.synthetic
        s = study["spatial"]
        figures = {}
        if "moran" in tables and len(tables["moran"]):
            figures["moran"] = moran_figure(tables["moran"], s["value_field"], synthetic)
        if result.units is not None and "lisa" in tables and "CLUSTER" in tables["lisa"]:
            id_field, year_field = study["data"]["id_field"], study["data"]["year_field"]
            units = map_units(result)
            lisa = tables["lisa"]
            lisa_year = "YEAR" if "YEAR" in lisa.columns else year_field
            for year in s["lisa_years"]:
                rows = lisa[pd.to_numeric(lisa[lisa_year]) == year] if lisa_year in lisa else lisa
                values = pd.Series(rows["CLUSTER"].to_numpy(), index=rows[id_field].to_numpy())
                figures[f"lisa_map_{year}"] = category_map(
                    units, id_field, values, CLUSTER_COLOURS, LISA_NAMES,
                    f"LISA clusters of {s['value_field']}, {year}", synthetic)
        return figures

    def report(self, result):
        study, tables = result.study, result.tables
        notes = [r.note for r in result.steps if r.step == "spatial" and r.note.startswith("not run")]
        lisa = tables.get("lisa")
        counts = None
        if lisa is not None and "CLUSTER" in lisa:
            year = "YEAR" if "YEAR" in lisa else study["data"]["year_field"]
            counts = pd.crosstab(lisa[year], lisa["CLUSTER"])
            counts = counts[[c for c in CLUSTER_COLOURS if c in counts.columns]].reset_index()
        markov = [(name, table.head(60)) for name, table in tables.items() if name.startswith("markov_")]
        return {"notes": notes, "moran": tables.get("moran"), "counts": counts, "markov": markov,
                "maps": [(f"lisa_map_{y}", f"LISA clusters in {y} (GeoDa colours).")
                         for y in study["spatial"]["lisa_years"]]}


def weights_note(s) -> str:
    """How the weights were built, in words."""
    return (f"{s['weights']} weights" + (f" (k = {s['k']})" if s["weights"] in ("knn", "kernel") else "")
            + (f" (threshold {s['threshold']:g})" if s.get("threshold") else "") + ", row-standardised")


def method_line(tool_id, s, how, study) -> str:
    if tool_id == "localmoran":
        return (f"Local Moran of {s['value_field']}: {how}; clusters at p ≤ {s['significance']:g}, "
                f"correction {s['correction']}.")
    if tool_id == "globalmoran":
        return f"Global Moran's I of {s['value_field']} per year: {how}, {s['draws']} draws."
    mw = s["markov_weights"]
    of = "TIER" if study.has("tiers") else s["value_field"] + " quantile classes"
    return (f"Spatial Markov transitions of {of} conditioned on the neighbours' class: {mw} weights"
            + (f" (k = {s['k']})" if mw in ("knn", "kernel") else "") + ". " + tier_note(study))


def moran_figure(moran: pd.DataFrame, value: str, synthetic: bool) -> bytes:
    figure = new_figure(8, 3.6)
    ax = figure.add_subplot()
    years = moran["YEAR"].astype(int).to_numpy()
    values = moran["I"].astype(float).to_numpy()
    p = moran["P_SIM"].astype(float).to_numpy() if "P_SIM" in moran else np.full(len(moran), np.nan)
    ax.plot(years, values, color="#2c7bb6", linewidth=1.5)
    significant = p <= 0.05
    ax.scatter(years[significant], values[significant], color="#2c7bb6", zorder=3, label="p ≤ 0.05")
    ax.scatter(years[~significant], values[~significant], facecolor="white", edgecolor="#2c7bb6",
               zorder=3, label="p > 0.05")
    if "EI" in moran:
        ax.axhline(float(moran["EI"].iloc[0]), color="grey", linestyle=":", label="E[I]")
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_ylabel("Moran's I")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    axes_title(ax, f"Global Moran's I of {value} per year", synthetic)
    return png_bytes(figure, synthetic)


STEP = Spatial()
