"""Every hook is documented in docs/hooks/ with its exact signature (datasette's habit)."""

import inspect
from pathlib import Path

import pytest

from agentkit.plugins import hookspecs

DOCS = Path(__file__).resolve().parents[1] / "docs" / "hooks"
HOOKS = [
    (name, fn)
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "agentkit_spec")
]


def test_there_are_hooks_to_document():
    assert {name for name, _ in HOOKS} >= {
        "register_environments",
        "register_perceivers",
        "register_tools",
        "register_models",
        "register_embedders",
        "register_commands",
        "on_episode_start",
        "on_step",
        "on_episode_end",
    }


@pytest.mark.parametrize(("name", "fn"), HOOKS, ids=[name for name, _ in HOOKS])
def test_hook_is_documented_with_its_signature(name, fn):
    page = DOCS / f"{name}.md"
    assert page.exists(), f"docs/hooks/{name}.md is missing"
    signature = f"{name}({', '.join(inspect.signature(fn).parameters)})"
    assert signature in page.read_text(), f"{page} does not show {signature}"
    assert fn.__doc__ and fn.__doc__.strip(), f"hookspec {name} needs a docstring"


def test_no_page_documents_a_hook_that_does_not_exist():
    names = {name for name, _ in HOOKS}
    assert {p.stem for p in DOCS.glob("*.md")} - {"index"} <= names
