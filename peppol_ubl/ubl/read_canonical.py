"""The canonical form of an invoice model: the model exactly as the reader reads it back
from the writer's output, so that ``parse(to_xml(m)) == canonical(m)`` for every model
the writer accepts.

The writer fills in defaults, computes amounts and has one place for values the contract
can hold in several; the reader reads the written values back explicitly. Normalisation:

* amounts: when ``calculate_totals`` is set the computed model (:func:`peppol_ubl.calculate`)
  with the flag cleared; the rounding amount BT-114 is held in
  ``totals.payable_rounding_amount``;
* defaults made explicit (the writer's, from :data:`peppol_ubl.ubl.terms.DEFAULTS`):
  specification BT-24, business process BT-23, type code BT-3, unit code BT-130, tax
  registration scheme; line ids (the 1-based position), attachment id = file name, or
  ``attachment-N`` (its 1-based position) without either (``write_header.attachment_reference``);
* texts: surrounding whitespace removed; empty texts, empty lists and groups without any
  value are absent; identifiers, classifications and allowances without a value, a
  ``schemeID`` without an identifier, an embedded file's name and type without the file,
  a line period's description, and exemption reasons on lines and document
  allowances/charges (the writer carries them in the VAT breakdown) are dropped;
* tax schemes: the document's (``header.tax_scheme``) is absent when it is VAT, a VAT
  breakdown group's (``tax_breakdown[].tax_scheme``) when it is the document's;
* party names: ``legal_name`` and ``name`` are the registration name, ``trading_name``
  the ``PartyName`` the writer writes; a purchase order ``NA`` next to a sales order is
  the writer's placeholder and absent;
* payments: every payment means, legacy one first, split into one entry per bank
  account in ``payment.payments`` (the means text BT-82 on the first of them only);
* an exact price ``price_amount`` that is a whole number of cents is absent (``price``
  holds it); the platform-only fields ``business_entity_id``, ``related_invoice_id`` and
  ``header.invoice_number_series`` are absent; the VAT total in the VAT currency BT-111
  and the totals without and with VAT in it are absent unless that currency differs from
  the document currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..calculation import calculate
from ..model import DEFAULT_TAX_SCHEME, Invoice
from .terms import DEFAULTS, VAT_CURRENCY_TOTALS

__all__ = ["canonical"]

_Data = dict[str, Any]


def canonical(invoice: Invoice) -> Invoice:
    """The model as ``parse(to_xml(invoice))`` returns it (see the module docstring)."""
    if invoice.calculate_totals:
        invoice = calculate(invoice)
    data = _clean(invoice.model_dump(exclude={"calculate_totals", "business_entity_id",
                                              "related_invoice_id"}))
    assert isinstance(data, dict)
    _header(data, invoice.rounding_amount)
    for key in ("seller", "buyer"):
        if data.get(key):
            _party(data[key], key)
    payee = data.get("payee")
    if payee:
        payee["identifiers"] = [i for i in payee.get("identifiers") or [] if _identifier(i)]
        payee["company_id"] = _identifier(payee.get("company_id"))
    data["payment"] = _payment(data.get("payment"))
    _references(data)
    data["items"] = [_item(item, index) for index, item in enumerate(data["items"])]
    for key in ("allowances", "charges"):
        for entry in data.get(key) or []:
            entry.pop("tax_exemption_reason", None)
            entry.pop("tax_exemption_reason_code", None)
    _attachments(data)
    _totals(data)
    _tax_schemes(data, invoice.tax_scheme)
    return Invoice.model_validate(_clean(data))


def _clean(value: Any) -> Any:
    """Strip texts; drop empty texts, empty lists and groups without values."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        items = [_clean(item) for item in value]
        return [item for item in items if item is not None] or None
    if isinstance(value, dict):
        fields = {key: _clean(item) for key, item in value.items()}
        fields = {key: item for key, item in fields.items() if item is not None}
        return fields or None
    return value


