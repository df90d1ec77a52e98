"""The XSD layer: official examples pass, violations become PU-XSD findings at the right line."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from official import xsd_errors
from shared import EXAMPLES

from peppol_ubl.artifacts import bundles
from peppol_ubl.errors import ArtifactError
from peppol_ubl.findings import Finding
from peppol_ubl.validation.xsd import _BundleResolver, schema_artefacts, validate_schema
from peppol_ubl.xml.safe import load_document

BASE_EXAMPLE = EXAMPLES / "peppol" / "examples" / "base-example.xml"
BASE_CREDIT_NOTE = EXAMPLES / "peppol" / "examples" / "base-creditnote-correction.xml"


def xsd(data: bytes) -> list[Finding]:
    parsed = load_document(data)
    assert parsed.root is not None and parsed.document_type is not None
    return validate_schema(parsed.root, parsed.document_type)


def line_of(data: bytes, needle: bytes) -> int:
    return next(n for n, text in enumerate(data.split(b"\n"), 1) if needle in text)


def official_examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix.lower() == ".xml")


@pytest.mark.parametrize("path", official_examples(), ids=lambda p: p.name)
def test_official_examples_pass_the_schema(path: Path) -> None:
    assert xsd(path.read_bytes()) == []


def test_both_document_types_are_among_the_examples() -> None:
    kinds = {load_document(p).document_type for p in official_examples()}
    assert kinds == {"Invoice", "CreditNote"}


def test_invalid_value_is_reported_at_its_line() -> None:
    data = BASE_EXAMPLE.read_bytes().replace(
        b"<cbc:IssueDate>2017-11-13</cbc:IssueDate>", b"<cbc:IssueDate>2017-13-45</cbc:IssueDate>"
    )
    [finding] = xsd(data)
    assert (finding.rule_id, finding.severity, finding.layer) == ("PU-XSD", "fatal", "xsd")
    assert finding.line == line_of(data, b"2017-13-45")
    assert finding.location == "/*:Invoice[1]/*:IssueDate[1]"
    assert "{urn:" not in finding.message and "cbc:IssueDate" in finding.message


def test_misplaced_and_unknown_elements_are_reported_at_their_lines() -> None:
    original = BASE_EXAMPLE.read_bytes()
    data = original.replace(b"<cbc:StreetName>", b"<cbc:Unknown/><cbc:StreetName>", 1).replace(
        b"<cbc:PayableAmount", b"<cbc:Bogus>1</cbc:Bogus><cbc:PayableAmount", 1
    )
    findings = xsd(data)
    assert [f.rule_id for f in findings] == ["PU-XSD", "PU-XSD"]
    assert [f.line for f in findings] == [line_of(data, b"<cbc:Unknown/>"), line_of(data, b"<cbc:Bogus>")]
    assert findings[0].location == "/*:Invoice[1]/*:AccountingSupplierParty[1]/*:Party[1]/*:PostalAddress[1]/*:Unknown[1]"
    assert findings[1].location == "/*:Invoice[1]/*:LegalMonetaryTotal[1]/*:Bogus[1]"
    assert len(findings) == len(xsd_errors(data))


def test_credit_note_uses_its_own_schema() -> None:
    data = BASE_CREDIT_NOTE.read_bytes().replace(b"<cbc:CreditNoteTypeCode>", b"<cbc:InvoiceTypeCode>", 1)
    data = data.replace(b"</cbc:CreditNoteTypeCode>", b"</cbc:InvoiceTypeCode>", 1)
    findings = xsd(data)
    assert findings and all(f.rule_id == "PU-XSD" for f in findings)
    assert findings[0].location == "/*:CreditNote[1]/*:InvoiceTypeCode[1]"
    assert findings[0].line == line_of(data, b"<cbc:InvoiceTypeCode>")


def test_sbdh_payload_findings_use_envelope_lines() -> None:
    body = BASE_EXAMPLE.read_bytes().split(b"?>", 1)[1]
    body = body.replace(b"<cbc:IssueDate>2017-11-13", b"<cbc:IssueDate>yesterday")
    envelope = (
        b'<sh:StandardBusinessDocument xmlns:sh="http://www.unece.org/cefact/namespaces/'
        b'StandardBusinessDocumentHeader">\n<sh:StandardBusinessDocumentHeader/>\n\n'
        + body
        + b"</sh:StandardBusinessDocument>"
    )
    [finding] = xsd(envelope)
    assert finding.line == line_of(envelope, b"yesterday")


def test_schema_artefacts_are_pinned_files_of_the_ubl_bundle() -> None:
    bundle = bundles()["ubl-2.1"]
    for kind, maindoc in (("Invoice", "maindoc/UBL-Invoice-2.1.xsd"), ("CreditNote", "maindoc/UBL-CreditNote-2.1.xsd")):
        refs = schema_artefacts(kind)  # type: ignore[arg-type]
        assert refs[0].path == maindoc
        assert {"common/UBL-CommonAggregateComponents-2.1.xsd", "common/UBL-CommonBasicComponents-2.1.xsd"} <= {
            r.path for r in refs
        }
        for ref in refs:
            assert (ref.bundle, ref.version, ref.sha256) == ("ubl-2.1", bundle.version, bundle.files[ref.path].sha256)
        assert len({r.path for r in refs}) == len(refs)


def test_schema_references_outside_the_bundle_are_refused() -> None:
    resolver = _BundleResolver()
    with pytest.raises(ArtifactError):
        resolver.resolve("http://www.w3.org/2001/xml.xsd", None, None)
    with pytest.raises(ArtifactError):
        resolver.resolve("/etc/passwd", None, None)


def test_concurrent_validation_keeps_findings_apart() -> None:
    good = BASE_EXAMPLE.read_bytes()
    bad = good.replace(b"<cbc:IssueDate>2017-11-13", b"<cbc:IssueDate>never")
    inputs = [good, bad] * 20
    with ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(lambda d: len(xsd(d)), inputs))
    assert counts == [0, 1] * 20
