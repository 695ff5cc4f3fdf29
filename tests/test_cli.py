"""The command line fails clearly, with a non-zero exit, on bad input."""

import subprocess
import sys


def agentkit(*args, home):
    code = "from agentkit.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args, "--home", str(home)],
        capture_output=True,
        text=True,
    )


def test_unknown_environment(tmp_path):
    done = agentkit("run", "atlantis", home=tmp_path)
    assert done.returncode == 2
    assert "unknown environment 'atlantis'" in done.stderr and "gymnasium" in done.stderr


def test_unknown_model(tmp_path):
    done = agentkit("run", "gymnasium:FrozenLake-v1", "--model", "nonesuch", home=tmp_path)
    assert done.returncode == 2
    assert "unknown model 'nonesuch'" in done.stderr


def test_resume_of_a_missing_run(tmp_path):
    done = agentkit("run", "--resume", "no-such-run", home=tmp_path)
    assert done.returncode == 2
    assert "no run 'no-such-run'" in done.stderr


def test_run_needs_an_environment_or_resume(tmp_path):
    done = agentkit("run", home=tmp_path)
    assert done.returncode == 2
    assert "--resume" in done.stderr


def test_runs_lists_finished_and_resumable_runs(tmp_path):
    import json

    from agentkit.runs.folder import RunFolder

    config = {"env": "crafter", "task": "t", "model": "local", "episodes": 2}
    done = RunFolder.create(tmp_path, "a-done", config)
    done.set_episode(0, finished=True, steps=5)
    done.set_episode(1, finished=True, steps=7)
    half = RunFolder.create(tmp_path, "b-half", config)
    half.set_episode(0, finished=True, steps=3)
    listed = agentkit("runs", "--json", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = {row["run_id"]: row for row in json.loads(listed.stdout)}
    assert rows["a-done"]["complete"] is True and rows["a-done"]["steps"] == 12
    assert rows["b-half"]["complete"] is False and rows["b-half"]["episodes"] == "1/2"


def test_unknown_run_options_become_environment_options_as_text():
    import pytest
    import typer

    from agentkit.options import parse_extra_options

    args = ["--server", "127.0.0.1:25565", "--mc-version=1.20", "--seed-x", "3"]
    options = parse_extra_options(args)
    assert options == {"server": "127.0.0.1:25565", "mc_version": "1.20", "seed_x": "3"}
    for bad in (["--server"], ["stray"], ["--a", "--b", "1"]):
        with pytest.raises(typer.BadParameter):
            parse_extra_options(bad)


def test_on_off_options_are_read_strictly_everywhere():
    import pytest
    from agentkit_crafter import CrafterEnvironment

    from agentkit.options import parse_flag

    assert [parse_flag(v, "x") for v in (True, "yes", " ON ", 1, "false", "0", False)] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    with pytest.raises(ValueError, match="render must be true or false, got 'ture'"):
        parse_flag("ture", "render")
    with pytest.raises(ValueError, match="mask must be true or false"):
        CrafterEnvironment(mask="maybe")  # an environment uses the same reading


def test_no_resume_hint_for_a_run_that_failed_before_its_folder_existed(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import agentkit.cli as cli
    import agentkit.cli.learn as learn_cli
    import agentkit.cli.run as run_cli

    def broken_world(*args, **kwargs):
        raise RuntimeError("the world would not start")

    monkeypatch.setattr(run_cli, "start_run", broken_world)
    monkeypatch.setattr(learn_cli, "start_learning", broken_world)
    for command in (["run", "gymnasium:FrozenLake-v1"], ["learn", "gymnasium:FrozenLake-v1"]):
        done = CliRunner().invoke(cli.app, [*command, "--home", str(tmp_path)])
        assert done.exit_code == 1, done.output
        assert "the world would not start" in done.output
        assert "--resume" not in done.output  # nothing to resume: no folder was made

    def started_then_broken(config, *, on_created, home, **kwargs):
        on_created(home / "runs" / "20261128-000000-abcd")
        raise RuntimeError("the world fell over")

    monkeypatch.setattr(run_cli, "start_run", started_then_broken)
    done = CliRunner().invoke(cli.app, ["run", "gymnasium:FrozenLake-v1", "--home", str(tmp_path)])
    assert done.exit_code == 1
    assert "agentkit run --resume 20261128-000000-abcd" in " ".join(done.output.split())
