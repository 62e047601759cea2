"""Regression with space: spatial econometric models (spreg) and GWR / MGWR (mgwr)."""

import pandas as pd

from spatial.errors import InputError
from spatial.panel import check_keys, numeric_values

from ..parameters import EnumInput, FieldInput, NumberInput, TableOutput, TextInput
from ..tool import Tool
from .common import ID_FIELD, YEAR_FIELD
from .spatial import (PANEL, POLYGONS, WEIGHTS_FILE, _panel, _years, unit_polygons, unit_weights,
                      weights_parameters)

GROUP = "Drivers"
GROUP_ID = "drivers"
MODELS = (
    ("ols", "OLS with spatial diagnostics (Moran's I, LM tests)"),
    ("sar", "Spatial lag (SAR)"),
    ("sem", "Spatial error (SEM)"),
    ("sdm", "Spatial Durbin (SDM)"),
)
FIXED_EFFECTS = (
    ("none", "None: a cross-section per year"),
    ("unit", "Unit fixed effects (panel)"),
    ("twoway", "Unit and year fixed effects (panel)"),
)
TARGET_FIELD = FieldInput("TARGET_FIELD", "Target field (normally D)", numeric=True)
DRIVER_FIELDS = FieldInput("DRIVER_FIELDS", "Driver fields", multiple=True, numeric=True)
YEARS = TextInput("YEARS", "Years, comma separated (default all)", optional=True)


def _driver_sample(values, feedback):
    """(target, drivers, the chosen YEARS, the checked panel rows of those years,
    the units' polygons) that both regression tools start from."""
    target, drivers = values["TARGET_FIELD"], list(values.get("DRIVER_FIELDS") or [])
    if not drivers:
        raise InputError("give at least one driver in DRIVER_FIELDS")
    table = _panel(values, [target, *drivers])
    year_field = values["YEAR_FIELD"]
    check_keys(table, values["ID_FIELD"], year_field)
    numeric_values(table, [target, *drivers], values["ID_FIELD"], year_field)  # text named by unit
    years = _years(values.get("YEARS"), table[year_field])
    table = table[table[year_field].isin(years)]
    return target, drivers, years, table, unit_polygons(values, values["ID_FIELD"],
                                                        table[values["ID_FIELD"]].unique(), feedback)


def _part(term: str) -> str:
    if term.startswith("W_Y") or term.startswith("W_U"):
        return "spatial"
    return "wx" if term.startswith("W_") else "main"


