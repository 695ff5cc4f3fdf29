"""``agentkit ui``'s server without a browser: trajectory paging by byte offsets, the live
tail, the run index, the memory queries and the guarded writes, over real run folders.

The runs are made with the ``ScriptedChatModel`` TEST DOUBLE as the controller (see
tests/ui_runs.py); Crafter, the graph, the run folder and the memory are real.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from agentkit.ui import WriteAccess, create_app
from agentkit.ui.live import tail_events
from agentkit.ui.runindex import RunIndex
from agentkit.ui.trajectory import LineIndex
from tests.ui_runs import make_learn, make_run

LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("uihome")
    make_run(home, "crafter-1", 12)
    make_learn(home, "learn-1")
    return home


def client(home: Path, **kwargs: object) -> TestClient:
    return TestClient(create_app(home, **kwargs), base_url=LOCAL)  # type: ignore[arg-type]


# --------------------------------------------------------------------- trajectory paging
def test_line_index_grows_with_the_file_and_reads_only_the_asked_lines(tmp_path):
    path = tmp_path / "trajectory.jsonl"
    index = LineIndex(path)
    assert index.refresh() == 0 and index.read(0, 5) == []
    with path.open("w") as handle:
        for step in range(1, 6):
            handle.write(json.dumps({"step": step, "text": "x" * step}) + "\n")
        handle.write('{"step": 6, "torn')  # a line still being written
    assert index.refresh() == 5
    assert [r["step"] for r in index.read(3, 10)] == [4, 5]
    assert [r["_index"] for r in index.read(1, 2)] == [1, 2]
    scanned = index.scanned
    with path.open("a") as handle:
        handle.write('": 1}\n' + json.dumps({"step": 7}) + "\n")
    assert index.refresh() == 7 and index._scanned > scanned
    assert index.read(5, 1)[0] == {"step": 6, "torn": 1, "_index": 5}
    # a resume rewrites the file: the index starts over
    tmp = tmp_path / "t.tmp"
    tmp.write_text(json.dumps({"step": 1}) + "\n")
    tmp.replace(path)
    assert index.refresh() == 1 and index.resets == 1


def test_line_index_of_a_long_file_spans_chunks(tmp_path, monkeypatch):
    import agentkit.ui.trajectory as trajectory

    monkeypatch.setattr(trajectory, "CHUNK", 64)  # many chunks, lines across their borders
    path = tmp_path / "trajectory.jsonl"
    path.write_text(
        "".join(json.dumps({"step": i, "pad": "y" * (i % 37)}) + "\n" for i in range(500))
    )
    index = LineIndex(path)
    assert index.refresh() == 500
    assert [r["step"] for r in index.read(250, 3)] == [250, 251, 252]
    assert index.read(499, 5)[0]["step"] == 499


# --------------------------------------------------------------------- live tail
def test_the_live_tail_sends_appended_lines_and_ends_with_the_run(tmp_path):
    path = tmp_path / "trajectory.jsonl"
    path.write_text(json.dumps({"step": 1}) + "\n")
    row = {"status": "running", "complete": False}

    async def follow() -> list[str]:
        async def never() -> bool:
            return False

        events: list[str] = []
        wrote = False
        stream = tail_events(path, 0, LineIndex(path), lambda: dict(row), never, poll=0.01)
        async for event in stream:
            events.append(event)
            if "event: step" in event and not wrote:  # step 2 lands, step 3 half written
                wrote = True
                with path.open("a") as handle:
                    handle.write(json.dumps({"step": 2}) + "\n" + '{"step": 3')
            elif '"step": 2' in event:  # step 3 is finished, then the run
                with path.open("a") as handle:
                    handle.write("}\n")
                row.update(status="complete", complete=True)
        return events

    events = asyncio.run(asyncio.wait_for(follow(), 10))
    steps = [json.loads(e.split("data: ", 1)[1]) for e in events if "event: step" in e]
    assert [s["step"] for s in steps] == [1, 2, 3]
    assert [s["_index"] for s in steps] == [0, 1, 2]
    assert "event: end" in events[-1] and '"lines": 3' in events[-1]
    assert any("event: status" in e and '"running"' in e for e in events)


def test_the_live_endpoint_streams_a_finished_run_and_closes(home):
    with client(home) as http, http.stream("GET", "/api/runs/crafter-1/live?from=10") as reply:
        assert reply.headers["content-type"].startswith("text/event-stream")
        body = "".join(reply.iter_text())
    ids = [line for line in body.splitlines() if line.startswith("id: ")]
    assert ids == ["id: 10", "id: 11"] and body.rstrip().endswith('"lines": 12}')


# --------------------------------------------------------------------- runs
def test_runs_are_listed_filtered_and_shown(home):
    with client(home) as http:
        runs = http.get("/api/runs").json()
        assert runs["total"] == 2 and runs["facets"]["kind"] == ["learn", "run"]
        assert {r["id"]: r["status"] for r in runs["runs"]} == {
            "crafter-1": "complete",
            "learn-1": "complete",
        }
        only = http.get("/api/runs", params={"kind": "learn"}).json()
        assert [r["id"] for r in only["runs"]] == ["learn-1"]
        assert http.get("/api/runs", params={"q": "nothing-like-it"}).json()["total"] == 0
        run = http.get("/api/runs/crafter-1").json()
        assert run["lines"] == 12 and run["summary"]["steps"] == 12
        assert run["row"]["resumable"] is False
        page = http.get("/api/runs/crafter-1/steps", params={"start": 4, "count": 3}).json()
        assert page["total"] == 12 and [s["step"] for s in page["steps"]] == [5, 6, 7]
        # a step that asked the model carries its prompt and reply; a step with one option
        # (a zombie near: only its answer) asks none
        asked = [s for s in page["steps"] if len(s["options"] or []) > 1]
        assert asked and all(s["prompt"] and s["reply"] for s in asked)
        frame = http.get("/api/runs/crafter-1/frames/0/5.png")
        assert frame.status_code == 200 and frame.content[:4] == b"\x89PNG"
        assert http.get("/api/runs/crafter-1/replay.gif").content[:3] == b"GIF"
        assert http.get("/api/runs/..%2F..%2Fetc").status_code == 404
        assert http.get("/api/runs/crafter-1/frames/0/999.png").status_code == 404
        assert "agentkit" in http.get("/").text
        assert http.get("/static/vendor/uplot/uPlot.iife.min.js").status_code == 200


def test_an_unfinished_run_is_running_then_stopped_and_resumable(home, tmp_path):
    shutil.copytree(home / "runs" / "crafter-1", tmp_path / "runs" / "cut")
    folder = tmp_path / "runs" / "cut"
    (folder / "summary.json").unlink()
    meta = json.loads((folder / "run.json").read_text())
    meta["run_id"] = "cut"
    (folder / "run.json").write_text(json.dumps(meta))
    index = RunIndex(tmp_path)
    row = index.row("cut")
    assert row is not None and row["status"] == "running" and row["resumable"]
    old = time.time() - 3600
    for name in ("run.json", "trajectory.jsonl"):
        os.utime(folder / name, (old, old))
    row = index.row("cut")
    assert row is not None and row["status"] == "stopped" and row["resumable"]


def test_a_run_in_progress_offers_its_local_live_view_only(home, tmp_path):
    folder = tmp_path / "runs" / "watched"
    shutil.copytree(home / "runs" / "crafter-1", folder)
    meta = json.loads((folder / "run.json").read_text())
    for url, shown in [
        ("http://127.0.0.1:3007/", "http://127.0.0.1:3007/"),
        ("http://localhost:3007/", "http://localhost:3007/"),
        ("http://example.com:3007/", None),  # the page frames pages of this machine only
        ("javascript:alert(1)", None),
    ]:
        meta.update(run_id="watched", live_view=url)
        (folder / "run.json").write_text(json.dumps(meta))
        with client(tmp_path) as http:
            assert http.get("/api/runs/watched").json()["live_view"] == shown
    meta.pop("live_view")
    (folder / "run.json").write_text(json.dumps(meta))
    with client(tmp_path) as http:
        assert http.get("/api/runs/watched").json()["live_view"] is None


# --------------------------------------------------------------------- memory, charts
def test_skills_episodes_and_learning_curves_come_from_the_memory(home):
    with client(home, results=[Path("docs/benchmarks")]) as http:
        skills = http.get("/api/skills").json()
        names = [s["name"] for s in skills["skills"]]
        assert skills["total"] == len(names) >= 2 and "collect_wood" in names
        assert http.get("/api/skills", params={"q": "place"}).json()["total"] == 1
        skill = http.get("/api/skills/collect_wood").json()
        assert skill["versions"][0]["code"].startswith("def collect_wood")
        assert skill["versions"][0]["verified"] and skill["learned_in"] == ["learn-1:0"]
        assert [e["id"] for e in skill["episodes"]] == ["learn-1:0"]
        assert http.get("/api/skills/no such").status_code == 404
        episodes = http.get("/api/episodes").json()
        assert episodes["total"] >= 2 and all(
            e["run_id"] == "learn-1" for e in episodes["episodes"]
        )
        assert http.get("/api/episodes", params={"success": "false"}).json()["total"] == 0
        curves = http.get("/api/learning").json()["runs"]
        assert [c["id"] for c in curves] == ["learn-1"] and curves[0]["curve"][-1] == 2
        bench = http.get("/api/bench").json()["results"]
        assert any(c["type"] == "bars" for r in bench for c in r["charts"])
        plugins = http.get("/api/plugins").json()
        assert "agentkit.default_plugins.ui" in {p["name"] for p in plugins["plugins"]}
        assert "crafter" in plugins["environments"]


# --------------------------------------------------------------------- guarded writes
def test_writes_need_the_start_flag_and_the_token(home, tmp_path):
    shutil.copytree(home / "runs" / "crafter-1", tmp_path / "runs" / "crafter-1")
    old = time.time() - 3600
    os.utime(tmp_path / "runs" / "crafter-1" / "run.json", (old, old))
    with client(tmp_path) as http:
        refused = http.delete("/api/runs/crafter-1", headers={"X-Agentkit-Token": "x"})
        assert refused.status_code == 403 and "--allow-write" in refused.json()["error"]
    write = WriteAccess(enabled=True)
    with client(tmp_path, write=write) as http:
        assert http.delete("/api/runs/crafter-1").status_code == 403
        wrong = http.delete("/api/runs/crafter-1", headers={"X-Agentkit-Token": "wrong"})
        assert wrong.status_code == 403
        ok = http.delete("/api/runs/crafter-1", headers={"X-Agentkit-Token": write.token})
        assert ok.json() == {"deleted": "crafter-1"}
    assert not (tmp_path / "runs" / "crafter-1").exists()


def test_skill_packs_import_with_the_token(home, tmp_path):
    from agentkit.memory import SkillLibrary, memory_folder
    from agentkit.testing import HashingEmbedder

    library = SkillLibrary.open(memory_folder(home), HashingEmbedder())
    try:
        pack = tmp_path / "pack.json"
        library.export_pack(pack)
    finally:
        library.close()
    target = tmp_path / "target"
    write = WriteAccess(enabled=True)
    with client(target, write=write, embedder=HashingEmbedder()) as http:
        headers = {"X-Agentkit-Token": write.token}
        counts = http.post("/api/skills/import", content=pack.read_bytes(), headers=headers)
        assert counts.status_code == 200, counts.text
        assert counts.json()["added"] >= 2
        again = http.post("/api/skills/import", content=pack.read_bytes(), headers=headers)
        assert again.json()["added"] == 0
        bad = http.post("/api/skills/import", content=b'{"format": "nope"}', headers=headers)
        assert bad.status_code == 400
        assert http.get("/api/skills").json()["total"] == counts.json()["added"]


def test_requests_for_another_host_are_refused(home):
    with TestClient(create_app(home), base_url="http://evil.example") as http:
        assert http.get("/api/runs").status_code == 400
