"""Lexical reading of XPath and XSLT pattern text: predicates, and what lies outside them.

The compiler needs two facts about a rule context without parsing XPath fully: where
its top-level predicates (``[…]``) are, and what the pattern says outside them. The
scanner knows string literals (``'…'``, ``"…"`` with doubled quotes) and comments
(``(: … :)``), so brackets inside them are not taken for predicates.
"""

from __future__ import annotations

import re

__all__ = [
    "cannot_raise",
    "final_element_names",
    "is_positional",
    "may_match_attributes",
    "outside_predicates",
    "top_level_predicates",
    "variable_references",
]

_POSITIONAL = re.compile(r"^\s*(?:\d+|\$[\w.\-]+)\s*$|\b(?:position|last|current)\s*\(")
_NAME = r"(?:\*|[A-Za-z_][\w.\-]*)(?::(?:\*|[A-Za-z_][\w.\-]*))?"
_QNAME = r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?"
_TOKEN = re.compile(rf"\s+|'[^']*'|\"[^\"]*\"|{_NAME}|::|//|!=|\.\.|[/@.\[\](),=|]|.")
# Functions that cannot raise whatever nodes they are given; the second set only
# without arguments (then they read the context node, always a node in a pattern).
_SAFE_FUNCTIONS = frozenset({"not", "exists", "empty", "boolean"})
_SAFE_WITHOUT_ARGUMENTS = frozenset({"normalize-space", "string", "name", "local-name"})
# String tests that cannot raise when each argument is a literal or a call above.
_SAFE_ON_SINGLE_STRINGS = frozenset({"contains", "starts-with", "ends-with"})
# Words that, as bare names in a predicate, are operators (comparisons, arithmetic, …).
# fmt: off
_OPERATOR_WORDS = frozenset({
    "div", "mod", "idiv", "eq", "ne", "lt", "le", "gt", "ge", "is", "to", "instance", "of", "cast",
    "castable", "treat", "as", "except", "intersect", "union", "some", "every", "for", "let", "if",
    "then", "else", "return", "satisfies", "in",
})
# fmt: on


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


def is_positional(predicate: str) -> bool:
    """Whether a predicate may select by position or use ``current()``.

    A number, a lone variable, ``position()`` or ``last()`` may select by position, which
    a guard (answering true or false) cannot reproduce.
    """
    return bool(_POSITIONAL.search(predicate))


def cannot_raise(predicate: str) -> bool:
    """Whether a predicate is built only from parts that never raise a dynamic error.

    Paths, string literals, ``and``/``or``, ``=``/``!=`` between nodes and strings, and
    ``not``/``exists``/``empty``/``boolean`` (plus ``normalize-space()`` and the like
    without arguments) are safe. Anything else (numbers, variables, arithmetic, other
    functions) might raise on a broken document, and is guarded.
    """
    tokens = [t for t in _TOKEN.findall(predicate) if not t.isspace()]
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if following == "(":
            arguments = _arguments(tokens, index + 1)
            if token in _SAFE_ON_SINGLE_STRINGS:
                if not all(_single_string(argument) for argument in arguments):
                    return False
            elif token not in _SAFE_FUNCTIONS and not (token in _SAFE_WITHOUT_ARGUMENTS and not arguments):
                return False
        elif re.fullmatch(_NAME, token):
            if token in _OPERATOR_WORDS:
                return False
        elif token[0] not in "'\"" and token not in ("::", "//", "!=", "..", *"/@.[](),=|"):
            return False
    return True


def _arguments(tokens: list[str], opening: int) -> list[list[str]]:
    """The argument token lists of the call whose ``(`` is at ``opening``."""
    arguments: list[list[str]] = [[]]
    depth = 0
    for token in tokens[opening + 1 :]:
        if token == ")" and depth == 0:
            break
        if token == "," and depth == 0:
            arguments.append([])
            continue
        depth += {"(": 1, ")": -1}.get(token, 0)
        arguments[-1].append(token)
    return [] if arguments == [[]] else arguments


def _single_string(argument: list[str]) -> bool:
    """A string literal, or a no-argument ``name()``-like call: one string, never an error."""
    if len(argument) == 1:
        return argument[0][0] in "'\""
    return len(argument) == 3 and argument[0] in _SAFE_WITHOUT_ARGUMENTS and argument[1:] == ["(", ")"]


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
