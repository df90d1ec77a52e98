"""Reader for invoice lines (BG-25) with item (BG-31), line VAT (BG-30), price (BG-29)
and line allowances/charges (BG-27/BG-28), plus document allowances/charges (BG-20/21);
the counterpart of :mod:`peppol_ubl.ubl.write_lines`.

The line id, unit code and type codes are read as written (the writer's defaults are
explicit in its output). The net price BT-146 is kept exactly: ``price`` holds it in
cents and, when it has more than two decimals, ``price_amount`` holds the exact value;
price discount BT-147 and gross price BT-148 are exact decimals too. A ``BaseQuantity``
unit code other than the line's stays unmapped (the model has one unit per line). The
first line ``DocumentReference`` with type code 130, else the first without one, is the
line object identifier BT-128.
"""

from __future__ import annotations

from decimal import Decimal

from .read_context import INVALID, Node, ReadContext, Sourced, compact
from .terms import INVOICED_OBJECT_TYPE

__all__ = ["read_allowance_charges", "read_line"]



def _tax_category(ctx: ReadContext, node: Node | None, prefix: str = "") -> dict[str, object]:
    """VAT category code and rate; the tax scheme must be the document's (else it stays
    unmapped)."""
    ctx.fixed(ctx.one(node, "cac:TaxScheme"), "cbc:ID", ctx.tax_scheme)
    fields = compact(**{
        f"{prefix}category": ctx.text(node, "cbc:ID"),
        f"{prefix}rate": ctx.decimal(node, "cbc:Percent"),
    })
    return fields or {}


def read_allowance_charges(ctx: ReadContext, parent: Node, document: bool) -> dict[str, list[object]]:
    """``AllowanceCharge`` children of a line or the document: ``{"allowances": [...],
    "charges": [...]}``; document level ones with their VAT category (BT-95/96, BT-102/103)."""
    found: dict[str, list[object]] = {"allowances": [], "charges": []}
    for node in ctx.all(parent, "cac:AllowanceCharge"):
        indicator = ctx.boolean(node, "cbc:ChargeIndicator")
        if indicator is None or indicator.value is INVALID:
            continue  # neither an allowance nor a charge: everything in it stays unmapped
        entry = compact(
            reason_code=ctx.text(node, "cbc:AllowanceChargeReasonCode"),
            reason=ctx.text(node, "cbc:AllowanceChargeReason"),
            percentage=ctx.decimal(node, "cbc:MultiplierFactorNumeric"),
            amount=ctx.amount(node, "cbc:Amount"),
            base_amount=ctx.amount(node, "cbc:BaseAmount"),
        ) or {}
        if document:
            category = _tax_category(ctx, ctx.one(node, "cac:TaxCategory"), "tax_")
            entry.update(category)
        found["charges" if indicator.value else "allowances"].append(entry)
    return found


def _item(ctx: ReadContext, node: Node | None) -> dict[str, object]:
    """Item BG-31: names, identifiers, origin, classifications, VAT (BG-30), attributes."""
    standard = ctx.path(node, "cac:StandardItemIdentification", "cbc:ID")
    classifications = []
    for klass in ctx.all(node, "cac:CommodityClassification"):
        code = ctx.one(klass, "cbc:ItemClassificationCode")
        entry = compact(value=ctx.node_text(code), list_id=ctx.attr(code, "listID"),
                        list_version=ctx.attr(code, "listVersionID"))
        if entry:
            classifications.append(entry)
    attributes = []
    for prop in ctx.all(node, "cac:AdditionalItemProperty"):
        entry = compact(name=ctx.text(prop, "cbc:Name"), value=ctx.text(prop, "cbc:Value"))
        if entry:
            attributes.append(entry)
    tax = _tax_category(ctx, ctx.one(node, "cac:ClassifiedTaxCategory"), "tax_")
    return compact(
        description=ctx.text(node, "cbc:Description"),
        name=ctx.text(node, "cbc:Name"),
        identifiers=compact(
            buyers_item_id=ctx.text(ctx.one(node, "cac:BuyersItemIdentification"), "cbc:ID"),
            sellers_item_id=ctx.text(ctx.one(node, "cac:SellersItemIdentification"), "cbc:ID"),
            standard=compact(value=ctx.node_text(standard), scheme=ctx.attr(standard, "schemeID")),
        ),
        origin_country=ctx.text(ctx.one(node, "cac:OriginCountry"), "cbc:IdentificationCode"),
        classifications=classifications,
        attributes=attributes,
        tax_category=tax.get("tax_category"),
        tax_rate=tax.get("tax_rate"),
    ) or {}


