"""Distribution dynamics: kernel densities of a value per year and classical Markov chains."""

import pandas as pd

from spatial.density import BANDWIDTHS, kernel_densities, markov_chain
from spatial.errors import InputError
from spatial.panel import check_keys, numeric_values

from ..parameters import EnumInput, FieldInput, FileOutput, NumberInput, TableInput, TableOutput
from ..tool import Tool
from .common import YEAR_FIELD

RULES = (("silverman", "Silverman: 0.9·min(s, IQR/1.34)·n^(−1/5)"),
         ("scott", "Scott: 1.06·min(s, IQR/1.34)·n^(−1/5)"),
         ("isj", "Improved Sheather–Jones (Botev et al. 2010)"))


class KernelDensity(Tool):
    id = "kerneldensity"
    title = "Kernel density and Markov chain of a value over the years"
    group = "Distribution dynamics"
    group_id = "distribution"
    order = 85
    help = (
        "How the distribution of a value (e.g. D) moves over the years: the Gaussian kernel "
        "density f(x) = 1/(nh) Σ φ((x − xᵢ)/h) of each year (and of each group, with "
        "GROUP_FIELD, beside all units), on one grid shared by every year. Bandwidth h: "
        "Silverman's rule of thumb 0.9·min(s, IQR/1.34)·n^(−1/5) (default, as Stata's "
        "kdensity), Scott's normal reference 1.06·min(s, IQR/1.34)·n^(−1/5), the improved "
        "Sheather–Jones plug-in (no normal assumption; good for several peaks), or a fixed "
        "BANDWIDTH_VALUE. SUMMARY gives per year and group the peaks (local maxima at least "
        "5 % of the highest), the main peak's position and height, its full width at half "
        "maximum, and the bandwidth used. CURVES overlays the yearly curves, SURFACE draws "
        "year × value × density.\n\n"
        "With CLASS_FIELD (D classes, tiers) and ID_FIELD: the classical Markov chain of the "
        "classes from each year to the next — transition counts and probabilities, and the "
        "steady state it tends to (giddy).\n\n"
        "References: Silverman (1986), Density Estimation for Statistics and Data Analysis; "
        "Scott (1992), Multivariate Density Estimation; Botev, Grotowski & Kroese (2010), "
        "Annals of Statistics 38(5):2916–2957; Quah (1993), European Economic Review "
        "37:426–434; Rey & Janikas (2006), Journal of Geographical Systems 8:155–172 (giddy).")
    parameters = (
        TableInput("INPUT", "Input layer or table (one row per unit and year)"),
        YEAR_FIELD,
        FieldInput("VALUE_FIELD", "Value field", numeric=True),
        FieldInput("GROUP_FIELD", "Group field (curves per group as well)", optional=True),
        EnumInput("BANDWIDTH", "Bandwidth rule", options=RULES, default="silverman"),
        NumberInput("BANDWIDTH_VALUE", "Fixed bandwidth instead of the rule", optional=True,
                    minimum=0.0, advanced=True),
        NumberInput("GRID_POINTS", "Grid points", default=200, integer=True, minimum=20,
                    maximum=10000, advanced=True),
        FieldInput("CLASS_FIELD", "Class field for the Markov chain (e.g. D_CLASS or TIER)",
                   optional=True),
        FieldInput("ID_FIELD", "Unit id field (for the Markov chain)", optional=True),
    )
    outputs = (
        TableOutput("DENSITY", "Kernel densities"),
        TableOutput("SUMMARY", "Density summary", optional=True),
        FileOutput("CURVES", "Density curves", extension="png", optional=True),
        FileOutput("SURFACE", "Density surface (3-D)", extension="png", optional=True),
        TableOutput("TRANSITIONS", "Markov transition probabilities", optional=True),
        TableOutput("STEADY_STATE", "Markov steady state", optional=True),
    )

    def run(self, values, feedback):
        df = values["INPUT"]
        table = pd.DataFrame(df.drop(columns="geometry") if hasattr(df, "geometry") else df)
        if len(table) == 0:
            raise InputError("the input has no rows")
        year_field, value_field = values["YEAR_FIELD"], values["VALUE_FIELD"]
        if values.get("ID_FIELD"):
            check_keys(table, values["ID_FIELD"], year_field)
            numeric_values(table, [value_field], values["ID_FIELD"], year_field)  # text named by unit
        rule = values.get("BANDWIDTH") or "silverman"
        if rule not in BANDWIDTHS:
            raise InputError(f"BANDWIDTH {rule!r} is not one of {', '.join(BANDWIDTHS)}")
        curves, summary = kernel_densities(
            table, year_field, value_field, values.get("GROUP_FIELD") or None, rule,
            int(values.get("GRID_POINTS") or 200), values.get("BANDWIDTH_VALUE") or None)
        feedback.info(f"bandwidth: {rule if not values.get('BANDWIDTH_VALUE') else 'fixed'}\n"
                      + summary[["YEAR", "GROUP", "BANDWIDTH", "PEAKS", "PEAK_X"]].to_string(index=False))
        feedback.progress(0.6)
        from ..distribution_figures import density_curves, density_surface

        # a figure is None when the command line (or a study step) did not ask for it
        result = {"DENSITY": curves, "SUMMARY": summary,
                  "CURVES": density_curves(curves, value_field) if values.get("CURVES", True) else None,
                  "SURFACE": density_surface(curves, value_field)
                  if values.get("SURFACE", True) and curves["YEAR"].nunique() > 1 else None}
        class_field = values.get("CLASS_FIELD")
        if class_field:
            if not values.get("ID_FIELD"):
                raise InputError("the Markov chain of CLASS_FIELD needs ID_FIELD")
            transitions, steady = markov_chain(table, values["ID_FIELD"], year_field, class_field)
            result.update(TRANSITIONS=transitions, STEADY_STATE=steady)
        return result
