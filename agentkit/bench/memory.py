"""``agentkit bench memory``: the skill library's own search at scale, per installed embedder.

For each embedder (``register_embedders``) and each size N, a :class:`SkillLibrary` in a
fresh folder under ``--out`` gets N synthetic skills plus the 50 labelled target skills of
:mod:`agentkit.bench.skill_corpus` (through ``add_many``: records in SQLite, the FTS5 table
and the Chroma index, exactly as the agent writes them). Every query goes through
``SkillLibrary.search``, what the recall node calls. Measured:

- **ingest**: skills per second for embedding and for the library's write path (records,
  FTS, Chroma) separately, and both together. With ``vector_cache`` the corpus vectors are
  read from (and written to) an ``.npy`` file, so the embedding rate is then timed on a
  sample of ``EMBED_SAMPLE`` texts embedded live;
- **accuracy**: top-5 on the development set (the 50 paraphrased tasks), on the held-out
  test set (200 tasks) and on the development set with typing errors (50), one row per
  technique (:data:`TECHNIQUES`); "exact" ranks by brute-force cosine over every vector,
  the upper bound of dense search;
- **latency**: p50 and p99 of each query end to end (embedding included, the query cache
  cleared first, so every query is embedded), again with the query cache warm, and with 8
  reader threads sharing the library;
- the load average before and after, since a shared machine makes timings noisy.

With ``memory`` (a ``postgresql://...?chroma=...`` URL, ``--memory`` on the command line) the
library lives on the server backend instead: each run gets a new database on that
PostgreSQL server (``CREATE DATABASE``, so the URL's user needs that right) and its own
collections on that Chroma server, both dropped afterwards.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from agentkit.bench.skill_corpus import LABELLED, dev_with_typos, synthetic_skills, test_set
from agentkit.memory.skills import SearchMode

__all__ = [
    "EMBED_SAMPLE",
    "TECHNIQUES",
    "TOP_K",
    "markdown",
    "run_memory_bench",
    "write_memory_results",
]

TOP_K = 5
EMBED_SAMPLE = 2048
READERS = 8
Progress = Callable[[str], None]

# (row name, search mode, ef_search or None for the library default, spelling correction);
# the last row is the library's default search
TECHNIQUES: tuple[tuple[str, SearchMode, int | None, bool], ...] = (
    ("dense, ef_search 100 (Chroma's default)", "dense", 100, False),
    ("dense, ef_search 200 (the library's default before)", "dense", 200, False),
    ("dense, library default ef_search", "dense", None, False),
    ("dense, ef_search 4000", "dense", 4000, False),
    ("lexical BM25 (FTS5) alone", "lexical", None, False),
    ("hybrid: dense + BM25, reciprocal rank", "hybrid", None, False),
    ("hybrid + spelling correction (library default)", "hybrid", None, True),
)


def _percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _latency(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"p50_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0}
    return {
        "p50_ms": _percentile(values, 50) * 1000,
        "p99_ms": _percentile(values, 99) * 1000,
        "mean_ms": sum(values) / len(values) * 1000,
    }


def _embed(embedder: Any, texts: list[str], dimension: int, name: str) -> list[list[float]]:
    vectors = [list(map(float, vector)) for vector in embedder.embed(texts)]
    if len(vectors) != len(texts):
        raise ValueError(f"embedder {name!r} returned {len(vectors)} vectors for {len(texts)}")
    for vector in vectors:
        if len(vector) != dimension:
            raise ValueError(
                f"embedder {name!r} registered dimension {dimension} but returned {len(vector)}"
            )
    return vectors


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not POSIX
        return []


class _BenchEmbedder:
    """The embedder under test, with known vectors served from a table and live calls timed."""

    def __init__(self, inner: Any, name: str, dimension: int) -> None:
        self.inner = inner
        self.name = name
        self.dimension = dimension
        self.known: dict[str, list[float]] = {}
        self.live_seconds = 0.0
        self.live_texts = 0
        self.remember = False  # keep live vectors (while ingesting: the corpus, not queries)
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> list[list[float]]:
        missing = [text for text in texts if text not in self.known]
        fresh: dict[str, list[float]] = {}
        if missing:
            began = time.perf_counter()
            vectors = _embed(self.inner, missing, self.dimension, self.name)
            with self._lock:
                self.live_seconds += time.perf_counter() - began
                self.live_texts += len(missing)
            fresh = dict(zip(missing, vectors, strict=True))
            if self.remember:
                self.known.update(fresh)
        return [self.known[text] if text in self.known else fresh[text] for text in texts]


def _cached_corpus(
    embedder: _BenchEmbedder, texts: list[str], cache: Path | None, say: Progress
) -> None:
    """Fill ``embedder.known`` for ``texts`` (synthetic, prefix-stable) from ``cache``,
    embedding and saving what it lacks."""
    if cache is None:
        return
    path = cache / f"{embedder.name}-synthetic.npy"
    stored = np.load(path) if path.exists() else np.zeros((0, embedder.dimension), np.float32)
    if len(stored) < len(texts):
        say(f"{embedder.name}: embedding {len(texts) - len(stored):,} corpus texts for the cache")
        rest = texts[len(stored) :]
        parts = [stored]
        for start in range(0, len(rest), 1024):
            chunk = rest[start : start + 1024]
            parts.append(np.asarray(embedder.inner.embed(chunk), dtype=np.float32))
        stored = np.concatenate(parts)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, stored)
    for text, row in zip(texts, stored[: len(texts)], strict=True):
        embedder.known[text] = row.tolist()


def _hit(hits: Sequence[Any], target: str) -> bool:
    return any(hit.skill.description == target for hit in hits)


def _exact(matrix: np.ndarray, query: Sequence[float], target_row: int) -> bool:
    vector = np.asarray(query, dtype=np.float32)
    scores = matrix @ (vector / (np.linalg.norm(vector) or 1.0))
    k = min(TOP_K, len(scores))
    return target_row in {int(i) for i in np.argpartition(-scores, k - 1)[:k]}


@contextlib.contextmanager
def _fresh_memory(memory: str | None, out: Path, name: str, size: int) -> Iterator[Any]:
    """Where one run's library lives: a new folder under ``out``, or with a server URL a new
    database on its PostgreSQL server (its collections and the database dropped after)."""
    from agentkit.memory.location import MemoryLocation

    if memory is None:
        folder = Path(tempfile.mkdtemp(prefix=f"skills-{name}-{size}-", dir=out))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg
    from psycopg import sql

    from agentkit.memory.vectors import HttpVectors

    server = MemoryLocation.parse(memory)
    assert server.records is not None and server.chroma is not None
    database = f"agentkit_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server.records, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    info = psycopg.conninfo.conninfo_to_dict(server.records)
    info["dbname"] = database
    dsn = psycopg.conninfo.make_conninfo("", **{k: v for k, v in info.items() if v is not None})
    try:
        yield MemoryLocation(records=dsn, chroma=server.chroma)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key='library'").fetchone()
        if row is not None:
            client = HttpVectors(server.chroma).client()
            for collection in client.list_collections():
                collection_name = getattr(collection, "name", collection)
                if f"-{row[0]}-" in collection_name:
                    client.delete_collection(collection_name)
        with psycopg.connect(server.records, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(database)))


def bench_one(
    name: str,
    embedder: Any,
    dimension: int,
    size: int,
    out: Path,
    *,
    queries: int = 300,
    batch_size: int = 1024,
    vector_cache: Path | None = None,
    readers: int = READERS,
    progress: Progress | None = None,
    memory: str | None = None,
) -> dict[str, Any]:
    """Ingest ``size`` synthetic skills plus the labelled targets, then query; one result
    (``memory``: a server URL, see the module doc; None: a folder under ``out``)."""
    from agentkit.memory import Skill, SkillLibrary
    from agentkit.memory.store import HNSW_DEFAULTS

    say = progress or (lambda _message: None)
    load_before = _load()
    targets = [target for _task, target in LABELLED]
    synthetic = synthetic_skills(size)
    documents = synthetic + targets
    bench = _BenchEmbedder(embedder, name, dimension)
    _cached_corpus(bench, synthetic, vector_cache, say)
    with _fresh_memory(memory, out, name, size) as where:
        library = SkillLibrary.open(where, bench)
        skills = [
            Skill(name=f"s{i}", description=text, code="pass", environment="bench")
            for i, text in enumerate(synthetic)
        ] + [
            Skill(name=f"t{i}", description=text, code="pass", environment="bench")
            for i, text in enumerate(targets)
        ]
        bench.remember = True
        began = time.perf_counter()
        for start in range(0, len(skills), batch_size):
            say(f"{name}, {size:,} skills: ingest {start:,}/{len(skills):,}")
            library.add_many(skills[start : start + batch_size])
        ingest_seconds = time.perf_counter() - began
        bench.remember = False
        live_seconds, live_texts = bench.live_seconds, bench.live_texts
        insert_seconds = ingest_seconds - live_seconds
        if live_texts < min(EMBED_SAMPLE, len(documents)):  # vectors came from the cache
            sample = documents[: min(EMBED_SAMPLE, len(documents))]
            began = time.perf_counter()
            for start in range(0, len(sample), 256):
                _embed(embedder, sample[start : start + 256], dimension, name)
            live_seconds, live_texts = time.perf_counter() - began, len(sample)
        embed_rate = _rate(live_texts, live_seconds)
        if len(library) != len(documents):
            raise RuntimeError(f"the library holds {len(library)} skills, not {len(documents)}")

        dev = [(task, target) for task, target in LABELLED]
        test = [(task, target) for task, target, _style in test_set()]
        typos = list(dev_with_typos())
        labelled = (dev + test + typos)[: max(queries, 1)]
        dev_part = slice(0, len(dev))
        test_part = slice(len(dev), len(dev) + len(test))
        typos_part = slice(len(dev) + len(test), None)
        index = library.index
        matrix = np.asarray(bench.embed(documents), dtype=np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        row_of = {text: row for row, text in enumerate(documents)}
        techniques: list[dict[str, Any]] = []

        def score(hits: list[bool], part: slice) -> dict[str, Any]:
            got = hits[part]
            return {"hits": sum(got), "queries": len(got), "accuracy": _share(got)}

        for label, mode, ef_search, spelling in TECHNIQUES:
            if memory:  # the server's lexical half is BM25 over PostgreSQL's tsvector
                label = label.replace("(FTS5)", "(PostgreSQL tsvector)")
            say(f"{name}, {size:,} skills: {label}")
            ef = ef_search or HNSW_DEFAULTS.ef_search
            # set_ef_search reloads the index: a modify alone leaves a loaded index as it was
            applied = index.set_ef_search(ef)
            index.cache.clear()
            hits: list[bool] = []
            times: list[float] = []
            for task, target in labelled:
                began = time.perf_counter()
                found = library.search(task, k=TOP_K, mode=mode, spelling=spelling)
                times.append(time.perf_counter() - began)
                hits.append(_hit(found, target))
            techniques.append(
                {
                    "technique": label,
                    "mode": mode,
                    "ef_search": ef if mode != "lexical" else None,
                    "ef_search_applied": applied,
                    "spelling": spelling,
                    "dev": score(hits, dev_part),
                    "test": score(hits, test_part),
                    "dev_typos": score(hits, typos_part),
                    "missed_test": [
                        task
                        for (task, _), hit in zip(labelled[test_part], hits[test_part], strict=True)
                        if not hit
                    ],
                    "latency_cold": _latency(times),
                }
            )
        index.set_ef_search(HNSW_DEFAULTS.ef_search)
        exact = [
            _exact(matrix, index.query_vector(task), row_of[target]) for task, target in labelled
        ]
        techniques.insert(
            4,
            {
                "technique": "dense, exact cosine (brute force; upper bound, not a search path)",
                "mode": "exact",
                "ef_search": None,
                "spelling": False,
                "dev": score(exact, dev_part),
                "test": score(exact, test_part),
                "dev_typos": score(exact, typos_part),
                "latency_cold": None,
            },
        )
        say(f"{name}, {size:,} skills: warm cache, {readers} readers")
        warm: list[float] = []
        for task, _target in labelled:  # the cache holds every query from the hybrid row
            began = time.perf_counter()
            library.search(task, k=TOP_K)
            warm.append(time.perf_counter() - began)
        index.cache.clear()
        concurrent = _readers(library, [task for task, _ in labelled], readers)
        disk = _folder_bytes(where) if isinstance(where, Path) else None
        library.close()
    hybrid = techniques[-1]
    return {
        "embedder": name,
        "dimension": dimension,
        "skills": size,
        "labelled_targets": len(targets),
        "collection_size": len(documents),
        "hnsw": dict(vars(HNSW_DEFAULTS)),
        "ingest": {
            "embed_skills_per_s": embed_rate,
            "embed_measured_on": live_texts,
            "insert_seconds": insert_seconds,
            "insert_skills_per_s": _rate(len(documents), insert_seconds),
            "total_skills_per_s": _rate(
                len(documents), insert_seconds + len(documents) / embed_rate
            ),
            "batch_size": batch_size,
            "vectors_from_cache": vector_cache is not None,
        },
        "techniques": techniques,
        "query": {
            "count": len(labelled),
            "cold": hybrid["latency_cold"],
            "warm_cache": _latency(warm),
            "readers": concurrent,
        },
        "top5": {
            "dev": hybrid["dev"],
            "test": hybrid["test"],
            "accuracy": hybrid["test"]["accuracy"] if test else hybrid["dev"]["accuracy"],
        },
        "backend": "server" if memory else "embedded",
        "load_average": {"before": load_before, "after": _load()},
        "disk_bytes": disk,
    }


def _share(hits: Sequence[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


def _readers(library: Any, tasks: list[str], readers: int) -> dict[str, Any]:
    """``readers`` threads searching the same library at once, each its share of ``tasks``
    (the cache cleared first, so every query is embedded)."""
    times: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def run(part: list[str]) -> None:
        mine = []
        try:
            for task in part:
                began = time.perf_counter()
                library.search(task, k=TOP_K)
                mine.append(time.perf_counter() - began)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=run, args=(tasks[i::readers],)) for i in range(readers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if errors:
        raise errors[0]
    return {"threads": readers, **_latency(times), "queries_per_s": _rate(len(times), wall)}


def run_memory_bench(
    embedders: Mapping[str, Any],
    sizes: Sequence[int],
    out: Path,
    *,
    queries: int = 300,
    batch_size: int = 1024,
    vector_cache: Path | None = None,
    progress: Progress | None = None,
    memory: str | None = None,
) -> dict[str, Any]:
    """Every embedder (``Named`` entries of ``Registry.embedders``) at every size, in
    folders under ``out`` or, with ``memory`` (a server URL), on those servers."""
    if not embedders:
        raise LookupError(
            "no embedder is installed; install one, e.g. pip install -e plugins/agentkit-minilm"
        )
    if not sizes or any(size < 0 for size in sizes):
        raise ValueError(f"--skills needs sizes of 0 or more, got {list(sizes)}")
    if queries < 1:
        raise ValueError("queries must be at least 1")
    import chromadb

    out.mkdir(parents=True, exist_ok=True)
    runs = []
    loads = {}
    for name, entry in embedders.items():
        dimension = int(entry.extra["dimension"])
        say = progress or (lambda _message: None)
        say(f"{name}: loading")
        began = time.perf_counter()
        embedder = entry.factory()
        _embed(embedder, ["warm up"], dimension, name)
        loads[name] = {
            "plugin": entry.plugin,
            "dimension": dimension,
            "load_seconds": time.perf_counter() - began,
        }
        for size in sizes:
            runs.append(
                bench_one(
                    name,
                    embedder,
                    dimension,
                    size,
                    out,
                    queries=queries,
                    batch_size=batch_size,
                    vector_cache=vector_cache,
                    progress=progress,
                    memory=memory,
                )
            )
    return {
        "sizes": list(sizes),
        "queries": queries,
        "top_k": TOP_K,
        "dev_queries": len(LABELLED),
        "test_queries": len(test_set()),
        "dev_typo_queries": len(dev_with_typos()),
        "chroma": chromadb.__version__,
        "backend": "server" if memory else "embedded",
        "memory": _hide(memory) if memory else None,
        "cpus": os.cpu_count(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "embedders": loads,
        "runs": runs,
    }


def markdown(results: Mapping[str, Any]) -> str:
    """The results as markdown: one row per embedder and size, then one per technique."""
    lines = [
        f"# agentkit bench memory (Chroma {results['chroma']}, through SkillLibrary.search, "
        f"top-{results['top_k']})",
        "",
        "| embedder | dim | skills | embed skills/s | write skills/s | ingest skills/s "
        "| query p50 / p99 ms | warm cache p50 ms | 8 readers p50 / p99 ms, queries/s "
        "| top-5 dev | top-5 test | load avg |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in results["runs"]:
        ingest, query, top5 = run["ingest"], run["query"], run["top5"]
        readers = query["readers"]
        lines.append(
            f"| {run['embedder']} | {run['dimension']} | {run['skills']:,} + "
            f"{run['labelled_targets']} | {ingest['embed_skills_per_s']:,.0f} | "
            f"{ingest['insert_skills_per_s']:,.0f} | {ingest['total_skills_per_s']:,.0f} | "
            f"{query['cold']['p50_ms']:.2f} / {query['cold']['p99_ms']:.2f} | "
            f"{query['warm_cache']['p50_ms']:.2f} | "
            f"{readers['p50_ms']:.1f} / {readers['p99_ms']:.1f}, "
            f"{readers['queries_per_s']:.0f} | "
            f"{_cell(top5['dev'])} | {_cell(top5['test'])} | "
            f"{run['load_average']['before']} |"
        )
    lines += [
        "",
        "| embedder | skills | technique | top-5 dev | top-5 test | top-5 dev, typos "
        "| p50 / p99 ms |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in results["runs"]:
        for row in run["techniques"]:
            latency = row["latency_cold"]
            timing = f"{latency['p50_ms']:.2f} / {latency['p99_ms']:.2f}" if latency else "n/a"
            lines.append(
                f"| {run['embedder']} | {run['skills']:,} | {row['technique']} | "
                f"{_cell(row['dev'])} | {_cell(row['test'])} | "
                f"{_cell(row['dev_typos'])} | {timing} |"
            )
    lines.append("")
    for name, load in results["embedders"].items():
        lines.append(f"- {name} (plugin {load['plugin']}): loaded in {load['load_seconds']:.2f} s")
    lines.append(
        f"- {results['dev_queries']} development and {results['test_queries']} held-out test "
        "queries, and the development queries with typing errors "
        "(`skill_corpus.dev_with_typos`); latency is end to end (embedding included) with the "
        "query cache cleared."
    )
    return "\n".join(lines) + "\n"


def _hide(memory: str) -> str:
    from agentkit.memory.location import MemoryLocation

    return MemoryLocation._hide(memory)


def _cell(score: Mapping[str, Any]) -> str:
    if not score["queries"]:
        return "n/a"
    return f"{score['accuracy']:.0%} ({score['hits']}/{score['queries']})"


def write_memory_results(results: Mapping[str, Any], out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "results.json", "md": out / "results.md"}
    paths["json"].write_text(json.dumps(results, indent=2))
    paths["md"].write_text(markdown(results))
    return paths
