"""Test setup: the agentkit core from the checkout when it is not installed, and the skip
rule for espeak-ng (a system package the environment needs to speak its password)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
if importlib.util.find_spec("agentkit") is None:  # core not installed: use the checkout
    sys.path.insert(0, str(REPO_ROOT))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # CI sets AGENTKIT_REQUIRE_ESPEAK=1 so that a missing espeak-ng fails instead of skipping.
    if shutil.which("espeak-ng") or os.environ.get("AGENTKIT_REQUIRE_ESPEAK"):
        return
    skip = pytest.mark.skip(reason="espeak-ng not installed (apt-get install -y espeak-ng)")
    for item in items:
        if "crossmodal" in str(item.fspath):
            item.add_marker(skip)
