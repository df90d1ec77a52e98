"""Code-list tests as hash lookups: the same truth value, without scanning a long string.

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
"""

from __future__ import annotations

from dataclasses import dataclass

from .entries import MAP, OWN

__all__ = ["CodeSet", "rewrite_lookups"]

_VALUE = f"${OWN}code-value"


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
