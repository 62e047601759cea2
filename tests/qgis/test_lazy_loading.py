"""Loading the provider imports no tool module and none of the heavy packages they use;
the algorithms QGIS registers from the declarations are the tools' own, parameter for
parameter, and a tool's module is imported when its algorithm runs."""

import json
import os
import subprocess
import sys

import pytest
from qgis.core import QgsApplication

pytestmark = pytest.mark.qgis
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEAVY = ("pandas", "numpy", "geopandas", "sklearn", "scipy", "pyogrio", "shapely", "pyproj",
         "libpysal", "esda", "giddy", "mapclassify", "matplotlib", "pyarrow", "statsmodels")

# Run in a fresh QGIS: load the plugin as QGIS does (classFactory, initProcessing),
# list what it imported, then create one algorithm, then run it, listing again.
_SCRIPT = r"""
import json, os, sys
sys.path.insert(0, os.environ["CCD_ROOT"])
sys.path += ["/usr/share/qgis/python/plugins", "/usr/lib/qgis/python/plugins"]
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
from processing.core.Processing import Processing
Processing.initialize()
import processing
before = set(sys.modules)

def added():
    return sorted(set(sys.modules) - before)

import qgis_plugin
plugin = qgis_plugin.classFactory(None)
plugin.initProcessing()
registry = QgsApplication.processingRegistry()
provider = registry.providerById("ccd")
report = {"loaded": added(), "algorithms": sorted(a.id() for a in provider.algorithms())}
algorithm = registry.createAlgorithmById("ccd:couplingcoordination")
report["parameters"] = [d.name() for d in algorithm.parameterDefinitions()]
report["created"] = added()
layer = QgsVectorLayer("None?field=ID:string&field=YEAR:integer&field=U1:double&field=U2:double",
                       "t", "memory")
from qgis.core import QgsFeature
feature = QgsFeature(layer.fields())
feature.setAttributes(["a", 2020, 0.25, 1.0])
layer.dataProvider().addFeatures([feature])
result = processing.run("ccd:couplingcoordination", {
    "INPUT": layer, "SYSTEM_FIELDS": ["U1", "U2"], "MODEL": 0, "ID_FIELD": "ID",
    "YEAR_FIELD": "YEAR", "OUTPUT": "memory:"}, context=QgsProcessingContext(),
    feedback=QgsProcessingFeedback())
report["C"] = [f["C"] for f in result["OUTPUT"].getFeatures()]
report["ran"] = added()
print("REPORT" + json.dumps(report))
"""


