"""The Schematron compiler: a concrete schema emitted as an XSLT 3.0 stylesheet.

Semantics (ISO/IEC 19757-3) and how they are realised:

* every element and attribute of the document (and the document node) is visited
  once, in document order; at each node every active pattern is asked for its first
  matching rule, which is a template of that pattern's mode with a priority that
  falls with the rule's position (so the first matching rule wins);
* each ``assert``/``report`` test runs inside ``xsl:try``: a test that raises a dynamic
  error becomes a failure of that check carrying the error text, and the run goes on;
* rule ``let``\\s become local variables; a rule whose variables raise reports all of
  its checks as failed. Schema, phase and pattern ``let``\\s become global variables
  (evaluated on the document node); one that raises holds an error marker, so only
  the checks that use it fail;
* the result is a JSON array with one entry per failed assert or fired report:
  ``[id, flag, role, location, message, test, error]`` (``error`` is the text of the
  dynamic error, or null). ``location`` is an XPath such as
  ``/*:Invoice[1]/*:InvoiceLine[2]`` that selects exactly the node in error.
"""

from __future__ import annotations

import copy

from lxml import etree

from .model import Check, Let, MessagePart, Pattern, Rule, Schema

__all__ = ["COMPILER_VERSION", "emit_xslt"]

# Changes whenever the emitted stylesheet changes, so cached compilations are redone.
COMPILER_VERSION = "peppol-ubl-schematron/2"

XSL_NS = "http://www.w3.org/1999/XSL/Transform"
_XSL = f"{{{XSL_NS}}}"
_OWN = "Q{urn:peppol-ubl:schematron}"
_ERR = "Q{http://www.w3.org/2005/xqt-errors}"
_LET_ERROR_KEY = "peppol-ubl:let-error"
_LOCATION_FUNCTION = """
  string-join(
    for $step in $node/ancestor-or-self::node()[not(. instance of document-node())]
    return '/' || (
      if ($step instance of element()) then '*:' || local-name($step) || '['
        || (1 + count($step/preceding-sibling::*[local-name() eq local-name($step)])) || ']'
      else if ($step instance of attribute()) then '@' || (if (namespace-uri($step) eq '')
        then local-name($step) else 'Q{' || namespace-uri($step) || '}' || local-name($step))
      else if ($step instance of text()) then 'text()['
        || (1 + count($step/preceding-sibling::text())) || ']'
      else if ($step instance of comment()) then 'comment()['
        || (1 + count($step/preceding-sibling::comment())) || ']'
      else 'processing-instruction(' || local-name($step) || ')[' || (1 + count(
        $step/preceding-sibling::processing-instruction()[local-name() eq local-name($step)])) || ']'
    ), '')
  ! (if (. eq '') then '/' else .)"""


def emit_xslt(schema: Schema, phase: str | None = None) -> str:
    """The XSLT 3.0 stylesheet that validates a document against ``schema`` in ``phase``."""
    patterns, phase_lets = schema.active_patterns(phase)
    patterns = tuple(p for p in patterns if p.rules)
    nsmap = {"xsl": XSL_NS, **{prefix: uri for prefix, uri in schema.namespaces if prefix != "xsl"}}
    sheet = etree.Element(
        f"{_XSL}stylesheet", nsmap=nsmap, version="3.0", **{"exclude-result-prefixes": "#all"}
    )
    _xsl(sheet, "output", method="json", encoding="UTF-8")
    for element in schema.foreign:
        sheet.append(copy.deepcopy(element))
    for let in (*schema.lets, *phase_lets, *(let for p in patterns for let in p.lets)):
        _global_let(sheet, let)
    _location_function(sheet)
    root = _xsl(sheet, "template", match="/")
    found = _xsl(root, "variable", name=f"{_OWN}found", **{"as": "array(*)*"})
    _xsl(found, "apply-templates", select=".", mode=f"{_OWN}walk")
    _xsl(root, "sequence", select=f"array{{${_OWN}found}}")
    walk = _xsl(sheet, "template", match="document-node() | *", mode=f"{_OWN}walk")
    for number, pattern in enumerate(patterns, start=1):
        _xsl(walk, "apply-templates", select=".", mode=_mode(number))
    for number, pattern in enumerate(patterns, start=1):
        if any(_may_match_attributes(r.context) for r in pattern.rules):
            _xsl(walk, "apply-templates", select="@*", mode=_mode(number))
    _xsl(walk, "apply-templates", select="*", mode=f"{_OWN}walk")
    for number, pattern in enumerate(patterns, start=1):
        _pattern(sheet, pattern, _mode(number), schema)
    return etree.tostring(sheet, encoding="unicode")


