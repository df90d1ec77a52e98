"""Our fixture invoices: golden XML, and every one valid under the official artefacts.

Every golden file is also free of fatal findings under Peppol BIS 3.0.21, both in
ph-schematron's compilation (the oracle under ``shared/oracle/phive-xslt``) and in
our ``validate(xml, ruleset="peppol-bis-3@3.0.21")``.

Set ``PEPPOL_UBL_UPDATE_GOLDEN=1`` to rewrite ``fixtures/golden/*.xml`` and
``fixtures/invoice.schema.json`` after an intended change, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from official import official_cen, phive, xsd_errors

from peppol_ubl.model import Invoice
from peppol_ubl.ubl import to_xml
from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation import validate
from peppol_ubl.validation.schematron import run_schematron

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INVOICES = sorted((FIXTURES / "invoices").glob("*.json"))
GOLDEN = sorted((FIXTURES / "golden").glob("*.xml"))
UPDATE = os.environ.get("PEPPOL_UBL_UPDATE_GOLDEN") == "1"


def _load(path: Path) -> Invoice:
    return Invoice.model_validate_json(path.read_bytes())


def _golden(path: Path, content: bytes) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    assert path.is_file(), f"{path} missing: run with PEPPOL_UBL_UPDATE_GOLDEN=1"
    assert content == path.read_bytes(), f"{path.name} differs from its golden file"


def test_fixture_set_covers_the_required_scenarios() -> None:
    names = {p.stem for p in INVOICES}
    assert len(names) >= 10
    categories = set()
    for path in INVOICES:
        invoice = _load(path)
        categories |= {item.tax_category for item in invoice.items}
    assert {"S", "Z", "E", "AE", "K", "G", "O"} <= categories
    assert any(_load(p).is_credit_note and _load(p).references for p in INVOICES)
    assert any(_load(p).attachments for p in INVOICES)
    assert any(_load(p).header.vat_currency not in (None, _load(p).header.currency) for p in INVOICES)


@pytest.mark.parametrize("path", INVOICES, ids=lambda p: p.stem)
def test_fixture_matches_golden_and_is_deterministic(path: Path) -> None:
    xml = to_xml(_load(path))
    assert to_xml(_load(path)) == xml
    _golden(FIXTURES / "golden" / f"{path.stem}.xml", xml)


@pytest.mark.parametrize("path", INVOICES, ids=lambda p: p.stem)
def test_fixture_is_valid_under_the_official_artefacts(path: Path) -> None:
    xml = to_xml(_load(path))
    assert xsd_errors(xml) == []
    assert [f for f in official_cen(xml) if f[1] == "fatal"] == []
    ours = run_schematron(get_ruleset("peppol-bis-3@3.0.19"), xml)
    assert [(f.rule_id, f.message) for f in ours if f.severity == "fatal"] == []


def test_every_fixture_has_one_golden_file() -> None:
    assert [p.stem for p in GOLDEN] == [p.stem for p in INVOICES]


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.stem)
def test_golden_file_has_no_fatal_finding_under_ph_schematron_3_0_21(golden: Path) -> None:
    oracle = phive("peppol-bis-3@3.0.21", golden.read_bytes())
    assert sorted(rule_id for rule_id, severity in oracle if severity == "fatal") == []


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.stem)
def test_golden_file_has_no_fatal_finding_under_our_3_0_21(golden: Path) -> None:
    report = validate(golden.read_bytes(), ruleset="peppol-bis-3@3.0.21")
    assert [(f.layer, f.rule_id, f.message) for f in report.findings if f.severity == "fatal"] == []
    assert report.ok


def test_json_schema_of_the_contract_is_published() -> None:
    schema = json.dumps(Invoice.model_json_schema(), indent=1, sort_keys=True) + "\n"
    _golden(FIXTURES / "invoice.schema.json", schema.encode())
