"""The viewer's web application: a JSON API over a home folder and the static front end.

``create_app(home)`` returns a Starlette application; :mod:`agentkit.ui.server` serves it
on 127.0.0.1. Every route is read-only except ``DELETE /api/runs/{id}`` and
``POST /api/skills/import`` (see :mod:`agentkit.ui.actions`). Requests whose ``Host`` is
not ``127.0.0.1`` or ``localhost`` are refused (a page elsewhere cannot reach the server
through a rebound DNS name).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from agentkit.ui.actions import TOKEN_HEADER, WriteAccess, delete_run, import_skills
from agentkit.ui.live import tail_events
from agentkit.ui.memory import MemoryReader
from agentkit.ui.results import bench_results, learning_curves
from agentkit.ui.runindex import RunIndex, run_folder
from agentkit.ui.trajectory import LineIndexCache

__all__ = ["ALLOWED_HOSTS", "Viewer", "create_app"]

STATIC = Path(__file__).parent / "static"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
MAX_PAGE = 500
MAX_PACK_BYTES = 64 << 20


@dataclass
class Viewer:
    """What the routes share: the home, its indexes, extra result folders, write access."""

    home: Path
    results: Sequence[Path] = ()
    write: WriteAccess = field(default_factory=WriteAccess)
    embedder: Any = "minilm"
    """A registered embedder's name (or an embedder), for importing skill packs."""
    runs: RunIndex = field(init=False)
    lines: LineIndexCache = field(default_factory=LineIndexCache)
    memory: MemoryReader = field(init=False)

    def __post_init__(self) -> None:
        self.runs = RunIndex(self.home)
        self.memory = MemoryReader(self.home)


def _int(request: Request, name: str, default: int, low: int = 0, high: int = 10**9) -> int:
    try:
        value = int(request.query_params.get(name, default))
    except ValueError:
        value = default
    return max(low, min(high, value))


def _viewer(request: Request) -> Viewer:
    viewer: Viewer = request.app.state.viewer
    return viewer


def _folder(request: Request) -> Path | None:
    return run_folder(_viewer(request).home, request.path_params["run_id"])


def _missing(what: str) -> JSONResponse:
    return JSONResponse({"error": f"no {what}"}, status_code=404)


# pages ------------------------------------------------------------------------------
def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})


def overview(request: Request) -> JSONResponse:
    viewer = _viewer(request)
    rows = viewer.runs.rows()
    return JSONResponse(
        {
            "home": str(viewer.home.resolve()),
            "runs": len(rows),
            "running": sum(1 for r in rows if r["status"] == "running"),
            "memory": viewer.memory.counts(),
            "write": viewer.write.enabled,
        }
    )


# runs -------------------------------------------------------------------------------
def runs(request: Request) -> JSONResponse:
    q = request.query_params
    page = _viewer(request).runs.query(
        env=q.get("env") or None,
        status=q.get("status") or None,
        kind=q.get("kind") or None,
        text=q.get("q") or None,
        offset=_int(request, "offset", 0),
        limit=_int(request, "limit", 100, 1, MAX_PAGE),
    )
    return JSONResponse(page)


def run(request: Request) -> JSONResponse:
    viewer = _viewer(request)
    folder = _folder(request)
    row = viewer.runs.row(request.path_params["run_id"]) if folder else None
    if folder is None or row is None:
        return _missing("such run")
    lines = viewer.lines.get(folder / "trajectory.jsonl")
    meta = _json_file(folder / "run.json") or {}
    summary_name = "learning.json" if row["kind"] == "learn" else "summary.json"
    return JSONResponse(
        {
            "row": row,
            "config": meta.get("config") or {},
            "episodes": meta.get("episodes") or {},
            "summary": _json_file(folder / summary_name),
            "lines": lines.refresh(),
            "live_view": _local_url(meta.get("live_view")),
        }
    )


