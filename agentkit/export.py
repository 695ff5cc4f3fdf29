"""Verified episodes as a cross-modal instruction-tuning data set (LLaMA-Factory or LLaVA).

An episode the critic verified (``success is True``) is a worked example of the controller
deciding well. Each decision becomes a training turn: the observation the controller saw
(the ``prompt`` text of its trajectory line, and the frame rendered before the step) goes in
the human turn, the model's reply in the assistant turn, and the outcome (``feedback``)
prefixes the next human turn, since that is what the agent learned before deciding again.

Two layouts, written exactly as those trainers read them, with images copied next to the
data so that the export folder is self-contained:

- ``sharegpt``: one multi-turn conversation per episode (LLaMA-Factory's multimodal
  sharegpt); ``dataset_info.json`` names it ``agentkit_episodes``.
- ``llava``: one single-turn sample per decision, since LLaVA takes one image per sample.

:func:`read_export` re-reads an export and checks everything a trainer would trip over
(missing or unreadable images, ``<image>`` tokens not matching images, broken turn order),
so a bad export fails here, not hours into a training job.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from PIL import Image, UnidentifiedImageError

from agentkit.runs.folder import RunFolder
from agentkit.steps import StepRecord

__all__ = [
    "DATASET_NAME",
    "FORMATS",
    "IMAGE_TOKEN",
    "ExportError",
    "ExportReport",
    "ExportableEpisode",
    "episode_steps",
    "export_episodes",
    "read_export",
]

FORMATS = ("sharegpt", "llava")
IMAGE_TOKEN = "<image>"
DATASET_NAME = "agentkit_episodes"
DATA_FILE = "data.json"
IMAGES = "images"
_TITLE = "# agentkit episodes"


class ExportableEpisode(Protocol):
    """The fields of :class:`agentkit.memory.Episode` an export reads."""

    @property
    def id(self) -> str: ...
    @property
    def run_id(self) -> str: ...
    @property
    def iteration(self) -> int: ...
    @property
    def environment(self) -> str: ...
    @property
    def task(self) -> str: ...
    @property
    def success(self) -> bool | None: ...


class ExportError(ValueError):
    """An export is malformed; the message names the sample and the problem."""


@dataclass
class ExportReport:
    """What an export wrote and what it left out, and why."""

    out: Path
    format: str
    episodes: int = 0
    samples: int = 0
    decisions: int = 0
    images: int = 0
    missing_frames: int = 0
    unverified: int = 0
    runs: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "out": str(self.out)}


@dataclass
class _Step:
    episode: int
    step: int
    prompt: str
    reply: str
    outcome: str
    reward: float
    ok: bool
    frame: Path | None


def episode_steps(episode: ExportableEpisode, home: Path) -> list[StepRecord]:
    """The steps of one episode, in order (raises FileNotFoundError if absent).

    Lifelong runs tag each line with its ``iteration``; plain runs have one episode per
    iteration, so a line without ``iteration`` belongs to the episode of the same number.
    """
    folder = RunFolder(home / "runs" / episode.run_id)
    if not folder.trajectory.exists():
        raise FileNotFoundError(f"no trajectory at {folder.trajectory}")
    return [
        StepRecord.from_line(record)
        for record in folder.records()
        if record.get("iteration", record.get("episode")) == episode.iteration
    ]


def _clean(text: str) -> str:
    """Text from a run never carries the image token: trainers count it to place images."""
    return text.replace(IMAGE_TOKEN, "<img>")


def _reply(record: StepRecord) -> str:
    decision = record.decision
    if decision.reply.strip():
        return _clean(decision.reply)
    chosen = {"action": decision.action, "argument": decision.argument, "reason": decision.reason}
    return _clean(json.dumps(chosen, ensure_ascii=False))


def _prompt(record: StepRecord, episode: ExportableEpisode) -> str:
    prompt = record.decision.prompt
    if prompt.strip():
        return _clean(prompt.strip())
    # Lines written before prompts were recorded: rebuild what the controller surely knew.
    lines = [f"Task: {episode.task}"]
    if record.subgoal:
        lines.append(f"Current sub-goal: {record.subgoal}")
    lines.append(f"Step {record.step}. Choose the next action.")
    return _clean("\n".join(lines))


def _frame_before(run: Path, record: StepRecord) -> Path | None:
    """The frame saved after the previous step, if it exists and is a readable image."""
    step = record.step
    path = run / "frames" / f"ep{record.episode}" / f"{step - 1:06d}.png"
    if step < 1 or not path.is_file():
        return None
    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, UnidentifiedImageError):
        return None
    return path


def _steps(episode: ExportableEpisode, home: Path) -> list[_Step]:
    run = home / "runs" / episode.run_id
    steps = []
    for record in episode_steps(episode, home):
        steps.append(
            _Step(
                episode=record.episode,
                step=record.step,
                prompt=_prompt(record, episode),
                reply=_reply(record),
                outcome=_clean(record.outcome.feedback),
                reward=record.outcome.reward,
                ok=record.outcome.ok,
                frame=_frame_before(run, record),
            )
        )
    return steps


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "episode"


def _copy_image(source: Path, out: Path, name: str) -> str:
    """Copy a frame into ``images/`` as PNG and return its path relative to ``out``."""
    target = out / IMAGES / f"{name}.png"
    with Image.open(source) as image:
        if image.format == "PNG":
            shutil.copyfile(source, target)
        else:
            image.convert("RGB").save(target, format="PNG")
    return f"{IMAGES}/{target.name}"


def _system(episode: ExportableEpisode) -> str:
    where = f" in {episode.environment}" if episode.environment else ""
    return f"You control an agent{where}. Task: {episode.task}"


def _metadata(episode: ExportableEpisode, steps: list[_Step]) -> dict[str, Any]:
    return {
        "run_id": episode.run_id,
        "iteration": episode.iteration,
        "environment": episode.environment or "",
        "task": episode.task,
        "steps": [s.step for s in steps],
        "outcomes": [s.outcome for s in steps],
        "rewards": [s.reward for s in steps],
    }


def _sharegpt_sample(
    episode: ExportableEpisode, steps: list[_Step], out: Path, report: ExportReport
) -> dict[str, Any]:
    conversations = [{"from": "system", "value": _system(episode)}]
    images: list[str] = []
    previous = ""
    for s in steps:
        parts = []
        if previous:
            parts.append(f"Outcome of your last action: {previous}")
        if s.frame is not None:
            images.append(_copy_image(s.frame, out, f"{_safe(episode.id)}_{s.step:06d}"))
            parts.append(IMAGE_TOKEN)
        parts.append(s.prompt)
        conversations.append({"from": "human", "value": "\n".join(parts)})
        conversations.append({"from": "gpt", "value": s.reply})
        previous = s.outcome
    report.samples += 1
    report.images += len(images)
    return {
        "id": episode.id,
        "conversations": conversations,
        "images": images,
        "metadata": _metadata(episode, steps),
    }


def _llava_samples(
    episode: ExportableEpisode, steps: list[_Step], out: Path, report: ExportReport
) -> list[dict[str, Any]]:
    samples = []
    for s in steps:
        sample: dict[str, Any] = {"id": f"{episode.id}:{s.step}"}
        human = s.prompt
        if s.frame is not None:
            sample["image"] = _copy_image(s.frame, out, f"{_safe(episode.id)}_{s.step:06d}")
            human = f"{IMAGE_TOKEN}\n{human}"
            report.images += 1
        sample["conversations"] = [
            {"from": "human", "value": human},
            {"from": "gpt", "value": s.reply},
        ]
        sample["metadata"] = {
            "run_id": episode.run_id,
            "iteration": episode.iteration,
            "task": episode.task,
            "step": s.step,
            "outcome": s.outcome,
            "reward": s.reward,
            "ok": s.ok,
        }
        samples.append(sample)
    report.samples += len(samples)
    return samples


def export_episodes(
    episodes: Sequence[ExportableEpisode], home: Path, out: Path, fmt: str
) -> ExportReport:
    """Write the verified ``episodes`` to ``out`` in format ``fmt`` (``sharegpt``/``llava``).

    Unverified episodes are counted and left out. An episode whose run folder or trajectory
    is gone, or that has no steps, is skipped and named in the report rather than failing
    the whole export. ``out`` must be new, empty or an earlier export (which is replaced);
    anything else raises FileExistsError rather than deleting someone's ``images/``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    _claim(out)
    report = ExportReport(out=out, format=fmt)
    if (out / IMAGES).exists():
        shutil.rmtree(out / IMAGES)
    (out / IMAGES).mkdir(parents=True)
    data: list[dict[str, Any]] = []
    runs: set[str] = set()
    for episode in episodes:
        if episode.success is not True:
            report.unverified += 1
            continue
        try:
            steps = _steps(episode, home)
        except FileNotFoundError as error:
            report.skipped.append({"episode": episode.id, "reason": str(error)})
            continue
        except (OSError, ValueError) as error:
            reason = f"unreadable trajectory: {error}"
            report.skipped.append({"episode": episode.id, "reason": reason})
            continue
        if not steps:
            reason = f"no steps of iteration {episode.iteration} in the trajectory"
            report.skipped.append({"episode": episode.id, "reason": reason})
            continue
        report.episodes += 1
        report.decisions += len(steps)
        report.missing_frames += sum(1 for s in steps if s.frame is None)
        runs.add(episode.run_id)
        if fmt == "sharegpt":
            data.append(_sharegpt_sample(episode, steps, out, report))
        else:
            data.extend(_llava_samples(episode, steps, out, report))
    report.runs = sorted(runs)
    (out / DATA_FILE).write_text(json.dumps(data, indent=1, ensure_ascii=False))
    if fmt == "sharegpt":
        (out / "dataset_info.json").write_text(json.dumps(_dataset_info(), indent=2))
    (out / "README.md").write_text(_readme(report))
    return report


