"""The endpoints: validate, preflight, build, parse, and the health, rule sets and metrics views.

==================  =====================================================================
``POST /validate``  raw XML; query ``ruleset``, ``on``, ``compare_next``, ``format``
                    (``json``, ``junit``, ``sarif``) and ``name`` (the document's name in
                    JUnit and SARIF): 200 valid, 422 invalid, 400 input refused
                    (``PU-INPUT-…``), the report in the body each time
``POST /preflight`` XML or contract JSON; query ``ruleset``, ``on``, ``sender``,
                    ``receiver``, ``tolerance_cents``: 204, or 412 with the reasons;
                    ``Idempotency-Key``
``POST /build``     contract JSON: 200 UBL XML, 422 with the field errors; ``Idempotency-Key``
``POST /parse``     XML: 200 ``{invoice, unmapped, warnings}``, 400 when it is no UBL
``GET /health``     200 when every validation process is ready, 503 before (or if none can be)
``GET /rulesets``   every pinned version with its dates and status on ``on`` (default today)
``GET /metrics``    Prometheus text format (:mod:`.metrics`)
==================  =====================================================================

Validation and pre-flight run in the pool (:mod:`.pool`); building and parsing, which
never start Saxon, run in a thread. No parameter names a file on the server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..batch.formats.junit import batch_to_junit
from ..batch.formats.sarif import batch_to_sarif
from ..batch.runner import Batch, Outcome
from ..catalogue import AUTO, catalogue_on, default_ruleset, select
from ..errors import BuildError, CalculationError, ParseError
from ..fingerprints import fingerprint
from ..model import Invoice
from ..sending import PreflightResult, preflight
from ..ubl import parse_report, to_xml
from ..validation import Report, validate
from ..xml.safe import InputLimits
from .body import body_kind, read_body
from .config import ServerConfig
from .idempotency import Idempotency, idempotency_key, request_fingerprint
from .metrics import CONTENT_TYPE, Metrics
from .pool import JobFailed, NotReady, Overloaded, ValidationPool, WorkerCrashed
from .problems import Problem
from .store import IdempotencyStore

__all__ = ["ENDPOINTS", "Endpoints"]

ENDPOINTS = frozenset({"/validate", "/preflight", "/build", "/parse", "/health", "/rulesets", "/metrics"})
_FORMATS = {"json": "application/json", "junit": "application/xml", "sarif": "application/sarif+json"}


class Endpoints:
    """The handlers of one server, sharing its pool, idempotency store and metrics."""

    def __init__(self, config: ServerConfig, pool: ValidationPool, store: IdempotencyStore,
                 metrics: Metrics) -> None:
        self.config = config
        self.pool = pool
        self.metrics = metrics
        self.idempotency = Idempotency(store)
        self.limits = InputLimits(max_bytes=config.max_bytes)

    def routes(self) -> list[Route]:
        """One route per endpoint."""
        return [
            Route("/validate", self.validate, methods=["POST"]),
            Route("/preflight", self.preflight, methods=["POST"]),
            Route("/build", self.build, methods=["POST"]),
            Route("/parse", self.parse, methods=["POST"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/rulesets", self.rulesets, methods=["GET"]),
            Route("/metrics", self.metrics_text, methods=["GET"]),
        ]

    async def validate(self, request: Request) -> Response:
        query = _query(request, {"ruleset", "on", "compare_next", "format", "name"})
        format_ = query.get("format", "json")
        if format_ not in _FORMATS:
            raise Problem(400, "PU-SERVER-QUERY", f"format {format_!r}: use one of {', '.join(_FORMATS)}")
        options = {"ruleset": _spec(query.get("ruleset")), "on": _day(query.get("on")),
                   "compare_next": _flag(query, "compare_next"), "limits": self.limits}
        body = await read_body(request, self.config.max_bytes)
        body_kind(request, body, ("xml",))
        report: Report = await self._in_pool(validate, source=body, **options)
        self.metrics.record(report)
        status = 400 if report.layer("input").status == "failed" else 200 if report.ok else 422
        return _report_response(report, status, format_, query.get("name", "document"))

    async def preflight(self, request: Request) -> Response:
        query = _query(request, {"ruleset", "on", "sender", "receiver", "tolerance_cents"})
        key = idempotency_key(request)
        options = {"ruleset": _spec(query.get("ruleset")), "on": _day(query.get("on")),
                   "sender": query.get("sender"), "receiver": query.get("receiver"),
                   "tolerance_cents": _cents(query.get("tolerance_cents"))}
        body = await read_body(request, self.config.max_bytes)
        source: Invoice | bytes
        if body_kind(request, body, ("xml", "json")) == "json":
            source = _invoice(body)
            digest = fingerprint(source)
        else:
            source, digest = body, hashlib.sha256(body).hexdigest()

        async def produce() -> Response:
            result: PreflightResult = await self._in_pool(preflight, source=source, **options)
            if result.accepted:
                return Response(status_code=204)
            return JSONResponse({"status": result.status, "accepted": result.accepted, "fingerprint": result.fingerprint,
                          "reasons": [reason.to_dict() for reason in result.reasons]}, result.status)

        return await self.idempotency.answer("/preflight", key, request_fingerprint("/preflight", query, digest),
                                             produce)

    async def build(self, request: Request) -> Response:
        query = _query(request, set())
        key = idempotency_key(request)
        body = await read_body(request, self.config.max_bytes)
        body_kind(request, body, ("json",))
        invoice = _invoice(body)

        async def produce() -> Response:
            try:
                xml = await asyncio.to_thread(to_xml, invoice)
            except (BuildError, CalculationError) as exc:
                code = exc.code if isinstance(exc, CalculationError) else None
                raise Problem(422, "PU-SERVER-CONTRACT", f"the invoice cannot be built: {exc}",
                              errors=[{"path": exc.path, "message": exc.reason, "code": code}]) from exc
            return Response(xml, 200, media_type="application/xml")

        return await self.idempotency.answer("/build", key, request_fingerprint("/build", query, fingerprint(invoice)),
                                             produce)

    async def parse(self, request: Request) -> Response:
        _query(request, set())
        body = await read_body(request, self.config.max_bytes)
        body_kind(request, body, ("xml",))
        try:
            result = await asyncio.to_thread(parse_report, body)
        except ParseError as exc:
            raise Problem(400, "PU-SERVER-NOT-UBL", exc.reason, rule_id=exc.rule_id, xpath=exc.xpath) from exc
        return JSONResponse({
            "invoice": result.invoice.model_dump(mode="json", exclude_none=True),
            "unmapped": [{"xpath": item.xpath, "value": item.value} for item in result.unmapped],
            "warnings": [{"xpath": item.xpath, "reason": item.reason} for item in result.warnings],
        }, 200)

    async def health(self, request: Request) -> Response:
        _query(request, set())
        state = self.pool.health()
        return JSONResponse(state, 200 if state["status"] == "ready" else 503)

    async def rulesets(self, request: Request) -> Response:
        day = _day(_query(request, {"on"}).get("on")) or dt.date.today()
        return JSONResponse({"on": day.isoformat(), "default": default_ruleset(), "warm": list(self.config.warm),
                      "rulesets": catalogue_on(day)}, 200)

    async def metrics_text(self, request: Request) -> Response:
        _query(request, set())
        return Response(self.metrics.exposition(), 200, media_type=CONTENT_TYPE)

    async def _in_pool(self, function: Callable[..., Any], **arguments: Any) -> Any:
        """``function(**arguments)`` in a validation process; the pool's refusals as 503/500 problems."""
        try:
            return await self.pool.run(function, **arguments)
        except Overloaded as exc:
            raise Problem(503, "PU-SERVER-OVERLOADED", str(exc),
                          headers={"Retry-After": str(exc.retry_after)}) from exc
        except WorkerCrashed as exc:
            raise Problem(503, "PU-SERVER-WORKER-CRASHED", f"{exc}; it is being replaced",
                          headers={"Retry-After": "1"}) from exc
        except NotReady as exc:
            raise Problem(503, "PU-SERVER-NOT-READY", f"no validation process could start: {exc}") from exc
        except JobFailed as exc:
            raise Problem(500, "PU-SERVER-INTERNAL", str(exc)) from exc


