"""``--approve``: show what would run and ask for a verdict on the terminal."""

from __future__ import annotations

from typing import Any

import click
import typer
from rich.panel import Panel
from rich.syntax import Syntax

from agentkit.cli.output import console

__all__ = ["ask"]

CHOICES = {"a": "approve", "e": "edit", "r": "reject"}


def ask(request: dict[str, Any]) -> dict[str, Any]:
    """Show ``request`` (a program or a tool call) and return the person's verdict."""
    code = request.get("code")
    if code:
        body: Any = Syntax(code, "python", line_numbers=True)
        title = "program"
    else:
        body = f"{request.get('name')}({request.get('argument') or ''})"
        title = f"{request.get('kind')} call"
    reason = request.get("reason") or ""
    console.print(Panel(body, title=f"approve this {title}?", subtitle=reason[:100] or None))
    answer = typer.prompt("[a]pprove, [e]dit or [r]eject", default="a").strip().lower()[:1]
    action = CHOICES.get(answer, "reject")
    if action == "edit":
        if code:
            edited = click.edit(code, extension=".py")
            return {"action": "edit", "code": edited if edited is not None else code}
        argument = typer.prompt("new argument", default=request.get("argument") or "")
        return {"action": "edit", "argument": argument}
    if action == "reject":
        return {"action": "reject", "reason": typer.prompt("why", default="rejected")}
    return {"action": "approve"}
