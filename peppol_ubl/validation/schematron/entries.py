"""Result entries: the XPath that builds one reported failure in the compiled stylesheet.

Each failed assert or fired report becomes a JSON array
``[id, flag, role, location, message, test, error]``: ``error`` is null, or the text of
the dynamic error that stopped the check (then ``message`` is empty). ``location`` is
built by the stylesheet function ``location`` defined here: an XPath such as
``/*:Invoice[1]/*:InvoiceLine[2]/@currencyID`` in which each step counts the siblings
of the same local name, so it selects exactly one node whatever the prefixes.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from ...xml import namespaces
from .model import Check, MessagePart

__all__ = [
    "ERR",
    "MAP",
    "LET_ERROR_KEY",
    "OWN",
    "XS",
    "XSL",
    "add_location_function",
    "entry",
    "entry_of_row",
    "error_entry",
    "literal",
    "message_expression",
    "row_fields",
]

XSL = f"{{{namespaces.XSL}}}"
OWN = f"Q{{{namespaces.OWN}}}"
ERR = f"Q{{{namespaces.XPATH_ERRORS}}}"
XS = f"Q{{{namespaces.XS}}}"
LET_ERROR_KEY = "peppol-ubl:let-error"
MAP = f"Q{{{namespaces.XPATH_MAP}}}"
"""The XPath map functions, as an EQName prefix (``{MAP}contains``)."""
_LOCATION = f"""
  string-join(
    for $step in ${OWN}node/ancestor-or-self::node()[not(. instance of document-node())]
    return '/' || (
      if ($step instance of element()) then '*:' || local-name($step) || '['
        || (1 + count($step/preceding-sibling::*[local-name() eq local-name($step)])) || ']'
      else if ($step instance of attribute()) then '@' || (if (namespace-uri($step) eq '')
        then local-name($step) else 'Q{{' || namespace-uri($step) || '}}' || local-name($step))
      else if ($step instance of text()) then 'text()['
        || (1 + count($step/preceding-sibling::text())) || ']'
      else if ($step instance of comment()) then 'comment()['
        || (1 + count($step/preceding-sibling::comment())) || ']'
      else 'processing-instruction(' || local-name($step) || ')[' || (1 + count(
        $step/preceding-sibling::processing-instruction()[local-name() eq local-name($step)])) || ']'
    ), '')
  ! (if (. eq '') then '/' else .)"""


def literal(text: str) -> str:
    """An XPath string literal holding ``text``."""
    return "'" + text.replace("'", "''") + "'"


def add_location_function(sheet: etree._Element) -> None:
    """Declare ``location($node) as xs:string`` in the stylesheet."""
    string_type = f"{XS}string"
    function = etree.SubElement(sheet, f"{XSL}function", {"name": f"{OWN}location", "as": string_type})
    etree.SubElement(function, f"{XSL}param", {"name": f"{OWN}node", "as": "node()"})
    etree.SubElement(function, f"{XSL}sequence", {"select": _LOCATION})


def entry(check: Check, message: str, error: str) -> str:
    """The array constructor of one failure of ``check`` at the context node."""
    return _failure(
        literal(check.id),
        literal(check.flag) if check.flag is not None else "()",
        literal(check.role) if check.role is not None else "()",
        message,
        literal(check.test),
        error,
    )


def _failure(identifier: str, flag: str, role: str, message: str, test: str, error: str) -> str:
    """The array constructor of a failure at the context node, from the XPath of each field."""
    return f"[{identifier}, {flag}, {role}, {OWN}location(.), {message}, {test}, {error}]"


def row_fields(check: Check, diagnostics: dict[str, tuple[MessagePart, ...]]) -> list[object]:
    """What a failure of ``check`` reports wherever it fails, as members of a JSON table
    row (see ``entry_of_row``): id, flag and role (``null`` when absent), test, and the
    texts of its message and of each diagnostic, for a check whose message is text."""
    texts = ["".join(part.value or "" for part in parts)
             for parts in (check.message, *(diagnostics.get(d, ()) for d in check.diagnostics))]
    return [check.id, check.flag, check.role, check.test, texts]


def entry_of_row(row: str, first: int) -> str:
    """The array constructor of a failure at the context node from the members
    ``first``… of the parsed JSON array ``row`` (an XPath expression) that
    ``row_fields`` wrote; the message is built as ``message_expression`` builds it (a
    JSON ``null`` is parsed as the empty sequence)."""
    identifier, flag, role, test, texts = (f"{row}({first + offset})" for offset in range(5))
    messages = f"{texts}?* ! normalize-space(.)"
    message = f"(if (count({texts}?*) eq 1) then {messages} else string-join(({messages})[. ne ''], ' — '))"
    return _failure(identifier, flag, role, message, test, "()")


def error_entry(check: Check, failed_lets: Iterable[str]) -> str:
    """The failure of ``check`` after a dynamic error (inside ``xsl:catch``).

    When a global variable the failing expression uses holds an error marker, the
    marker's text is the better explanation and is reported instead.
    """
    let_errors = [
        f"(if (${name} instance of map(*) and {MAP}contains(${name}, {literal(LET_ERROR_KEY)})) "
        f"then {literal(f'${name}: ')} || ${name}({literal(LET_ERROR_KEY)}) else ())"
        for name in failed_lets
    ]
    caught = f"local-name-from-QName(${ERR}code) || ': ' || ${ERR}description"
    return entry(check, "''", f"({', '.join([*let_errors, caught])})[1]")


def message_expression(check: Check, diagnostics: dict[str, tuple[MessagePart, ...]]) -> str:
    """The XPath building the message of ``check`` (and its diagnostics, after ' — ')."""
    texts = [_parts_expression(check.message)]
    texts += [_parts_expression(diagnostics.get(d, ())) for d in check.diagnostics]
    if len(texts) == 1:
        return texts[0]
    return f"string-join(({', '.join(texts)})[. ne ''], ' — ')"


def _parts_expression(parts: tuple[MessagePart, ...]) -> str:
    pieces: list[str] = []
    for part in parts:
        if part.kind == "text":
            pieces.append(literal(part.value))
        elif part.kind == "value-of":
            pieces.append(f"string-join(({part.value}) ! string(), ' ')")
        else:
            pieces.append(f"string-join(({part.value or '.'}) ! name(), ' ')")
    return f"normalize-space(string-join(({', '.join(pieces) or '()'}), ''))"
