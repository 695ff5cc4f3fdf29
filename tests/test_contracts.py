"""The contract suites pass for agentkit's own built-ins and catch broken implementations."""

from __future__ import annotations

import random
import sys
import types
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any

import numpy as np
import pytest
from langchain_core.tools import BaseTool, tool

import agentkit.plugins
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.environment import ActionSpec, Environment, Observation, StepResult
from agentkit.knowledge import Knowledge, Rule
from agentkit.perception import Percept
from agentkit.plugins.hookspecs import hookimpl
from agentkit.testing import HashingEmbedder
from agentkit.testing.contracts import (
    EmbedderContract,
    EnvironmentContract,
    PerceiverContract,
    ToolContract,
)

# -- small correct implementations ------------------------------------------------------------


class Line(Environment):
    """A walker on a line of ten cells; its broken variants below each break one rule."""

    name = "line"

    def __init__(self) -> None:
        self.position = 0
        self.steps = 0

    def reset(self, seed: int | None = None) -> Observation:
        self.position = random.Random(seed).randrange(10)
        self.steps = 0
        return self._observe()

    def _observe(self) -> Observation:
        return Observation(text=f"position {self.position}")

    def actions(self) -> list[ActionSpec]:
        return [
            ActionSpec(name="left", description="one cell left"),
            ActionSpec(name="jump", description="right", argument="cells", choices=["1", "2"]),
        ]

    def _apply(self, raw: int) -> None:
        self.position = max(0, min(9, self.position + raw))
        self.steps += 1

    def step(self, action: str, argument: str | None = None) -> StepResult:
        if action == "left":
            raw = -1
        elif action == "jump" and argument in ("1", "2"):
            raw = int(argument)
        else:
            return StepResult(observation=self._observe(), ok=False, feedback="unknown action")
        self._apply(raw)
        return StepResult(observation=self._observe(), raw_actions=[raw])

    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        for raw in raw_actions:
            self._apply(int(raw))
        return self._observe()

    def tasks(self) -> list[str]:
        return ["reach cell 9"]

    def check(self, task: str) -> bool | None:
        return self.position == 9 if task == "reach cell 9" else None

    def frame(self) -> Any:
        return np.zeros((4, 10, 3), dtype=np.uint8)

    def metrics(self) -> dict[str, Any]:
        return {"position": self.position}

    @property
    def steps_taken(self) -> int:
        return self.steps


class Brightness:
    """A tiny real perceiver: the mean brightness of the ``rgb`` image."""

    name = "brightness"

    def perceive(self, observation: Observation) -> Percept | None:
        image = observation.images.get("rgb")
        if image is None:
            return None
        return Percept(source=self.name, text=f"mean brightness {float(np.mean(image)):.0f}/255")


@tool
def word_count(text: str) -> str:
    """Count the words in a text."""
    if not text.strip():
        raise ValueError("give me some text to count")
    return str(len(text.split()))


# -- the built-ins pass --------------------------------------------------------------------------


class TestGymnasiumEnvironment(EnvironmentContract):
    entry_point = "agentkit.default_plugins.gymnasium_env"
    registered_name = "gymnasium:FrozenLake-v1"

    def make_environment(self) -> Environment:
        return GymnasiumEnvironment("FrozenLake-v1", is_slippery=False)


class FoundThroughTheFakePlugin:
    """The core's own test doubles ship in no distribution: their discovery check runs
    through the fake ``contract-good`` plugin (the ``fake_plugins`` fixture below), so
    it is exercised rather than skipped for want of an ``entry_point``."""

    entry_point = "contract-good"

    @pytest.mark.filterwarnings("ignore::agentkit.plugins.PluginWarning")
    def test_discoverable_through_its_entry_point(self, fake_plugins: None) -> None:
        super().test_discoverable_through_its_entry_point()  # type: ignore[misc]


class TestLine(FoundThroughTheFakePlugin, EnvironmentContract):
    registered_name = "line"

    def make_environment(self) -> Environment:
        return Line()


class TestHashingEmbedder(FoundThroughTheFakePlugin, EmbedderContract):
    registered_name = "hash32"

    def make_embedder(self) -> Any:
        return HashingEmbedder(dimension=32)


class TestBrightness(FoundThroughTheFakePlugin, PerceiverContract):
    def make_perceiver(self) -> Any:
        return Brightness()

    def make_observation(self) -> Observation:
        image = np.full((8, 8, 3), 100, dtype=np.uint8)
        return Observation(text="a grey square", images={"rgb": image})


class TestWordCount(FoundThroughTheFakePlugin, ToolContract):
    good_input = "three little words"
    bad_input = "   "

    def make_tool(self) -> BaseTool:
        return word_count


# -- the suites catch broken implementations -----------------------------------------------------


def fails(suite: Any, test: str, match: str, **kwargs: Any) -> None:
    """Running ``suite.test`` raises an AssertionError whose message matches ``match``."""
    with pytest.raises(AssertionError, match=match):
        getattr(suite, test)(**kwargs)


