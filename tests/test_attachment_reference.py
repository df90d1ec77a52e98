"""BT-122 for an attachment given only a description and/or an external reference, as the
JSON contract allows: ``attachment-N`` (its 1-based position), deterministic, valid, and
read back exactly (the canonical form follows the writer)."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from peppol_ubl import parse, to_xml, validate
from peppol_ubl.model import Invoice
from peppol_ubl.ubl.read_canonical import canonical
from peppol_ubl.xml.namespaces import CAC, CBC

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "invoices" / "standard-several-rates.json"
ATTACHMENTS = [
    {"description": "Timesheet October", "external_reference": "https://example.com/timesheets/10"},
    {"id": "PO-SCAN", "description": "Scanned purchase order"},
    {"external_reference": "https://example.com/contract.pdf"},
    {"description": "Delivery note, on paper"},
]


def invoice() -> Invoice:
    data = json.loads(FIXTURE.read_text())
    data["attachments"] = ATTACHMENTS
    return Invoice.model_validate(data)


def test_references_are_derived_from_the_position_unless_given() -> None:
    root = etree.fromstring(to_xml(invoice()))
    ids = [doc.findtext(f"{{{CBC}}}ID") for doc in root.iter(f"{{{CAC}}}AdditionalDocumentReference")]
    assert ids == ["attachment-1", "PO-SCAN", "attachment-3", "attachment-4"]


def test_the_same_model_gives_the_same_bytes_and_a_valid_document() -> None:
    assert to_xml(invoice()) == to_xml(invoice())
    report = validate(to_xml(invoice()))
    assert report.ok, report.to_text()


def test_round_trip_is_exact() -> None:
    model = invoice()
    read = parse(to_xml(model))
    assert read == canonical(model)
    assert [a.id for a in read.attachments or []] == ["attachment-1", "PO-SCAN", "attachment-3", "attachment-4"]
    assert to_xml(read) == to_xml(model)
