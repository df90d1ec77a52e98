"""Paths from the root that a rule's tests walk again and again, walked once per rule.

CEN's UBL-model rule on the document root writes ``//cac:ClassifiedTaxCategory``,
``//cac:AllowanceCharge``, ``//cac:AccountingSupplierParty`` and their like about 200
times in its 60 asserts, and each is a walk of the whole document. While a document
fits in the processor's caches that costs little; a 10,000-line invoice does not fit,
and those walks made the rule's time per line grow by 1.8 times from 1,000 to 10,000
lines. The compiler binds each ``//name`` that a rule's tests write at least twice to
a variable of the rule (``xsl:variable select="//name"``, the value computed once) and
the tests read the variable.

Exact: ``//name`` is ``root(.)/descendant-or-self::node()/name``, the same nodes for
every node of one document, and a rule's tests have one context node. An occurrence is
rewritten only where its focus is the rule's context node, so where it stands is an
argument of a function call or a parenthesised expression (after ``(`` or ``,``) whose
focus is that of the whole test: not in a predicate, not after a ``/`` or ``!`` step
(there the focus may be another tree's node or an atomic value), in a test without ``!``
(a simple map) and without inline functions. What follows it must not use the position
in the sequence: each predicate after the name must be a comparison or ``and``/``or``
at its top level (not an ``if``, ``for`` or ``let`` there, whose value may be a number)
and mention neither ``position()`` nor ``last()`` (``//a[1]`` is the first ``a`` of each
parent, ``$all[1]`` the first of the document). A document whose
root is not a document node cannot reach a rule (Saxon parses documents), so the
variable cannot raise where the path would not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .entries import OWN
from .xpath_text import QNAME, blanked, closing_bracket

__all__ = ["rewrite_descendants", "shared_descendants"]

_NAME_AFTER = re.compile(rf"//(?P<name>{QNAME})(?![\w.:(#-])")
_WORD = re.compile(r"[\w.:-]")
_SIMPLE_MAP = re.compile(r"!(?!=)")
_COMPARISON = re.compile(r"!=|<=|>=|(?<![=:])=(?!>)|<|>|\b(?:eq|ne|lt|le|gt|ge|and|or)\b")
_POSITIONAL = re.compile(r"\b(?:position|last)\s*\(")
_BRANCHING = re.compile(r"\b(?:if|for|let|switch|typeswitch)\b")


def shared_descendants(tests: Iterable[str]) -> dict[str, str]:
    """The ``//name`` paths that the tests of one rule write at least twice where they
    may be read from a variable, each with the name of its variable."""
    counts = Counter(name for test in tests for _, _, name in _occurrences(test))
    shared = sorted(name for name, count in counts.items() if count >= 2)
    return {name: f"{OWN}all-{number}" for number, name in enumerate(shared, start=1)}


def rewrite_descendants(test: str, variables: dict[str, str]) -> str:
    """``test`` with each rewritable occurrence of a path of ``variables`` reading its
    variable."""
    parts: list[str] = []
    last = 0
    for start, end, name in _occurrences(test):
        if name in variables:
            parts += [test[last:start], f"${variables[name]}"]
            last = end
    return "".join([*parts, test[last:]])


def _occurrences(test: str) -> list[tuple[int, int, str]]:
    """The spans of ``//name`` in ``test`` whose focus is the test's own and whose
    following predicates are not positional (see the module)."""
    code = blanked(test)
    if _SIMPLE_MAP.search(code) or re.search(r"\bfunction\s*\(", code):
        return []
    found: list[tuple[int, int, str]] = []
    kept: list[bool] = []  # for each open bracket: whether the focus inside is the test's
    previous = ""
    index = 0
    while index < len(code):
        char = code[index]
        if code.startswith("//", index) and previous in ("", "(", ",") and all(kept):
            match = _NAME_AFTER.match(code, index)
            if match is not None and _plain_predicates(code, match.end()):
                found.append((index, match.end(), match.group("name")))
        if char == "(":
            kept.append(previous not in ("/", "!", "]", ")") and _call_keeps_focus(code, index))
        elif char == "[":
            kept.append(False)
        elif char in ")]" and kept:
            kept.pop()
        if not char.isspace():
            previous = char
        index += 1
    return found


def _call_keeps_focus(code: str, paren: int) -> bool:
    """Whether the ``(`` at ``paren`` opens a group or the arguments of a call that is
    not a step of a path (``a/f(…)``, ``a!f(…)``): its focus is the enclosing one."""
    start = paren
    while start > 0 and code[start - 1].isspace():
        start -= 1
    while start > 0 and _WORD.match(code[start - 1]):
        start -= 1
    before = code[:start].rstrip()
    return not before.endswith(("/", "!"))


def _plain_predicates(code: str, index: int) -> bool:
    """Whether each predicate from ``index`` on (none is fine) is a comparison or a
    boolean combination at its top level, without ``position()`` or ``last()``."""
    while True:
        while index < len(code) and code[index].isspace():
            index += 1
        if index >= len(code) or code[index] != "[":
            return True
        closing = closing_bracket(code, index)
        if closing is None:
            return False
        predicate = code[index + 1:closing]
        top = _top_level(predicate)
        if _POSITIONAL.search(predicate) or _BRANCHING.search(top) or not _COMPARISON.search(top):
            return False
        index = closing + 1


def _top_level(text: str) -> str:
    """``text`` with everything inside brackets blanked."""
    out = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        out.append(char if depth == 0 else " ")
        if char in ")]":
            depth -= 1
    return "".join(out)
