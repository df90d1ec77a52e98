"""Reader for the document header and document references (BT-1 … BT-26, BG-3, BG-14,
BG-24), the counterpart of :mod:`peppol_ubl.ubl.write_header`.

Mirrors the writer's decisions: an ``OrderReference/ID`` of ``NA`` next to a sales order
(BT-14) is the writer's placeholder and reads as no purchase order; on a credit note an
``AdditionalDocumentReference`` with type code 50 is the project reference BT-11; one
with type code 130 is the invoiced object identifier BT-18; one with the type code of a
total in the VAT accounting currency (``sgdtotal-incl-gst``) that total; every other one
is an attachment (BG-24). The document's tax scheme is that of its first line's tax category.
Defaults are read back as the explicit values they stand for, so
``CustomizationID``, ``ProfileID`` and the type code always hold what the document says.
"""

from __future__ import annotations

from ..model.header import CREDIT_NOTE_TYPE_CODES, DEFAULT_TAX_SCHEME
from ..money import parse_amount
from ..xml.paths import path_of
from .read_context import Node, ReadContext, Sourced, compact
from .terms import (
    INVOICED_OBJECT_TYPE,
    PROJECT_DOCUMENT_TYPE,
    VAT_CURRENCY_TOTALS,
    VAT_POINT_DATE_CODES,
    vat_currency_total_code,
)
from .unmapped import ParseWarning

__all__ = ["read_attachments", "read_header", "read_references"]

_PO_PLACEHOLDER = "NA"
_DEFAULT_CREDIT_NOTE_TYPE = "381"


def read_header(ctx: ReadContext, root: Node, credit: bool) -> dict[str, object]:
    """Identity, dates, type code, notes, currencies, buyer reference, invoice period."""
    currency = ctx.text(root, "cbc:DocumentCurrencyCode")
    ctx.currency = str(currency.value) if currency else None
    notes = [note for node in ctx.all(root, "cbc:Note") if (note := ctx.node_text(node))]
    header = compact(
        specification=ctx.text(root, "cbc:CustomizationID"),
        business_process=ctx.text(root, "cbc:ProfileID"),
        invoice_number=ctx.text(root, "cbc:ID"),
        uuid=ctx.text(root, "cbc:UUID"),
        invoice_type_code=_type_code(ctx, root, credit),
        issue_date=ctx.date(root, "cbc:IssueDate"),
        issue_time=ctx.text(root, "cbc:IssueTime"),
        due_date=None if credit else ctx.date(root, "cbc:DueDate"),
        tax_point_date=ctx.date(root, "cbc:TaxPointDate"),
        currency=currency,
        vat_currency=ctx.text(root, "cbc:TaxCurrencyCode"),
        tax_scheme=_tax_scheme(ctx, root, credit),
        accounting_cost=ctx.text(root, "cbc:AccountingCost"),
        buyer_reference=ctx.text(root, "cbc:BuyerReference"),
        notes=notes,
        invoice_period=_period(ctx, ctx.one(root, "cac:InvoicePeriod")),
    )
    return header or {}


