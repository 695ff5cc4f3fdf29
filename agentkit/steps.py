"""Step records: what one step of the loop decided, what came of it, and the line it leaves.

A :class:`Decision` is made by the decide node (its ``kind`` says how it is carried out:
a world action, ``raw`` or ``primitive``; a ``tool``; a learned ``skill``; or, in code
mode, a ``program``) and carried out by the executor (:mod:`agentkit.executor`), which
returns an :class:`Outcome`. The execute node puts both into one :class:`StepRecord`, the
one line of ``trajectory.jsonl`` the step leaves.

Everything that reads steps (the run engine, run summaries, benchmarks, export, the
trajectory checks) reads them through these types: :meth:`StepRecord.from_line` reads a
line, old ones included. The line itself stays flat, with the keys it has always had
(``action``, ``argument``, ``reason``, ``kind``, ``ok``, ``feedback``, ...), so web
viewers, older runs and the docs keep working.

A skill is offered to the model, and shown in a line's ``action``, as ``skill:<name>``:
:func:`skill_label` writes that label and :func:`parse_label` is the one place that reads
it; everywhere else a skill decision is ``kind="skill"`` with the skill's own ``name``.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

__all__ = [
    "KINDS",
    "Decision",
    "Kind",
    "Outcome",
    "StepRecord",
    "as_kind",
    "as_step",
    "parse_label",
    "skill_label",
]

Kind = Literal["raw", "primitive", "tool", "skill", "program"]
KINDS: tuple[str, ...] = get_args(Kind)
SKILL_PREFIX = "skill:"


def skill_label(name: str) -> str:
    """How the skill ``name`` is offered to the model and shown: ``skill:<name>``."""
    return f"{SKILL_PREFIX}{name}"


def parse_label(label: str) -> tuple[Kind | None, str]:
    """``("skill", name)`` for a skill's label, else ``(None, label)`` (any other action)."""
    if label.startswith(SKILL_PREFIX):
        return "skill", label[len(SKILL_PREFIX) :]
    if label == "program":
        return "program", label
    return None, label


def as_kind(kind: str | None, default: Kind = "primitive") -> Kind:
    """``kind`` when it is one of :data:`KINDS`, else ``default`` (an environment's own
    ``ActionSpec.kind`` values, and lines written before the kind was recorded)."""
    return kind if kind in KINDS else default  # type: ignore[return-value]


class Decision(BaseModel):
    """What the decide node chose, with the prompt and reply that chose it."""

    kind: Kind = "primitive"
    name: str
    """The action's, tool's or skill's own name (``program`` for a program)."""
    argument: str | None = None
    reason: str = ""
    code: str = ""
    """A program's code (code mode)."""
    label: str | None = None
    """Knowledge mode: the step of the rules this carries out (``collect wood``)."""
    options: list[str] = Field(default_factory=list)
    """Knowledge mode: the labels on offer when it was chosen."""
    fallback: bool = False
    """True when the model's reply was refused and a safe action was taken instead."""
    prompt: str = ""
    reply: str = ""

    @property
    def action(self) -> str:
        """The name as the model saw it: a skill's label, else the name itself."""
        return skill_label(self.name) if self.kind == "skill" else self.name

    @property
    def key(self) -> str:
        """How the choice is named in history and in ``blocked``: a knowledge step's own
        name (``collect wood``), else ``action`` or ``action(argument)``."""
        if self.label:
            return self.label
        return f"{self.action}({self.argument})" if self.argument else self.action

    @property
    def planned(self) -> bool:
        """A step of the rules (knowledge mode), which reports its own success."""
        return bool(self.label) and self.kind != "skill"

    def fields(self, *, with_llm: bool = True) -> dict[str, Any]:
        """The flat fields of a trajectory line and of the state's ``action``."""
        out: dict[str, Any] = {
            "action": self.action,
            "argument": self.argument,
            "reason": self.reason,
            "kind": self.kind,
            "fallback": self.fallback,
        }
        if self.kind == "program":
            out["code"] = self.code
        if self.label:
            out["label"] = self.label
        if self.options:  # a learned skill chosen among the rules' steps has them too
            out["options"] = list(self.options)
        if with_llm:
            out["prompt"], out["reply"] = self.prompt, self.reply
        return out

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Decision:
        """A decision from :meth:`fields` (a line, the state), old shapes included: a line
        written before kinds were recorded has ``kind`` empty, or ``subgoal`` for a step of
        the rules, and a skill's label as its ``action``."""
        shown = str(fields.get("action") or "noop")
        parsed, name = parse_label(shown)
        kind = parsed or as_kind(fields.get("kind"))
        return cls(
            kind=kind,
            name=name,
            argument=fields.get("argument"),
            reason=str(fields.get("reason") or ""),
            code=str(fields.get("code") or ""),
            label=fields.get("label") or None,
            options=list(fields.get("options") or []),
            fallback=bool(fields.get("fallback")),
            prompt=str(fields.get("prompt") or ""),
            reply=str(fields.get("reply") or ""),
        )


