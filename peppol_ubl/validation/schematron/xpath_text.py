"""Lexical reading of XPath and XSLT pattern text: predicates, and what lies outside them.

The compiler needs to know, without parsing XPath fully, what a rule context says
outside its top-level predicates (``[…]``): which element names it can match and
whether it can match attributes. The scanner knows string literals (``'…'``, ``"…"``
with doubled quotes) and comments (``(: … :)``), so brackets inside them are not taken
for predicates.

``names`` lists the names an expression is written with (``f(``, ``f#1``, ``p:x``,
``Q{uri}x``) and how each is used, so the user-rules policy can see every function
called and the compiler every prefix used; ``avt_expressions`` gives the expressions of
an attribute (or text) value template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "NAME",
    "QNAME",
    "Name",
    "avt_expressions",
    "blanked",
    "closing_bracket",
    "final_element_names",
    "may_match_attributes",
    "names",
    "outside_predicates",
    "top_level_predicates",
    "variable_references",
]

NAME = r"[A-Za-z_][\w.\-]*"
"""The regular expression of a name without prefix, as the compiler's rewrites read them
(ASCII initials: the names of the official rules)."""
QNAME = rf"{NAME}(?::{NAME})?"
"""The regular expression of a name with an optional prefix."""


def top_level_predicates(expression: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the contents of each outermost ``[…]``."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    index = 0
    length = len(expression)
    while index < length:
        char = expression[index]
        if char in "'\"":
            closing = expression.find(char, index + 1)
            while closing != -1 and expression.startswith(char * 2, closing):
                closing = expression.find(char, closing + 2)
            index = length if closing == -1 else closing + 1
            continue
        if expression.startswith("(:", index):
            closing = expression.find(":)", index + 2)
            index = length if closing == -1 else closing + 2
            continue
        if char == "[":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "]" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, index))
        index += 1
    return spans


def blanked(expression: str) -> str:
    """``expression`` with the contents of string literals and comments blanked (the same
    length: each position still stands where it stood), so that what they hold is not
    taken for code."""
    out = list(expression)
    index = 0
    while index < len(expression):
        char = expression[index]
        if char in "'\"":
            closing = expression.find(char, index + 1)
            while closing != -1 and expression.startswith(char * 2, closing):
                closing = expression.find(char, closing + 2)
            end = len(expression) if closing == -1 else closing
            out[index + 1:end] = "_" * (end - index - 1)
            index = end + 1
        elif expression.startswith("(:", index):
            closing = expression.find(":)", index + 2)
            end = len(expression) if closing == -1 else closing + 2
            out[index:end] = " " * (end - index)
            index = end
        else:
            index += 1
    return "".join(out)


def closing_bracket(code: str, opening: int, end: int | None = None) -> int | None:
    """The index of the bracket that closes the one at ``opening`` in ``code`` (an
    expression with its literals and comments blanked, see ``blanked``), before ``end``;
    ``None`` when it is not closed there. Parentheses, brackets and braces are counted
    alike: in XPath each closes the last one opened."""
    depth = 0
    for index in range(opening, len(code) if end is None else end):
        if code[index] in "([{":
            depth += 1
        elif code[index] in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return None


def outside_predicates(expression: str) -> str:
    """The expression with the contents of its top-level predicates removed."""
    kept: list[str] = []
    last = 0
    for start, end in top_level_predicates(expression):
        kept.append(expression[last:start])
        last = end
    kept.append(expression[last:])
    return "".join(kept)


def final_element_names(pattern: str) -> frozenset[str] | None:
    """The element names (as written) a pattern's last steps require, or None if it may match others.

    ``a/b[c] | //d`` gives ``{"b", "d"}``, and so does ``(a/b | //d)[$p]`` (a parenthesised
    union, with predicates, matches only what its branches match); a wildcard, a function
    pattern, an axis other than ``child::`` or a non-element step gives None.
    """
    return _names(outside_predicates(pattern).replace("[]", ""))


def _names(union: str) -> frozenset[str] | None:
    names: set[str] = set()
    for branch in _top_level(union.strip(), "|"):
        branch = branch.strip()
        if branch.startswith("(") and closing_bracket(branch, 0) == len(branch) - 1:
            inner = _names(branch[1:-1])
            if inner is None:
                return None
            names |= inner
            continue
        if "(" in branch or ")" in branch:
            return None
        step = branch.rsplit("/", 1)[-1].strip().removeprefix("child::")
        if not re.fullmatch(QNAME, step):
            return None
        names.add(step)
    return frozenset(names)


def _top_level(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside parentheses (predicates are emptied)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    return [*parts, text[start:]]


def may_match_attributes(pattern: str) -> bool:
    """Whether an XSLT pattern can match an attribute node (yes when unsure)."""
    outer = re.sub(r"'[^']*'|\"[^\"]*\"", "", outside_predicates(pattern))
    if "@" in outer or "attribute" in outer or "$" in outer or outer.strip() == ".":
        return True
    return bool(re.search(r"\b(?:key|id|element-with-id)\s*\(", outer))


def variable_references(expression: str, names: frozenset[str]) -> list[str]:
    """Which of ``names`` the expression refers to as ``$name``, in order of first use."""
    found = re.findall(r"\$([\w.\-]+)", expression)
    return [name for name in dict.fromkeys(found) if name in names]


_NCNAME = r"[^\W\d][\w.\-]*"
_EQNAME = re.compile(rf"Q\{{(?P<uri>[^{{}}]*)\}}(?P<braced>{_NCNAME})|(?:(?P<prefix>{_NCNAME}):)?(?P<local>{_NCNAME})")
_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True, slots=True)
class Name:
    """A name in an expression: ``Q{uri}local`` (``uri`` set), ``prefix:local`` or ``local``.

    ``use`` is ``"call"`` for a function call (``f(``, whatever whitespace or comments
    stand before the parenthesis), ``"reference"`` for a named function reference
    (``f#1``), ``"variable"`` after ``$``, otherwise ``"name"`` (an element, attribute or
    type name, an axis or keyword).
    """

    prefix: str
    uri: str | None
    local: str
    use: Literal["call", "reference", "variable", "name"]

    @property
    def written(self) -> str:
        """The name as written (an EQName in its braced form)."""
        if self.uri is not None:
            return f"Q{{{self.uri}}}{self.local}"
        return f"{self.prefix}:{self.local}" if self.prefix else self.local


def _skip_literal(text: str, index: int) -> int:
    """The index after the string literal that starts at ``index``."""
    quote = text[index]
    closing = text.find(quote, index + 1)
    while closing != -1 and text.startswith(quote * 2, closing):
        closing = text.find(quote, closing + 2)
    return len(text) if closing == -1 else closing + 1


def _skip_comment(text: str, index: int) -> int:
    """The index after the (possibly nested) comment that starts at ``index``."""
    depth = 0
    while index < len(text):
        if text.startswith("(:", index):
            depth += 1
            index += 2
        elif text.startswith(":)", index):
            depth -= 1
            index += 2
            if depth == 0:
                return index
        else:
            index += 1
    return index


def _skip_space(text: str, index: int) -> int:
    """The index of the next character that is neither whitespace nor in a comment."""
    while index < len(text):
        if text[index].isspace():
            index += 1
        elif text.startswith("(:", index):
            index = _skip_comment(text, index)
        else:
            break
    return index


def names(expression: str) -> list[Name]:
    """Every name written in ``expression`` (outside literals and comments), in order."""
    found: list[Name] = []
    index = _skip_space(expression, 0)
    after_dollar = False
    while index < len(expression):
        char = expression[index]
        number = _NUMBER.match(expression, index) if char.isdigit() or char == "." else None
        match = None if number else _EQNAME.match(expression, index)
        if char in "'\"":
            index = _skip_literal(expression, index)
        elif number:
            index = number.end()
        elif match:
            following = _skip_space(expression, match.end())
            ahead = expression[following : following + 1]
            use: Literal["call", "reference", "variable", "name"] = (
                "variable" if after_dollar else "call" if ahead == "(" else "reference" if ahead == "#" else "name"
            )
            if match.group("braced") is not None:
                found.append(Name("", match.group("uri"), match.group("braced"), use))
            else:
                found.append(Name(match.group("prefix") or "", None, match.group("local"), use))
            index = match.end()
        else:
            index += 1
        after_dollar = char == "$"
        index = _skip_space(expression, index)
    return found


def avt_expressions(template: str) -> list[str]:
    """The expressions between ``{`` and ``}`` of a value template (``{{``/``}}`` are text)."""
    found: list[str] = []
    index = 0
    while index < len(template):
        if template.startswith("{{", index) or template.startswith("}}", index):
            index += 2
            continue
        if template[index] != "{":
            index += 1
            continue
        start = index + 1
        depth = 1
        index = start
        while index < len(template) and depth:
            char = template[index]
            if char in "'\"":
                index = _skip_literal(template, index)
                continue
            if template.startswith("(:", index):
                index = _skip_comment(template, index)
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            index += 1
        found.append(template[start : index - 1 if not depth else index])
    return found
