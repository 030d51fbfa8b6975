"""The web application: the page, its assets, and POST /api/lint (Starlette).

    GET  /             the page (static/index.html)
    GET  /static/...   its stylesheet and scripts, from the installed package
    GET  /api/rules    the rules: id, slug, severity, summary
    POST /api/lint     a text or a file and options -> exactly the JSON of --format json

Errors are JSON ``{"error": "..."}`` with 400, 403, 413, 415, 503 or 504 (500 if a worker
dies), never a stack trace.  Nothing is stored: the text lives in the request and in the worker that lints it,
and no request is logged (uvicorn's access log is off, see serve.py).
"""

from __future__ import annotations

import contextlib
from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..formatters.html import legend
from .api import MAX_BODY, MAX_TEXT, BadRequest, TooLarge, parse
from .guard import Guard, too_large
from .worker import BadOptions, Busy, Pool, TimedOut, WorkerFailed

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
NO_STORE = {"cache-control": "no-store"}


def error(status: int, message: str, **headers) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers={**NO_STORE, **headers})


def create_app(*, workers: int = 1, timeout: float = 60.0, queue_wait: float = 30.0,
               allowed_hosts: set[str] | None = frozenset(LOCAL_HOSTS)) -> Guard:
    """The application behind its guard.  `allowed_hosts` are the names a request may
    give as its Host (None: any, for a server bound to every interface)."""
    pool = Pool(size=workers, timeout=timeout, queue_wait=queue_wait)
    page = resources.files("linter.web").joinpath("static", "index.html").read_text("utf-8")
    page = page.replace("__MAX_BYTES__", str(MAX_TEXT)).replace("__LEGEND__", legend())

    async def index(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8", headers=NO_STORE)

    async def rules(request: Request) -> JSONResponse:
        from ..ruleset.load import load_rules

        return JSONResponse([{"id": r.id, "slug": r.slug, "severity": r.severity,
                              "summary": r.summary} for r in load_rules()])

    async def lint(request: Request) -> Response:
        try:
            job = await parse(request)
        except TooLarge:
            return error(413, too_large(MAX_BODY))
        except BadRequest as exc:
            return error(exc.status, str(exc))
        try:
            report = await pool.lint(job)
        except BadOptions as exc:     # worded for the command line: "--select: ..."
            return error(400, str(exc).removeprefix("--").replace("--ignore", "ignore"))
        except Busy:
            return error(503, "the server is busy; try again in a moment", **{"retry-after": "5"})
        except TimedOut:
            return error(504, f"checking took longer than {pool.timeout:g} s; try a shorter text")
        except WorkerFailed as exc:
            return error(500, str(exc))
        return JSONResponse(report, headers=NO_STORE)

    async def too_large_handler(request: Request, exc: TooLarge) -> JSONResponse:
        return error(413, too_large(MAX_BODY))

    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        return error(500, "internal error")

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        try:
            yield
        finally:
            await pool.stop()

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET", "HEAD"]),
            Route("/api/rules", rules, methods=["GET"]),
            Route("/api/lint", lint, methods=["POST"]),
            Mount("/static", StaticFiles(packages=[("linter.web", "static")]), name="static"),
        ],
        exception_handlers={TooLarge: too_large_handler, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.pool = pool
    return Guard(app, allowed_hosts=allowed_hosts, max_body=MAX_BODY)
