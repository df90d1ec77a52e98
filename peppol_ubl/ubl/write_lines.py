"""Writer for invoice lines (BG-25) with item (BG-31), line VAT (BG-30), price (BG-29)
and line allowances/charges (BG-27/BG-28), plus document allowances/charges (BG-20/21).

The price is written from cents, or exactly from ``price_amount`` when that is set; the
price discount BT-147 and gross price BT-148 go in the price's ``AllowanceCharge``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import AllowanceCharge, DocumentAllowanceCharge, Item
from .build import Node, Writer, require
from .terms import DEFAULTS, INVOICED_OBJECT_TYPE

__all__ = ["write_allowance_charges", "write_line"]



def write_allowance_charges(
    w: Writer, parent: Node, path: str, entries: Sequence[AllowanceCharge] | None, charge: bool
) -> None:
    """``AllowanceCharge`` elements; document-level ones carry their ``TaxCategory``."""
    for index, entry in enumerate(entries or []):
        where = f"{path}[{index}]"
        node = w.group(parent, "AllowanceCharge", source=where)
        w.text(node, "ChargeIndicator", "true" if charge else "false")
        w.text(node, "AllowanceChargeReasonCode", entry.reason_code)
        w.text(node, "AllowanceChargeReason", entry.reason)
        w.number(node, "MultiplierFactorNumeric", entry.percentage)
        w.amount(node, "Amount", require(entry.amount, f"{where}.amount", "the amount"))
        w.amount(node, "BaseAmount", entry.base_amount)
        if isinstance(entry, DocumentAllowanceCharge):
            category = w.group(node, "TaxCategory")
            w.text(category, "ID", require(entry.tax_category, f"{where}.tax_category",
                                           "the VAT category code"))
            w.number(category, "Percent", entry.tax_rate)
            w.text(w.group(category, "TaxScheme"), "ID", w.tax_scheme)


def _item(w: Writer, line: Node, item: Item, path: str) -> None:
    node = w.group(line, "Item")
    w.text(node, "Description", item.description)
    w.text(node, "Name", item.name)
    ids = item.identifiers
    if ids is not None:
        w.wrapped(node, "BuyersItemIdentification", "ID", ids.buyers_item_id)
        w.wrapped(node, "SellersItemIdentification", "ID", ids.sellers_item_id)
        if ids.standard is not None:
            w.wrapped(node, "StandardItemIdentification", "ID", ids.standard.value,
                      schemeID=ids.standard.scheme)
    w.wrapped(node, "OriginCountry", "IdentificationCode", item.origin_country)
    for klass in item.classifications or []:
        w.wrapped(node, "CommodityClassification", "ItemClassificationCode", klass.value,
                  listID=klass.list_id, listVersionID=klass.list_version)
    category = w.group(node, "ClassifiedTaxCategory")
    w.text(category, "ID", require(item.tax_category, f"{path}.tax_category",
                                   "the VAT category code (BT-151)"))
    w.number(category, "Percent", item.tax_rate)
    w.text(w.group(category, "TaxScheme"), "ID", w.tax_scheme)
    for attribute in item.attributes or []:
        if attribute.name or attribute.value:
            prop = w.group(node, "AdditionalItemProperty")
            w.text(prop, "Name", attribute.name)
            w.text(prop, "Value", attribute.value)


def write_line(w: Writer, parent: Node, item: Item, index: int, credit_note: bool) -> None:
    """One ``InvoiceLine`` or ``CreditNoteLine``; ``index`` is 0-based."""
    path = f"items[{index}]"
    line = w.group(parent, "CreditNoteLine" if credit_note else "InvoiceLine", source=path)
    w.text(line, "ID", item.id or str(index + 1))
    w.text(line, "Note", item.note)
    unit = item.unit_code or DEFAULTS["items[*].unit_code"]
    w.number(line, "CreditedQuantity" if credit_note else "InvoicedQuantity", item.quantity,
             unitCode=unit)
    w.amount(line, "LineExtensionAmount", require(
        item.line_extension_amount, f"{path}.line_extension_amount",
        "the line net amount (BT-131; set calculate_totals to compute it)"))
    w.text(line, "AccountingCost", item.accounting_cost)
    if item.period is not None and (item.period.start_date or item.period.end_date):
        period = w.group(line, "InvoicePeriod", source=f"{path}.period")
        w.date(period, "StartDate", item.period.start_date)
        w.date(period, "EndDate", item.period.end_date)
    w.wrapped(line, "OrderLineReference", "LineID", item.order_line_reference)
    if item.invoiced_object is not None and item.invoiced_object.value:
        doc = w.group(line, "DocumentReference")  # BT-128: type code 130
        w.scheme_id(doc, "ID", item.invoiced_object.value, item.invoiced_object.scheme)
        w.text(doc, "DocumentTypeCode", INVOICED_OBJECT_TYPE)
    write_allowance_charges(w, line, f"{path}.allowances", item.allowances, charge=False)
    write_allowance_charges(w, line, f"{path}.charges", item.charges, charge=True)
    _item(w, line, item, path)
    price = w.group(line, "Price")
    if item.price_amount is not None:
        w.number(price, "PriceAmount", item.price_amount, currencyID=w.currency)
    else:
        w.amount(price, "PriceAmount", item.price)
    w.number(price, "BaseQuantity", item.base_quantity, unitCode=unit)
    if item.price_discount_amount is not None or item.gross_price_amount is not None:
        discount = w.group(price, "AllowanceCharge")
        w.text(discount, "ChargeIndicator", "false")
        w.number(discount, "Amount", require(
            item.price_discount_amount, f"{path}.price_discount_amount",
            "the item price discount (BT-147) when a gross price is given"),
            currencyID=w.currency)
        w.number(discount, "BaseAmount", item.gross_price_amount, currencyID=w.currency)
