"""Report: documented JSON keys, lossless round trip, verdict from fatal findings, text form."""

from __future__ import annotations

import json

import pytest
from shared import EXAMPLES

from peppol_ubl.findings import Finding
from peppol_ubl.validation.api import validate
from peppol_ubl.validation.report import LayerResult, Report

BASE_EXAMPLE = EXAMPLES / "peppol" / "examples" / "base-example.xml"
KEYS = [
    "report_version",
    "ok",
    "document_type",
    "document_sha256",
    "sbdh",
    "ruleset",
    "ruleset_version",
    "ruleset_reason",
    "ruleset_variant",
    "layers",
    "artefacts",
    "findings",
    "compare_next",
]


@pytest.fixture(scope="module")
def invalid() -> Report:
    data = BASE_EXAMPLE.read_bytes().replace(b"<cbc:IssueDate>2017-11-13", b"<cbc:IssueDate>2017-13-45")
    return validate(data.replace(b"<cbc:Note>", "<cbc:Note>Ünïcødé € ".encode(), 1))


@pytest.fixture(scope="module")
def refused() -> Report:
    return validate(b"not xml")


def test_json_has_the_documented_keys(invalid: Report) -> None:
    data = json.loads(invalid.to_json())
    assert list(data) == KEYS
    assert data["report_version"] == 1 and data["ok"] is False
    assert set(data["layers"][0]) == {"layer", "status", "duration_ms", "note"}
    assert set(data["artefacts"][0]) == {"bundle", "version", "path", "sha256"}
    assert set(data["findings"][0]) == {"rule_id", "severity", "layer", "message", "location", "line", "test",
                                        "contract_path", "original_severity"}
    assert data == invalid.to_dict()


@pytest.mark.parametrize("name", ["invalid", "refused"])
def test_json_round_trip(name: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(name)
    again = Report.from_json(report.to_json())
    assert again == report
    assert again.ok == report.ok
    assert Report.from_json(report.to_json(indent=None)) == report


def test_unknown_report_version_is_refused(refused: Report) -> None:
    data = refused.to_dict()
    data["report_version"] = 99
    with pytest.raises(ValueError):
        Report.from_dict(data)


def test_ok_means_no_fatal_finding() -> None:
    warning = Finding("PEPPOL-EN16931-R111", "warning", "schematron", "advice")
    fatal = Finding("BR-CO-10", "fatal", "schematron", "sum differs")
    assert Report("peppol-bis-3", findings=[warning]).ok
    assert not Report("peppol-bis-3", findings=[warning, fatal]).ok
    assert Report("peppol-bis-3", findings=[warning, fatal]).fatal == [fatal]


def test_layer_lookup() -> None:
    report = Report("peppol-bis-3", layers=[LayerResult("input", "passed", 1.0)])
    assert report.layer("input").status == "passed"
    with pytest.raises(KeyError):
        report.layer("xsd")


def test_text_has_a_summary_then_one_line_per_finding(invalid: Report) -> None:
    lines = invalid.to_text().splitlines()
    assert len(lines) == 1 + len(invalid.findings)
    assert str(invalid) == invalid.to_text()
    for line, finding in zip(lines[1:], invalid.findings, strict=True):
        assert line.startswith(f"[{finding.severity}] {finding.rule_id} at {finding.location} (line {finding.line}): ")
        assert line.endswith(finding.message)


def test_text_leaves_out_what_is_unknown() -> None:
    finding = Finding("PU-INPUT-EMPTY", "fatal", "input", "the document is empty")
    report = Report("peppol-bis-3", findings=[finding])
    assert report.to_text().splitlines()[1] == "[fatal] PU-INPUT-EMPTY: the document is empty"
