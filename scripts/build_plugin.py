"""Build the installable QGIS plugin zip: ``python scripts/build_plugin.py [DEST_DIR]``.

The zip holds one folder, ``coupling_coordination/``: the QGIS shell from
``qgis_plugin/`` with ``metadata.txt``, and the ``toolbox`` and ``spatial``
packages inside it, so installing the plugin adds nothing to the top level of
QGIS's Python. Prints the zip's path.

The source imports the layers by their plain names (``from spatial import
coupling``, ``from toolbox import tools``) so that the repository's import graph
shows which layer uses which; :func:`vendored_source` rewrites those imports to
the plugin's own package (``from coupling_coordination.spatial import
coupling``) as the files go into the zip, the way dependency-vendoring tools do.
"""

import ast
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
VENDORED = ("spatial", "toolbox")


def vendored_source(text: str, where: str = "<source>") -> str:
    """``text`` with every absolute ``from spatial…`` / ``from toolbox…`` import
    pointing into the plugin's package.

    Only the ``from X import …`` form is rewritten (its module name is all that
    changes); ``import spatial…`` would bind another name inside the plugin and
    is refused, as the layering test refuses it in the source.
    """
    tree = ast.parse(text, where)
    lines = text.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in VENDORED:
                    raise ValueError(f"{where}:{node.lineno}: write 'from {alias.name} import …' "
                                     f"instead of 'import {alias.name}'")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] in VENDORED:
            edits.append((node.lineno - 1, node.col_offset, node.module))
    for line, column, module in sorted(edits, reverse=True):
        text_line = lines[line]
        head = text_line[column:]
        start = column + len(head) - len(head[4:].lstrip()) if head.startswith("from") else -1
        if start < 0 or not text_line.startswith(module, start):
            raise ValueError(f"{where}:{line + 1}: cannot rewrite the import of {module}")
        lines[line] = text_line[:start] + f"{PLUGIN}.{module}" + text_line[start + len(module):]
    return "".join(lines)


def plugin_files():
    """(path on disk, path in the zip) of every file the plugin ships."""
    yield os.path.join(ROOT, "metadata.txt"), f"{PLUGIN}/metadata.txt"
    yield os.path.join(ROOT, "LICENSE"), f"{PLUGIN}/LICENSE"
    # what the plugin's dependency check and installer read (qgis_plugin/dependencies.py)
    yield os.path.join(ROOT, "requirements", "core.txt"), f"{PLUGIN}/requirements.txt"
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


def generated_declarations(folder: str):
    """(path of ``declarations.json`` made from the tools, its path in the zip):
    what the plugin registers its algorithms from (:mod:`toolbox.declarations`)."""
    sys.path.insert(0, ROOT)
    from toolbox.declarations import declarations_text
    from toolbox.tools import TOOLS

    path = os.path.join(folder, "declarations.json")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(declarations_text(TOOLS))
    yield path, f"{PLUGIN}/toolbox/declarations.json"


def build(destination: str) -> str:
    os.makedirs(destination, exist_ok=True)
    path = os.path.join(destination, f"{PLUGIN}.zip")
    with tempfile.TemporaryDirectory() as scratch, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        generated = list(compiled_translations(scratch)) + list(generated_declarations(scratch))
        shipped = {target for _, target in generated}
        for source, target in [f for f in plugin_files() if f[1] not in shipped] + generated:
            if source.endswith(".py"):
                with open(source, encoding="utf-8") as handle:
                    archive.writestr(target, vendored_source(handle.read(), source))
            else:
                archive.write(source, target)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "dist")))
