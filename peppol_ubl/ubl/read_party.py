"""Reader for parties: seller BG-4, buyer BG-7, payee BG-10, tax representative BG-11,
addresses and contacts; the counterpart of :mod:`peppol_ubl.ubl.write_party`.

Names are read so that the writer reproduces them: ``RegistrationName`` (BT-27/BT-44)
becomes both ``legal_name`` and ``name``, ``PartyName`` (BT-28/BT-45) ``trading_name``.
A party without a registration name takes its ``name`` from ``PartyName`` only where
the model requires a name (the buyer). Of the ``PartyTaxScheme`` entries, the first under
the document's tax scheme (``VAT``, ``GST`` …) is the VAT identifier (BT-31/BT-48/BT-63)
and the first other one the tax registration (BT-32, its scheme kept). Peppol allows one buyer and one payee
identifier; further ones stay unmapped.
"""

from __future__ import annotations

from .read_context import Node, ReadContext, Sourced, compact

__all__ = ["read_address", "read_buyer", "read_payee", "read_seller", "read_tax_representative"]



def read_address(ctx: ReadContext, node: Node | None) -> dict[str, object] | None:
    """Postal address BG-5/BG-8/BG-12/BG-15."""
    return compact(
        street=ctx.text(node, "cbc:StreetName"),
        additional_line=ctx.text(node, "cbc:AdditionalStreetName"),
        third_line=ctx.text(ctx.one(node, "cac:AddressLine"), "cbc:Line"),
        city=ctx.text(node, "cbc:CityName"),
        postal_code=ctx.text(node, "cbc:PostalZone"),
        subdivision=ctx.text(node, "cbc:CountrySubentity"),
        country=ctx.text(ctx.one(node, "cac:Country"), "cbc:IdentificationCode"),
    )


def _identifier(ctx: ReadContext, node: Node | None) -> dict[str, object] | None:
    return compact(value=ctx.node_text(node), scheme=ctx.attr(node, "schemeID"))


def _identifiers(ctx: ReadContext, party: Node, limit: int | None) -> list[dict[str, object]]:
    nodes = ctx.all(party, "cac:PartyIdentification")[:limit]
    return [ident for node in nodes if (ident := _identifier(ctx, ctx.one(node, "cbc:ID")))]


def _tax_schemes(ctx: ReadContext, party: Node, registration: bool = True) -> dict[str, object]:
    """The VAT identifier and (when ``registration``) the tax registration of a party."""
    found: dict[str, object] = {}
    for scheme in ctx.all(party, "cac:PartyTaxScheme"):
        scheme_id = ctx.text(ctx.one(scheme, "cac:TaxScheme"), "cbc:ID")
        key = "vat_number" if scheme_id and scheme_id.value == ctx.tax_scheme else "tax_registration_id"
        if scheme_id is None or key in found or (key != "vat_number" and not registration):
            if scheme_id is not None:
                ctx.release(scheme_id)
            continue
        company = ctx.text(scheme, "cbc:CompanyID")
        found[key] = company if key == "vat_number" else compact(value=company, scheme=scheme_id)
    return found


def _contact(ctx: ReadContext, node: Node | None) -> dict[str, object] | None:
    return compact(
        name=ctx.text(node, "cbc:Name"),
        phone=ctx.text(node, "cbc:Telephone"),
        email=ctx.text(node, "cbc:ElectronicMail"),
    )


def _party(ctx: ReadContext, party: Node, seller: bool) -> dict[str, object]:
    legal = ctx.one(party, "cac:PartyLegalEntity")
    registration = ctx.text(legal, "cbc:RegistrationName")
    trading = ctx.text(ctx.one(party, "cac:PartyName"), "cbc:Name")
    name: Sourced[str] | None = registration
    if name is None and not seller:
        name = trading  # the buyer's name is required by the model
    fields = compact(
        endpoint_id=_identifier(ctx, ctx.one(party, "cbc:EndpointID")),
        identifiers=_identifiers(ctx, party, None if seller else 1),
        name=name,
        legal_name=registration,
        trading_name=trading,
        address=read_address(ctx, ctx.one(party, "cac:PostalAddress")),
        company_id=_identifier(ctx, ctx.one(legal, "cbc:CompanyID")),
        contact=_contact(ctx, ctx.one(party, "cac:Contact")),
        legal_information=ctx.text(legal, "cbc:CompanyLegalForm") if seller else None,
    ) or {}
    fields.update(_tax_schemes(ctx, party))
    return fields


def read_seller(ctx: ReadContext, root: Node) -> dict[str, object] | None:
    """``AccountingSupplierParty/Party`` (BG-4)."""
    party = ctx.path(root, "cac:AccountingSupplierParty", "cac:Party")
    return None if party is None else _party(ctx, party, seller=True)


def read_buyer(ctx: ReadContext, root: Node) -> dict[str, object]:
    """``AccountingCustomerParty/Party`` (BG-7)."""
    party = ctx.path(root, "cac:AccountingCustomerParty", "cac:Party")
    return {} if party is None else _party(ctx, party, seller=False)


def read_payee(ctx: ReadContext, root: Node) -> dict[str, object] | None:
    """``PayeeParty`` (BG-10): identifier BT-60, name BT-59, legal registration BT-61."""
    party = ctx.one(root, "cac:PayeeParty")
    if party is None:
        return None
    return compact(
        identifiers=_identifiers(ctx, party, 1),
        name=ctx.text(ctx.one(party, "cac:PartyName"), "cbc:Name"),
        company_id=_identifier(ctx, ctx.path(party, "cac:PartyLegalEntity", "cbc:CompanyID")),
    )


def read_tax_representative(ctx: ReadContext, root: Node) -> dict[str, object] | None:
    """``TaxRepresentativeParty`` (BG-11): name BT-62, VAT identifier BT-63, address BG-12."""
    party = ctx.one(root, "cac:TaxRepresentativeParty")
    if party is None:
        return None
    vat = _tax_schemes(ctx, party, registration=False)
    return compact(
        name=ctx.text(ctx.one(party, "cac:PartyName"), "cbc:Name"),
        vat_number=vat.get("vat_number"),
        address=read_address(ctx, ctx.one(party, "cac:PostalAddress")),
    )
