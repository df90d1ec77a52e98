"""The term table: one home for each business term's BT id, contract path and UBL path.

Every leaf the writer emits for the fixtures resolves to a term, every term's contract path
is a field of the model, and findings resolve to fields through it (no message text read).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from model_paths import is_model_path

from peppol_ubl.contract import contract_path
from peppol_ubl.findings import Finding
from peppol_ubl.model import Invoice
from peppol_ubl.ubl.terms import CONTRACT_PATHS, DEFAULTS, TERMS, shape, term_at
from peppol_ubl.ubl.writer import to_tree
from peppol_ubl.xml.paths import Locator

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "invoices").glob("*.json"))


def _model(path: Path) -> Invoice:
    return Invoice.model_validate_json(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("term", TERMS, ids=lambda t: f"{t.id or '-'} {t.path} @ {t.ubl}")
def test_every_term_path_and_scope_is_a_model_path(term: Any) -> None:
    for path in (term.path, term.scope):
        assert is_model_path(path), (term, path)
    assert term.path.startswith(term.scope) or term.path == "header.due_date"


def test_the_derived_views() -> None:
    assert CONTRACT_PATHS["BT-146"] == "items[*].price"
    assert CONTRACT_PATHS["BT-31"] == "seller.vat_number" and CONTRACT_PATHS["BT-32"] == "seller.tax_registration_id"
    assert CONTRACT_PATHS["BT-9"] == "header.due_date"
    assert DEFAULTS == {
        "header.specification": "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
        "header.business_process": "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
        "header.invoice_type_code": "380",
        "seller.tax_registration_id.scheme": "TAX",
        "buyer.tax_registration_id.scheme": "TAX",
        "items[*].unit_code": "C62",
    }


def _scopes(node: etree._Element, trace: dict[etree._Element, str], root: etree._Element) -> list[tuple[etree._Element, str]]:
    found = [(a, trace[a]) for a in (node, *node.iterancestors()) if a in trace]
    return [*found, (root, "")]


def _resolves(node: etree._Element, attribute: str | None, trace: dict[etree._Element, str],
              root: etree._Element) -> bool:
    return any(term_at(element, shape(concrete), node, attribute) is not None
               for element, concrete in _scopes(node, trace, root))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_every_leaf_and_attribute_the_writer_emits_is_a_term(fixture: Path) -> None:
    trace: dict[etree._Element, str] = {}
    root = to_tree(_model(fixture), trace=trace)
    unresolved = []
    for node in root.iter(etree.Element):
        if next(node.iterchildren(tag=etree.Element), None) is None and not _resolves(node, None, trace, root):
            unresolved.append(etree.QName(node).localname)
        for name in node.attrib:
            if not _resolves(node, etree.QName(name).localname, trace, root):
                unresolved.append(f"{etree.QName(node).localname}/@{name}")
    assert unresolved == []


def _seller_with_tax_registration() -> tuple[etree._Element, dict[etree._Element, str]]:
    data = json.loads(FIXTURES[0].read_text())
    data["seller"]["tax_registration_id"] = {"value": "DE 123/456/78901", "scheme": "TAX"}
    trace: dict[etree._Element, str] = {}
    return to_tree(Invoice.model_validate(data), trace=trace), trace


@pytest.mark.parametrize(("scheme_is_vat", "field"), [(True, "seller.vat_number"),
                                                      (False, "seller.tax_registration_id")])
def test_a_finding_on_a_party_tax_scheme_names_the_right_identifier(scheme_is_vat: bool, field: str) -> None:
    """BT-31 (scheme VAT) and BT-32 (the seller's tax registration) share element names."""
    root, trace = _seller_with_tax_registration()
    schemes = root.findall("{*}AccountingSupplierParty/{*}Party/{*}PartyTaxScheme")
    assert len(schemes) == 2
    [chosen] = [s for s in schemes if (s.findtext("{*}TaxScheme/{*}ID") == "VAT") is scheme_is_vat]
    company = chosen.find("{*}CompanyID")
    finding = Finding("X", "fatal", "schematron", "", Locator().path(company))
    assert contract_path(root, trace, finding) == field
    # a rule on the PartyTaxScheme aggregate that reads its CompanyID is narrowed the same way
    on_group = Finding("X", "fatal", "schematron", "", Locator().path(chosen), test="substring(cbc:CompanyID, 1, 2)")
    assert contract_path(root, trace, on_group) == field
