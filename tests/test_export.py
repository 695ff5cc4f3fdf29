"""Verified episodes export to data sets LLaMA-Factory and LLaVA load, and bad exports fail."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from agentkit.export import ExportError, export_episodes, read_export
from agentkit.memory import Episode
from agentkit.runs.folder import RunFolder

TASK = "collect wood"


def reply(run_id: str, iteration: int, step: int) -> str:
    return json.dumps({"action": "do", "argument": None, "reason": f"{run_id}/{iteration}/{step}"})


def make_run(
    home: Path,
    run_id: str,
    iterations: list[int],
    *,
    steps: int = 3,
    lifelong: bool = True,
    frames: bool = True,
) -> RunFolder:
    """A run folder whose every step has a prompt, a reply and the frame after it.

    Lifelong runs tag lines with ``iteration`` and play every iteration in episode 0, so
    only the iteration tells them apart; plain runs use one episode per iteration.
    """
    folder = RunFolder.create(home, run_id, {"env": "crafter", "task": TASK})
    for iteration in iterations:
        episode = 0 if lifelong else iteration
        offset = iteration * steps if lifelong else 0
        for n in range(1, steps + 1):
            step = offset + n
            record = {
                "episode": episode,
                "step": step,
                "action": "do",
                "argument": None,
                "reason": "tree ahead",
                "ok": True,
                "feedback": f"outcome {iteration}/{step}",
                "reward": 1.0,
                "prompt": f"prompt {iteration}/{step}: you see a tree",
                "reply": reply(run_id, iteration, step),
            }
            if lifelong:
                record.update(iteration=iteration, task=TASK)
            folder.append(record)
            if frames:
                folder.save_frame(episode, step, np.full((8, 8, 3), step, dtype=np.uint8))
    return folder


def episode(run_id: str, iteration: int, success: bool | None = True) -> Episode:
    return Episode(
        id=f"{run_id}:{iteration}",
        run_id=run_id,
        iteration=iteration,
        environment="crafter",
        task=TASK,
        plan=["find a tree", "collect wood"],
        actions=["do"],
        success=success,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    make_run(home, "life", [0, 1, 2])
    make_run(home, "plain", [0], lifelong=False)
    return home


@pytest.fixture
def episodes() -> list[Episode]:
    return [
        episode("life", 0),
        episode("life", 1, success=False),
        episode("life", 2),
        episode("plain", 0),
        episode("plain", 1, success=None),
    ]


def test_sharegpt_export_holds_one_conversation_per_verified_episode(home, episodes, tmp_path):
    out = tmp_path / "sharegpt"
    report = export_episodes(episodes, home, out, "sharegpt")
    assert (report.episodes, report.samples, report.unverified) == (3, 3, 2)
    assert report.runs == ["life", "plain"] and not report.skipped

    samples = read_export(out, "sharegpt")
    assert [s["id"] for s in samples] == ["life:0", "life:2", "plain:0"]
    life2 = samples[1]
    turns = life2["conversations"]
    assert turns[0]["from"] == "system" and TASK in turns[0]["value"]
    humans = [t["value"] for t in turns if t["from"] == "human"]
    gpts = [t["value"] for t in turns if t["from"] == "gpt"]
    # iteration 2 of the lifelong run is steps 7-9 of episode 0: only its own lines
    assert gpts == [reply("life", 2, step) for step in (7, 8, 9)]
    assert all(
        h.endswith(f"prompt 2/{s}: you see a tree") for s, h in zip((7, 8, 9), humans, strict=True)
    )
    # the previous step's outcome opens the next human turn
    assert humans[1].startswith("Outcome of your last action: outcome 2/7")
    # every step of a lifelong iteration past the first has the frame of the step before
    assert life2["images"] == [f"images/life_2_{step:06d}.png" for step in (7, 8, 9)]
    assert sum(t["value"].count("<image>") for t in turns) == len(life2["images"])
    frame = Image.open(out / life2["images"][0])
    assert frame.format == "PNG" and np.asarray(frame)[0, 0, 0] == 6  # the frame after step 6

    plain = samples[2]
    assert len(plain["images"]) == 2  # step 1 has no frame before it
    assert "<image>" not in plain["conversations"][1]["value"]
    assert report.images == 2 + 3 + 2 == len(list((out / "images").iterdir()))

    info = json.loads((out / "dataset_info.json").read_text())["agentkit_episodes"]
    assert info["file_name"] == "data.json" and info["formatting"] == "sharegpt"
    assert info["columns"] == {"messages": "conversations", "images": "images"}
    assert info["tags"]["user_tag"] == "human" and info["tags"]["system_tag"] == "system"
    readme = (out / "README.md").read_text()
    assert "sharegpt" in readme and "- episodes: 3" in readme and "`plain`" in readme


def test_llava_export_has_one_sample_per_decision(home, episodes, tmp_path):
    out = tmp_path / "llava"
    report = export_episodes(episodes, home, out, "llava")
    samples = read_export(out, "llava")
    assert report.samples == len(samples) == 9 and report.decisions == 9
    by_id = {s["id"]: s for s in samples}
    first = by_id["plain:0:1"]
    assert "image" not in first and "<image>" not in first["conversations"][0]["value"]
    second = by_id["plain:0:2"]
    assert second["image"] == "images/plain_0_000002.png"
    assert second["conversations"][0]["value"] == "<image>\nprompt 0/2: you see a tree"
    assert second["conversations"][1] == {"from": "gpt", "value": reply("plain", 0, 2)}
    assert second["metadata"]["outcome"] == "outcome 0/2"
    assert sum("image" in s for s in samples) == report.images == 7
    assert not (out / "dataset_info.json").exists()
    assert "llava" in (out / "README.md").read_text()


def test_lines_without_prompt_or_reply_are_rebuilt(tmp_path):
    home = tmp_path / "home"
    folder = RunFolder.create(home, "old", {"env": "crafter"})
    folder.append(
        {
            "episode": 0,
            "step": 1,
            "action": "noop",
            "argument": "x",
            "reason": "wait",
            "feedback": "nothing happened",
            "subgoal": "wait for day",
        }
    )
    export_episodes([episode("old", 0)], home, tmp_path / "out", "sharegpt")
    turns = read_export(tmp_path / "out", "sharegpt")[0]["conversations"]
    assert json.loads(turns[2]["value"]) == {"action": "noop", "argument": "x", "reason": "wait"}
    assert TASK in turns[1]["value"] and "wait for day" in turns[1]["value"]


def test_text_from_the_run_cannot_smuggle_in_an_image_token(tmp_path):
    home = tmp_path / "home"
    folder = RunFolder.create(home, "odd", {"env": "crafter"})
    folder.append({"episode": 0, "step": 1, "prompt": "an <image> tag", "reply": "<image>"})
    export_episodes([episode("odd", 0)], home, tmp_path / "out", "llava")
    (sample,) = read_export(tmp_path / "out", "llava")
    assert "<image>" not in json.dumps(sample["conversations"])


def test_episodes_whose_run_is_gone_are_skipped_and_reported(home, tmp_path):
    (home / "runs" / "plain" / "trajectory.jsonl").unlink()
    chosen = [episode("life", 0), episode("gone", 0), episode("plain", 0), episode("life", 7)]
    report = export_episodes(chosen, home, tmp_path / "out", "llava")
    assert report.episodes == 1 and report.runs == ["life"]
    assert [s["episode"] for s in report.skipped] == ["gone:0", "plain:0", "life:7"]
    assert "no steps of iteration 7" in report.skipped[2]["reason"]
    assert "gone:0" in (tmp_path / "out" / "README.md").read_text()
    assert len(read_export(tmp_path / "out", "llava")) == 3


def test_a_missing_or_unreadable_frame_leaves_the_step_without_an_image(home, tmp_path):
    frames = home / "runs" / "plain" / "frames" / "ep0"
    (frames / "000001.png").unlink()
    (frames / "000002.png").write_bytes(b"not a png")
    report = export_episodes([episode("plain", 0)], home, tmp_path / "out", "sharegpt")
    assert report.images == 0 and report.missing_frames == 3
    assert read_export(tmp_path / "out", "sharegpt")[0]["images"] == []


@pytest.mark.parametrize("fmt", ["sharegpt", "llava"])
def test_a_deleted_image_fails_validation(home, episodes, tmp_path, fmt):
    out = tmp_path / fmt
    export_episodes(episodes, home, out, fmt)
    victim = sorted((out / "images").iterdir())[0]
    victim.unlink()
    with pytest.raises(ExportError, match=f"image images/{victim.name} is missing"):
        read_export(out, fmt)


def test_validation_catches_token_counts_roles_and_empty_values(home, episodes, tmp_path):
    out = tmp_path / "out"
    export_episodes(episodes, home, out, "sharegpt")
    good = json.loads((out / "data.json").read_text())

    def broken(change) -> None:
        data = json.loads(json.dumps(good))
        change(data[0])
        (out / "data.json").write_text(json.dumps(data))

    broken(lambda s: s["images"].pop())
    with pytest.raises(ExportError, match="2 <image> tokens for 1 images"):
        read_export(out, "sharegpt")
    broken(lambda s: s["conversations"].pop())
    with pytest.raises(ExportError, match="human/gpt pairs"):
        read_export(out, "sharegpt")
    broken(lambda s: s["conversations"][2].update({"from": "human"}))
    with pytest.raises(ExportError, match="turn 1 is 'human', expected 'gpt'"):
        read_export(out, "sharegpt")
    broken(lambda s: s["conversations"][2].update({"value": " "}))
    with pytest.raises(ExportError, match="empty"):
        read_export(out, "sharegpt")
    (out / "images" / good[0]["images"][0].split("/")[1]).write_bytes(b"garbage")
    (out / "data.json").write_text(json.dumps(good))
    with pytest.raises(ExportError, match="unreadable"):
        read_export(out, "sharegpt")


def test_unknown_format_is_refused(home, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'alpaca'"):
        export_episodes([], home, tmp_path / "out", "alpaca")


def test_an_export_replaces_an_earlier_one_but_no_other_folder(home, tmp_path):
    out = tmp_path / "out"
    export_episodes([episode("plain", 0)], home, out, "llava")
    report = export_episodes([episode("life", 0)], home, out, "llava")
    assert report.samples == 3
    assert [s["id"] for s in read_export(out, "llava")] == ["life:0:1", "life:0:2", "life:0:3"]
    assert sorted(p.name for p in (out / "images").iterdir()) == [
        "life_0_000002.png",
        "life_0_000003.png",
    ]
    precious = tmp_path / "photos"
    (precious / "images").mkdir(parents=True)
    (precious / "images" / "cat.png").write_bytes(b"meow")
    with pytest.raises(FileExistsError, match="not empty"):
        export_episodes([episode("life", 0)], home, precious, "llava")
    assert (precious / "images" / "cat.png").exists()