def _price(ctx: ReadContext, node: Node | None, unit: Sourced[str] | None) -> dict[str, object]:
    """Price BG-29: net price BT-146 (cents, and exact when finer), base quantity BT-149,
    discount BT-147 and gross price BT-148."""
    fields: dict[str, object] = {}
    amount = ctx.unit_amount(node, "cbc:PriceAmount")
    if amount is not None:
        exact = amount.value
        if isinstance(exact, Decimal):
            cents = ctx.cents(exact, amount)
            fields["price"] = Sourced(cents, amount.node)
            if cents != exact * 100:
                fields["price_amount"] = amount
        else:
            fields["price"] = amount
    base = ctx.one(node, "cbc:BaseQuantity")
    if base is not None:
        fields["base_quantity"] = ctx.node_decimal(base)
        base_unit = (base.get("unitCode") or "").strip()
        if unit is not None and base_unit == unit.value:
            ctx.take(base, "unitCode")
    discount = ctx.one(node, "cac:AllowanceCharge")
    if discount is not None and ctx.fixed(discount, "cbc:ChargeIndicator", "false"):
        fields["price_discount_amount"] = ctx.unit_amount(discount, "cbc:Amount")
        fields["gross_price_amount"] = ctx.unit_amount(discount, "cbc:BaseAmount")
    return compact(**fields) or {}


def _invoiced_object(ctx: ReadContext, line: Node) -> Node | None:
    """The line's ``DocumentReference`` that holds BT-128: the first with type code 130,
    else the first without a type code (PINT's line document reference IBT-188 is one
    without a type code next to a 130 one)."""
    untyped = None
    for document in ctx.all(line, "cac:DocumentReference"):
        code = ctx.one(document, "cbc:DocumentTypeCode")
        if code is None:
            untyped = untyped if untyped is not None else document
        elif (code.text or "").strip() == INVOICED_OBJECT_TYPE:
            return document
    return untyped


def read_line(ctx: ReadContext, line: Node, credit: bool) -> dict[str, object]:
    """One ``InvoiceLine`` or ``CreditNoteLine`` as an ``items[]`` entry."""
    quantity = ctx.one(line, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity")
    unit = ctx.attr(quantity, "unitCode")
    period = ctx.one(line, "cac:InvoicePeriod")
    document = _invoiced_object(ctx, line)
    invoiced_object = None
    if document is not None:
        ctx.fixed(document, "cbc:DocumentTypeCode", INVOICED_OBJECT_TYPE)
        ident = ctx.one(document, "cbc:ID")
        invoiced_object = compact(value=ctx.node_text(ident), scheme=ctx.attr(ident, "schemeID"))
    fields = compact(
        id=ctx.text(line, "cbc:ID"),
        note=ctx.text(line, "cbc:Note"),
        quantity=ctx.node_decimal(quantity),
        unit_code=unit,
        line_extension_amount=ctx.amount(line, "cbc:LineExtensionAmount"),
        accounting_cost=ctx.text(line, "cbc:AccountingCost"),
        period=compact(start_date=ctx.date(period, "cbc:StartDate"),
                       end_date=ctx.date(period, "cbc:EndDate")),
        order_line_reference=ctx.text(ctx.one(line, "cac:OrderLineReference"), "cbc:LineID"),
        invoiced_object=invoiced_object,
    ) or {}
    charges = read_allowance_charges(ctx, line, document=False)
    fields.update(compact(**charges) or {})
    fields.update(_item(ctx, ctx.one(line, "cac:Item")))
    fields.update(_price(ctx, ctx.one(line, "cac:Price"), unit))
    return fields

