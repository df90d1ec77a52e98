"""Conformance of our Schematron engine with the official unit test sets.

Every ``test`` of a VEFA ``testSet`` names rule ids it expects as ``error`` (reported
with flag fatal), ``warning`` (reported with flag warning) or ``success`` (not
reported), for the ``Invoice``/``CreditNote`` element that follows it. Each official set
runs with the rule-set version it was written for: the Peppol 3.0.19, 3.0.20 and 3.0.21
sets (the later two with the national DE/DK/GR/IT/NL/NO/SE sets) with ``peppol-bis-3@…``,
the CEN sets with ``en16931@1.3.16``; Schematron only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from peppol_ubl.findings import Finding
from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron

VEFA = "http://difi.no/xsd/vefa/validator/1.0"
_SHARED = Path(__file__).resolve().parents[2] / "shared" / "conformance"
PEPPOL_SETS = sorted((_SHARED / "peppol" / "unit-UBL-PEPPOL").glob("*.xml"))
PEPPOL_3_0_20_SETS = sorted((_SHARED / "peppol-3.0.20").glob("*/*.xml"))
PEPPOL_3_0_21_SETS = sorted((_SHARED / "peppol-3.0.21").glob("*/*.xml"))
CEN_SETS = sorted((_SHARED / "cen").glob("*/*.xml"))
_EXPECTED_SEVERITY = {"error": "fatal", "warning": "warning"}


def unit_documents(test_set: Path) -> list[tuple[int, dict[str, list[str]], bytes]]:
    """Each test of a set: its number, the expected ids by kind, the document bytes."""
    root = etree.parse(str(test_set)).getroot()
    cases = []
    for number, test in enumerate(root.iter(f"{{{VEFA}}}test"), start=1):
        expected: dict[str, list[str]] = {"success": [], "error": [], "warning": []}
        for kind in expected:
            expected[kind] = [e.text.strip() for e in test.iter(f"{{{VEFA}}}{kind}") if e.text]
        document = next(c for c in test if isinstance(c.tag, str) and not c.tag.startswith(f"{{{VEFA}}}"))
        cases.append((number, expected, etree.tostring(document, encoding="UTF-8")))
    return cases


def _mismatches(test_set: Path, ruleset: str) -> list[str]:
    problems = []
    for number, expected, xml in unit_documents(test_set):
        findings: list[Finding] = run_schematron(get_ruleset(ruleset), xml)
        reported = {(f.rule_id, f.severity) for f in findings}
        reported_ids = {f.rule_id for f in findings}
        for kind in ("error", "warning"):
            for rule_id in expected[kind]:
                if (rule_id, _EXPECTED_SEVERITY[kind]) not in reported:
                    got = sorted(s for r, s in reported if r == rule_id) or "not reported"
                    problems.append(f"test {number}: expected {rule_id} as {kind}, got {got}")
        for rule_id in expected["success"]:
            if rule_id in reported_ids:
                messages = [f.message for f in findings if f.rule_id == rule_id]
                problems.append(f"test {number}: expected {rule_id} to pass, reported: {messages}")
    return problems


def _expectation_count(test_sets: list[Path]) -> int:
    return sum(
        len(ids) for test_set in test_sets for _, expected, _ in unit_documents(test_set) for ids in expected.values()
    )


def test_the_official_sets_are_all_here() -> None:
    """55 Peppol 3.0.19 sets (a 56th, ``PEPPOL-COMMON-R048.xm``, is commented out
    upstream), 277 CEN, and the 3.0.20 and 3.0.21 sets with 552 and 675 expectations."""
    assert (len(PEPPOL_SETS), len(CEN_SETS)) == (55, 277)
    assert (_expectation_count(PEPPOL_SETS), _expectation_count(CEN_SETS)) == (221, 1133)
    assert _expectation_count(PEPPOL_3_0_20_SETS) == 552
    assert _expectation_count(PEPPOL_3_0_21_SETS) == 675
    national = {p.parent.name for p in PEPPOL_3_0_21_SETS} - {"unit-UBL-PEPPOL"}
    assert national == {f"unit-UBL-{c}" for c in ("DE", "DK", "GR", "IT", "NL", "NO", "SE")}


def _set_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("test_set", PEPPOL_SETS, ids=lambda p: p.stem)
def test_peppol_unit_set(test_set: Path) -> None:
    assert _mismatches(test_set, "peppol-bis-3@3.0.19") == []


@pytest.mark.parametrize("test_set", PEPPOL_3_0_20_SETS, ids=_set_id)
def test_peppol_3_0_20_unit_set(test_set: Path) -> None:
    assert _mismatches(test_set, "peppol-bis-3@3.0.20") == []


@pytest.mark.parametrize("test_set", PEPPOL_3_0_21_SETS, ids=_set_id)
def test_peppol_3_0_21_unit_set(test_set: Path) -> None:
    assert _mismatches(test_set, "peppol-bis-3@3.0.21") == []


@pytest.mark.parametrize("test_set", CEN_SETS, ids=_set_id)
def test_cen_unit_set(test_set: Path) -> None:
    assert _mismatches(test_set, "en16931@1.3.16") == []
