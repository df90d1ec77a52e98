"""Differential test: our compilation of the CEN 1.3.16 rules against the official XSLT.

For each document, our run of rule set ``en16931`` must report exactly the multiset of
``(rule id, severity, node)`` that the official compiled XSLT reports, where ``node`` is
the node a finding's location XPath selects (each must select exactly one node). The
documents are the official examples (the official XSLT reports nothing on any of them)
and every document of the CEN unit test sets, which make the rules fire.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from official import _processor, official_cen
from test_schematron_conformance import CEN_SETS, unit_documents

from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron, severity_of

_SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLES = sorted(p for p in (_SHARED / "examples").rglob("*") if p.suffix.lower() == ".xml")

Key = tuple[str, str, str]


def _selected_paths(xml: bytes, locations: list[str]) -> list[str]:
    """``fn:path()`` of the single node each location selects (or a description of why not)."""
    document = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    xpath = _processor().new_xpath_processor()
    xpath.set_context(xdm_item=document)
    paths = []
    for location in locations:
        probe = f"let $n := ({location}) return if (count($n) eq 1) then path($n) else 'selects ' || count($n)"
        paths.append(xpath.evaluate_single(probe).get_string_value())
    return paths


def _differences(xml: bytes) -> tuple[Counter[Key], Counter[Key]]:
    official = official_cen(xml)
    ours = run_schematron(get_ruleset("en16931@1.3.16"), xml)
    theirs_nodes = _selected_paths(xml, [location for _, _, location in official])
    ours_nodes = _selected_paths(xml, [f.location or "" for f in ours])
    theirs = Counter((i, severity_of(flag), n) for (i, flag, _), n in zip(official, theirs_nodes, strict=True))
    mine = Counter((f.rule_id, f.severity, n) for f, n in zip(ours, ours_nodes, strict=True))
    return theirs - mine, mine - theirs


def test_there_are_examples() -> None:
    assert len(EXAMPLES) == 43


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: str(p.relative_to(_SHARED / "examples")))
def test_examples_agree_with_the_official_xslt(example: Path) -> None:
    missing, extra = _differences(example.read_bytes())
    assert (dict(missing), dict(extra)) == ({}, {})


@pytest.mark.parametrize("test_set", CEN_SETS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_cen_unit_documents_agree_with_the_official_xslt(test_set: Path) -> None:
    problems = {}
    for number, _, xml in unit_documents(test_set):
        missing, extra = _differences(xml)
        if missing or extra:
            problems[number] = {"only official": dict(missing), "only ours": dict(extra)}
    assert problems == {}


def test_the_cen_unit_documents_make_rules_fire() -> None:
    """The comparison above is not vacuous: the official XSLT reports on most documents."""
    fired = sum(bool(official_cen(xml)) for test_set in CEN_SETS for _, _, xml in unit_documents(test_set))
    assert fired > 1000
