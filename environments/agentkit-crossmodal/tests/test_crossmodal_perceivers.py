"""The information is reachable only through the perceivers, and enough to succeed.

The real ``ocr`` (agentkit_vision) and ``asr`` (agentkit_audio) perceivers read the sign and
hear the password; a scripted controller that reads only their lines in the prompt solves
every world, and without one of them it falls to chance.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("rapidocr_onnxruntime")
pytest.importorskip("pocketsphinx")

from agentkit import RunConfig, load_plugins, start_run  # noqa: E402
from agentkit.perception import run_perceivers  # noqa: E402
from agentkit.testing import ScriptedChatModel  # noqa: E402
from agentkit_audio.asr import AsrPerceiver  # noqa: E402
from agentkit_vision.ocr import OcrPerceiver  # noqa: E402

from agentkit_crossmodal import DOORS, TASK_OPEN, WORDS, CrossmodalEnvironment  # noqa: E402
from agentkit_crossmodal.agent import percept_reader_reply, read_percepts  # noqa: E402
from agentkit_crossmodal.env import world_of  # noqa: E402

SEEDS = range(16)  # one balanced block: every (door, password) once


@pytest.fixture(scope="module")
def perceivers() -> dict[str, Any]:
    return {"ocr": OcrPerceiver(), "asr": AsrPerceiver()}


def test_ocr_reads_the_sign_and_asr_hears_the_password(perceivers: dict[str, Any]) -> None:
    env = CrossmodalEnvironment()
    for seed in SEEDS:
        observation = env.reset(seed)
        percepts, errors = run_perceivers(list(perceivers.values()), observation)
        assert not errors
        prompt = "\n".join([observation.text, *(f"[{p.source}] {p.text}" for p in percepts)])
        assert read_percepts(observation.text) == (None, None)
        assert read_percepts(prompt) == (env.goal, env.password), (seed, prompt)


def _run(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, perceivers: list[Any]) -> list[bool]:
    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "crossmodal")
    registry = load_plugins()
    registry.perceivers[:] = perceivers
    model = ScriptedChatModel(default=percept_reader_reply)
    config = RunConfig(env="crossmodal", task=TASK_OPEN, max_steps=4, episodes=len(SEEDS), seed=0)
    result = start_run(config, home=tmp_path, registry=registry, model=model)
    episodes = result.summary["episodes"]
    return [bool(episodes[str(i)]["success"]) for i in range(len(SEEDS))]


def test_a_percept_reading_agent_succeeds_only_with_both_perceivers(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, perceivers: dict[str, Any]
) -> None:
    both = _run(tmp_path / "both", monkeypatch, [perceivers["ocr"], perceivers["asr"]])
    assert all(both)
    # Without a perceiver the agent cannot know and guesses the first choice: exactly the
    # worlds whose answer happens to be that choice succeed, 1 in 4 of a balanced block.
    no_ocr = _run(tmp_path / "no-ocr", monkeypatch, [perceivers["asr"]])
    assert no_ocr == [world_of(s)[0] == DOORS[0] for s in SEEDS] and sum(no_ocr) == 4
    no_asr = _run(tmp_path / "no-asr", monkeypatch, [perceivers["ocr"]])
    assert no_asr == [world_of(s)[1] == WORDS[0] for s in SEEDS] and sum(no_asr) == 4
    neither = _run(tmp_path / "neither", monkeypatch, [])
    assert sum(neither) == 1
