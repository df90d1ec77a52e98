"""``peppol-ubl serve``: every endpoint and status code, over real HTTP to a real uvicorn.

One server (two validation processes) answers most tests; the ones that need a small
limit, a token, one process and no queue, a crash or a restart start their own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from junitparser import JUnitXml
from serving import ROOT, Server, running

from peppol_ubl import Invoice, preflight, to_xml, validate
from peppol_ubl.catalogue import catalogue_on

FIXTURE = ROOT / "fixtures" / "invoices" / "standard-several-rates.json"
CONTRACT = FIXTURE.read_bytes()
INVOICE = Invoice.model_validate_json(CONTRACT)
VALID = to_xml(INVOICE)
INVALID = VALID.replace(b'<cbc:PayableAmount currencyID="EUR">', b'<cbc:PayableAmount currencyID="EUR">1')
XML = {"Content-Type": "application/xml"}


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A report's JSON without the timings, which differ from run to run."""
    return {**report, "layers": [{**layer, "duration_ms": 0} for layer in report["layers"]]}


def library(document: bytes, **options: Any) -> dict[str, Any]:
    return comparable(validate(document, **options).to_dict())


def slow_document(lines: int = 5000) -> bytes:
    """A valid invoice with many lines: a few seconds of validation."""
    data = json.loads(CONTRACT)
    data["items"] = (data["items"] * lines)[:lines]
    return to_xml(Invoice.model_validate(data))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("server"), "--workers", "2") as started:
        yield started


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


def test_validate_answers_200_422_and_400_with_the_library_report(http: httpx.Client) -> None:
    for document, status in ((VALID, 200), (INVALID, 422), (b"not xml", 400), (b"", 400)):
        response = http.post("/validate", content=document, headers=XML)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/json"
        assert comparable(response.json()) == library(document)
    refused = http.post("/validate", content=b"<!DOCTYPE x><x/>", headers=XML).json()
    assert refused["report_version"] == 1
    assert [finding["rule_id"] for finding in refused["findings"]] == ["PU-INPUT-DOCTYPE"]


def test_validate_takes_the_rule_set_the_date_and_compare_next(http: httpx.Client) -> None:
    june = dt.date(2026, 6, 1)
    response = http.post("/validate", params={"ruleset": "peppol-bis-3", "on": "2026-06-01", "compare_next": "true"},
                         content=VALID, headers=XML)
    assert response.status_code == 200
    assert comparable(response.json()) == comparable(validate(VALID, on=june, compare_next=True).to_dict())
    pinned = http.post("/validate", params={"ruleset": "en16931@1.3.16"}, content=VALID, headers=XML).json()
    assert (pinned["ruleset"], pinned["ruleset_version"]) == ("en16931", "1.3.16")


def test_validate_as_junit_and_sarif(http: httpx.Client) -> None:
    junit = http.post("/validate", params={"format": "junit", "name": "mine.xml"}, content=INVALID, headers=XML)
    assert (junit.status_code, junit.headers["content-type"]) == (422, "application/xml")
    cases = [case for suite in JUnitXml.fromstring(junit.content) for case in suite]
    assert [case.name for case in cases] == ["mine.xml"]
    sarif = http.post("/validate", params={"format": "sarif"}, content=INVALID, headers=XML)
    assert (sarif.status_code, sarif.headers["content-type"]) == (422, "application/sarif+json")
    assert {result["ruleId"] for result in sarif.json()["runs"][0]["results"]} == {"BR-CO-16"}


def test_eight_concurrent_clients_get_exactly_the_library_reports(server: Server) -> None:
    documents = [VALID, INVALID, b"<Invoice/>", VALID.replace(b"EUR", b"XXX")] * 4
    expected = [library(document) for document in documents]

    def client_run(offset: int) -> list[dict[str, Any]]:
        with server.client() as client:
            order = documents[offset:] + documents[:offset]
            return [comparable(client.post("/validate", content=d, headers=XML).json()) for d in order]

    with ThreadPoolExecutor(8) as clients:
        runs = list(clients.map(client_run, range(8)))
    for offset, got in enumerate(runs):
        assert got == expected[offset:] + expected[:offset]


