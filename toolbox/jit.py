"""numba in a ``ccd`` process: not compiled.

numba is not a dependency of the toolbox, but it is installed (shap
requires it), and several of our dependencies compile with it in every
fresh process: mapclassify compiles a kernel when it is imported (3–4 s,
paid by every step that imports esda or mapclassify), mgwr its distance
function on the first GWR fit (3–8 s). None of them is a hot loop of ours:
our statistics are numpy kernels (:mod:`spatial.conditional_permutation`,
:mod:`spatial.moran`) and mgwr's distance function is vectorised numpy.
Compiling costs seconds and gains nothing, so the command line runs these
functions as the plain Python they are written in (``NUMBA_DISABLE_JIT``,
numba's documented switch), in its own process only: QGIS's process is
shared with other plugins and is left alone.

A module that compiles at import even so (numba's ``guvectorize``, as
quantecon's do) fails in such a process unless numba's cache already
holds it, so no code of ours imports one: the Markov chains are our own
(:mod:`spatial.density`, :mod:`spatial.dynamics`), not giddy's, whose
import chain reaches quantecon.
"""

import os
import sys

SWITCH = "NUMBA_DISABLE_JIT"


def without_compilation() -> bool:
    """Set ``NUMBA_DISABLE_JIT=1`` for this process and its children unless
    the user set it or numba is already imported (numba reads it once, on
    import; changing it afterwards breaks numba's next compilation).
    Returns whether it was set here."""
    if SWITCH in os.environ or "numba" in sys.modules:
        return False
    os.environ[SWITCH] = "1"
    return True
