"""Runs of asserts that hold by implication, asked only when the document has their key.

CEN's rule on the document root asks, for each VAT category, "if the document has a
category of this code, then …": BR-E-02 is

    (exists(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'E'][…]) and …)
      or not(exists(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'E'][…]))

and so are 33 of that rule's 60 asserts (BR-AE/E/G/IC/AF/AG/O/S/Z-01 … -04), written one
category after another. A document names one or two categories, yet each of these
asserts was evaluated on it. Measured right after a reference run (when little of the
stylesheet is in the processor's caches), an evaluated expression costs about as much
as its size, whether it short-circuits or not: a per-assert guard costs what the assert
does, so the asserts are asked a run at a time.

``probes`` recognises, from a test's text, exactly this form:

    (P and B) or N

where ``P`` is ``exists(A1) or … or exists(Am)`` or ``count(A1) + … + count(Am) > 0``,
and ``N`` is ``N1 and … and Nn``, each ``Ni`` being ``not(C)``, ``not(exists(C))`` or
``count(C1) + … + count(Ck) = 0`` (sums perhaps in parentheses: CEN's BR-S-01, BR-AF-01
and BR-AG-01 say "a category of this code in the lines or allowances exactly when one in
the VAT breakdown" so), and every path ``Ai``, ``C`` is ``PREFIX[K]SUFFIX`` with the
same key ``X`` in each: ``K`` is ``normalize-space(NAME) = 'X'``, ``normalize-space(.) =
'X'`` or ``NAME = 'X'``, ``X`` a string that ``normalize-space`` leaves as it is,
``NAME`` one name, ``PREFIX`` a path of steps by name (predicates allowed), absolute
(perhaps from a union of document elements) or relative, that reads no variable and no
``current()``, ``SUFFIX`` only steps and predicates. A relative ``PREFIX`` is probed as
``//PREFIX``: from any node of the document it selects some of what that selects (``//``
is every node's ``descendant-or-self::node()/``, and its predicates are asked of the
same nodes), so CEN's BR-IC-11/12 and BR-O-11 … 14, written from the root, join their
category's run. The compiler asks each run of two or more such asserts of one key, in a
row in a rule, inside one ``xsl:if`` on ``not(map:contains($lacking, 'X'))``;
``LACKING`` is one global variable, computed once per document: the keys of all runs
that no node of any of their prefixes has (``normalize-space`` of its ``NAME`` child, or
of itself).

Why that is exact: when no node of ``PREFIX`` has the key ``X``, ``K`` is false on each
of them (a child whose value is ``X`` has the key ``X``), so every path is empty and
every count 0; then ``P`` is false, Saxon does not evaluate ``B`` (``and`` evaluates
its operands in order and stops at a false one, as when the assert runs), ``N`` is true,
and the assert holds without having raised. That needs ``PREFIX`` and ``K`` to raise
nothing, and the variable makes sure of it for the document at hand: it is evaluated
inside ``xsl:try`` and lacks nothing (an empty map) when any prefix raises;
``normalize-space(NAME)`` and ``NAME = 'X'`` would raise or differ only on a node with
two ``NAME`` children, and the variable lacks nothing either when any element of the
document has two (``//NAME[preceding-sibling::NAME]``), wherever Saxon would evaluate
``K`` (for a relative prefix, ``//PREFIX`` asks ``K`` of every node the assert could).
``normalize-space(.)`` never raises; keys compare as strings by code point, as
``=`` does here (the stylesheet sets no default collation). Only asserts are asked this
way (a ``report`` fires when its test holds). On the 43 official examples this takes
about 4 % off CEN's stylesheet (each run right after a reference run), and the sums and
relative prefixes 3 to 6 % more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .entries import MAP, OWN
from .xpath_text import QNAME, blanked, closing_bracket, outside_predicates, top_level_predicates

__all__ = ["LACKING", "Probe", "lacking", "probes"]

LACKING = f"{OWN}lacking"
"""The global variable of the keys that no probed path has (``lacking``)."""


@dataclass(frozen=True, slots=True)
class Probe:
    """One path of an implication: the keys of ``prefix``'s nodes (``normalize-space`` of
    child ``name``, or of the node itself when ``name`` is ``None``) must include ``key``
    for the path to select anything."""

    prefix: str
    name: str | None
    key: str


_WORD = r"(?<![\w.:$-]){}(?![\w.:-])"
_OR = re.compile(_WORD.format("or"))
_AND = re.compile(_WORD.format("and"))
_KEYED = re.compile(rf"""\s*(?:normalize-space\(\s*(?:(?P<name>{QNAME})|\.)\s*\)|(?P<raw>{QNAME}))\s*=\s*
                         (?P<key>'[^'\s]+(?:\ [^'\s]+)*'|"[^"\s]+(?:\ [^"\s]+)*")\s*""", re.X)
"""``normalize-space(NAME) = 'X'``, ``normalize-space(.) = 'X'`` or ``NAME = 'X'``, with
``X`` a string that ``normalize-space`` leaves as it is (so that a child whose value is
``X`` has the key ``X``)."""
_STEP = rf"/{{1,2}}\s*(?:{QNAME}|\*|@{QNAME})\s*(?:\[\]\s*)*"
_HEAD = rf"\(\s*/\s*{QNAME}(?:\s*\|\s*/\s*{QNAME})*\s*\)\s*"
_PREFIX = re.compile(rf"\s*(?:{_HEAD}(?:{_STEP})*|(?:{_STEP})+)")
"""An absolute path of steps by name, each with predicates (their contents removed),
perhaps from a union of document elements (``(/ubl:Invoice | /cn:CreditNote)/…``)."""
_SUFFIX = re.compile(rf"\s*(?:\[\]\s*)*(?:{_STEP})*")
"""Predicates and steps by name (their contents removed)."""
_EXISTS = re.compile(r"\s*exists\s*\(")
_COMMA = re.compile(",")
_NOT = re.compile(r"\s*not\s*\(")
_COUNT = re.compile(r"\s*count\s*\(")
_PLUS = re.compile(r"\+")
_ZERO = {">": re.compile(r"(?<![<>!=])>\s*0\s*$"), "=": re.compile(r"(?<![<>!=])=\s*0\s*$")}
"""The comparison ending a sum of counts: ``> 0`` or ``= 0`` (not ``>=``, ``!=``, ``<=``)."""
_OUTSIDE = re.compile(r"\$|current\s*\(")
"""What a prefix may not read: a variable, or ``current()``."""


def probes(test: str) -> tuple[Probe, ...] | None:
    """The probes of an assert test of the form in the module docstring (one per path
    prefix and name, all of one key), else ``None``."""
    code = blanked(test)
    whole = _unwrapped(code, 0, len(code))
    disjuncts = _split(code, *whole, _OR)
    if len(disjuncts) != 2:
        return None
    (left, right) = disjuncts
    conjuncts = _split(code, *_unwrapped(code, *left), _AND)
    if len(conjuncts) < 2:
        return None
    claimed = _claimed(code, *conjuncts[0])
    denied = [_denied(code, *term) for term in _split(code, *_unwrapped(code, *right), _AND)]
    if claimed is None or None in denied:
        return None
    spans = [*claimed, *(span for paths in denied if paths is not None for span in paths)]
    candidates = [_candidates(test, code, *span) for span in spans]
    for key in dict.fromkeys(probe.key for probe in candidates[0]):
        chosen = [next((probe for probe in found if probe.key == key), None) for found in candidates]
        if None not in chosen:
            return tuple(dict.fromkeys(probe for probe in chosen if probe is not None))
    return None


def lacking(found: Iterable[Probe]) -> str:
    """The select of ``LACKING``: a map whose keys are those of the probes ``found`` that
    no node of any of their prefixes has (see the module); evaluated inside ``xsl:try``,
    whose catch gives an empty map."""
    probes_ = tuple(found)
    parts = dict.fromkeys(f"({probe.prefix}) ! map{{normalize-space({probe.name or '.'}): true()}}"
                          for probe in probes_)
    keys = ", ".join(dict.fromkeys(probe.key for probe in probes_))
    present = f"{OWN}present"
    select = (f"let ${present} := {MAP}merge(({', '.join(parts)})) return "
              f"{MAP}merge((({keys})[not({MAP}contains(${present}, .))]) ! map{{.: true()}})")
    names = sorted({probe.name for probe in probes_ if probe.name is not None})
    if not names:
        return select
    twice = " or ".join(f"exists(//{name}[preceding-sibling::{name}])" for name in names)
    return f"if ({twice}) then map{{}} else {select}"


def _unwrapped(code: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding white space and parentheses that enclose all of it."""
    while True:
        while start < end and code[start].isspace():
            start += 1
        while end > start and code[end - 1].isspace():
            end -= 1
        if start < end and code[start] == "(" and closing_bracket(code, start, end) == end - 1:
            start, end = start + 1, end - 1
            continue
        return start, end


def _split(code: str, start: int, end: int, operator: re.Pattern[str]) -> list[tuple[int, int]]:
    """The spans between the occurrences of ``operator`` outside brackets."""
    spans = []
    depth = 0
    last = start
    index = start
    while index < end:
        char = code[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            match = operator.match(code, index, end)
            if match is not None:
                spans.append((last, index))
                last = index = match.end()
                continue
        index += 1
    spans.append((last, end))
    return spans


def _argument(code: str, start: int, end: int, function: re.Pattern[str]) -> tuple[int, int] | None:
    """The span of the one argument of ``function(…)`` when the span is exactly that call."""
    start, end = _unwrapped(code, start, end)
    match = function.match(code, start, end)
    if match is None or closing_bracket(code, match.end() - 1, end) != end - 1:
        return None
    if len(_split(code, match.end(), end - 1, _COMMA)) != 1:
        return None
    return _unwrapped(code, match.end(), end - 1)


def _claimed(code: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The paths ``A`` of ``exists(A1) or … or exists(Am)``, or of ``count(A1) + … +
    count(Am) > 0``: false when every path is empty."""
    counted = _counted(code, start, end, ">")
    if counted is not None:
        return counted
    paths = [_argument(code, *term, _EXISTS) for term in _split(code, *_unwrapped(code, start, end), _OR)]
    return None if None in paths else [path for path in paths if path is not None]


def _denied(code: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The path ``A`` of ``not(A)`` or ``not(exists(A))``, or the paths of ``count(A1) +
    … + count(Am) = 0``: true when every path is empty."""
    counted = _counted(code, start, end, "=")
    if counted is not None:
        return counted
    inner = _argument(code, start, end, _NOT)
    if inner is None:
        return None
    return [_argument(code, *inner, _EXISTS) or inner]


def _counted(code: str, start: int, end: int, operator: str) -> list[tuple[int, int]] | None:
    """The paths ``A`` of ``count(A1) + … + count(Am) OPERATOR 0`` (the sum perhaps in
    parentheses), ``OPERATOR`` being ``>`` or ``=``; ``None`` for any other term."""
    start, end = _unwrapped(code, start, end)
    comparison = _ZERO[operator].search(code, start, end)
    if comparison is None or comparison.end() != end or _depth(code, start, comparison.start()) != 0:
        return None
    terms = _split(code, *_unwrapped(code, start, comparison.start()), _PLUS)
    paths = [_argument(code, *term, _COUNT) for term in terms]
    return None if None in paths else [path for path in paths if path is not None]


def _depth(code: str, start: int, end: int) -> int:
    """How many brackets opened in ``code[start:end]`` are still open at ``end``."""
    return sum((char in "([{") - (char in ")]}") for char in code[start:end])


def _candidates(test: str, code: str, start: int, end: int) -> list[Probe]:
    """The probes of one path ``PREFIX[keyed predicate]SUFFIX``, one for each of its
    predicates that may be the keyed one; a relative ``PREFIX`` is probed from every node
    (``//PREFIX``)."""
    path, masked = test[start:end], code[start:end]
    found = []
    for opening, closing in top_level_predicates(masked):
        keyed = _KEYED.fullmatch(path, opening, closing)
        steps = outside_predicates(masked[:opening - 1]).strip()
        relative = re.match(QNAME, steps) is not None or steps.startswith("@")
        if (keyed is not None and _PREFIX.fullmatch("/" + steps if relative else steps)
                and not _OUTSIDE.search(masked[:opening - 1]) and _SUFFIX.fullmatch(outside_predicates(masked[closing + 1:]))):
            prefix = path[:opening - 1].strip()
            found.append(Probe("//" + prefix if relative else prefix, keyed.group("name") or keyed.group("raw"),
                               keyed.group("key")))
    return found
