"""MineDojo for agentkit: metadata, an action codec, an observation mapper and an adapter."""

from agentkit_minedojo.codec import DIMENSION_NAMES, FUNCTIONAL, ActionCodec, RawAction
from agentkit_minedojo.env import CURRICULUM, STRUCTURED_ACTIONS, MineDojoEnvironment
from agentkit_minedojo.metadata import MineDojoMetadata, MineDojoNotInstalled, load_metadata
from agentkit_minedojo.observation import ObservationMapper, WorldState
from agentkit_minedojo.simulator import MineDojoUnavailable, simulator_status
from agentkit_minedojo.structured import ActionError

__all__ = [
    "CURRICULUM",
    "DIMENSION_NAMES",
    "FUNCTIONAL",
    "STRUCTURED_ACTIONS",
    "ActionCodec",
    "ActionError",
    "MineDojoEnvironment",
    "MineDojoMetadata",
    "MineDojoNotInstalled",
    "MineDojoUnavailable",
    "ObservationMapper",
    "RawAction",
    "WorldState",
    "__version__",
    "load_metadata",
    "simulator_status",
]
__version__ = "0.1.0"
