"""Broken documents under Peppol BIS 3.0.20 and 3.0.21, against ph-schematron's compilation.

The single-element corruptions of ``test_schematron_corruption`` (an invalid date in
each date element, ``twelve`` in each amount, each valued element duplicated, on three
Peppol examples), for each of ``official.PHIVE_RELEASES``. Per ph-schematron stylesheet
(CEN part, Peppol part) and corrupted document:

* where the stylesheet completes, our rule set's matching Schematron file reports the
  same multiset of ``(rule id, severity, node)``, and so the same ``(rule id, severity)``
  set;
* where it aborts (a dynamic error stops the whole transform, as it would in an access
  point), ``validate(xml, ruleset=…)`` must still answer, with a report that is not ok.

The number of aborts is pinned per stylesheet and kind of corruption. Our engine never
raises on any of these documents.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
from official import PHIVE_PARTS, PHIVE_RELEASES, phive_part
from saxonche import PySaxonApiError
from test_schematron_corruption import EXAMPLES, cases
from test_schematron_phive import _located

from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation import validate
from peppol_ubl.validation.schematron import run_schematron

RULESETS = tuple(PHIVE_RELEASES)
# ph-schematron aborts per (stylesheet, kind of corruption), the same in both releases:
# 296 of the 2 x 436 stylesheet runs.
ABORTS = {
    ("CEN-EN16931-UBL.xslt", "duplicate"): 158,
    ("CEN-EN16931-UBL.xslt", "amount"): 47,
    ("CEN-EN16931-UBL.xslt", "date"): 6,
    ("PEPPOL-EN16931-UBL.xslt", "duplicate"): 53,
    ("PEPPOL-EN16931-UBL.xslt", "amount"): 26,
    ("PEPPOL-EN16931-UBL.xslt", "date"): 6,
}
ABORTED_DOCUMENTS = 254
"""Corrupted documents (of 436) on which at least one of the two stylesheets aborts."""


@cache
def _oracle_or_abort(ruleset: str, part: str, xml: bytes) -> tuple[tuple[str, str, str], ...] | None:
    """The stylesheet's findings, or None when a dynamic error stopped the transform
    (kept for the module: the abort count reads the runs the comparison made)."""
    try:
        return tuple(phive_part(ruleset, part, xml))
    except PySaxonApiError:
        return None


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("ruleset", RULESETS)
def test_corrupted_documents_agree_with_ph_schematron(ruleset: str, example: str) -> None:
    schematron_files = get_ruleset(ruleset).schematron_paths()
    problems: dict[str, object] = {}
    compared = 0
    for _, label, xml in (case for case in cases() if case[0] == example):
        aborted = False
        for part, schematron in zip(PHIVE_PARTS, schematron_files, strict=True):
            theirs = _oracle_or_abort(ruleset, part, xml)
            if theirs is None:
                aborted = True
                continue
            compared += 1
            expected = _located(xml, list(theirs))
            ours = _located(xml, [(f.rule_id, f.severity, f.location or "") for f in run_schematron(schematron, xml)])
            if ours != expected:
                problems[f"{label} {part}"] = {"only oracle": dict(expected - ours), "only ours": dict(ours - expected)}
        if aborted and validate(xml, ruleset=ruleset).ok:
            problems[label] = "ph-schematron aborts, and our report is ok"
    assert problems == {}
    assert compared > 0


@pytest.mark.parametrize("ruleset", RULESETS)
def test_ph_schematron_aborts_on_many_corruptions(ruleset: str) -> None:
    aborted = [
        [(part, label.split()[0]) for part in PHIVE_PARTS if _oracle_or_abort(ruleset, part, xml) is None]
        for _, label, xml in cases()
    ]
    assert Counter(run for runs in aborted for run in runs) == ABORTS
    assert sum(bool(runs) for runs in aborted) == ABORTED_DOCUMENTS
