"""Parties: seller (BG-4), buyer (BG-7), payee (BG-10), seller tax representative
(BG-11), with address and contact.

Identifiers carry their scheme (ISO 6523 ICD or EAS code): endpoint BT-34/BT-49,
party identifiers BT-29/BT-46/BT-60 (a SEPA creditor identifier BT-90 is a seller
identifier with scheme ``SEPA``), legal registration BT-30/BT-47/BT-61,
VAT identifier BT-31/BT-48, tax registration BT-32.
"""

from __future__ import annotations

from pydantic import Field

from .common import ContractModel, CountryCode, Email, text

__all__ = ["Address", "Buyer", "Contact", "Identifier", "Payee", "Seller", "TaxRepresentative"]


class Identifier(ContractModel):
    """An identifier with an optional scheme (``schemeID``)."""

    scheme: str | None = text(10)
    value: str | None = text(255)


class Address(ContractModel):
    """A postal address (BG-5 seller, BG-8 buyer, BG-15 delivery)."""

    street: str | None = text(255)
    """Address line 1 (BT-35 / BT-50 / BT-75)."""
    additional_line: str | None = text(255)
    """Address line 2 (BT-36 / BT-51 / BT-76)."""
    third_line: str | None = text(255)
    """Address line 3 (BT-162 / BT-163 / BT-165); an addition to the seed contract."""
    city: str | None = text(255)
    subdivision: str | None = text(255)
    postal_code: str | None = text(20)
    country: CountryCode | None = None


class Contact(ContractModel):
    """A contact point (BG-6 seller, BG-9 buyer)."""

    name: str | None = text(255)
    phone: str | None = text(50)
    email: Email | None = None


class _Party(ContractModel):
    endpoint_id: Identifier | None = None
    identifiers: list[Identifier] | None = None
    legal_name: str | None = text(255)
    """Registration name (BT-27 / BT-44); defaults to ``name`` when absent."""
    trading_name: str | None = text(255)
    """Trading name (BT-28 / BT-45)."""
    company_id: Identifier | None = None
    vat_number: str | None = text(50)
    tax_registration_id: Identifier | None = None
    address: Address | None = None
    contact: Contact | None = None


class Seller(_Party):
    """The seller (BG-4)."""

    name: str | None = text(255)
    legal_information: str | None = None
    """Additional legal information (BT-33, e.g. share capital)."""


class Buyer(_Party):
    """The buyer (BG-7); its name is required."""

    name: str = Field(max_length=255)


class Payee(ContractModel):
    """The payee (BG-10), when different from the seller."""

    name: str | None = text(255)
    identifiers: list[Identifier] | None = None
    """Payee identifier (BT-60); an addition to the seed contract."""
    company_id: Identifier | None = None


class TaxRepresentative(ContractModel):
    """The seller's tax representative (BG-11); an addition to the seed contract."""

    name: str | None = text(255)
    """Tax representative name BT-62."""
    vat_number: str | None = text(50)
    """Tax representative VAT identifier BT-63."""
    address: Address | None = None
    """Tax representative postal address BG-12."""
