"""Slow tests with the real SmolLM2-135M GGUF: what the controller relies on."""

from __future__ import annotations

import json

import pytest
from agentkit_llamacpp import LlamaCppChatModel, smollm2_path

from agentkit.controller import Controller
from agentkit.environment import ActionSpec
from agentkit.schemas import Action, action_schema

pytestmark = pytest.mark.slow

SPECS = [
    ActionSpec(
        name="move",
        description="walk one room",
        argument="direction",
        choices=["north", "south", "east", "west"],
    ),
    ActionSpec(
        name="take",
        description="pick up an item",
        argument="item",
        choices=["key", "apple", "lamp", "sword"],
    ),
    ActionSpec(
        name="open", description="open something", argument="target", choices=["door", "chest"]
    ),
    ActionSpec(name="wait", description="do nothing this turn"),
]
SCHEMA = action_schema(SPECS)
ARGUMENTS = {"north", "south", "east", "west", "key", "apple", "lamp", "sword", "door", "chest"}

SITUATIONS = [
    "A brass key lies on the floor.",
    "A locked door is to the north. You hold the key.",
    "The room is dark. A lamp stands in the corner.",
    "You are hungry. An apple sits on the table.",
    "A goblin blocks the east passage. A sword hangs on the wall.",
    "An old chest stands against the wall.",
    "Corridors lead south and west. Nothing else is here.",
    "You hear footsteps approaching from the west.",
    "The exit is to the south.",
    "A sign says: treasure to the east.",
    "The door is open. Daylight comes from the north.",
    "Nothing happens. You are waiting for the bridge to lower.",
    "A lamp and a key lie side by side.",
    "The chest is locked; the key is in your pocket.",
    "Water is rising from the west. Higher ground lies east.",
    "A friendly merchant offers you an apple.",
    "The guard sleeps. The door behind him is closed.",
    "You stand at a crossroads: north, south, east and west.",
    "A sword is stuck in a stone.",
    "The room is empty and quiet.",
]


def _prompt(situation: str) -> list[tuple[str, str]]:
    actions = "\n".join(
        f"- {s.name}({s.argument}: {'|'.join(s.choices or [])}): {s.description}"
        if s.argument
        else f"- {s.name}: {s.description}"
        for s in SPECS
    )
    return [
        ("system", "You control an agent in a text adventure. Reply with one JSON object."),
        ("human", f"{situation}\nActions:\n{actions}\nChoose the next action."),
    ]


@pytest.fixture(scope="module")
def model() -> LlamaCppChatModel:
    # The longest reply the action schema admits (an 80-character reason) is ~110 tokens;
    # a smaller max_tokens could cut the JSON short, and the grammar cannot prevent that.
    return LlamaCppChatModel(model_path=smollm2_path(), max_tokens=160)


def test_schema_constrained_choices_always_parse(model: LlamaCppChatModel) -> None:
    chosen = []
    for situation in SITUATIONS:
        reply = model.invoke(_prompt(situation), json_schema=SCHEMA)
        data = json.loads(reply.content)  # must parse: the grammar allows nothing else
        assert set(data) == {"action", "argument", "reason"}, reply.content
        assert data["action"] in {s.name for s in SPECS}, reply.content
        assert data["argument"] is None or data["argument"] in ARGUMENTS, reply.content
        assert len(data["reason"]) <= 80
        assert reply.response_metadata["schema_enforced"] is True
        chosen.append(data["action"])
    assert len(chosen) == len(SITUATIONS)


def test_usage_metadata_is_populated(model: LlamaCppChatModel) -> None:
    reply = model.invoke(_prompt(SITUATIONS[0]), json_schema=SCHEMA)
    usage = reply.usage_metadata
    assert usage is not None
    assert usage["input_tokens"] > 50
    assert usage["output_tokens"] > 5
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert reply.response_metadata["finish_reason"] == "stop"
    assert reply.response_metadata["model"].endswith(".gguf")


def test_greedy_decoding_is_repeatable(model: LlamaCppChatModel) -> None:
    first = model.invoke(_prompt(SITUATIONS[1]), json_schema=SCHEMA).content
    model.invoke(_prompt(SITUATIONS[2]), json_schema=SCHEMA)  # disturb the KV cache
    again = model.invoke(_prompt(SITUATIONS[1]), json_schema=SCHEMA).content
    assert first == again


def test_seeded_sampling_is_repeatable(model: LlamaCppChatModel) -> None:
    # Seeding must also pin down sampling above temperature 0, e.g. for ablations.
    def sample(seed: int) -> str:
        messages = [("human", "Write one sentence about a dragon.")]
        return str(model.invoke(messages, temperature=1.0, seed=seed, max_tokens=24).content)

    assert sample(7) == sample(7)


def test_free_text_without_schema(model: LlamaCppChatModel) -> None:
    reply = model.invoke([("human", "Say hello.")], max_tokens=16)
    assert isinstance(reply.content, str) and reply.content.strip()
    assert reply.response_metadata["schema_enforced"] is None


def test_instances_share_one_loaded_model(model: LlamaCppChatModel) -> None:
    other = LlamaCppChatModel(model_path=str(smollm2_path()), temperature=0.5)
    assert other.load() is model.load()


def test_controller_act_runs_on_the_local_model(model: LlamaCppChatModel) -> None:
    controller = Controller(model)
    assert controller.constrained
    action, stats, _ = controller.act(
        task="leave the dungeon",
        subgoal="find the exit",
        percept="The exit is to the south. A lamp lies here.",
        specs=SPECS,
    )
    assert action.action in {s.name for s in SPECS}
    assert stats.calls >= 1 and stats.prompt_tokens > 0 and stats.completion_tokens > 0


def test_per_action_schema_never_needs_a_fallback(model: LlamaCppChatModel) -> None:
    # action_schema ties each argument enum to its action, so every constrained reply
    # passes the controller's own check on the first call: no repairs, no fallbacks.
    controller = Controller(model)
    by_name = {s.name: s for s in SPECS}

    def check(action: Action) -> None:
        spec = by_name[action.action]
        allowed = spec.choices if spec.choices else [None]
        if action.argument not in allowed:
            raise ValueError(f"{action.argument!r} is not an argument of {action.action}")

    for situation in SITUATIONS[:8]:
        _, stats, fell_back = controller.decide(
            Action,
            _prompt(situation)[1][1],
            schema=action_schema(SPECS),
            check=check,
            fallback=lambda: Action(action="wait", reason="fallback"),
        )
        assert not fell_back and stats.calls == 1 and stats.repairs == 0
