"""Locations: one XPath form for every finding, whatever layer found it.

Every layer writes locations the way the Schematron layer (and, namespaces aside, the
official compiled XSLT) does: ``/*:Invoice[1]/*:InvoiceLine[3]/*:Price[1]``, each step
a local name with its position among same-named siblings, valid XPath 2.0 whatever
prefixes the document uses. :func:`find_element` reads this form back, and the others
our layers or the official artefacts produce (``/Invoice/cbc:IssueDate`` from libxml2,
``/*:Invoice[namespace-uri()='…'][1]`` from the official XSLT).
"""

from __future__ import annotations

import re

from lxml import etree

__all__ = ["LocationIndex", "Locator", "find_element"]

_STEP = re.compile(r"^(?:(?:\*|[\w.-]+):)?([\w.-]+)((?:\[[^\]]*\])*)$")
_CANONICAL_STEP = re.compile(r"\*:([^\[\]/]+)\[(\d+)\]")


class Locator:
    """Writes the location of elements of one tree (sibling positions are cached)."""

    def __init__(self) -> None:
        self._positions: dict[etree._Element, dict[etree._Element, int]] = {}

    def _position(self, parent: etree._Element, node: etree._Element) -> int:
        positions = self._positions.get(parent)
        if positions is None:
            positions = {}
            counts: dict[str, int] = {}
            for child in parent:
                if isinstance(child.tag, str):
                    counts[child.tag] = counts.get(child.tag, 0) + 1
                    positions[child] = counts[child.tag]
            self._positions[parent] = positions
        return positions[node]

    def path(self, element: etree._Element) -> str:
        """``/*:Invoice[1]/*:InvoiceLine[3]/*:LineExtensionAmount[1]``."""
        steps: list[str] = []
        node = element
        while (parent := node.getparent()) is not None:
            steps.append(f"*:{etree.QName(node).localname}[{self._position(parent, node)}]")
            node = parent
        steps.append(f"*:{etree.QName(node).localname}[1]")
        return "/" + "/".join(reversed(steps))


def _xpath_1(location: str) -> str | None:
    """Rewrite a location into XPath 1.0 that matches by local name, any prefix."""
    steps = []
    for step in location.strip().split("/")[1:]:
        if step.startswith("@") or step in ("", "."):
            steps.append(step)
            continue
        match = _STEP.match(step)
        if match is None:
            return None
        steps.append(f"*[local-name()='{match.group(1)}']{match.group(2)}")
    return "/" + "/".join(steps) if steps else None


def find_element(root: etree._Element, location: str | None) -> etree._Element | None:
    """The element a location selects in the tree of ``root`` (for an attribute
    location, its element), or None when it selects nothing or cannot be read."""
    expression = _xpath_1(location) if location and location.startswith("/") else None
    if expression is None:
        return None
    try:
        found = etree.ElementTree(root).xpath(expression)
    except etree.XPathError:
        return None
    if not isinstance(found, list) or not found:
        return None
    node = found[0]
    if isinstance(node, etree._Element):
        return node
    parent = getattr(node, "getparent", lambda: None)()
    return parent if isinstance(parent, etree._Element) else None


class LocationIndex:
    """Finds the elements (and source lines) of many locations in one tree quickly.

    Locations in our own form are walked step by step over children indexed by local
    name once per parent, so thousands of findings on a large document cost one pass;
    other forms fall back to :func:`find_element`. A location ending in an attribute or
    text step gives its element.
    """

    def __init__(self, root: etree._Element) -> None:
        self._root = root
        self._children: dict[tuple[etree._Element, str], list[etree._Element]] = {}

    def element(self, location: str) -> etree._Element | None:
        """The element ``location`` selects, or None."""
        node: etree._Element | None = None
        for step in location.split("/")[1:]:
            match = _CANONICAL_STEP.fullmatch(step)
            if match is None:
                if step.startswith(("@", "text()")) and node is not None:
                    return node
                return find_element(self._root, location)
            name, position = match.group(1), int(match.group(2))
            candidates = [self._root] if node is None else self._named(node, name)
            if node is None and etree.QName(self._root).localname != name or position > len(candidates):
                return None
            node = candidates[position - 1]
        return node

    def line(self, location: str) -> int | None:
        """The source line of the element ``location`` selects, or None."""
        node = self.element(location)
        line = node.sourceline if node is not None else None
        return line if isinstance(line, int) else None

    def _named(self, parent: etree._Element, name: str) -> list[etree._Element]:
        key = (parent, name)
        if key not in self._children:
            self._children[key] = [c for c in parent
                                   if isinstance(c.tag, str) and etree.QName(c).localname == name]
        return self._children[key]
