"""Filters of a rule's ``//name`` variables that its tests write again and again, each
computed once per rule.

After ``descendants``, CEN's UBL-model rule on the document root reads
``$all[cbc:ChargeIndicator=false()]`` and ``$all[cbc:ChargeIndicator=true()]`` (its
allowances and charges) 17 times each, and
``$all[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']`` (its VAT categories)
12 times for each kind of category: each time a pass over those elements with the
predicate on every one. A filter that a rule's tests write at least twice is a variable
of the rule; the tests read the variable. On the 43 official examples this takes about
4 % off CEN's stylesheet (best of 15 runs each, each after a run of the reference).

Exact. The filter has one value in all the tests of a rule: ``$all`` is the same sequence
for every node of a document (``descendants``), and the predicate, whose focus is each of
its items in turn, is taken only when it reads nothing from outside that focus: no
variable (``$``), no ``current()``, no function of a namespace (a rule's own function
might never return on an item the test itself would not reach), no function reference
or inline function. The evaluation may differ: a test reads as much of a sequence as it
needs (``exists`` stops at the first node), the variable all of it, and the predicate may
raise on an item that the test would not reach. So the variable is computed inside
``xsl:try`` and holds an empty map when it raises (a filter of nodes never yields a map),
and then each test evaluates its filter as written, raising or not as it does without
the variable: ``(if ($f instance of map(*)) then $all[…] else $f)``. When the whole
filter raises nowhere, no part of it raises, and every test sees the same nodes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .entries import OWN
from .xpath_text import blanked, closing_bracket

__all__ = ["rewrite_filters", "shared_filters"]

_NAME_CHARACTER = re.compile(r"[\w.\-]")
_FORBIDDEN = re.compile(
    r"\$|#|Q\{|\b(?:current|function|regex-group)\b"
    r"|[A-Za-z_][\w.\-]*:[A-Za-z_][\w.\-]*\s*\(")  # a call of a function with a prefix
"""What a predicate may not hold to be taken (in its text with literals blanked)."""


def shared_filters(tests: Iterable[str], variables: Iterable[str]) -> dict[str, str]:
    """The filters ``$variable[predicate]`` of ``variables`` (``descendants``' names,
    without ``$``) that the ``tests`` of one rule write at least twice, each with the
    name of its variable."""
    names = tuple(variables)
    counts = Counter(text for test in tests for _, _, text in _occurrences(test, names))
    shared = sorted(text for text, count in counts.items() if count >= 2)
    return {text: f"{OWN}filter-{number}" for number, text in enumerate(shared, start=1)}


def rewrite_filters(test: str, filters: dict[str, str]) -> str:
    """``test`` with each occurrence of a filter of ``filters`` reading its variable."""
    if not filters:
        return test
    names = tuple({text[1:text.index("[")].rstrip() for text in filters})
    parts: list[str] = []
    last = 0
    for start, end, text in _occurrences(test, names):
        if text in filters:
            parts += [test[last:start], _reading(text, filters[text])]
            last = end
    return "".join([*parts, test[last:]])


def _reading(text: str, variable: str) -> str:
    """How a test reads the filter ``text`` from ``variable``: the filter as written
    when the variable holds the marker of an error (see the module)."""
    return f"(if (${variable} instance of map(*)) then {text} else ${variable})"


def _occurrences(test: str, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """The spans of ``$name[predicate]`` in ``test`` for each of ``names`` whose
    predicate may be taken, with their text, in order."""
    code = blanked(test)
    found: list[tuple[int, int, str]] = []
    for name in names:
        token = f"${name}"
        index = code.find(token)
        while index != -1:
            after = index + len(token)
            if after < len(code) and _NAME_CHARACTER.match(code[after]):
                index = code.find(token, after)
                continue  # a longer name
            opening = after
            while opening < len(code) and code[opening].isspace():
                opening += 1
            closing = closing_bracket(code, opening) if code.startswith("[", opening) else None
            if closing is not None and not _FORBIDDEN.search(code[opening + 1:closing]):
                found.append((index, closing + 1, test[index:closing + 1]))
            index = code.find(token, after)
    return sorted(found)
