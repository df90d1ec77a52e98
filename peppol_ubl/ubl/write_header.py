"""Writer for the document header: identity (with the UUID and issue time PINT asks
for), dates, notes, currencies, period and
document references (BT-1 … BT-26, BG-3, BG-14, BG-24; BT-18 as an
``AdditionalDocumentReference`` with type code 130, before the attachments; after them
the totals in the VAT accounting currency PINT SG asks for).

Invoice and CreditNote differ here: a credit note has no ``DueDate`` (it goes in the
payment means), puts ``TaxPointDate`` before its type code, has no ``ProjectReference``
(BT-11 becomes an ``AdditionalDocumentReference`` with type code 50) and puts
``OriginatorDocumentReference`` after the additional documents.
"""

from __future__ import annotations

from ..errors import BuildError
from ..model import Invoice
from ..model.attachment import Attachment
from ..model.header import Header, Period
from .build import Node, Writer, require
from .terms import (
    DEFAULTS,
    INVOICED_OBJECT_TYPE,
    PROJECT_DOCUMENT_TYPE,
    VAT_CURRENCY_TOTALS,
    VAT_POINT_DATE_CODES,
    vat_currency_total_code,
)

__all__ = ["attachment_reference", "write_header", "write_references"]


def write_header(w: Writer, root: Node, invoice: Invoice) -> None:
    """Identity, dates, type code, notes, currencies, buyer reference and period."""
    header = invoice.header
    credit = invoice.is_credit_note
    w.text(root, "CustomizationID", header.specification or DEFAULTS["header.specification"])
    w.text(root, "ProfileID", header.business_process or DEFAULTS["header.business_process"])
    w.text(root, "ID", require(header.invoice_number, "header.invoice_number",
                               "the invoice number (BT-1)"))
    w.text(root, "UUID", header.uuid)
    w.date(root, "IssueDate", require(header.issue_date, "header.issue_date",
                                      "the issue date (BT-2)"))
    w.text(root, "IssueTime", header.issue_time)
    type_code = header.invoice_type_code or DEFAULTS["header.invoice_type_code"]
    if credit:
        w.date(root, "TaxPointDate", header.tax_point_date)
        w.text(root, "CreditNoteTypeCode", type_code)
    else:
        w.date(root, "DueDate", header.due_date)
        w.text(root, "InvoiceTypeCode", type_code)
    for note in header.notes or []:
        w.text(root, "Note", note)
    if not credit:
        w.date(root, "TaxPointDate", header.tax_point_date)
    w.text(root, "DocumentCurrencyCode", w.currency)
    w.text(root, "TaxCurrencyCode", header.vat_currency)
    w.text(root, "AccountingCost", header.accounting_cost)
    w.text(root, "BuyerReference", header.buyer_reference)
    _invoice_period(w, root, header.invoice_period)


def _invoice_period(w: Writer, root: Node, period: Period | None) -> None:
    if period is None or not (period.start_date or period.end_date or period.description):
        return
    if period.description and period.description not in VAT_POINT_DATE_CODES:
        raise BuildError("header.invoice_period.description",
                         "must be a VAT point date code (BT-8: 3, 35 or 432); Peppol UBL has "
                         f"no free-text period description, got {period.description!r}")
    node = w.group(root, "InvoicePeriod", source="header.invoice_period")
    w.date(node, "StartDate", period.start_date)
    w.date(node, "EndDate", period.end_date)
    w.text(node, "DescriptionCode", period.description)


