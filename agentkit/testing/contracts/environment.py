"""The environment contract: what the agent loop, the runner and resuming rely on.

The checks follow the run's own path: reset, list actions, step (listed or not), record
``raw_actions``, and on resume build a fresh adapter, reset with the same seed and
``replay`` the recorded raw actions. An adapter that passes can be run, checkpointed and
resumed by agentkit.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

from agentkit.environment import ActionSpec, Environment, Observation, StepResult
from agentkit.steps import parse_label
from agentkit.testing.contracts._discovery import registered_through

__all__ = ["EnvironmentContract"]

_UNKNOWN_ACTION = "no-such-action-from-the-contract-suite"
_UNKNOWN_TASK = "a task the contract suite made up"


class EnvironmentContract:
    """Subclass as ``TestX(EnvironmentContract)`` and implement :meth:`make_environment`.

    Attributes to adjust: ``seed`` (the world used), ``walks`` x ``walk_steps`` (the random
    walks the replay check records, drawn from ``rng_seed``), ``entry_point`` (the name in
    ``[project.entry-points.agentkit]``; None skips the discovery check) and
    ``registered_name`` (``name`` or ``name:spec`` as on the command line; when set, the
    registered factory must build the environment). Override :meth:`sample_argument` when
    a free-text argument needs realistic values.
    """

    seed: int = 7
    walks: int = 3
    walk_steps: int = 30
    rng_seed: int = 1234
    entry_point: str | None = None
    registered_name: str | None = None

    def make_environment(self) -> Environment:
        """A new, independent instance of the environment under test."""
        raise NotImplementedError("implement make_environment() to return your Environment")

    def sample_argument(self, spec: ActionSpec, rng: random.Random) -> str | None:
        """An argument for ``spec``: one of its choices, None when it takes none."""
        if spec.argument is None:
            return None
        if spec.choices:
            return rng.choice(spec.choices)
        return "test"

    # -- helpers

    @contextmanager
    def _environment(self) -> Iterator[Environment]:
        env = self.make_environment()
        assert isinstance(env, Environment), (
            f"make_environment() returned {type(env).__name__}; subclass agentkit.Environment "
            "so the optional capabilities have their defaults"
        )
        try:
            yield env
        finally:
            env.close()

    def _reset(self, env: Environment) -> Observation:
        observation = env.reset(seed=self.seed)
        assert isinstance(observation, Observation), (
            f"reset() returned {type(observation).__name__}; return agentkit.Observation"
        )
        return observation

    def _step(self, env: Environment, action: str, argument: str | None) -> StepResult:
        try:
            result = env.step(action, argument)
        except Exception as error:
            raise AssertionError(
                f"step({action!r}, {argument!r}) raised {type(error).__name__}: {error}; an "
                "action the environment lists must never raise: return StepResult(ok=False, "
                "feedback=...) when it cannot be done"
            ) from error
        assert isinstance(result, StepResult), (
            f"step({action!r}, {argument!r}) returned {type(result).__name__}, not StepResult"
        )
        assert isinstance(result.observation, Observation), (
            f"step({action!r}) returned a StepResult whose observation is not an Observation"
        )
        try:
            json.dumps(result.raw_actions)
        except (TypeError, ValueError) as error:
            raise AssertionError(
                f"step({action!r}) recorded raw_actions {result.raw_actions!r} that are not "
                f"JSON-serialisable ({error}); they are written to trajectory.jsonl and the "
                "checkpoint, so use ints, strings, lists or dicts"
            ) from error
        return result

    def _walk(
        self, env: Environment, rng: random.Random
    ) -> tuple[list[Any], list[tuple[int, str]]]:
        """Take random listed actions after a reset.

        Returns the raw actions recorded and, after each step, (raw actions so far, text).
        """
        raw: list[Any] = []
        seen: list[tuple[int, str]] = []
        for _ in range(self.walk_steps):
            specs = env.actions()
            assert specs, "actions() is empty mid-episode; list at least one action"
            spec = rng.choice(specs)
            result = self._step(env, spec.name, self.sample_argument(spec, rng))
            raw.extend(result.raw_actions)
            seen.append((len(raw), result.observation.text))
            if result.done:
                break
        return raw, seen

    # -- the contract

    def test_reset_returns_an_observation_with_text(self) -> None:
        with self._environment() as env:
            observation = self._reset(env)
            assert isinstance(observation.text, str) and observation.text.strip(), (
                "reset() returned an Observation with empty text; the controller reads "
                "Observation.text, so render the state as text"
            )

    def test_actions_are_well_formed(self) -> None:
        with self._environment() as env:
            self._reset(env)
            specs = env.actions()
            assert isinstance(specs, list) and specs, "actions() must return a non-empty list"
            for spec in specs:
                assert isinstance(spec, ActionSpec), (
                    f"actions() contains {spec!r}; return agentkit.ActionSpec objects"
                )
                assert spec.name.strip(), "an ActionSpec has an empty name"
                assert parse_label(spec.name)[0] is None, (
                    f"action name {spec.name!r} is reserved: agentkit runs 'program' and "
                    "'skill:<name>' itself, so the environment would never see it"
                )
                if spec.choices is not None:
                    assert spec.argument, (
                        f"action {spec.name!r} has choices but no argument name; set "
                        "ActionSpec.argument"
                    )
                    assert spec.choices, (
                        f"action {spec.name!r} has an empty choices list; use None for free "
                        "text, or drop the action while nothing can be chosen"
                    )
                    assert all(isinstance(c, str) and c for c in spec.choices), (
                        f"choices of {spec.name!r} must be non-empty strings: {spec.choices}"
                    )
                    assert len(set(spec.choices)) == len(spec.choices), (
                        f"choices of {spec.name!r} repeat a value: {spec.choices}"
                    )
            names = [spec.name for spec in specs]
            duplicates = sorted({name for name in names if names.count(name) > 1})
            assert not duplicates, f"actions() lists these names more than once: {duplicates}"

    def test_every_listed_action_steps_without_raising(self) -> None:
        rng = random.Random(self.rng_seed)
        with self._environment() as env:
            self._reset(env)
            for spec in env.actions():
                self._reset(env)
                self._step(env, spec.name, self.sample_argument(spec, rng))

    def test_an_unknown_action_is_refused_not_raised(self) -> None:
        with self._environment() as env:
            self._reset(env)
            try:
                result = env.step(_UNKNOWN_ACTION, None)
            except Exception as error:
                raise AssertionError(
                    f"step() raised {type(error).__name__} for an unknown action; return "
                    "StepResult(ok=False, feedback='unknown action ...') instead (programs and "
                    "skills call step with any name they like)"
                ) from error
            assert isinstance(result, StepResult), "step() must return a StepResult"
            assert result.ok is False, "an unknown action must give StepResult(ok=False)"
            assert result.feedback.strip(), (
                "an unknown action must come with feedback saying what went wrong"
            )

    def test_the_same_seed_gives_the_same_world(self) -> None:
        with self._environment() as env, self._environment() as other:
            first = self._reset(env).text
            again = self._reset(env).text
            fresh = self._reset(other).text
        assert again == first, (
            f"reset(seed={self.seed}) twice gave different text; seed every source of "
            "randomness from the reset seed"
        )
        assert fresh == first, (
            f"reset(seed={self.seed}) on a new instance gave different text than on the first; "
            "resuming builds a new instance, so no state may carry over between instances"
        )

    def test_replaying_raw_actions_restores_the_state(self) -> None:
        rng = random.Random(self.rng_seed)
        with self._environment() as env, self._environment() as fresh:
            for walk in range(self.walks):
                self._reset(env)
                raw, seen = self._walk(env, rng)
                # Resume the way the runner does: the end of the walk, and a point midway.
                for count, text in {seen[-1], seen[len(seen) // 2]} if seen else set():
                    for target, label in ((env, "the same instance"), (fresh, "a new instance")):
                        self._reset(target)
                        replayed = target.replay(raw[:count])
                        assert isinstance(replayed, Observation), (
                            "replay() must return the Observation after the last raw action"
                        )
                        assert replayed.text == text, (
                            f"walk {walk}: reset(seed={self.seed}) + replay(first {count} raw "
                            f"actions) on {label} does not restore the observation the run "
                            f"saw.\nexpected:\n{text}\ngot:\n{replayed.text}\n"
                            "Record in StepResult.raw_actions everything needed to redo the "
                            "step, and make replay() apply exactly those"
                        )

    def test_check_answers_bool_or_none(self) -> None:
        with self._environment() as env:
            self._reset(env)
            for task in [*env.tasks(), _UNKNOWN_TASK]:
                verdict = env.check(task)
                assert verdict is None or isinstance(verdict, bool), (
                    f"check({task!r}) returned {verdict!r}; return True, False, or None when "
                    "the environment cannot judge the task"
                )

    def test_tasks_are_strings_that_check_recognises(self) -> None:
        with self._environment() as env:
            self._reset(env)
            tasks = env.tasks()
            assert isinstance(tasks, list), "tasks() must return a list of strings"
            assert len(set(tasks)) == len(tasks), f"tasks() repeats a task: {tasks}"
            for task in tasks:
                assert isinstance(task, str) and task.strip(), (
                    f"tasks() contains {task!r}; every task is a non-empty string"
                )
                assert env.check(task) is not None, (
                    f"check({task!r}) returned None for a task of the environment's own suite; "
                    "the curriculum needs check() to judge every task tasks() lists"
                )

    def test_frame_is_none_or_an_rgb_array(self) -> None:
        rng = random.Random(self.rng_seed)
        with self._environment() as env:
            self._reset(env)
            frames = [env.frame()]
            spec = env.actions()[0]
            self._step(env, spec.name, self.sample_argument(spec, rng))
            frames.append(env.frame())
        for frame in frames:
            if frame is None:
                continue
            assert isinstance(frame, np.ndarray), (
                f"frame() returned {type(frame).__name__}; return a numpy array or None"
            )
            assert frame.ndim == 3 and frame.shape[2] == 3, (
                f"frame() has shape {frame.shape}; replays need height x width x 3 (RGB)"
            )
            assert frame.dtype == np.uint8, f"frame() has dtype {frame.dtype}; use uint8"

    def test_metrics_are_json_serialisable(self) -> None:
        rng = random.Random(self.rng_seed)
        with self._environment() as env:
            self._reset(env)
            self._walk(env, rng)
            metrics = env.metrics()
        assert isinstance(metrics, dict), "metrics() must return a dict"
        try:
            json.dumps(metrics)
        except (TypeError, ValueError) as error:
            raise AssertionError(
                f"metrics() is not JSON-serialisable ({error}); it goes into summary.json, so "
                "convert numpy values with int()/float() and sets to sorted lists"
            ) from error

    def test_steps_taken_counts_from_reset(self) -> None:
        with self._environment() as env:
            self._reset(env)
            assert env.steps_taken == 0, (
                f"steps_taken is {env.steps_taken} right after reset(); count raw world steps "
                "since the last reset"
            )

    def knowledge_actions(self, env: Environment) -> set[str]:
        """Action names rules may use: every name ``actions()`` lists at reset or during
        the random walks. Override when some actions are only listed in states the walks
        rarely reach."""
        names = {spec.name for spec in env.actions()}
        rng = random.Random(self.rng_seed)
        for _ in range(self.walks):
            self._reset(env)
            for _ in range(self.walk_steps):
                specs = env.actions()
                names |= {spec.name for spec in specs}
                spec = rng.choice(specs)
                if self._step(env, spec.name, self.sample_argument(spec, rng)).done:
                    break
        return names

    def test_knowledge_names_real_actions_and_items(self) -> None:
        """The world's rules (if it gives any) must be usable by the decomposer as they are."""
        with self._environment() as env:
            self._reset(env)
            knowledge = env.knowledge()
            if knowledge is None:
                return  # an environment without knowledge has nothing to check here
            holdings = env.holdings()
            assert all(
                isinstance(k, str) and isinstance(v, int) for k, v in holdings.items()
            ), f"holdings() must map names to ints, got {holdings!r}"
            given = {item for rule in knowledge.rules for item in rule.gives}
            known = given | set(knowledge.stations) | set(holdings)
            for rule in knowledge.rules:
                needed = {*rule.consumes, *rule.requires, *rule.near}
                unknown = sorted(needed - known)
                assert not unknown, (
                    f"rule {rule.name!r} needs {unknown}, which no rule gives, no station is "
                    "and holdings() never reports: the decomposer could never plan it"
                )
            names = {rule.name for rule in knowledge.rules}
            assert len(names) == len(knowledge.rules), "rule names must be unique"
            for need in knowledge.needs:
                assert set(need.restored_by) <= names, f"need {need.stat}: unknown rules"
            for threat in knowledge.threats:
                assert set(threat.answered_by) <= names, f"threat {threat.kind}: unknown rules"
            achievements = {rule.achievement for rule in knowledge.rules}
            missing = [goal for goal in knowledge.goals if goal not in achievements]
            assert not missing, f"goals {missing} are the achievement of no rule"
            for goal in knowledge.goals:
                assert goal in env.goals_in(goal.replace("_", " ")), (
                    f"goals_in({goal.replace('_', ' ')!r}) does not name the goal {goal!r}"
                )
                assert env.check(goal) is not None, f"check({goal!r}) cannot judge the goal"
            actions = self.knowledge_actions(env)
            unknown_actions = sorted({r.action for r in knowledge.rules} - actions)
            assert not unknown_actions, (
                f"rules use actions {unknown_actions} that actions() never lists "
                f"(listed: {sorted(actions)})"
            )

    def test_discoverable_through_its_entry_point(self) -> None:
        if self.entry_point is None:
            pytest.skip("set entry_point = '<name>' to check that agentkit finds the plugin")
        calls = registered_through(self.entry_point, "register_environments")
        names = [args[0] if args else kwargs.get("name") for args, kwargs in calls]
        if self.registered_name is None:
            return
        assert self.registered_name.partition(":")[0] in names, (
            f"plugin {self.entry_point!r} registers environments {names}, not "
            f"{self.registered_name!r}"
        )
        from agentkit.environments import make_environment
        from agentkit.plugins import get_registry

        env = make_environment(self.registered_name, registry=get_registry())
        try:
            assert isinstance(env, Environment), (
                f"the factory registered as {self.registered_name!r} built "
                f"{type(env).__name__}, not an agentkit.Environment"
            )
        finally:
            env.close()
