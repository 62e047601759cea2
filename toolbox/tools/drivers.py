"""Driver analysis: which variables explain the coupling coordination degree.

The core (scikit-learn, shap) is imported when the tool runs, not when the
tool list is built, so that every other ``ccd`` command starts quickly.
"""

from ..parameters import BooleanInput, EnumInput, FieldInput, FileOutput, NumberInput, TableOutput
from ..tool import Canceled, Tool
from .common import ID_FIELD, INPUT, YEAR_FIELD

SPLITS = (
    ("grouped", "Grouped by unit: no unit in both train and test (honest)"),
    ("random", "Random rows (the reference study's; leaks each unit's other years)"),
)
BOOSTING = (
    ("auto", "Histogram-based where its parameters allow (no subsample), else exact"),
    ("exact", "Exact (GradientBoostingRegressor)"),
    ("histogram", "Histogram-based (HistGradientBoostingRegressor)"),
)
SAMPLE_CHOICES = (
    ("both", "The full sample and each group"),
    ("all", "The full sample only (groups still checked)"),
    ("groups", "Each group only"),
)


def shap_rows_of(shap_values, table, id_field, year_field):
    """The core's SHAP values with each explained row named by its unit id (and
    year) instead of its position: GROUP, MODEL, <id>, [<year>], DRIVER, VALUE,
    SHAP, EXPECTED."""
    rows = shap_values["ROW"].to_numpy()
    named = {"GROUP": shap_values["GROUP"], "MODEL": shap_values["MODEL"],
             id_field: table[id_field].to_numpy()[rows]}
    if year_field:
        named[year_field] = table[year_field].to_numpy()[rows]
    out = shap_values.drop(columns=["GROUP", "MODEL", "ROW"])
    for position, (name, column) in enumerate(named.items()):
        out.insert(position, name, column)
    return out


def _limit(value):
    """A row limit from a tool value: 0 (or empty) means no limit (None)."""
    return int(value) if value else None


