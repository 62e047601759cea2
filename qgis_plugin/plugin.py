"""The plugin object QGIS loads: it registers the Processing provider."""

from qgis.core import QgsApplication

from .translation import install_translator


class CouplingCoordinationPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        install_translator()

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        """Register the provider; also what ``qgis_process`` calls, with no interface."""
        if self.provider is None:
            from .provider import CcdProvider

            self.provider = CcdProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
