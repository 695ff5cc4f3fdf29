"""``agentkit plugins new``: generate an installable plugin package that passes its tests.

A new plugin starts from a package that already works: an example implementation, the
entry point agentkit finds it through, and a test that runs the matching contract suite
(:mod:`agentkit.testing.contracts`). The author then edits working code instead of
assembling boilerplate from the docs.

The templates are package data under ``templates/``: ``common/`` holds the files every kind
shares, ``<kind>/`` the rest. Only ``.tmpl`` files are copied (the suffix keeps template
sources away from linters and test collection); ``__package__`` and ``__ident__`` in a path
and ``{{key}}`` in a file are replaced, and a ``dot-`` prefix becomes ``.``.
``<kind>/about.md`` and ``<kind>/try.md`` fill ``{{about}}`` and ``{{try_it}}`` in the README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["KINDS", "ScaffoldError", "Scaffolded", "scaffold", "validate_name"]

KINDS = ("perceiver", "tool", "environment")
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_KEY = re.compile(r"\{\{(\w+)\}\}")


class ScaffoldError(ValueError):
    """The plugin cannot be generated (a bad name or kind, or the folder is in use)."""


@dataclass(frozen=True)
class Scaffolded:
    """What was generated, for the next-steps message."""

    folder: Path
    name: str
    kind: str
    package: str
    distribution: str
    files: list[Path]


def validate_name(name: str) -> str:
    """A plugin name: lowercase letters, digits and single dashes, starting with a letter."""
    if not isinstance(name, str) or len(name) > 50 or not _NAME.fullmatch(name):
        raise ScaffoldError(
            f"invalid plugin name {name!r}: use lowercase letters, digits and dashes, starting "
            "with a letter (e.g. brightness or grid-world)"
        )
    if name.startswith("agentkit-") or name == "agentkit":
        raise ScaffoldError(
            f"leave out the 'agentkit-' prefix: {name.removeprefix('agentkit-')!r} becomes the "
            "folder agentkit-NAME and the import package agentkit_NAME"
        )
    return name


def _values(name: str, kind: str, distribution: str) -> dict[str, str]:
    ident = name.replace("-", "_")
    return {
        "name": name,
        "ident": ident,
        "package": f"agentkit_{ident}",
        "dist": distribution,
        "kind": kind,
        "class": "".join(part.capitalize() for part in name.split("-")),
        "title": " ".join(name.split("-")),
    }


def _render(text: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template placeholder {{{{{key}}}}} has no value")
        return values[key]

    return _KEY.sub(replace, text)


def _walk(folder: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    files = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            files += _walk(entry, (*prefix, entry.name))
        elif entry.name.endswith(".tmpl"):
            name = entry.name.removesuffix(".tmpl")
            name = "." + name.removeprefix("dot-") if name.startswith("dot-") else name
            files.append(((*prefix, name), entry.read_text("utf-8")))
    return files


def scaffold(
    name: str,
    kind: str,
    directory: Path | str = ".",
    *,
    distribution: str | None = None,
) -> Scaffolded:
    """Write the plugin ``agentkit-<name>/`` of ``kind`` into ``directory``.

    ``distribution`` is the name for PyPI (default ``agentkit-<name>``; see the generated
    README on choosing one). Refuses to write into a folder that exists and is not empty.
    """
    validate_name(name)
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    distribution = distribution or f"agentkit-{name}"
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", distribution):
        raise ScaffoldError(f"invalid distribution name {distribution!r}")
    folder = Path(directory) / f"agentkit-{name}"
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} already exists and is not empty; choose another --dir")
    values = _values(name, kind, distribution)
    templates = resources.files(__name__) / "templates"
    for key, fragment in (("about", "about.md"), ("try_it", "try.md")):
        values[key] = _render((templates / kind / fragment).read_text("utf-8"), values).strip()
    sources = _walk(templates / "common") + _walk(templates / kind)
    written = []
    for parts, text in sources:
        target = folder.joinpath(
            *(
                p.replace("__package__", values["package"]).replace("__ident__", values["ident"])
                for p in parts
            )
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_render(text, values), encoding="utf-8")
        written.append(target)
    return Scaffolded(folder, name, kind, values["package"], distribution, written)
