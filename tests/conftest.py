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
