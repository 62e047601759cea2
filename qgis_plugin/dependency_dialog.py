"""The offer, in QGIS's window, to install missing packages.

A message bar entry names what is missing; its button asks for consent (what
is installed, where, and that QGIS's own packages stay as they are) and then
opens ``ccd:installdependencies`` in Processing's dialog, which shows the
progress and pip's log and can be canceled.
"""

from qgis.core import Qgis
from qgis.PyQt.QtWidgets import QMessageBox, QPushButton

from . import installer
from .dependencies import dependency_message
from .translation import tr


def consent_text(problems, folder):
    names = ", ".join(name for name, _, _ in problems)
    return (tr("The Coupling Coordination Toolbox needs these Python packages: {}.").format(names)
            + "\n\n"
            + tr("Install them with pip into this QGIS profile's folder\n{}\n? The packages "
                 "QGIS's Python already has, numpy among them, are kept as they are. pip "
                 "downloads from the Python package index; this takes a few minutes.")
            .format(folder))


def ask_and_install(iface, problems):
    """Ask for consent; on yes, run the installer algorithm in Processing's dialog."""
    folder = installer.private_folder()
    answer = QMessageBox.question(
        iface.mainWindow(), tr("Install Python dependencies"), consent_text(problems, folder),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    import processing

    processing.execAlgorithmDialog("ccd:installdependencies", {"ACTION": 0})
    return True


def offer_installation(iface, problems):
    """Push the message bar entry with its 'Install…' and 'Details' buttons."""
    bar = iface.messageBar()
    item = bar.createMessage(
        tr("Coupling Coordination Toolbox"),
        tr("Python packages are missing: {}").format(", ".join(name for name, _, _ in problems)))
    install = QPushButton(tr("Install…"))
    install.clicked.connect(lambda: ask_and_install(iface, problems) and bar.popWidget(item))
    details = QPushButton(tr("Details"))
    details.clicked.connect(lambda: QMessageBox.information(
        iface.mainWindow(), tr("Coupling Coordination Toolbox"),
        dependency_message(problems, tr=tr)))
    item.layout().addWidget(install)
    item.layout().addWidget(details)
    bar.pushWidget(item, Qgis.MessageLevel.Warning)
    return item
