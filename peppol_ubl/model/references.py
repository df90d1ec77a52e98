"""Order and billing references (BT-13, BT-14, BG-3)."""

from __future__ import annotations

from .common import ContractModel, Date, text

__all__ = ["PrecedingInvoice", "References"]


class PrecedingInvoice(ContractModel):
    """A preceding invoice reference (BG-3: BT-25, BT-26)."""

    number: str | None = text(255)
    issue_date: Date | None = None


class References(ContractModel):
    """Order and billing references."""

    purchase_order: str | None = text(255)
    """Purchase order reference BT-13."""
    sales_order: str | None = text(255)
    """Sales order reference BT-14."""
    preceding_invoices: list[PrecedingInvoice] | None = None
    """BG-3."""
