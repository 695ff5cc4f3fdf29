"""Crash safety: a writer SIGKILLed at random moments, a write interrupted between the
record and the index, a stale or foreign index entry, and a deleted or corrupted Chroma
folder all leave a library that opens consistent, with every skill searchable."""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from agentkit.memory import Skill, SkillLibrary, open_memory
from agentkit.memory.embedders import Embedder
from agentkit.memory.store import IndexEntry
from agentkit.testing import HashingEmbedder

REPO = Path(__file__).resolve().parents[1]
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from agentkit.memory import Episode, Skill, open_memory
    from agentkit.testing import HashingEmbedder
    home, start = Path(sys.argv[1]), int(sys.argv[2])
    skills, episodes = open_memory(home, HashingEmbedder())
    print("ready", flush=True)
    i = start
    while True:
        name = f"skill {i % 11}"
        skills.add(Skill(name=name, description=f"{name} variant {i} gathers item{i}",
                         code=f"step({i})", episode=f"run:{i}"))
        if i % 3 == 0:
            skills.record_outcome(name, skills.get(name).version, i % 2 == 0, {"success": True})
        episodes.add(Episode(id=f"run:{i % 17}", run_id="run", iteration=i % 17,
                             environment="e", task=f"task {i}", plan=[f"do {i}"],
                             success=i % 2 == 0))
        i += 1
    """
)


def assert_consistent(home: Path, embedder: Embedder) -> int:
    """Open, then check everything the guarantee promises; returns the number of skills."""
    skills, episodes = open_memory(home, embedder)
    try:
        for store in (skills, episodes):
            report = store.check()
            assert report["ok"], report
            assert report["canonical"] == report["indexed"], report
        latest = skills.list()
        for skill in latest:
            chain = skills.versions(skill.name)
            assert [s.version for s in chain] == list(range(1, len(chain) + 1))
            assert [s.parent_version for s in chain] == [None, *range(1, len(chain))]
            hits = skills.search(skill.description, k=3)
            assert (skill.name, skill.version) in [(h.skill.name, h.skill.version) for h in hits]
        for item in episodes.list():
            found = episodes.search(item.task + "\n" + "\n".join(item.plan), k=3, success=None)
            assert item.id in [h.episode.id for h in found]
        return len(latest)
    finally:
        skills.close()
        episodes.close()


def test_sigkill_at_random_moments_leaves_a_consistent_library(tmp_path):
    rng = random.Random(20261128)
    delays = [0.0, *sorted(rng.uniform(0.05, 1.2) for _ in range(4))]
    start = 0
    for delay in delays:
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), str(start)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            if delay:  # otherwise kill while it is still opening (and reconciling)
                assert child.stdout is not None
                assert child.stdout.readline().strip() == "ready"
                time.sleep(delay)
            else:
                time.sleep(0.8)
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            if child.stdout is not None:
                child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        assert_consistent(tmp_path, HashingEmbedder())
        start += 1000
    with SkillLibrary.open(tmp_path / "memory", HashingEmbedder()) as lib:
        assert len(lib.list()) > 0
        assert max(len(lib.versions(s.name)) for s in lib.list()) > 1


def test_write_interrupted_between_record_and_index_is_repaired_on_open(tmp_path, monkeypatch):
    folder = tmp_path / "memory"
    with SkillLibrary.open(folder, HashingEmbedder()) as lib:
        lib.add(skill_v("chop", 1))

        def crash(ids):
            raise KeyboardInterrupt("killed between commit and index")

        monkeypatch.setattr(lib._store.index, "sync", crash)
        with pytest.raises(KeyboardInterrupt):
            lib.add(skill_v("chop", 2))  # new version: record committed, index stale
        with pytest.raises(KeyboardInterrupt):
            lib.add(skill_v("drink", 1))  # new name: record committed, index missing it
        report = lib.check()
        assert report["missing"] == ["drink"] and report["stale"] == ["chop"]
    with SkillLibrary.open(folder, HashingEmbedder()) as lib:
        assert lib.check()["ok"]
        assert lib.search(skill_v("chop", 2).description, k=1)[0].skill.version == 2
        assert lib.search(skill_v("drink", 1).description, k=1)[0].skill.name == "drink"


def test_ids_only_in_the_index_are_deleted_on_open(tmp_path):
    folder = tmp_path / "memory"
    with SkillLibrary.open(folder, HashingEmbedder()) as lib:
        lib.add(skill_v("chop", 1))
        entry = IndexEntry("ghost", "a skill that was never committed", {"version": 1})
        lib._store.index._upsert(lib._store.index.collection, [entry], HashingEmbedder())
        assert lib.check()["orphaned"] == ["ghost"]
    with SkillLibrary.open(folder, HashingEmbedder()) as lib:
        report = lib.check()
        assert report["ok"] and report["indexed"] == 1
        assert [h.skill.name for h in lib.search("never committed", k=5)] == ["chop"]


def skill_v(name: str, n: int) -> Skill:
    return Skill(name=name, description=f"{name} the {n} way", code=f"{name}({n})")


def fill(home: Path, count: int = 12) -> None:
    skills, episodes = open_memory(home, HashingEmbedder())
    try:
        for i in range(count):
            skills.add(skill_v(f"s{i}", 1))
            skills.add(skill_v(f"s{i}", 2))
    finally:
        skills.close()
        episodes.close()


def test_deleted_chroma_folder_is_rebuilt_from_records(tmp_path):
    import shutil

    fill(tmp_path)
    shutil.rmtree(tmp_path / "memory" / "chroma")
    assert assert_consistent(tmp_path, HashingEmbedder()) == 12


@pytest.mark.parametrize("target", ["chroma.sqlite3", "every file"])
def test_corrupted_chroma_folder_is_moved_aside_and_rebuilt(tmp_path, caplog, target):
    fill(tmp_path)
    chroma = tmp_path / "memory" / "chroma"
    files = [p for p in chroma.rglob("*") if p.is_file()]
    if target != "every file":
        files = [chroma / target]
    for path in files:
        path.write_bytes(b"\x00garbage, not a database\xff" * 64)
    with caplog.at_level(logging.WARNING, logger="agentkit.memory.store"):
        assert assert_consistent(tmp_path, HashingEmbedder()) == 12
    assert "rebuilding it from records.sqlite" in caplog.text
    assert list((tmp_path / "memory").glob("chroma.broken-*"))


def test_interrupted_reindex_keeps_the_old_index_live(tmp_path, monkeypatch):
    from agentkit.memory import store

    fill(tmp_path, 3)
    folder = tmp_path / "memory"
    with SkillLibrary.open(folder, HashingEmbedder()) as lib:
        before = lib.check()["collection"]

        def crash(conn, values):
            raise KeyboardInterrupt("killed before the switch")

        monkeypatch.setattr(store, "_set_meta", crash)
        with pytest.raises(KeyboardInterrupt):
            lib.reindex(HashingEmbedder(16))
        monkeypatch.undo()
    with SkillLibrary.open(folder, HashingEmbedder()) as lib:
        report = lib.check()
        assert report["collection"] == before and report["dimension"] == 64 and report["ok"]
        names = [c.name for c in lib._store.index.client.list_collections()]
        assert [n for n in names if n.startswith("skills-")] == [before]
