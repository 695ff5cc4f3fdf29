"""Plugin loading: real entry points of temporary installed distributions, isolated failures."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GOOD = """
from agentkit.plugins.hookspecs import hookimpl

@hookimpl
def register_models(register):
    register("echo-model", lambda **kw: "echo", description="test plugin")
"""
RAISES = """
from agentkit.plugins.hookspecs import hookimpl

@hookimpl
def register_environments(register):
    raise RuntimeError("hook exploded")

@hookimpl
def register_models(register):
    register("half-model", lambda **kw: "half")
"""
BROKEN = "import module_that_does_not_exist_anywhere\n"


def install(site: Path, dist: str, module: str, source: str) -> None:
    """Install a one-module distribution the way pip lays it out: module plus dist-info."""
    (site / f"{module}.py").write_text(source)
    info = site / f"{dist.replace('-', '_')}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(f"[agentkit]\n{dist} = {module}\n")
    (info / "RECORD").write_text("")


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    install(site, "good-plugin", "good_plugin", GOOD)
    install(site, "raising-plugin", "raising_plugin", RAISES)
    install(site, "broken-plugin", "broken_plugin", BROKEN)
    return site


def plugins_json(site: Path, **env: str) -> tuple[dict, str]:
    environ = {**os.environ, "PYTHONPATH": str(site), **env}
    if "AGENTKIT_LOAD_PLUGINS" not in env:
        environ.pop("AGENTKIT_LOAD_PLUGINS", None)
    code = "from agentkit.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "plugins", "--json"],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout), done.stderr


def test_broken_plugins_are_named_and_skipped_while_the_rest_load(site):
    report, stderr = plugins_json(site)
    names = {p["name"]: p for p in report["plugins"]}
    assert names["good-plugin"]["version"] == "1.2.3"
    assert names["good-plugin"]["hooks"] == ["register_models"]
    assert "echo-model" in report["models"] and "half-model" in report["models"]
    failures = {(f["plugin"], f["stage"]) for f in report["failures"]}
    assert ("broken-plugin", "load") in failures
    assert ("raising-plugin", "hook register_environments") in failures
    assert "module_that_does_not_exist_anywhere" in stderr and "hook exploded" in stderr
    assert "gymnasium" in report["environments"]  # built-ins still work


def test_load_plugins_variable_selects_and_empty_loads_none(site):
    report, _ = plugins_json(site, AGENTKIT_LOAD_PLUGINS="good-plugin")
    loaded = {p["name"] for p in report["plugins"] if not p["builtin"]}
    assert loaded == {"good-plugin"} and report["failures"] == []
    report, _ = plugins_json(site, AGENTKIT_LOAD_PLUGINS="")
    assert [p["name"] for p in report["plugins"]] == [
        "agentkit.default_plugins.bench",
        "agentkit.default_plugins.gymnasium_env",
        "agentkit.default_plugins.hosted_embedders",
        "agentkit.default_plugins.ui",
    ]
    assert report["environments"] == ["gymnasium"] and report["models"] == []


def test_observer_hooks_are_isolated_too(site, monkeypatch):
    from agentkit.plugins import PluginWarning, load_plugins
    from agentkit.plugins.hookspecs import hookimpl

    seen = []

    class Recorder:
        @hookimpl
        def on_step(self, run_id, episode, record):
            seen.append(record["step"])

    class Crashing:
        @hookimpl
        def on_step(self, run_id, episode, record):
            raise ValueError("observer bug")

    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "")
    registry = load_plugins()
    registry.manager.register(Crashing(), name="crashing")
    registry.manager.register(Recorder(), name="recorder")
    with pytest.warns(PluginWarning, match="observer bug"):
        registry.notify("on_step", run_id="r", episode=0, record={"step": 7})
    assert seen == [7]


def test_cli_lists_plugins_as_a_table(site):
    environ = {**os.environ, "PYTHONPATH": str(site)}
    environ.pop("AGENTKIT_LOAD_PLUGINS", None)
    done = subprocess.run(
        [sys.executable, "-c", "from agentkit.cli import main; main()", "plugins"],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "good-plugin" in done.stdout and "1.2.3" in done.stdout
    assert textwrap.dedent("skipped broken-plugin") in " ".join(done.stderr.split())