def test_preflight_204_and_412_for_xml_and_contract_json(http: httpx.Client) -> None:
    assert http.post("/preflight", content=VALID, headers=XML).status_code == 204
    accepted = http.post("/preflight", content=CONTRACT, headers={"Content-Type": "application/json"})
    assert (accepted.status_code, accepted.content) == (204, b"")
    refused = http.post("/preflight", params={"receiver": "0088:5412345000007"}, content=CONTRACT,
                        headers={"Content-Type": "application/json"})
    assert refused.status_code == 412
    expected = preflight(INVOICE, receiver="0088:5412345000007")
    assert refused.json()["reasons"] == [reason.to_dict() for reason in expected.reasons]
    assert refused.json()["fingerprint"] == expected.fingerprint
    assert http.post("/preflight", content=b"not xml", headers=XML).status_code == 412


def test_build_200_with_the_xml_and_422_with_the_field_errors(http: httpx.Client) -> None:
    built = http.post("/build", content=CONTRACT, headers={"Content-Type": "application/json"})
    assert (built.status_code, built.headers["content-type"], built.content) == (200, "application/xml", VALID)
    data = json.loads(CONTRACT)
    data["items"][0]["price"] = "twelve"
    data["header"]["issue_date"] = "someday"
    wrong = http.post("/build", json=data)
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "PU-SERVER-CONTRACT"
    assert {error["path"] for error in wrong.json()["errors"]} >= {"items[0].price", "header.issue_date"}
    assert http.post("/build", content=b"{not json", headers={"Content-Type": "application/json"}).status_code == 422


def test_parse_200_with_the_contract_and_the_unmapped_list(http: httpx.Client, shared_dir: Path) -> None:
    example = (shared_dir / "examples/cen/ubl-tc434-example2.xml").read_bytes()
    parsed = http.post("/parse", content=example, headers=XML)
    assert parsed.status_code == 200
    body = parsed.json()
    assert Invoice.model_validate(body["invoice"]).header.invoice_number
    assert body["unmapped"] and {"xpath", "value"} <= set(body["unmapped"][0])
    refused = http.post("/parse", content=b"<!DOCTYPE x><x/>", headers=XML)
    assert (refused.status_code, refused.json()["code"], refused.json()["rule_id"]) == (
        400, "PU-SERVER-NOT-UBL", "PU-INPUT-DOCTYPE")


def test_an_idempotency_key_replays_the_same_request_and_refuses_another(http: httpx.Client) -> None:
    key = {"Idempotency-Key": f"build-{time.time_ns()}", "Content-Type": "application/json"}
    first = http.post("/build", content=CONTRACT, headers=key)
    assert (first.status_code, first.headers["idempotent-replayed"]) == (200, "false")
    respelled = CONTRACT.replace(b'"quantity": "3.5"', b'"quantity": 3.50')
    assert respelled != CONTRACT
    again = http.post("/build", content=respelled, headers=key)  # the same invoice, spelled otherwise
    assert (again.status_code, again.headers["idempotent-replayed"], again.content) == (200, "true", first.content)
    assert again.headers["idempotency-key"] == key["Idempotency-Key"]
    other = http.post("/build", content=(ROOT / "fixtures/invoices/credit-note.json").read_bytes(), headers=key)
    assert (other.status_code, other.json()["code"]) == (422, "PU-SERVER-IDEMPOTENCY-REUSED")

    pre = {"Idempotency-Key": f"preflight-{time.time_ns()}", **XML}
    assert http.post("/preflight", content=VALID, headers=pre).headers["idempotent-replayed"] == "false"
    replay = http.post("/preflight", content=VALID, headers=pre)
    assert (replay.status_code, replay.headers["idempotent-replayed"]) == (204, "true")
    assert http.post("/preflight", params={"receiver": "0088:5412345000007"}, content=VALID,
                     headers=pre).status_code == 422  # the same key with other parameters
    for bad in ("", "k" * 129, "clé".encode()):
        response = http.post("/build", content=CONTRACT, headers={**key, "Idempotency-Key": bad})
        assert (response.status_code, response.json()["code"]) == (400, "PU-SERVER-IDEMPOTENCY-KEY"), bad
    assert http.post("/build", content=CONTRACT, headers={**key, "Idempotency-Key": "k" * 128}).status_code == 200


