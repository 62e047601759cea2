"""The layers as the imports show them: core → toolbox → plugin, no cycles.

Every ``import`` of every module of ``spatial/``, ``toolbox/`` and
``qgis_plugin/`` is read from its source (imports inside functions too), so
the graph a reader or a dependency tool draws is the one tested here.
"""

import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAYERS = ("spatial", "toolbox", "qgis_plugin")
ALLOWED_BELOW = {"spatial": set(), "toolbox": {"spatial"}, "qgis_plugin": {"spatial", "toolbox"}}
DYNAMIC_IMPORTS = {"toolbox.steps", "toolbox.tools"}
"""Modules that load others by a name found at run time (new steps and tools are new files)."""


def modules():
    """Dotted module name → source path of every module of the layers."""
    found = {}
    for layer in LAYERS:
        for folder, subfolders, files in os.walk(os.path.join(ROOT, layer)):
            subfolders[:] = [d for d in subfolders if d != "__pycache__"]
            for name in files:
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
                    if parts[-1] == "__init__":
                        parts = parts[:-1]
                    found[".".join(parts)] = path
    return found


MODULES = modules()


def _package(name):
    return name if MODULES[name].endswith("__init__.py") else name.rpartition(".")[0]


def imports(name):
    """(imported module, line, form) of every import in module ``name`` that
    names a module of the layers; form is ``import`` or ``from``."""
    with open(MODULES[name], encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), MODULES[name])
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno, "import") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package(name).split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            out.append((module, node.lineno, "from"))
            for alias in node.names:  # from package import submodule
                if f"{module}.{alias.name}" in MODULES:
                    out.append((f"{module}.{alias.name}", node.lineno, "from"))
    return [(m, line, form) for m, line, form in out if m.split(".")[0] in LAYERS]


def graph():
    """Module → modules it imports, each import also reaching the packages above
    the imported module (Python runs their ``__init__`` first)."""
    edges = {}
    for name in MODULES:
        targets = set()
        for module, _, _ in imports(name):
            parts = module.split(".")
            for i in range(1, len(parts) + 1):
                target = ".".join(parts[:i])
                if target in MODULES and target != name and not name.startswith(target + "."):
                    targets.add(target)
        edges[name] = targets
    return edges


def test_every_layer_imports_only_the_layers_below_it():
    wrong = []
    for name in MODULES:
        layer = name.split(".")[0]
        for module, line, _ in imports(name):
            other = module.split(".")[0]
            if other != layer and other not in ALLOWED_BELOW[layer]:
                wrong.append(f"{MODULES[name]}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_graph_shows_the_layers():
    edges = graph()
    uses = {(a.split(".")[0], b.split(".")[0]) for a, targets in edges.items() for b in targets}
    assert ("toolbox", "spatial") in uses and ("qgis_plugin", "toolbox") in uses


def test_no_import_cycles():
    edges = graph()
    state, stack, cycles = {}, [], []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


def test_other_layers_are_imported_by_name_in_the_from_form():
    """``from spatial import coupling`` — the form the plugin build rewrites."""
    wrong = []
    for name in MODULES:
        for module, line, form in imports(name):
            if form == "import":
                wrong.append(f"{MODULES[name]}:{line}: import {module}")
    assert not wrong, "\n".join(wrong)


def test_import_module_only_where_names_are_found_at_run_time():
    wrong = []
    for name, path in MODULES.items():
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        if "import_module" in source and name not in DYNAMIC_IMPORTS:
            wrong.append(path)
    assert not wrong, wrong


def test_the_plugin_build_rewrites_the_imports_into_its_package():
    import sys

    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import build_plugin
    finally:
        sys.path.pop(0)
    text = ("from spatial import coupling\nfrom spatial.errors import (\n    InputError)\n"
            "def f():\n    from toolbox.tools import TOOLS\n    from .x import y\n")
    rewritten = build_plugin.vendored_source(text)
    assert rewritten == text.replace("from spatial", "from coupling_coordination.spatial").replace(
        "from toolbox", "from coupling_coordination.toolbox")
    with pytest.raises(ValueError, match="write 'from spatial import"):
        build_plugin.vendored_source("import spatial\n")


def test_discovery_refuses_a_name_claimed_twice():
    import pytest

    from toolbox.tools import refuse_repeated

    refuse_repeated(["a", "b"], "two tools declare id")
    with pytest.raises(RuntimeError, match="^two study steps declare section 'b'$"):
        refuse_repeated(["c", "b", "a", "b", "c"], "two study steps declare section")  # first sorted: 'b'