class DriverAnalysis(Tool):
    id = "driveranalysis"
    order = 100
    title = "Driver analysis (tree, forest, boosting, OLS)"
    group = "Drivers"
    group_id = "drivers"
    help = (
        "Decision tree, random forest, gradient boosting (scikit-learn) and OLS of a "
        "target (normally D) on driver fields, for the full sample (GROUP 'all') and "
        "within each group (normally the coordination tier): train and test R², RMSE, "
        "OLS adjusted R², grouped K-fold cross-validated R² (when CV_FOLDS is set), "
        "impurity importances summing to 1 (OLS: share of |standardised coefficient|) "
        "and permutation importance on the held-out rows with its spread (the study's "
        "Tables 6–7), mean absolute SHAP values (exact TreeSHAP for the tree models, "
        "the linear Shapley values for OLS) of held-out rows and those values row by row "
        "(SHAP_VALUES, for beeswarm and dependence plots), OLS coefficients on the "
        "whole group sample, and partial dependence of the leading drivers.\n\n"
        "Both splits are always fitted so the leakage gap shows: a random row split "
        "puts each city's other years into training; the grouped split keeps every "
        "unit entirely in train or in test; its test R² is the honest number to report. "
        "SPLIT chooses the primary one, used for importances, SHAP and cross-validation. Rows with an empty target, driver or group "
        "are left out and counted in the log; perfectly collinear drivers are dropped "
        "from OLS and reported.\n\n"
        "Defaults proportionate to the data, so that a panel of 10^5 rows takes about a "
        "minute (the log says which applied): boosting is histogram-based, split points "
        "among at most 255 quantile bins per driver (BOOSTING 'exact' for scikit-learn's "
        "exact boosting); each forest tree grows on a bootstrap sample of at most "
        "FOREST_MAX_ROWS rows; no cross-validation unless CV_FOLDS is set (it costs "
        "CV_FOLDS more fits of every model), and then not of groups above CV_MAX_ROWS rows; "
        "permutation importance uses at most PERM_ROWS and SHAP at most SHAP_ROWS held-out "
        "rows (seeded samples). THREADS does not change any number. SAMPLES fits the "
        "full sample or the groups only: each sample's models are the same as in the "
        "whole analysis, so the two can run on different machines.\n\n"
        "References: Breiman et al. (1984) Classification and Regression Trees; "
        "Breiman (2001), Machine Learning 45:5–32 (random forests); Friedman (2001), "
        "Annals of Statistics 29(5):1189–1232 (gradient boosting, partial dependence); "
        "Lundberg et al. (2020), Nature Machine Intelligence 2:56–67 (TreeSHAP); "
        "scikit-learn (Pedregosa et al. 2011, JMLR 12:2825–2830).")
    parameters = (
        INPUT,
        ID_FIELD,
        YEAR_FIELD,
        FieldInput("TARGET_FIELD", "Target field (normally D)", numeric=True),
        FieldInput("DRIVER_FIELDS", "Driver fields", multiple=True, numeric=True),
        FieldInput("GROUP_FIELD", "Group field (normally the tier)", optional=True),
        EnumInput("SPLIT", "Primary split", options=SPLITS, default="grouped"),
        NumberInput("TEST_SIZE", "Test share (of rows, or of units for the grouped split)",
                    default=0.3, minimum=0.05, maximum=0.9, advanced=True),
        NumberInput("SEED", "Random seed", default=42, integer=True, minimum=0, advanced=True),
        NumberInput("CV_FOLDS", "Cross-validation folds (0: none)", default=0, integer=True,
                    minimum=0, maximum=20, advanced=True),
        NumberInput("N_ESTIMATORS", "Trees in the forest and boosting stages", default=100,
                    integer=True, minimum=1, maximum=5000, advanced=True),
        BooleanInput("TUNE", "Small cross-validated hyperparameter search for the ensembles",
                     default=False, advanced=True),
        NumberInput("CV_MAX_ROWS", "Cross-validate groups of at most this many rows (0: all)",
                    default=20000, integer=True, minimum=0, advanced=True),
        EnumInput("BOOSTING", "Gradient boosting", options=BOOSTING, default="auto",
                  advanced=True),
        NumberInput("FOREST_MAX_ROWS", "Rows per forest tree: largest bootstrap sample "
                                       "(0: as many as the training part)",
                    default=500, integer=True, minimum=0, advanced=True),
        NumberInput("PERM_ROWS", "Held-out rows for permutation importance (0: all)",
                    default=2000, integer=True, minimum=0, advanced=True),
        NumberInput("SHAP_ROWS", "Held-out rows explained by SHAP values (0: no SHAP)",
                    default=200, integer=True, minimum=0, advanced=True),
        EnumInput("SAMPLES", "Samples with models", options=SAMPLE_CHOICES, default="both",
                  advanced=True),
        NumberInput("THREADS", "Threads for the forest's fits (results do not depend "
                               "on it)", default=2, integer=True, minimum=1, maximum=64,
                    advanced=True),
    )
    outputs = (
        TableOutput("METRICS", "Model fit per group, model and split"),
        TableOutput("IMPORTANCE", "Driver importance per group and model"),
        TableOutput("COEFFICIENTS", "OLS coefficients per group"),
        TableOutput("PARTIAL_DEPENDENCE", "Partial dependence of the leading drivers"),
        TableOutput("SHAP", "Mean absolute SHAP value per group, model and driver"),
        TableOutput("SHAP_VALUES", "SHAP value of every explained held-out row and driver"),
        FileOutput("REPORT", "HTML summary with importance charts", extension="html",
                   optional=True),
    )

    def run(self, values, feedback):
        from spatial.drivers import driver_analysis

        trees = int(values.get("N_ESTIMATORS") or 100)
        perm_rows = _limit(values.get("PERM_ROWS", 2000))
        try:
            result = driver_analysis(
                values["INPUT"], values["TARGET_FIELD"], list(values["DRIVER_FIELDS"] or []),
                id_field=values["ID_FIELD"], year_field=values.get("YEAR_FIELD"),
                group_field=values.get("GROUP_FIELD") or None,
                split=values.get("SPLIT", "grouped"), test_size=float(values.get("TEST_SIZE") or 0.3),
                seed=int(values.get("SEED") or 0), cv_folds=int(values.get("CV_FOLDS") or 0),
                tune=bool(values.get("TUNE")), cv_max_rows=_limit(values.get("CV_MAX_ROWS", 20000)),
                boosting=values.get("BOOSTING") or "auto",
                forest_max_rows=_limit(values.get("FOREST_MAX_ROWS", 500)),
                samples=values.get("SAMPLES") or "both",
                perm_rows=max(perm_rows, 10) if perm_rows else None,
                shap_rows=int(values.get("SHAP_ROWS", 200) or 0),
                n_jobs=int(values.get("THREADS") or 2),
                model_params={"forest": {"n_estimators": trees}, "boosting": {"n_estimators": trees}},
                progress=lambda fraction, message: feedback.progress(fraction),
                is_canceled=feedback.canceled)
        except InterruptedError as error:
            raise Canceled(str(error))
        for note in result.notes:
            feedback.info(note)
        from ..driver_report import driver_summary

        method = (f"Primary split: {result.primary_split}; test share {values.get('TEST_SIZE')}, "
                  f"seed {values.get('SEED')}, "
                  + (f"{values.get('CV_FOLDS')}-fold cross-validation, " if values.get("CV_FOLDS")
                     else "no cross-validation, ") +
                  f"{trees} trees / boosting stages; target {values['TARGET_FIELD']}.")
        return {"METRICS": result.metrics, "IMPORTANCE": result.importance,
                "COEFFICIENTS": result.coefficients, "PARTIAL_DEPENDENCE": result.partial_dependence,
                "SHAP": result.shap,
                "SHAP_VALUES": shap_rows_of(result.shap_values, values["INPUT"], values["ID_FIELD"],
                                            values.get("YEAR_FIELD")),
                "REPORT": driver_summary(result.metrics, result.importance, method, result.notes)
                if values.get("REPORT", True) else None}  # None: the command line did not ask
