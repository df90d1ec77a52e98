"""The contract's additions for PINT: tax schemes, account identifiers that are not IBANs."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from peppol_ubl.model import BankAccount, Invoice, iban_shaped


@pytest.mark.parametrize(("value", "shaped"), [
    ("BE68539007547034", True), ("NL57 RABO 0107307510", True), ("AE070331234567890123456", True),
    ("AccountNumber", False), ("IBAN32423940", False), ("1234:567:1:3242394", False),
    ("https://pay.example.com.au/x", False), ("NL57  RABO 0107307510", False), ("BE6", False),
])
def test_an_iban_is_told_by_its_form(value: str, shaped: bool) -> None:
    assert iban_shaped(value) is shaped


def test_iban_keeps_the_form_of_an_iban_and_account_id_takes_any_other_identifier() -> None:
    assert BankAccount(iban="BE68539007547034").iban == "BE68539007547034"
    url = "https://www.yourpaymentwebsite.com.au/pay/" + "x" * 100
    assert BankAccount(account_id=url).account_id == url
    for fields in ({"iban": "AccountNumber"}, {"iban": "BE68539007547034", "account_id": "12345678"},
                   {"account_id": "x" * 501}):
        with pytest.raises(ValidationError):
            BankAccount.model_validate(fields)


def _invoice(header: dict[str, Any]) -> Invoice:
    return Invoice.model_validate({"header": header, "buyer": {"name": "B"},
                                   "items": [{"name": "x", "price": 1, "quantity": 1}]})


def test_the_document_tax_scheme_defaults_to_vat() -> None:
    assert _invoice({}).tax_scheme == "VAT"
    assert _invoice({"tax_scheme": "GST"}).tax_scheme == "GST"
    with pytest.raises(ValidationError):
        _invoice({"tax_scheme": ""})


def test_issue_time_is_an_xs_time() -> None:
    assert _invoice({"issue_time": "17:38:00+04:00"}).header.issue_time == "17:38:00+04:00"
    with pytest.raises(ValidationError):
        _invoice({"issue_time": "5 pm"})
