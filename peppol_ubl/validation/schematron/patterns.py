"""A rule context as the template's match pattern: the same nodes, cheaper to match.

The walk (``compile``) asks a pattern's mode only at the nodes of the document Saxon
parsed, a tree whose root is a document node. A rule that may match any element
(CEN's ``//*[ends-with(name(), 'Amount') and …]`` and ``//*[ends-with(name(),
'BinaryObject')]``, Peppol's ``//*[not(*) and not(normalize-space())]``) has its
pattern tried at every element, so what each try costs is paid as many times as the
document has elements: on ``base-example.xml`` and CEN's ``guide-example1.xml``, the
first two took a third or more of the time of CEN's stylesheet and the third an eighth
of Peppol's. Two rewrites, each exact on such a tree, take about 40 % off those rules:

* a union branch ``//p`` whose first step is a name test (``a``, ``p:a``, ``*``,
  ``p:*``, ``*:a``, ``Q{uri}a``), becomes ``p``: ``//p`` matches a node that ``p``
  matches and whose tree has a document node at its root, which every node the walk
  visits has. (A kind test such as ``document-node()`` is left alone: ``//`` reaches
  only children.)
* ``ends-with(name(), 'S')`` with a literal ``S`` holding no colon becomes
  ``ends-with(local-name(), 'S')``: ``name()`` is the local name, after a prefix and a
  colon when there is a prefix, and a string without a colon ends the one exactly when
  it ends the other; the local name needs no lexical QName built. (The stylesheet sets
  no default collation: the comparison is by code points either way.)

The walk asks such a pattern at every element, also at those it asks by name. For
an element of a known name, ``cannot_match`` tells from the text of a rule context
alone that the rule does not match it (CEN's two rules, at every element whose local
name ends in neither ``Amount`` nor ``BinaryObject``), and the walk does not ask a
pattern none of whose rules can match there: 4 to 10 % of CEN's stylesheet time on a
1,000-line invoice, about 3 % on the official examples.

Most of Peppol's national patterns (DK, IT, GR, IS, NL, DE, NO …) hold rules whose
contexts all carry a predicate on global variables alone (``cac:Party[$supplierCountry
= 'NO']``, ``(/ubl-invoice:Invoice | …)[$supplierCountryIsDE and
$customerCountryIsDE]``): on a document from elsewhere none of their rules can match,
yet the walk asked each of them at every element of the names they match: on a small
invoice those patterns took about half of Peppol's stylesheet time (measured right after
a reference run), most of it in their country variables. ``pattern_guard`` writes, from
the text of the contexts, one test per pattern, evaluated once per document, that is
false only when no rule of the pattern can match any node; the walk asks the pattern
only when it is true. The guard reads the same variables, so what it saves is the asks:
about 7 % of Peppol's stylesheet time on the official examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...xml.namespaces import XS
from .entries import OWN
from .xpath_text import NAME, QNAME, blanked, closing_bracket

__all__ = ["cannot_match", "match_pattern", "pattern_guard"]

_NAME_TEST = re.compile(
    rf"\s*//\s*(?:\*:{NAME}|(?:{NAME}:)?(?:{NAME}|\*)|Q\{{[^{{}}]*\}}(?:{NAME}|\*))(?![\w.:-]|\s*\()")
"""A union branch from ``//`` to the end of a first step that is a name test."""
_ENDS_WITH_NAME = re.compile(r"(?<![\w.:$-])ends-with\(\s*name\(\s*\)\s*,\s*(?P<literal>'_*'|\"_*\")\s*\)")
_ANY_ELEMENT = re.compile(r"\s*(?://\s*)?\*\s*\[")
"""A union branch whose step is ``*`` (from ``//`` or not) with a first predicate."""
_NAME_SUFFIX = re.compile(r"\s*ends-with\(\s*(?:local-)?name\(\s*\)\s*,\s*(?P<literal>'_*'|\"_*\")\s*\)\s*")
"""A conjunct ``ends-with(name(), 'S')`` or ``ends-with(local-name(), 'S')`` (literals blanked)."""
_OPERATOR = re.compile(r",|(?<![\w.:$-])(?:and|or|if|some|every|for|let)(?![\w.:-])")
"""``and``, and the operators that bind less tightly (``,`` ``or`` ``if`` ``some`` …)."""
_FREE = re.compile(rf"""(?:\s+|\${QNAME}|'_*'|"_*"|\d+(?:\.\d+)?|!=|<=|>=|=|<|>|\(|\)|,
                      |(?:and|or|eq|ne|lt|le|gt|ge)(?![\w.:-])|(?:not|true|false)\s*\()+""", re.X)
"""A term made of variables, literals, numbers, comparisons, ``and``/``or``, ``not``,
``true``/``false`` and parentheses alone: its value is the same at every node."""
_VALUE = f"{OWN}value"


def match_pattern(context: str) -> str:
    """The match pattern of a rule whose context is ``context`` (see the module)."""
    code = blanked(context)
    edits: list[tuple[int, int, str]] = []
    for start in _branch_starts(code):
        test = _NAME_TEST.match(code, start)
        if test is not None:
            slashes = code.index("//", start)
            edits.append((slashes, slashes + 2, ""))
    for call in _ENDS_WITH_NAME.finditer(code):
        literal = context[call.start("literal"):call.end("literal")]
        if ":" not in literal:
            name = code.index("name", call.start() + len("ends-with("))
            edits.append((name, name + len("name"), "local-name"))
    rewritten = context
    for start, end, text in sorted(edits, reverse=True):
        rewritten = rewritten[:start] + text + rewritten[end:]
    return rewritten