class SpatialRegression(Tool):
    id = "spatialregression"
    order = 120
    title = "Spatial regression (OLS diagnostics, SAR, SEM, SDM, panel fixed effects)"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "Spatial econometric models of a target (normally D) on drivers, estimated with "
        "PySAL spreg. OLS reports Moran's I of the residuals, LM-lag, LM-error, their "
        "robust forms and LM-SARMA, the tests that choose between a spatial lag and a "
        "spatial error model. SAR (y = ρWy + Xβ + ε), SEM (y = Xβ + u, u = λWu + ε) and "
        "the spatial Durbin model SDM (SAR plus the spatially lagged drivers WX, terms "
        "W_<driver>) by maximum likelihood: per year on the cross-section "
        "(FIXED_EFFECTS 'none'), or on the balanced panel of all years with unit or "
        "unit-and-year fixed effects (Elhorst 2003, 2014).\n\n"
        "EFFECTS gives the direct, indirect (spillover) and total effect of each driver "
        "(LeSage & Pace 2009): the mean diagonal, the mean off-diagonal row sum and the "
        "mean row sum of (I − ρW)⁻¹(β_k I + θ_k W), with standard errors from DRAWS "
        "parameter vectors drawn from the estimates' asymptotic distribution (seeded). "
        "In OLS and SEM the indirect effect is zero. DIAGNOSTICS lists the fit (log-"
        "likelihood, AIC, Schwarz, σ², pseudo R²), the LR test of ρ or λ against OLS and, "
        "for the SDM, the Wald and LR tests of θ = 0 (SDM reduces to SAR) and of "
        "θ + ρβ = 0 (SDM reduces to SEM). COEFFICIENTS is laid out like xsmle's table: "
        "PART 'main' (β), 'wx' (θ), 'spatial' (ρ or λ).\n\n"
        "Cost: the likelihood's log-determinant comes from a sparse LU factorisation; "
        "the standard errors need one dense inverse of an n×n matrix (O(n³), about 2 s "
        "at 2,500 units); more than 5,000 units are refused (OLS has no such limit). "
        "Up to 1,000 units the effects use the eigenvalues of W; beyond, the power "
        "series of (I − ρW)⁻¹ with exact traces of W … W⁴ and Monte Carlo traces of "
        "higher powers (200 seeded probe vectors, Barry & Pace 1999; relative error of "
        "the effects about 0.1 %).\n\n"
        "References: Anselin (1988), Spatial Econometrics; Anselin et al. (1996), RSUE "
        "26:77–104; Elhorst (2003), IRSR 26(3):244–268; LeSage & Pace (2009), "
        "Introduction to Spatial Econometrics; Elhorst (2014), Spatial Econometrics; "
        "Rey & Anselin (2010), PySAL spreg.")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD, TARGET_FIELD, DRIVER_FIELDS,
                  EnumInput("MODEL", "Model", options=MODELS, default="sdm"),
                  EnumInput("FIXED_EFFECTS", "Fixed effects", options=FIXED_EFFECTS,
                            default="twoway"),
                  YEARS,
                  NumberInput("DRAWS", "Draws for the standard errors of the effects",
                              default=1000, integer=True, minimum=100, maximum=100000,
                              advanced=True),
                  NumberInput("SEED", "Random seed", default=12345, integer=True, minimum=0,
                              advanced=True),
                  ) + weights_parameters("WEIGHTS_TYPE") + (WEIGHTS_FILE,)
    outputs = (TableOutput("COEFFICIENTS", "Coefficients"),
               TableOutput("EFFECTS", "Direct, indirect and total effects"),
               TableOutput("DIAGNOSTICS", "Fit and tests"))

    def run(self, values, feedback):
        # imported here, not with the tool list: scipy.stats takes ~1 s to load
        from spatial import econometrics

        target, drivers, years, table, polygons = _driver_sample(values, feedback)
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        weights = unit_weights(values, polygons, id_field, "WEIGHTS_TYPE", feedback)
        model = values.get("MODEL") or "sdm"
        fixed = values.get("FIXED_EFFECTS") or "none"
        options = dict(model=model, fixed_effects=fixed, draws=int(values.get("DRAWS") or 1000),
                       seed=int(values.get("SEED") or 0))
        feedback.progress(0.2)
        if fixed != "none":
            results = [(None, econometrics.spatial_regression(
                table, target, drivers, weights, id_field, year_field, **options))]
        else:
            results = []
            for position, (year, sample) in enumerate(table.groupby(year_field, sort=True)):
                feedback.check_canceled()
                try:
                    results.append((year, econometrics.spatial_regression(
                        sample, target, drivers, weights, id_field, year_field, **options)))
                except InputError as error:
                    raise InputError(f"year {year}: {error}") from None
                feedback.progress(0.2 + 0.75 * (position + 1) / len(years))
        tables = {}
        for output, attribute in (("COEFFICIENTS", "coefficients"), ("EFFECTS", "effects"),
                                  ("DIAGNOSTICS", "diagnostics")):
            parts = []
            for year, result in results:
                part = getattr(result, attribute).copy()
                if output == "COEFFICIENTS":
                    part.insert(0, "PART", part["TERM"].map(_part))
                if year is not None:
                    part.insert(0, year_field, year)
                parts.append(part)
            tables[output] = pd.concat(parts, ignore_index=True)
        for note in {note for _, result in results for note in result.notes}:
            feedback.warning(note)
        feedback.info(f"{model.upper()}, fixed effects: {fixed}\n"
                      + tables["COEFFICIENTS"].to_string(index=False))
        return tables


GWR_SCOPES = (
    ("year", "Per year: one local model per year"),
    ("mean", "Unit means over the years: one cross-section"),
    ("pooled", "Pooled unit-years (each unit repeated at its location)"),
)


def unit_coordinates(polygons) -> tuple:
    """(x, y) of each polygon's centroid and whether they are longitude/latitude
    (then mgwr measures great-circle distances in km)."""
    import warnings

    import numpy as np

    spherical = bool(polygons.crs is not None and polygons.crs.is_geographic)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # centroids of lon/lat polygons: fine at city scale
        centres = polygons.geometry.centroid
    return np.column_stack([centres.x.to_numpy(), centres.y.to_numpy()]), spherical


