"""Findings pointed at the contract: from a UBL location back to the model field.

When a document is built from an :class:`~peppol_ubl.model.Invoice`, the writer traces
which contract part each aggregate element comes from (``items[2]``,
``seller.address``). A finding's location (an XPath in any of the forms our layers and
the official artefacts write) is resolved to its element; the nearest traced ancestor
gives the part, and a business term the message names (``BT-146``) narrows it to the
field, through :data:`~peppol_ubl.model.business_terms.CONTRACT_PATHS`; a finding on a
leaf element (a code-list rule on ``Country/IdentificationCode``) is narrowed by the
element's name. So ``BR-27 at /Invoice/InvoiceLine[3]`` becomes ``items[2].price`` and
``BR-CL-14 at …/AccountingCustomerParty/…/IdentificationCode`` ``buyer.address.country``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from lxml import etree

from ..model import Invoice
from ..model.business_terms import CONTRACT_PATHS
from ..ubl.writer import serialize, to_tree
from .api import validate
from .findings import Finding
from .locations import find_element
from .report import Report

__all__ = ["build_and_validate", "contract_path", "validate_invoice"]

_LEAVES: dict[str, dict[str, str]] = {
    # the kind of traced part -> element (or Parent/element, or @attribute) -> field
    "address": {"StreetName": "street", "AdditionalStreetName": "additional_line",
                "CityName": "city", "PostalZone": "postal_code", "CountrySubentity": "subdivision",
                "Line": "third_line", "IdentificationCode": "country"},
    "contact": {"Name": "name", "Telephone": "phone", "ElectronicMail": "email"},
    "party": {"EndpointID": "endpoint_id", "EndpointID/@schemeID": "endpoint_id.scheme",
              "PartyIdentification/ID": "identifiers", "PartyName/Name": "trading_name",
              "RegistrationName": "legal_name", "PartyTaxScheme/CompanyID": "vat_number",
              "PartyLegalEntity/CompanyID": "company_id", "CompanyLegalForm": "legal_information",
              "CompanyID/@schemeID": "company_id.scheme"},
    "items": {"ID": "id", "Note": "note", "InvoicedQuantity": "quantity",
              "CreditedQuantity": "quantity", "@unitCode": "unit_code",
              "LineExtensionAmount": "line_extension_amount", "AccountingCost": "accounting_cost",
              "LineID": "order_line_reference", "Description": "description", "Name": "name",
              "OriginCountry/IdentificationCode": "origin_country",
              "ClassifiedTaxCategory/ID": "tax_category", "ClassifiedTaxCategory/Percent": "tax_rate",
              "PriceAmount": "price", "BaseQuantity": "base_quantity",
              "ItemClassificationCode": "classifications", "StandardItemIdentification/ID": "identifiers.standard"},
    "": {"CustomizationID": "header.specification", "ProfileID": "header.business_process",
         "ID": "header.invoice_number", "IssueDate": "header.issue_date", "DueDate": "header.due_date",
         "InvoiceTypeCode": "header.invoice_type_code", "CreditNoteTypeCode": "header.invoice_type_code",
         "TaxPointDate": "header.tax_point_date", "DocumentCurrencyCode": "header.currency",
         "TaxCurrencyCode": "header.vat_currency", "BuyerReference": "header.buyer_reference",
         "@currencyID": "header.currency"},
}
_ATTRIBUTE_WORDS = (("unit code", "unitCode"), ("currency", "currencyID"),
                    ("scheme", "schemeID"), ("mime", "mimeCode"))
"""A rule on an element whose message is about one of its attributes (BR-CL-23 on
``InvoicedQuantity`` is about ``@unitCode``)."""
_KINDS = {"seller": "party", "buyer": "party", "payee": "party", "tax_representative": "party"}

_TERM = re.compile(r"\b(B[TG]-\d+)\b")
_INDEX = re.compile(r"\[(\d+|\*)\]")


def _leaf_field(scope: str, node: etree._Element | None, attribute: str | None) -> str | None:
    if node is None:
        return None
    last = scope.rsplit(".", 1)[-1].split("[")[0]
    table = _LEAVES.get(_KINDS.get(last, last))
    if table is None:
        return None
    name = etree.QName(node).localname
    parent = node.getparent()
    keys = [f"{name}/@{attribute}", f"@{attribute}"] if attribute else []
    if parent is not None:
        keys.append(f"{etree.QName(parent).localname}/{name}")
    keys.append(name)
    for key in keys:
        field = table.get(key)
        if field is not None:
            return field if not scope or field.startswith("header.") else f"{scope}.{field}"
    return None


def _narrow(scope: str, message: str) -> str:
    """The field under ``scope`` named by the first business term that fits it."""
    shape = _INDEX.sub("[*]", scope)
    indices = _INDEX.findall(scope)
    for term in _TERM.findall(message):
        template = CONTRACT_PATHS.get(term)
        if template is None or not (template == shape or template.startswith(shape + ".")
                                    or template.startswith(shape + "[") or not shape):
            continue
        filled = iter(indices)
        path = _INDEX.sub(lambda m: f"[{next(filled, '*')}]", template)
        return path.split("[*]")[0] if "[*]" in path else path
    return scope


def contract_path(
    root: etree._Element, trace: dict[etree._Element, str], finding: Finding
) -> str | None:
    """The contract path a finding is about, or None when it cannot be told."""
    target = find_element(root, finding.location)
    attribute = None
    if finding.location and "/@" in finding.location:
        attribute = finding.location.rsplit("/@", 1)[1].split("[")[0].split(":")[-1]
    elif target is not None:
        text = finding.message.lower()
        attribute = next((a for word, a in _ATTRIBUTE_WORDS
                          if word in text and target.get(a) is not None), None)
    node, scope = target, ""
    while node is not None:
        if node in trace:
            scope = trace[node]
            break
        node = node.getparent()
    leaf = _leaf_field(scope, target, attribute) if target is not node or attribute else None
    return leaf or _narrow(scope, finding.message) or None


def build_and_validate(invoice: Invoice, **options: Any) -> tuple[bytes, Report]:
    """The UBL bytes of ``invoice`` (as ``to_xml`` writes them) and their report, each
    finding carrying the contract path it is about in ``contract_path``.

    ``options`` are those of ``validate``. Raises ``BuildError``/``CalculationError``
    when the model cannot be written.
    """
    trace: dict[etree._Element, str] = {}
    root = to_tree(invoice, trace=trace)
    xml = serialize(root)
    report = validate(xml, **options)
    findings = [dataclasses.replace(f, contract_path=contract_path(root, trace, f))
                for f in report.findings]
    return xml, dataclasses.replace(report, findings=findings)


def validate_invoice(invoice: Invoice, **options: Any) -> Report:
    """Build ``invoice`` and validate it (``options`` as for ``validate``), each finding
    carrying the contract path it is about in ``contract_path``."""
    return build_and_validate(invoice, **options)[1]