def _tax_scheme(ctx: ReadContext, root: Node, credit: bool) -> Sourced[str] | None:
    """The document's tax scheme: that of the first line's tax category (held in the
    model only when it is not VAT). It becomes ``ctx.tax_scheme``, under which the line,
    allowance/charge and party readers take their tax schemes; the line reader takes
    the element itself."""
    line = ctx.one(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    node = ctx.path(line, "cac:Item", "cac:ClassifiedTaxCategory", "cac:TaxScheme", "cbc:ID")
    scheme = (node.text or "").strip() if node is not None else ""
    if node is None or not scheme:
        return None
    ctx.tax_scheme = scheme
    return None if scheme == DEFAULT_TAX_SCHEME else Sourced(scheme, node)


def _type_code(ctx: ReadContext, root: Node, credit: bool) -> Sourced[str] | str | None:
    """BT-3; a code that contradicts the root is kept and reported."""
    code = ctx.text(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode")
    if code is None:
        if not credit:
            return None
        ctx.warnings.append(ParseWarning(
            path_of(root), "", "document-type",
            f"the credit note has no type code; read as {_DEFAULT_CREDIT_NOTE_TYPE}"))
        return _DEFAULT_CREDIT_NOTE_TYPE
    if (code.value in CREDIT_NOTE_TYPE_CODES) != credit:
        ctx.warn(code, "document-type", "the type code makes the model a "
                 f"{'CreditNote' if not credit else 'Invoice'}, unlike the document's root")
    return code


def _period(ctx: ReadContext, node: Node | None) -> dict[str, object] | None:
    """Invoicing period BG-14: start BT-73, end BT-74, VAT point date code BT-8 (another
    code, such as PINT AE's billing frequency, is refused: the writer writes none)."""
    code = ctx.text(node, "cbc:DescriptionCode")
    if code is not None and code.value not in VAT_POINT_DATE_CODES:
        ctx.release(code)
        ctx.warn(code, "invalid", "not a VAT point date code (BT-8: 3, 35 or 432); left out of the model")
        code = None
    return compact(
        start_date=ctx.date(node, "cbc:StartDate"),
        end_date=ctx.date(node, "cbc:EndDate"),
        description=code,
    )


def read_references(ctx: ReadContext, root: Node) -> dict[str, dict[str, object]]:
    """Order (BT-13/14), preceding invoices (BG-3), despatch/receipt advice (BT-16/15),
    tender (BT-17), contract (BT-12) and project (BT-11) references, as header and
    ``references`` fields: ``{"header": {...}, "references": {...}}``."""
    order = ctx.one(root, "cac:OrderReference")
    sales_order = ctx.text(order, "cbc:SalesOrderID")
    purchase_order = ctx.text(order, "cbc:ID")
    if purchase_order is not None and purchase_order.value == _PO_PLACEHOLDER and sales_order:
        purchase_order = None  # the writer's placeholder for "sales order only"
    preceding = []
    for billing in ctx.all(root, "cac:BillingReference"):
        doc = ctx.one(billing, "cac:InvoiceDocumentReference")
        entry = compact(number=ctx.text(doc, "cbc:ID"), issue_date=ctx.date(doc, "cbc:IssueDate"))
        if entry:
            preceding.append(entry)
    references = compact(
        purchase_order=purchase_order,
        sales_order=sales_order,
        preceding_invoices=preceding,
        despatch_advice=ctx.text(ctx.one(root, "cac:DespatchDocumentReference"), "cbc:ID"),
        receipt_advice=ctx.text(ctx.one(root, "cac:ReceiptDocumentReference"), "cbc:ID"),
    )
    header = compact(
        tender_or_lot_reference=ctx.text(ctx.one(root, "cac:OriginatorDocumentReference"), "cbc:ID"),
        contract_reference=ctx.text(ctx.one(root, "cac:ContractDocumentReference"), "cbc:ID"),
        project_reference=ctx.text(ctx.one(root, "cac:ProjectReference"), "cbc:ID"),
    )
    return {"header": header or {}, "references": references or {}}


def read_attachments(ctx: ReadContext, root: Node, credit: bool) -> dict[str, object]:
    """Additional document references: attachments BG-24, the invoiced object BT-18, the
    totals in the VAT accounting currency (PINT SG) and, on a credit note, the project
    reference BT-11: ``{"attachments": [...], "invoiced_object": {...},
    "project_reference": ..., "tax_inclusive_amount_in_vat_currency": ...}``."""
    attachments: list[dict[str, object]] = []
    found: dict[str, object] = {}
    vat_currency, totals = _vat_currency_totals(ctx, root)
    for doc in ctx.all(root, "cac:AdditionalDocumentReference"):
        type_code = ctx.text(doc, "cbc:DocumentTypeCode")
        kind = type_code.value if type_code else None
        field = totals.get(str(kind))
        if (field is not None and field not in found and _is_amount(ctx.one(doc, "cbc:DocumentDescription"))
                and ctx.fixed(doc, "cbc:ID", vat_currency)):
            found[field] = ctx.amount(doc, "cbc:DocumentDescription")
        elif kind == INVOICED_OBJECT_TYPE and "invoiced_object" not in found:
            ident = ctx.one(doc, "cbc:ID")
            found["invoiced_object"] = compact(value=ctx.node_text(ident),
                                               scheme=ctx.attr(ident, "schemeID"))
        elif kind == PROJECT_DOCUMENT_TYPE and credit and "project_reference" not in found:
            found["project_reference"] = ctx.text(doc, "cbc:ID")
        else:
            if type_code is not None:
                ctx.release(type_code)  # an attachment has no type code in the model
            attachments.append(_attachment(ctx, doc))
    found["attachments"] = attachments
    return found


def _is_amount(node: Node | None) -> bool:
    """Whether ``node`` holds a decimal number (a total's description; PINT AE writes
    ``AED 913621.44``, which is read as an attachment)."""
    try:
        parse_amount((node.text or "") if node is not None else "")
    except ValueError:
        return False
    return True


def _vat_currency_totals(ctx: ReadContext, root: Node) -> tuple[str, dict[str, str]]:
    """The VAT accounting currency BT-6 and the type codes of the totals in it
    (``sgdtotal-incl-gst`` …) by code, each with its ``totals`` field; none when the
    document has no other VAT currency."""
    node = ctx.one(root, "cbc:TaxCurrencyCode")
    currency = (node.text or "").strip() if node is not None else ""
    if not currency or currency == ctx.currency:
        return currency, {}
    return currency, {vat_currency_total_code(kind, currency, ctx.tax_scheme): field
                      for field, kind in VAT_CURRENCY_TOTALS.items()}


def _attachment(ctx: ReadContext, doc: Node) -> dict[str, object]:
    """One attachment: reference BT-122, description BT-123, URL BT-124, file BT-125."""
    node = ctx.one(doc, "cac:Attachment")
    binary = ctx.one(node, "cbc:EmbeddedDocumentBinaryObject")
    data = ctx.node_text(binary)
    if data is not None:  # whitespace is insignificant in xs:base64Binary
        data = Sourced("".join(str(data.value).split()), data.node)
    return compact(
        id=ctx.text(doc, "cbc:ID"),
        description=ctx.text(doc, "cbc:DocumentDescription"),
        data=data,
        mime_type=ctx.attr(binary, "mimeCode"),
        filename=ctx.attr(binary, "filename"),
        external_reference=ctx.text(ctx.one(node, "cac:ExternalReference"), "cbc:URI"),
    ) or {}
