"""Lexical reading of XPath and XSLT pattern text: predicates, and what lies outside them.

The compiler needs to know, without parsing XPath fully, what a rule context says
outside its top-level predicates (``[…]``): which element names it can match and
whether it can match attributes. The scanner knows string literals (``'…'``, ``"…"``
with doubled quotes) and comments (``(: … :)``), so brackets inside them are not taken
for predicates.
"""

from __future__ import annotations

import re

__all__ = [
    "final_element_names",
    "may_match_attributes",
    "outside_predicates",
    "top_level_predicates",
    "variable_references",
]

_QNAME = r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?"


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

    ``a/b[c] | //d`` gives ``{"b", "d"}``; a wildcard, a parenthesised or function
    pattern, an axis other than ``child::`` or a non-element step gives None.
    """
    names: set[str] = set()
    for branch in outside_predicates(pattern).replace("[]", "").split("|"):
        if "(" in branch or ")" in branch:
            return None
        step = branch.strip().rsplit("/", 1)[-1].strip().removeprefix("child::")
        if not re.fullmatch(_QNAME, step):
            return None
        names.add(step)
    return frozenset(names)


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
