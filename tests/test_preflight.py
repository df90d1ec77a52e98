"""preflight(): participants, line sum, validation, reachability; 204 or 412 with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from peppol_ubl.fingerprints import document_fingerprint, fingerprint
from peppol_ubl.model import Invoice
from peppol_ubl.money import format_cents, parse_amount
from peppol_ubl.sending import preflight
from peppol_ubl.ubl import to_xml

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "invoices" / "allowances-charges.json"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}


@pytest.fixture(scope="module")
def invoice() -> Invoice:
    return Invoice.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


def _rules(result: object) -> list[str]:
    return [reason.rule_id for reason in result.reasons]  # type: ignore[attr-defined]


def test_a_valid_invoice_is_accepted(invoice: Invoice) -> None:
    asked: list[str] = []
    result = preflight(invoice, reachable=lambda receiver: asked.append(receiver) or True)
    assert (result.accepted, result.status) == (True, 204)
    assert not [r for r in result.reasons if r.severity == "fatal"]
    assert result.fingerprint == fingerprint(invoice)
    assert asked == ["0088:5412345000006"]           # the buyer's endpoint id by default


def test_xml_source_is_accepted_with_a_document_fingerprint(invoice: Invoice,
                                                             tmp_path: Path) -> None:
    xml = to_xml(invoice)
    result = preflight(xml)
    assert (result.accepted, result.status) == (True, 204)
    assert result.fingerprint == document_fingerprint(etree.fromstring(xml))
    path = tmp_path / "invoice.xml"
    path.write_bytes(xml)
    assert preflight(path).fingerprint == result.fingerprint


@pytest.mark.parametrize(("sender", "receiver", "rules"), [
    ("GLN:5790000435951", None, ["PU-PREFLIGHT-SENDER-SYNTAX"]),
    ("0000:5790000435951", None, ["PU-PREFLIGHT-SENDER-SCHEME"]),
    ("0088:5790000435950", None, ["PU-PREFLIGHT-SENDER-IDENTIFIER"]),
    (None, "0192:974760674", ["PU-PREFLIGHT-RECEIVER-IDENTIFIER"]),
    (None, "5412345000006", ["PU-PREFLIGHT-RECEIVER-SYNTAX"]),
    ("0192:974760673", "0088:5790000435951", []),
])
def test_participants(invoice: Invoice, sender: str | None, receiver: str | None,
                      rules: list[str]) -> None:
    result = preflight(invoice, sender=sender, receiver=receiver)
    assert _rules(result) == rules
    assert result.status == (412 if rules else 204)


def test_default_participants_come_from_the_endpoint_ids(invoice: Invoice) -> None:
    assert invoice.buyer.endpoint_id is not None
    buyer = invoice.buyer.model_copy(update={"endpoint_id": invoice.buyer.endpoint_id.model_copy(
        update={"value": "5412345000007"})})
    result = preflight(invoice.model_copy(update={"buyer": buyer}))
    assert "PU-PREFLIGHT-RECEIVER-IDENTIFIER" in _rules(result)
    assert preflight(to_xml(invoice.model_copy(update={"buyer": buyer}))).status == 412


def test_unreachable_receiver(invoice: Invoice) -> None:
    result = preflight(invoice, reachable=lambda receiver: False)
    assert (_rules(result), result.status) == (["PU-PREFLIGHT-UNREACHABLE"], 412)


def test_reachability_is_not_asked_for_an_invalid_receiver(invoice: Invoice) -> None:
    asked: list[str] = []
    preflight(invoice, receiver="0088:1", reachable=lambda receiver: asked.append(receiver) or True)
    assert asked == []


def _with_line_amount_moved(xml: bytes, cents: int) -> bytes:
    root = etree.fromstring(xml)
    amount = root.find("cac:InvoiceLine/cbc:LineExtensionAmount", NS)
    assert amount is not None and amount.text is not None
    amount.text = format_cents(int(parse_amount(amount.text) * 100) + cents)
    return etree.tostring(root)


@pytest.mark.parametrize(("cents", "tolerance", "flagged"), [
    (2, 2, False), (-2, 2, False), (3, 2, True), (-3, 2, True), (3, 5, False), (1, 0, True)])
def test_line_sum_tolerance(invoice: Invoice, cents: int, tolerance: int, flagged: bool) -> None:
    result = preflight(_with_line_amount_moved(to_xml(invoice), cents),
                       tolerance_cents=tolerance)
    assert ("PU-PREFLIGHT-LINE-SUM" in _rules(result)) is flagged
    assert "BR-CO-10" in _rules(result)                   # validation sees it, whatever the tolerance
    assert result.status == 412


def test_validation_findings_are_reasons(invoice: Invoice) -> None:
    root = etree.fromstring(to_xml(invoice))
    payable = root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
    assert payable is not None
    payable.text = "1.00"
    result = preflight(etree.tostring(root))
    assert "BR-CO-16" in _rules(result) and result.status == 412


def test_an_invoice_that_cannot_be_built(invoice: Invoice) -> None:
    header = invoice.header.model_copy(update={"currency": None})
    result = preflight(invoice.model_copy(update={"header": header}))
    assert [(r.rule_id, r.location) for r in result.reasons] == [
        ("PU-PREFLIGHT-BUILD", "header.currency")]
    assert result.status == 412 and result.fingerprint is not None


def test_unreadable_xml(invoice: Invoice) -> None:
    result = preflight(b"not xml at all")
    assert result.status == 412 and result.fingerprint is None
    assert [r.rule_id for r in result.reasons if r.rule_id.startswith("PU-PREFLIGHT")] == []
    assert result.reasons


def test_negative_tolerance_is_misuse(invoice: Invoice) -> None:
    with pytest.raises(ValueError):
        preflight(invoice, tolerance_cents=-1)


@pytest.mark.parametrize(("on", "ruleset", "status", "rules"), [
    # the Finnish OVT scheme 0037 leaves the EAS list with 3.0.21 (mandatory 2026-08-24)
    ("2026-06-01", None, 204, []),
    ("2026-12-01", None, 412, ["PU-PREFLIGHT-RECEIVER-SCHEME"]),
    ("2026-12-01", "peppol-bis-3@3.0.20", 204, []),
    # en16931 has no EAS list of its own: the Peppol version in force on the date is used
    ("2026-12-01", "en16931", 412, ["PU-PREFLIGHT-RECEIVER-SCHEME"]),
])
def test_the_eas_list_is_that_of_the_rules_in_force(invoice: Invoice, on: str, ruleset: str | None,
                                                     status: int, rules: list[str]) -> None:
    import datetime as dt

    result = preflight(invoice, receiver="0037:2077474-0", ruleset=ruleset, on=dt.date.fromisoformat(on))
    assert result.status == status
    assert [r for r in _rules(result) if r.startswith("PU-PREFLIGHT")] == rules