def _xsl(parent: etree._Element, tag: str, /, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{_XSL}{tag}", **attributes)


def _mode(number: int) -> str:
    return f"{_OWN}pattern-{number}"


def _literal(text: str) -> str:
    """An XPath string literal holding ``text``."""
    return "'" + text.replace("'", "''") + "'"


def _location_function(sheet: etree._Element) -> None:
    string_type = "Q{http://www.w3.org/2001/XMLSchema}string"
    function = _xsl(sheet, "function", name=f"{_OWN}location", **{"as": string_type})
    _xsl(function, "param", name="node", **{"as": "node()"})
    _xsl(function, "sequence", select=_LOCATION_FUNCTION)


def _global_let(sheet: etree._Element, let: Let) -> None:
    """A schema, phase or pattern variable; if its value raises, it holds an error marker."""
    variable = _xsl(sheet, "variable", name=let.name)
    if let.value is None:
        variable.set("as", "node()*")
        if let.content is not None:
            variable.append(copy.deepcopy(let.content))
        return
    variable.set("as", "item()*")
    attempt = _xsl(variable, "try")
    inner = _xsl(attempt, "variable", name=f"{_OWN}value", select=let.value)
    if let.as_type:
        inner.set("as", let.as_type)
    _xsl(attempt, "sequence", select=f"${_OWN}value")
    _xsl(attempt, "catch", select=f"map{{{_literal(_LET_ERROR_KEY)}: ${_ERR}description}}")


def _pattern(sheet: etree._Element, pattern: Pattern, mode: str, schema: Schema) -> None:
    _xsl(sheet, "mode", name=mode, **{"on-no-match": "deep-skip"})
    # deep-skip would descend from an unmatched document node; the walk already does
    _xsl(sheet, "template", match="document-node()", mode=mode, priority="0")
    count = len(pattern.rules)
    for index, rule in enumerate(pattern.rules):
        template = _xsl(sheet, "template", match=rule.context, mode=mode, priority=str(count - index))
        _rule(template, rule, schema)


def _rule(template: etree._Element, rule: Rule, schema: Schema) -> None:
    if not rule.lets:
        _body(template, rule, schema)
        return
    attempt = _xsl(template, "try")
    _body(attempt, rule, schema)
    _xsl(attempt, "catch", select=", ".join(_error_entry(check) for check in rule.checks) or "()")


def _body(parent: etree._Element, rule: Rule, schema: Schema) -> None:
    for item in rule.body:
        if isinstance(item, Let):
            variable = _xsl(parent, "variable", name=item.name)
            if item.value is not None:
                variable.set("select", item.value)
            elif item.content is not None:
                variable.append(copy.deepcopy(item.content))
            if item.as_type:
                variable.set("as", item.as_type)
        else:
            _check(parent, item, schema)


def _check(parent: etree._Element, check: Check, schema: Schema) -> None:
    attempt = _xsl(parent, "try")
    condition = f"not(({check.test}))" if check.kind == "assert" else f"({check.test})"
    fired = _xsl(attempt, "if", test=condition)
    _xsl(fired, "sequence", select=_entry(check, _message_expression(check, schema), "()"))
    _xsl(attempt, "catch", select=_error_entry(check))


def _entry(check: Check, message: str, error: str) -> str:
    fields = (
        _literal(check.id),
        _literal(check.flag) if check.flag is not None else "()",
        _literal(check.role) if check.role is not None else "()",
        f"{_OWN}location(.)",
        message,
        _literal(check.test),
        error,
    )
    return "[" + ", ".join(fields) + "]"


def _error_entry(check: Check) -> str:
    error = f"(local-name-from-QName(${_ERR}code) || ': ' || ${_ERR}description)"
    return _entry(check, "''", error)


def _message_expression(check: Check, schema: Schema) -> str:
    texts = [_parts_expression(check.message)]
    texts += [_parts_expression(schema.diagnostics.get(d, ())) for d in check.diagnostics]
    if len(texts) == 1:
        return texts[0]
    return f"string-join(({', '.join(texts)})[. ne ''], ' — ')"


def _parts_expression(parts: tuple[MessagePart, ...]) -> str:
    pieces: list[str] = []
    for part in parts:
        if part.kind == "text":
            pieces.append(_literal(part.value))
        elif part.kind == "value-of":
            pieces.append(f"string-join(({part.value}) ! string(), ' ')")
        else:
            pieces.append(f"string-join(({part.value or '.'}) ! name(), ' ')")
    return f"normalize-space(string-join(({', '.join(pieces) or '()'}), ''))"


def _may_match_attributes(context: str) -> bool:
    """Whether a rule context can match an attribute (answers yes when unsure)."""
    outer = _outside_predicates(context)
    if "@" in outer or "attribute" in outer or "$" in outer:
        return True
    return any(name in outer for name in ("key(", "id(", "element-with-id(")) or outer.strip() == "."


def _outside_predicates(expression: str) -> str:
    """The expression with string literals and the contents of ``[…]`` removed."""
    kept: list[str] = []
    depth = 0
    quote: str | None = None
    for char in expression:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)
