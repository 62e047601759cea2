"""Spatial structure: weights, global and local Moran's I, tier dynamics.

pandas and the statistics are imported by the tools that use them, so that
``ccd spatialweights`` writing a .gal file loads neither pandas nor scipy
(:class:`toolbox.tables.ArrayLayer`).
"""

import collections
import os

import numpy as np

from spatial.errors import InputError
from spatial.weights import SpatialWeights, build_weights, weights_from_gal, weights_from_gwt

from ..parameters import (EnumInput, FieldInput, FileInput, FileOutput, NumberInput, TableInput,
                          TableOutput, TextInput)
from ..tables import ArrayLayer, read_text
from ..tool import Tool
from .common import ID_FIELD, YEAR_FIELD

GROUP = "Spatial statistics"
GROUP_ID = "spatial"
WEIGHT_TYPES = (
    ("queen", "Queen contiguity (shared vertex)"),
    ("rook", "Rook contiguity (shared edge)"),
    ("knn", "K nearest neighbours"),
    ("distance", "Distance band"),
    ("kernel", "Kernel"),
)
KERNELS = tuple((name, name.capitalize()) for name in
                ("triangular", "uniform", "quadratic", "quartic", "gaussian"))
CORRECTIONS = (
    ("none", "None"),
    ("fdr", "False discovery rate (Benjamini–Hochberg)"),
    ("bonferroni", "Bonferroni"),
)
PANEL = TableInput("INPUT", "Input layer or table (one row per unit and year)", geometry="optional")
POLYGONS = TableInput("POLYGONS", "Unit polygons, one feature per unit (default: the input's "
                                  "geometry)", optional=True, geometry="polygon")


def weights_parameters(type_name):
    """The declarations that choose spatial weights; the type's name is ``type_name``."""
    return (
        EnumInput(type_name, "Spatial weights", options=WEIGHT_TYPES, default="queen"),
        NumberInput("K", "Neighbours (k-nearest; adaptive kernel)", default=4, integer=True,
                    minimum=1, maximum=1000),
        NumberInput("THRESHOLD", "Distance band (layer units, e.g. metres)", optional=True,
                    minimum=0.0),
        NumberInput("BANDWIDTH", "Kernel bandwidth (layer units; default adaptive to K)",
                    optional=True, minimum=0.0, advanced=True),
        EnumInput("KERNEL", "Kernel function", options=KERNELS, default="triangular", advanced=True),
        NumberInput("TARGET_CRS", "Reproject to this EPSG code before distance-based weights "
                                  "(e.g. 32650 for UTM zone 50N)", optional=True, integer=True,
                    minimum=1024, maximum=999999),
        EnumInput("TRANSFORM", "Weights transform", options=(
            ("r", "Row-standardised"), ("b", "Binary / as built")), default="r", advanced=True),
    )


VALUE_FIELD = FieldInput("VALUE_FIELD", "Value field", numeric=True)
SECOND_FIELD = FieldInput("SECOND_FIELD", "Second field (bivariate: lag of this field)",
                          numeric=True, optional=True)
SEED = NumberInput("SEED", "Random seed", default=12345, integer=True, minimum=0, advanced=True)
THREADS = NumberInput("THREADS",
                      "Threads for the permutations (0: one per core; results do not depend on it)",
                      default=0, integer=True, minimum=0, maximum=64, advanced=True)
DRAWS = EnumInput("DRAWS", "Permutation draws", options=(
    ("paired", "Paired: pairwise independent, about twice as fast"),
    ("independent", "Independent: one shuffle per permutation")), default="paired", advanced=True)
WEIGHTS_FILE = FileInput("WEIGHTS_FILE", "GeoDa weights file instead of building weights",
                         optional=True, extensions=("gal", "gwt"), advanced=True)


