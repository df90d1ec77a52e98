"""Input limits: the bounds a document must keep to before any layer reads it.

The layers read a document with two XML parsers: libxml2 (through lxml: the input layer,
the XSD and totals layers, the reader) and the JDK's parser inside Saxon-HE (the
Schematron layer). The defaults are the tighter of the two, so that every document the
input layer accepts is read by every layer, and every other one gets a ``PU-INPUT-…``
finding and reaches none. Saxon's limits, measured with saxonche 13 on documents just
under and just over each one (``tests/test_input_limits.py`` checks them again):

* elements nested at most 100 deep, the root counted (``jdk.xml.maxElementDepth``);
  libxml2 allows 256 without ``huge_tree``;
* at most 200 attributes on one element, its namespace declarations counted
  (``jdk.xml.elementAttributeLimit``);
* at most 1,000 characters in a prefix, a local name, a processing-instruction target or
  a namespace URI (``jdk.xml.maxXMLNameLimit``, which counts UTF-16 code units: the same
  here, as libxml2 takes only ASCII namespace URIs and Saxon no name characters beyond
  the Basic Multilingual Plane).

Its limit of 100,000 predefined entity references (``&amp;`` …) is not one a document
must keep to: the input layer hands Saxon character references instead (see
:attr:`peppol_ubl.xml.safe.ParsedDocument.xml`). Text and attribute values have no limit
of Saxon's; libxml2's (10,000,000 characters) applies.

:func:`first_excess` checks a parsed tree in one pass (plus one XPath for the depth),
and spares the pass when the document's UTF-8 bytes cannot go beyond the limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache

from lxml import etree

__all__ = ["DEFAULT_LIMITS", "LIBXML2_MAX_DEPTH", "Excess", "InputLimits", "first_excess"]

LIBXML2_MAX_DEPTH = 256
"""The depth beyond which libxml2 refuses a document while parsing (without ``huge_tree``)."""
_SAXON_MAX_DEPTH = 100
_SAXON_MAX_ATTRIBUTES = 200
_SAXON_MAX_NAME_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class InputLimits:
    """The resource limits applied to a document before any validation.

    The defaults are Saxon's (see the module docstring). Raising ``max_depth`` (up to
    libxml2's 256), ``max_attributes`` or ``max_name_length`` lets through documents the
    Schematron layer cannot read: ``validate`` refuses such limits unless its ``rules``
    are off, the reader takes them (it never runs Saxon). ``max_bytes`` bounds the input
    before parsing.
    """

    max_bytes: int = 100 * 1024 * 1024
    max_depth: int = _SAXON_MAX_DEPTH
    max_attributes: int = _SAXON_MAX_ATTRIBUTES
    """Attributes and namespace declarations on one element."""
    max_name_length: int = _SAXON_MAX_NAME_LENGTH
    """Characters in a prefix, local name, PI target or namespace URI."""

    def __post_init__(self) -> None:
        for field in fields(self):
            if getattr(self, field.name) < 1:
                raise ValueError(f"{field.name} must be positive, got {getattr(self, field.name)}")
        if self.max_depth > LIBXML2_MAX_DEPTH:
            raise ValueError(f"max_depth must be at most {LIBXML2_MAX_DEPTH}, got {self.max_depth}")

    def beyond_saxon(self) -> list[str]:
        """The limits raised above what Saxon's parser reads (empty for the defaults)."""
        return [name for name in ("max_depth", "max_attributes", "max_name_length")
                if getattr(self, name) > getattr(DEFAULT_LIMITS, name)]


DEFAULT_LIMITS = InputLimits()
"""The limits of a call that passes none: Saxon's (made once; a dataclass checks its fields
when made, and a frozen one is safe to share)."""


@dataclass(frozen=True, slots=True)
class Excess:
    """The first place where a document goes beyond a limit: its rule id, a message, and
    the element it is on."""

    rule_id: str
    message: str
    element: etree._Element


def _shown(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text)} characters)"


def _local(clark: str) -> str:
    return clark.rpartition("}")[2]


def first_excess(root: etree._Element, limits: InputLimits, utf8: bytes | None = None) -> Excess | None:
    """The first limit the tree of ``root`` goes beyond (depth first), or ``None``.

    Depth counts from ``root`` (1); the namespace declarations counted on an element are
    those written on it when this tree is serialised. ``utf8``, the bytes the tree was
    parsed from when they are UTF-8 (or bytes holding them), spares the walk of the tree
    for names and attributes when the bytes cannot go beyond those limits (``_within``).
    """
    if limits.max_depth < LIBXML2_MAX_DEPTH:
        too_deep = _deeper_than(limits.max_depth)(root)
        if isinstance(too_deep, list) and too_deep and isinstance(too_deep[0], etree._Element):
            return Excess("PU-INPUT-TOO-DEEP", f"elements are nested deeper than {limits.max_depth} "
                          "levels", too_deep[0])
    if utf8 is not None and _within(utf8, limits):
        return None
    return _first_wide_or_long(root, limits)


