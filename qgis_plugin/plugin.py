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
            from .installer import add_to_path
            from .proj_data import ensure_proj_data

            add_to_path()  # packages the plugin's installer put in the profile
            ensure_proj_data()
            from .provider import CcdProvider

            self.provider = CcdProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()
        from .dependencies import missing_dependencies

        problems = missing_dependencies()
        if problems and self.iface is not None:
            from .dependency_dialog import offer_installation

            offer_installation(self.iface, problems)

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
