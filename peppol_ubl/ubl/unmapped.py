"""What the reader could not carry into the model: unmapped values and warnings.

Locations are XPath 2.0 expressions in the form the validation reports use:
namespace-agnostic steps with 1-based positions among the siblings of the same local
name, from the UBL root (the SBDH payload when the document was wrapped), e.g.
``/*:Invoice[1]/*:InvoiceLine[2]/*:Item[1]/*:AdditionalItemProperty[1]/*:Name[1]``;
an attribute ends the path as ``@name`` (``@*:name`` when the attribute has a namespace).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

__all__ = ["ParseWarning", "Unmapped", "WarningCode", "collect_unmapped", "xpath_of"]

WarningCode = Literal["rounded", "currency", "approximate", "invalid", "document-type"]
"""Why a value is held only approximately:

``rounded``
    an amount with more than two decimals, rounded to cents (BT-146 … BT-148 are kept
    exactly and never rounded);
``currency``
    an amount whose ``currencyID`` is not the one the model assumes for it;
``approximate``
    a value the model holds in a simpler form (a date's time zone is dropped);
``invalid``
    a value the model refuses (a malformed date, amount or code); it is left out of the
    model and also listed as unmapped;
``document-type``
    a type code that does not match the root element (the model decides the root from
    the type code).
"""


@dataclass(frozen=True, slots=True)
class Unmapped:
    """An element text or attribute of the document that the model does not carry."""

    xpath: str
    value: str


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """A value of the document that the model holds only approximately, or refused."""

    xpath: str
    value: str
    code: WarningCode
    reason: str


def _step(node: etree._Element) -> str:
    local = etree.QName(node).localname
    parent = node.getparent()
    position = 1
    if parent is not None:
        for sibling in parent.iterchildren(tag=etree.Element):
            if sibling is node:
                break
            if etree.QName(sibling).localname == local:
                position += 1
    return f"*:{local}[{position}]"


def xpath_of(node: etree._Element, attribute: str | None = None) -> str:
    """The location of ``node`` (or of one of its attributes, by Clark name)."""
    steps = [_step(ancestor) for ancestor in reversed(list(node.iterancestors()))]
    steps.append(_step(node))
    path = "/" + "/".join(steps)
    return path if attribute is None else f"{path}/{_attribute_step(attribute)}"


def _attribute_step(name: str) -> str:
    qname = etree.QName(name)
    return f"@{'*:' if qname.namespace else ''}{qname.localname}"


def collect_unmapped(
    root: etree._Element,
    taken: set[etree._Element],
    taken_attributes: set[tuple[etree._Element, str]],
) -> list[Unmapped]:
    """Every element text and attribute under ``root`` that was not taken, in document order.

    An element counts when it has non-whitespace text of its own; comments and
    processing instructions are not content. One pass, building the paths on the way
    down (so a large document with an unmapped value on every line stays linear).
    """
    found: list[Unmapped] = []
    _walk(root, f"/*:{etree.QName(root).localname}[1]", taken, taken_attributes, found)
    return found


def _walk(
    node: etree._Element,
    path: str,
    taken: set[etree._Element],
    taken_attributes: set[tuple[etree._Element, str]],
    found: list[Unmapped],
) -> None:
    text = (node.text or "").strip()
    if text and node not in taken:
        found.append(Unmapped(path, text))
    for name, value in node.attrib.items():
        if (node, name) not in taken_attributes and value.strip():
            found.append(Unmapped(f"{path}/{_attribute_step(name)}", value.strip()))
    positions: dict[str, int] = {}
    for child in node.iterchildren(tag=etree.Element):
        local = etree.QName(child).localname
        positions[local] = positions.get(local, 0) + 1
        _walk(child, f"{path}/*:{local}[{positions[local]}]", taken, taken_attributes, found)
