"""Differential test: Peppol BIS 3.0.20 and 3.0.21 against ph-schematron's compilation.

ph-schematron is the Schematron compiler Peppol access points use; its compilations of
Peppol BIS 3.0.20 (phive-rules 2025.11) and 3.0.21 (2026.5), a CEN and a Peppol
stylesheet each, are the oracle (``official.phive``). For every official example and
snippet and every document of the official unit test sets of the version:

* our Schematron layer, ``run_schematron(get_ruleset("peppol-bis-3@…"), xml)``, reports
  the same set of ``(rule id, severity)`` as the two stylesheets together;
* each of our rule set's two Schematron files reports the same multiset of ``(rule id,
  severity, node)`` as its stylesheet, ``node`` being the node a location selects;
* the oracle itself meets each unit test's expectations (so it is the release the
  tests were written for, and the comparison is not vacuous: most tests make rules fire).

Files are named at collection time and read inside the tests: a bad file fails its test.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from official import PHIVE_PARTS, PHIVE_RELEASES, phive, phive_part
from test_schematron_conformance import unit_documents
from test_schematron_differential import _selected_paths

from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron

_SHARED = Path(__file__).resolve().parents[2] / "shared"
RULESETS = tuple(PHIVE_RELEASES)
EXAMPLES = sorted(p.relative_to(_SHARED).as_posix() for p in (_SHARED / "examples").rglob("*")
                  if p.suffix.lower() == ".xml")
UNIT_SETS = {
    ruleset: sorted(p.relative_to(_SHARED).as_posix()
                    for p in (_SHARED / "conformance" / f"peppol-{get_ruleset(ruleset).version}").glob("*/*.xml"))
    for ruleset in RULESETS
}
_EXPECTED_SEVERITY = {"error": "fatal", "warning": "warning"}

Key = tuple[str, str, str]


def _located(xml: bytes, findings: list[tuple[str, str, str]]) -> Counter[Key]:
    """``(id, severity, location)`` findings as a multiset of ``(id, severity, node path)``."""
    nodes = _selected_paths(xml, [location for _, _, location in findings])
    return Counter((i, severity, node) for (i, severity, _), node in zip(findings, nodes, strict=True))


def oracle(ruleset: str, xml: bytes) -> dict[str, list[tuple[str, str, str]]]:
    """Each ph-schematron stylesheet's ``(id, severity, location)`` findings."""
    return {part: list(phive_part(ruleset, part, xml)) for part in PHIVE_PARTS}


def disagreements(ruleset: str, xml: bytes, theirs: dict[str, list[tuple[str, str, str]]]) -> dict[str, object]:
    """What only the oracle (``theirs``) and only we report: for the whole layer, then
    per stylesheet."""
    found: dict[str, object] = {}
    oracle_layer = {(i, severity) for findings in theirs.values() for i, severity, _ in findings}
    ours_layer = {(f.rule_id, f.severity) for f in run_schematron(get_ruleset(ruleset), xml)}
    if ours_layer != oracle_layer:
        found["layer"] = {"only oracle": sorted(oracle_layer - ours_layer), "only ours": sorted(ours_layer - oracle_layer)}
    for part, schematron in zip(PHIVE_PARTS, get_ruleset(ruleset).schematron_paths(), strict=True):
        expected = _located(xml, theirs[part])
        mine = _located(xml, [(f.rule_id, f.severity, f.location or "") for f in run_schematron(schematron, xml)])
        if expected != mine:
            found[part] = {"only oracle": dict(expected - mine), "only ours": dict(mine - expected)}
    return found


def unmet_expectations(expected: dict[str, list[str]], reported: set[tuple[str, str]]) -> list[str]:
    """The expectations of one unit test that a report does not meet."""
    unmet = [f"{rule_id} as {kind}" for kind in ("error", "warning") for rule_id in expected[kind]
             if (rule_id, _EXPECTED_SEVERITY[kind]) not in reported]
    unmet += [f"{rule_id} to pass" for rule_id in expected["success"] if rule_id in {i for i, _ in reported}]
    return unmet


def test_the_documents_are_all_here() -> None:
    assert len(EXAMPLES) == 43
    assert {ruleset: len(sets) for ruleset, sets in UNIT_SETS.items()} == {
        "peppol-bis-3@3.0.20": 144,
        "peppol-bis-3@3.0.21": 151,
    }


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("ruleset", RULESETS)
def test_examples_agree_with_ph_schematron(shared_dir: Path, ruleset: str, example: str) -> None:
    xml = (shared_dir / example).read_bytes()
    assert disagreements(ruleset, xml, oracle(ruleset, xml)) == {}


@pytest.mark.parametrize(
    ("ruleset", "test_set"), [(ruleset, name) for ruleset, names in UNIT_SETS.items() for name in names]
)
def test_unit_documents_agree_with_ph_schematron(shared_dir: Path, ruleset: str, test_set: str) -> None:
    oracle_unmet: dict[int, list[str]] = {}
    problems: dict[int, dict[str, object]] = {}
    for number, expected, xml in unit_documents(shared_dir / test_set):
        theirs = oracle(ruleset, xml)
        if unmet := unmet_expectations(expected, {(i, s) for found in theirs.values() for i, s, _ in found}):
            oracle_unmet[number] = unmet
        if found := disagreements(ruleset, xml, theirs):
            problems[number] = found
    assert oracle_unmet == {}, "the oracle does not meet the official expectations"
    assert problems == {}


@pytest.mark.parametrize("ruleset", RULESETS)
def test_the_unit_documents_make_rules_fire(shared_dir: Path, ruleset: str) -> None:
    """Nearly every unit document makes the oracle report something (the rest test
    that a rule passes): the agreement above is not an agreement on empty reports."""
    documents = [xml for name in UNIT_SETS[ruleset] for _, _, xml in unit_documents(shared_dir / name)]
    fired = sum(bool(phive(ruleset, xml)) for xml in documents)
    assert fired / len(documents) > 0.9
