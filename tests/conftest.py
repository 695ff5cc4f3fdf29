"""Shared fixtures: a real built-in environment and the scripted test-double model."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agentkit import AgentRuntime, Controller
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.testing import ScriptedChatModel

# The repository runs pytest with ``--import-mode=importlib``, which leaves test folders off
# ``sys.path``: this one holds shared checks (trajectory_checks).
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def lake() -> GymnasiumEnvironment:
    """FrozenLake without slipping: deterministic moves make outcomes easy to assert."""
    return GymnasiumEnvironment("FrozenLake-v1", is_slippery=False)


@pytest.fixture
def make_runtime(lake: GymnasiumEnvironment) -> Callable[..., AgentRuntime]:
    def make(replies: list[Any] | None = None, default: Any = None, **options: Any) -> AgentRuntime:
        model = ScriptedChatModel(replies=replies or [], default=default)
        return AgentRuntime(env=lake, controller=Controller(model), **options)

    return make
