"""Episodic memory: add, idempotent re-add, filters, search by task and plan, persistence."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agentkit.memory import Episode, EpisodicMemory, Skill, open_memory
from agentkit.testing import HashingEmbedder

REPO = Path(__file__).resolve().parents[1]


def episode(run: str, iteration: int, task: str, success: bool | None, **fields) -> Episode:
    return Episode(
        id=f"{run}:{iteration}",
        run_id=run,
        iteration=iteration,
        environment=fields.pop("environment", "crafter"),
        task=task,
        success=success,
        **fields,
    )


@pytest.fixture
def memory(tmp_path):
    mem = EpisodicMemory.open(tmp_path / "memory", HashingEmbedder())
    yield mem
    mem.close()


def test_search_returns_successful_similar_episodes_first(memory):
    memory.add(episode("r1", 1, "collect wood from a tree", True, plan=["find tree", "chop"]))
    memory.add(episode("r1", 2, "collect wood from a tree", False, plan=["wander"]))
    memory.add(episode("r1", 3, "drink water at the lake", True, plan=["find lake", "drink"]))
    memory.add(episode("r2", 1, "collect stone with a pickaxe", True, plan=["mine stone"]))
    hits = memory.search("collect wood from a tree", k=3)
    assert hits[0].episode.id == "r1:1"
    assert all(h.episode.success for h in hits)
    assert hits[0].score > hits[1].score
    failures = memory.search("collect wood from a tree", k=3, success=False)
    assert [h.episode.id for h in failures] == ["r1:2"]
    everything = memory.search("collect wood from a tree", k=10, success=None)
    assert {h.episode.id for h in everything} == {"r1:1", "r1:2", "r1:3", "r2:1"}


def test_plan_is_part_of_what_is_searched(memory):
    memory.add(episode("r", 1, "get ready", True, plan=["craft a wooden pickaxe"]))
    memory.add(episode("r", 2, "get ready", True, plan=["drink water"]))
    assert memory.search("craft pickaxe", k=1)[0].episode.id == "r:1"


def test_environment_filter(memory):
    memory.add(episode("r", 1, "open the door", True, environment="babyai"))
    memory.add(episode("r", 2, "open the door", True, environment="minihack"))
    hits = memory.search("open the door", k=5, environment="minihack")
    assert [h.episode.id for h in hits] == ["r:2"]


def test_list_filters_and_orders(memory):
    memory.add(episode("b", 2, "t", True))
    memory.add(episode("b", 1, "t", False))
    memory.add(episode("a", 1, "t", None))
    assert [e.id for e in memory.list()] == ["a:1", "b:1", "b:2"]
    assert [e.id for e in memory.list(run_id="b")] == ["b:1", "b:2"]
    assert [e.id for e in memory.list(success=True)] == ["b:2"]
    assert [e.id for e in memory.list(run_id="b", success=False)] == ["b:1"]
    assert memory.get("nope") is None


def test_re_adding_an_id_replaces_it_everywhere(memory):
    memory.add(episode("r", 1, "collect wood", False, critique="no tree nearby"))
    memory.add(episode("r", 1, "collect wood", True, metrics={"steps": 12}, skill="chop tree@v2"))
    assert len(memory) == 1
    stored = memory.get("r:1")
    assert stored.success is True and stored.metrics == {"steps": 12}
    assert stored.skill == "chop tree@v2" and stored.critique == ""
    assert [h.episode.id for h in memory.search("collect wood")] == ["r:1"]
    report = memory.check()
    assert (report["canonical"], report["indexed"], report["ok"]) == (1, 1, True)


def test_episodes_and_skills_share_a_folder_and_persist_across_processes(tmp_path):
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from agentkit.memory import Episode, Skill, open_memory
        from agentkit.testing import HashingEmbedder
        skills, episodes = open_memory(Path({str(tmp_path)!r}), HashingEmbedder())
        skills.add(Skill(name="chop", description="chop a tree", code="chop()", episode="r:1"))
        episodes.add(Episode(id="r:1", run_id="r", iteration=1, environment="crafter",
                             task="collect wood", plan=["chop a tree"], success=True,
                             frames=["frames/0001.png"], skill="chop@v1"))
        skills.close()
        episodes.close()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO, timeout=120)
    assert (tmp_path / "memory" / "records.sqlite").is_file()
    assert (tmp_path / "memory" / "chroma").is_dir()
    skills, episodes = open_memory(tmp_path, HashingEmbedder())
    try:
        hit = episodes.search("collect wood")[0]
        assert hit.episode.frames == ["frames/0001.png"] and hit.episode.skill == "chop@v1"
        assert skills.get("chop").episode == "r:1"
        assert isinstance(skills.get("chop"), Skill)
        assert episodes.check()["ok"] and skills.check()["ok"]
    finally:
        skills.close()
        episodes.close()


def test_episode_needs_an_id(memory):
    with pytest.raises(ValueError, match="needs an id"):
        memory.add(episode("r", 1, "t", True).model_copy(update={"id": ""}))
