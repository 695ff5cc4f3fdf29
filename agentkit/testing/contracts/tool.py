"""The tool contract: what the executor relies on when the controller calls a tool.

A tool is offered to the controller as an action with one free-text argument; agentkit
calls ``tool.invoke(argument or "")`` and shows ``str(result)`` (cut to 500 characters). A
tool signals failure by raising: agentkit turns the exception into ``ok=False`` feedback,
whereas an error returned as a string would count as success.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from langchain_core.tools import BaseTool

from agentkit.executor import run_tool
from agentkit.steps import parse_label
from agentkit.testing.contracts._discovery import registered_through

__all__ = ["ToolContract"]


class ToolContract:
    """Subclass as ``TestX(ToolContract)``; implement :meth:`make_tool`.

    Set ``good_input`` to an argument the tool handles, ``bad_input`` to one it must reject
    (None skips that check), and ``entry_point`` to check that agentkit finds the plugin.
    """

    good_input: str = ""
    bad_input: str | None = None
    entry_point: str | None = None

    def make_tool(self) -> BaseTool:
        """The tool under test."""
        raise NotImplementedError("implement make_tool() to return your LangChain tool")

    def _run(self, tool: BaseTool, argument: str) -> tuple[bool, str]:
        # The executor's own call path, so the suite moves with agentkit.
        return run_tool(cast(Any, SimpleNamespace(tools=[tool])), tool.name, argument)

    def test_is_a_langchain_tool_with_a_name_and_description(self) -> None:
        tool = self.make_tool()
        assert isinstance(tool, BaseTool), (
            f"make_tool() returned {type(tool).__name__}; register a "
            "langchain_core.tools.BaseTool (the @tool decorator makes one)"
        )
        assert tool.name.strip() and not any(c.isspace() for c in tool.name), (
            f"tool name {tool.name!r} must be non-empty without spaces: it is an action name"
        )
        assert parse_label(tool.name)[0] is None, (
            f"tool name {tool.name!r} is reserved by agentkit"
        )
        assert tool.description.strip(), (
            "the tool needs a description: the controller sees its first 120 characters"
        )

    def test_a_string_argument_gives_printable_output(self) -> None:
        tool = self.make_tool()
        try:
            result = tool.invoke(self.good_input)
        except Exception as error:
            raise AssertionError(
                f"invoke({self.good_input!r}) raised {type(error).__name__}: {error}; the "
                "controller passes one string, so accept a single string argument "
                "(or set good_input to one the tool handles)"
            ) from error
        assert isinstance(str(result), str)
        ok, feedback = self._run(tool, self.good_input)
        assert ok, f"agentkit reports the call as failed: {feedback}"
        assert feedback.strip(), (
            "the tool's output is empty; the controller learns nothing from the call"
        )

    def test_errors_are_raised_not_returned(self) -> None:
        if self.bad_input is None:
            pytest.skip("set bad_input to an argument the tool must reject")
        ok, feedback = self._run(self.make_tool(), self.bad_input)
        assert not ok, (
            f"invoke({self.bad_input!r}) returned {feedback!r} instead of raising; raise an "
            "exception (e.g. ValueError or ToolException) so agentkit reports ok=False"
        )
        assert feedback.strip()

    def test_is_deterministic_for_the_same_input(self) -> None:
        first = self._run(self.make_tool(), self.good_input)
        second = self._run(self.make_tool(), self.good_input)
        assert first == second, (
            f"the same input gave {first} then {second}; if the tool is meant to vary "
            "(time, network), override this test"
        )

    def test_discoverable_through_its_entry_point(self) -> None:
        if self.entry_point is None:
            pytest.skip("set entry_point = '<name>' to check that agentkit finds the plugin")
        calls = registered_through(self.entry_point, "register_tools")
        name = self.make_tool().name
        names = [getattr(args[0] if args else None, "name", None) for args, _ in calls]
        assert name in names, (
            f"plugin {self.entry_point!r} registers tools {names}, not one named {name!r}"
        )
