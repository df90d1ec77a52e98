"""Allowances and charges: on a line (BG-27/BG-28) and on the document (BG-20/BG-21).

An allowance or charge has an ``amount`` in cents, or a ``percentage`` of a
``base_amount`` from which :func:`peppol_ubl.calculate` derives the amount. Document
level ones also carry the VAT category and rate they fall under (BT-95/96, BT-102/103).
"""

from __future__ import annotations

from .common import VATEX_MAX_LENGTH, Cents, ContractModel, Percentage, SignedPercentage, text

__all__ = ["AllowanceCharge", "DocumentAllowanceCharge"]


class AllowanceCharge(ContractModel):
    """A line allowance (BT-136 … BT-140) or line charge (BT-141 … BT-145)."""

    reason: str | None = text(255)
    reason_code: str | None = text(10)
    """UNCL 5189 (allowances) or UNCL 7161 (charges)."""
    amount: Cents | None = None
    percentage: SignedPercentage | None = None
    """BT-94/BT-101/BT-138/BT-143, -100 to 100."""
    base_amount: Cents | None = None


class DocumentAllowanceCharge(AllowanceCharge):
    """A document allowance (BG-20) or charge (BG-21) with its VAT category."""

    tax_category: str | None = text(10)
    tax_rate: Percentage | None = None
    tax_exemption_reason_code: str | None = text(VATEX_MAX_LENGTH)
    tax_exemption_reason: str | None = text(255)
