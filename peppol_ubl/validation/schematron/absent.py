"""Asserts that a plain path selects nothing: tested a branch at a time, and decided together.

A plain path is element names joined by ``/``: it may start with ``//``, its first step
may be a union of names, and its last step may be an attribute. ``not(path)`` is how
CEN's UBL-syntax rule on the document root says, 693 times, that a CEN invoice may not
use an element or attribute (``not(cac:PaymentMeans/cbc:PaymentID/@schemeID)``,
``not((cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cbc:Keyword)``, ``not(//@format)``).
A conforming document uses none of them, yet each assert walks its path. Two rewrites,
both exact; the test reported stays the one written:

* ``fires_per_branch``: ``not((A|B)/p)`` fails when ``exists(A/p) or exists(B/p)``.
  Saxon evaluates a path that starts with a union by merging both branches into
  document order before every further step; a path per branch is a plain child walk,
  and the branch a document does not use ends at its first step. A union is empty
  exactly when each of its branches is, and ``/`` distributes over ``|``.
* ``absence_guard``: a rule with at least ``GUARDED`` such asserts first asks once
  whether any of their paths selects a node. The final steps are grouped by the path
  before them, one ``exists(parent/(x|y|z))`` per group: one walk of the parent for all
  its names, where each assert walks it again. When the guard is false no such assert
  can fail and the rule runs only its other checks; when it is true every check runs
  as written, in its order. The guard is true exactly when one of the paths selects a
  node, and it cannot raise a dynamic error (names only).

When the guard holds, the asserts of a run (those next to each other in the rule) whose
message is text alone are asked through one table rather than one instruction each
(``table_branches``): a row holds an assert's branches as expanded names and its
fields, and the stylesheet function ``selects`` walks a branch by node names, as the
path's name tests do. The table is JSON in one string, parsed (``parse-json``) only when
the guard holds, which a conforming document never makes it do (not XML: a first
``parse-xml`` in a process lets a later one resolve external entities, which the
sandbox of user rules must not allow): Saxon compiles one string
for CEN's 693 asserts rather than 693 instructions (CEN's stylesheet compiles in about
0.29 s instead of 0.46 s, and 0.38 s before the guard).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from .entries import OWN, XS, XSL
from .xpath_text import QNAME

__all__ = ["GUARDED", "SELECTS", "TableBranch", "absence_guard", "absent_branches", "add_selects_function",
           "fires_per_branch", "table_branches"]

GUARDED = 8
"""The fewest plain-path asserts in one rule for which a guard is written."""

_ABSENT = re.compile(
    rf"\s*not\s*\(\s*(?P<start>//)?\s*(?:\(\s*(?P<union>{QNAME}(?:\s*\|\s*{QNAME})+)\s*\)|(?P<head>@?{QNAME}))"
    rf"(?P<rest>(?:\s*/\s*{QNAME})*(?:\s*/\s*@{QNAME})?)\s*\)\s*")

Branch = tuple[str, tuple[str, ...]]
"""A plain path without union: how it starts (``""`` or ``"//"``) and its steps."""


def absent_branches(test: str) -> tuple[Branch, ...] | None:
    """The branches of the plain path of a test ``not(path)``, a path per name of its
    first step; ``None`` for any other test."""
    match = _ABSENT.fullmatch(test)
    if match is None:
        return None
    head = match.group("head")
    rest = tuple(step.strip() for step in match.group("rest").split("/") if step.strip())
    if head is not None and head.startswith("@") and rest:
        return None  # an attribute has no children
    heads = [head] if head is not None else [name.strip() for name in match.group("union").split("|")]
    start = match.group("start") or ""
    return tuple((start, (first, *rest)) for first in heads)


def _written(start: str, steps: tuple[str, ...]) -> str:
    return start + "/".join(steps)


def fires_per_branch(test: str) -> str | None:
    """For an assert whose test is ``not((A|B|…)/steps)``, the condition on which it
    fails, a branch at a time: ``exists(A/steps) or exists(B/steps) …``; ``None`` for
    any other test (a path without a union included)."""
    branches = absent_branches(test)
    if branches is None or len(branches) < 2:
        return None
    return " or ".join(f"exists({_written(*branch)})" for branch in branches)


def absence_guard(tests: Iterable[str]) -> str | None:
    """The condition on which at least one of the plain-path asserts among ``tests``
    fails (the others are left out); ``None`` when fewer than ``GUARDED`` are plain."""
    groups: dict[tuple[str, tuple[str, ...], bool], dict[str, None]] = {}
    plain = 0
    for test in tests:
        branches = absent_branches(test)
        if branches is None:
            continue
        plain += 1
        for start, steps in branches:
            last = steps[-1]
            groups.setdefault((start, steps[:-1], last.startswith("@")), {})[last] = None
    if plain < GUARDED:
        return None
    return " or ".join(_group(start, parent, tuple(last)) for (start, parent, _), last in groups.items())


def _group(start: str, parent: tuple[str, ...], last: tuple[str, ...]) -> str:
    """``exists(parent/(x|y))``: whether a node of ``parent`` has one of the final steps."""
    names = last[0] if len(last) == 1 else "(" + "|".join(last) + ")"
    before = _written(start, parent)
    return f"exists({before}{'' if before in ('', '//') else '/'}{names})"


SELECTS = f"{OWN}selects"
"""``selects($context, $branches)``: whether one of the branches of a table row selects a
node from ``$context``."""
_WALK = f"{OWN}walk"

TableBranch = list[object]
"""A branch as JSON: ``[starts with //, [[local name, namespace, is an attribute], …]]``."""


def table_branches(branches: tuple[Branch, ...], namespaces: dict[str, str]) -> list[TableBranch] | None:
    """The branches of one assert for a table row, their names expanded with
    ``namespaces`` as a name test's are (an unprefixed element or attribute name is in no
    namespace: the stylesheet declares no default). ``None`` when a prefix is not
    declared (the assert is then emitted as it is)."""
    found: list[TableBranch] = []
    for start, steps in branches:
        names: list[object] = []
        for step in steps:
            prefix, _, local = step.removeprefix("@").rpartition(":")
            if prefix and prefix not in namespaces:
                return None
            names.append([local, namespaces[prefix] if prefix else "", step.startswith("@")])
        found.append([bool(start), names])
    return found


def add_selects_function(sheet: etree._Element) -> None:
    """Declare ``selects`` (and the ``walk`` it uses) in the stylesheet: a branch from
    the root starts at every node of the document (``//`` is
    ``root(.) treat as document-node()/descendant-or-self::node()/``), each step keeps
    the children (the attributes, for a step that is one) of its expanded name."""
    boolean, nodes, arrays = f"{XS}boolean", "node()*", "array(*)*"
    selects = etree.SubElement(sheet, f"{XSL}function", {"name": SELECTS, "as": boolean})
    etree.SubElement(selects, f"{XSL}param", {"name": f"{OWN}context", "as": "node()"})
    etree.SubElement(selects, f"{XSL}param", {"name": f"{OWN}branches", "as": "array(*)"})
    etree.SubElement(selects, f"{XSL}sequence", {"select": (
        f"some ${OWN}b in ${OWN}branches?* satisfies exists({_WALK}("
        f"if (${OWN}b(1)) then (root(${OWN}context) treat as document-node())/descendant-or-self::node() "
        f"else ${OWN}context, ${OWN}b(2)?*))")})
    walk = etree.SubElement(sheet, f"{XSL}function", {"name": _WALK, "as": nodes})
    etree.SubElement(walk, f"{XSL}param", {"name": f"{OWN}nodes", "as": nodes})
    etree.SubElement(walk, f"{XSL}param", {"name": f"{OWN}steps", "as": arrays})
    step = f"head(${OWN}steps)"
    name = f"QName({step}(2), {step}(1))"
    etree.SubElement(walk, f"{XSL}sequence", {"select": (
        f"if (empty(${OWN}steps)) then ${OWN}nodes "
        f"else if ({step}(3)) then ${OWN}nodes/@*[node-name() eq {name}] "
        f"else {_WALK}(${OWN}nodes/*[node-name() eq {name}], tail(${OWN}steps))")})
