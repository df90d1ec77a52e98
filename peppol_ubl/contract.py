"""Findings pointed at the contract: from a location in a built document to the model field.

When a document is built from an :class:`~peppol_ubl.model.Invoice`, the writer traces
which contract part each aggregate element comes from (``items[2]``, ``seller.address``).
A finding's location is resolved to its element (and attribute); from the nearest traced
ancestor outwards, the term table (:mod:`peppol_ubl.ubl.terms`) names the field whose UBL
path selects it. A finding on an aggregate element (``BR-27`` on an ``InvoiceLine``) is
narrowed by the elements its Schematron test reads, when exactly one field of the part
holds them (``cac:Price/cbc:PriceAmount``: ``items[2].price``); otherwise it names the
part itself (``totals``). Nothing is read from message texts, which change between rule
releases.

This module sits above both :mod:`peppol_ubl.ubl` (the writer and the terms) and
:mod:`peppol_ubl.validation`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from .findings import Finding
from .model import Invoice
from .ubl.terms import Term, selected, shape, term_at, terms_in
from .ubl.writer import serialize, to_tree
from .validation.api import validate
from .validation.report import Report
from .xml.paths import find_element

__all__ = ["build_and_validate", "contract_path", "validate_invoice"]

_INDEX = re.compile(r"\[(\d+)\]")
_NAME_TOKEN = re.compile(r"@([A-Za-z_][\w.\-]*)|[A-Za-z_][\w.\-]*:([A-Za-z_][\w.\-]*)")
_STEP_NAME = re.compile(r"(?:[\w.\-]+:)?([\w.\-]+)$")


def _fill(template: str, concrete_scope: str) -> str:
    """The term's path with the list indices of the concrete scope filled in; an index the
    scope does not give ends the path (``items[2].classifications``)."""
    indices = iter(_INDEX.findall(concrete_scope))
    parts = template.split("[*]")
    filled = parts[0]
    for part in parts[1:]:
        index = next(indices, None)
        if index is None:
            return filled
        filled += f"[{index}]{part}"
    return filled


def _scopes(node: etree._Element, trace: dict[etree._Element, str],
            root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """The traced ancestors-or-self of ``node`` with their contract paths, nearest first,
    then the document root (scope ``""``)."""
    current: etree._Element | None = node
    while current is not None:
        if current in trace:
            yield current, trace[current]
        current = current.getparent()
    yield root, ""


def _steps(expression: str) -> list[str]:
    """The local names of a simple relative path (predicates dropped)."""
    names = []
    for step in re.sub(r"\[[^\]]*\]", "", expression).split("/"):
        match = _STEP_NAME.search(step.strip())
        if match and match.group(1) not in (".", "self"):
            names.append(match.group(1))
    return names


def _read_by_test(test: str | None, scope_element: etree._Element, scope: str,
                  target: etree._Element) -> Term | None:
    """The one field of ``scope`` under ``target`` whose element or attribute the
    Schematron ``test`` reads (by name), if exactly one is."""
    if not test:
        return None
    names = {a or e for a, e in _NAME_TOKEN.findall(test)}
    below: list[str] = []
    node: etree._Element | None = target
    while node is not None and node is not scope_element:
        below.insert(0, etree.QName(node).localname)
        node = node.getparent()
    read: list[tuple[list[str], Term]] = []
    for term in terms_in(scope):
        for branch in term.ubl.split("|"):
            steps = _steps(branch)
            if len(steps) > len(below) and steps[:len(below)] == below and steps[-1] in names:
                read.append((steps, term))
    # an aggregate the test only passes through (cac:Price in cac:Price/cbc:PriceAmount) is not read
    deepest = [term for steps, term in read
               if not any(len(other) > len(steps) and other[:len(steps)] == steps for other, _ in read)]
    # where the document has the element, the term's own path (predicates included) decides
    present = [term for term in deepest if any(_inside(node, target) for node in selected(scope_element, term))]
    chosen = {term.path: term for term in present or deepest}
    return next(iter(chosen.values())) if len(chosen) == 1 else None


def _inside(node: object, target: etree._Element) -> bool:
    element = node.getparent() if isinstance(node, etree._ElementUnicodeResult) else node
    return isinstance(element, etree._Element) and any(a is target for a in element.iterancestors())


def _attributes_read(test: str | None, target: etree._Element) -> list[str]:
    """The attributes of ``target`` that the Schematron ``test`` names (``@unitCode``)."""
    if not test:
        return []
    return [name for name in re.findall(r"@([A-Za-z_][\w.\-]*)", test) if target.get(name) is not None]


def contract_path(root: etree._Element, trace: dict[etree._Element, str], finding: Finding) -> str | None:
    """The contract path a finding is about, or None when it cannot be told.

    In turn: the field of an attribute the location names or the test reads; the field
    of a leaf element; the one field under an aggregate that the test reads; the
    aggregate's own term; the nearest traced part.
    """
    target = find_element(root, finding.location)
    if target is None:
        return None
    scopes = list(_scopes(target, trace, root))
    attributes = ([finding.location.rsplit("/@", 1)[1].split("}")[-1]]
                  if finding.location and "/@" in finding.location else _attributes_read(finding.test, target))
    leaf = next(target.iterchildren(tag=etree.Element), None) is None
    for scope_element, concrete in scopes:
        for name in [*attributes, *([None] if leaf else [])]:
            term = term_at(scope_element, shape(concrete), target, name)
            if term is not None:
                return _fill(term.path, concrete)
    nearest_element, nearest = scopes[0]
    term = _read_by_test(finding.test, nearest_element, shape(nearest), target)
    if term is None:
        term = term_at(nearest_element, shape(nearest), target)
    return _fill(term.path, nearest) if term is not None else nearest or None


def build_and_validate(invoice: Invoice, **options: Any) -> tuple[bytes, Report]:
    """The UBL bytes of ``invoice`` (as ``to_xml`` writes them) and their report, each
    finding carrying the contract path it is about in ``contract_path``.

    ``options`` are those of ``validate``. Raises ``BuildError``/``CalculationError``
    when the model cannot be written.
    """
    trace: dict[etree._Element, str] = {}
    root = to_tree(invoice, trace=trace)
    xml = serialize(root)
    report = validate(xml, **options)
    findings = [dataclasses.replace(f, contract_path=contract_path(root, trace, f)) for f in report.findings]
    return xml, dataclasses.replace(report, findings=findings)


def validate_invoice(invoice: Invoice, **options: Any) -> Report:
    """Build ``invoice`` and validate it (``options`` as for ``validate``), each finding
    carrying the contract path it is about in ``contract_path``."""
    return build_and_validate(invoice, **options)[1]
