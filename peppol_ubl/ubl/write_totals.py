"""Writer for VAT totals (BT-110, BT-111, BG-23) and document totals (BG-22)."""

from __future__ import annotations

from ..model import Invoice
from .build import Node, Writer, require

__all__ = ["write_monetary_total", "write_tax_totals"]


def write_tax_totals(w: Writer, parent: Node, invoice: Invoice) -> None:
    """``TaxTotal`` with the VAT breakdown, each group under its tax scheme (the
    document's unless it names another); a second one in the VAT accounting currency
    (BT-111) when ``header.vat_currency`` differs from the document currency."""
    totals = invoice.totals
    tax_amount = require(totals.tax_amount if totals else None, "totals.tax_amount",
                         "the invoice total VAT amount (BT-110)")
    node = w.group(parent, "TaxTotal", source="totals")
    w.amount(node, "TaxAmount", tax_amount)
    for index, group in enumerate(invoice.tax_breakdown or []):
        path = f"tax_breakdown[{index}]"
        sub = w.group(node, "TaxSubtotal", source=path)
        w.amount(sub, "TaxableAmount", require(group.taxable_amount, f"{path}.taxable_amount",
                                               "the taxable amount (BT-116)"))
        w.amount(sub, "TaxAmount", require(group.tax_amount, f"{path}.tax_amount",
                                           "the VAT amount (BT-117)"))
        category = w.group(sub, "TaxCategory")
        w.text(category, "ID", require(group.category_code, f"{path}.category_code",
                                       "the VAT category code (BT-118)"))
        w.number(category, "Percent", group.rate)
        w.text(category, "TaxExemptionReasonCode", group.exemption_reason_code)
        w.text(category, "TaxExemptionReason", group.exemption_reason)
        w.text(w.group(category, "TaxScheme"), "ID", group.tax_scheme or w.tax_scheme)
    vat_currency = invoice.header.vat_currency
    if vat_currency and vat_currency != w.currency:
        in_vat_currency = require(
            totals.tax_amount_in_vat_currency if totals else None,
            "totals.tax_amount_in_vat_currency",
            f"the VAT total in {vat_currency} (BT-111, since header.vat_currency differs)")
        w.amount(w.group(parent, "TaxTotal"), "TaxAmount", in_vat_currency, vat_currency)


def write_monetary_total(w: Writer, parent: Node, invoice: Invoice) -> None:
    """``LegalMonetaryTotal`` (BT-106 … BT-115)."""
    totals = invoice.totals
    node = w.group(parent, "LegalMonetaryTotal", source="totals")

    def needed(name: str, bt: str) -> int:
        amount: int | None = getattr(totals, name) if totals else None
        return require(amount, f"totals.{name}", f"{bt} (set calculate_totals to compute it)")

    w.amount(node, "LineExtensionAmount", needed("line_extension_amount", "BT-106"))
    w.amount(node, "TaxExclusiveAmount", needed("tax_exclusive_amount", "BT-109"))
    w.amount(node, "TaxInclusiveAmount", needed("tax_inclusive_amount", "BT-112"))
    if totals is not None:
        w.amount(node, "AllowanceTotalAmount", totals.allowance_total_amount)
        w.amount(node, "ChargeTotalAmount", totals.charge_total_amount)
        w.amount(node, "PrepaidAmount", totals.paid_amount)
    w.amount(node, "PayableRoundingAmount", invoice.rounding_amount)
    w.amount(node, "PayableAmount", needed("payable_amount", "BT-115"))