def test_health_rulesets_and_metrics(http: httpx.Client) -> None:
    health = http.get("/health")
    assert (health.status_code, health.json()["status"], health.json()["ready"]) == (200, "ready", 2)
    listed = http.get("/rulesets", params={"on": "2026-06-01"}).json()
    assert listed["rulesets"] == catalogue_on(dt.date(2026, 6, 1))
    assert listed["default"] == "peppol-bis-3"
    http.post("/validate", content=INVALID, headers=XML)
    metrics = http.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'peppol_ubl_requests_total{endpoint="/validate",method="POST",status="422"}' in text
    assert "peppol_ubl_request_duration_seconds_bucket" in text
    assert 'peppol_ubl_findings_total{ruleset="peppol-bis-3@3.0.21",severity="fatal"}' in text
    assert "peppol_ubl_workers_ready 2.0" in text


@pytest.mark.parametrize(("method", "path", "options", "status", "code"), [
    ("GET", "/nowhere", {}, 404, "PU-SERVER-NOT-FOUND"),
    ("GET", "/validate", {}, 405, "PU-SERVER-METHOD"),
    ("POST", "/validate", {"params": {"schematron": "/etc/passwd"}}, 400, "PU-SERVER-QUERY"),
    ("POST", "/validate", {"params": {"ruleset": "no-such-rules"}}, 400, "PU-SERVER-QUERY"),
    ("POST", "/validate", {"params": {"on": "tomorrow"}}, 400, "PU-SERVER-QUERY"),
    ("POST", "/validate", {"params": {"format": "html"}}, 400, "PU-SERVER-QUERY"),
    ("POST", "/validate", {"params": [("on", "2026-01-01"), ("on", "2026-02-01")]}, 400, "PU-SERVER-QUERY"),
    ("POST", "/validate", {"json": {"an": "object"}}, 415, "PU-SERVER-MEDIA-TYPE"),
    ("POST", "/build", {"content": b"<x/>", "headers": XML}, 415, "PU-SERVER-MEDIA-TYPE"),
    ("POST", "/preflight", {"params": {"tolerance_cents": "-1"}}, 400, "PU-SERVER-QUERY"),
    ("POST", "/parse", {"content": b"<a", "headers": {"Content-Type": "text/plain"}}, 415, "PU-SERVER-MEDIA-TYPE"),
])
def test_every_malformed_request_gets_a_4xx_json_problem(http: httpx.Client, method: str, path: str,
                                                         options: dict[str, Any], status: int, code: str) -> None:
    response = http.request(method, path, **options)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert (response.json()["status"], response.json()["code"]) == (status, code)
    assert response.json()["detail"]


