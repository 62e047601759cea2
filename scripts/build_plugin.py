"""Build the installable QGIS plugin zip: ``python scripts/build_plugin.py [DEST_DIR]``.

The zip holds one folder, ``coupling_coordination/``: the QGIS shell from
``qgis_plugin/`` with ``metadata.txt``, and the ``toolbox`` and ``spatial``
packages inside it, so installing the plugin adds nothing to the top level of
QGIS's Python. Prints the zip's path.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = "coupling_coordination"
CONTENT = (("qgis_plugin", ""), ("toolbox", "toolbox"), ("spatial", "spatial"))
SKIPPED_SUFFIXES = (".pyc", ".ts")


def plugin_files():
    """(path on disk, path in the zip) of every file the plugin ships."""
    yield os.path.join(ROOT, "metadata.txt"), f"{PLUGIN}/metadata.txt"
    yield os.path.join(ROOT, "LICENSE"), f"{PLUGIN}/LICENSE"
    for source, target in CONTENT:
        base = os.path.join(ROOT, source)
        for folder, subfolders, files in os.walk(base):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(SKIPPED_SUFFIXES):
                    continue
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, base)
                yield path, "/".join(p for p in (PLUGIN, target, relative.replace(os.sep, "/")) if p)


def compiled_translations(folder: str):
    """(path of a compiled .qm, path in the zip) for each .ts, made with Qt's lrelease."""
    lrelease = shutil.which("lrelease") or shutil.which("lrelease-qt5") or shutil.which("lrelease6")
    sources = os.path.join(ROOT, "qgis_plugin", "i18n")
    for name in sorted(os.listdir(sources)):
        if not name.endswith(".ts"):
            continue
        if lrelease is None:
            print(f"warning: lrelease not found, {name} not compiled (Debian: qttools5-dev-tools)",
                  file=sys.stderr)
            continue
        qm = os.path.join(folder, name[:-3] + ".qm")
        subprocess.run([lrelease, "-silent", os.path.join(sources, name), "-qm", qm], check=True)
        yield qm, f"{PLUGIN}/i18n/{os.path.basename(qm)}"


def build(destination: str) -> str:
    os.makedirs(destination, exist_ok=True)
    path = os.path.join(destination, f"{PLUGIN}.zip")
    with tempfile.TemporaryDirectory() as scratch, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for source, target in list(plugin_files()) + list(compiled_translations(scratch)):
            archive.write(source, target)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "dist")))