def one_blas_thread():
    """A context in which BLAS runs on one thread. The permutation loops make
    about a thousand vector products of n values each; OpenBLAS spreads every
    one over its threads, which on a busy machine made global Moran at 40,000
    units 16x slower (10.4 s against 0.64 s); the THREADS parameter is the
    parallelism that pays off here."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def permutation_threads(values) -> int:
    """The THREADS parameter as ``n_jobs`` of the permutation kernels: 0 (the
    default) is -1, one thread per core this process may use. Local Moran at
    250,000 units: 0.82 s on one thread, 0.49 s on two (``bench/README.md``)."""
    threads = int(values.get("THREADS") or 0)
    return threads if threads > 0 else -1


def years_done(feedback, start, end):
    """The ``progress`` callback of a per-year loop: fraction f of the years
    done is reported as ``start + (end - start) f`` of the tool, and a cancel
    asked for in between stops the loop."""
    def report(fraction):
        feedback.check_canceled()
        feedback.progress(start + (end - start) * fraction)
    return report


def unit_polygons(values, id_field, panel_ids=None, feedback=None):
    """One polygon per unit, indexed by its row in the layer it came from.

    POLYGONS when given, else the first feature of each unit in INPUT.
    Polygons of units absent from the table are left out, with a warning.
    """
    from spatial.panel import require_fields

    polygons = values.get("POLYGONS")
    if polygons is None:
        polygons = values.get("INPUT")
        if not hasattr(polygons, "geometry"):
            raise InputError("give POLYGONS (one polygon per unit): the input has no geometry")
        require_fields(polygons, [id_field])
        polygons = polygons.drop_duplicates(subset=id_field)
    else:
        require_fields(polygons, [id_field])
        if panel_ids is not None and len(panel_ids) and isinstance(panel_ids[0], str):
            polygons = polygons.assign(**{id_field: polygons[id_field].astype(str)})
    if panel_ids is not None:
        unused = ~polygons[id_field].isin(set(panel_ids))
        if unused.any() and feedback is not None:
            feedback.warning(f"{int(unused.sum())} polygon(s) have no rows in the table and are left "
                             "out: " + ", ".join(map(str, polygons.loc[unused, id_field].iloc[:10])))
        polygons = polygons[~unused]
    return polygons


_BUILT = collections.OrderedDict()  # the last few weights built in this process, by content
_BUILT_KEPT = 4
#: the options each kind of weights depends on (build_weights ignores the others;
#: the transform is applied to a copy, so it is no part of the key either)
_OPTIONS_OF_KIND = {"queen": (), "rook": (), "knn": ("k", "reproject_to"),
                    "distance": ("threshold", "reproject_to"),
                    "kernel": ("k", "bandwidth", "kernel", "reproject_to")}


def _built_weights(polygons, id_field, options):
    """:func:`spatial.weights.build_weights` of ``polygons``, remembered by the
    polygons' content (ids, CRS, geometry coordinates) and the options their
    kind depends on: the steps of a study ask for the same weights several
    times (Moran, LISA, hot spots, convergence, regression …; queen on the
    demo's 296 detailed city boundaries takes 0.6-0.9 s, the digest 0.05 s),
    some with options that kind ignores (a TARGET_CRS for contiguity). Every
    call returns its own copy (:meth:`SpatialWeights.copy`) in the transform asked
    for, so no caller can alter the weights another one gets."""
    import hashlib

    import shapely

    kind = options["kind"]
    geometry = polygons.geometry
    shapes = np.asarray(getattr(geometry, "values", geometry), dtype=object)
    digest = hashlib.blake2b(digest_size=20)
    # coordinates and their count per geometry (not WKB: in qgis_process shapely's
    # WKB writer meets QGIS's own GEOS library and fails)
    digest.update(shapely.get_num_coordinates(shapes).tobytes())
    digest.update(shapely.get_type_id(shapes).tobytes())
    digest.update(np.ascontiguousarray(shapely.get_coordinates(shapes)).tobytes())
    ids = np.asarray(polygons[id_field])
    if ids.dtype.kind in "iuf":  # numbers: their bytes and type (0.05 s less than text for 250,000)
        digest.update(ids.dtype.str.encode() + ids.tobytes())
    else:
        digest.update("\x1f".join(map(repr, ids.tolist())).encode("utf-8", "surrogatepass"))
    key = (id_field, str(polygons.crs), digest.hexdigest(), kind,
           tuple((name, options.get(name)) for name in _OPTIONS_OF_KIND.get(kind, sorted(options))))
    if key in _BUILT:
        _BUILT.move_to_end(key)
    else:
        built_options = {name: value for name, value in options.items() if name != "kind"}
        _BUILT[key] = build_weights(polygons, id_field, kind, **built_options)
        while len(_BUILT) > _BUILT_KEPT:
            _BUILT.popitem(last=False)
    return _BUILT[key].copy(options.get("transform") or "r")


def unit_weights(values, polygons, id_field, type_name, feedback):
    """Spatial weights of ``polygons`` as the parameters ask, islands reported."""
    path = values.get("WEIGHTS_FILE")
    transform = values.get("TRANSFORM") or "r"
    ids = polygons[id_field].tolist()
    if path:
        text = read_text(path)
        read = weights_from_gwt if path.lower().endswith(".gwt") \
            else weights_from_gal
        try:
            in_file = read(text, transform=transform)  # ids as text, in file order
        except InputError as error:
            raise InputError(f"WEIGHTS_FILE {os.path.basename(path)}: {error}") from error
        listed = set(in_file.ids)
        missing = [i for i in ids if str(i) not in listed]
        if missing:
            raise InputError(f"units missing from the weights file {os.path.basename(path)}: "
                             + ", ".join(map(str, missing[:10])))
        chosen = in_file.subset([str(i) for i in ids])
        weights = SpatialWeights(ids, chosen.original, in_file.kind, transform)
    else:
        options = dict(kind=values.get(type_name) or "queen", k=int(values.get("K") or 4),
                       threshold=values.get("THRESHOLD"), bandwidth=values.get("BANDWIDTH"),
                       kernel=values.get("KERNEL") or "triangular", transform=transform,
                       reproject_to=values.get("TARGET_CRS"))
        if isinstance(polygons, ArrayLayer):  # read for one command: none asks again
            weights = build_weights(polygons, id_field, options.pop("kind"), **options)
        else:
            weights = _built_weights(polygons, id_field, options)
    for note in weights.notes:
        feedback.info(note)
    if weights.repaired:
        feedback.warning("invalid geometries repaired: " + ", ".join(map(str, weights.repaired[:10])))
    if weights.islands:
        feedback.warning(f"{len(weights.islands)} unit(s) without neighbours (islands): "
                         + ", ".join(map(str, weights.islands[:20])))
    feedback.info(f"weights: {weights.kind}, {weights.n} units, transform {weights.transform}")
    return weights


def _panel(values, fields):
    """The attribute table of INPUT with the fields checked and ids typed
    like the polygons' (a CSV's 110000 matches a GeoPackage's '110000')."""
    import pandas as pd

    from spatial.panel import require_fields

    df = values["INPUT"]
    id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
    table = pd.DataFrame(df.drop(columns="geometry") if hasattr(df, "geometry") else df)
    require_fields(table, [id_field, year_field, *fields])
    polygons = values.get("POLYGONS")
    if polygons is not None and id_field in polygons.columns:
        if table[id_field].dtype != polygons[id_field].dtype:
            table[id_field] = table[id_field].astype(str)
    return table


class SpatialWeightsTool(Tool):
    id = "spatialweights"
    order = 140
    title = "Spatial weights"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "Spatial weights of a polygon layer (one feature per unit): queen or rook "
        "contiguity, k nearest neighbours, distance band or kernel, written as a GeoDa "
        "weights file: .gal for contiguity and k-nearest, .gwt (with the weights) for "
        "distance and kernel weights. Units without neighbours are listed. "
        "Distance-based weights need a projected CRS: on longitude/latitude they are "
        "refused unless TARGET_CRS names one to reproject to.\n\n"
        "Reference: Anselin & Rey (2014), Modern Spatial Econometrics in Practice "
        "(GeoDa weights files); libpysal.")
    parameters = (TableInput("INPUT", "Unit polygons (one feature per unit)", geometry="polygon"),
                  ID_FIELD) + weights_parameters("TYPE")
    outputs = (FileOutput("OUTPUT", "Weights file", extension="gal"),
               TableOutput("NEIGHBOURS", "Neighbour count per unit", geometry_from=("INPUT",)))
    array_layers = True

    def run(self, values, feedback):
        polygons = values["INPUT"]
        id_field = values["ID_FIELD"]
        if id_field not in polygons.columns:
            from spatial.panel import require_fields

            require_fields(polygons, [id_field])  # raises, naming the fields there are
        weights = unit_weights({**values, "POLYGONS": polygons}, polygons, id_field, "TYPE", feedback)
        text = weights.to_gal() if weights.kind in ("queen", "rook", "knn") else weights.to_gwt()
        counts = None
        if values.get("NEIGHBOURS", True):  # None: the command line did not ask for it
            import pandas as pd

            counts = pd.DataFrame({id_field: np.asarray(polygons[id_field]),
                                   "NEIGHBOURS": weights.cardinalities}, index=polygons.index)
        return {"OUTPUT": text, "NEIGHBOURS": counts}


