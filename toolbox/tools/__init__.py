"""The tools, one module each; :data:`TOOLS` lists them in menu order."""

from .coupling import CouplingCoordination
from .indices import EntropyWeights, PersistentInnovation

TOOLS = (EntropyWeights(), PersistentInnovation(), CouplingCoordination())


def tool(tool_id: str):
    """The tool with id ``tool_id`` (without the ``ccd:`` prefix)."""
    for candidate in TOOLS:
        if candidate.id == tool_id:
            return candidate
    raise KeyError(tool_id)