def _claim(out: Path) -> None:
    """Refuse a folder holding anything but an earlier export: its ``images/`` is replaced."""
    if not out.exists() or not any(out.iterdir()):
        return
    readme = out / "README.md"
    ours = readme.is_file() and readme.read_text(errors="replace").startswith(_TITLE)
    if not ours:
        raise FileExistsError(
            f"{out} is not empty and holds no earlier agentkit export; choose a new folder"
        )


def _dataset_info() -> dict[str, Any]:
    """LLaMA-Factory's description of the data set, so ``dataset_dir=<out>`` loads it as is."""
    return {
        DATASET_NAME: {
            "file_name": DATA_FILE,
            "formatting": "sharegpt",
            "columns": {"messages": "conversations", "images": "images"},
            "tags": {
                "role_tag": "from",
                "content_tag": "value",
                "user_tag": "human",
                "assistant_tag": "gpt",
                "system_tag": "system",
            },
        }
    }


def _readme(report: ExportReport) -> str:
    if report.format == "sharegpt":
        layout = (
            "`data.json` holds one multi-turn conversation per episode in LLaMA-Factory's "
            "multimodal sharegpt format: a system turn with the task, then per decision a "
            "`human` turn (the previous action's outcome, `<image>` when a frame exists, and "
            "the prompt the controller saw) and a `gpt` turn (the model's reply). `images` "
            "lists one file per `<image>`, in order. `dataset_info.json` registers it as "
            f"`{DATASET_NAME}`: train with `dataset_dir: <this folder>` and "
            f"`dataset: {DATASET_NAME}`."
        )
    else:
        layout = (
            "`data.json` holds one sample per decision in LLaVA's fine-tuning format: a "
            "`human` turn (`<image>` and the prompt the controller saw) and a `gpt` turn (the "
            "model's reply); `image` is relative to this folder, so pass "
            "`--data_path data.json --image_folder <this folder>`. Decisions without a frame "
            "have no `image` and no `<image>` token."
        )
    runs = "\n".join(f"- `{run}`" for run in report.runs) or "- (none)"
    skipped = "".join(f"\n- `{s['episode']}`: {s['reason']}" for s in report.skipped)
    return (
        f"{_TITLE} ({report.format})\n\n"
        "Verified episodes of agentkit agents (the critic judged the task done), exported "
        "by `agentkit episodes export` for instruction tuning a vision-language "
        "controller.\n\n"
        f"{layout}\n\n"
        "Each sample also carries `metadata` (run, iteration, task, step outcomes and "
        "rewards), which the trainers ignore.\n\n"
        f"- episodes: {report.episodes}\n- samples: {report.samples}\n"
        f"- decisions: {report.decisions}\n- images: {report.images}\n"
        f"- decisions without a frame: {report.missing_frames}\n"
        f"- unverified episodes left out: {report.unverified}\n"
        f"- episodes skipped: {len(report.skipped)}{skipped}\n\n"
        f"Source runs:\n\n{runs}\n"
    )


