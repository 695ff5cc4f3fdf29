"""The perceiver contract: what the perceive node relies on.

Every step, agentkit hands the raw observation to each perceiver through
:func:`agentkit.perception.run_perceivers` and shows the controller ``[source] text``.
Perceivers see every observation, including ones without their modality, and a perceiver
that raises is only reported, so the checks below make sure it never needs to.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from agentkit.environment import Observation
from agentkit.perception import Perceiver, Percept, run_perceivers
from agentkit.testing.contracts._discovery import registered_through

__all__ = ["PerceiverContract"]


class PerceiverContract:
    """Subclass as ``TestX(PerceiverContract)``; implement :meth:`make_perceiver` and
    :meth:`make_observation` (an observation carrying the modality the perceiver reads).

    Override :meth:`make_observation_without_modality` when the default (text only, no
    images or extras) does contain your modality. Set ``entry_point`` to also check that
    ``agentkit plugins`` finds the plugin and that it registers this perceiver.
    """

    entry_point: str | None = None

    def make_perceiver(self) -> Any:
        """The perceiver under test."""
        raise NotImplementedError("implement make_perceiver() to return your perceiver")

    def make_observation(self) -> Observation:
        """An observation with the modality the perceiver translates."""
        raise NotImplementedError(
            "implement make_observation() to return an Observation with your modality"
        )

    def make_observation_without_modality(self) -> Observation:
        """An observation the perceiver has nothing to say about."""
        return Observation(text="an observation with no images or extras")

    def _perceive(self, perceiver: Any, observation: Observation) -> Percept | None:
        try:
            return perceiver.perceive(observation)
        except Exception as error:
            raise AssertionError(
                f"perceive() raised {type(error).__name__}: {error}; a perceiver returns None "
                "for what it cannot read (agentkit would only report the error and go on "
                "without the percept)"
            ) from error

    def test_has_a_name(self) -> None:
        perceiver = self.make_perceiver()
        name = getattr(perceiver, "name", None)
        assert isinstance(name, str) and name.strip(), (
            "the perceiver needs a non-empty string attribute `name` (it labels its percepts)"
        )
        assert isinstance(perceiver, Perceiver), (
            "the perceiver must have `name` and `perceive(observation)` (agentkit.Perceiver)"
        )

    def test_perceives_its_modality(self) -> None:
        perceiver = self.make_perceiver()
        percept = self._perceive(perceiver, self.make_observation())
        assert isinstance(percept, Percept), (
            f"perceive() returned {type(percept).__name__} for an observation with its "
            "modality; return agentkit.Percept"
        )
        assert isinstance(percept.text, str) and percept.text.strip(), (
            "the percept's text is empty; the controller only sees Percept.text"
        )
        assert percept.source.strip(), "set Percept.source (usually the perceiver's name)"
        try:
            json.dumps(percept.model_dump())
        except (TypeError, ValueError) as error:
            raise AssertionError(
                f"the percept is not JSON-serialisable ({error}); keep raw arrays out of "
                "Percept.data and embedding (plain lists and numbers only)"
            ) from error

    def test_returns_none_without_its_modality(self) -> None:
        percept = self._perceive(self.make_perceiver(), self.make_observation_without_modality())
        assert percept is None, (
            f"perceive() returned {percept!r} for an observation without its modality; "
            "return None so the controller's prompt is not padded"
        )

    def test_is_deterministic(self) -> None:
        perceiver = self.make_perceiver()
        first = self._perceive(perceiver, self.make_observation())
        second = self._perceive(perceiver, self.make_observation())
        other = self._perceive(self.make_perceiver(), self.make_observation())
        dumps = [p.model_dump() if p is not None else None for p in (first, second, other)]
        assert dumps[0] == dumps[1] == dumps[2], (
            "perceive() gave different percepts for the same observation; replays and resumed "
            f"runs need the same text for the same input: {dumps}"
        )

    def test_runs_through_run_perceivers(self) -> None:
        perceiver = self.make_perceiver()
        percepts, errors = run_perceivers([perceiver], self.make_observation())
        assert not errors, f"run_perceivers reported: {errors}"
        assert len(percepts) == 1, f"run_perceivers returned {len(percepts)} percepts, not 1"
        percepts, errors = run_perceivers([perceiver], self.make_observation_without_modality())
        assert not errors and not percepts, (
            f"without the modality run_perceivers returned {percepts} and errors {errors}"
        )

    def test_discoverable_through_its_entry_point(self) -> None:
        if self.entry_point is None:
            pytest.skip("set entry_point = '<name>' to check that agentkit finds the plugin")
        calls = registered_through(self.entry_point, "register_perceivers")
        name = self.make_perceiver().name
        names = [getattr(args[0] if args else None, "name", None) for args, _ in calls]
        assert name in names, (
            f"plugin {self.entry_point!r} registers perceivers {names}, not one named {name!r}"
        )
