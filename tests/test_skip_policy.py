"""The repository's conftest.py: under AGENTKIT_REQUIRE_ALL=1 a skip is a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

POLICY = (Path(__file__).resolve().parents[1] / "conftest.py").read_text()
TESTS = """
import pytest

def test_skips():
    pytest.skip("no espeak-ng")

@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False
"""


def test_a_skip_fails_with_its_reason_when_skips_are_forbidden(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(POLICY)
    pytester.makepyfile(test_policy=TESTS)
    pytester.makepyfile(test_module_skip="import pytest\npytest.importorskip('no_such_mod')\n")
    monkeypatch.setenv("AGENTKIT_REQUIRE_ALL", "1")
    result = pytester.runpytest("-p", "no:cacheprovider", "--continue-on-collection-errors")
    result.assert_outcomes(failed=1, xfailed=1, errors=1)
    result.stdout.fnmatch_lines(["*forbids skips*no espeak-ng*"])


def test_skips_stay_skips_without_the_switch(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(POLICY)
    pytester.makepyfile(test_policy=TESTS)
    monkeypatch.delenv("AGENTKIT_REQUIRE_ALL", raising=False)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(skipped=1, xfailed=1)
