"""``agentkit plugins new``: the generated packages install, pass their tests and load.

The end-to-end test installs the generated packages into a throwaway venv that sees this
venv's packages through a ``.pth`` file (``--system-site-packages`` would expose the base
interpreter's, not this venv's), so the main venv never holds them, even after a crash.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentkit.cli import app
from agentkit.scaffold import KINDS, ScaffoldError, scaffold, validate_name

# Names no real plugin uses, so the checks below cannot be fooled by an installed one.
NAMES = {"perceiver": "sc-bright", "tool": "sc-calc", "environment": "sc-grid"}


@pytest.mark.parametrize("name", ["bright", "grid-world", "a1", "x2-3d"])
def test_good_names(name):
    assert validate_name(name) == name


@pytest.mark.parametrize(
    "name",
    ["", "Bright", "grid_world", "-grid", "grid-", "grid--world", "1grid", "a b", "agentkit-x"],
)
def test_bad_names_are_refused(name):
    with pytest.raises(ScaffoldError):
        validate_name(name)


def test_an_unknown_kind_and_a_used_folder_are_refused(tmp_path):
    with pytest.raises(ScaffoldError, match="unknown kind"):
        scaffold("demo", "model", tmp_path)
    (tmp_path / "agentkit-demo").mkdir()
    scaffold("demo", "tool", tmp_path)  # an empty folder is fine
    with pytest.raises(ScaffoldError, match="not empty"):
        scaffold("demo", "tool", tmp_path)


@pytest.mark.parametrize("kind", KINDS)
def test_every_placeholder_is_filled(tmp_path, kind):
    made = scaffold("my-thing", kind, tmp_path, distribution="acme-agentkit-my-thing")
    names = {path.relative_to(made.folder).as_posix() for path in made.files}
    assert {
        "pyproject.toml",
        "README.md",
        ".gitignore",
        "agentkit_my_thing/__init__.py",
        "agentkit_my_thing/plugin.py",
        f"agentkit_my_thing/{kind}.py",
        "tests/test_my_thing.py",
    } == names
    for path in made.files:
        text = path.read_text()
        assert "{{" not in text and "__package__" not in str(path), path
    pyproject = (made.folder / "pyproject.toml").read_text()
    assert 'my-thing = "agentkit_my_thing.plugin"' in pyproject
    assert 'name = "acme-agentkit-my-thing"' in pyproject
    assert "xmodal-agentkit" in pyproject
    compile((made.folder / f"agentkit_my_thing/{kind}.py").read_text(), kind, "exec")


def test_the_cli_creates_a_plugin_and_prints_next_steps(tmp_path):
    result = CliRunner().invoke(
        app, ["plugins", "new", "demo", "--kind", "tool", "--dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "agentkit-demo" / "agentkit_demo" / "tool.py").exists()
    assert "pip install -e '.[test]'" in result.output and "agentkit plugins" in result.output
    again = CliRunner().invoke(
        app, ["plugins", "new", "demo", "--kind", "tool", "--dir", str(tmp_path)]
    )
    assert again.exit_code == 2 and "not empty" in again.output
    bad = CliRunner().invoke(
        app, ["plugins", "new", "Demo", "--kind", "tool", "--dir", str(tmp_path)]
    )
    assert bad.exit_code == 2 and "invalid plugin name" in bad.output


def test_plugins_without_a_sub_command_still_lists():
    listed = CliRunner().invoke(app, ["plugins", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "gymnasium" in json.loads(listed.stdout)["environments"]
    again = CliRunner().invoke(app, ["plugins", "list", "--json"])
    assert again.exit_code == 0 and json.loads(again.stdout) == json.loads(listed.stdout)


# -- end to end: scaffold, install, test, list --------------------------------------------------


def _environ() -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    environ.pop("AGENTKIT_LOAD_PLUGINS", None)
    return environ


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """One throwaway venv holding the three generated plugins, editable; their folders."""
    root = tmp_path_factory.mktemp("scaffold")
    venv = root / "venv"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    main_site = sysconfig.get_paths()["purelib"]
    # addsitedir, unlike a bare path line, also runs the main venv's .pth files (editables).
    Path(purelib, "_agentkit_main_venv.pth").write_text(
        f"import site; site.addsitedir({main_site!r})\n"
    )
    folders = {}
    for kind, name in NAMES.items():
        result = CliRunner().invoke(
            app, ["plugins", "new", name, "--kind", kind, "--dir", str(root)]
        )
        assert result.exit_code == 0, result.output
        folders[kind] = root / f"agentkit-{name}"
    editable = [arg for folder in folders.values() for arg in ("-e", str(folder))]
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", *editable],
        check=True,
        capture_output=True,
        env=_environ(),
    )
    setup_s = time.perf_counter() - started
    return python, folders, setup_s


@pytest.mark.parametrize("kind", KINDS)
def test_the_generated_plugin_passes_its_tests(installed, kind):
    python, folders, setup_s = installed
    started = time.perf_counter()
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=folders[kind],
        capture_output=True,
        text=True,
        env=_environ(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "skipped" not in done.stdout, "the discovery check was skipped: " + done.stdout
    print(f"{kind}: install (shared) {setup_s:.1f} s, tests {time.perf_counter() - started:.1f} s")


def test_agentkit_plugins_lists_the_generated_plugins(installed):
    python, _, _ = installed
    done = subprocess.run(
        [str(python), "-c", "from agentkit.cli import main; main()", "plugins", "--json"],
        capture_output=True,
        text=True,
        env=_environ(),
        check=True,
    )
    report = json.loads(done.stdout)
    assert set(NAMES.values()) <= {plugin["name"] for plugin in report["plugins"]}
    assert not report["failures"], report["failures"]
    assert "sc-grid" in report["environments"]


def test_the_main_venv_does_not_keep_them(installed):
    installed_here = {dist.metadata["Name"] for dist in metadata.distributions()}
    assert not {f"agentkit-{name}" for name in NAMES.values()} & installed_here
