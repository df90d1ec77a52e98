"""Writer for parties: seller BG-4, buyer BG-7, payee BG-10, tax representative BG-11,
addresses and contacts.

Names: ``RegistrationName`` (BT-27/BT-44) is ``legal_name`` or else ``name``;
``PartyName`` (BT-28/BT-45) is ``trading_name``, or else ``name`` when it differs
from ``legal_name``. UBL (and EN 16931) hold these two names of a party and no third:
``name`` is the party's name, so with both ``legal_name`` and ``trading_name`` set it
must be one of them (then it is written as that one), and a third, different ``name`` is
refused with a ``BuildError`` rather than dropped. VAT identifiers (BT-31/BT-48/BT-63) go in
a ``PartyTaxScheme`` under the document's tax scheme (``VAT``, ``GST`` …); the seller's tax
registration (BT-32) in a second one whose
``TaxScheme/ID`` is ``tax_registration_id.scheme`` (``TAX`` when absent).
"""

from __future__ import annotations

from ..errors import BuildError
from ..model import Address, Buyer, Contact, Identifier, Payee, Seller, TaxRepresentative
from .build import Node, Writer
from .terms import DEFAULTS

__all__ = [
    "write_address", "write_buyer", "write_payee", "write_seller", "write_tax_representative",
]


def write_address(
    w: Writer, parent: Node, group: str, address: Address | None, source: str
) -> None:
    """Postal address BG-5/BG-8/BG-15: street, lines, city, postcode, subdivision, country."""
    if address is None:
        return
    node = w.group(parent, group, source=source)
    w.text(node, "StreetName", address.street)
    w.text(node, "AdditionalStreetName", address.additional_line)
    w.text(node, "CityName", address.city)
    w.text(node, "PostalZone", address.postal_code)
    w.text(node, "CountrySubentity", address.subdivision)
    w.wrapped(node, "AddressLine", "Line", address.third_line)
    w.wrapped(node, "Country", "IdentificationCode", address.country)
    if len(node) == 0:
        parent.remove(node)


def _identifiers(w: Writer, party: Node, ids: list[Identifier] | None) -> None:
    for ident in ids or []:
        w.wrapped(party, "PartyIdentification", "ID", ident.value, schemeID=ident.scheme)


def _contact(w: Writer, party: Node, contact: Contact | None, source: str) -> None:
    if contact is None or not (contact.name or contact.phone or contact.email):
        return
    node = w.group(party, "Contact", source=source)
    w.text(node, "Name", contact.name)
    w.text(node, "Telephone", contact.phone)
    w.text(node, "ElectronicMail", contact.email)


def _tax_scheme(w: Writer, party: Node, company_id: str | None, scheme: str) -> None:
    if company_id:
        node = w.group(party, "PartyTaxScheme")
        w.text(node, "CompanyID", company_id)
        w.text(w.group(node, "TaxScheme"), "ID", scheme)


def _party(
    w: Writer, parent: Node, group: str, party: Seller | Buyer, legal_form: str | None, source: str
) -> None:
    node = w.group(w.group(parent, group, source=source), "Party", source=source)
    if party.endpoint_id is not None:
        w.scheme_id(node, "EndpointID", party.endpoint_id.value, party.endpoint_id.scheme)
    _identifiers(w, node, party.identifiers)
    registration = party.legal_name or party.name
    display = party.trading_name or (party.name if party.name != registration else None)
    if party.name and party.name not in (registration, display):
        raise BuildError(f"{source}.name", "the name differs from both legal_name (the "
                         "registration name, BT-27/BT-44) and trading_name (BT-28/BT-45), and "
                         "UBL has no place for a third name of a party: leave name out or make "
                         "it one of them")
    w.wrapped(node, "PartyName", "Name", display)
    write_address(w, node, "PostalAddress", party.address, f"{source}.address")
    _tax_scheme(w, node, party.vat_number, w.tax_scheme)
    tax_reg = party.tax_registration_id
    if tax_reg is not None:
        _tax_scheme(w, node, tax_reg.value, tax_reg.scheme or DEFAULTS[f"{source}.tax_registration_id.scheme"])
    company = party.company_id
    if registration or (company and company.value) or legal_form:
        legal = w.group(node, "PartyLegalEntity")
        w.text(legal, "RegistrationName", registration)
        if company is not None:
            w.scheme_id(legal, "CompanyID", company.value, company.scheme)
        w.text(legal, "CompanyLegalForm", legal_form)
    _contact(w, node, party.contact, f"{source}.contact")


def write_seller(w: Writer, parent: Node, seller: Seller | None) -> None:
    """``AccountingSupplierParty`` (BG-4); the seller is required by UBL."""
    if seller is None:
        raise BuildError("seller", "the seller (BG-4) is required to write the UBL document")
    _party(w, parent, "AccountingSupplierParty", seller, seller.legal_information, "seller")


def write_buyer(w: Writer, parent: Node, buyer: Buyer) -> None:
    """``AccountingCustomerParty`` (BG-7); Peppol allows one buyer identifier (BT-46)."""
    if buyer.identifiers and len(buyer.identifiers) > 1:
        raise BuildError("buyer.identifiers[1]", "Peppol BIS allows one buyer identifier (BT-46)")
    _party(w, parent, "AccountingCustomerParty", buyer, None, "buyer")


def write_payee(w: Writer, parent: Node, payee: Payee | None) -> None:
    """``PayeeParty`` (BG-10): identifier BT-60, name BT-59, legal registration BT-61."""
    if payee is None:
        return
    if payee.identifiers and len(payee.identifiers) > 1:
        raise BuildError("payee.identifiers[1]", "Peppol BIS allows one payee identifier (BT-60)")
    node = w.group(parent, "PayeeParty", source="payee")
    _identifiers(w, node, payee.identifiers)
    w.wrapped(node, "PartyName", "Name", payee.name)
    if payee.company_id is not None and payee.company_id.value:
        legal = w.group(node, "PartyLegalEntity")
        w.scheme_id(legal, "CompanyID", payee.company_id.value, payee.company_id.scheme)


def write_tax_representative(w: Writer, parent: Node, rep: TaxRepresentative | None) -> None:
    """``TaxRepresentativeParty`` (BG-11): name BT-62, address BG-12, VAT identifier BT-63."""
    if rep is None or not (rep.name or rep.vat_number or rep.address):
        return
    node = w.group(parent, "TaxRepresentativeParty", source="tax_representative")
    w.wrapped(node, "PartyName", "Name", rep.name)
    write_address(w, node, "PostalAddress", rep.address, "tax_representative.address")
    _tax_scheme(w, node, rep.vat_number, w.tax_scheme)
