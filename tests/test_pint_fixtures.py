"""Our PINT fixture invoices (``fixtures/invoices/pint``): golden XML, valid under their
pack in our engine and in the pack's official compiled stylesheets, and shaped like the
pack's official examples.

They are contract JSON written by hand (GST in Australia, New Zealand and Singapore; a
credit note), kept apart from ``fixtures/invoices`` because those are all checked
against the EN 16931 and Peppol BIS rules, which a GST invoice cannot meet. Each
golden document must: pass the UBL XSD; get no fatal finding from
``validate(xml, ruleset="auto")`` (which must pick the pack); get no fatal finding from
the pack's official XSLTs (``shared/oracle/packs``, run with saxonche); use only element
paths that the pack's own examples use; have a term for every leaf (as
``tests/test_terms.py`` asks of the other fixtures); read back as its canonical model. Set
``PEPPOL_UBL_UPDATE_GOLDEN=1`` to rewrite the golden files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from lxml import etree
from official import oracle_severity, svrl_findings, xsd_errors
from shared import SHARED, xml_files
from test_terms import _resolves

from peppol_ubl.model import Invoice
from peppol_ubl.ubl import canonical, parse_report, to_tree, to_xml
from peppol_ubl.validation import validate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INVOICES = sorted((FIXTURES / "invoices" / "pint").glob("*.json"))
GOLDEN = FIXTURES / "golden" / "pint"
UPDATE = os.environ.get("PEPPOL_UBL_UPDATE_GOLDEN") == "1"
BUNDLES: dict[str, dict] = json.loads((SHARED / "packs" / "BUNDLES.json").read_text(encoding="utf-8"))
PACK = {"aunz": ("pint-aunz", "pint-aunz-1.1.3"), "sg": ("pint-sg", "pint-sg-1.4.1")}
"""Fixture name prefix -> (our rule set, the staged bundle of its official files)."""


def _pack(path: Path) -> tuple[str, str]:
    return PACK[path.stem.split("-")[0]]


def _xml(path: Path) -> bytes:
    return to_xml(Invoice.model_validate_json(path.read_bytes()))


def _paths(root: etree._Element) -> set[str]:
    """Every element path of a document, local names, positions left out."""
    found = set()
    for node in root.iter(tag=etree.Element):
        names = [etree.QName(n).localname for n in reversed(list(node.iterancestors()))]
        found.add("/".join([*names[1:], etree.QName(node).localname]))
    return found


def test_the_fixtures_cover_a_nz_singapore_and_a_credit_note() -> None:
    models = {p.stem: Invoice.model_validate_json(p.read_bytes()) for p in INVOICES}
    assert {_pack(p)[0] for p in INVOICES} == {"pint-aunz", "pint-sg"}
    assert any(m.is_credit_note for m in models.values())
    assert {m.tax_scheme for m in models.values()} == {"GST"}


@pytest.mark.parametrize("path", INVOICES, ids=lambda p: p.stem)
def test_fixture_matches_its_golden_file(path: Path) -> None:
    xml = _xml(path)
    assert _xml(path) == xml
    golden = GOLDEN / f"{path.stem}.xml"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(xml)
    assert golden.is_file(), f"{golden} missing: run with PEPPOL_UBL_UPDATE_GOLDEN=1"
    assert xml == golden.read_bytes(), f"{golden.name} differs from its golden file"


@pytest.mark.parametrize("path", INVOICES, ids=lambda p: p.stem)
def test_fixture_is_valid_under_its_pack(path: Path) -> None:
    xml = _xml(path)
    assert xsd_errors(xml) == []
    report = validate(xml, ruleset="auto")
    assert report.ruleset == _pack(path)[0]
    assert [(f.layer, f.rule_id, f.message) for f in report.findings if f.severity == "fatal"] == []


@pytest.mark.parametrize("path", INVOICES, ids=lambda p: p.stem)
def test_fixture_has_no_fatal_finding_under_the_official_stylesheets(path: Path) -> None:
    bundle = BUNDLES[_pack(path)[1]]
    stylesheets = bundle["variants"]["billing"]["oracle"]
    assert len(stylesheets) == 2  # the PINT base rules and the jurisdiction's
    xml = _xml(path)
    fatal = [(rule, location) for sheet in stylesheets
             for rule, flag, location in svrl_findings(SHARED / bundle["oracle_dir"] / sheet, xml)
             if oracle_severity(flag) == "fatal"]
    assert fatal == []


@pytest.mark.parametrize("path", INVOICES, ids=lambda p: p.stem)
def test_fixture_uses_only_the_structure_of_the_official_examples(path: Path) -> None:
    bundle = BUNDLES[_pack(path)[1]]
    examples = set[str]().union(*(_paths(etree.parse(str(example)).getroot())
                                  for example in xml_files(SHARED / bundle["examples_dir"])))
    assert _paths(etree.fromstring(_xml(path))) - examples == set()


@pytest.mark.parametrize("path", INVOICES, ids=lambda p: p.stem)
def test_fixture_reads_back_as_its_canonical_model_with_its_tax_scheme(path: Path) -> None:
    model = Invoice.model_validate_json(path.read_bytes())
    report = parse_report(_xml(path))
    assert (report.unmapped, report.warnings) == ((), ())
    assert report.invoice == canonical(model)
    assert report.invoice.tax_scheme == "GST"


@pytest.mark.parametrize("path", INVOICES, ids=lambda p: p.stem)
def test_every_leaf_and_attribute_the_writer_emits_is_a_term(path: Path) -> None:
    trace: dict[etree._Element, str] = {}
    root = to_tree(Invoice.model_validate_json(path.read_bytes()), trace=trace)
    unresolved = [etree.QName(node).localname for node in root.iter(etree.Element)
                  if next(node.iterchildren(tag=etree.Element), None) is None
                  and not _resolves(node, None, trace, root)]
    unresolved += [f"{etree.QName(node).localname}/@{name}" for node in root.iter(etree.Element)
                   for name in node.attrib if not _resolves(node, etree.QName(name).localname, trace, root)]
    assert unresolved == []
