"""Document header: identity, dates, currencies and references (BT-1 … BT-24, BG-14).

``invoice_type_code`` (BT-3) decides the document: a credit-note code (UNCL 1001
subset 81, 83, 261 self-billed, 381, 396, 532) gives a UBL ``CreditNote``, anything else an ``Invoice``
(default 380). ``tax_scheme`` is the document's tax scheme (``VAT`` when absent, ``GST``
in Australia, New Zealand and Singapore): the scheme of every line and allowance/charge
tax category, of the VAT breakdown unless a group names another, and of the parties'
tax identifiers BT-31/BT-48/BT-63. ``rounding_amount`` is BT-114, the same business term as
``totals.payable_rounding_amount``.
"""

from __future__ import annotations

from pydantic import Field

from .common import Cents, ContractModel, CurrencyCode, Date, TaxScheme, text

__all__ = ["CREDIT_NOTE_TYPE_CODES", "DEFAULT_TAX_SCHEME", "Header", "Period"]

CREDIT_NOTE_TYPE_CODES = frozenset({"81", "83", "261", "381", "396", "532"})
DEFAULT_TAX_SCHEME = "VAT"
"""The document's tax scheme when ``header.tax_scheme`` is absent."""


class Period(ContractModel):
    """A period: invoicing period BG-14 (BT-73/74/8) or line period BG-26 (BT-134/135)."""

    start_date: Date | None = None
    end_date: Date | None = None
    description: str | None = text(255)
    """Only on the invoice period: the VAT point date code BT-8 (UNCL 2005: 3, 35, 432)."""


class Header(ContractModel):
    """Document-level identity and references."""

    specification: str | None = text(500)
    """Specification identifier BT-24; defaults to Peppol BIS Billing 3.0."""
    business_process: str | None = text(500)
    """Business process type BT-23; defaults to Peppol billing 01:1.0."""
    invoice_number: str | None = text(255)
    """Invoice number BT-1."""
    invoice_number_series: str | None = None
    """Numbering series used by a sending platform when no number is given (not in UBL)."""
    invoice_type_code: str | None = text(10)
    """BT-3; 380 when absent."""
    issue_date: Date | None = None
    """BT-2."""
    issue_time: str | None = Field(
        default=None, pattern=r"^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
    """Invoice issue time IBT-168 (PINT; ``xs:time``, ``17:38:00+04:00``); an addition to
    the seed contract."""
    uuid: str | None = text(100)
    """Universally unique identifier of the document (``cbc:UUID``: PINT SG BT-SG-003,
    PINT AE BTAE-07); an addition to the seed contract."""
    due_date: Date | None = None
    """BT-9."""
    tax_point_date: Date | None = None
    """BT-7."""
    currency: CurrencyCode | None = None
    """Document currency BT-5."""
    vat_currency: CurrencyCode | None = None
    """VAT accounting currency BT-6."""
    tax_scheme: TaxScheme | None = None
    """The document's tax scheme (UN/ECE 5153: ``VAT``, ``GST`` …; ``VAT`` when absent);
    an addition to the seed contract."""
    accounting_cost: str | None = text(255)
    """Buyer accounting reference BT-19."""
    buyer_reference: str | None = text(255)
    """BT-10."""
    project_reference: str | None = text(255)
    """BT-11."""
    contract_reference: str | None = text(255)
    """BT-12."""
    tender_or_lot_reference: str | None = text(255)
    """BT-17."""
    rounding_amount: Cents | None = None
    """Rounding amount BT-114 (same as ``totals.payable_rounding_amount``)."""
    notes: list[str] | None = None
    """Invoice notes BT-22."""
    invoice_period: Period | None = None
    """BG-14."""

    @property
    def is_credit_note(self) -> bool:
        """True when the type code makes this document a UBL CreditNote."""
        return self.invoice_type_code in CREDIT_NOTE_TYPE_CODES