@cache
def _deeper_than(depth: int) -> etree.XPath:
    """The elements below ``depth`` levels, compiled once (an ``XPath`` serialises the
    threads that evaluate it)."""
    return etree.XPath("/*" * (depth + 1))


@cache
def _longer_than(length: int) -> re.Pattern[bytes]:
    return re.compile(rb"<[^<]{%d}" % (length + 1))


def _within(utf8: bytes, limits: InputLimits) -> bool:
    """Whether UTF-8 bytes of XML cannot hold a name, prefix, namespace URI or
    processing-instruction target longer than ``max_name_length``, nor an element with
    more than ``max_attributes`` attributes and namespace declarations.

    Each of those lies between a ``<`` and the next one (neither a name nor an attribute
    value holds a ``<``) and takes at least as many bytes as it has characters (a
    reference, or a character beyond ASCII, takes more), and every attribute and
    declaration has its own ``=``; UTF-8 writes no other character with the bytes of
    ``<`` or ``=``. Text, comments and CDATA only add runs and ``=``: the walk is spared
    only when nothing in the bytes could be an excess.
    """
    return utf8.count(b"=") <= limits.max_attributes and _longer_than(limits.max_name_length).search(utf8) is None


def _first_wide_or_long(root: etree._Element, limits: InputLimits) -> Excess | None:
    """Attributes per element, and the length of names and namespace URIs.

    Every prefix and namespace URI is declared in the tree, so the declarations are where
    those are measured; an element's own declarations are counted only when it has enough
    attributes to go beyond the limit with them (one pass, then a look at those few).
    """
    longest = limits.max_name_length
    declarations = [item for _, item in etree.iterwalk(root, events=("start-ns",)) if isinstance(item, tuple)]
    if any(len(part) > longest for pair in declarations for part in pair):
        return _long_declaration(root, longest)
    within = limits.max_attributes - len(declarations)  # this many attributes fit anywhere
    for pi in root.iter(etree.PI):
        if isinstance(pi, etree._ProcessingInstruction) and len(pi.target) > longest:
            return _long(f"a processing-instruction target '{_shown(pi.target)}'", longest, _parent(pi, root))
    for node in root.iter(tag=etree.Element):
        tag = str(node.tag)
        if len(tag) > longest and len(_local(tag)) > longest:
            return _long(f"an element name '{_shown(_local(tag))}'", longest, node)
        names = node.keys()
        if not names:
            continue
        if len(names) > within:
            declared = _declared_on(node)
            if len(names) + declared > limits.max_attributes:
                return Excess("PU-INPUT-TOO-MANY-ATTRIBUTES", f"an element has {len(names)} "
                              f"attributes and {declared} namespace declarations; at most "
                              f"{limits.max_attributes} together are allowed", node)
        if max(map(len, names)) <= longest:
            continue  # a Clark name is never shorter than its local part
        too_long = next((_local(name) for name in names if len(_local(name)) > longest), None)
        if too_long is not None:
            return _long(f"an attribute name '{_shown(too_long)}'", longest, node)
    return None


def _declared_on(element: etree._Element) -> int:
    """The number of namespace declarations written on ``element`` itself."""
    count = 0
    for event, _ in etree.iterwalk(element, events=("start-ns", "start")):
        if event == "start":
            break
        count += 1
    return count


def _long_declaration(root: etree._Element, longest: int) -> Excess | None:
    """The excess on the element with the first declaration whose prefix or URI is too long."""
    found: tuple[str, str] | None = None
    for _, item in etree.iterwalk(root, events=("start-ns", "start")):
        if isinstance(item, tuple):
            found = found or (item if any(len(part) > longest for part in item) else None)
        elif found is not None and isinstance(item, etree._Element):
            prefix, uri = found
            what = f"a prefix '{_shown(prefix)}'" if len(prefix) > longest else f"a namespace URI '{_shown(uri)}'"
            return _long(what, longest, item)
    return None


def _long(what: str, longest: int, element: etree._Element) -> Excess:
    return Excess("PU-INPUT-NAME-TOO-LONG", f"{what} is longer than {longest} characters", element)


def _parent(node: etree._Element, root: etree._Element) -> etree._Element:
    parent = node.getparent()
    return root if parent is None else parent
