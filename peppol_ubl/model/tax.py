"""VAT breakdown (BG-23) and document totals (BG-22).

Field meanings follow EN 16931 (the seed's one-line descriptions of the three tax
totals are shifted by one): ``tax_exclusive_amount`` is BT-109 (total without VAT),
``tax_amount`` BT-110 (total VAT), ``tax_inclusive_amount`` BT-112 (total with VAT).
"""

from __future__ import annotations

from .common import VATEX_MAX_LENGTH, Cents, ContractModel, Percentage, TaxScheme, text

__all__ = ["TaxBreakdown", "Totals"]


class TaxBreakdown(ContractModel):
    """One VAT breakdown group (BG-23)."""

    category_code: str | None = text(10)
    """VAT category code BT-118."""
    rate: Percentage | None = None
    """VAT category rate BT-119."""
    taxable_amount: Cents | None = None
    """VAT category taxable amount BT-116."""
    tax_amount: Cents | None = None
    """VAT category tax amount BT-117."""
    exemption_reason: str | None = text(255)
    """BT-120."""
    exemption_reason_code: str | None = text(VATEX_MAX_LENGTH)
    """BT-121 (VATEX code list)."""
    tax_scheme: TaxScheme | None = None
    """The group's tax scheme when it is not the document's (``header.tax_scheme``), e.g.
    ``AAL`` for PINT MY's tourism tax (category ``TTX``, charged per night, not by rate);
    an addition to the seed contract."""


class Totals(ContractModel):
    """Document totals (BG-22), all in cents."""

    line_extension_amount: Cents | None = None
    """Sum of invoice line net amounts BT-106."""
    tax_exclusive_amount: Cents | None = None
    """Invoice total amount without VAT BT-109."""
    tax_inclusive_amount: Cents | None = None
    """Invoice total amount with VAT BT-112."""
    tax_amount: Cents | None = None
    """Invoice total VAT amount BT-110."""
    tax_amount_in_vat_currency: Cents | None = None
    """Invoice total VAT amount in accounting currency BT-111 (needed when
    ``header.vat_currency`` differs from the document currency); an addition to the
    seed contract."""
    tax_exclusive_amount_in_vat_currency: Cents | None = None
    """Invoice total amount without VAT (GST) in the VAT accounting currency, as PINT SG
    asks when the document currency is not SGD (an ``AdditionalDocumentReference`` of
    type ``sgdtotal-excl-gst``); an addition to the seed contract."""
    tax_inclusive_amount_in_vat_currency: Cents | None = None
    """Invoice total amount with VAT (GST) in the VAT accounting currency (PINT SG
    ``sgdtotal-incl-gst``, PINT AE ``aedtotal-incl-vat``); an addition to the seed
    contract."""
    allowance_total_amount: Cents | None = None
    """Sum of allowances on document level BT-107."""
    charge_total_amount: Cents | None = None
    """Sum of charges on document level BT-108."""
    paid_amount: Cents | None = None
    """Paid amount BT-113."""
    payable_rounding_amount: Cents | None = None
    """Rounding amount BT-114."""
    payable_amount: Cents | None = None
    """Amount due for payment BT-115."""
