"""The Processing provider ``ccd``: one algorithm per toolbox tool."""

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .translation import tr


class CcdProvider(QgsProcessingProvider):
    def id(self):
        return "ccd"

    def name(self):
        return tr("Coupling coordination")

    def longName(self):  # noqa: N802 (QGIS's name)
        return tr("Coupling Coordination Toolbox")

    def icon(self):
        path = os.path.join(os.path.dirname(__file__), "icon.svg")
        return QIcon(path) if os.path.exists(path) else super().icon()

    def loadAlgorithms(self):  # noqa: N802
        from .dependencies import dependency_message, missing_dependencies
        from .install_algorithm import InstallDependenciesAlgorithm

        self.addAlgorithm(InstallDependenciesAlgorithm())  # there even when packages are missing
        problems = missing_dependencies()
        if problems:
            from qgis.core import Qgis, QgsMessageLog

            QgsMessageLog.logMessage(dependency_message(problems, tr=tr), self.name(), Qgis.MessageLevel.Critical)
            return
        from .algorithm import ToolAlgorithm
        from toolbox.declarations import declared_tools

        # the declarations, not the tools: loading imports no tool module (see .algorithm)
        declarations = declared_tools()
        if not declarations:  # a tree without the generated file: the tools themselves
            from toolbox import tools

            declarations = tools.TOOLS
        for declaration in declarations:
            self.addAlgorithm(ToolAlgorithm(declaration))
        self._load_models()

    def _load_models(self):
        """The graphical models shipped in ``models/`` (templates users can open and edit)."""
        from qgis.core import QgsProcessingModelAlgorithm

        folder = os.path.join(os.path.dirname(__file__), "models")
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
            if name.endswith(".model3"):
                model = QgsProcessingModelAlgorithm()
                if model.fromFile(os.path.join(folder, name)):
                    self.addAlgorithm(model)