def cannot_match(context: str, local_name: str) -> bool:
    """Whether a rule context cannot match an element whose local name is
    ``local_name``, told from its text: each branch of its union is a step ``*`` (after
    ``//`` or not) with predicates, the first a conjunction of which one term,
    ``ends-with(name(), 'S')`` or ``ends-with(local-name(), 'S')`` with a literal ``S``
    holding no colon, is false for that name. (The conjunction is then false, or
    raises, and a context that raises does not match either; ``False`` means that it
    may match.)"""
    code = blanked(context)
    starts = _branch_starts(code)
    ends = [start - 1 for start in starts[1:]] + [len(code)]
    for start, end in zip(starts, ends, strict=True):
        step = _ANY_ELEMENT.match(code, start, end)
        if step is None:
            return False
        opening = step.end() - 1
        closing = closing_bracket(code, opening, end)
        if closing is None or not _only_predicates(code, closing + 1, end):
            return False
        suffixes = [context[found.start("literal") + 1:found.end("literal") - 1]
                    for first, last in _conjuncts(code, opening + 1, closing)
                    if (found := _NAME_SUFFIX.fullmatch(code, first, last)) is not None]
        if not any(":" not in suffix and not local_name.endswith(suffix) for suffix in suffixes):
            return False
    return True


def _only_predicates(code: str, index: int, end: int) -> bool:
    """Whether ``code[index:end]`` is white space and predicates (``[…]``) alone."""
    while True:
        while index < end and code[index].isspace():
            index += 1
        if index >= end:
            return True
        closing = closing_bracket(code, index, end) if code[index] == "[" else None
        if closing is None:
            return False
        index = closing + 1


def _conjuncts(code: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the terms of the top-level ``and`` of ``code[start:end]``: the whole
    span alone when it is not a conjunction, having outside brackets an operator that
    binds less tightly than ``and`` (``or``, ``,``, ``if``, ``some``, ``every``, ``for``,
    ``let``: in ``a or b and c``, ``c`` is not a term of the whole)."""
    spans: list[tuple[int, int]] = []
    first = previous = start
    depth = 0
    for found in _OPERATOR.finditer(code, start, end):
        between = code[previous:found.start()]
        depth += sum(char in "([{" for char in between) - sum(char in ")]}" for char in between)
        previous = found.start()
        if depth != 0:
            continue
        if found.group() != "and":
            return [(start, end)]
        spans.append((first, found.start()))
        first = found.end()
    return [*spans, (first, end)]


def _branch_starts(code: str) -> list[int]:
    """Where each branch of the top-level union of a pattern (literals blanked) starts."""
    starts = [0]
    depth = 0
    for index, char in enumerate(code):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            starts.append(index + 1)
    return starts


def pattern_guard(contexts: Iterable[str], variables: frozenset[str]) -> str | None:
    """A test, to be evaluated once per document, that is false only when no rule of a
    pattern with these contexts can match any node; ``None`` when the texts do not tell.

    Each branch of each context's union must have a top-level predicate (on any of its
    steps, or on a parenthesised union) with a term (the predicate itself, or a term of
    its top-level ``and``) written with ``variables`` (global ones), literals, numbers,
    comparisons, ``and``/``or``, ``not``, ``true``/``false`` and parentheses alone. Such
    a term has the same value at every node; when that value is ``false`` or empty, the
    predicate holds nowhere, so the branch matches nothing. (A number there is a
    position, which the guard does not judge, and a term that raises is taken as may
    match: the caller evaluates the guard in ``xsl:try`` and takes an error for true.)
    """
    branches: list[str] = []
    for context in contexts:
        code = blanked(context)
        starts = _branch_starts(code)
        ends = [start - 1 for start in starts[1:]] + [len(code)]
        for start, end in zip(starts, ends, strict=True):
            terms = [context[first:last].strip() for opening, closing in _predicates(code, start, end)
                     for first, last in _conjuncts(code, opening + 1, closing)
                     if _free(code[first:last], variables)]
            if not terms:
                return None
            branches.append("not(" + " or ".join(map(_false, dict.fromkeys(terms))) + ")")
    return " or ".join(dict.fromkeys(branches)) or None


def _false(term: str) -> str:
    """A test that is true when ``term``'s value is ``false`` or empty."""
    return (f"(let ${_VALUE} := ({term}) return empty(${_VALUE}) or "
            f"(${_VALUE} instance of Q{{{XS}}}boolean and not(${_VALUE})))")


def _free(code: str, variables: frozenset[str]) -> bool:
    """Whether a term (literals blanked) is written with ``variables`` and operators alone."""
    if _FREE.fullmatch(code) is None or not code.strip():
        return False
    named = re.findall(rf"\$({QNAME})", code)
    return all(name in variables for name in named)


def _predicates(code: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ``(opening, closing)`` brackets of the predicates outside any bracket in
    ``code[start:end]`` (a union branch of a pattern, literals blanked)."""
    found: list[tuple[int, int]] = []
    index, depth = start, 0
    while index < end:
        char = code[index]
        if char == "[" and depth == 0:
            closing = closing_bracket(code, index, end)
            if closing is None:
                return []
            found.append((index, closing))
            index = closing + 1
            continue
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        index += 1
    return found
