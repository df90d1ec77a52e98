"""Invoice lines (BG-25) with their item (BG-31), price (BG-29) and line VAT (BG-30).

``price`` is the item net price BT-146 in cents; ``quantity`` BT-129 and
``base_quantity`` BT-149 are exact decimals. ``line_extension_amount`` (BT-131) is an
addition to the seed contract: it is computed by :func:`peppol_ubl.calculate` and must
be given when totals are not calculated.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ..money import cents_from_decimal
from .allowance import AllowanceCharge
from .common import (
    VATEX_MAX_LENGTH,
    Cents,
    ContractModel,
    CountryCode,
    Percentage,
    Quantity,
    UnitAmount,
    text,
)
from .header import Period
from .party import Identifier

__all__ = ["Attribute", "Classification", "Item", "ItemIdentifiers", "StandardIdentifier"]


class StandardIdentifier(ContractModel):
    """Item standard identifier BT-157 with its scheme (ISO 6523 ICD, e.g. 0160 GTIN)."""

    scheme: str | None = text(50)
    value: str | None = text(255)


class ItemIdentifiers(ContractModel):
    """Item identifiers: standard BT-157, seller's BT-155, buyer's BT-156."""

    standard: StandardIdentifier | None = None
    sellers_item_id: str | None = text(255)
    buyers_item_id: str | None = text(255)


class Classification(ContractModel):
    """Item classification BT-158 (list id from UNCL 7143, optional list version)."""

    list_id: str | None = text(50)
    list_version: str | None = text(50)
    value: str | None = text(255)


class Attribute(ContractModel):
    """Item attribute BG-32: name BT-160 and value BT-161."""

    name: str | None = text(255)
    value: str | None = text(255)


class Item(ContractModel):
    """One invoice line and the item it sells."""

    id: str | None = text(50)
    """Line identifier BT-126 (defaults to the 1-based line position)."""
    name: str = Field(max_length=255)
    """Item name BT-153."""
    description: str | None = None
    """Item description BT-154."""
    note: str | None = None
    """Line note BT-127."""
    price: Cents
    """Item net price BT-146, in cents."""
    quantity: Quantity
    """Invoiced quantity BT-129."""
    unit_code: str | None = text(10)
    """Unit of measure BT-130 (UN/ECE Rec 20/21); C62 ("one") when absent."""
    base_quantity: Quantity | None = None
    """Item price base quantity BT-149; 1 when absent."""
    tax_rate: Percentage | None = None
    """Invoiced item VAT rate BT-152."""
    tax_category: str | None = text(10)
    """Invoiced item VAT category code BT-151 (UNCL 5305)."""
    tax_exemption_reason_code: str | None = text(VATEX_MAX_LENGTH)
    """Carried to the VAT breakdown of the line's category (BT-121)."""
    tax_exemption_reason: str | None = text(255)
    """Carried to the VAT breakdown of the line's category (BT-120)."""
    order_line_reference: str | None = text(255)
    """Referenced purchase order line BT-132."""
    accounting_cost: str | None = text(255)
    """Buyer accounting reference BT-133."""
    origin_country: CountryCode | None = None
    """Item country of origin BT-159."""
    period: Period | None = None
    """Invoice line period BG-26."""
    identifiers: ItemIdentifiers | None = None
    classifications: list[Classification] | None = None
    attributes: list[Attribute] | None = None
    allowances: list[AllowanceCharge] | None = None
    """Line allowances BG-27."""
    charges: list[AllowanceCharge] | None = None
    """Line charges BG-28."""
    line_extension_amount: Cents | None = None
    """Invoice line net amount BT-131, in cents."""
    price_amount: UnitAmount | None = None
    """The exact item net price BT-146 in currency units, for a price with more than two
    decimals (``Decimal("0.3492")``); ``price`` then holds it rounded to cents and the
    XML carries this value. An addition to the seed contract."""
    price_discount_amount: UnitAmount | None = None
    """Item price discount BT-147 in currency units (exact); an addition to the seed
    contract."""
    gross_price_amount: UnitAmount | None = None
    """Item gross price BT-148 in currency units (exact); an addition to the seed
    contract."""
    invoiced_object: Identifier | None = None
    """Invoice line object identifier BT-128 with its scheme (UNCL 1153); an addition to
    the seed contract."""

    @model_validator(mode="after")
    def _price_matches_exact_price(self) -> Item:
        if self.price_amount is not None and cents_from_decimal(self.price_amount) != self.price:
            raise ValueError(
                f"price ({self.price} cents) must be price_amount rounded to cents "
                f"({cents_from_decimal(self.price_amount)})"
            )
        return self
