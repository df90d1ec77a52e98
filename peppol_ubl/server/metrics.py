"""``GET /metrics``: what the server did, in the Prometheus text format.

Per server (one registry each, so two servers in one process do not mix their counts):

* ``peppol_ubl_requests_total{endpoint, method, status}`` and
  ``peppol_ubl_request_duration_seconds{endpoint}`` (a histogram) for every request;
  ``endpoint`` is the path of one of the endpoints, or ``other``;
* ``peppol_ubl_documents_total{ruleset, result}`` (``valid``, ``invalid``, ``refused``) and
  ``peppol_ubl_findings_total{ruleset, severity}`` for every document validated, the rule
  set as ``name@version``;
* ``peppol_ubl_idempotent_replays_total``: responses served from the idempotency store;
* gauges of the pool: ``peppol_ubl_workers_ready``, ``peppol_ubl_workers_busy``,
  ``peppol_ubl_queue_waiting``, and ``peppol_ubl_worker_restarts``.
"""

from __future__ import annotations

from time import perf_counter

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..validation.report import Report
from .pool import ValidationPool

__all__ = ["CONTENT_TYPE", "Metrics", "MetricsMiddleware"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The counters, histogram and gauges of one server."""

    def __init__(self, pool: ValidationPool, endpoints: frozenset[str]) -> None:
        self.endpoints = endpoints
        self.registry = CollectorRegistry()
        self.requests = Counter("peppol_ubl_requests", "HTTP requests answered",
                                ["endpoint", "method", "status"], registry=self.registry)
        self.durations = Histogram("peppol_ubl_request_duration_seconds", "Time to answer a request",
                                   ["endpoint"], buckets=_BUCKETS, registry=self.registry)
        self.documents = Counter("peppol_ubl_documents", "Documents validated, by result",
                                 ["ruleset", "result"], registry=self.registry)
        self.findings = Counter("peppol_ubl_findings", "Findings in validation reports, by severity",
                                ["ruleset", "severity"], registry=self.registry)
        self.replays = Counter("peppol_ubl_idempotent_replays", "Responses served from the idempotency store",
                               registry=self.registry)
        for name, help_, read in (
            ("peppol_ubl_workers_ready", "Validation processes ready", lambda: pool.ready),
            ("peppol_ubl_workers_busy", "Validation processes running a job", lambda: pool.busy),
            ("peppol_ubl_queue_waiting", "Jobs waiting for a validation process", lambda: pool.waiting),
            ("peppol_ubl_worker_restarts", "Validation processes replaced after they died", lambda: pool.restarts),
        ):
            Gauge(name, help_, registry=self.registry).set_function(read)

    def record(self, report: Report) -> None:
        """Count one validated document and its findings."""
        ruleset = f"{report.ruleset}@{report.ruleset_version}" if report.ruleset_version else report.ruleset
        refused = report.layer("input").status == "failed"
        self.documents.labels(ruleset, "refused" if refused else "valid" if report.ok else "invalid").inc()
        for finding in report.findings:
            self.findings.labels(ruleset, finding.severity).inc()

    def exposition(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)


class MetricsMiddleware:
    """ASGI middleware: count and time every HTTP request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        status = 500  # what the client sees if the app fails before it starts a response

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if (b"idempotent-replayed", b"true") in message.get("headers", []):
                    self.metrics.replays.inc()
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            endpoint = scope["path"] if scope["path"] in self.metrics.endpoints else "other"
            self.metrics.requests.labels(endpoint, scope["method"], str(status)).inc()
            self.metrics.durations.labels(endpoint).observe(perf_counter() - started)
