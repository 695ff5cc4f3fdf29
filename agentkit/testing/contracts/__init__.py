"""Contract suites: reusable pytest tests a plugin runs against its own implementation.

Subclass the suite for your kind in your own test module and say how to build the thing
under test; pytest then runs every check agentkit relies on, and each failure names what to
fix::

    from agentkit.testing.contracts import EnvironmentContract

    class TestMyWorld(EnvironmentContract):
        entry_point = "my-world"          # optional: also check `agentkit plugins` finds it

        def make_environment(self):
            return MyWorld()

The suites need pytest (a test dependency of the plugin, not a run-time one of agentkit).
"""

from __future__ import annotations

import pytest

# Rewrite the suites' asserts so a failure shows the values compared, like a test's own.
pytest.register_assert_rewrite(
    "agentkit.testing.contracts.embedder",
    "agentkit.testing.contracts.environment",
    "agentkit.testing.contracts.perceiver",
    "agentkit.testing.contracts.tool",
)

from agentkit.testing.contracts.embedder import EmbedderContract  # noqa: E402
from agentkit.testing.contracts.environment import EnvironmentContract  # noqa: E402
from agentkit.testing.contracts.perceiver import PerceiverContract  # noqa: E402
from agentkit.testing.contracts.tool import ToolContract  # noqa: E402

__all__ = ["EmbedderContract", "EnvironmentContract", "PerceiverContract", "ToolContract"]