def write_references(w: Writer, root: Node, invoice: Invoice) -> None:
    """Order, billing, contract, tender, project references and attachments."""
    header, refs, credit = invoice.header, invoice.references, invoice.is_credit_note
    if refs is not None and (refs.purchase_order or refs.sales_order):
        order = w.group(root, "OrderReference")
        # BT-13 is mandatory in UBL when BT-14 is given; Peppol asks for "NA" then.
        w.text(order, "ID", refs.purchase_order or "NA")
        w.text(order, "SalesOrderID", refs.sales_order)
    for index, preceding in enumerate(refs.preceding_invoices or [] if refs else []):
        where = f"references.preceding_invoices[{index}]"
        doc = w.group(w.group(root, "BillingReference", source=where), "InvoiceDocumentReference")
        w.text(doc, "ID", require(preceding.number, f"{where}.number",
                                  "the preceding invoice number (BT-25)"))
        w.date(doc, "IssueDate", preceding.issue_date)
    if refs is not None:
        w.wrapped(root, "DespatchDocumentReference", "ID", refs.despatch_advice)
        w.wrapped(root, "ReceiptDocumentReference", "ID", refs.receipt_advice)
    if not credit:
        w.wrapped(root, "OriginatorDocumentReference", "ID", header.tender_or_lot_reference)
    w.wrapped(root, "ContractDocumentReference", "ID", header.contract_reference)
    _attachments(w, root, invoice)
    _vat_currency_totals(w, root, invoice)
    if credit:
        if header.project_reference:
            doc = w.group(root, "AdditionalDocumentReference")
            w.text(doc, "ID", header.project_reference)
            w.text(doc, "DocumentTypeCode", PROJECT_DOCUMENT_TYPE)
        w.wrapped(root, "OriginatorDocumentReference", "ID", header.tender_or_lot_reference)
    else:
        w.wrapped(root, "ProjectReference", "ID", header.project_reference)


def attachment_reference(attachment: Attachment, index: int) -> str:
    """BT-122 of the ``index``-th attachment (0-based): its ``id``, else its ``filename``,
    else ``attachment-N`` with N its 1-based position in ``attachments`` (the contract
    has no field for it when only a description or a URL is given; like line ids, it is
    derived from the position, so the same model always gives the same reference)."""
    return attachment.id or attachment.filename or f"attachment-{index + 1}"


def _vat_currency_totals(w: Writer, root: Node, invoice: Invoice) -> None:
    """The totals without and with VAT in the VAT accounting currency (PINT SG's
    ``sgdtotal-excl-gst`` and ``sgdtotal-incl-gst`` references), when that currency is
    not the document's."""
    vat_currency, totals = invoice.header.vat_currency, invoice.totals
    if totals is None or not vat_currency or vat_currency == w.currency:
        return
    for field, kind in VAT_CURRENCY_TOTALS.items():
        cents: int | None = getattr(totals, field)
        if cents is not None:
            doc = w.group(root, "AdditionalDocumentReference")
            w.text(doc, "ID", vat_currency)
            w.text(doc, "DocumentTypeCode", vat_currency_total_code(kind, vat_currency, w.tax_scheme))
            w.amount_text(doc, "DocumentDescription", cents)


def _attachments(w: Writer, root: Node, invoice: Invoice) -> None:
    invoiced_object = invoice.references.invoiced_object if invoice.references else None
    if invoiced_object is not None and invoiced_object.value:
        doc = w.group(root, "AdditionalDocumentReference")  # BT-18: type code 130
        w.scheme_id(doc, "ID", invoiced_object.value, invoiced_object.scheme)
        w.text(doc, "DocumentTypeCode", INVOICED_OBJECT_TYPE)
    for index, attachment in enumerate(invoice.attachments or []):
        path = f"attachments[{index}]"
        doc = w.group(root, "AdditionalDocumentReference", source=path)
        require(attachment.id or attachment.filename or attachment.description or attachment.external_reference,
                f"{path}.id", "an attachment with an id, a file name, a description or a URL")
        w.text(doc, "ID", attachment_reference(attachment, index))
        w.text(doc, "DocumentDescription", attachment.description)
        if attachment.data is None and not attachment.external_reference:
            continue
        node = w.group(doc, "Attachment")
        if attachment.data is not None:
            w.text(node, "EmbeddedDocumentBinaryObject", attachment.data,
                   mimeCode=require(attachment.mime_type, f"{path}.mime_type",
                                    "the MIME code of an embedded attachment"),
                   filename=require(attachment.filename, f"{path}.filename",
                                    "the file name of an embedded attachment"))
        w.wrapped(node, "ExternalReference", "URI", attachment.external_reference)
