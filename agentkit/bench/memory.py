"""``agentkit bench memory``: a skill index at scale, per installed embedder.

For each embedder (``register_embedders``) and each size N, an embedded Chroma
``PersistentClient`` in a fresh folder under ``--out`` gets a cosine-space collection with N
synthetic skill descriptions plus the labelled target skills of
:mod:`agentkit.bench.skill_corpus`. Embeddings are always computed by the embedder and
passed to Chroma explicitly (Chroma's own default embedding function would download a
model). Measured:

- **ingest**: skills per second for embedding (batches of ``batch_size``) and for inserting
  into Chroma, separately, and both together;
- **query latency**: ``queries`` single-text queries (the labelled tasks, then synthetic
  ones, cycled), each embedded alone then searched for the top 5: p50 and p99 of the
  embedding, of the search and of both;
- **top-5 accuracy**: the share of labelled tasks whose target skill is among the 5 nearest
  that Chroma returns (its HNSW index is approximate), and the same share by exact
  brute-force cosine search over the stored vectors, which separates the embedder's
  quality from the index's recall.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from agentkit.bench.skill_corpus import LABELLED, synthetic_skills

__all__ = ["TOP_K", "markdown", "run_memory_bench", "write_memory_results"]

TOP_K = 5
Progress = Callable[[str], None]


def _percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _latency(values: Sequence[float]) -> dict[str, float]:
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


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _exact_top(matrix: np.ndarray, query: list[float], k: int = TOP_K) -> set[int]:
    """Row numbers of the ``k`` stored vectors nearest to ``query`` by cosine, exactly."""
    vector = np.asarray(query, dtype=np.float64)
    scores = matrix @ (vector / (np.linalg.norm(vector) or 1.0))
    k = min(k, len(scores))
    return {int(row) for row in np.argpartition(-scores, k - 1)[:k]}


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def bench_one(
    name: str,
    embedder: Any,
    dimension: int,
    size: int,
    out: Path,
    *,
    queries: int = 200,
    batch_size: int = 256,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Ingest ``size`` synthetic skills plus the labelled targets, then query; one result."""
    import chromadb

    say = progress or (lambda _message: None)
    targets = [target for _task, target in LABELLED]
    synthetic = synthetic_skills(size)
    documents = synthetic + targets
    ids = [f"s{index}" for index in range(len(synthetic))]
    ids += [f"t{index}" for index in range(len(targets))]
    folder = Path(tempfile.mkdtemp(prefix=f"chroma-{name}-{size}-", dir=out))
    try:
        client = chromadb.PersistentClient(path=str(folder))
        collection = client.create_collection(
            "skills",
            metadata={"hnsw:space": "cosine", "embedder": name, "dimension": dimension},
        )
        max_batch = min(batch_size, client.get_max_batch_size())
        embed_seconds = insert_seconds = 0.0
        stored_vectors: list[list[float]] = []
        for start in range(0, len(documents), max_batch):
            say(f"{name}, {size:,} skills: ingest {start:,}/{len(documents):,}")
            chunk = documents[start : start + max_batch]
            began = time.perf_counter()
            vectors = _embed(embedder, chunk, dimension, name)
            embed_seconds += time.perf_counter() - began
            stored_vectors.extend(vectors)
            began = time.perf_counter()
            collection.add(
                ids=ids[start : start + max_batch],
                documents=chunk,
                embeddings=vectors,  # type: ignore[arg-type]
            )
            insert_seconds += time.perf_counter() - began
        stored = collection.count()
        if stored != len(documents):
            raise RuntimeError(f"Chroma holds {stored} skills after adding {len(documents)}")

        say(f"{name}, {size:,} skills: {queries} queries")
        tasks = [task for task, _target in LABELLED]
        texts = (tasks + synthetic[: max(0, queries - len(tasks))]) * queries
        embed_times: list[float] = []
        search_times: list[float] = []
        hits: list[bool] = []
        exact_hits: list[bool] = []
        matrix = _unit_rows(np.asarray(stored_vectors, dtype=np.float64))
        del stored_vectors
        for index, text in enumerate(texts[:queries]):
            began = time.perf_counter()
            vector = _embed(embedder, [text], dimension, name)
            embedded = time.perf_counter()
            found = collection.query(query_embeddings=vector, n_results=TOP_K)  # type: ignore[arg-type]
            done = time.perf_counter()
            embed_times.append(embedded - began)
            search_times.append(done - embedded)
            if index < len(tasks):
                hits.append(f"t{index}" in found["ids"][0])
                exact_hits.append(len(synthetic) + index in _exact_top(matrix, vector[0]))
        disk = _folder_bytes(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    total_seconds = embed_seconds + insert_seconds
    labelled = len(hits)
    return {
        "embedder": name,
        "dimension": dimension,
        "skills": size,
        "labelled_targets": len(targets),
        "collection_size": len(documents),
        "ingest": {
            "embed_seconds": embed_seconds,
            "insert_seconds": insert_seconds,
            "embed_skills_per_s": _rate(len(documents), embed_seconds),
            "insert_skills_per_s": _rate(len(documents), insert_seconds),
            "total_skills_per_s": _rate(len(documents), total_seconds),
            "batch_size": max_batch,
        },
        "query": {
            "count": len(search_times),
            "embed": _latency(embed_times),
            "search": _latency(search_times),
            "total": _latency([a + b for a, b in zip(embed_times, search_times, strict=True)]),
        },
        "top5": {
            "hits": sum(hits),
            "queries": labelled,
            "accuracy": sum(hits) / labelled if labelled else 0.0,
            "missed": [tasks[i] for i, hit in enumerate(hits) if not hit],
            "exact_hits": sum(exact_hits),
            "exact_accuracy": sum(exact_hits) / labelled if labelled else 0.0,
        },
        "disk_bytes": disk,
    }


def run_memory_bench(
    embedders: Mapping[str, Any],
    sizes: Sequence[int],
    out: Path,
    *,
    queries: int = 200,
    batch_size: int = 256,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Every embedder (``Named`` entries of ``Registry.embedders``) at every size."""
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
                    progress=progress,
                )
            )
    return {
        "sizes": list(sizes),
        "queries": queries,
        "top_k": TOP_K,
        "labelled_queries": len(LABELLED),
        "chroma": chromadb.__version__,
        "embedders": loads,
        "runs": runs,
    }


def markdown(results: Mapping[str, Any]) -> str:
    """The results as a markdown table, one row per embedder and size."""
    lines = [
        f"# agentkit bench memory (Chroma {results['chroma']}, cosine, top-{results['top_k']})",
        "",
        "| embedder | dim | skills | embed skills/s | insert skills/s | ingest skills/s "
        "| query p50 / p99 ms (embed + search) | search p50 / p99 ms | top-5 accuracy "
        "| top-5 exact search |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in results["runs"]:
        ingest, query, top5 = run["ingest"], run["query"], run["top5"]
        lines.append(
            f"| {run['embedder']} | {run['dimension']} | {run['skills']:,} + "
            f"{run['labelled_targets']} | {ingest['embed_skills_per_s']:,.0f} | "
            f"{ingest['insert_skills_per_s']:,.0f} | {ingest['total_skills_per_s']:,.0f} | "
            f"{query['total']['p50_ms']:.2f} / {query['total']['p99_ms']:.2f} | "
            f"{query['search']['p50_ms']:.2f} / {query['search']['p99_ms']:.2f} | "
            f"{top5['accuracy']:.0%} ({top5['hits']}/{top5['queries']}) | "
            f"{top5['exact_accuracy']:.0%} ({top5['exact_hits']}/{top5['queries']}) |"
        )
    lines.append("")
    for name, load in results["embedders"].items():
        lines.append(f"- {name} (plugin {load['plugin']}): loaded in {load['load_seconds']:.2f} s")
    lines.append(
        f"- {results['queries']} queries per run; the first {results['labelled_queries']} "
        "are the labelled paraphrased tasks scored for top-5 accuracy."
    )
    return "\n".join(lines) + "\n"


def write_memory_results(results: Mapping[str, Any], out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "results.json", "md": out / "results.md"}
    paths["json"].write_text(json.dumps(results, indent=2))
    paths["md"].write_text(markdown(results))
    return paths
