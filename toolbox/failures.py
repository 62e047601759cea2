"""What a user is told when a run stops: one message and one exit code per kind of failure.

The command line prints the message and exits with the code; the QGIS
adapter raises the same message as a QgsProcessingException. Anything not
foreseen here becomes one line naming the error, with a hint where the
traceback is (``--debug`` on the command line, the log in QGIS).

Exit codes: 0 done, 1 unexpected error, 2 bad arguments, 3 bad input data,
4 a file or folder could not be read or written (or would overwrite an
input), 130 canceled.
"""

from typing import Tuple

from spatial.errors import InputError

from .atomic import OutputConflict, os_reason
from .tables import TableIOError
from .tool import Canceled

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_INPUT, EXIT_IO, EXIT_CANCELED = 0, 1, 2, 3, 4, 130
FLOAT32_MAX = 3.4028234663852886e38


def _os_message(error: OSError) -> str:
    where = error.filename or ""
    if error.filename2:
        where = f"{where} → {error.filename2}"
    reason = os_reason(error)
    return f"{where}: {reason}" if where else reason


def _library_limit(error: Exception):
    """A message for a known limit of a library the tools call, or None."""
    text = str(error)
    if isinstance(error, ValueError) and "float32" in text and (
            "too large" in text or "infinity" in text):
        return (EXIT_INPUT,
                "a driver or target value is too large for scikit-learn, which computes in "
                f"32-bit floats (|value| ≤ {FLOAT32_MAX:.3g}): rescale the field (e.g. divide "
                "it by 1e6, or take its logarithm) and run again")
    return None


def explain(error: BaseException, debug_hint: str = "rerun with --debug for the traceback"
            ) -> Tuple[int, str]:
    """(exit code, one-line message) for an error that stopped a run."""
    if isinstance(error, (Canceled, KeyboardInterrupt)):
        return EXIT_CANCELED, "canceled; the outputs are as they were before the run"
    if isinstance(error, InputError):
        return EXIT_INPUT, f"input error: {error}"
    if isinstance(error, (OutputConflict, TableIOError)):
        return EXIT_IO, str(error)
    if isinstance(error, UnicodeDecodeError):
        return EXIT_IO, (f"a file is not text in the expected encoding ({error.encoding}, byte "
                         f"{error.start}); save it as UTF-8 and run again")
    if isinstance(error, OSError):
        return EXIT_IO, _os_message(error)
    if isinstance(error, MemoryError):
        return EXIT_UNEXPECTED, ("not enough memory for this input; use fewer years or units, or "
                                 "fewer permutations")
    limit = _library_limit(error)
    if limit is not None:
        return limit
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return EXIT_UNEXPECTED, (f"unexpected error ({type(error).__name__}"
                             + (f": {first[:300]}" if first else "") + f"); {debug_hint}")
