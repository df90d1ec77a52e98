r"""Code-list tests as hash lookups: the same truth value, without scanning a long string.

The CEN rules test code lists as ``contains(' A B C … ', concat(' ', X, ' '))``: is X one
of the space-separated codes? Saxon scans the literal (several kilobytes for UN/ECE
Rec 20) for every element it tests. For a value without a space the answer is exactly
"X is one of the tokens of the literal split at single spaces" (an occurrence of
``' X '`` is bounded by spaces and X holds none, so X is a whole token), which a map
answers at once; a value with a space keeps the original test. So the rewrite

    contains(L, concat(' ', X, ' '))
    ->  (let $v := string(X) return
           if (contains($v, ' ')) then contains(L, concat(' ', $v, ' '))
           else map:contains($codes-N, $v))

changes no verdict, and no error either: ``string`` raises on more than one item where
``concat`` does. Only that exact shape is rewritten (a literal first argument starting
and ending with a space, ``concat`` of three arguments with ``' '`` on both sides);
anything else is left as written.

The Peppol rules test code lists as a whole test ``some $code in $LIST satisfies X =
$code``, ``$LIST`` a schema or pattern variable ``tokenize('A B C …', '\s')``: Saxon
compares X with every code in turn (180 currencies for each amount). The tokens of the
literal are known when compiling (XPath's ``\s`` is space, tab, line feed or carriage
return, and a separator at either end gives an empty token, kept here too), so

    some $code in $LIST satisfies X = $code
    ->  (some $v in (X) satisfies map:contains($codes-N, string($v)))

when X is a plain path (steps by name, ``@name``, ``.``, ``text()``) or
``normalize-space`` of one: X then yields nodes, whose untyped values are compared with
the codes as strings, or a string, so ``=`` is string equality as the map's is. X is
evaluated once instead of once per code, before the first comparison as before (the
list is never empty), so an error it raises is the one it raised. A rule variable of
the list's name hides it: that rule's tests are left as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .entries import MAP, OWN
from .model import Let
from .xpath_text import NAME, QNAME

__all__ = ["CodeSet", "code_lists", "rewrite_lookups", "rewrite_membership"]

_VALUE = f"${OWN}code-value"
_PLAIN = rf"(?:@{QNAME}|\.|text\(\)|{QNAME}(?:/{QNAME})*(?:/@{QNAME}|/text\(\))?)"
_MEMBERSHIP = re.compile(
    rf"\s*some\s+\$(?P<var>{NAME})\s+in\s+\$(?P<list>{NAME})\s+satisfies\s+"
    rf"(?P<probe>{_PLAIN}|normalize-space\(\s*{_PLAIN}\s*\))\s*=\s*\$(?P=var)\s*")
_TOKENIZED = re.compile(r"\s*tokenize\(\s*(?P<literal>'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")\s*,\s*'\\s'\s*\)\s*")
_XPATH_SPACE = re.compile("[ \t\n\r]")


@dataclass(frozen=True, slots=True)
class CodeSet:
    """The tokens of one code-list literal, held in a global map variable of ``name``."""

    name: str
    codes: tuple[str, ...]


def _literal_end(text: str, start: int) -> int:
    """The index just past the string literal that starts at ``start``."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        if text[index] == quote:
            if text.startswith(quote * 2, index):
                index += 2
                continue
            return index + 1
        index += 1
    return -1


def _call(text: str, opening: int) -> tuple[list[str], int] | None:
    """The argument texts of the call whose ``(`` is at ``opening``, and the index past
    its ``)``; ``None`` when the text does not close it."""
    arguments: list[str] = []
    depth, start, index = 0, opening + 1, opening
    while index < len(text):
        char = text[index]
        if char in "'\"":
            end = _literal_end(text, index)
            if end < 0:
                return None
            index = end
            continue
        if text.startswith("(:", index):
            end = text.find(":)", index + 2)
            if end < 0:
                return None
            index = end + 2
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                arguments.append(text[start:index])
                return arguments, index + 1
        elif char == "," and depth == 1:
            arguments.append(text[start:index])
            start = index + 1
        index += 1
    return None


def _string_value(argument: str) -> str | None:
    """The value of an argument that is exactly one string literal, else ``None``."""
    stripped = argument.strip()
    if not stripped or stripped[0] not in "'\"" or _literal_end(stripped, 0) != len(stripped):
        return None
    quote = stripped[0]
    return stripped[1:-1].replace(quote * 2, quote)


