"""Driver analysis: which variables explain the coupling coordination degree."""

from spatial.drivers import driver_analysis

from ..parameters import BooleanInput, EnumInput, FieldInput, FileOutput, NumberInput, TableOutput
from ..tool import Canceled, Tool
from .common import ID_FIELD, INPUT, YEAR_FIELD

SPLITS = (
    ("grouped", "Grouped by unit: no unit in both train and test (honest)"),
    ("random", "Random rows (the reference study's; leaks each unit's other years)"),
)


class DriverAnalysis(Tool):
    id = "driveranalysis"
    title = "Driver analysis (tree, forest, boosting, OLS)"
    group = "Drivers"
    group_id = "drivers"
    help = (
        "Decision tree, random forest, gradient boosting (scikit-learn) and OLS of a "
        "target (normally D) on driver fields, for the full sample (GROUP 'all') and "
        "within each group (normally the coordination tier): train and test R², RMSE, "
        "OLS adjusted R², grouped K-fold cross-validated R² (the numbers to report), "
        "impurity importances summing to 1 (OLS: share of |standardised coefficient|) "
        "and permutation importance on the held-out rows with its spread (the study's "
        "Tables 6–7), OLS coefficients on the whole group sample, and partial "
        "dependence of the leading drivers.\n\n"
        "Both splits are always fitted so the leakage gap shows: a random row split "
        "puts each city's other years into training; the grouped split keeps every "
        "unit entirely in train or in test. SPLIT chooses the primary one, used for "
        "importances and cross-validation. Rows with an empty target, driver or group "
        "are left out and counted in the log; perfectly collinear drivers are dropped "
        "from OLS and reported.\n\n"
        "References: Breiman et al. (1984) Classification and Regression Trees; "
        "Breiman (2001), Machine Learning 45:5–32 (random forests); Friedman (2001), "
        "Annals of Statistics 29(5):1189–1232 (gradient boosting, partial dependence); "
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
        NumberInput("CV_FOLDS", "Cross-validation folds (0: none)", default=5, integer=True,
                    minimum=0, maximum=20, advanced=True),
        NumberInput("N_ESTIMATORS", "Trees in the forest and boosting stages", default=100,
                    integer=True, minimum=1, maximum=5000, advanced=True),
        BooleanInput("TUNE", "Small cross-validated hyperparameter search for the ensembles",
                     default=False, advanced=True),
    )
    outputs = (
        TableOutput("METRICS", "Model fit per group, model and split"),
        TableOutput("IMPORTANCE", "Driver importance per group and model"),
        TableOutput("COEFFICIENTS", "OLS coefficients per group"),
        TableOutput("PARTIAL_DEPENDENCE", "Partial dependence of the leading drivers"),
        FileOutput("REPORT", "HTML summary with importance charts", extension="html",
                   optional=True),
    )

    def run(self, values, feedback):
        trees = int(values.get("N_ESTIMATORS") or 100)
        try:
            result = driver_analysis(
                values["INPUT"], values["TARGET_FIELD"], list(values["DRIVER_FIELDS"] or []),
                id_field=values["ID_FIELD"], year_field=values.get("YEAR_FIELD"),
                group_field=values.get("GROUP_FIELD") or None,
                split=values.get("SPLIT", "grouped"), test_size=float(values.get("TEST_SIZE") or 0.3),
                seed=int(values.get("SEED") or 0), cv_folds=int(values.get("CV_FOLDS") or 0),
                tune=bool(values.get("TUNE")),
                model_params={"forest": {"n_estimators": trees}, "boosting": {"n_estimators": trees}},
                progress=lambda fraction, message: feedback.progress(fraction),
                is_canceled=feedback.canceled)
        except InterruptedError as error:
            raise Canceled(str(error))
        for note in result.notes:
            feedback.info(note)
        from ..report import driver_summary

        method = (f"Primary split: {result.primary_split}; test share {values.get('TEST_SIZE')}, "
                  f"seed {values.get('SEED')}, {values.get('CV_FOLDS')}-fold cross-validation, "
                  f"{trees} trees / boosting stages; target {values['TARGET_FIELD']}.")
        return {"METRICS": result.metrics, "IMPORTANCE": result.importance,
                "COEFFICIENTS": result.coefficients, "PARTIAL_DEPENDENCE": result.partial_dependence,
                "REPORT": driver_summary(result.metrics, result.importance, method, result.notes)}
