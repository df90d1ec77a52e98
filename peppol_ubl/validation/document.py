"""The document while its layers run: its lxml tree, let go before Saxon reads a large one.

The input, XSD and totals layers read the lxml tree of the input layer; the Schematron
layer gives the document's bytes to Saxon, which builds a tree of its own. Holding both
trees at once is what a large invoice costs most: a 128 MB invoice takes about 950 MiB as
an lxml tree and about 570 MiB more in Saxon. So when the document is large and Saxon
reads the bytes received as they are (their line numbers are then the document's), the
layers that need the tree run first and the tree is let go, and the memory it held is
handed back to the system before Saxon parses (glibc keeps freed memory for the next
``malloc``, and Saxon allocates its own). The source lines of the Schematron layer's
findings are then read from the bytes as a stream (``lines_in``). The report is the
same either way.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache

from lxml import etree

from ..findings import Finding
from ..xml.namespaces import CBC
from ..xml.paths import LocationIndex, lines_in
from ..xml.safe import DocumentType, ParsedDocument

__all__ = ["LARGE_DOCUMENT", "HeldDocument"]

LARGE_DOCUMENT = 8 * 1024 * 1024
"""From this many bytes, a document's tree is let go before the Schematron layer, and
Python's cycle collector is paused while its layers run (``collector``)."""

_CUSTOMIZATION_ID = f"{{{CBC}}}CustomizationID"


class HeldDocument:
    """The input layer's result for the layers of one validation, holding the only
    reference to its tree (so that ``let_go`` frees it)."""

    __slots__ = ("_parsed", "_xml", "customization_id", "document_type", "findings", "keep_tree",
                 "ok", "sbdh", "sha256")

    def __init__(self, parsed: ParsedDocument, *, keep_tree: bool = False) -> None:
        self._parsed: ParsedDocument | None = parsed
        self._xml: bytes | None = None
        self.ok = parsed.ok
        self.sha256 = parsed.sha256
        self.findings = parsed.findings
        self.document_type: DocumentType | None = parsed.document_type
        self.sbdh = parsed.sbdh
        self.keep_tree = keep_tree
        # the first child of that name: iterchildren filters in C, find parses a path first
        element = next(parsed.root.iterchildren(_CUSTOMIZATION_ID), None) if parsed.root is not None else None
        text = " ".join((element.text or "").split()) if element is not None else ""
        self.customization_id: str | None = text or None
        """The document's CustomizationID (BT-24), white space collapsed, if it has one."""

    @property
    def root(self) -> etree._Element:
        """The lxml tree of an accepted document (only before ``let_go``)."""
        assert self._parsed is not None and self._parsed.root is not None, "no tree: refused, or let go"
        return self._parsed.root

    @property
    def xml(self) -> bytes:
        """The bytes the other engines read (``ParsedDocument.xml``)."""
        return self._xml if self._xml is not None else self.parsed.xml

    @property
    def parsed(self) -> ParsedDocument:
        """The input layer's result (only before ``let_go``)."""
        assert self._parsed is not None, "the tree was let go"
        return self._parsed

    @property
    def large(self) -> bool:
        """Whether the document was accepted and has at least ``LARGE_DOCUMENT`` bytes."""
        return self.ok and len(self.xml) >= LARGE_DOCUMENT

    @property
    def releasable(self) -> bool:
        """Whether the tree is held, not to be kept, and worth letting go before Saxon
        reads the document: it is large and Saxon reads the bytes received (see the module)."""
        parsed = self._parsed
        return not self.keep_tree and parsed is not None and parsed.as_received and self.large

    def let_go(self) -> None:
        """Drop the tree and hand the memory it held back to the system."""
        self._xml = self.xml
        self._parsed = None
        _trim_heap()

    def with_lines(self, found: list[Finding]) -> list[Finding]:
        """The findings with the source line of their location filled in where missing."""
        missing = [f.location for f in found if f.line is None and f.location]
        if not missing or not self.ok:
            return found
        lines: Mapping[str, int | None]
        if self._parsed is not None:
            index = LocationIndex(self.root)
            lines = {location: index.line(location) for location in missing}
        else:
            lines = lines_in(self.xml, missing)
        return [replace(f, line=lines.get(f.location)) if f.line is None and f.location else f for f in found]


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (None elsewhere: other C libraries lack it)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # the process's own C library
    except (OSError, AttributeError):
        return None
    return function


def _trim_heap() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
