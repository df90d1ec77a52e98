"""Reader for VAT totals (BT-110, BT-111, BG-23) and document totals (BG-22); the
counterpart of :mod:`peppol_ubl.ubl.write_totals`.

Of the ``TaxTotal`` elements, the one in the VAT accounting currency (BT-6), when that
differs from the document currency, gives BT-111; the first other one gives BT-110 and
the VAT breakdown. The rounding amount BT-114 is read into
``totals.payable_rounding_amount`` (never ``header.rounding_amount``).
"""

from __future__ import annotations

from .read_context import Node, ReadContext, compact

__all__ = ["read_monetary_total", "read_tax_totals"]


def _subtotal(ctx: ReadContext, node: Node) -> dict[str, object]:
    """One VAT breakdown group: BT-116 … BT-121, and its tax scheme when it is not the
    document's."""
    category = ctx.one(node, "cac:TaxCategory")
    scheme = ctx.text(ctx.one(category, "cac:TaxScheme"), "cbc:ID")
    return compact(
        tax_scheme=None if scheme is None or scheme.value == ctx.tax_scheme else scheme,
        taxable_amount=ctx.amount(node, "cbc:TaxableAmount"),
        tax_amount=ctx.amount(node, "cbc:TaxAmount"),
        category_code=ctx.text(category, "cbc:ID"),
        rate=ctx.decimal(category, "cbc:Percent"),
        exemption_reason_code=ctx.text(category, "cbc:TaxExemptionReasonCode"),
        exemption_reason=ctx.text(category, "cbc:TaxExemptionReason"),
    ) or {}


def read_tax_totals(ctx: ReadContext, root: Node, vat_currency: str | None) -> dict[str, object]:
    """``{"tax_amount": ..., "tax_amount_in_vat_currency": ..., "tax_breakdown": [...]}``."""
    found: dict[str, object] = {}
    other = vat_currency if vat_currency and vat_currency != ctx.currency else None
    for total in ctx.all(root, "cac:TaxTotal"):
        amount_node = ctx.one(total, "cbc:TaxAmount")
        currency = (amount_node.get("currencyID") or "").strip() if amount_node is not None else ""
        if other and currency == other and "tax_amount_in_vat_currency" not in found:
            found["tax_amount_in_vat_currency"] = ctx.amount(total, "cbc:TaxAmount", other)
        elif "tax_amount" not in found:
            found["tax_amount"] = ctx.amount(total, "cbc:TaxAmount")
            found["tax_breakdown"] = [_subtotal(ctx, sub) for sub in ctx.all(total, "cac:TaxSubtotal")]
    return found


def read_monetary_total(ctx: ReadContext, root: Node) -> dict[str, object] | None:
    """``LegalMonetaryTotal`` (BT-106 … BT-115)."""
    node = ctx.one(root, "cac:LegalMonetaryTotal")
    return compact(
        line_extension_amount=ctx.amount(node, "cbc:LineExtensionAmount"),
        tax_exclusive_amount=ctx.amount(node, "cbc:TaxExclusiveAmount"),
        tax_inclusive_amount=ctx.amount(node, "cbc:TaxInclusiveAmount"),
        allowance_total_amount=ctx.amount(node, "cbc:AllowanceTotalAmount"),
        charge_total_amount=ctx.amount(node, "cbc:ChargeTotalAmount"),
        paid_amount=ctx.amount(node, "cbc:PrepaidAmount"),
        payable_rounding_amount=ctx.amount(node, "cbc:PayableRoundingAmount"),
        payable_amount=ctx.amount(node, "cbc:PayableAmount"),
    )
