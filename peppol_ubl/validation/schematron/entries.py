"""Result entries: the XPath that builds one reported failure in the compiled stylesheet.

Each failed assert or fired report becomes a JSON array ``[number, location]``, or
``[number, location, message, error]`` when the message is built from the document or
the check raised: ``number`` is the check's row in the stylesheet's table of fixed
fields (id, flag, role, test, a message of text alone: see ``table``), ``message`` is
null when the table holds it, ``error`` is null, or the text of the dynamic error that
stopped the check. ``location`` is built by the stylesheet function ``location``
defined here: an XPath such as ``/*:Invoice[1]/*:InvoiceLine[2]/@currencyID`` in which
each step counts the siblings of the same local name, so it selects exactly one node
whatever the prefixes.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from ...xml import namespaces
from .model import Check, MessagePart
from .table import normalized

__all__ = [
    "ERR",
    "MAP",
    "LET_ERROR_KEY",
    "OWN",
    "XS",
    "XSL",
    "add_location_function",
    "entry",
    "error_entry",
    "literal",
    "message_expression",
    "static_message",
]

XSL = f"{{{namespaces.XSL}}}"
OWN = f"Q{{{namespaces.OWN}}}"
ERR = f"Q{{{namespaces.XPATH_ERRORS}}}"
XS = f"Q{{{namespaces.XS}}}"
LET_ERROR_KEY = "peppol-ubl:let-error"
MAP = f"Q{{{namespaces.XPATH_MAP}}}"
"""The XPath map functions, as an EQName prefix (``{MAP}contains``)."""
_WIDE = 64
"""From this many children of its parent, an element's position among the siblings of
its local name is looked up in ``positions`` rather than counted: counting at every
failure under the thousands of lines of a large invoice made a document with a failure
on each line quadratic."""
_POSITIONS = f"{OWN}positions"
"""A global variable: the position of each child of a wide parent among the siblings of
its local name, by ``generate-id`` (evaluated once per document, when first used; a
node of another tree is not in it, and its position is counted). It is built by
grouping each wide parent's children by local name into one ``xsl:map``: building it
with ``map:put`` in a ``fold-left`` grew faster than the document (40,000 lines: 3.7 s
against 0.2 s)."""
_LOCATION = f"""
  string-join(
    for $step in ${OWN}node/ancestor-or-self::node()[not(. instance of document-node())]
    return '/' || (
      if ($step instance of element()) then '*:' || local-name($step) || '[' || (
        let $known := if (exists($step/../*[{_WIDE}])) then ${_POSITIONS}(generate-id($step)) else ()
        return if (exists($known)) then $known
          else 1 + count($step/preceding-sibling::*[local-name() eq local-name($step)])) || ']'
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
    """Declare ``location($node) as xs:string`` in the stylesheet, with the positions it
    reads for the children of a wide parent (``_WIDE``)."""
    positions = etree.SubElement(sheet, f"{XSL}variable", {"name": _POSITIONS, "as": "map(*)"})
    parents = etree.SubElement(etree.SubElement(positions, f"{XSL}map"), f"{XSL}for-each",
                               {"select": f"//*[*[{_WIDE}]]"})
    group = etree.SubElement(parents, f"{XSL}for-each-group", {"select": "*", "group-by": "local-name()"})
    member = etree.SubElement(group, f"{XSL}for-each", {"select": "current-group()"})
    etree.SubElement(member, f"{XSL}map-entry", {"key": "generate-id()", "select": "position()"})
    function = etree.SubElement(sheet, f"{XSL}function", {"name": f"{OWN}location", "as": f"{XS}string"})
    etree.SubElement(function, f"{XSL}param", {"name": f"{OWN}node", "as": "node()"})
    etree.SubElement(function, f"{XSL}sequence", {"select": _LOCATION})


def entry(number: int | str, message: str | None = None, error: str | None = None) -> str:
    """The array constructor of one failure at the context node of the check ``number``
    (or of an XPath giving it): the XPath of its message when the table does not hold
    it, and of the text of its error inside ``xsl:catch``."""
    members = [str(number), f"{OWN}location(.)"]
    if message is not None or error is not None:
        members += [message or "()", error or "()"]
    return f"[{', '.join(members)}]"


def error_entry(number: int, failed_lets: Iterable[str]) -> str:
    """The failure of the check ``number`` after a dynamic error (inside ``xsl:catch``).

    When a global variable the failing expression uses holds an error marker, the
    marker's text is the better explanation and is reported instead.
    """
    let_errors = [
        f"(if (${name} instance of map(*) and {MAP}contains(${name}, {literal(LET_ERROR_KEY)})) "
        f"then {literal(f'${name}: ')} || ${name}({literal(LET_ERROR_KEY)}) else ())"
        for name in failed_lets
    ]
    caught = f"local-name-from-QName(${ERR}code) || ': ' || ${ERR}description"
    return entry(number, error=f"({', '.join([*let_errors, caught])})[1]")


def message_expression(check: Check, diagnostics: dict[str, tuple[MessagePart, ...]]) -> str:
    """The XPath building the message of ``check`` (and its diagnostics, after ' — ')."""
    texts = [_parts_expression(check.message)]
    texts += [_parts_expression(diagnostics.get(d, ())) for d in check.diagnostics]
    if len(texts) == 1:
        return texts[0]
    return f"string-join(({', '.join(texts)})[. ne ''], ' — ')"


def static_message(check: Check, diagnostics: dict[str, tuple[MessagePart, ...]]) -> str | None:
    """The message ``message_expression`` builds, when the message of ``check`` and its
    diagnostics are text alone (the same at every failure); else ``None``."""
    texts = (check.message, *(diagnostics.get(d, ()) for d in check.diagnostics))
    if any(part.kind != "text" for parts in texts for part in parts):
        return None
    messages = [normalized("".join(part.value for part in parts)) for parts in texts]
    return messages[0] if len(messages) == 1 else " — ".join(message for message in messages if message)


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