def read_export(out: Path, fmt: str) -> list[dict[str, Any]]:
    """The samples of the export at ``out``, checked as a trainer would read them.

    Raises :class:`ExportError` on the first problem: a missing or unreadable image, a
    count of ``<image>`` tokens that differs from the images, turns out of order, an empty
    value or a duplicated id.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = out / DATA_FILE
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError as error:
        raise ExportError(f"{path} is missing") from error
    except json.JSONDecodeError as error:
        raise ExportError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(data, list):
        raise ExportError(f"{path} must hold a list of samples")
    if fmt == "sharegpt":
        _check_dataset_info(out)
    seen: set[str] = set()
    for index, sample in enumerate(data):
        where = f"{path} sample {index}"
        if not isinstance(sample, dict) or not sample.get("id"):
            raise ExportError(f"{where}: not an object with an id")
        where = f"{where} ({sample['id']})"
        if sample["id"] in seen:
            raise ExportError(f"{where}: duplicated id")
        seen.add(sample["id"])
        if fmt == "sharegpt":
            images = sample.get("images")
            if not isinstance(images, list):
                raise ExportError(f"{where}: 'images' must be a list")
            _check_turns(sample.get("conversations"), where, allow_system=True)
        else:
            images = [sample["image"]] if "image" in sample else []
            _check_turns(sample.get("conversations"), where, allow_system=False)
            if images and not sample["conversations"][0]["value"].startswith(IMAGE_TOKEN):
                raise ExportError(f"{where}: the first human turn must start with {IMAGE_TOKEN}")
        tokens = sum(turn["value"].count(IMAGE_TOKEN) for turn in sample["conversations"])
        if tokens != len(images):
            raise ExportError(f"{where}: {tokens} {IMAGE_TOKEN} tokens for {len(images)} images")
        for image in images:
            _check_image(out, image, where)
    return data


def _check_turns(turns: Any, where: str, *, allow_system: bool) -> None:
    if not isinstance(turns, list) or not turns:
        raise ExportError(f"{where}: 'conversations' must be a non-empty list")
    for turn in turns:
        value = turn.get("value") if isinstance(turn, dict) else None
        if not isinstance(value, str) or not value.strip():
            raise ExportError(f"{where}: a turn has an empty or missing value")
    roles = [turn.get("from") for turn in turns]
    if allow_system and roles[0] == "system":
        roles = roles[1:]
    if not roles or len(roles) % 2:
        raise ExportError(f"{where}: expected human/gpt pairs, got roles {roles}")
    for position, role in enumerate(roles):
        expected = "human" if position % 2 == 0 else "gpt"
        if role != expected:
            raise ExportError(f"{where}: turn {position} is {role!r}, expected {expected!r}")
    if any(IMAGE_TOKEN in turn["value"] for turn in turns if turn.get("from") != "human"):
        raise ExportError(f"{where}: {IMAGE_TOKEN} outside a human turn")


def _check_image(out: Path, image: Any, where: str) -> None:
    if not isinstance(image, str) or not image:
        raise ExportError(f"{where}: image path {image!r} is not a string")
    path = out / image
    if not path.is_file():
        raise ExportError(f"{where}: image {image} is missing")
    try:
        with Image.open(path) as opened:
            kind = opened.format
            opened.verify()
    except (OSError, UnidentifiedImageError) as error:
        raise ExportError(f"{where}: image {image} is unreadable ({error})") from error
    if kind != "PNG":
        raise ExportError(f"{where}: image {image} is {kind}, not PNG")


def _check_dataset_info(out: Path) -> None:
    path = out / "dataset_info.json"
    try:
        info = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ExportError(f"{path} is missing or not valid JSON ({error})") from error
    entry = info.get(DATASET_NAME) if isinstance(info, dict) else None
    if not entry or entry.get("file_name") != DATA_FILE or entry.get("formatting") != "sharegpt":
        raise ExportError(f"{path} does not describe {DATA_FILE} as sharegpt {DATASET_NAME!r}")
