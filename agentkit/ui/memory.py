"""Skills and episodes of a home's memory, read straight from ``records.sqlite``, read-only.

The viewer never opens the memory through :class:`agentkit.memory.SkillLibrary`: that
takes the folder's lock (a learning run in progress would wait for the viewer, or the
viewer for it) and needs the embedder. SQLite's canonical records are enough to show
skills, versions, verdicts and episodes; each request opens a ``mode=ro`` connection, so
a writer in another process is never blocked (the records are in WAL mode).

Records are parsed with the memory's own models (:class:`agentkit.memory.Skill`,
:class:`agentkit.memory.Episode`), so what is shown is what the library would return.
Pages are SQL ``LIMIT``/``OFFSET`` over the primary key, so a 100,000-skill library lists
as fast as a small one; only the rows of the page are parsed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agentkit.memory import Episode, Skill, memory_folder

__all__ = ["MemoryReader"]

RECORDS = "records.sqlite"


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _skill_row(skill: Skill) -> dict[str, Any]:
    return {
        "name": skill.name,
        "version": skill.version,
        "environment": skill.environment,
        "description": skill.description,
        "language": skill.language,
        "successes": skill.successes,
        "failures": skill.failures,
        "verified": skill.verified,
        "episode": skill.episode,
        "created": skill.created,
    }


class MemoryReader:
    """Read-only queries over ``<home>/memory/records.sqlite``."""

    def __init__(self, home: Path) -> None:
        self.path = memory_folder(home) / RECORDS

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5.0)
        try:
            yield conn
        finally:
            conn.close()

    # skills ------------------------------------------------------------------------
    def skills(
        self,
        *,
        text: str = "",
        environment: str = "",
        offset: int = 0,
        limit: int = 50,
    ) -> dict[str, Any]:
        """A page of skills (latest version of each name), by name."""
        if not self.exists:
            return {"total": 0, "offset": offset, "skills": [], "environments": []}
        where, params = ["1=1"], []
        if text:
            where.append("name LIKE ? ESCAPE '\\'")
            params.append(_like(text))
        if environment:
            where.append("environment = ?")
            params.append(environment)
        clause = " AND ".join(where)
        with self._connect() as conn:
            total = conn.execute(
                f"SELECT COUNT(DISTINCT name) FROM skills WHERE {clause}", params
            ).fetchone()[0]
            names = conn.execute(
                f"SELECT name, MAX(version) FROM skills WHERE {clause} "
                "GROUP BY name ORDER BY name LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
            rows = []
            for name, version in names:
                data = conn.execute(
                    "SELECT data FROM skills WHERE name=? AND version=?", (name, version)
                ).fetchone()[0]
                rows.append(_skill_row(Skill.model_validate_json(data)))
            environments = [
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT environment FROM skills ORDER BY environment LIMIT 100"
                )
            ]
        return {"total": total, "offset": offset, "skills": rows, "environments": environments}

    def skill(self, name: str) -> dict[str, Any] | None:
        """Every version of ``name`` (code, lineage, verdicts) and the episodes that made or
        used it."""
        if not self.exists:
            return None
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT data FROM skills WHERE name=? ORDER BY version", (name,)
            ).fetchall()
            if not rows:
                return None
            versions = [Skill.model_validate_json(row[0]) for row in rows]
            refs = [skill.ref for skill in versions]
            learned_in = {skill.episode for skill in versions if skill.episode}
            marks = ",".join("?" * len(refs))
            produced = conn.execute(
                f"SELECT data FROM episodes WHERE json_extract(data, '$.skill') IN ({marks}) "
                "ORDER BY created LIMIT 200",
                refs,
            ).fetchall()
        episodes = [Episode.model_validate_json(row[0]) for row in produced]
        return {
            "name": name,
            "versions": [
                {
                    **_skill_row(skill),
                    "code": skill.code,
                    "parent_version": skill.parent_version,
                    "verdicts": skill.verdicts,
                    "ref": skill.ref,
                }
                for skill in versions
            ],
            "learned_in": sorted(learned_in),
            "episodes": [_episode_row(episode) for episode in episodes],
        }

    # episodes ----------------------------------------------------------------------
    def episodes(
        self,
        *,
        run_id: str = "",
        success: bool | None = None,
        text: str = "",
        offset: int = 0,
        limit: int = 50,
    ) -> dict[str, Any]:
        """A page of episodes, newest first."""
        if not self.exists:
            return {"total": 0, "offset": offset, "episodes": []}
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if run_id:
            where.append("run_id = ?")
            params.append(run_id)
        if success is not None:
            where.append("success = ?")
            params.append(int(success))
        if text:
            where.append("json_extract(data, '$.task') LIKE ? ESCAPE '\\'")
            params.append(_like(text))
        clause = " AND ".join(where)
        with self._connect() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM episodes WHERE {clause}", params).fetchone()
            rows = conn.execute(
                f"SELECT data FROM episodes WHERE {clause} ORDER BY created DESC, id "
                "LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return {
            "total": total[0],
            "offset": offset,
            "episodes": [_episode_row(Episode.model_validate_json(row[0])) for row in rows],
        }

    def counts(self) -> dict[str, int]:
        if not self.exists:
            return {"skills": 0, "skill_versions": 0, "episodes": 0}
        with self._connect() as conn:
            skills, versions = conn.execute(
                "SELECT COUNT(DISTINCT name), COUNT(*) FROM skills"
            ).fetchone()
            episodes = conn.execute("SELECT COUNT(*) FROM episodes").fetchone()[0]
        return {"skills": skills, "skill_versions": versions, "episodes": episodes}


def _episode_row(episode: Episode) -> dict[str, Any]:
    return episode.model_dump(exclude={"frames"}) | {"frames": len(episode.frames)}