def _local_url(value: Any) -> str | None:
    """A run's live view, if it is a page on this machine (the page frames nothing else)."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value)
    local = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
    return value if local else None


def _json_file(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def steps(request: Request) -> JSONResponse:
    folder = _folder(request)
    if folder is None:
        return _missing("such run")
    lines = _viewer(request).lines.get(folder / "trajectory.jsonl")
    start = _int(request, "start", 0)
    count = _int(request, "count", 50, 1, MAX_PAGE)
    records = lines.read(start, count)
    return JSONResponse({"total": len(lines), "start": start, "steps": records})


def frame(request: Request) -> Response:
    folder = _folder(request)
    episode, step = request.path_params["episode"], request.path_params["step"]
    path = folder / "frames" / f"ep{episode}" / f"{step:06d}.png" if folder else None
    if path is None or not path.is_file():
        return _missing("frame")
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


def gif(request: Request) -> Response:
    folder = _folder(request)
    if folder is None or not (folder / "replay.gif").is_file():
        return _missing("replay.gif")
    return FileResponse(folder / "replay.gif", media_type="image/gif")


async def live(request: Request) -> Response:
    viewer = _viewer(request)
    folder = _folder(request)
    if folder is None:
        return _missing("such run")
    run_id = request.path_params["run_id"]
    path = folder / "trajectory.jsonl"
    last = request.headers.get("last-event-id")
    start = int(last) + 1 if last and last.isdigit() else _int(request, "from", 0)
    events = tail_events(
        path,
        start,
        viewer.lines.get(path),
        lambda: viewer.runs.row(run_id),
        request.is_disconnected,
    )
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def remove_run(request: Request) -> JSONResponse:
    viewer = _viewer(request)
    if not viewer.write.allows(request.headers.get(TOKEN_HEADER)):
        return _forbidden(viewer)
    try:
        return JSONResponse(delete_run(viewer.home, viewer.runs, request.path_params["run_id"]))
    except LookupError as error:
        return JSONResponse({"error": str(error)}, status_code=404)
    except PermissionError as error:
        return JSONResponse({"error": str(error)}, status_code=409)


def _forbidden(viewer: Viewer) -> JSONResponse:
    why = (
        "this action needs the token printed when the server started"
        if viewer.write.enabled
        else "read-only: start with `agentkit ui --allow-write` to delete runs or import skills"
    )
    return JSONResponse({"error": why}, status_code=403)


# memory -----------------------------------------------------------------------------
def skills(request: Request) -> JSONResponse:
    q = request.query_params
    return JSONResponse(
        _viewer(request).memory.skills(
            text=q.get("q", ""),
            environment=q.get("env", ""),
            offset=_int(request, "offset", 0),
            limit=_int(request, "limit", 50, 1, MAX_PAGE),
        )
    )


def skill(request: Request) -> JSONResponse:
    found = _viewer(request).memory.skill(request.path_params["name"])
    return JSONResponse(found) if found else _missing("such skill")


async def import_pack(request: Request) -> JSONResponse:
    viewer = _viewer(request)
    if not viewer.write.allows(request.headers.get(TOKEN_HEADER)):
        return _forbidden(viewer)
    body = await request.body()
    if len(body) > MAX_PACK_BYTES:
        return JSONResponse({"error": "pack too large"}, status_code=413)
    from starlette.concurrency import run_in_threadpool

    try:
        counts = await run_in_threadpool(import_skills, viewer.home, body, viewer.embedder)
    except ValueError as error:  # an invalid pack: nothing was added
        return JSONResponse({"error": str(error)}, status_code=400)
    return JSONResponse(counts)


def episodes(request: Request) -> JSONResponse:
    q = request.query_params
    success = {"true": True, "false": False}.get(q.get("success", ""))
    return JSONResponse(
        _viewer(request).memory.episodes(
            run_id=q.get("run", ""),
            success=success,
            text=q.get("q", ""),
            offset=_int(request, "offset", 0),
            limit=_int(request, "limit", 50, 1, MAX_PAGE),
        )
    )


# learning, bench, plugins -----------------------------------------------------------
def learning(request: Request) -> JSONResponse:
    viewer = _viewer(request)
    return JSONResponse({"runs": learning_curves(viewer.runs.rows(), viewer.home)})


def bench(request: Request) -> JSONResponse:
    viewer = _viewer(request)
    folders = [viewer.home / "bench", *viewer.results]
    return JSONResponse({"folders": [str(f) for f in folders], "results": bench_results(folders)})


def plugins(request: Request) -> JSONResponse:
    from agentkit.plugins import get_registry

    registry = get_registry()
    return JSONResponse(
        {
            "plugins": [
                {"name": p.name, "version": p.version, "hooks": p.hooks, "builtin": p.builtin}
                for p in registry.plugins()
            ],
            "environments": sorted(registry.environments),
            "models": sorted(registry.models),
            "embedders": sorted(registry.embedders),
            "perceivers": [getattr(p, "name", type(p).__name__) for p in registry.perceivers],
            "tools": [getattr(t, "name", type(t).__name__) for t in registry.tools],
            "failures": [
                {"plugin": f.plugin, "stage": f.stage, "error": f.error} for f in registry.failures
            ],
        }
    )


def create_app(
    home: Path,
    *,
    results: Sequence[Path] = (),
    write: WriteAccess | None = None,
    embedder: Any = "minilm",
) -> Starlette:
    """The viewer over ``home``; ``write`` (enabled, with its token) allows the two actions."""
    viewer = Viewer(Path(home), tuple(results), write or WriteAccess(), embedder)
    routes = [
        Route("/", index),
        Route("/api/overview", overview),
        Route("/api/runs", runs),
        Route("/api/runs/{run_id}", run),
        Route("/api/runs/{run_id}", remove_run, methods=["DELETE"]),
        Route("/api/runs/{run_id}/steps", steps),
        Route("/api/runs/{run_id}/live", live),
        Route("/api/runs/{run_id}/frames/{episode:int}/{step:int}.png", frame),
        Route("/api/runs/{run_id}/replay.gif", gif),
        Route("/api/skills", skills),
        Route("/api/skills/import", import_pack, methods=["POST"]),
        Route("/api/skills/{name}", skill),
        Route("/api/episodes", episodes),
        Route("/api/learning", learning),
        Route("/api/bench", bench),
        Route("/api/plugins", plugins),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)],
    )
    app.state.viewer = viewer
    return app
