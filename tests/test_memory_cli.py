"""``agentkit skills`` and ``agentkit episodes`` on a real memory, with a test-double embedder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from agentkit.cli import app
from agentkit.export import read_export
from agentkit.memory import Episode, Skill, open_memory, resolve_embedder
from agentkit.plugins import Named, get_registry
from agentkit.runs.folder import RunFolder
from agentkit.testing import HashingEmbedder

CHOP_V1 = "def chop_tree(agent):\n    agent.do()\n"
CHOP_V2 = "def chop_tree(agent):\n    agent.face('tree')\n    agent.do()\n"


@pytest.fixture(autouse=True)
def embedders(monkeypatch):
    """Two test-double embedders registered as plugins would register them."""
    table = get_registry().embedders
    for name, dimension in (("hashing", 32), ("hashing-wide", 48)):
        factory = lambda d=dimension: HashingEmbedder(d)  # noqa: E731
        monkeypatch.setitem(
            table, name, Named(name, factory, "", "tests", {"dimension": dimension})
        )


def invoke(*args: str, home: Path, embedder: str | None = "hashing"):
    """Run the CLI in-process; ``stderr`` comes back with rich's line wrapping undone."""
    extra = ["--home", str(home)] + (["--embedder", embedder] if embedder else [])
    result = CliRunner().invoke(app, [*args, *extra])
    result.err = " ".join(result.stderr.split())
    return result


def make_run(home: Path, run_id: str, steps: int = 3) -> None:
    folder = RunFolder.create(home, run_id, {"env": "crafter"})
    for step in range(1, steps + 1):
        folder.append(
            {
                "episode": 0,
                "iteration": 0,
                "step": step,
                "action": "do",
                "feedback": f"hit the tree ({step})",
                "prompt": f"a tree is ahead ({step})",
                "reply": json.dumps({"action": "do", "argument": None, "reason": str(step)}),
            }
        )
        folder.save_frame(0, step, np.zeros((4, 4, 3), dtype=np.uint8))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    skills, episodes = open_memory(home, resolve_embedder("hashing", get_registry()))
    try:
        skills.add(Skill(name="chop_tree", description="chop a tree for wood", code=CHOP_V1))
        skills.add(
            Skill(
                name="chop_tree",
                description="chop a tree for wood",
                code=CHOP_V2,
                environment="crafter",
                verdicts=[{"success": True, "reason": "wood collected"}],
                successes=1,
            )
        )
        skills.add(Skill(name="drink", description="drink water at a lake", code="pass\n"))
        for iteration, success in ((0, True), (1, False)):
            episodes.add(
                Episode(
                    id=f"life:{iteration}",
                    run_id="life",
                    iteration=iteration,
                    environment="crafter",
                    task="collect wood",
                    plan=["find a tree", "chop it"],
                    actions=["do", "do"],
                    success=success,
                    critique="wood in inventory" if success else "no tree found",
                )
            )
    finally:
        skills.close()
        episodes.close()
    make_run(home, "life")
    return home


def test_skills_list_show_and_json(home):
    listed = invoke("skills", "list", "--json", home=home)
    assert listed.exit_code == 0, listed.output
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert rows["chop_tree"]["version"] == 2 and set(rows) == {"chop_tree", "drink"}
    only = json.loads(invoke("skills", "list", "--env", "crafter", "--json", home=home).stdout)
    assert [row["name"] for row in only] == ["chop_tree"]
    assert "chop_tree" in invoke("skills", "list", home=home).stdout

    shown = json.loads(invoke("skills", "show", "chop_tree", "--json", home=home).stdout)
    assert shown["versions"] == [1, 2] and shown["parent_version"] == 1
    assert shown["verdicts"] == [{"success": True, "reason": "wood collected"}]
    first = invoke("skills", "show", "chop_tree", "--version", "1", "--json", home=home)
    assert json.loads(first.stdout)["code"] == CHOP_V1

    text = invoke("skills", "show", "chop_tree", home=home)
    assert text.exit_code == 0, text.output
    assert "agent.face('tree')" in text.stdout and "wood collected" in text.stdout


def test_showing_a_missing_skill_or_episode_exits_2(home):
    missing = invoke("skills", "show", "fly", home=home)
    assert missing.exit_code == 2 and "no skill 'fly'" in missing.err
    missing = invoke("episodes", "show", "life:9", home=home)
    assert missing.exit_code == 2 and "no episode 'life:9'" in missing.err


