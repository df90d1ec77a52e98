"""fingerprint(): same invoice whatever its JSON spelling, different for any value change."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from shared import EXAMPLES

from peppol_ubl.fingerprints import canonical_form, document_fingerprint, fingerprint
from peppol_ubl.model import Invoice

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "invoices"
EXAMPLE = EXAMPLES / "peppol" / "examples"

BASE: dict[str, Any] = {
    "header": {"invoice_number": "F-1", "issue_date": "2026-11-02", "currency": "EUR"},
    "buyer": {"name": "Buyer"},
    "items": [{"name": "Chair", "price": 1250, "quantity": 2, "tax_rate": 12.5,
               "tax_category": "S"}],
}


def _fp(text: str) -> str:
    return fingerprint(Invoice.model_validate_json(text))


def test_key_order_and_whitespace_do_not_count() -> None:
    compact = json.dumps(BASE, separators=(",", ":"))
    reordered = json.dumps(dict(reversed(list(BASE.items()))), indent=4, sort_keys=True)
    assert _fp(compact) == _fp(reordered)


@pytest.mark.parametrize(("one", "other"), [
    ('"quantity": 2', '"quantity": 2.000'),
    ('"quantity": 2', '"quantity": 2E+0'),
    ('"quantity": 2', '"quantity": "2.0"'),
    ('"tax_rate": 12.5', '"tax_rate": 12.50'),
    ('"tax_rate": 12.5', '"tax_rate": 1.25E+1'),
])
def test_number_spelling_does_not_count(one: str, other: str) -> None:
    text = json.dumps(BASE)
    assert one in text
    assert _fp(text) == _fp(text.replace(one, other))


@pytest.mark.parametrize("extra", [
    {"allowances": None}, {"allowances": []}, {"attachments": []},
    {"payment": None}, {"payment": {}}, {"payment": {"payments": []}},
    {"header": {**BASE["header"], "notes": [], "due_date": None}},
    {"calculate_totals": False},
])
def test_null_absent_and_empty_are_the_same(extra: dict[str, Any]) -> None:
    assert fingerprint(Invoice.model_validate({**BASE, **extra})) == \
        fingerprint(Invoice.model_validate(BASE))


@pytest.mark.parametrize("change", [
    {"header": {**BASE["header"], "invoice_number": "F-2"}},
    {"header": {**BASE["header"], "issue_date": "2026-11-03"}},
    {"items": [{**BASE["items"][0], "price": 1251}]},
    {"items": [{**BASE["items"][0], "quantity": "2.001"}]},
    {"items": [{**BASE["items"][0], "name": "Chair "}]},
    {"items": [{**BASE["items"][0], "base_quantity": 1}]},
    {"items": [BASE["items"][0], BASE["items"][0]]},
    {"buyer": {"name": "Buyer", "vat_number": "BE0765432146"}},
    {"calculate_totals": True},
    {"business_entity_id": "6f1c1a0e-8a53-4e62-9d43-4a3c1c5d2b10"},
    {"related_invoice_id": "6f1c1a0e-8a53-4e62-9d43-4a3c1c5d2b10"},
    {"header": {**BASE["header"], "invoice_number_series": "SALES-2026"}},
    {"totals": {"paid_amount": 0}},
])
def test_any_value_change_counts(change: dict[str, Any]) -> None:
    assert fingerprint(Invoice.model_validate({**BASE, **change})) != \
        fingerprint(Invoice.model_validate(BASE))


def test_quantity_and_amount_with_the_same_digits_differ() -> None:
    form = canonical_form(Invoice.model_validate(BASE))
    assert '"quantity":"2"' in form and '"price":1250' in form


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_fixture_round_trip_keeps_the_fingerprint(path: Path) -> None:
    invoice = Invoice.model_validate_json(path.read_text(encoding="utf-8"))
    again = Invoice.model_validate_json(invoice.model_dump_json())
    assert fingerprint(again) == fingerprint(invoice)
    assert len(fingerprint(invoice)) == 64


def test_decimal_spelling_in_python() -> None:
    one = Invoice.model_validate({**BASE, "items": [{**BASE["items"][0],
                                                     "quantity": Decimal("1E+1")}]})
    other = Invoice.model_validate({**BASE, "items": [{**BASE["items"][0],
                                                       "quantity": Decimal("10.00")}]})
    assert fingerprint(one) == fingerprint(other)


def test_document_fingerprint_ignores_prefixes_and_indentation() -> None:
    text = (EXAMPLE / "base-example.xml").read_text(encoding="utf-8")
    renamed = text.replace("cbc:", "b:").replace("xmlns:cbc=", "xmlns:b=")
    one = document_fingerprint(etree.fromstring(text.encode()))
    assert one == document_fingerprint(etree.fromstring(renamed.encode()))
    changed = text.replace(">1656.25<", ">1656.26<")
    assert changed != text
    assert one != document_fingerprint(etree.fromstring(changed.encode()))