class Outcome(BaseModel):
    """What carrying a decision out did to the world."""

    ok: bool = True
    feedback: str = ""
    reward: float = 0.0
    done: bool = False
    events: list[str] = Field(default_factory=list)
    raw_actions: list[Any] = Field(default_factory=list)
    """The raw actions applied to the world, in order (what a resume replays)."""
    info: dict[str, Any] = Field(default_factory=dict)
    sandbox: dict[str, Any] | None = None
    """How a program or skill was confined (:mod:`agentkit.sandbox.record`)."""

    @property
    def presses(self) -> int:
        """Raw actions applied: 0 means the world did not move."""
        return len(self.raw_actions)

    def summary(self) -> dict[str, Any]:
        """The state's ``outcome``: what the critique reads (no raw actions, no info)."""
        return {
            "ok": self.ok,
            "feedback": self.feedback,
            "done": self.done,
            "events": list(self.events),
            "reward": self.reward,
            "presses": self.presses,
        }


class StepRecord(BaseModel):
    """One step of a run: one line of ``trajectory.jsonl``."""

    step: int
    env_steps: int
    """Raw actions applied in this thread after the step."""
    episode: int = 0
    iteration: int = 0
    task: str = ""
    subgoal: str = ""
    decision: Decision
    outcome: Outcome
    env_seconds: float = 0.0
    """Seconds the world (and any program) took to carry the decision out."""
    llm_calls: int = 0
    """LLM counters of the thread so far (all nodes), after this step's decision."""
    llm_seconds: float = 0.0
    llm_tokens: int = 0

    def to_line(self) -> dict[str, Any]:
        """The flat JSON object written to ``trajectory.jsonl`` (keys as they always were)."""
        decision, outcome = self.decision, self.outcome
        line: dict[str, Any] = {
            "episode": self.episode,
            "step": self.step,
            "env_steps": self.env_steps,
            **decision.fields(with_llm=False),
            "ok": outcome.ok,
            "feedback": outcome.feedback,
            "reward": outcome.reward,
            "done": outcome.done,
            "events": list(outcome.events),
            "raw_actions": list(outcome.raw_actions),
            "subgoal": self.subgoal,
            "env_seconds": self.env_seconds,
            "info": outcome.info,
            "iteration": self.iteration,
            "task": self.task,
            "prompt": decision.prompt,
            "reply": decision.reply,
        }
        if outcome.sandbox is not None:
            line["sandbox"] = outcome.sandbox
        line["llm_calls"] = self.llm_calls
        line["llm_seconds"] = self.llm_seconds
        line["llm_tokens"] = self.llm_tokens
        return line

    @classmethod
    def from_line(cls, line: dict[str, Any]) -> StepRecord:
        """A record from a line of ``trajectory.jsonl``, this version's or an older one's."""
        return cls(
            step=int(line.get("step", 0)),
            env_steps=int(line.get("env_steps", 0)),
            episode=int(line.get("episode", 0)),
            iteration=int(line.get("iteration", 0)),
            task=str(line.get("task") or ""),
            subgoal=str(line.get("subgoal") or ""),
            decision=Decision.from_fields(line),
            outcome=Outcome(
                ok=bool(line.get("ok", True)),
                feedback=str(line.get("feedback") or ""),
                reward=float(line.get("reward") or 0.0),
                done=bool(line.get("done")),
                events=list(line.get("events") or []),
                raw_actions=list(line.get("raw_actions") or []),
                info=dict(line.get("info") or {}),
                sandbox=line.get("sandbox") if isinstance(line.get("sandbox"), dict) else None,
            ),
            env_seconds=float(line.get("env_seconds") or 0.0),
            llm_calls=int(line.get("llm_calls") or 0),
            llm_seconds=float(line.get("llm_seconds") or 0.0),
            llm_tokens=int(line.get("llm_tokens") or 0),
        )


def as_step(record: StepRecord | dict[str, Any]) -> StepRecord:
    """``record`` typed: a :class:`StepRecord` as it is, a trajectory line read."""
    return record if isinstance(record, StepRecord) else StepRecord.from_line(record)
