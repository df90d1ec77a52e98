"""The ASGI application: the endpoints, behind the metrics and the optional bearer token.

``create_app(config)`` opens the idempotency store and returns a Starlette application
whose lifespan starts the validation pool (the processes compile the rule sets while the
server already answers; ``/health`` says when they are ready) and, at shutdown, after
uvicorn has let the requests in flight finish, stops the pool and closes the store.
Every error is a JSON problem (:mod:`.problems`): unknown paths and methods too, and an
unexpected exception is a 500 that says what it was.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from .auth import BearerToken
from .config import ServerConfig, default_store_path
from .metrics import Metrics, MetricsMiddleware
from .pool import ValidationPool
from .problems import Problem, problem_response
from .routes import ENDPOINTS, Endpoints
from .store import SqliteStore

__all__ = ["create_app"]

_log = logging.getLogger("peppol_ubl.server")
_HTTP_CODES = {404: "PU-SERVER-NOT-FOUND", 405: "PU-SERVER-METHOD"}


def create_app(config: ServerConfig) -> Starlette:
    """The server's application for ``config`` (see the module docstring)."""
    pool = ValidationPool(config.workers, config.queue, config.warm, dt.date.today())
    store = SqliteStore(config.store or default_store_path(), config.retention_seconds)
    metrics = Metrics(pool, ENDPOINTS)
    endpoints = Endpoints(config, pool, store, metrics)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            await pool.close()
            store.close()

    middleware = [Middleware(MetricsMiddleware, metrics=metrics)]
    if config.token is not None:
        middleware.append(Middleware(BearerToken, token=config.token))
    return Starlette(routes=endpoints.routes(), middleware=middleware, lifespan=lifespan,
                     exception_handlers={Problem: _problem, HTTPException: _http_error, Exception: _unexpected})


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "PU-SERVER-INTERNAL")
    return problem_response(Problem(exc.status_code, code, f"{request.method} {request.url.path}: {exc.detail}",
                                    headers=dict(exc.headers or {})))


async def _unexpected(request: Request, exc: Exception) -> Response:
    _log.exception("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(Problem(500, "PU-SERVER-INTERNAL", f"{type(exc).__name__}: {exc}"))
