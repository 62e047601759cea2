"""``ccd:installdependencies``: install (or remove) the analysis packages from
inside QGIS, in the toolbox or through ``qgis_process``.

A QGIS-only algorithm (no toolbox tool behind it): it is what the plugin's
dependency dialog opens, and it is listed even when the packages are missing,
so that ``qgis_process run ccd:installdependencies`` works on a fresh QGIS.
pip's output is the algorithm's log; progress follows pip's stages. When it
finishes, the provider reloads its algorithms, so the tools appear without
restarting QGIS.
"""

import re

from qgis.core import (QgsApplication, QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingOutputString, QgsProcessingParameterEnum)

from . import compat, installer
from .translation import tr

ACTIONS = ("install", "remove")
_STAGES = ((re.compile(r"^(Collecting|Requirement already satisfied)"), 2, 60),
           (re.compile(r"^(Downloading|Obtaining|Using cached)"), 0.5, 60),
           (re.compile(r"^Installing collected packages"), 0, 70),
           (re.compile(r"^Successfully installed"), 0, 100))


def progress_after(line, progress):
    """pip's progress in %: each package found moves 2 % (up to 60 %), a download
    0.5 %, installing jumps to 70 % and success to 100 %."""
    for pattern, step, ceiling in _STAGES:
        if pattern.match(line.strip()):
            return min(ceiling, progress + step) if step else max(progress, ceiling)
    return progress


class InstallDependenciesAlgorithm(QgsProcessingAlgorithm):
    ACTION = "ACTION"
    FOLDER = "FOLDER"

    def __init__(self):
        super().__init__()
        self._action = None

    def createInstance(self):  # noqa: N802 (QGIS's names below)
        return InstallDependenciesAlgorithm()

    def name(self):
        return "installdependencies"

    def displayName(self):  # noqa: N802
        return tr("Install Python dependencies")

    def group(self):
        return tr("Set-up")

    def groupId(self):  # noqa: N802
        return "setup"

    def shortHelpString(self):  # noqa: N802
        return tr("Installs the Python packages the toolbox needs (pandas, scikit-learn, "
                  "geopandas, the PySAL family...) with pip into a private folder of this "
                  "QGIS profile, {}. Nothing QGIS's Python already has is upgraded: numpy and "
                  "every other installed package are pinned to their versions. Needs a "
                  "connection to the Python package index. 'Remove' deletes the folder again "
                  "(restart QGIS afterwards).").format("python/" + installer.FOLDER_NAME)

    def flags(self):
        # not hidden from the modeler: qgis_process lists only what the modeler may use
        return super().flags() | compat.ALGORITHM_CAN_CANCEL

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterEnum(
            self.ACTION, tr("Action"),
            options=[tr("Install or update the packages"), tr("Remove the installed packages")],
            defaultValue=0))
        self.addOutput(QgsProcessingOutputString(self.FOLDER, tr("Package folder")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self._action = ACTIONS[self.parameterAsEnum(parameters, self.ACTION, context)]
        folder = installer.private_folder()
        if self._action == "remove":
            removed = installer.remove(folder)
            feedback.pushInfo(tr("Removed {}").format(folder) if removed
                              else tr("Nothing to remove: {} does not exist").format(folder))
            return {self.FOLDER: folder}
        try:
            command, folder = installer.prepare(folder)
        except installer.InstallError as error:
            raise QgsProcessingException(str(error))
        feedback.pushInfo(tr("Installing into {}").format(folder))
        feedback.pushCommandInfo(" ".join(command))
        progress = [0.0]

        def on_line(line):
            feedback.pushConsoleInfo(line)
            progress[0] = progress_after(line, progress[0])
            feedback.setProgress(progress[0])

        code = installer.run_pip(command, on_line, feedback.isCanceled)
        if code == -1:
            feedback.reportError(tr("Canceled"), fatalError=False)
            return {self.FOLDER: folder}
        if code != 0:
            raise QgsProcessingException(
                tr("pip failed (exit code {}); its log is above").format(code))
        installer.add_to_path(folder)
        feedback.setProgress(100)
        return {self.FOLDER: folder}

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        """In the main thread: reload the provider so that the tools appear."""
        if self._action == "install":
            from .dependencies import missing_dependencies
            from .proj_data import ensure_proj_data

            problems = missing_dependencies()
            if problems:
                feedback.reportError(tr("Still missing: {}. Restart QGIS and try again.").format(
                    ", ".join(name for name, _, _ in problems)), fatalError=False)
            else:
                ensure_proj_data()
                provider = QgsApplication.processingRegistry().providerById("ccd")
                if provider is not None and provider.algorithm("couplingcoordination") is None:
                    provider.refreshAlgorithms()
                feedback.pushInfo(tr("The packages are installed; the toolbox's algorithms "
                                     "are ready."))
        elif self._action == "remove":
            feedback.pushInfo(tr("Restart QGIS to unload the removed packages."))
        return {}
