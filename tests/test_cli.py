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
