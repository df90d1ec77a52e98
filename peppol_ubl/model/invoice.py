"""The invoice contract: the root model mirroring the seed-002 JSON payload.

``Invoice.model_validate_json(text)`` reads the contract; ``model_dump_json()`` writes
it back. ``calculate_totals``, ``business_entity_id``, ``related_invoice_id`` and
``header.invoice_number_series`` belong to the sending platform and do not appear in UBL.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import Field, model_validator

from .allowance import DocumentAllowanceCharge
from .attachment import Attachment
from .common import Cents, ContractModel
from .delivery import Delivery
from .header import DEFAULT_TAX_SCHEME, Header
from .line import Item
from .party import Buyer, Payee, Seller, TaxRepresentative
from .payment import Payment
from .references import References
from .tax import TaxBreakdown, Totals

__all__ = ["Invoice"]


class Invoice(ContractModel):
    """An invoice or credit note, as data (amounts in cents)."""

    calculate_totals: bool = False
    """Compute line, VAT and document totals from the lines (see ``calculate``)."""
    business_entity_id: UUID | None = None
    related_invoice_id: UUID | None = None
    header: Header = Field(default_factory=Header)
    seller: Seller | None = None
    buyer: Buyer
    payee: Payee | None = None
    tax_representative: TaxRepresentative | None = None
    """Seller tax representative party BG-11; an addition to the seed contract."""
    payment: Payment | None = None
    delivery: Delivery | None = None
    references: References | None = None
    totals: Totals | None = None
    items: list[Item] = Field(min_length=1)
    allowances: list[DocumentAllowanceCharge] | None = None
    """Document level allowances BG-20."""
    charges: list[DocumentAllowanceCharge] | None = None
    """Document level charges BG-21."""
    tax_breakdown: list[TaxBreakdown] | None = None
    """VAT breakdown BG-23."""
    attachments: list[Attachment] | None = None

    @model_validator(mode="after")
    def _one_rounding_amount(self) -> Invoice:
        header = self.header.rounding_amount
        totals = self.totals.payable_rounding_amount if self.totals else None
        if header is not None and totals is not None and header != totals:
            raise ValueError(
                "header.rounding_amount and totals.payable_rounding_amount are both BT-114 "
                f"but differ ({header} vs {totals} cents); give one, or the same value"
            )
        return self

    @property
    def rounding_amount(self) -> Cents | None:
        """BT-114 from whichever of its two contract fields holds it."""
        if self.totals and self.totals.payable_rounding_amount is not None:
            return self.totals.payable_rounding_amount
        return self.header.rounding_amount

    @property
    def tax_scheme(self) -> str:
        """The document's tax scheme: ``header.tax_scheme``, ``VAT`` when absent."""
        return self.header.tax_scheme or DEFAULT_TAX_SCHEME

    @property
    def is_credit_note(self) -> bool:
        """True when the document is a UBL CreditNote (by ``header.invoice_type_code``)."""
        return self.header.is_credit_note
