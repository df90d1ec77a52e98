"""The contract models: documented constraints, exact numbers, dates, BT-114 consistency."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from peppol_ubl.model import Invoice

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "invoices" / "standard-several-rates.json"


def _base() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def _error_locations(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as err:
        Invoice.model_validate(data)
    assert isinstance(err.value, ValueError)
    return [e["loc"] for e in err.value.errors()]


def test_json_float_becomes_the_exact_decimal() -> None:
    text = FIXTURE.read_text().replace('"quantity": 2', '"quantity": 12.345', 1)
    invoice = Invoice.model_validate_json(text)
    assert invoice.items[0].quantity == Decimal("12.345")
    assert str(invoice.items[0].quantity) == "12.345"


def test_decimals_serialise_exactly() -> None:
    data = _base()
    data["items"][0]["quantity"] = "0.1"
    dumped = json.loads(Invoice.model_validate(data).model_dump_json())
    assert dumped["items"][0]["quantity"] == "0.1"
    assert Invoice.model_validate(dumped) == Invoice.model_validate(data)


@pytest.mark.parametrize("value", ["2026-11-02", "2026-11-02T23:59:00", "2026-11-02T10:00:00Z",
                                   "2026-11-02T10:00:00+02:00"])
def test_dates_accept_date_or_datetime_and_keep_the_date(value: str) -> None:
    data = _base()
    data["header"]["issue_date"] = value
    invoice = Invoice.model_validate(data)
    assert invoice.header.issue_date == dt.date(2026, 11, 2)
    assert json.loads(invoice.model_dump_json())["header"]["issue_date"] == "2026-11-02"


@pytest.mark.parametrize(
    ("change", "location"),
    [
        (lambda d: d["buyer"].pop("name"), ("buyer", "name")),
        (lambda d: d.pop("items"), ("items",)),
        (lambda d: d.update(items=[]), ("items",)),
        (lambda d: d["seller"]["address"].update(country="BEL"), ("seller", "address", "country")),
        (lambda d: d["seller"]["address"].update(country="be"), ("seller", "address", "country")),
        (lambda d: d["header"].update(currency="EURO"), ("header", "currency")),
        (lambda d: d["items"][0].update(tax_rate=100.5), ("items", 0, "tax_rate")),
        (lambda d: d["items"][0].update(allowances=[{"percentage": 101}]),
         ("items", 0, "allowances", 0, "percentage")),
        (lambda d: d["items"][0].update(price=12.5), ("items", 0, "price")),
        (lambda d: d["items"][0].update(price="1250"), ("items", 0, "price")),
        (lambda d: d["items"][0].update(name="x" * 256), ("items", 0, "name")),
        (lambda d: d["items"][0].update(id="x" * 51), ("items", 0, "id")),
        (lambda d: d["seller"].update(vat_number="x" * 51), ("seller", "vat_number")),
        (lambda d: d["seller"]["address"].update(postal_code="1" * 21), ("seller", "address", "postal_code")),
        (lambda d: d["seller"]["contact"].update(email="not an email"), ("seller", "contact", "email")),
        (lambda d: d["header"].update(invoice_type_code="1" * 11), ("header", "invoice_type_code")),
        (lambda d: d["header"].update(issue_date="2026-13-01"), ("header", "issue_date")),
        (lambda d: d.update(attachments=[{"data": "not base64!"}]), ("attachments", 0, "data")),
        (lambda d: d["buyer"].update(nmae="typo"), ("buyer", "nmae")),
        (lambda d: d.update(business_entity_id="not-a-uuid"), ("business_entity_id",)),
        (lambda d: d["items"][0].update(quantity="NaN"), ("items", 0, "quantity")),
    ],
)
def test_documented_constraints_are_enforced(change: Any, location: tuple[Any, ...]) -> None:
    data = _base()
    change(data)
    assert location in _error_locations(data)


def test_exemption_reason_codes_may_be_longer_than_the_seed_says() -> None:
    data = _base()
    data["items"][0]["tax_exemption_reason_code"] = "VATEX-FR-298SEXDECIESA"
    Invoice.model_validate(data)
    data["items"][0]["tax_exemption_reason_code"] = "V" * 31
    assert ("items", 0, "tax_exemption_reason_code") in _error_locations(data)


def test_rounding_amount_from_either_field() -> None:
    data = _base()
    data["header"]["rounding_amount"] = 3
    assert Invoice.model_validate(data).rounding_amount == 3
    del data["header"]["rounding_amount"]
    data["totals"] = {"payable_rounding_amount": -2}
    assert Invoice.model_validate(data).rounding_amount == -2
    data["header"]["rounding_amount"] = -2
    assert Invoice.model_validate(data).rounding_amount == -2


def test_two_different_rounding_amounts_are_refused() -> None:
    data = _base()
    data["header"]["rounding_amount"] = 3
    data["totals"] = {"payable_rounding_amount": 2}
    with pytest.raises(ValidationError, match="BT-114"):
        Invoice.model_validate(data)


def test_legacy_and_array_payment_means_are_both_read() -> None:
    data = _base()
    data["payment"].update(means_code="58", bank_account={"iban": "BE68539007547034"})
    means = Invoice.model_validate(data).payment.means()  # type: ignore[union-attr]
    assert [m.means_code for m in means] == ["58", "30"]


def test_models_are_immutable() -> None:
    invoice = Invoice.model_validate(_base())
    with pytest.raises(ValidationError):
        invoice.buyer.name = "changed"  # type: ignore[misc]


def test_credit_note_codes() -> None:
    data = _base()
    for code, credit in (("380", False), ("381", True), ("396", True), ("532", True), ("383", False)):
        data["header"]["invoice_type_code"] = code
        assert Invoice.model_validate(data).is_credit_note is credit
