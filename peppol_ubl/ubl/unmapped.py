"""What the reader could not carry into the model: unmapped values and warnings.

Locations are element paths in the one form every report uses
(:mod:`peppol_ubl.xml.paths`), from the UBL root (the SBDH payload when the document was
wrapped), e.g.
``/*:Invoice[1]/*:InvoiceLine[2]/*:Item[1]/*:AdditionalItemProperty[1]/*:Name[1]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

from ..xml.paths import attribute_step

__all__ = ["ParseWarning", "Unmapped", "WarningCode", "collect_unmapped"]

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


def collect_unmapped(
    root: etree._Element,
    taken: set[etree._Element],
    taken_attributes: set[tuple[etree._Element, str]],
) -> list[Unmapped]:
    """Every element text and attribute under ``root`` that was not taken, in document order.

    An element counts when it has non-whitespace text of its own; comments and
    processing instructions are not content. One pass, building the paths on the way
    down (so a large document with an unmapped value on every line stays linear), and
    linear in the attributes of one element too (see :func:`_attributes`).
    """
    found: list[Unmapped] = []
    _walk(root, f"/*:{etree.QName(root).localname}[1]", taken, taken_attributes, found)
    return found


_ATTRIBUTE_NODES = etree.XPath("@*")
_BY_NAME_AT_MOST = 16


def _attributes(node: etree._Element) -> list[tuple[str, str]]:
    """The attributes of ``node`` as (Clark name, value), in document order.

    lxml reads each value by looking its name up in the element's attribute list
    (libxml2 scans it), so ``attrib.items()`` costs n²/2 steps on n attributes; beyond a
    few, the values come from the attribute nodes themselves, each visited once.
    """
    if len(node.keys()) <= _BY_NAME_AT_MOST:
        return node.items()
    return [(str(value.attrname), str(value)) for value in _attribute_values(node)]


def _attribute_values(node: etree._Element) -> list[etree._ElementUnicodeResult]:
    found = _ATTRIBUTE_NODES(node)
    assert isinstance(found, list)
    return [value for value in found if isinstance(value, etree._ElementUnicodeResult)]


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
    for name, value in _attributes(node):
        if (node, name) not in taken_attributes and value.strip():
            found.append(Unmapped(f"{path}/{attribute_step(name)}", value.strip()))
    positions: dict[str, int] = {}
    for child in node.iterchildren(tag=etree.Element):
        local = etree.QName(child).localname
        positions[local] = positions.get(local, 0) + 1
        _walk(child, f"{path}/*:{local}[{positions[local]}]", taken, taken_attributes, found)
