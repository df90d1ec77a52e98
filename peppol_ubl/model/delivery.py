"""Delivery information (BG-13: BT-70 … BT-72, BG-15)."""

from __future__ import annotations

from .common import ContractModel, Date, text
from .party import Address

__all__ = ["Delivery"]


class Delivery(ContractModel):
    """Where and when the goods or services were delivered."""

    date: Date | None = None
    """Actual delivery date BT-72."""
    location_id: str | None = text(255)
    """Deliver-to location identifier BT-71."""
    location_scheme: str | None = text(10)
    """Scheme of BT-71 (an ICD code); an addition to the seed contract."""
    party_name: str | None = text(255)
    """Deliver-to party name BT-70."""
    address: Address | None = None
    """Deliver-to address BG-15."""
