"""Test setup: make the agentkit core importable even when it is not installed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
if importlib.util.find_spec("agentkit") is None:  # core not installed: use the checkout
    sys.path.insert(0, str(REPO_ROOT))

from agentkit_crafter import CrafterEnvironment  # noqa: E402


@pytest.fixture
def env() -> CrafterEnvironment:
    environment = CrafterEnvironment(render=False)
    environment.reset(seed=1)
    return environment
