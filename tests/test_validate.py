"""validate() and is_valid(): layers in order, skipping rules, artefacts named, only misuse raises."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from shared import EXAMPLES

from peppol_ubl import artifacts
from peppol_ubl.artifacts import bundles
from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.errors import ArtifactError
from peppol_ubl.validation.api import is_valid, validate
from peppol_ubl.validation.report import Report

BASE_EXAMPLE = EXAMPLES / "peppol" / "examples" / "base-example.xml"
SBDH_NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"


def bad_date(data: bytes) -> bytes:
    """Breaks the XSD (xs:date) and Peppol rule PEPPOL-EN16931-F001 at once."""
    return data.replace(b"<cbc:IssueDate>2017-11-13", b"<cbc:IssueDate>2017-13-45")


def bad_total(data: bytes) -> bytes:
    """Schema-valid, but the amount due no longer adds up (BR-CO-16)."""
    return data.replace(b'<cbc:PayableAmount currencyID="EUR">', b'<cbc:PayableAmount currencyID="EUR">9')


def line_of(data: bytes, needle: bytes) -> int:
    return next(n for n, text in enumerate(data.split(b"\n"), 1) if needle in text)


def statuses(report: Report) -> list[tuple[str, str]]:
    return [(layer.layer, layer.status) for layer in report.layers]


def rule_ids(report: Report) -> set[str]:
    return {f.rule_id for f in report.findings}


def test_official_example_is_valid() -> None:
    report = validate(BASE_EXAMPLE, on=dt.date(2026, 12, 1))
    assert report.ok, report.to_text()
    assert statuses(report) == [("input", "passed"), ("xsd", "passed"), ("schematron", "passed"), ("totals", "passed")]
    assert (report.ruleset, report.ruleset_version, report.document_type) == ("peppol-bis-3", "3.0.21", "Invoice")
    assert report.ruleset_reason == "in force on 2026-12-01"
    assert not report.sbdh


def test_without_a_date_the_rules_in_force_today_run() -> None:
    report = validate(BASE_EXAMPLE, rules=False)
    assert report.ruleset_version == get_ruleset("peppol-bis-3", dt.date.today()).version
    assert report.ruleset_reason == f"in force on {dt.date.today().isoformat()}"


def test_report_names_every_artefact_with_its_pinned_hash() -> None:
    report = validate(BASE_EXAMPLE, ruleset="peppol-bis-3@3.0.19")
    paths = {(ref.bundle, ref.path) for ref in report.artefacts}
    assert ("ubl-2.1", "maindoc/UBL-Invoice-2.1.xsd") in paths
    assert {("peppol-bis-billing-3", "sch/CEN-EN16931-UBL.sch"), ("peppol-bis-billing-3", "sch/PEPPOL-EN16931-UBL.sch")} <= paths
    for ref in report.artefacts:
        assert ref.sha256 == bundles()[ref.bundle].files[ref.path].sha256
    newest = validate(BASE_EXAMPLE, ruleset="peppol-bis-3@3.0.21")
    assert {("peppol-bis-billing-3.0.21", "sch/PEPPOL-EN16931-UBL.sch")} <= {(r.bundle, r.path) for r in newest.artefacts}
    cen = validate(BASE_EXAMPLE, ruleset="en16931@1.3.16")
    assert ("cen-en16931-ubl", "schematron/EN16931-UBL-validation.sch") in {(r.bundle, r.path) for r in cen.artefacts}
    assert cen.ruleset == "en16931" and cen.ok


def test_bytes_str_and_path_sources_agree() -> None:
    data = BASE_EXAMPLE.read_bytes()
    reports = [validate(data), validate(str(BASE_EXAMPLE)), validate(BASE_EXAMPLE)]
    assert len({r.document_sha256 for r in reports}) == 1
    assert all(r.ok for r in reports)


def test_schematron_runs_after_schema_errors_by_default() -> None:
    report = validate(bad_date(BASE_EXAMPLE.read_bytes()))
    assert not report.ok
    assert {"PU-XSD", "PEPPOL-EN16931-F001"} <= rule_ids(report)
    assert statuses(report)[1:3] == [("xsd", "failed"), ("schematron", "failed")]


def test_stop_on_error_skips_later_layers() -> None:
    report = validate(bad_date(BASE_EXAMPLE.read_bytes()), stop_on_error=True)
    assert rule_ids(report) == {"PU-XSD"}
    assert statuses(report)[1:] == [("xsd", "failed"), ("schematron", "skipped"), ("totals", "skipped")]
    assert report.layer("schematron").note


def test_stop_on_error_does_not_stop_after_a_passed_layer() -> None:
    report = validate(bad_total(BASE_EXAMPLE.read_bytes()), stop_on_error=True)
    assert "BR-CO-16" in rule_ids(report)
    assert statuses(report)[1:3] == [("xsd", "passed"), ("schematron", "failed")]


def test_refused_input_stops_everything() -> None:
    report = validate(b"<Invoice/>")
    assert not report.ok and rule_ids(report) == {"PU-INPUT-ROOT"}
    assert statuses(report) == [("input", "failed"), ("xsd", "skipped"), ("schematron", "skipped"), ("totals", "skipped")]
    assert report.document_type is None and report.artefacts == []


def test_switched_off_layers_are_not_run() -> None:
    report = validate(bad_date(BASE_EXAMPLE.read_bytes()), schema=False, rules=False, totals=False)
    assert report.ok and report.findings == []
    assert statuses(report) == [("input", "passed"), ("xsd", "not-run"), ("schematron", "not-run"), ("totals", "not-run")]
    assert report.artefacts == []


def test_schematron_findings_carry_source_lines() -> None:
    data = bad_total(bad_date(BASE_EXAMPLE.read_bytes()))
    found = {f.rule_id: f for f in validate(data).findings if f.layer != "totals"}
    assert found["BR-CO-16"].line == line_of(data, b"<cac:LegalMonetaryTotal>")
    assert found["PEPPOL-EN16931-F001"].line == line_of(data, b"2017-13-45")
    assert found["PU-XSD"].line == line_of(data, b"2017-13-45")


def test_sbdh_envelope_is_validated_through_its_payload() -> None:
    body = bad_total(BASE_EXAMPLE.read_bytes()).split(b"?>", 1)[1]
    data = (
        f'<StandardBusinessDocument xmlns="{SBDH_NS}">\n<StandardBusinessDocumentHeader>\n'
        "<HeaderVersion>1.0</HeaderVersion>\n</StandardBusinessDocumentHeader>".encode()
        + body
        + b"</StandardBusinessDocument>"
    )
    report = validate(data)
    assert report.sbdh and report.document_type == "Invoice"
    assert report.layer("input").note
    assert rule_ids(report) == {"BR-CO-16"}
    [finding] = [f for f in report.findings if f.layer == "schematron"]
    assert finding.line == line_of(data, b"<cac:LegalMonetaryTotal>")


def test_is_valid() -> None:
    data = BASE_EXAMPLE.read_bytes()
    assert is_valid(data)
    assert not is_valid(bad_total(data))
    assert not is_valid(bad_total(data), rules=False)
    assert is_valid(bad_total(data), rules=False, totals=False)
    assert not is_valid(bad_date(data), rules=False)
    assert not is_valid(b"")


def test_unknown_ruleset_is_misuse() -> None:
    with pytest.raises(ValueError, match="peppol-bis-3") as raised:
        validate(BASE_EXAMPLE, ruleset="peppol-bis-2")
    assert "en16931" in str(raised.value)
    with pytest.raises(ValueError):
        is_valid(b"", ruleset="nope", rules=False)


def test_totals_layer_runs_after_the_rules() -> None:
    report = validate(bad_total(BASE_EXAMPLE.read_bytes()))
    totals = [f for f in report.findings if f.layer == "totals"]
    assert report.layer("totals").status == "failed"
    assert totals and all(f.rule_id.startswith(("BR-", "PEPPOL-", "PU-TOTALS-")) for f in totals)
    assert validate(bad_total(BASE_EXAMPLE.read_bytes()), totals=False).layer("totals").status == "not-run"
    stopped = validate(bad_total(BASE_EXAMPLE.read_bytes()), stop_on_error=True)
    assert stopped.layer("totals").status == "skipped"


@pytest.fixture()
def no_artefacts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("PEPPOL_UBL_ARTIFACTS", str(tmp_path / "empty"))
    monkeypatch.setenv("PEPPOL_UBL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PEPPOL_UBL_OFFLINE", "1")
    artifacts._resolve.cache_clear()
    yield
    artifacts._resolve.cache_clear()


def test_missing_artefacts_raise(no_artefacts: None) -> None:
    with pytest.raises(ArtifactError):
        validate(BASE_EXAMPLE, schema=False)
    assert not validate(b"", schema=False).ok  # a refused input needs no artefact


def test_peppol_arithmetic_rules_only_run_with_the_peppol_rule_set() -> None:
    # ubl-tc434-example1 states 6 x 18.33 as -109.98 on line 20: PEPPOL-EN16931-R120
    example = EXAMPLES / "cen" / "ubl-tc434-example1.xml"
    peppol = {f.rule_id for f in validate(example).findings if f.layer == "totals"}
    core = {f.rule_id for f in validate(example, ruleset="en16931").findings if f.layer == "totals"}
    assert "PEPPOL-EN16931-R120" in peppol
    assert not any(rule.startswith("PEPPOL-") for rule in core)


def test_every_layer_that_ran_reports_its_duration() -> None:
    report = validate(BASE_EXAMPLE)
    assert all(layer.duration_ms > 0 for layer in report.layers), report.layers