class GlobalMoran(Tool):
    id = "globalmoran"
    order = 150
    title = "Global Moran's I per year"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "Global Moran's I of a value for every year: I, its expectation E[I] = −1/(n−1), "
        "variance and z under normality, the analytic p-value and a permutation p-value "
        "(999 seeded permutations by default). With SECOND_FIELD: bivariate Moran's I of "
        "the value against the spatial lag of the second field (permutation inference "
        "only). Positive I: similar values cluster — the core–periphery pattern.\n\n"
        "Permutation draws: 'paired' (default) combines about 2√P independent shuffles "
        "into P draws, each a uniformly random permutation and any two independent, so "
        "the pseudo p has the Monte Carlo error of P independent shuffles at about half "
        "the cost; 'independent' shuffles afresh for every draw.\n\n"
        "References: Moran (1950), Biometrika 37:17–23; Cliff & Ord (1981), Spatial "
        "Processes; Wartenberg (1985), Geographical Analysis 17(4):263–283 (bivariate).")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD,
                  VALUE_FIELD, SECOND_FIELD,
                  NumberInput("PERMUTATIONS", "Permutations", default=999, integer=True,
                              minimum=0, maximum=99999, advanced=True),
                  DRAWS, SEED, THREADS,
                  ) + weights_parameters("WEIGHTS_TYPE") + (WEIGHTS_FILE,)
    outputs = (TableOutput("OUTPUT", "Global Moran's I per year"),)

    def run(self, values, feedback):
        from spatial.moran_by_year import global_moran_by_year

        second = values.get("SECOND_FIELD")
        table = _panel(values, [values["VALUE_FIELD"]] + ([second] if second else []))
        id_field = values["ID_FIELD"]
        polygons = unit_polygons(values, id_field, table[id_field].unique(), feedback)
        weights = unit_weights(values, polygons, id_field, "WEIGHTS_TYPE", feedback)
        feedback.progress(0.2)
        with one_blas_thread():
            result = global_moran_by_year(
                table, id_field, values["YEAR_FIELD"], values["VALUE_FIELD"], weights,
                permutations=int(values.get("PERMUTATIONS") or 0),
                seed=int(values.get("SEED") or 0), second_field=second,
                n_jobs=permutation_threads(values), draws=values.get("DRAWS") or "paired",
                progress=years_done(feedback, 0.2, 0.95))
        return {"OUTPUT": result}


