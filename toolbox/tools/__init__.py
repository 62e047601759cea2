"""The tools, one module per family; :data:`TOOLS` lists them in menu order."""

from .coupling import CouplingCoordination
from .indices import EntropyWeights, PersistentInnovation
from .inequality import DagumGini
from .obstacles import ObstacleDegree
from .tiers import CoordinationTiers

TOOLS = (
    EntropyWeights(),
    PersistentInnovation(),
    CouplingCoordination(),
    CoordinationTiers(),
    DagumGini(),
    ObstacleDegree(),
)


def tool(tool_id: str):
    """The tool with id ``tool_id`` (without the ``ccd:`` prefix)."""
    for candidate in TOOLS:
        if candidate.id == tool_id:
            return candidate
    raise KeyError(tool_id)
