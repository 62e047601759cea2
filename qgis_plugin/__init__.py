"""QGIS plugin entry point of the Coupling Coordination Toolbox."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import CouplingCoordinationPlugin

    return CouplingCoordinationPlugin(iface)