class LocalMoran(Tool):
    id = "localmoran"
    order = 160
    title = "Local Moran's I (LISA) clusters"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "Local Moran's I of a value for every unit and year, with conditional-permutation "
        "pseudo p-values (999 seeded permutations by default, each unit's own draws) and "
        "cluster labels at the chosen significance: HH (high among high), LL, LH, HL, NS "
        "(not significant) and ISOLATED (no neighbours). CORRECTION adjusts for testing "
        "every unit: false discovery rate (Benjamini–Hochberg) or Bonferroni, within each "
        "year. With SECOND_FIELD: bivariate LISA of the value against the spatial lag of "
        "the second field.\n\n"
        "The output layer has one polygon per unit and year, styled with GeoDa's cluster "
        "colours; SCATTERPLOT draws the Moran scatterplot of the last year.\n\n"
        "References: Anselin (1995), Geographical Analysis 27(2):93–115; "
        "Benjamini & Hochberg (1995), JRSS B 57(1):289–300.")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD,
                  VALUE_FIELD, SECOND_FIELD,
                  TextInput("YEARS", "Years, comma separated (default all)", optional=True),
                  NumberInput("SIGNIFICANCE", "Significance level", default=0.05, minimum=0.0001,
                              maximum=0.5),
                  EnumInput("CORRECTION", "Multiple-testing correction", options=CORRECTIONS,
                            default="none"),
                  NumberInput("PERMUTATIONS", "Permutations", default=999, integer=True,
                              minimum=99, maximum=99999, advanced=True),
                  SEED, THREADS,
                  ) + weights_parameters("WEIGHTS_TYPE") + (WEIGHTS_FILE,)
    outputs = (TableOutput("OUTPUT", "LISA clusters", geometry_from=("POLYGONS", "INPUT"),
                           style="lisa"),
               FileOutput("SCATTERPLOT", "Moran scatterplot", extension="png", optional=True))

    def run(self, values, feedback):
        import pandas as pd

        from spatial.moran_by_year import local_moran_by_year

        value_field, second = values["VALUE_FIELD"], values.get("SECOND_FIELD")
        table = _panel(values, [value_field] + ([second] if second else []))
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        years = _years(values.get("YEARS"), table[year_field])
        table = table[table[year_field].isin(years)]
        polygons = unit_polygons(values, id_field, table[id_field].unique(), feedback)
        weights = unit_weights(values, polygons, id_field, "WEIGHTS_TYPE", feedback)
        feedback.progress(0.2)
        with one_blas_thread():
            result = local_moran_by_year(
                table, id_field, year_field, value_field, weights, second_field=second,
                permutations=int(values.get("PERMUTATIONS") or 999),
                seed=int(values.get("SEED") or 0),
                significance=float(values.get("SIGNIFICANCE") or 0.05),
                correction=values.get("CORRECTION") or "none",
                n_jobs=permutation_threads(values), progress=years_done(feedback, 0.2, 0.9))
        result = result.rename(columns={"YEAR": year_field}) if year_field != "YEAR" else result
        feedback.progress(0.9)
        counts = pd.crosstab(result[year_field], result["CLUSTER"])
        feedback.info("clusters per year:\n" + counts.to_string())
        row_of_unit = pd.Series(polygons.index, index=polygons[id_field].to_numpy())
        result.index = row_of_unit.reindex(result[id_field]).to_numpy()
        values_of = table.set_index([id_field, year_field])
        keys = pd.MultiIndex.from_arrays([result[id_field], result[year_field]])
        result.insert(2, value_field, values_of[value_field].reindex(keys).to_numpy())
        plot = None
        if values.get("SCATTERPLOT", True):  # None: the command line did not ask for it
            from ..charts import moran_scatterplot

            last = result[result[year_field] == years[-1]]
            plot = moran_scatterplot(last["LISA_Z"], last["LISA_LAG"], last["CLUSTER"],
                                     f"{value_field}, {years[-1]}"
                                     + (f" (lag of {second})" if second else ""))
        return {"OUTPUT": result, "SCATTERPLOT": plot}


