"""Documents that use what EN 16931 does not, against ph-schematron's compilation.

CEN's UBL-syntax rule on the document root holds hundreds of asserts that a path selects
nothing (``not(cac:…/cbc:…)``, ``not(//@…)``); our compiler asks them behind one guard
and, when it holds, through a table (``schematron.absent``). The official examples use
none of these paths, so here each path is written into an official Invoice and
CreditNote: every plain-path assert of the rule (its first branch; both branches of the
union-headed ones, in separate documents), about 25 per document, and one document per
kind of path holding a single one. For each, our rule set's CEN file reports the same
multiset of ``(rule id, severity, node)`` as ph-schematron's CEN stylesheet of the same
release (``official.phive_part``), and the paths written do fire their asserts.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest
from lxml import etree
from official import PHIVE_PARTS, PHIVE_RELEASES, phive_part
from shared import EXAMPLES
from test_schematron_phive import _located

from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron
from peppol_ubl.validation.schematron.absent import Branch, absent_branches

SCH = "{http://purl.oclc.org/dsdl/schematron}"
DOCUMENTS = {"Invoice": EXAMPLES / "peppol" / "examples" / "base-example.xml",
             "CreditNote": EXAMPLES / "peppol" / "examples" / "base-creditnote-correction.xml"}
PER_DOCUMENT = 25


@cache
def _asserts(ruleset: str) -> tuple[tuple[str, Branch], ...]:
    """Each plain-path assert of the CEN file's rules on the root, a branch at a time:
    ``(id, branch)``, read from the official ``.sch`` text."""
    cen = get_ruleset(ruleset).schematron_paths()[0]
    tree = etree.parse(str(cen))
    found: list[tuple[str, Branch]] = []
    for rule in tree.iter(f"{SCH}rule"):
        if rule.get("context") != "/ubl:Invoice | /cn:CreditNote":
            continue
        for check in rule.iter(f"{SCH}assert"):
            found.extend((check.get("id", ""), branch) for branch in absent_branches(check.get("test", "")) or ())
    return tuple(found)


@cache
def _namespaces(ruleset: str) -> dict[str, str]:
    tree = etree.parse(str(get_ruleset(ruleset).schematron_paths()[0]))
    return {ns.get("prefix", ""): ns.get("uri", "") for ns in tree.iter(f"{SCH}ns")}


def _write(root: etree._Element, branch: Branch, namespaces: dict[str, str]) -> None:
    """Make the branch select a node: follow its steps where the document has them,
    create the elements it lacks (text ``1``), set the attribute it ends with."""
    start, steps = branch
    node = root
    first = steps[0]
    if start and not first.startswith("@"):
        prefix, _, local = first.rpartition(":")
        existing = root.find(f".//{{{namespaces[prefix]}}}{local}")
        node = existing if existing is not None else root
        steps = steps[1:] if existing is not None else steps
    for step in steps:
        prefix, _, local = step.removeprefix("@").rpartition(":")
        name = f"{{{namespaces[prefix]}}}{local}" if prefix else local
        if step.startswith("@"):
            node.set(name, "1")
            return
        child = node.find(name)
        node = child if child is not None else etree.SubElement(node, name)
        if child is None:
            node.text = "1"


def _documents(ruleset: str) -> Iterator[tuple[str, bytes, set[str]]]:
    """``(label, document, ids of the asserts written into it)``."""
    namespaces = _namespaces(ruleset)
    asserts = _asserts(ruleset)
    for kind, path in DOCUMENTS.items():
        base = path.read_bytes()
        chosen = [(i, b) for i, b in asserts if kind in b[1][0] or not b[1][0].endswith(("InvoiceLine", "CreditNoteLine"))]
        singles = {(b[0], len(b[1]), b[1][-1].startswith("@")): (i, b) for i, b in chosen}
        groups = [chosen[n:n + PER_DOCUMENT] for n in range(0, len(chosen), PER_DOCUMENT)]
        for number, group in enumerate([*groups, *([one] for one in singles.values())]):
            root = etree.fromstring(base)
            for _, branch in group:
                _write(root, branch, namespaces)
            yield f"{kind} {number}", etree.tostring(root), {i for i, _ in group}


@pytest.mark.parametrize("ruleset", tuple(PHIVE_RELEASES))
def test_documents_using_what_cen_forbids_agree_with_ph_schematron(ruleset: str) -> None:
    assert len(_asserts(ruleset)) > 800  # 824 branches of 693 asserts in both releases
    cen = get_ruleset(ruleset).schematron_paths()[0]
    problems: dict[str, object] = {}
    written = fired = 0
    for label, xml, ids in _documents(ruleset):
        theirs = phive_part(ruleset, PHIVE_PARTS[0], xml)
        expected = _located(xml, theirs)
        ours = _located(xml, [(f.rule_id, f.severity, f.location or "") for f in run_schematron(cen, xml, trusted=True)])
        if ours != expected:
            problems[label] = {"only oracle": dict(expected - ours), "only ours": dict(ours - expected)}
        written += len(ids)
        fired += len(ids & {i for i, _, _ in theirs})
    assert problems == {}
    assert fired > 0.95 * written  # the paths written are the ones the asserts ask about
