"""Element paths: one XPath form for every location the library writes, and reading it back.

Every finding, unmapped value and warning is located the way the Schematron layer (and,
namespaces aside, the official compiled XSLT) does it:
``/*:Invoice[1]/*:InvoiceLine[3]/*:Price[1]``, each step a local name with its position
among the siblings *of the same local name in any namespace* — exactly the nodes
``*:Name`` selects, so ``*:Name[n]`` selects the element whatever prefixes or foreign
namespaces the document uses. An attribute ends a path as ``@name``, or ``@Q{uri}name``
when it has a namespace.

:class:`Locator` writes paths for many elements of one tree (sibling positions cached per
parent); :func:`path_of` writes one. :func:`find_element` reads this form back, and the
other forms our layers meet (``/Invoice/cbc:IssueDate`` from libxml2,
``/*:Invoice[namespace-uri()='…'][1]`` from the official XSLT); :class:`LocationIndex`
finds the elements and source lines of many locations in one tree quickly;
:func:`lines_in` finds the source lines of locations in a document's bytes without
keeping its tree.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from lxml import etree

__all__ = ["LocationIndex", "Locator", "Place", "attribute_step", "find_element", "lines_in", "path_of"]

_STEP = re.compile(r"^(?:(\*|[\w.-]+):)?([\w.-]+)((?:\[[^\]]*\])*)$")
_CANONICAL_STEP = re.compile(r"\*:([^\[\]/]+)\[(\d+)\]")


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else etree.QName(element).localname


def attribute_step(name: str) -> str:
    """The last step of an attribute's path, from its Clark name (``{uri}local`` or ``local``)."""
    qname = etree.QName(name)
    return f"@Q{{{qname.namespace}}}{qname.localname}" if qname.namespace else f"@{qname.localname}"


def _position(parent: etree._Element | None, node: etree._Element) -> int:
    """1 + the number of preceding siblings with the local name of ``node``."""
    if parent is None:
        return 1
    local = _local(node)
    position = 1
    for sibling in parent.iterchildren(tag=etree.Element):
        if sibling is node:
            return position
        if _local(sibling) == local:
            position += 1
    return position


def path_of(node: etree._Element, attribute: str | None = None) -> str:
    """The location of ``node`` (or of one of its attributes, by Clark name)."""
    steps = [f"*:{_local(n)}[{_position(n.getparent(), n)}]"
             for n in (*reversed(list(node.iterancestors())), node)]
    path = "/" + "/".join(steps)
    return path if attribute is None else f"{path}/{attribute_step(attribute)}"


class Locator:
    """Writes the locations of many elements of one tree: sibling positions and the paths
    already written are cached, so locating every element of a tree is one pass."""

    def __init__(self) -> None:
        self._positions: dict[etree._Element, dict[etree._Element, int]] = {}
        self._paths: dict[etree._Element, str] = {}

    def _position(self, parent: etree._Element, node: etree._Element) -> int:
        positions = self._positions.get(parent)
        if positions is None:
            positions = {}
            counts: dict[str, int] = {}
            for child in parent.iterchildren(tag=etree.Element):
                local = _local(child)
                counts[local] = counts.get(local, 0) + 1
                positions[child] = counts[local]
            self._positions[parent] = positions
        return positions[node]

    def path(self, element: etree._Element) -> str:
        """``/*:Invoice[1]/*:InvoiceLine[3]/*:LineExtensionAmount[1]``."""
        known = self._paths.get(element)
        if known is not None:
            return known
        parent = element.getparent()
        if parent is None:
            path = f"/*:{_local(element)}[1]"
        else:
            path = f"{self.path(parent)}/*:{_local(element)}[{self._position(parent, element)}]"
        self._paths[element] = path
        return path


class Place:
    """An element of a tree whose location is written only when asked for: readers that
    note where every value came from, of which few end up in a finding, keep these."""

    __slots__ = ("_locator", "element")

    def __init__(self, locator: Locator, element: etree._Element) -> None:
        self._locator = locator
        self.element = element

    @property
    def path(self) -> str:
        """The element's location (see :class:`Locator`)."""
        return self._locator.path(self.element)

    def __repr__(self) -> str:
        return f"Place({self.path!r})"


def _xpath_1(location: str) -> str | None:
    """Rewrite a location into XPath 1.0: a ``*:`` step (ours, the official XSLT's)
    matches by local name in any namespace; a step as libxml2 writes it (``x:Note``,
    ``Note``) by the name as written in the document, prefix included. The first step
    is the root, matched by local name."""
    steps = []
    for number, step in enumerate(location.strip().split("/")[1:]):
        if step.startswith("@") or step in ("", "."):
            steps.append("@*" if step.startswith("@Q{") else step)
            continue
        match = _STEP.match(step)
        if match is None:
            return None
        prefix, local, predicates = match.group(1), match.group(2), match.group(3)
        if prefix == "*" or number == 0:
            steps.append(f"*[local-name()='{local}']{predicates}")
        else:
            steps.append(f"*[name()='{prefix + ':' if prefix else ''}{local}']{predicates}")
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
            if node is None and _local(self._root) != name or position > len(candidates):
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
            self._children[key] = [c for c in parent.iterchildren(tag=etree.Element) if _local(c) == name]
        return self._children[key]


def _element_part(location: str) -> str | None:
    """The element steps of a location in our own form (an attribute or text step
    dropped), or None for a location in another form."""
    steps = location.split("/")[1:]
    if steps and steps[-1].startswith(("@", "text()")):
        steps.pop()
    if not steps or not all(_CANONICAL_STEP.fullmatch(step) for step in steps):
        return None
    return "/" + "/".join(steps)


def lines_in(xml: bytes, locations: Iterable[str]) -> dict[str, int]:
    """The source line of the element each location (in our own form) selects in the
    document ``xml`` (a document the input layer accepted), read as a stream: the tree
    is not kept, only the ancestors of the element being read, and reading stops once
    every location is found. Locations in other forms, or selecting nothing, are left out."""
    wanted: dict[str, list[str]] = {}
    for location in locations:
        path = _element_part(location)
        if path is not None:
            wanted.setdefault(path, []).append(location)
    prefixes = {path[:match.end()] for path in wanted for match in re.finditer(r"\]", path)}
    found: dict[str, int] = {}
    # per open element: its path when it lies on the way to a wanted one (else None), and
    # how many children of each local name it has had so far
    open_elements: list[tuple[str | None, dict[str, int]]] = [("", {})]  # the document node
    events = etree.iterparse(io.BytesIO(xml), events=("start", "end"), resolve_entities=False,
                             load_dtd=False, no_network=True, huge_tree=False)
    for event, element in events:
        if event == "end":
            open_elements.pop()
            element.clear()  # and the siblings read before it: only the open elements stay
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
            continue
        parent_path, counts = open_elements[-1]
        if parent_path is None:
            open_elements.append(_OFF_THE_WAY)
            continue
        local = _local(element)
        counts[local] = position = counts.get(local, 0) + 1
        path = f"{parent_path}/*:{local}[{position}]"
        if path in wanted:
            line = element.sourceline
            found.update((location, line) for location in wanted.pop(path) if isinstance(line, int))
            if not wanted:
                break
        open_elements.append((path, {}) if path in prefixes else _OFF_THE_WAY)
    return found


_OFF_THE_WAY: tuple[None, dict[str, int]] = (None, {})
"""An open element on the way to no wanted location (its children are not counted)."""