def environment_suite(cls: type[Environment]) -> EnvironmentContract:
    class Suite(EnvironmentContract):
        def make_environment(self) -> Environment:
            return cls()

    return Suite()


class ForgetfulReplay(Line):
    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        return self._observe()  # ignores the recorded actions


class RaisesOnUnknown(Line):
    def step(self, action: str, argument: str | None = None) -> StepResult:
        if action not in ("left", "jump"):
            raise KeyError(action)
        return super().step(action, argument)


class UnseededReset(Line):
    resets = 0  # shared by every instance, like a module-level random generator

    def reset(self, seed: int | None = None) -> Observation:
        UnseededReset.resets += 1
        super().reset(seed)
        self.position = (self.position + UnseededReset.resets) % 10
        return self._observe()


class Misdeclared(Line):
    def actions(self) -> list[ActionSpec]:
        return [*super().actions(), ActionSpec(name="left", description="again")]


class BadExtras(Line):
    def frame(self) -> Any:
        return np.zeros((4, 10), dtype=np.float32)

    def metrics(self) -> dict[str, Any]:
        return {"visited": {1, 2}}

    def tasks(self) -> list[str]:
        return ["reach cell 9", "dance"]


class CrashingStep(Line):
    def step(self, action: str, argument: str | None = None) -> StepResult:
        if action == "jump":
            raise RuntimeError("not implemented yet")
        return super().step(action, argument)


class KnowingLine(Line):
    """A line whose rules say that jumping gets you to cell 9."""

    def knowledge(self) -> Knowledge | None:
        return Knowledge(
            rules=[Rule(name="jump to the end", action="jump", argument="2",
                        gives={"at_end": 1}, achievement="reach_9")],
            goals=["reach_9"],
        )  # fmt: skip

    def check(self, task: str) -> bool | None:
        return self.position == 9 if task in ("reach cell 9", "reach_9") else None


class UnknownItemKnowledge(KnowingLine):
    def knowledge(self) -> Knowledge | None:
        return Knowledge(
            rules=[Rule(name="jump", action="jump", consumes={"spring": 1}, achievement="x")]
        )


class UnknownActionKnowledge(KnowingLine):
    def knowledge(self) -> Knowledge | None:
        return Knowledge(rules=[Rule(name="fly", action="fly", gives={"wings": 1})])


class TestKnowingLine(FoundThroughTheFakePlugin, EnvironmentContract):
    registered_name = "knowing"

    def make_environment(self) -> Environment:
        return KnowingLine()


def test_the_environment_suite_catches_broken_environments():
    fails(
        environment_suite(ForgetfulReplay),
        "test_replaying_raw_actions_restores_the_state",
        "replay",
    )
    fails(
        environment_suite(RaisesOnUnknown),
        "test_an_unknown_action_is_refused_not_raised",
        "KeyError",
    )
    fails(environment_suite(UnseededReset), "test_the_same_seed_gives_the_same_world", "seed")
    fails(environment_suite(Misdeclared), "test_actions_are_well_formed", "more than once")
    fails(environment_suite(BadExtras), "test_frame_is_none_or_an_rgb_array", "shape")
    fails(environment_suite(BadExtras), "test_metrics_are_json_serialisable", "JSON")
    fails(environment_suite(BadExtras), "test_tasks_are_strings_that_check_recognises", "dance")
    fails(environment_suite(CrashingStep), "test_every_listed_action_steps_without_raising", "jump")
    knowledge = "test_knowledge_names_real_actions_and_items"
    fails(environment_suite(UnknownItemKnowledge), knowledge, "spring")
    fails(environment_suite(UnknownActionKnowledge), knowledge, "fly")


def perceiver_suite(make: Callable[[], Any]) -> PerceiverContract:
    class Suite(PerceiverContract):
        make_observation = TestBrightness.make_observation

        def make_perceiver(self) -> Any:
            return make()

    return Suite()


class AssumesAnImage(Brightness):
    def perceive(self, observation: Observation) -> Percept | None:
        return Percept(source=self.name, text=str(observation.images["rgb"].mean()))


class Noisy(Brightness):
    def perceive(self, observation: Observation) -> Percept | None:
        percept = super().perceive(observation)
        return percept and Percept(source=self.name, text=f"{percept.text} ({random.random()})")


class ReturnsText(Brightness):
    def perceive(self, observation: Observation) -> Any:
        return "bright"


def test_the_perceiver_suite_catches_broken_perceivers():
    fails(perceiver_suite(AssumesAnImage), "test_returns_none_without_its_modality", "raised")
    fails(perceiver_suite(Noisy), "test_is_deterministic", "different percepts")
    fails(perceiver_suite(ReturnsText), "test_perceives_its_modality", "returned str")
    fails(perceiver_suite(object), "test_has_a_name", "name")


@tool
def swallows_errors(text: str) -> str:
    """Count the words in a text."""
    return "error: no text" if not text.strip() else str(len(text.split()))


@tool
def needs_two(a: str, b: str) -> str:
    """Join two strings."""
    return a + b


