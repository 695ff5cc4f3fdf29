"""Crafter for agentkit: a reproducible world, a local text view and bounded primitives."""

from agentkit_crafter.env import PRIMITIVES, RAW_ACTIONS, CrafterEnvironment

__all__ = ["PRIMITIVES", "RAW_ACTIONS", "CrafterEnvironment", "__version__"]
__version__ = "0.1.0"
