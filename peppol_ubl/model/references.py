"""Order, billing and other document references (BT-13 … BT-16, BT-18, BG-3)."""

from __future__ import annotations

from .common import ContractModel, Date, text
from .party import Identifier

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
    despatch_advice: str | None = text(255)
    """Despatch advice reference BT-16; an addition to the seed contract."""
    receipt_advice: str | None = text(255)
    """Receiving advice reference BT-15; an addition to the seed contract."""
    invoiced_object: Identifier | None = None
    """Invoiced object identifier BT-18 with its scheme (UNCL 1153); an addition to the
    seed contract."""
