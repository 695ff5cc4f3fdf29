"""Test setup: make the agentkit core and the shared test helpers importable.

The repository runs pytest with ``--import-mode=importlib`` (test files of several
distributions share basenames), which leaves test folders off ``sys.path``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # for crafter_helpers
if importlib.util.find_spec("agentkit") is None:  # core not installed: use the checkout
    sys.path.insert(0, str(REPO_ROOT))

from agentkit_crafter import CrafterEnvironment  # noqa: E402


@pytest.fixture
def env() -> CrafterEnvironment:
    environment = CrafterEnvironment(render=False)
    environment.reset(seed=1)
    return environment
