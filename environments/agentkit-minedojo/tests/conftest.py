"""Test setup: make the agentkit core and the shared test helpers importable.

The repository runs pytest with ``--import-mode=importlib`` (test files of several
distributions share basenames), which leaves test folders off ``sys.path``. The
``minedojo_sim`` marker is registered here too, so it is known whichever configuration
(this distribution's or the repository's) pytest reads.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # for minedojo_layout, minedojo_double
if importlib.util.find_spec("agentkit") is None:  # core not installed: use the checkout
    sys.path.insert(0, str(REPO_ROOT))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "minedojo_sim: needs the real MineDojo simulator (Java 8, built Malmo mod); skipped "
        "when it cannot start",
    )


@pytest.fixture(scope="session")
def meta():
    from agentkit_minedojo.metadata import MineDojoNotInstalled, load_metadata

    try:
        return load_metadata()
    except MineDojoNotInstalled as error:  # the adapter cannot work at all without it
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def codec(meta):
    from agentkit_minedojo.codec import ActionCodec

    return ActionCodec(meta)
