"""Test-wide settings.

Property-based tests (hypothesis) explore new random examples on every local
run; under CI (``CI`` set, as in ``.ci/run``) they are derandomized, so that
a landing never depends on the examples drawn that day. A failure found
locally prints the example to turn into a regular test.
"""

import os

try:
    from hypothesis import settings
except ImportError:  # the QGIS-only environments may lack it
    settings = None

if settings is not None:
    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")

# The command line runs numba-decorated library code uncompiled
# (toolbox/jit.py). In the test process numba compiles as usual, so that a
# command run in-process cannot switch it for the tests that follow;
# tests/toolbox/test_jit.py runs both and compares.
os.environ.setdefault("NUMBA_DISABLE_JIT", "0")

# The QGIS plugin registers its algorithms from toolbox/declarations.json,
# which the plugin build generates (toolbox/declarations.py); the tests use one
# generated here from the tools, so that they load the plugin as users do.
if not os.environ.get("CCD_DECLARATIONS"):
    import tempfile

    try:
        from toolbox.declarations import declarations_text
        from toolbox.tools import TOOLS
    except ImportError:  # an environment that cannot import every tool: the plugin loads the tools
        pass
    else:
        _declarations = os.path.join(tempfile.mkdtemp(prefix="ccd-declarations-"), "declarations.json")
        with open(_declarations, "w", encoding="utf-8") as _handle:
            _handle.write(declarations_text(TOOLS))
        os.environ["CCD_DECLARATIONS"] = _declarations
