"""The skill library: versioned skills kept in SQLite, found by their descriptions in Chroma.

Rules (Voyager overwrote a skill when it was rewritten; here nothing is lost):

- a new name is stored as version 1;
- the same name with the same code (ignoring trailing whitespace and line endings) makes no
  new version: the verdicts and success/failure counts are merged into the latest version;
- the same name with different code becomes version n+1 whose ``parent_version`` is n, and
  every older version stays readable;
- only the description is embedded (code is not what a task resembles), and the index
  holds the latest version of each name.

Search (:meth:`SkillLibrary.search`, what the recall node calls) fuses two rankings by
reciprocal rank: the dense one (Chroma's HNSW over the descriptions' embeddings) and BM25
over the same descriptions (an SQLite FTS5 table beside the records, rebuilt from them when
missing). Filters (environment, language, verified only) apply inside both. A hit's
``score`` stays the cosine similarity, so thresholds on it keep their meaning.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from agentkit.memory.embedders import Embedder
from agentkit.memory.entries import IndexEntry
from agentkit.memory.location import MemoryLocation
from agentkit.memory.records import Records
from agentkit.memory.spelling import correct_query
from agentkit.memory.store import HnswSettings, Store, where_clause

__all__ = [
    "PACK_FORMAT",
    "PACK_VERSION",
    "SearchMode",
    "Skill",
    "SkillHit",
    "SkillLibrary",
    "validate_name",
]

SearchMode = Literal["hybrid", "dense", "lexical"]

PACK_FORMAT = "agentkit-skill-pack"
PACK_VERSION = 1
_NAME = re.compile(r"[A-Za-z0-9_ -]{1,80}")


class Skill(BaseModel):
    """One version of a skill with what the critic said about it."""

    name: str
    description: str
    code: str
    language: str = "python"
    environment: str = ""
    version: int = 1
    parent_version: int | None = None
    verdicts: list[dict[str, Any]] = Field(default_factory=list)
    successes: int = 0
    failures: int = 0
    episode: str | None = None
    created: float = 0.0

    @property
    def ref(self) -> str:
        """``name@vN``, the way episodes refer to the skill they produced."""
        return f"{self.name}@v{self.version}"

    @property
    def verified(self) -> bool:
        """A critic (or an environment's check) has confirmed a success of this version."""
        return any(verdict.get("success") is True for verdict in self.verdicts)


class SkillHit(BaseModel):
    """A search result: the latest version of a skill and its cosine similarity to the query;
    ``fused`` is its reciprocal-rank score in hybrid search (None in dense search)."""

    skill: Skill
    score: float
    fused: float | None = None


def validate_name(name: str) -> str:
    """A skill name is 1-80 of ``A-Z a-z 0-9 _ - space``, not starting or ending with a space."""
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name.strip() != name:
        raise ValueError(
            f"invalid skill name {name!r}: use 1 to 80 letters, digits, '_', '-' or spaces, "
            "not starting or ending with a space"
        )
    return name


def _code_hash(code: str) -> str:
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    normal = "\n".join(line.rstrip() for line in lines).strip("\n")
    return hashlib.sha256(normal.encode()).hexdigest()


def _entry(skill: Skill) -> IndexEntry:
    return IndexEntry(
        skill.name,
        skill.description,
        {
            "version": skill.version,
            "environment": skill.environment,
            "language": skill.language,
            "verified": skill.verified,
        },
    )


class SkillLibrary:
    """Versioned skills in a memory folder (``records.sqlite`` and ``chroma/``) or on the
    servers of a ``postgresql://...?chroma=...`` URL; see the module doc.

    Open with :meth:`open`; the library is reconciled with its index on opening, so it is
    consistent even after a writer was killed mid-write.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self.folder = store.folder  # None on the server backend
        self.location = store.location

    @classmethod
    def open(
        cls,
        folder: Path | str | MemoryLocation,
        embedder: Embedder,
        *,
        reindex: bool = False,
        wait: float = 10.0,
        hnsw: HnswSettings | None = None,
    ) -> SkillLibrary:
        """Open or create; ``reindex=True`` accepts a different embedder and rebuilds for it.

        ``folder`` is the memory folder, or a ``postgresql://USER@HOST:PORT/DB?chroma=URL``
        location for the server backend (``agentkit.memory.location``); ``wait`` is how long
        to wait for the folder's lock or the database's connection.

        ``hnsw`` sets the Chroma index's HNSW parameters (``store.HNSW_DEFAULTS`` when None):
        ``ef_search`` applies to an existing index too, the graph settings only to a new one.
        """
        store = Store(
            folder,
            "skills",
            embedder,
            _canonical,
            reindex=reindex,
            wait=wait,
            hnsw=hnsw,
            lexical=True,
        )
        return cls(store)

    # -- reading

    @property
    def _conn(self) -> Records:
        if self._store.conn is None or self._store.closed:
            raise RuntimeError(f"the skill library in {self.location} is closed")
        return self._store.conn

    @property
    def embedder(self) -> Embedder:
        return self._store.index.embedder

    def get(self, name: str, version: int | None = None) -> Skill | None:
        """A version of ``name`` (the latest when ``version`` is None), or None."""
        if version is None:
            row = self._conn.execute(
                "SELECT data FROM skills WHERE name=? ORDER BY version DESC LIMIT 1", (name,)
            ).fetchone()
        else:
            row = self._conn.execute(
                "SELECT data FROM skills WHERE name=? AND version=?", (name, version)
            ).fetchone()
        return None if row is None else Skill.model_validate_json(row[0])

    def versions(self, name: str) -> builtins.list[Skill]:
        """Every version of ``name``, oldest first."""
        rows = self._conn.execute(
            "SELECT data FROM skills WHERE name=? ORDER BY version", (name,)
        ).fetchall()
        return [Skill.model_validate_json(row[0]) for row in rows]

    def list(self, environment: str | None = None) -> list[Skill]:
        """The latest version of every skill, by name; only ``environment``'s when given."""
        return [
            skill
            for skill in _latest(self._conn, None)
            if environment is None or skill.environment == environment
        ]

    def __len__(self) -> int:
        row = self._conn.execute("SELECT COUNT(DISTINCT name) FROM skills").fetchone()
        return int(row[0])

    def search(
        self,
        query: str,
        k: int = 5,
        environment: str | None = None,
        *,
        language: str | None = None,
        verified_only: bool = False,
        mode: SearchMode = "hybrid",
        candidates: int = 50,
        spelling: bool = True,
    ) -> builtins.list[SkillHit]:
        """The ``k`` skills that best match ``query``, best first.

        ``mode``: "hybrid" (default) fuses the ``candidates`` nearest by embedding with the
        ``candidates`` best by BM25; "dense" and "lexical" use one ranking alone (the other
        is not computed). Filters keep only skills of ``environment``, of ``language`` and,
        with ``verified_only``, those a critic has confirmed. With ``spelling`` a word
        neither English nor in any description is corrected first
        (:mod:`agentkit.memory.spelling`).
        """
        where = where_clause(
            {
                "environment": environment,
                "language": language,
                "verified": True if verified_only else None,
            }
        )
        index = self._store.index
        if spelling:
            query = correct_query(query, known=self._described)
        found: builtins.list[tuple[str, float, dict[str, Any], float | None]]
        if mode == "dense":
            found = [(n, s, m, None) for n, s, m in index.query(query, k, where)]
        elif mode in ("hybrid", "lexical"):
            found = [
                (n, s, m, f)
                for n, s, m, f in index.hybrid(
                    query, k, where, candidates=candidates, dense=mode == "hybrid"
                )
            ]
        else:
            raise ValueError(f"search mode must be hybrid, dense or lexical, not {mode!r}")
        hits: builtins.list[SkillHit] = []
        for name, score, metadata, fused in found:
            skill = self.get(name, int(metadata.get("version", 0)) or None)
            if skill is not None:
                hits.append(SkillHit(skill=skill, score=score, fused=fused))
        return hits

    def _described(self, word: str) -> bool:
        """Whether some skill's description has ``word`` (as full-text search reads it)."""
        lexical = self._store.index.lexical
        return lexical is not None and bool(lexical.search(word, 1))

    @property
    def index(self) -> Any:
        """The library's :class:`~agentkit.memory.store.VectorIndex` (settings, cache)."""
        return self._store.index

    # -- writing

    def add(self, skill: Skill) -> Skill:
        """Store ``skill`` under the versioning rules and return the version stored."""
        stored, changed = self._add_many([skill], match_any=False)[0]
        if changed:
            self._store.index.sync([stored.name])
        return stored

    def add_many(self, skills: Sequence[Skill]) -> builtins.list[Skill]:
        """:meth:`add` for many skills: one transaction for the records, then one batched
        index update (embedding in batches), which is what makes bulk ingest fast."""
        results = self._add_many(skills, match_any=False)
        touched = sorted({skill.name for skill, _outcome in results})  # merged verdicts too
        if touched:
            self._store.index.sync(touched)
        return [skill for skill, _outcome in results]

    def _add_many(
        self, skills: Sequence[Skill], *, match_any: bool
    ) -> builtins.list[tuple[Skill, str]]:
        """Add in one transaction; each result says "added", "versioned" or "" (unchanged)."""
        results: builtins.list[tuple[Skill, str]] = []
        # every writer of a name takes its lock first (all of a batch's names in one sorted
        # statement), so the next version is read and written by one writer at a time
        with self._store.transaction(lock=[f"skill:{skill.name}" for skill in skills]):
            for skill in skills:
                results.append(self._add_one(skill, match_any=match_any))
        return results

    def _add_one(self, skill: Skill, *, match_any: bool) -> tuple[Skill, str]:
        validate_name(skill.name)
        code_hash = _code_hash(skill.code)
        rows = self._conn.execute(
            "SELECT version, code_hash, data FROM skills WHERE name=? ORDER BY version",
            (skill.name,),
        ).fetchall()
        if rows:
            candidates = rows if match_any else rows[-1:]
            same = next((row for row in candidates if row[1] == code_hash), None)
            if same is not None:
                existing = Skill.model_validate_json(same[2])
                if match_any:  # importing a pack twice must not double its counts
                    return existing, ""
                merged = existing.model_copy(
                    update={
                        "verdicts": existing.verdicts + list(skill.verdicts),
                        "successes": existing.successes + skill.successes,
                        "failures": existing.failures + skill.failures,
                    }
                )
                self._write(merged, code_hash, replace=True)
                return merged, ""
            latest = int(rows[-1][0])
            stored = skill.model_copy(
                update={
                    "version": latest + 1,
                    "parent_version": latest,
                    "created": skill.created or time.time(),
                }
            )
            self._write(stored, code_hash)
            return stored, "versioned"
        stored = skill.model_copy(
            update={"version": 1, "parent_version": None, "created": skill.created or time.time()}
        )
        self._write(stored, code_hash)
        return stored, "added"

    def _write(self, skill: Skill, code_hash: str, *, replace: bool = False) -> None:
        upsert = (
            " ON CONFLICT (name, version) DO UPDATE SET environment=excluded.environment, "
            "code_hash=excluded.code_hash, created=excluded.created, data=excluded.data"
        )
        self._conn.execute(
            "INSERT INTO skills (name, version, environment, code_hash, created, data) "
            "VALUES (?, ?, ?, ?, ?, ?)" + (upsert if replace else ""),
            (
                skill.name,
                skill.version,
                skill.environment,
                code_hash,
                skill.created,
                skill.model_dump_json(),
            ),
        )

    def record_outcome(
        self, name: str, version: int, success: bool, verdict: dict[str, Any] | None = None
    ) -> None:
        """Count one use of ``name`` version ``version`` and keep the critic's verdict."""
        was_verified = None
        with self._store.transaction(lock=[f"skill:{name}"]):
            row = self._conn.execute(
                "SELECT data FROM skills WHERE name=? AND version=?", (name, version)
            ).fetchone()
            if row is None:
                raise LookupError(f"no skill {name!r} version {version} in {self.location}")
            skill = Skill.model_validate_json(row[0])
            was_verified = skill.verified
            update: dict[str, Any] = {
                "successes": skill.successes + int(success),
                "failures": skill.failures + int(not success),
            }
            if verdict is not None:
                update["verdicts"] = [*skill.verdicts, dict(verdict)]
            skill = skill.model_copy(update=update)
            self._conn.execute(
                "UPDATE skills SET data=? WHERE name=? AND version=?",
                (skill.model_dump_json(), name, version),
            )
        if skill.verified != was_verified:  # the "verified" filter field changed
            self._store.index.sync([name])

    # -- packs

    def export_pack(self, path: Path) -> int:
        """Write every version of every skill to a portable JSON pack; returns the count."""
        rows = self._conn.execute("SELECT data FROM skills ORDER BY name, version").fetchall()
        skills = [json.loads(row[0]) for row in rows]
        pack: dict[str, Any] = {"format": PACK_FORMAT, "version": PACK_VERSION, "skills": skills}
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(pack, indent=1))
        partial.replace(path)
        return len(skills)

    def import_pack(self, path: Path) -> dict[str, int]:
        """Add a pack's skills (versioning rules apply; code already present is unchanged)."""
        skills = read_pack(Path(path))
        ordered = sorted(skills, key=lambda skill: (skill.name, skill.version))
        results = self._add_many(ordered, match_any=True)
        counts = {"added": 0, "versioned": 0, "unchanged": 0}
        for _skill, outcome in results:
            counts[outcome or "unchanged"] += 1
        touched = sorted({skill.name for skill, outcome in results if outcome})
        if touched:
            self._store.index.sync(touched)
        return counts

    # -- consistency

    def check(self) -> dict[str, Any]:
        """Canonical and indexed counts, and the ids missing from, orphaned in or stale in the
        index (all empty after opening)."""
        return self._store.index.check()

    def reindex(self, embedder: Embedder) -> None:
        """Re-embed every skill with ``embedder`` and make it the library's embedder."""
        self._store.index.reindex(embedder)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> SkillLibrary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_pack(path: Path) -> list[Skill]:
    """The skills of a pack file, or a ValueError that says what is wrong with it."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not a skill pack: not readable JSON ({error})") from error
    if not isinstance(data, dict) or data.get("format") != PACK_FORMAT:
        raise ValueError(f'{path} is not a skill pack: it needs "format": "{PACK_FORMAT}"')
    if data.get("version") != PACK_VERSION:
        raise ValueError(
            f"{path}: skill pack version {data.get('version')!r} is not supported "
            f"(this agentkit reads version {PACK_VERSION})"
        )
    if not isinstance(data.get("skills"), list):
        raise ValueError(f'{path} is not a skill pack: "skills" must be a list')
    skills = []
    for index, item in enumerate(data["skills"]):
        try:
            skill = Skill.model_validate(item)
            validate_name(skill.name)
        except (ValidationError, ValueError) as error:
            raise ValueError(f"{path}: skill #{index} is invalid: {error}") from error
        skills.append(skill)
    return skills


def _latest(conn: Records, names: Sequence[str] | None) -> list[Skill]:
    query = (
        "SELECT s.data FROM skills s JOIN (SELECT name, MAX(version) AS v FROM skills "
        "{where} GROUP BY name) m ON s.name = m.name AND s.version = m.v ORDER BY s.name"
    )
    if names is None:
        rows = conn.execute(query.format(where="")).fetchall()
    else:
        rows = []
        for start in range(0, len(names), 500):
            chunk = list(names[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows += conn.execute(query.format(where=f"WHERE name IN ({marks})"), chunk).fetchall()
    return [Skill.model_validate_json(row[0]) for row in rows]


def _canonical(conn: Records) -> Any:
    def entries(names: Sequence[str] | None) -> list[IndexEntry]:
        return [_entry(skill) for skill in _latest(conn, names)]

    return entries
