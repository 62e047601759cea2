"""The plugin object QGIS loads: it registers the Processing provider."""

from qgis.core import QgsApplication

from .translation import install_translator, tr


class CouplingCoordinationPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        install_translator()

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        """Register the provider; also what ``qgis_process`` calls, with no interface."""
        if self.provider is None:
            from .proj_data import ensure_proj_data

            ensure_proj_data()
            from .provider import CcdProvider

            self.provider = CcdProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        from .dependencies import dependency_message, missing_dependencies

        problems = missing_dependencies()
        if problems and self.iface is not None:
            from qgis.core import Qgis

            self.iface.messageBar().pushMessage(
                tr("Coupling Coordination Toolbox"), dependency_message(problems, tr=tr),
                level=Qgis.MessageLevel.Critical, duration=0)

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
