"""The UBL writer: structure, element order against the BIS syntax binding, BuildErrors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from official import official_cen, xsd_errors
from shared import SHARED

from peppol_ubl.errors import BuildError
from peppol_ubl.model import Invoice
from peppol_ubl.testing.strategies import invoices
from peppol_ubl.ubl import to_xml
from peppol_ubl.xml.namespaces import CAC, CBC

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "invoices"
SPEC = SHARED / "spec" / "peppol-bis-billing-3" / "structure" / "syntax"
VEFA = "{urn:fdc:difi.no:2017:vefa:structure-1}"
PREFIX = {"cac": CAC, "cbc": CBC}


def _data(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _xml(data: dict[str, Any]) -> etree._Element:
    return etree.fromstring(to_xml(Invoice.model_validate(data)))


def _spec_order(document: str) -> dict[str, list[str]]:
    """For each element path of the BIS binding, its child element names in order."""
    orders: dict[str, list[str]] = {}

    def walk(node: etree._Element, path: str, base: Path) -> None:
        children: list[str] = orders.setdefault(path, [])
        for child in node:
            if child.tag == VEFA + "Include":
                included = base / (child.text or "")
                root = etree.parse(str(included)).getroot()
                holder = etree.Element("holder")
                holder.append(root)
                before = len(children)
                walk(holder, path, included.parent)
                del before
            elif child.tag == VEFA + "Element":
                term = child.findtext(VEFA + "Term") or ""
                prefix, local = term.split(":")
                name = f"{{{PREFIX[prefix]}}}{local}"
                if name not in children:
                    children.append(name)
                walk(child, f"{path}/{name}", base)

    tree = etree.parse(str(SPEC / f"ubl-{document}.xml"))
    walk(tree.find(VEFA + "Document"), "", SPEC)
    return orders


def _check_order(root: etree._Element, orders: dict[str, list[str]]) -> list[str]:
    problems: list[str] = []

    def walk(node: etree._Element, path: str) -> None:
        expected = orders.get(path)
        names = [c.tag for c in node]
        if expected is None:
            problems.append(f"{path}: not in the BIS binding")
            return
        positions = []
        for name in names:
            if name not in expected:
                problems.append(f"{path}: {name} not allowed here")
            else:
                positions.append(expected.index(name))
        if positions != sorted(positions):
            problems.append(f"{path}: children out of order: {names}")
        for child in node:
            walk(child, f"{path}/{child.tag}")

    walk(root, "")
    return problems


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_every_element_is_in_the_bis_binding_in_order(path: Path) -> None:
    root = _xml(json.loads(path.read_text()))
    document = "creditnote" if etree.QName(root).localname == "CreditNote" else "invoice"
    assert _check_order(root, _spec_order(document)) == []


def test_order_check_catches_a_swap() -> None:
    root = _xml(_data("standard-several-rates"))
    first, second = root[2], root[3]  # cbc:ID, cbc:IssueDate
    root.remove(second)
    root.insert(2, second)
    assert first is not None
    assert any("out of order" in p for p in _check_order(root, _spec_order("invoice")))


def test_credit_note_structure() -> None:
    data = _data("credit-note")
    data["header"]["project_reference"] = "PRJ-9"
    root = _xml(data)
    ns = {"cac": CAC, "cbc": CBC, "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"}
    assert etree.QName(root).localname == "CreditNote"
    assert root.xpath("cbc:CreditNoteTypeCode/text()", namespaces=ns) == ["381"]
    assert root.xpath("cac:CreditNoteLine/cbc:CreditedQuantity/text()", namespaces=ns) == ["1"]
    assert root.xpath("cac:PaymentMeans/cbc:PaymentDueDate/text()", namespaces=ns) == ["2026-11-16"]
    assert root.xpath("cbc:DueDate", namespaces=ns) == []
    assert root.xpath("cac:AdditionalDocumentReference[cbc:DocumentTypeCode='50']/cbc:ID/text()",
                      namespaces=ns) == ["PRJ-9"]
    assert root.xpath("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()",
                      namespaces=ns) == ["INV-2026-0001"]


def test_amounts_are_two_decimals_with_currency() -> None:
    root = _xml(_data("foreign-currency"))
    amounts = root.xpath("//*[@currencyID]")
    assert amounts
    for node in amounts:
        whole, _, frac = node.text.lstrip("-").partition(".")
        assert whole.isdigit() and len(frac) == 2, node.text
    assert {n.get("currencyID") for n in amounts} == {"USD", "EUR"}
    vat_total = root.xpath("cac:TaxTotal/cbc:TaxAmount[@currencyID='EUR']/text()",
                           namespaces={"cac": CAC, "cbc": CBC})
    assert vat_total == ["541.08"]


def test_sales_order_without_purchase_order_writes_na() -> None:
    data = _data("standard-several-rates")
    data["references"] = {"sales_order": "SO-1"}
    root = _xml(data)
    ns = {"cac": CAC, "cbc": CBC}
    assert root.xpath("cac:OrderReference/cbc:ID/text()", namespaces=ns) == ["NA"]
    assert root.xpath("cac:OrderReference/cbc:SalesOrderID/text()", namespaces=ns) == ["SO-1"]


def test_no_empty_elements() -> None:
    data = _data("standard-several-rates")
    data["seller"]["contact"] = {}
    data["delivery"] = {"address": None}
    data["payee"] = {"name": "Factor NV"}
    root = _xml(data)
    empty = [n.tag for n in root.iter() if len(n) == 0 and not (n.text or "").strip()]
    assert empty == []


def _without(data: dict[str, Any], *path: str | int) -> dict[str, Any]:
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return data


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: _without(d, "header", "invoice_number"), "header.invoice_number"),
        (lambda d: _without(d, "header", "issue_date"), "header.issue_date"),
        (lambda d: _without(d, "header", "currency"), "header.currency"),
        (lambda d: _without(d, "seller"), "seller"),
        (lambda d: d["header"].update(invoice_period={"description": "October"}),
         "header.invoice_period.description"),
        (lambda d: d["buyer"].update(identifiers=[{"value": "a"}, {"value": "b"}]),
         "buyer.identifiers[1]"),
        (lambda d: d["payment"]["payments"][0].pop("means_code"), "payment.payments[0].means_code"),
        (lambda d: d.update(attachments=[{"id": "A", "data": "QUJD", "filename": "a.pdf"}]),
         "attachments[0].mime_type"),
        (lambda d: d.update(attachments=[{"mime_type": "application/pdf"}]), "attachments[0].id"),
    ],
)
def test_build_errors_name_the_field(mutate: Any, field: str) -> None:
    data = _data("standard-several-rates")
    mutate(data)
    with pytest.raises(BuildError) as err:
        to_xml(Invoice.model_validate(data))
    assert err.value.path == field
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    "field",
    ["totals.tax_amount", "totals.payable_amount", "items[0].line_extension_amount",
     "tax_breakdown[0].taxable_amount", "items[0].tax_category"],
)
def test_without_calculation_the_amounts_must_be_given(field: str) -> None:
    data = _data("explicit-totals")
    head, _, leaf = field.rpartition(".")
    node: Any = data
    for part in head.replace("[", ".").replace("]", "").split("."):
        node = node[int(part)] if part.isdigit() else node[part]
    del node[leaf]
    with pytest.raises(BuildError) as err:
        to_xml(Invoice.model_validate(data))
    assert err.value.path == field


def test_credit_note_due_date_needs_payment_means() -> None:
    data = _data("credit-note")
    del data["payment"]
    with pytest.raises(BuildError) as err:
        to_xml(Invoice.model_validate(data))
    assert err.value.path == "header.due_date"


def test_defaults_and_overrides_of_specification_and_process() -> None:
    data = _data("zero-rated")
    root = _xml(data)
    ns = {"cbc": CBC}
    assert root.xpath("cbc:CustomizationID/text()", namespaces=ns) == [
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"]
    data["header"].update(specification="urn:example:spec", business_process="urn:example:proc")
    root = _xml(data)
    assert root.xpath("cbc:CustomizationID/text()", namespaces=ns) == ["urn:example:spec"]
    assert root.xpath("cbc:ProfileID/text()", namespaces=ns) == ["urn:example:proc"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_generated_invoices_give_schema_valid_xml_without_cen_fatals(invoice: Invoice) -> None:
    xml = to_xml(invoice)
    assert xsd_errors(xml) == []
    assert [f for f in official_cen(xml) if f[1] == "fatal"] == []
