"""Test setup: the shared helpers, the live-test gate and a session-wide test server.

The repository runs pytest with ``--import-mode=importlib`` (test files of several
distributions share basenames), which leaves test folders off ``sys.path``.
Tests that need Node.js, ``npm ci`` and the two Node programs are marked ``slow`` and
skipped with the reason when any of them is missing.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # for minecraft_helpers
if importlib.util.find_spec("agentkit") is None:  # core not installed: use the checkout
    sys.path.insert(0, str(REPO_ROOT))

from minecraft_helpers import live_missing  # noqa: E402

from agentkit_minecraft.server import TestServer  # noqa: E402


@pytest.fixture(scope="session")
def minecraft_server() -> Iterator[TestServer]:
    """One test server (port 0, seed 7) for the session; stopped at the end."""
    reason = live_missing()
    if reason:
        pytest.skip(reason)
    with TestServer(port=0, seed=7) as server:
        yield server
