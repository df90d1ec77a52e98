"""Broken documents: every rule keeps running, and a rule whose test raises is reported.

Single-element corruptions of official examples: an invalid date ``2026-13-01`` in
each date element, ``twelve`` in each amount element, and each element that holds a
value duplicated. The official compiled CEN XSLT aborts the whole run on many of
them (the count is pinned below). Our engine must never raise, and on ``en16931``
it must report exactly what the official XSLT reports once each of the official
XSLT's own tests is wrapped in ``xsl:try`` (an oracle built here from the official
file): the same non-error findings (id, severity, node), and the same rules whose
tests raised (id, node), each with the error text. A rule context that raises does
not match, in our engine as in XSLT (and so in the oracle).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from official import _processor, official_cen
from saxonche import PySaxonApiError, PyXsltExecutable
from test_schematron_differential import _selected_paths

from peppol_ubl.artifacts import artifact_path
from peppol_ubl.findings import Finding
from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron, severity_of

_EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples" / "peppol" / "examples"
EXAMPLES = ("base-example.xml", "Allowance-example.xml", "base-creditnote-correction.xml")
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
ERROR_MARK = "could not be evaluated"


def _valued_elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and len(e) == 0 and (e.text or "").strip()]


def corruptions(xml: bytes) -> Iterator[tuple[str, bytes]]:
    """Every single-element corruption of a document: (label, corrupted bytes)."""
    count = len(_valued_elements(etree.fromstring(xml)))
    for index in range(count):
        root = etree.fromstring(xml)
        element = _valued_elements(root)[index]
        name = etree.QName(element).localname
        variants = []
        if name.endswith("Date"):
            variants.append(("date", lambda e: setattr(e, "text", "2026-13-01")))
        if element.get("currencyID") is not None:
            variants.append(("amount", lambda e: setattr(e, "text", "twelve")))
        variants.append(("duplicate", lambda e: e.addnext(copy.deepcopy(e))))
        for kind, corrupt in variants:
            root = etree.fromstring(xml)
            corrupt(_valued_elements(root)[index])
            yield f"{kind} {name} #{index}", etree.tostring(root, encoding="UTF-8")


@cache
def cases() -> tuple[tuple[str, str, bytes], ...]:
    """Every (example, corruption label, corrupted document): made on first use inside a
    test, so an unreadable example fails the tests that need it, not the collection."""
    return tuple((name, label, bad) for name in EXAMPLES
                 for label, bad in corruptions((_EXAMPLES / name).read_bytes()))


@cache
def _official_with_try() -> PyXsltExecutable:
    """The official CEN XSLT with each assert's ``xsl:choose`` wrapped in ``xsl:try``.

    On a dynamic error the catch emits the assert's own ``svrl:failed-assert`` with an
    extra ``error`` attribute, so the run goes on.
    """
    path = artifact_path("cen-en16931-ubl", "xslt/EN16931-UBL-validation.xslt")
    tree = etree.parse(str(path))
    for failed in list(tree.iter(f"{{{SVRL}}}failed-assert")):
        choose = failed.getparent().getparent()
        attempt = etree.Element(f"{{{XSL}}}try")
        choose.addprevious(attempt)
        attempt.append(choose)
        catch = etree.SubElement(attempt, f"{{{XSL}}}catch")
        marked = copy.deepcopy(failed)
        marked.set("error", "yes")
        catch.append(marked)
    tree.getroot().set("version", "3.0")
    text = etree.tostring(tree, encoding="unicode")
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text)


def _oracle(xml: bytes) -> list[tuple[str, str, str, bool]]:
    node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    root = etree.fromstring(_official_with_try().transform_to_string(xdm_node=node).encode("utf-8"))
    return [
        (f.get("id", ""), f.get("flag", ""), f.get("location", ""), f.get("error") == "yes")
        for f in root.iter(f"{{{SVRL}}}failed-assert")
    ]


def _official_aborts(xml: bytes) -> bool:
    try:
        official_cen(xml)
    except PySaxonApiError:
        return True
    return False


def _keyed(xml: bytes, *runs: list[tuple[str, str, str, bool]]) -> list[tuple[Counter, Counter]]:
    """Per run: the multiset of plain findings (id, severity, node) and of errors (id, node)."""
    nodes = iter(_selected_paths(xml, [location for run in runs for _, _, location, _ in run]))
    keyed = []
    for run in runs:
        located = [(finding, next(nodes)) for finding in run]
        plain = Counter((i, s, n) for (i, s, _, error), n in located if not error)
        errors = Counter((i, n) for (i, _, _, error), n in located if error)
        keyed.append((plain, errors))
    return keyed


def _ours(findings: list[Finding]) -> list[tuple[str, str, str, bool]]:
    return [(f.rule_id, f.severity, f.location or "", ERROR_MARK in f.message) for f in findings]


def test_the_corruptions_cover_dates_amounts_and_duplicates() -> None:
    kinds = Counter(label.split()[0] for _, label, _ in cases())
    assert kinds == {"duplicate": 365, "amount": 56, "date": 15}


def test_the_official_xslt_aborts_on_many_corruptions() -> None:
    """The figure our engine improves on: official aborts per kind of corruption."""
    aborted = Counter(label.split()[0] for _, label, xml in cases() if _official_aborts(xml))
    assert aborted == {"duplicate": 158, "amount": 47, "date": 6}


def _disagreement(xml: bytes) -> tuple[dict[str, dict[object, int]], bool]:
    """How ``en16931`` differs from the official XSLT with ``xsl:try`` on ``xml`` (empty
    when it does not), and whether a test raised."""
    oracle = [(i, severity_of(flag), location, error) for i, flag, location, error in _oracle(xml)]
    (ours_plain, ours_errors), (oracle_plain, oracle_errors) = _keyed(
        xml, _ours(run_schematron(get_ruleset("en16931@1.3.16"), xml)), oracle
    )
    differences = {
        "missing": dict(oracle_plain - ours_plain),
        "extra": dict(ours_plain - oracle_plain),
        "errors not reported": dict(oracle_errors - ours_errors),
        "errors not in the oracle": dict(ours_errors - oracle_errors),
    }
    return {kind: found for kind, found in differences.items() if found}, bool(ours_errors)


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_rule_keeps_running_on_corrupted_documents(example: Path) -> None:
    problems = {}
    errored = 0
    for _, label, xml in (case for case in cases() if case[0] == example):
        differences, raised = _disagreement(xml)
        if differences:
            problems[label] = differences
        errored += raised
    assert problems == {}
    assert errored > 0


def test_an_unreadable_charge_indicator_is_reported_as_the_official_xslt_reports_it() -> None:
    """``maybe`` in each ``ChargeIndicator`` in turn: the official tests that compare it
    with ``true()`` or ``false()`` raise, or not, where it is read (``exists`` of a
    filter stops at its first node), and the document-level filters CEN's tests share
    (``filters``) must keep that."""
    problems = {}
    errored = 0
    documents = 0
    for name in EXAMPLES:
        xml = (_EXAMPLES / name).read_bytes()
        indicators = len(etree.fromstring(xml).findall(".//{*}ChargeIndicator"))
        for index in range(indicators):
            root = etree.fromstring(xml)
            root.findall(".//{*}ChargeIndicator")[index].text = "maybe"
            differences, raised = _disagreement(etree.tostring(root, encoding="UTF-8"))
            if differences:
                problems[f"{name} #{index}"] = differences
            errored += raised
            documents += 1
    assert problems == {}
    assert documents >= 9 and errored == documents


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_peppol_rule_set_never_raises_on_corrupted_documents(example: Path) -> None:
    peppol = get_ruleset("peppol-bis-3@3.0.19")
    reported_errors = 0
    for _, _, xml in (case for case in cases() if case[0] == example):
        findings = run_schematron(peppol, xml)
        reported_errors += sum(ERROR_MARK in f.message for f in findings)
    assert reported_errors > 0
