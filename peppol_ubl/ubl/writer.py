"""The UBL 2.1 writer: an :class:`~peppol_ubl.model.Invoice` to Peppol BIS 3.0 XML.

``to_xml`` writes a UBL ``Invoice``, or a ``CreditNote`` when the type code is a
credit-note code, element by element in the order of the UBL 2.1 schema and the BIS
syntax binding. It never validates (that is :func:`peppol_ubl.validate`), never
returns partial XML, and raises :class:`~peppol_ubl.errors.BuildError` naming the
contract field when the model lacks something UBL cannot do without. When
``calculate_totals`` is true the amounts come from :func:`peppol_ubl.calculate`;
otherwise they must be given. The same model always gives the same bytes.
"""

from __future__ import annotations

from lxml import etree

from ..calculation import calculate
from ..errors import BuildError
from ..model import Invoice
from ..xml.namespaces import CREDIT_NOTE, INVOICE, NSMAP_CREDIT_NOTE, NSMAP_INVOICE
from .build import Writer, require
from .write_header import write_header, write_references
from .write_lines import write_allowance_charges, write_line
from .write_party import write_buyer, write_payee, write_seller, write_tax_representative
from .write_payment import write_delivery, write_payment_means, write_payment_terms
from .write_totals import write_monetary_total, write_tax_totals

__all__ = ["serialize", "to_tree", "to_xml"]


def to_tree(invoice: Invoice, *, trace: dict[etree._Element, str] | None = None) -> etree._Element:
    """Build the UBL document for ``invoice`` as an lxml element (the root).

    When ``trace`` is a dict, it receives, for each aggregate element written from a
    part of the contract, that part's path (``items[2]``, ``seller.address``, …).
    """
    if invoice.calculate_totals:
        invoice = calculate(invoice)
    credit = invoice.is_credit_note
    root = etree.Element(
        f"{{{CREDIT_NOTE if credit else INVOICE}}}{'CreditNote' if credit else 'Invoice'}",
        nsmap=NSMAP_CREDIT_NOTE if credit else NSMAP_INVOICE,
    )
    w = Writer(require(invoice.header.currency, "header.currency",
                       "the invoice currency code (BT-5)"), trace, invoice.tax_scheme)
    write_header(w, root, invoice)
    write_references(w, root, invoice)
    write_seller(w, root, invoice.seller)
    write_buyer(w, root, invoice.buyer)
    write_payee(w, root, invoice.payee)
    write_tax_representative(w, root, invoice.tax_representative)
    write_delivery(w, root, invoice.delivery)
    due_date = invoice.header.due_date if credit else None
    if due_date and not (invoice.payment and invoice.payment.means()):
        raise BuildError("header.due_date", "a credit note carries its due date (BT-9) in its "
                         "payment means; add payment.payments or drop the due date")
    write_payment_means(w, root, invoice.payment, due_date)
    write_payment_terms(w, root, invoice.payment)
    write_allowance_charges(w, root, "allowances", invoice.allowances, charge=False)
    write_allowance_charges(w, root, "charges", invoice.charges, charge=True)
    write_tax_totals(w, root, invoice)
    write_monetary_total(w, root, invoice)
    for index, item in enumerate(invoice.items):
        write_line(w, root, item, index, credit)
    return root


def serialize(root: etree._Element) -> bytes:
    """The bytes of a document built by :func:`to_tree` (UTF-8, XML declaration)."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def to_xml(invoice: Invoice) -> bytes:
    """Serialise ``invoice`` as a UBL 2.1 document (UTF-8 bytes with XML declaration)."""
    return serialize(to_tree(invoice))
