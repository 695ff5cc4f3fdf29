"""Step records: typed once, written as the flat trajectory line readers have always read."""

from __future__ import annotations

from agentkit.steps import Decision, Outcome, StepRecord, parse_label, skill_label

# The keys of a select-mode line as written before the records were typed (engine + observe).
OLD_KEYS = {
    "episode", "step", "env_steps", "action", "argument", "reason", "kind", "fallback", "ok",
    "feedback", "reward", "done", "events", "raw_actions", "subgoal", "env_seconds", "info",
    "iteration", "task", "prompt", "reply", "llm_calls", "llm_seconds", "llm_tokens",
}  # fmt: skip


def _record(decision: Decision, **outcome: object) -> StepRecord:
    return StepRecord(
        step=3, env_steps=7, episode=1, task="collect wood", subgoal="find a tree",
        decision=decision, outcome=Outcome(**outcome), env_seconds=0.01, llm_calls=2,
    )  # fmt: skip


def test_a_line_keeps_the_old_keys_and_reads_back_the_same_record() -> None:
    record = _record(Decision(kind="raw", name="noop", prompt="p", reply="r"), raw_actions=[0])
    line = record.to_line()
    assert set(line) == OLD_KEYS
    assert (line["action"], line["kind"], line["raw_actions"]) == ("noop", "raw", [0])
    assert StepRecord.from_line(line) == record


def test_a_skill_is_shown_by_its_label_and_typed_by_its_kind() -> None:
    decision = Decision(kind="skill", name="collect_wood")
    line = _record(decision, sandbox={"layers": ["seccomp"], "missing": {}}).to_line()
    assert line["action"] == skill_label("collect_wood") == "skill:collect_wood"
    assert line["kind"] == "skill" and "sandbox" in line
    again = StepRecord.from_line(line)
    assert (again.decision.kind, again.decision.name) == ("skill", "collect_wood")
    assert parse_label("skill:collect_wood") == ("skill", "collect_wood")
    assert parse_label("collect_wood") == (None, "collect_wood")


def test_a_skill_chosen_among_the_rules_steps_keeps_the_options_on_its_line() -> None:
    offered = ["place table", "skill:collect_wood"]
    decision = Decision(kind="skill", name="collect_wood", options=offered)
    line = _record(decision).to_line()
    assert line["options"] == offered and "label" not in line
    assert StepRecord.from_line(line).decision.options == offered
    assert "options" not in _record(Decision(name="noop")).to_line()


def test_old_lines_get_their_kind() -> None:
    select = {"step": 1, "action": "skill:get_wood", "argument": None, "kind": ""}
    assert StepRecord.from_line(select).decision.kind == "skill"
    program = {"step": 2, "action": "program", "code": "def run(): pass", "kind": ""}
    assert StepRecord.from_line(program).decision.code == "def run(): pass"
    assert StepRecord.from_line(program).decision.kind == "program"
    rule = {"step": 3, "action": "collect", "argument": "wood", "kind": "subgoal",
            "label": "collect wood", "options": ["collect wood"]}  # fmt: skip
    decision = StepRecord.from_line(rule).decision
    assert (decision.kind, decision.label, decision.planned) == ("primitive", "collect wood", True)
    assert decision.key == "collect wood"
    assert StepRecord.from_line({"action": "goto", "argument": "tree"}).decision.key == "goto(tree)"