def _raw(server: Server, head: bytes, body: bytes) -> bytes:
    """Send a request by hand (headers, then only part of a body) and read the answer."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(head + body)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def test_a_body_over_max_bytes_is_refused_before_it_is_read(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("s3cret\n")
    with running(tmp_path, "--workers", "1", "--max-bytes", "10000", "--token-file", str(token), ready=False) as small:
        auth = b"Authorization: Bearer s3cret\r\n"
        declared = _raw(small, b"POST /validate HTTP/1.1\r\nHost: x\r\n" + auth +
                        b"Content-Length: 50000000\r\n\r\n", b"<Invoice")  # 50 MB announced, 8 bytes sent
        assert declared.startswith(b"HTTP/1.1 413")
        assert b'"code": "PU-SERVER-TOO-LARGE"' in declared
        chunked = _raw(small, b"POST /validate HTTP/1.1\r\nHost: x\r\n" + auth + b"Transfer-Encoding: chunked\r\n\r\n",
                       b"4000\r\n" + b"x" * 0x4000 + b"\r\n")  # 16 KiB of a body without end
        assert chunked.startswith(b"HTTP/1.1 413")
        length = _raw(small, b"POST /validate HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Length: ten\r\n\r\n", b"")
        assert length.startswith(b"HTTP/1.1 400")

        with small.client() as client:
            refused = client.post("/validate", content=VALID, headers=XML)
            assert (refused.status_code, refused.json()["code"]) == (401, "PU-SERVER-UNAUTHORIZED")
            assert refused.headers["www-authenticate"].startswith("Bearer")
            wrong = client.post("/build", content=CONTRACT, headers={"Authorization": "Bearer guess"})
            assert wrong.status_code == 401
            assert client.get("/health").status_code in (200, 503)  # open without the token
            small.wait()
            allowed = client.post("/validate", content=VALID, headers={**XML, "Authorization": "Bearer s3cret"})
            assert allowed.status_code == 200


def test_back_pressure_a_crashed_worker_and_a_graceful_shutdown(tmp_path: Path) -> None:
    slow = slow_document()
    results: dict[str, httpx.Response] = {}

    def post(name: str, server: Server) -> None:
        with server.client() as client:
            results[name] = client.post("/validate", content=slow, headers=XML)

    with running(tmp_path, "--workers", "1", "--queue", "0") as server:
        busy = threading.Thread(target=post, args=("busy", server))
        busy.start()
        server.wait_for("busy", 1)
        with server.client() as client:
            overloaded = client.post("/validate", content=VALID, headers=XML)
        assert (overloaded.status_code, overloaded.json()["code"]) == (503, "PU-SERVER-OVERLOADED")
        assert int(overloaded.headers["retry-after"]) >= 1
        busy.join(60)
        assert results["busy"].status_code == 200

        crashing = threading.Thread(target=post, args=("crashed", server))
        crashing.start()
        server.wait_for("busy", 1)
        [pid] = server.validation_processes()
        os.kill(pid, signal.SIGKILL)
        crashing.join(60)
        crashed = results["crashed"]
        assert (crashed.status_code, crashed.json()["code"]) == (503, "PU-SERVER-WORKER-CRASHED")
        assert crashed.headers["retry-after"] == "1"
        server.wait()  # replaced: ready again
        assert server.health()["restarts"] == 1 and server.validation_processes() != [pid]
        with server.client() as client:
            assert client.post("/validate", content=VALID, headers=XML).status_code == 200

        in_flight = threading.Thread(target=post, args=("in flight", server))
        in_flight.start()
        server.wait_for("busy", 1)
        assert server.stop() in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once it has shut down
        assert "Application shutdown complete" in server.log.read_text()
        in_flight.join(60)
        assert results["in flight"].status_code == 200  # finished, not dropped


def test_idempotent_replay_survives_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "records.sqlite3"
    key = {"Idempotency-Key": "survives-restart", "Content-Type": "application/json"}
    with running(tmp_path, "--workers", "1", ready=False, store=store) as first, first.client() as client:
        built = client.post("/build", content=CONTRACT, headers=key)
        assert built.headers["idempotent-replayed"] == "false"
    with running(tmp_path, "--workers", "1", ready=False, store=store) as second, second.client() as client:
        replay = client.post("/build", content=CONTRACT, headers=key)
        assert (replay.status_code, replay.headers["idempotent-replayed"]) == (200, "true")
        assert replay.content == built.content