def tool_suite(made: BaseTool) -> ToolContract:
    class Suite(ToolContract):
        good_input, bad_input = TestWordCount.good_input, TestWordCount.bad_input

        def make_tool(self) -> BaseTool:
            return made

    return Suite()


def test_the_tool_suite_catches_broken_tools():
    fails(tool_suite(swallows_errors), "test_errors_are_raised_not_returned", "instead of raising")
    fails(tool_suite(needs_two), "test_a_string_argument_gives_printable_output", "single string")
    fails(tool_suite(object()), "test_is_a_langchain_tool_with_a_name_and_description", "BaseTool")  # type: ignore[arg-type]


class ShortVectors(HashingEmbedder):
    def embed(self, texts: list[str]) -> list[list[float]]:
        return [vector[:-1] for vector in super().embed(texts)]


class Jittery(HashingEmbedder):
    def embed(self, texts: list[str]) -> list[list[float]]:
        return [[x + random.random() for x in vector] for vector in super().embed(texts)]


class NotFinite(HashingEmbedder):
    def embed(self, texts: list[str]) -> list[list[float]]:
        return [[float("nan")] * self.dimension for _ in texts]


def embedder_suite(cls: type[HashingEmbedder]) -> EmbedderContract:
    class Suite(EmbedderContract):
        def make_embedder(self) -> Any:
            return cls(dimension=16)

    return Suite()


def test_the_embedder_suite_catches_broken_embedders():
    fails(embedder_suite(ShortVectors), "test_one_vector_of_the_declared_length_per_text", "length")
    fails(embedder_suite(Jittery), "test_is_deterministic", "different vectors")
    fails(embedder_suite(NotFinite), "test_vectors_are_finite_floats", "non-finite")


# -- discovery through entry points --------------------------------------------------------------


@pytest.fixture
def fake_plugins(monkeypatch):
    """Installs plugins in-process through fake entry points; restores the registry after."""
    monkeypatch.setattr(agentkit.plugins, "_REGISTRY", agentkit.plugins._REGISTRY)
    monkeypatch.setenv("AGENTKIT_LOAD_PLUGINS", "contract-good,contract-empty,contract-broken")
    good = types.ModuleType("contract_good_plugin")
    good.register_perceivers = hookimpl(lambda register: register(Brightness()))  # type: ignore[attr-defined]
    good.register_tools = hookimpl(lambda register: register(word_count))  # type: ignore[attr-defined]
    good.register_embedders = hookimpl(  # type: ignore[attr-defined]
        lambda register: (
            register("hash", lambda: HashingEmbedder(16), 16),
            register("hash32", lambda: HashingEmbedder(32), 32),
        )
    )
    good.register_environments = hookimpl(  # type: ignore[attr-defined]
        lambda register: (
            register("line", lambda spec="", **options: Line()),
            register("knowing", lambda spec="", **options: KnowingLine()),
        )
    )
    empty = types.ModuleType("contract_empty_plugin")
    empty.register_tools = hookimpl(lambda register: None)  # type: ignore[attr-defined]
    for module in (good, empty):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    points = [
        metadata.EntryPoint("contract-good", "contract_good_plugin", "agentkit"),
        metadata.EntryPoint("contract-empty", "contract_empty_plugin", "agentkit"),
        metadata.EntryPoint("contract-broken", "contract_module_that_is_missing", "agentkit"),
    ]
    monkeypatch.setattr(agentkit.plugins, "_entry_points", lambda: points)


@pytest.mark.filterwarnings("ignore::agentkit.plugins.PluginWarning")
def test_discovery_passes_for_a_plugin_that_registers_the_thing(fake_plugins):
    perceivers = perceiver_suite(Brightness)
    perceivers.entry_point = "contract-good"
    perceivers.test_discoverable_through_its_entry_point()
    tools = tool_suite(word_count)
    tools.entry_point = "contract-good"
    tools.test_discoverable_through_its_entry_point()
    embedders = embedder_suite(HashingEmbedder)
    embedders.entry_point, embedders.registered_name = "contract-good", "hash"
    embedders.test_discoverable_through_its_entry_point()
    environments = environment_suite(Line)
    environments.entry_point, environments.registered_name = "contract-good", "line"
    environments.test_discoverable_through_its_entry_point()


@pytest.mark.filterwarnings("ignore::agentkit.plugins.PluginWarning")
def test_discovery_names_what_is_missing(fake_plugins):
    suite = tool_suite(word_count)
    for entry_point, match in [
        ("contract-missing", "no plugin named 'contract-missing'"),
        ("contract-broken", "failed"),
        ("contract-empty", "never calls register"),
    ]:
        suite.entry_point = entry_point
        fails(suite, "test_discoverable_through_its_entry_point", match)
    perceivers = perceiver_suite(Brightness)
    perceivers.entry_point = "contract-empty"
    fails(perceivers, "test_discoverable_through_its_entry_point", "not register_perceivers")
    embedders = embedder_suite(HashingEmbedder)
    embedders.entry_point = "contract-good"
    fails(embedders, "test_discoverable_through_its_entry_point", "not 'hashing-test-double'")
