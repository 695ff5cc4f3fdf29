"""Repository-wide test policy: under ``make test`` no test skips.

``AGENTKIT_REQUIRE_ALL=1`` (the Makefile's ``test`` target sets it, so CI does) turns every
skip into a failure that keeps the skip's reason: a missing dependency, tool or font fails
the run instead of hiding a test in the "skipped" count. Tests that cannot run on CI's
machines are deselected by marker in the Makefile, where the reason is written down, not
skipped. Without the variable (a quick local ``pytest``), skips stay skips.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

REQUIRE_ALL = "AGENTKIT_REQUIRE_ALL"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "open_clip: needs the vision plugin's [clip] extra; make test runs these in a second "
        "pytest with .venv/clip-deps on PYTHONPATH",
    )


def _required() -> bool:
    return os.environ.get(REQUIRE_ALL) == "1"


def _reason(longrepr: Any) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: why")
        path, line, message = longrepr
        return f"{message} ({path}:{line})"
    return str(longrepr)


def _fail_if_skipped(report: Any) -> None:
    if _required() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under {REQUIRE_ALL}=1, which forbids skips: " + _reason(
            report.longrepr
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator:
    outcome = yield
    _fail_if_skipped(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator:
    outcome = yield
    _fail_if_skipped(outcome.get_result())  # a module-level importorskip or skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each test file on one pytest-xdist worker (``make test`` runs ``-n 2``).

    Module-scoped fixtures start real servers (PostgreSQL, Chroma, ``langgraph dev``,
    Chromium); split across workers, each would start its own. The Minecraft tests share
    one session-wide test server, so they form a single group (``make test`` runs them in
    a pytest of their own). ``--dist loadgroup`` reads these marks; without xdist they do
    nothing.
    """
    for item in items:
        group = "minecraft" if "agentkit-minecraft" in item.path.parts else str(item.path)
        item.add_marker(pytest.mark.xdist_group(group))
