"""Write the graphical model shipped with the provider: ``qgis_plugin/models/coupling_study.model3``.

    QT_QPA_PLATFORM=offscreen .venv-qgis/bin/python scripts/build_model.py

The model chains the single algorithms of a coupling coordination study —
entropy index of system 1 → entropy index of system 2 → coupling coordination
→ tiers → Dagum decomposition by tier — as a template users open and edit in
QGIS's model designer. It is written with the Processing model API rather
than by hand so the file stays valid for the QGIS that writes it (3.22 here).
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "qgis_plugin", "models", "coupling_study.model3")


def build():
    from qgis.core import (QgsProcessingModelAlgorithm, QgsProcessingModelChildAlgorithm,
                           QgsProcessingModelChildParameterSource as Source,
                           QgsProcessingModelOutput, QgsProcessingModelParameter,
                           QgsProcessingParameterFeatureSource, QgsProcessingParameterField)
    from qgis.PyQt.QtCore import QPointF

    model = QgsProcessingModelAlgorithm("Coupling coordination study", "Workflow", "workflow")
    model.setHelpContent({"ALG_DESC": (
        "Template of a whole coupling coordination study: entropy-weighted index of each "
        "system, coupling coordination degree, coordination tiers per year (K-means, k = 3) "
        "and the Dagum Gini decomposition of D by tier. Open it in the model designer to "
        "change fields, methods or add steps (obstacle degree, drivers, LISA).")})

    def parameter(definition, x, y):
        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(x, y))
        model.addModelParameter(definition, component)

    parameter(QgsProcessingParameterFeatureSource("panel", "Panel layer (one row per unit and year)"), 120, 60)
    parameter(QgsProcessingParameterField("id_field", "Unit id field", parentLayerParameterName="panel"), 120, 130)
    parameter(QgsProcessingParameterField("year_field", "Year field", parentLayerParameterName="panel"), 120, 200)
    for name, label, y, optional in (
            ("system1_positive", "System 1: positive indicators", 270, False),
            ("system1_negative", "System 1: negative indicators", 340, True),
            ("system2_positive", "System 2: positive indicators", 410, False)):
        parameter(QgsProcessingParameterField(name, label, parentLayerParameterName="panel",
                                              allowMultiple=True, optional=optional), 120, y)

    def child(child_id, algorithm, description, x, y, sources, outputs=()):
        step = QgsProcessingModelChildAlgorithm(algorithm)
        step.setChildId(child_id)
        step.setDescription(description)
        step.setPosition(QPointF(x, y))
        for name, source in sources.items():
            step.addParameterSources(name, source if isinstance(source, list) else [source])
        model_outputs = {}
        for output_name, label in outputs:
            output = QgsProcessingModelOutput(label, label)
            output.setChildId(child_id)
            output.setChildOutputName(output_name)
            output.setPosition(QPointF(x + 200, y + 40))
            model_outputs[label] = output
        step.setModelOutputs(model_outputs)
        model.addChildAlgorithm(step)

    keys = {"ID_FIELD": Source.fromModelParameter("id_field"),
            "YEAR_FIELD": Source.fromModelParameter("year_field")}
    child("system1", "ccd:entropyweights", "Index of system 1", 420, 100, {
        "INPUT": Source.fromModelParameter("panel"), **keys,
        "POSITIVE_FIELDS": Source.fromModelParameter("system1_positive"),
        "NEGATIVE_FIELDS": Source.fromModelParameter("system1_negative"),
        "SCOPE": Source.fromStaticValue(0), "SHIFT": Source.fromStaticValue(0.0),
        "INDEX_FIELD": Source.fromStaticValue("U1"), "MISSING": Source.fromStaticValue(0)})
    child("system2", "ccd:entropyweights", "Index of system 2", 420, 200, {
        "INPUT": Source.fromChildOutput("system1", "OUTPUT"), **keys,
        "POSITIVE_FIELDS": Source.fromModelParameter("system2_positive"),
        "SCOPE": Source.fromStaticValue(0), "SHIFT": Source.fromStaticValue(0.0),
        "INDEX_FIELD": Source.fromStaticValue("U2"), "MISSING": Source.fromStaticValue(0)})
    child("coupling", "ccd:couplingcoordination", "Coupling coordination", 420, 300, {
        "INPUT": Source.fromChildOutput("system2", "OUTPUT"), **keys,
        "SYSTEM_FIELDS": Source.fromStaticValue(["U1", "U2"]), "MODEL": Source.fromStaticValue(0)})
    child("tiers", "ccd:coordinationtiers", "Coordination tiers", 420, 400, {
        "INPUT": Source.fromChildOutput("coupling", "OUTPUT"), **keys,
        "VALUE_FIELD": Source.fromStaticValue("D"), "METHOD": Source.fromStaticValue(0),
        "K": Source.fromStaticValue(3), "SEED": Source.fromStaticValue(0)},
        outputs=(("OUTPUT", "Coupling coordination with tiers"), ("COUNTS", "Tier counts"),
                 ("GROUP_MEANS", "Mean D per tier")))
    child("dagum", "ccd:dagumgini", "Dagum Gini decomposition by tier", 420, 500, {
        "INPUT": Source.fromChildOutput("tiers", "OUTPUT"), **keys,
        "VALUE_FIELD": Source.fromStaticValue("D"), "GROUP_FIELD": Source.fromStaticValue("TIER"),
        "SINGLETONS": Source.fromStaticValue(1)},
        outputs=(("OUTPUT", "Dagum decomposition"), ("PAIRS", "Dagum pairs")))
    return model


def main():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath(os.environ.get("QGIS_PREFIX_PATH", "/usr"), True)
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.insert(0, ROOT)
    model = build()
    if not model.toFile(MODEL):
        raise SystemExit(f"cannot write {MODEL}")
    print(MODEL)
    del app


if __name__ == "__main__":
    main()
