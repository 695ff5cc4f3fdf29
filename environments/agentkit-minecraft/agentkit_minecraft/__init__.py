"""Minecraft for agentkit: a mineflayer bot behind a local Node bridge, and a test server."""

from agentkit_minecraft.bridge import Bridge, BridgeCrashed, BridgeError
from agentkit_minecraft.env import MinecraftCrashed, MinecraftEnvironment
from agentkit_minecraft.processes import NodeMissing, NodeProcessError, NodeStartTimeout
from agentkit_minecraft.server import TestServer

__all__ = [
    "Bridge",
    "BridgeCrashed",
    "BridgeError",
    "MinecraftCrashed",
    "MinecraftEnvironment",
    "NodeMissing",
    "NodeProcessError",
    "NodeStartTimeout",
    "TestServer",
    "__version__",
]
__version__ = "0.1.0"
