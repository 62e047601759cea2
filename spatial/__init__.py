"""Analysis core of the Coupling Coordination Toolbox.

Pure functions on pandas / numpy data (with scikit-learn and PySAL where they
fit): no QGIS, no file formats, no printing. Submodules load on first use, so
``import spatial`` stays cheap for a command line that needs one of them.
"""

import importlib

__all__ = [
    "errors",
    "labels",
    "panel",
    "entropy",
    "innovation",
    "coupling",
    "tiers",
    "dagum",
    "obstacle",
    "drivers",
    "weights",
    "autocorrelation",
    "dynamics",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