def _concat_middle(argument: str) -> str | None:
    """``X`` of ``concat(' ', X, ' ')``, else ``None``."""
    stripped = argument.strip()
    if not stripped.startswith("concat"):
        return None
    opening = len("concat")
    while opening < len(stripped) and stripped[opening].isspace():
        opening += 1
    if opening >= len(stripped) or stripped[opening] != "(":
        return None
    call = _call(stripped, opening)
    if call is None or call[1] != len(stripped) or len(call[0]) != 3:
        return None
    first, middle, last = call[0]
    return middle if _string_value(first) == " " and _string_value(last) == " " else None


def _is_name_character(char: str) -> bool:
    return char.isalnum() or char in "_-.:$}"


def rewrite_lookups(expression: str, sets: dict[tuple[str, ...], CodeSet]) -> str:
    """``expression`` with each code-list ``contains`` test rewritten as a map lookup;
    ``sets`` collects the code sets used (one per distinct list, shared across calls)."""
    out: list[str] = []
    index = 0
    while index < len(expression):
        char = expression[index]
        if char in "'\"":
            end = _literal_end(expression, index)
            end = len(expression) if end < 0 else end
            out.append(expression[index:end])
            index = end
            continue
        if expression.startswith("contains", index) and (index == 0 or not _is_name_character(expression[index - 1])):
            rewritten = _rewrite_at(expression, index, sets)
            if rewritten is not None:
                text, index = rewritten
                out.append(text)
                continue
        out.append(char)
        index += 1
    return "".join(out)


def _rewrite_at(expression: str, index: int, sets: dict[tuple[str, ...], CodeSet]) -> tuple[str, int] | None:
    opening = index + len("contains")
    while opening < len(expression) and expression[opening].isspace():
        opening += 1
    if opening >= len(expression) or expression[opening] != "(":
        return None
    call = _call(expression, opening)
    if call is None or len(call[0]) != 2:
        return None
    (literal, probe), end = call
    codes = _string_value(literal)
    value = _concat_middle(probe)
    if codes is None or value is None or len(codes) < 2 or codes[0] != " " or codes[-1] != " ":
        return None
    tokens = tuple(dict.fromkeys(codes[1:-1].split(" ")))
    code_set = sets.setdefault(tokens, CodeSet(f"{OWN}codes-{len(sets) + 1}", tokens))
    text = (f"(let {_VALUE} := string({value}) return if (contains({_VALUE}, ' ')) "
            f"then contains({literal.strip()}, concat(' ', {_VALUE}, ' ')) "
            f"else {MAP}contains(${code_set.name}, {_VALUE}))")
    return text, end


def code_lists(lets: tuple[Let, ...]) -> dict[str, tuple[str, ...]]:
    r"""The variables among ``lets`` (schema, phase and pattern ones) whose value is
    ``tokenize`` of a string literal at ``'\s'``, with their tokens, in order."""
    lists: dict[str, tuple[str, ...]] = {}
    for let in lets:
        match = _TOKENIZED.fullmatch(let.value or "") if let.content is None else None
        if match is None or let.as_type not in (None, "xs:string*", "xs:string+"):
            continue
        literal = match.group("literal")
        text = literal[1:-1].replace(literal[0] * 2, literal[0])
        if text:  # tokenize('') is the empty sequence
            lists[let.name] = tuple(_XPATH_SPACE.split(text))
    return lists


def rewrite_membership(
    test: str, lists: Mapping[str, tuple[str, ...]], sets: dict[tuple[str, ...], CodeSet]
) -> str | None:
    """The test ``some $c in $LIST satisfies X = $c`` as a map lookup (see the module),
    or ``None`` when it has another shape or ``$LIST`` is not one of ``lists``."""
    match = _MEMBERSHIP.fullmatch(test)
    tokens = lists.get(match.group("list")) if match is not None else None
    if match is None or not tokens:
        return None
    codes = tuple(dict.fromkeys(tokens))
    code_set = sets.setdefault(codes, CodeSet(f"{OWN}codes-{len(sets) + 1}", codes))
    return (f"(some {_VALUE} in ({match.group('probe')}) satisfies "
            f"{MAP}contains(${code_set.name}, string({_VALUE})))")
