"""The tools, one module per family; :data:`TOOLS` lists them in menu order."""

from .centrography import DeviationalEllipse, GravityCentre
from .coupling import CouplingCoordination
from .drivers import DriverAnalysis
from .geodetector import GeoDetector
from .hotspots import EmergingHotSpots, HotSpots
from .importpanel import ImportPanel, PanelDiagnostics
from .indices import EntropyWeights, PersistentInnovation
from .inequality import DagumGini
from .obstacles import ObstacleDegree
from .regression import GeographicallyWeightedRegression, SpatialRegression
from .relative import RelativeDevelopment
from .spatial import GlobalMoran, LocalMoran, SpatialMarkov, SpatialWeightsTool
from .tiers import CoordinationTiers
from .workflow import FullAnalysis

TOOLS = (
    ImportPanel(),
    PanelDiagnostics(),
    EntropyWeights(),
    PersistentInnovation(),
    CouplingCoordination(),
    RelativeDevelopment(),
    CoordinationTiers(),
    DagumGini(),
    ObstacleDegree(),
    DriverAnalysis(),
    GeoDetector(),
    SpatialRegression(),
    GeographicallyWeightedRegression(),
    SpatialWeightsTool(),
    GlobalMoran(),
    LocalMoran(),
    SpatialMarkov(),
    HotSpots(),
    EmergingHotSpots(),
    GravityCentre(),
    DeviationalEllipse(),
    FullAnalysis(),
)


def tool(tool_id: str):
    """The tool with id ``tool_id`` (without the ``ccd:`` prefix)."""
    for candidate in TOOLS:
        if candidate.id == tool_id:
            return candidate
    raise KeyError(tool_id)