def _years(text, available):
    import pandas as pd

    years = sorted(pd.unique(available))
    if not text or not str(text).strip():
        return years
    try:
        wanted = [int(part) for part in str(text).replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise InputError(f"YEARS: expected years separated by commas, got {text!r}")
    absent = [y for y in wanted if y not in set(years)]
    if absent:
        raise InputError(f"YEARS: no rows for year(s) {', '.join(map(str, absent))}")
    return sorted(wanted)


class SpatialMarkov(Tool):
    id = "spatialmarkov"
    order = 170
    title = "Spatial Markov tier dynamics"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "How units move between tiers from one year to the next, conditioned on the "
        "tier of their neighbours (spatial Markov chain; Rey 2001): if a low unit "
        "surrounded by high neighbours rises more often than one surrounded by low "
        "ones, location matters — the direct test of a 'Matthew effect' or club "
        "convergence. Tiers come from a tier field (e.g. TIER from Coordination tiers) "
        "or from K quantile classes of a value field. TESTS gives the tests of "
        "spatial dependence (Q, likelihood ratio, chi-square). METHOD 'lisa' gives the "
        "LISA Markov chain of Moran-scatterplot quadrants instead.\n\n"
        "References: Rey (2001), Geographical Analysis 33(3):195–214; "
        "Bickenbach & Bode (2003), International Regional Science Review 26(3):363–392 "
        "(tests of the Markov property and of spatial dependence); Rey, Murray & Anselin "
        "(2011), Letters in Spatial and Resource Sciences 4(1):81–90 (LISA Markov).")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD,
                  EnumInput("METHOD", "Chain", options=(
                      ("spatial", "Spatial Markov of tiers or value classes"),
                      ("lisa", "LISA Markov of scatterplot quadrants")), default="spatial"),
                  FieldInput("TIER_FIELD", "Tier field (discrete)", optional=True),
                  FieldInput("VALUE_FIELD", "Value field (classed into K quantiles; LISA Markov)",
                             numeric=True, optional=True),
                  NumberInput("CLASSES", "Quantile classes of the value", default=4, integer=True,
                              minimum=2, maximum=10),
                  ) + weights_parameters("WEIGHTS_TYPE") + (WEIGHTS_FILE,)
    outputs = (TableOutput("TRANSITIONS", "Transition probabilities"),
               TableOutput("TESTS", "Tests of spatial dependence"))

    def run(self, values, feedback):
        from spatial.dynamics import lisa_markov, spatial_markov

        tier, value = values.get("TIER_FIELD"), values.get("VALUE_FIELD")
        method = values.get("METHOD") or "spatial"
        if method == "lisa" and not value:
            raise InputError("the LISA Markov chain needs VALUE_FIELD")
        if method == "spatial" and bool(tier) == bool(value):
            raise InputError("give exactly one of TIER_FIELD or VALUE_FIELD")
        table = _panel(values, [f for f in (tier, value) if f])
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        polygons = unit_polygons(values, id_field, table[id_field].unique(), feedback)
        weights = unit_weights(values, polygons, id_field, "WEIGHTS_TYPE", feedback)
        feedback.progress(0.3)
        if method == "lisa":
            result = lisa_markov(table, id_field, year_field, value, weights)
        else:
            classes = int(values.get("CLASSES") or 4)
            result = spatial_markov(
                table, id_field, year_field, weights, tier_field=tier or None,
                value_field=None if tier else value, k=classes, m=classes)
        return {"TRANSITIONS": result.transitions, "TESTS": result.tests}
