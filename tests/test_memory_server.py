"""The server memory backend on real servers: PostgreSQL (Debian's) for the records and
Chroma's own server (``chroma run``) for the index, both started here and stopped after.

The concurrency test runs 8 writer processes (tests/memory_writer.py) into one library,
SIGKILLs random writers and restarts the Chroma server while they write, then checks that
nothing acknowledged was lost, versions have no gaps or duplicates, and records and index
agree after reconciling. It uses the deterministic HashingEmbedder so that loading MiniLM
in 8 processes does not dominate the run (the embedder is not what is under test).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentkit.memory import (
    EmbedderMismatch,
    Episode,
    EpisodicMemory,
    MemoryLocation,
    Skill,
    SkillLibrary,
    memory_location,
    open_memory,
)
from agentkit.memory.entries import IndexEntry
from agentkit.testing import HashingEmbedder
from agentkit.testing.servers import (
    ChromaServer,
    PostgresServer,
    chroma_server,
    postgres_server,
)

WRITER = Path(__file__).with_name("memory_writer.py")
WRITERS = 8


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="module")
def chroma() -> Iterator[ChromaServer]:
    with chroma_server() as server:
        yield server


_databases = iter(range(1, 1000))


@pytest.fixture
def url(postgres: PostgresServer, chroma: ChromaServer) -> str:
    """A fresh database on the shared PostgreSQL server, with the shared Chroma server."""
    dsn = postgres.create_database(f"memory{next(_databases)}")
    return f"{dsn}?chroma={chroma.url}"


def test_locations_parse_folders_and_server_urls(tmp_path: Path) -> None:
    location = MemoryLocation.parse(
        "postgresql://me:secret@db:5433/mem?sslmode=disable&chroma=http://ix:9000"
    )
    assert location.is_server and location.chroma == "http://ix:9000"
    assert location.records == "postgresql://me:secret@db:5433/mem?sslmode=disable"
    assert "secret" not in str(location) and "***" in str(location)
    assert MemoryLocation.parse("postgresql://me@db/mem").chroma == "http://127.0.0.1:8000"
    assert memory_location(tmp_path) == MemoryLocation(folder=tmp_path / "memory")
    assert memory_location(str(tmp_path)).folder == tmp_path / "memory"
    for bad in ("mysql://x/y", "postgresql://me@db", "postgresql://me@db/m?chroma=ftp://x"):
        with pytest.raises(ValueError):
            MemoryLocation.parse(bad)


def test_the_library_works_the_same_on_the_servers(url: str) -> None:
    skills, episodes = open_memory(url, HashingEmbedder())
    with skills, episodes:
        assert skills.folder is None and skills.location.is_server
        skills.add(
            Skill(
                name="chop tree",
                description="chop down a tree to gather logs",
                code="chop()",
                environment="crafter",
            )
        )
        v2 = skills.add(
            Skill(
                name="chop tree",
                description="walk to the nearest tree and chop it",
                code="goto(); chop()",
                environment="crafter",
            )
        )
        assert (v2.version, v2.parent_version) == (2, 1)
        same = skills.add(
            Skill(name="chop tree", description="x", code="goto(); chop()\n", successes=2)
        )
        assert same.version == 2 and same.successes == 2
        skills.add(
            Skill(
                name="make pickaxe",
                description="craft a wooden pickaxe at the table",
                code="craft()",
                language="lua",
            )
        )
        skills.record_outcome("chop tree", 2, True, {"success": True})
        assert [s.version for s in skills.versions("chop tree")] == [1, 2]
        assert skills.search("gather logs from a tree", k=1)[0].skill.ref == "chop tree@v2"
        assert [h.skill.name for h in skills.search("wooden pickaxe", mode="lexical")] == [
            "make pickaxe"
        ]
        # spelling correction asks the server's full-text index which words are the library's
        misspelt = skills.search("wodden pikaxe", mode="lexical")
        assert [h.skill.name for h in misspelt] == ["make pickaxe"]
        assert skills.search("wodden pikaxe", mode="lexical", spelling=False) == []
        assert [h.skill.name for h in skills.search("tree", verified_only=True)] == ["chop tree"]
        assert [h.skill.name for h in skills.search("craft", language="lua")] == ["make pickaxe"]
        assert skills.search("the a of", mode="lexical") == []  # only stopwords
        episodes.add(
            Episode(
                id="r:1",
                run_id="r",
                iteration=1,
                environment="crafter",
                task="collect wood",
                plan=["find a tree"],
                success=True,
            )
        )
        assert episodes.search("collect wood")[0].episode.id == "r:1"
        assert skills.check()["ok"] and episodes.check()["ok"]
        assert len(skills) == 2 and len(episodes) == 1
    with pytest.raises(EmbedderMismatch, match="agentkit skills reindex"):
        SkillLibrary.open(url, HashingEmbedder(16))


def test_reconcile_on_open_repairs_the_server_index(url: str) -> None:
    with SkillLibrary.open(url, HashingEmbedder()) as lib:
        for i in range(4):
            lib.add(Skill(name=f"s{i}", description=f"skill number {i}", code=f"c{i}"))
        index = lib.index
        index.collection.delete(ids=["s1"])  # a write cut off between record and index
        index.collection.update(ids=["s2"], metadatas=[{"fp": "stale"}])
        index._upsert(index.collection, [IndexEntry("ghost", "no record")], index.embedder)
        lib.index.lexical.write([], ["s3"])
        report = lib.check()
        assert (report["missing"], report["stale"], report["orphaned"]) == (
            ["s1"],
            ["s2"],
            ["ghost"],
        )
        assert report["lexical_missing"] == ["s3"] and not report["ok"]
    with SkillLibrary.open(url, HashingEmbedder()) as lib:
        assert lib.index.repaired == {"added": 1, "deleted": 1, "updated": 1, "lexical": 1}
        assert lib.check()["ok"]


def test_reindex_on_the_server_switches_collections(url: str) -> None:
    with EpisodicMemory.open(url, HashingEmbedder()) as memory:
        memory.add(
            Episode(id="a:1", run_id="a", iteration=1, environment="e", task="dig", success=True)
        )
        before = memory.check()["collection"]
        memory.reindex(HashingEmbedder(16))
        after = memory.check()
        assert after["collection"] != before and after["dimension"] == 16 and after["ok"]
        names = [c.name for c in memory._store.index.client.list_collections()]
        assert before not in names and after["collection"] in names


# --------------------------------------------------------------------------- concurrency


def _read_log(path: Path) -> list[dict[str, Any]]:
    lines = []
    for line in path.read_text().splitlines():
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut by SIGKILL (not expected: one write each)
            pass
    return lines


def _spawn(url: str, log: Path, stop: Path, seed: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), url, str(log), str(stop), str(seed)],
        stdout=subprocess.DEVNULL,
        stderr=open(log.with_suffix(".err"), "ab"),
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )


def _wait_open(logs: list[Path], procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 120
    while not all(log.exists() and '"open"' in log.read_text() for log in logs):
        for log, proc in zip(logs, procs, strict=True):
            if proc.poll() is not None:
                pytest.fail(f"a writer exited on opening: {log.with_suffix('.err').read_text()}")
        if time.monotonic() > deadline:
            pytest.fail("the writers did not open the memory within 120 s")
        time.sleep(0.2)


def test_eight_writers_with_kills_and_a_chroma_restart_lose_nothing(
    url: str, chroma: ChromaServer, tmp_path: Path
) -> None:
    rng = random.Random(16)
    stop = tmp_path / "stop"
    logs = [tmp_path / f"writer{w}.log" for w in range(WRITERS)]
    started = time.monotonic()
    procs = [_spawn(url, logs[w], stop, w) for w in range(WRITERS)]
    _wait_open(logs, procs)  # importing chromadb in 8 processes takes a while on 2 cores
    began = time.monotonic()
    kills, chroma_down = 0, 0.0
    # seconds after every writer opened: four SIGKILLs of random writers, each replaced by a
    # new one, and the Chroma server SIGKILLed and kept down 3 s while they write
    schedule = [(3.0, "kill"), (6.0, "kill"), (8.0, "chroma"), (14.0, "kill"), (17.0, "kill")]
    seed = WRITERS
    for at, action in schedule:
        time.sleep(max(0.0, at - (time.monotonic() - began)))
        for w, proc in enumerate(procs):
            if proc.poll() is not None:  # a writer must only die when killed
                pytest.fail(
                    f"writer {w} exited with {proc.returncode}: "
                    f"{logs[w].with_suffix('.err').read_text()[-3000:]}"
                )
        if action == "kill":
            w = rng.randrange(WRITERS)
            procs[w].send_signal(signal.SIGKILL)
            procs[w].wait()
            kills += 1
            seed += 1
            procs[w] = _spawn(url, logs[w], stop, seed)  # a new agent in its place
        else:
            chroma_down = chroma.restart(signal.SIGKILL, down=3.0)
    time.sleep(max(0.0, 22.0 - (time.monotonic() - began)))
    stop.touch()
    for w, proc in enumerate(procs):
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"writer {w} did not stop")
        assert code == 0, logs[w].with_suffix(".err").read_text()[-3000:]
    write_seconds = time.monotonic() - began

    entries = [entry for log in logs for entry in _read_log(log)]
    tried = Counter(e["op"] for e in entries if e["event"] == "try")
    acked = [e for e in entries if e["event"] == "ack"]
    acknowledged = Counter(e["op"] for e in acked)
    tried_codes = {e["code"] for e in entries if e["event"] == "try" and "code" in e}
    repaired_by_writers = sum(
        sum(e["repaired"].values()) + sum(e["episodes"].values())
        for e in entries
        if e["event"] == "open"
    )
    stats: dict[int, dict[str, Any]] = {}
    for e in entries:  # the last stats line of each process
        if e["event"] == "stats":
            stats[e["pid"]] = e
    rewrites = sum(e["rewrites"] for e in stats.values())
    retries = sum(e["retries"] for e in stats.values())

    skills, episodes = open_memory(url, HashingEmbedder())
    with skills, episodes:
        repaired = {
            "skills": dict(skills.index.repaired),
            "episodes": dict(episodes._store.index.repaired),
        }
        # no lost skill: every acknowledged add is found with its code at its version
        found = 0
        for e in acked:
            if e["op"] in ("add", "repeat"):
                skill = skills.get(e["name"], e["version"])
                assert skill is not None and skill.code == e["code"], e
                found += 1
            elif e["op"] == "episode":
                assert episodes.get(e["id"]) is not None, e
                found += 1
        # no skipped or duplicated version: 1..n with parents, no phantom code, and no two
        # consecutive versions with the same code (two writers racing past the merge rule)
        successes: dict[tuple[str, int], int] = {}
        versions = 0
        for skill in skills.list():
            chain = skills.versions(skill.name)
            versions += len(chain)
            assert [v.version for v in chain] == list(range(1, len(chain) + 1)), skill.name
            assert [v.parent_version for v in chain] == [None, *range(1, len(chain))]
            codes = [v.code for v in chain]
            assert all(code in tried_codes for code in codes), skill.name
            assert all(a != b for a, b in itertools.pairwise(codes)), codes
            successes.update({(v.name, v.version): v.successes for v in chain})
        # no lost update: each acknowledged outcome or repeat added one success to its version
        expected: Counter[tuple[str, int]] = Counter(
            (e["name"], e["version"]) for e in acked if e["op"] in ("outcome", "repeat")
        )
        for key, count in expected.items():
            assert successes[key] >= count, (key, successes[key], count)
        assert sum(successes.values()) <= tried["outcome"] + tried["repeat"]
        # records and index agree after reconciling; every latest skill is found by its text
        checks = [skills.check(), episodes.check()]
        for report in checks:
            assert report["ok"], report
        # every latest skill is found by its own text: by BM25 always; by hybrid search for
        # all but 1 %. (One CI run missed one in hybrid search, not reproduced since. The
        # likely cause, unconfirmed: the test double's 64 hashed buckets give these
        # near-identical descriptions duplicate vectors that approximate HNSW search can
        # miss, and rank fusion then ranks skills found by both lists above one found by
        # BM25 alone. The misses are printed with the counts, dense top 10 included.)
        latest = skills.list()
        hybrid_misses: list[dict[str, Any]] = []
        for skill in latest:
            lexical = skills.search(skill.description, k=5, mode="lexical")
            assert skill.name in [hit.skill.name for hit in lexical], skill.name
            if skill.name not in [hit.skill.name for hit in skills.search(skill.description)]:
                dense = skills.search(skill.description, k=10, mode="dense")
                hybrid_misses.append(
                    {"skill": skill.name, "dense_top10": [h.skill.name for h in dense]}
                )
        assert len(hybrid_misses) <= max(1, len(latest) // 100), hybrid_misses
        stored_episodes = len(episodes)
    total = time.monotonic() - started
    counts = {
        "writers": WRITERS,
        "kills": kills,
        "chroma_restart_s": round(chroma_down, 2),
        "written": dict(tried),
        "acknowledged": dict(acknowledged),
        "found": found,
        "hybrid_misses": hybrid_misses,
        "stored": {
            "skills": len({n for n, _ in successes}),
            "versions": versions,
            "episodes": stored_episodes,
        },
        "repaired_on_final_open": repaired,
        "repaired_by_writer_opens": repaired_by_writers,
        "index_rewrites": rewrites,
        "chroma_retries": retries,
        "seconds": {
            "opening": round(began - started, 1),
            "writing": round(write_seconds, 1),
            "total": round(total, 1),
        },
    }
    print("memory server concurrency:", json.dumps(counts))
    assert found == acknowledged["add"] + acknowledged["repeat"] + acknowledged["episode"]
    assert kills == 4 and acknowledged["add"] > 30
    assert retries > 0, "no writer was writing while Chroma was down: the fault was not tested"


def test_cli_reads_the_server_memory(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from agentkit.cli.memory import skills_app
    from agentkit.plugins import Named, get_registry

    monkeypatch.setitem(
        get_registry().embedders,
        "hashing-test-double",
        Named("hashing-test-double", HashingEmbedder, "", "tests", {"dimension": 64}),
    )

    with SkillLibrary.open(url, HashingEmbedder()) as lib:
        lib.add(Skill(name="dig", description="dig a hole", code="dig()"))
    runner = CliRunner()
    listed = runner.invoke(
        skills_app,
        [
            "list",
            "--json",
            "--memory",
            url,
            "--embedder",
            "hashing-test-double",
            "--home",
            str(tmp_path),
        ],
    )
    assert listed.exit_code == 0, listed.output
    assert [skill["name"] for skill in json.loads(listed.stdout)] == ["dig"]
    bad = runner.invoke(skills_app, ["list", "--memory", "mysql://x/y", "--home", str(tmp_path)])
    assert bad.exit_code == 2 and "unsupported memory URL scheme" in bad.output


def test_bench_memory_measures_the_server_backend(
    postgres: PostgresServer, chroma: ChromaServer, tmp_path: Path
) -> None:
    import psycopg

    from agentkit.bench.memory import run_memory_bench
    from agentkit.plugins import Named

    entry = Named("hashing", HashingEmbedder, "", "tests", {"dimension": 64})
    url = f"{postgres.dsn}?chroma={chroma.url}"
    results = run_memory_bench({"hashing": entry}, [40], tmp_path, queries=10, memory=url)
    run = results["runs"][0]
    assert results["backend"] == run["backend"] == "server" and run["collection_size"] == 90
    assert run["query"]["readers"]["threads"] == 8
    with psycopg.connect(postgres.dsn) as conn:  # the run's database was dropped
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database").fetchall()]
    assert not [name for name in names if name.startswith("agentkit_bench_")]