def test_skill_pack_round_trip(home, tmp_path):
    pack = tmp_path / "pack.json"
    exported = invoke("skills", "export", str(pack), home=home)
    assert exported.exit_code == 0, exported.output
    assert "exported 3 skill version(s)" in exported.err

    other = tmp_path / "other"
    imported = invoke("skills", "import", str(pack), "--json", home=other)
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout) == {"added": 2, "versioned": 1, "unchanged": 0}
    again = invoke("skills", "import", str(pack), "--json", home=other)
    assert json.loads(again.stdout) == {"added": 0, "versioned": 0, "unchanged": 3}

    def skills(where: Path) -> list[dict]:
        return json.loads(invoke("skills", "list", "--json", home=where).stdout)

    assert skills(other) == skills(home)
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    refused = invoke("skills", "import", str(bad), home=other)
    assert refused.exit_code == 2 and "not a skill pack" in refused.err


def test_skills_search(home):
    found = invoke("skills", "search", "drink water", "-k", "1", "--json", home=home)
    assert found.exit_code == 0, found.output
    hits = json.loads(found.stdout)
    assert [hit["name"] for hit in hits] == ["drink"] and hits[0]["score"] > 0


def test_a_different_embedder_exits_2_until_reindexed(home):
    mismatch = invoke("skills", "list", home=home, embedder="hashing-wide")
    assert mismatch.exit_code == 2
    assert "'hashing'" in mismatch.err and "reindex" in mismatch.err
    unknown = invoke("skills", "list", home=home, embedder="nonesuch")
    assert unknown.exit_code == 2 and "no embedder named 'nonesuch'" in unknown.err

    rebuilt = invoke("skills", "reindex", home=home, embedder="hashing-wide")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "skills: 2 record(s)" in rebuilt.err and "episodes: 2 record(s)" in rebuilt.err
    assert invoke("episodes", "list", home=home, embedder="hashing-wide").exit_code == 0
    assert invoke("skills", "search", "wood", home=home, embedder="hashing-wide").exit_code == 0
    assert invoke("skills", "list", home=home).exit_code == 2


def test_episodes_list_and_show(home):
    def ids(*flags: str) -> list[str]:
        done = invoke("episodes", "list", *flags, "--json", home=home)
        assert done.exit_code == 0, done.output
        return [row["id"] for row in json.loads(done.stdout)]

    assert ids() == ["life:0", "life:1"]
    assert ids("--success") == ["life:0"] and ids("--failed") == ["life:1"]
    assert ids("--run", "elsewhere") == []
    assert "life:1" in invoke("episodes", "list", home=home).stdout

    shown = invoke("episodes", "show", "life:1", "--json", home=home)
    assert json.loads(shown.stdout)["critique"] == "no tree found"
    text = invoke("episodes", "show", "life:0", home=home).stdout
    assert "collect wood" in text and "find a tree" in text and "verified" in text


@pytest.mark.parametrize("fmt", ["sharegpt", "llava"])
def test_episodes_export_writes_only_verified_episodes(home, tmp_path, fmt):
    out = tmp_path / "data"
    done = invoke("episodes", "export", "--format", fmt, "--out", str(out), "--json", home=home)
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["episodes"] == 1 and report["unverified"] == 0 and report["runs"] == ["life"]
    samples = read_export(out, fmt)
    assert len(samples) == (1 if fmt == "sharegpt" else 3)
    assert report["images"] == 2  # the first step has no frame before it


def test_episodes_export_without_verified_episodes_exits_2(home, tmp_path):
    out = str(tmp_path / "data")
    none = invoke("episodes", "export", "--format", "llava", "--out", out, "--run", "x", home=home)
    assert none.exit_code == 2 and "no verified episodes of run 'x'" in none.err
    bad = invoke("episodes", "export", "--format", "alpaca", "--out", out, home=home)
    assert bad.exit_code == 2 and "unknown format 'alpaca'" in bad.err
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    refused = invoke("episodes", "export", "--format", "llava", "--out", str(taken), home=home)
    assert refused.exit_code == 2 and "is not empty" in refused.err


def test_browsing_an_empty_home_creates_no_memory(tmp_path):
    home = tmp_path / "empty"
    for args in (("skills", "list", "--json"), ("episodes", "list", "--json")):
        done = invoke(*args, home=home, embedder=None)
        assert done.exit_code == 0 and json.loads(done.stdout) == []
    assert not (home / "memory").exists()
