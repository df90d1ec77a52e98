"""The official examples under each rule set's Schematron layer.

Every example is free of fatal findings under ``en16931`` (CEN 1.3.16). Under
``peppol-bis-3`` the Peppol examples and snippets are clean, and so are the CEN
examples written for Peppol (``BIS3_*``, the Italian ``FT G2G…``); the other CEN
examples are plain EN 16931 invoices that legitimately fail Peppol rules: no Peppol
ProfileID/CustomizationID (R001, R004, R007), no buyer reference or endpoints (R003,
R010, R020), and national rules (NL-, NO-, DK-); ``issue116.xml`` carries made-up
Swedish organisation numbers (scheme 0007) that fail their check digit
(PEPPOL-COMMON-R049). Those facts are pinned below, rule by rule, for 3.0.19.

For ``peppol-bis-3@3.0.21`` the expectations are ph-schematron's (its compilation of
3.0.21, phive-rules 2026.5, the oracle under ``shared/oracle/phive-xslt``): the same,
plus DK-R-017 on ``ubl-tc434-example3.xml`` (new in 3.0.21: a Danish customer's legal
CompanyID needs schemeID 0184). Both the oracle and our engine must give exactly those.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from official import phive

from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron

_EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"
EXAMPLES = sorted(p for p in _EXAMPLES.rglob("*") if p.suffix.lower() == ".xml")
_NOT_PEPPOL = ("PEPPOL-EN16931-R001", "PEPPOL-EN16931-R003", "PEPPOL-EN16931-R004", "PEPPOL-EN16931-R007")
_NO_ENDPOINTS = ("PEPPOL-EN16931-R010", "PEPPOL-EN16931-R020")
PEPPOL_FATAL = {
    "cen/guide-example1.xml": {*_NOT_PEPPOL, *_NO_ENDPOINTS, "PEPPOL-EN16931-R120", "NL-R-003", "NL-R-008"},
    "cen/guide-example2.xml": {
        *_NO_ENDPOINTS,
        "PEPPOL-EN16931-R004",
        "PEPPOL-EN16931-R007",
        "PEPPOL-EN16931-R008",
        "PEPPOL-EN16931-R046",
        "PEPPOL-EN16931-R120",
        "NO-R-001",
    },
    "cen/guide-example3.xml": {*_NOT_PEPPOL, *_NO_ENDPOINTS, "PEPPOL-EN16931-R120", "DK-R-005", "DK-R-014"},
    "cen/issue116.xml": {"PEPPOL-COMMON-R049"},
    "cen/sample-discount-price.xml": {
        *_NOT_PEPPOL[1:],
        *_NO_ENDPOINTS,
        "PEPPOL-EN16931-R005",
        "PEPPOL-EN16931-R054",
    },
    "cen/ubl-tc434-creditnote1.xml": {"PEPPOL-EN16931-R004"},
    "cen/ubl-tc434-example1.xml": {*_NOT_PEPPOL, *_NO_ENDPOINTS, "PEPPOL-EN16931-R120", "NL-R-003"},
    "cen/ubl-tc434-example10.xml": {*_NOT_PEPPOL, *_NO_ENDPOINTS, "PEPPOL-EN16931-R120", "NL-R-003"},
    "cen/ubl-tc434-example2.xml": {
        *_NO_ENDPOINTS,
        "PEPPOL-EN16931-R004",
        "PEPPOL-EN16931-R007",
        "PEPPOL-EN16931-R008",
        "PEPPOL-EN16931-R043",
        "PEPPOL-EN16931-R046",
        "PEPPOL-EN16931-R120",
        "NO-R-001",
    },
    "cen/ubl-tc434-example3.xml": {*_NOT_PEPPOL, *_NO_ENDPOINTS, "PEPPOL-EN16931-R120", "DK-R-005", "DK-R-014"},
    "cen/ubl-tc434-example4.xml": {
        *_NO_ENDPOINTS,
        "PEPPOL-EN16931-R001",
        "PEPPOL-EN16931-R004",
        "PEPPOL-EN16931-R007",
        "DK-R-005",
        "DK-R-014",
    },
    "cen/ubl-tc434-example5.xml": {
        "PEPPOL-EN16931-R004",
        "PEPPOL-EN16931-R007",
        "PEPPOL-EN16931-R101",
        "PEPPOL-EN16931-CL008",
        "NL-R-003",
    },
    "cen/ubl-tc434-example6.xml": {*_NOT_PEPPOL, *_NO_ENDPOINTS, "DK-R-002"},
    "cen/ubl-tc434-example7.xml": {*_NO_ENDPOINTS, "PEPPOL-EN16931-R001", "PEPPOL-EN16931-R004", "PEPPOL-EN16931-R007"},
    "cen/ubl-tc434-example8.xml": {*_NOT_PEPPOL, *_NO_ENDPOINTS, "NL-R-003"},
    "cen/ubl-tc434-example9.xml": {*_NOT_PEPPOL, *_NO_ENDPOINTS, "NL-R-003"},
}

# ph-schematron's fatal findings on the examples under 3.0.21 (pinned from the oracle).
PEPPOL_3_0_21_FATAL = {
    **PEPPOL_FATAL,
    "cen/ubl-tc434-example3.xml": {*PEPPOL_FATAL["cen/ubl-tc434-example3.xml"], "DK-R-017"},
}


def _name(path: Path) -> str:
    return path.relative_to(_EXAMPLES).as_posix()


@pytest.mark.parametrize("example", EXAMPLES, ids=_name)
def test_examples_have_no_fatal_finding_under_en16931(example: Path) -> None:
    findings = run_schematron(get_ruleset("en16931@1.3.16"), example.read_bytes())
    assert [f for f in findings if f.severity == "fatal"] == []


@pytest.mark.parametrize("example", EXAMPLES, ids=_name)
def test_examples_under_peppol_bis_3(example: Path) -> None:
    findings = run_schematron(get_ruleset("peppol-bis-3@3.0.19"), example.read_bytes())
    assert {f.rule_id for f in findings if f.severity == "fatal"} == PEPPOL_FATAL.get(_name(example), set())


@pytest.mark.parametrize("example", EXAMPLES, ids=_name)
def test_the_3_0_21_expectations_are_ph_schematrons(example: Path) -> None:
    oracle = phive("peppol-bis-3@3.0.21", example.read_bytes())
    assert {rule_id for rule_id, severity in oracle if severity == "fatal"} == PEPPOL_3_0_21_FATAL.get(
        _name(example), set()
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=_name)
def test_examples_under_peppol_bis_3_0_21(example: Path) -> None:
    findings = run_schematron(get_ruleset("peppol-bis-3@3.0.21"), example.read_bytes())
    assert {f.rule_id for f in findings if f.severity == "fatal"} == PEPPOL_3_0_21_FATAL.get(_name(example), set())


def test_the_peppol_examples_are_all_clean() -> None:
    clean = [p for p in EXAMPLES if _name(p) not in PEPPOL_FATAL]
    assert len(clean) == 27
    assert PEPPOL_3_0_21_FATAL.keys() == PEPPOL_FATAL.keys()
    assert all(_name(p).startswith("peppol/") or "BIS3" in p.name or "G2G" in p.name for p in clean)
