"""Every relative link in README.md and docs/ leads somewhere: the file or folder exists and,
for a ``#anchor`` into a markdown page, the page has that heading (GitHub's slugs)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.M | re.S)
CODE = re.compile(r"(`+).*?\1", re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M)
HTML_ID = re.compile(r"<a\s+[^>]*(?:name|id)=\"([^\"]+)\"", re.I)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # http:, https:, mailto:, ...


def prose(text: str) -> str:
    """The text without fenced code blocks and inline code, where links are not links."""
    return CODE.sub("", FENCE.sub("", text))


def links(text: str) -> list[str]:
    body = prose(text)
    return [*LINK.findall(body), *REFERENCE.findall(body)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the rendered text, lower case, without punctuation
    other than ``-`` and ``_``, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "")
    text = re.sub(r"(\*\*|__|\*)", "", text)
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every anchor a page has: its headings' slugs (repeats get -1, -2, ...) and HTML ids."""
    text = page.read_text(encoding="utf-8")
    found: set[str] = set(HTML_ID.findall(text))
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", text)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def broken(page: Path) -> list[str]:
    problems = []
    for target in links(page.read_text(encoding="utf-8")):
        if EXTERNAL.match(target):
            continue
        path, _, anchor = unquote(target).partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            problems.append(f"{target}: {_shown(resolved)} does not exist")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{target}: no heading #{anchor} in {_shown(resolved)}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_relative_link_resolves(page: Path) -> None:
    assert broken(page) == []


def test_the_checker_finds_broken_links_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text(
        "# The `run` command\n\n## Options (all)\n\n## Options (all)\n"
    )
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md) [ok](other.md#the-run-command) [ok](other.md#options-all-1) "
        "[ok](#here) [web](https://example.com/missing.md) ![img](other.md) [dir](.)\n"
        "[gone](missing.md) [bad](other.md#nope) [bad](#nowhere) [bad](other.md#options-all-2)\n"
        "```\n[in code](not-a-link.md)\n```\n`[inline](not-a-link.md)`\n"
        "[ref]: also-missing.md\n\n# Here\n"
    )
    flagged = [problem.split(": ", 1)[0] for problem in broken(page)]
    assert flagged == [
        "missing.md",
        "other.md#nope",
        "#nowhere",
        "other.md#options-all-2",
        "also-missing.md",
    ]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Runs, checkpoints and resuming", "runs-checkpoints-and-resuming"),
        ("`agentkit run --resume`", "agentkit-run---resume"),
        ("The [clip](x.md) perceiver", "the-clip-perceiver"),
        ("**Bold** and snake_case", "bold-and-snake_case"),
        ("Measured: 2 vCPUs (AVX-512)", "measured-2-vcpus-avx-512"),
    ],
)
def test_slugs_follow_github(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor
