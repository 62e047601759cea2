"""A real QgsApplication with the plugin's provider registered, for the QGIS tests.

Skipped as a whole where QGIS's Python bindings are absent (the plain numpy-2
environment); ``./run tests`` runs them in the environment built on Debian's QGIS.
"""

import os
import sys

import pytest

qgis_core = pytest.importorskip("qgis.core")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for path in ("/usr/share/qgis/python/plugins", "/usr/lib/qgis/python/plugins"):
    if os.path.isdir(path) and path not in sys.path:
        sys.path.append(path)


@pytest.fixture(scope="session")
def qgis_app():
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import qgis_plugin

    plugin = qgis_plugin.classFactory(None)
    plugin.initProcessing()
    yield app
    plugin.unload()


@pytest.fixture
def run_algorithm(qgis_app):
    """``processing.run`` with a fresh context, returning its result dict."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    def run(algorithm_id, parameters):
        return processing.run(algorithm_id, parameters, context=QgsProcessingContext(),
                              feedback=QgsProcessingFeedback())

    return run