@pytest.fixture(scope="module")
def fresh_load():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CCD_ROOT=ROOT)
    done = subprocess.run([sys.executable, "-c", _SCRIPT],
                          capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(l for l in done.stdout.splitlines() if l.startswith("REPORT"))
    return json.loads(line[len("REPORT"):])


def _heavy(modules):
    return sorted(m for m in modules if m.split(".")[0] in HEAVY
                  or m == "toolbox.tools" or m.startswith("toolbox.tools."))


def test_loading_the_provider_imports_no_tool_module_nor_pandas(fresh_load):
    from toolbox.tools import catalog

    assert "qgis_plugin.provider" in fresh_load["loaded"]
    assert _heavy(fresh_load["loaded"]) == []
    assert {f"ccd:{e.id}" for e in catalog()} <= set(fresh_load["algorithms"])


def test_creating_an_algorithm_imports_nothing_more(fresh_load):
    assert _heavy(fresh_load["created"]) == []
    assert {"INPUT", "SYSTEM_FIELDS", "MODEL", "UNITS", "OUTPUT"} <= set(fresh_load["parameters"])


def test_running_imports_that_tool_only(fresh_load):
    # C = 2·sqrt(0.25·1)/(0.25 + 1) = 0.8
    assert fresh_load["C"] == [pytest.approx(0.8)]
    tool_modules = [m for m in fresh_load["ran"] if m.startswith("toolbox.tools.")]
    assert "toolbox.tools.coupling" in tool_modules
    assert "toolbox.tools.drivers" not in tool_modules
    assert "toolbox.tools.spatial" not in tool_modules


def _described(algorithm):
    """Everything QGIS's toolbox, batch mode and modeler read of an algorithm."""
    return {
        "name": algorithm.name(), "displayName": algorithm.displayName(), "group": algorithm.group(),
        "groupId": algorithm.groupId(), "help": algorithm.shortHelpString(),
        "flags": int(algorithm.flags()),
        "parameters": [(d.type(), d.toVariantMap(), d.help()) for d in algorithm.parameterDefinitions()],
        "outputs": [(o.type(), o.name(), o.description()) for o in algorithm.outputDefinitions()],
    }


def _tool_algorithms():
    from qgis_plugin.algorithm import ToolAlgorithm

    provider = QgsApplication.processingRegistry().providerById("ccd")
    found = [a for a in provider.algorithms() if isinstance(a, ToolAlgorithm)]
    assert found
    return found


def test_registered_algorithms_are_the_tools_own(qgis_app):
    from qgis_plugin.algorithm import ToolAlgorithm
    from toolbox.tools import TOOLS, tool

    registered = _tool_algorithms()
    assert sorted(a.name() for a in registered) == sorted(t.id for t in TOOLS)
    for algorithm in registered:
        own = ToolAlgorithm(tool(algorithm.name()))
        own.initAlgorithm({})
        assert _described(algorithm) == _described(own), algorithm.name()
        created = QgsApplication.processingRegistry().createAlgorithmById(algorithm.id())
        assert _described(created) == _described(own), algorithm.name()


def test_registered_algorithms_are_translated_as_the_tools_are(qgis_app, tmp_path):
    import shutil

    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from qgis_plugin.algorithm import ToolAlgorithm
    from toolbox.tools import tool

    lrelease = shutil.which("lrelease")
    if lrelease is None:
        pytest.skip("Qt's lrelease is not installed")
    qm = tmp_path / "ccd_zh.qm"
    subprocess.run([lrelease, "-silent", os.path.join(ROOT, "qgis_plugin", "i18n", "ccd_zh.ts"),
                    "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        for algorithm in _tool_algorithms():
            created = QgsApplication.processingRegistry().createAlgorithmById(algorithm.id())
            own = ToolAlgorithm(tool(algorithm.name()))
            own.initAlgorithm({})
            assert _described(created) == _described(own), algorithm.name()
        coupling = QgsApplication.processingRegistry().createAlgorithmById("ccd:couplingcoordination")
        assert coupling.displayName() != tool("couplingcoordination").title
        assert any("\u4e00" <= c <= "\u9fff" for c in coupling.displayName())
    finally:
        QCoreApplication.removeTranslator(translator)


def test_qgis_initialises_an_algorithm_when_it_is_registered(qgis_app):
    """Why declarations are needed at load: QGIS 3.22 (as 3.40 and later) calls
    initAlgorithm inside QgsProcessingProvider.addAlgorithm."""
    from qgis.core import QgsProcessingProvider

    from qgis_plugin.algorithm import ToolAlgorithm
    from toolbox.declarations import declared_tools

    calls = []

    class Counting(ToolAlgorithm):
        def initAlgorithm(self, config=None):  # noqa: N802
            calls.append(self.name())
            super().initAlgorithm(config)

        def createInstance(self):  # noqa: N802
            return Counting(self._tool)

    class Provider(QgsProcessingProvider):
        def id(self):
            return "lazytest"

        def name(self):
            return "lazy test"

        def loadAlgorithms(self):  # noqa: N802
            self.addAlgorithm(Counting(declared_tools()[0]))

    provider = Provider()
    assert QgsApplication.processingRegistry().addProvider(provider)
    try:
        assert calls == [declared_tools()[0].id]
        assert provider.algorithms()[0].parameterDefinitions()
    finally:
        QgsApplication.processingRegistry().removeProvider(provider)


def test_a_declaration_out_of_date_stops_the_run_with_the_remedy(run_algorithm):
    import dataclasses

    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

    from qgis_plugin.algorithm import ToolAlgorithm
    from toolbox.declarations import declared_tools

    current = next(d for d in declared_tools() if d.id == "couplingcoordination")
    stale = dataclasses.replace(current, parameters=current.parameters[:-1])
    algorithm = ToolAlgorithm(stale)
    algorithm.initAlgorithm({})
    with pytest.raises(QgsProcessingException, match="tool_declarations.py update"):
        algorithm.prepareAlgorithm({}, QgsProcessingContext(), QgsProcessingFeedback())
