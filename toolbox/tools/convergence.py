"""σ and β convergence of a value across units, plain and spatial."""

from spatial.errors import InputError
from spatial.panel import check_keys, numeric_values

from ..parameters import FieldInput, TableOutput
from ..tool import Tool
from .common import ID_FIELD, YEAR_FIELD
from .spatial import PANEL, POLYGONS, WEIGHTS_FILE, _panel, unit_polygons, unit_weights, weights_parameters


class Convergence(Tool):
    id = "convergence"
    title = "σ and β convergence"
    group = "Distribution dynamics"
    group_id = "distribution"
    order = 88
    help = (
        "Whether units converge. σ convergence: the standard deviation SD and the coefficient "
        "of variation CV = SD/mean of the value per year, for all units and per group "
        "(falling: convergence). β convergence: the yearly growth rate "
        "g = ln(yₜ₊τ/yₜ)/τ regressed on the level ln yₜ — absolute (pooled OLS) and "
        "conditional (with CONTROL_FIELDS and unit and year fixed effects), standard errors "
        "clustered by unit (CR1, as Stata's vce(cluster)); and, when polygons are available, "
        "spatial β convergence with unit fixed effects and a spatial lag of growth (sar) or a "
        "spatial error (sem), maximum likelihood (spreg; balanced panels). β < 0 means "
        "convergence; speed λ = −ln(1 + βτ)/τ and half-life ln 2/λ years.\n\n"
        "The value must be positive (logarithms). Cost: the spatial models' standard errors "
        "need one dense inverse of an n×n matrix (O(n³), about 2 s at 2,500 units); beyond "
        "5,000 units they are left out with a warning.\n\n"
        "References: Barro & Sala-i-Martin (1992), Journal of Political Economy "
        "100(2):223–251; Rey & Montouri (1999), Regional Studies 33(2):143–156; Elhorst "
        "(2014), Spatial Econometrics; spreg (Panel_FE_Lag, Panel_FE_Error).")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD,
                  FieldInput("VALUE_FIELD", "Value field (positive)", numeric=True),
                  FieldInput("GROUP_FIELD", "Group field (σ per group)", optional=True),
                  FieldInput("CONTROL_FIELDS", "Control fields (conditional β)", multiple=True,
                             numeric=True, optional=True),
                  ) + weights_parameters("WEIGHTS_TYPE") + (WEIGHTS_FILE,)
    outputs = (TableOutput("SIGMA", "σ convergence per year"),
               TableOutput("BETA", "β convergence models"))

    def run(self, values, feedback):
        # imported here, not with the tool list: scipy.stats takes ~1 s to load
        from spatial.convergence import beta_convergence, growth_panel, sigma_convergence
        from spatial.econometrics import ML_UNIT_LIMIT, dense_inverse_cost

        value_field, group_field = values["VALUE_FIELD"], values.get("GROUP_FIELD")
        controls = list(values.get("CONTROL_FIELDS") or [])
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        table = _panel(values, [value_field, *controls] + ([group_field] if group_field else []))
        if len(table) == 0:
            raise InputError("the input has no rows")
        check_keys(table, id_field, year_field)
        numbers = numeric_values(table, [value_field, *controls], id_field, year_field)
        table = table.assign(**{name: numbers[name] for name in numbers.columns})
        nulls = table[table[value_field].isna()]
        if len(nulls):
            feedback.warning(f"{len(nulls)} row(s) with NULL {value_field} left out, e.g. unit "
                             f"{nulls[id_field].iloc[0]} year {nulls[year_field].iloc[0]}")
            table = table.dropna(subset=[value_field])
        if len(table) and table[value_field].nunique() == 1:
            raise InputError(f"field {value_field!r} is constant ({table[value_field].iloc[0]:g}) in "
                             "every unit and year: there is nothing to converge")
        sigma = sigma_convergence(table, year_field, value_field, group_field)
        growth = growth_panel(table, id_field, year_field, value_field, controls)
        models = ["absolute", "conditional"]
        weights = None
        has_polygons = values.get("POLYGONS") is not None or hasattr(values["INPUT"], "geometry")
        units = table[id_field].unique()
        one_period = len(growth) and growth[id_field].value_counts().max() < 2
        if one_period:
            models = ["absolute"]
            feedback.warning(
                "one growth period per unit (two years of data): the conditional and spatial β "
                "models are left out, their unit fixed effects absorb that one period; they need "
                "at least three years")
        elif has_polygons and len(units) > ML_UNIT_LIMIT:  # known before the weights are built
            feedback.warning(
                f"{len(units)} units: the spatial β models (sar, sem) are left out; their "
                f"standard errors need {dense_inverse_cost(len(units))}, done up to "
                f"{ML_UNIT_LIMIT} units")
        elif has_polygons:
            polygons = unit_polygons(values, id_field, units, feedback)
            weights = unit_weights(values, polygons, id_field, "WEIGHTS_TYPE", feedback)
            models += ["sar", "sem"]
        else:
            feedback.info("no polygons: the spatial β models (sar, sem) are left out")
        feedback.progress(0.4)
        beta = beta_convergence(growth, id_field, year_field, controls, weights, models)
        feedback.info("β convergence:\n" + beta[["MODEL", "BETA", "SE", "P", "HALF_LIFE"]]
                      .to_string(index=False))
        return {"SIGMA": sigma.rename(columns={"YEAR": year_field}) if year_field != "YEAR" else sigma,
                "BETA": beta}