def _header(data: _Data, rounding: int | None) -> None:
    header = data.setdefault("header", {})
    header.pop("invoice_number_series", None)
    header.pop("rounding_amount", None)
    for field in ("specification", "business_process", "invoice_type_code"):
        header.setdefault(field, DEFAULTS[f"header.{field}"])
    if rounding is not None:
        data.setdefault("totals", {})["payable_rounding_amount"] = rounding


def _identifier(ident: _Data | None) -> _Data | None:
    return ident if ident and ident.get("value") else None


def _party(party: _Data, owner: str) -> None:
    registration = party.get("legal_name") or party.get("name")
    trading = party.get("trading_name") or (
        party.get("name") if party.get("name") != registration else None)
    for key, value in (("legal_name", registration), ("name", registration),
                       ("trading_name", trading)):
        party[key] = value
    if owner != "seller" and registration is None:
        party["name"] = trading
    party["endpoint_id"] = _identifier(party.get("endpoint_id"))
    party["company_id"] = _identifier(party.get("company_id"))
    party["identifiers"] = [i for i in party.get("identifiers") or [] if _identifier(i)]
    tax = _identifier(party.get("tax_registration_id"))
    if tax is not None:
        tax.setdefault("scheme", DEFAULTS[f"{owner}.tax_registration_id.scheme"])
    party["tax_registration_id"] = tax


def _payment(payment: _Data | None) -> _Data | None:
    if payment is None:
        return None
    legacy: _Data = {key: payment.pop(key) for key in ("means_code", "means_text", "payment_id",
                                                       "card", "direct_debit") if key in payment}
    if "bank_account" in payment:
        legacy["bank_accounts"] = [payment.pop("bank_account")]
    means = ([legacy] if legacy else []) + list(payment.get("payments") or [])
    payment["payments"] = [
        {**entry, "bank_accounts": [account] if account else None,
         "means_text": entry.get("means_text") if index == 0 else None}
        for entry in means for index, account in enumerate(entry.get("bank_accounts") or [None])
    ]
    return payment


def _references(data: _Data) -> None:
    refs = data.get("references") or {}
    if refs.get("purchase_order") == "NA" and refs.get("sales_order"):
        del refs["purchase_order"]
    refs["invoiced_object"] = _identifier(refs.get("invoiced_object"))
    delivery = data.get("delivery")
    if delivery and not delivery.get("location_id"):
        delivery.pop("location_scheme", None)


def _item(item: _Data, index: int) -> _Data:
    item.setdefault("id", str(index + 1))
    item.setdefault("unit_code", DEFAULTS["items[*].unit_code"])
    item.pop("tax_exemption_reason", None)
    item.pop("tax_exemption_reason_code", None)
    if item.get("period"):
        item["period"].pop("description", None)
    exact = item.get("price_amount")
    if exact is not None and Decimal(exact) * 100 == item["price"]:
        del item["price_amount"]
    item["invoiced_object"] = _identifier(item.get("invoiced_object"))
    ids = item.get("identifiers")
    if ids:
        ids["standard"] = _identifier(ids.get("standard"))
    item["classifications"] = [c for c in item.get("classifications") or [] if c.get("value")]
    return item


def _attachments(data: _Data) -> None:
    for index, attachment in enumerate(data.get("attachments") or []):
        attachment["id"] = attachment.get("id") or attachment.get("filename") or f"attachment-{index + 1}"
        if attachment.get("data") is None:
            attachment.pop("mime_type", None)
            attachment.pop("filename", None)


def _tax_schemes(data: _Data, scheme: str) -> None:
    if scheme == DEFAULT_TAX_SCHEME:
        data["header"].pop("tax_scheme", None)
    for group in data.get("tax_breakdown") or []:
        if group.get("tax_scheme") == scheme:
            del group["tax_scheme"]


def _totals(data: _Data) -> None:
    header, totals = data["header"], data.get("totals") or {}
    if header.get("vat_currency") in (None, header.get("currency")):
        for field in ("tax_amount_in_vat_currency", *VAT_CURRENCY_TOTALS):
            totals.pop(field, None)