class GeographicallyWeightedRegression(Tool):
    id = "gwr"
    order = 130
    title = "Geographically weighted regression (GWR, MGWR)"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "Local regressions of a target (normally D) on drivers, estimated with PySAL "
        "mgwr: GWR, one bandwidth for every term, or multiscale GWR (MGWR), a bandwidth "
        "per term, each chosen by AICc. The output layer has, per unit, the local "
        "coefficients B_<driver> (B_INTERCEPT for the intercept), their t-values "
        "T_<driver>, SIG_<driver> = 1 where the coefficient is significant at "
        "SIGNIFICANCE corrected for multiple testing (da Silva & Fotheringham 2016) and "
        "LOCAL_R2 (GWR only: MGWR has no single local weighting). MGWR is fitted to "
        "standardised variables, as mgwr recommends, so its coefficients are in "
        "standard deviations. SUMMARY gives the global fit (AICc, R², effective number "
        "of parameters), TERMS the bandwidth of each term and the spread of its local "
        "coefficients.\n\n"
        "Per year, on the unit means over the years, or on all unit-years pooled. "
        "Adaptive bandwidths count nearest neighbours; fixed ones are distances in the "
        "layer's units (kilometres on longitude/latitude, where great-circle distances "
        "are used). Locations are the polygons' centroids.\n\n"
        "Cost: each fit solves one weighted regression per unit (O(n²k²)) and the "
        "bandwidth search some 25 fits; MGWR back-fits every term and keeps an n×n×k "
        "array for its inference. GWR beyond 20,000 units and MGWR beyond 4 GB of that "
        "array are refused with the estimate; the log states the cost of every fit.\n\n"
        "References: Brunsdon, Fotheringham & Charlton (1996), Geographical Analysis "
        "28(4):281–298; Fotheringham, Yang & Kang (2017), Annals AAG 107(6):1247–1265; "
        "Oshan et al. (2019), IJGI 8(6):269 (mgwr).")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD, TARGET_FIELD, DRIVER_FIELDS,
                  EnumInput("MODEL", "Model", options=(
                      ("gwr", "GWR: one bandwidth"), ("mgwr", "MGWR: a bandwidth per term")),
                      default="gwr"),
                  EnumInput("KERNEL", "Kernel", options=(
                      ("bisquare", "Bisquare"), ("gaussian", "Gaussian"),
                      ("exponential", "Exponential")), default="bisquare"),
                  EnumInput("BANDWIDTH_TYPE", "Bandwidth", options=(
                      ("adaptive", "Adaptive: nearest neighbours"),
                      ("fixed", "Fixed: distance")), default="adaptive"),
                  NumberInput("BANDWIDTH", "Bandwidth (GWR; default: AICc search)",
                              optional=True, minimum=0.0, advanced=True),
                  EnumInput("SCOPE", "Sample", options=GWR_SCOPES, default="year"),
                  YEARS,
                  NumberInput("SIGNIFICANCE", "Significance level (before correction)",
                              default=0.05, minimum=0.0001, maximum=0.5, advanced=True))
    outputs = (TableOutput("OUTPUT", "Local coefficients", geometry_from=("POLYGONS", "INPUT"),
                           style="gwr"),
               TableOutput("SUMMARY", "Global fit"),
               TableOutput("TERMS", "Bandwidths and local coefficients per term"))

    def run(self, values, feedback):
        from spatial import local_regression

        target, drivers, years, table, polygons = _driver_sample(values, feedback)
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        coords, spherical = unit_coordinates(polygons)
        row_of = pd.Series(range(len(polygons)), index=polygons[id_field].to_numpy())
        missing = [u for u in pd.unique(table[id_field]) if u not in row_of.index]
        if missing:
            raise InputError(f"{len(missing)} unit(s) have no polygon: "
                             + ", ".join(map(str, missing[:10])))
        scope = values.get("SCOPE") or "year"
        if scope == "mean":
            samples = [(None, table.groupby(id_field, sort=False)[[target, *drivers]].mean()
                        .reset_index())]
        elif scope == "pooled":
            samples = [(None, table)]
        else:
            samples = list(table.groupby(year_field, sort=True))
        bandwidth = values.get("BANDWIDTH")
        options = dict(model=values.get("MODEL") or "gwr", kernel=values.get("KERNEL") or "bisquare",
                       fixed=(values.get("BANDWIDTH_TYPE") == "fixed"),
                       bandwidth=float(bandwidth) if bandwidth else None, spherical=spherical,
                       alpha=float(values.get("SIGNIFICANCE") or 0.05))
        if spherical:
            feedback.info("longitude/latitude polygons: great-circle distances in km")
        local_parts, summaries, terms = [], [], []
        for position, (year, sample) in enumerate(samples):
            feedback.check_canceled()
            where = f" in year {year}" if year is not None else ""
            rows = row_of.reindex(sample[id_field]).to_numpy()
            result = local_regression.gwr(sample.reset_index(drop=True), target, drivers,
                                          coords[rows], where=where, **options)
            for note in result.notes:
                feedback.info(note)
            local = result.local
            local.insert(0, target, sample[target].to_numpy())
            local.insert(0, year_field if scope != "mean" else "YEARS",
                         sample[year_field].to_numpy() if scope != "mean"
                         else f"{years[0]}-{years[-1]}")
            local.insert(0, id_field, sample[id_field].to_numpy())
            local.index = polygons.index[rows]
            local_parts.append(local)
            for part, collection in ((result.summary, summaries), (result.terms, terms)):
                part = part.copy()
                if year is not None:
                    part.insert(0, year_field, year)
                collection.append(part)
            feedback.progress((position + 1) / len(samples))
        output = pd.concat(local_parts)
        summary = pd.concat(summaries, ignore_index=True)
        feedback.info("bandwidths and local coefficients:\n"
                      + pd.concat(terms, ignore_index=True).to_string(index=False))
        return {"OUTPUT": output, "SUMMARY": summary, "TERMS": pd.concat(terms, ignore_index=True)}