def _report_response(report: Report, status: int, format_: str, name: str) -> Response:
    if format_ == "json":
        body = report.to_json().encode()
    else:
        batch = Batch(report.ruleset, report.ruleset_version, (Outcome(name, report),))
        body = batch_to_junit(batch) if format_ == "junit" else batch_to_sarif(batch).encode()
    return Response(body, status, media_type=_FORMATS[format_])


def _query(request: Request, allowed: set[str]) -> dict[str, str]:
    """The query parameters, each given at most once; a 400 problem for any other."""
    names = [name for name, _ in request.query_params.multi_items()]
    unknown = sorted(set(names) - allowed)
    if unknown:
        takes = f"it takes {', '.join(sorted(allowed))}" if allowed else "it takes none"
        raise Problem(400, "PU-SERVER-QUERY", f"unknown query parameter {', '.join(unknown)} for "
                      f"{request.url.path}; {takes}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise Problem(400, "PU-SERVER-QUERY", f"query parameter {', '.join(repeated)} given more than once")
    return dict(request.query_params)


def _spec(text: str | None) -> str:
    """A rule-set spec the catalogue knows (default: the default rule set)."""
    if text is None:
        return default_ruleset()
    if text != AUTO:
        try:
            select(text)
        except ValueError as exc:
            raise Problem(400, "PU-SERVER-QUERY", f"ruleset: {exc}") from exc
    return text


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Problem(400, "PU-SERVER-QUERY", f"on: not a date YYYY-MM-DD: {text!r}") from None


def _flag(query: dict[str, str], name: str) -> bool:
    value = query.get(name, "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise Problem(400, "PU-SERVER-QUERY", f"{name}: true or false, not {value!r}")
    return value in ("true", "1")


def _cents(text: str | None) -> int:
    if text is None:
        return 2
    if not text.isdigit():
        raise Problem(400, "PU-SERVER-QUERY", f"tolerance_cents: a whole number of cents, 0 or more, not {text!r}")
    return int(text)


def _invoice(body: bytes) -> Invoice:
    """The contract invoice in ``body``; a 422 problem listing every field error."""
    try:
        return Invoice.model_validate_json(body)
    except ValidationError as exc:
        errors = [{"path": _path(error["loc"]), "message": error["msg"], "type": error["type"]}
                  for error in exc.errors(include_url=False, include_input=False)]
        raise Problem(422, "PU-SERVER-CONTRACT", f"the body is not a valid contract invoice: "
                      f"{len(errors)} error(s)", errors=errors) from None


def _path(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a contract path: ``items[0].price``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path
