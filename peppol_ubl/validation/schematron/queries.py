"""Where an assembled schema writes XPath that the compiled stylesheet will evaluate.

Two kinds of places:

* the query attributes of Schematron elements (``context``, ``test``, ``select``,
  ``path``, ``value``, ``subject`` and ``let/@as``); their prefixes are those of
  ``sch:ns``, the only ones the compiled stylesheet declares for them;
* XSLT content copied into the stylesheet: the top-level ``xsl:*`` declarations
  (``xsl:function``, ``xsl:key`` …) and the literal content of ``let`` elements. Every
  attribute there is read both as an expression and as an attribute value template, and
  every text node as a text value template, so whatever XSLT makes of it is seen; their
  prefixes may also come from the element's own namespace declarations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ...xml.namespaces import XSL
from .include import QUERY_ATTRIBUTES, SCH_NS
from .xpath_text import avt_expressions

__all__ = ["Query", "copied_content", "display", "queries"]

_SCH = f"{{{SCH_NS}}}"
_XSL = f"{{{XSL}}}"
_QUERY_ATTRIBUTES = (*QUERY_ATTRIBUTES, "as")  # let/@as: a sequence type


@dataclass(frozen=True, slots=True)
class Query:
    """One expression: the element it is written on, what of it holds it, its text."""

    element: etree._Element
    holder: str  # "sch:assert/@test", "xsl:sequence/@select", "text of xsl:text"
    text: str
    copied: bool  # part of the XSLT content copied into the stylesheet


def display(element: etree._Element) -> str:
    """``sch:assert``, ``xsl:sequence`` or ``prefix:name``: an element's name for messages."""
    qname = etree.QName(element)
    if qname.namespace == SCH_NS:
        return f"sch:{qname.localname}"
    if qname.namespace == XSL:
        return f"xsl:{qname.localname}"
    return f"{element.prefix}:{qname.localname}" if element.prefix else qname.localname


def copied_content(root: etree._Element) -> Iterator[tuple[etree._Element, bool]]:
    """The XSLT content the compiler copies into the stylesheet, each with whether it
    stands at the top level (a declaration) or in a ``let`` (a sequence constructor)."""
    for element in root:
        if isinstance(element.tag, str) and element.tag.startswith(_XSL):
            yield element, True
    for let in root.iter(f"{_SCH}let"):
        for content in let:
            if isinstance(content.tag, str):
                yield content, False


def queries(root: etree._Element) -> Iterator[Query]:
    """Every expression written in the assembled schema ``root``, in document order per kind."""
    for element in root.iter(f"{_SCH}*"):
        for name in _QUERY_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                yield Query(element, f"{display(element)}/@{name}", value, copied=False)
    for top, _declaration in copied_content(root):
        for element in top.iter():
            if isinstance(element.tag, str):
                yield from _copied_queries(element)


def _copied_queries(element: etree._Element) -> Iterator[Query]:
    for name, value in element.attrib.items():
        holder = f"{display(element)}/@{etree.QName(name).localname}"
        yield Query(element, holder, value, copied=True)
        for expression in avt_expressions(value):
            yield Query(element, holder, expression, copied=True)
    texts = [element.text, *(child.tail for child in element)]
    for text in texts:
        for expression in avt_expressions(text or ""):
            yield Query(element, f"text of {display(element)}", expression, copied=True)
