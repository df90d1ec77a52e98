"""Safe input: reading untrusted bytes as one UBL Invoice or CreditNote, once, defensively.

Every document is parsed exactly once, by libxml2 through lxml, with entity substitution,
DTD loading and network access off and ``huge_tree`` off (libxml2 then also caps element
depth at 256, a single text node at 10,000,000 characters and entity amplification).
XInclude is never processed. The result is a ``ParsedDocument``: the payload element as
the root of its own tree, the SHA-256 of the bytes received, and the findings of this
layer. A bad document never raises: it yields one fatal finding of layer ``input``, one
of the closed set ``PU-INPUT-EMPTY``, ``-TOO-LARGE``, ``-ENCODING``, ``-NOT-XML``,
``-DOCTYPE``, ``-TOO-DEEP``, ``-XINCLUDE``, ``-SBDH``, ``-ROOT`` (their meanings:
:mod:`peppol_ubl.codes`). Every DOCTYPE is refused, of any kind: UBL defines no DTD, and a
DOCTYPE can only declare entities (XXE, billion laughs, quadratic blowup), pull an
external DTD or default attributes. XInclude is refused, never expanded, so that no later
consumer that does expand it reads a different document than the one validated.

An SBDH envelope (``StandardBusinessDocument``) is unwrapped: its payload becomes the
document, and ``ParsedDocument.sbdh`` says so. Missing files and wrong argument types are
misuse, not bad documents, and raise (``OSError``, ``TypeError``).
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from lxml import etree

if TYPE_CHECKING:
    from lxml.etree._docloader import _InputDocument

from ..errors import ParseError
from ..findings import Finding
from .namespaces import CREDIT_NOTE, INVOICE, SBDH, XINCLUDE

__all__ = [
    "DocumentType",
    "InputLimits",
    "ParsedDocument",
    "Source",
    "document_type_of",
    "hardened_parser",
    "load_document",
    "parse_document",
]

DocumentType = Literal["Invoice", "CreditNote"]
Source = bytes | str | os.PathLike[str]

_ROOTS: dict[str, DocumentType] = {
    f"{{{INVOICE}}}Invoice": "Invoice",
    f"{{{CREDIT_NOTE}}}CreditNote": "CreditNote",
}
_SBDH_ROOT = f"{{{SBDH}}}StandardBusinessDocument"


def document_type_of(element: etree._Element) -> DocumentType | None:
    """``Invoice`` or ``CreditNote`` for a UBL document root element, else ``None``."""
    return _ROOTS.get(element.tag) if isinstance(element.tag, str) else None


_XINCLUDE = tuple(f"{{{namespace}}}*" for namespace in XINCLUDE)
_LIBXML2_MAX_DEPTH = 256
_POSITION = re.compile(r",? line \d+, column \d+\s*$")
_SYNTAX_LEADS = {
    "PU-INPUT-ENCODING": "the bytes are not valid in the document's encoding",
    "PU-INPUT-DOCTYPE": "the DOCTYPE declares entities that expand beyond the parser's limits",
    "PU-INPUT-TOO-DEEP": f"elements are nested deeper than {_LIBXML2_MAX_DEPTH} levels",
    "PU-INPUT-TOO-LARGE": "a text or attribute value is longer than the parser allows",
    "PU-INPUT-NOT-XML": "the document is not well-formed XML",
}
_ENCODING_ERRORS = frozenset(
    {
        etree.ErrorTypes.ERR_INVALID_ENCODING,
        etree.ErrorTypes.ERR_UNKNOWN_ENCODING,
        etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING,
    }
)


@dataclass(frozen=True, slots=True)
class InputLimits:
    """The resource limits applied to a document before any validation.

    ``max_depth`` can only be lowered: without ``huge_tree`` libxml2 itself refuses
    documents nested deeper than 256 elements (at no cost), which is the default; a lower
    limit adds one pass over the parsed tree.
    """

    max_bytes: int = 100 * 1024 * 1024
    max_depth: int = _LIBXML2_MAX_DEPTH

    def __post_init__(self) -> None:
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be positive, got {self.max_bytes}")
        if not 1 <= self.max_depth <= _LIBXML2_MAX_DEPTH:
            raise ValueError(f"max_depth must be between 1 and 256, got {self.max_depth}")


@dataclass(frozen=True)
class ParsedDocument:
    """A document after the input layer: its payload tree, or why there is none.

    ``root`` is the Invoice or CreditNote element as the root of its own tree (the SBDH
    payload when ``sbdh`` is true), with source line numbers of the input; it is ``None``
    exactly when ``findings`` holds the fatal finding that refused the input. ``sha256``
    is the digest of the bytes received (``None`` when they were refused for their size,
    before hashing).
    """

    sha256: str | None
    findings: tuple[Finding, ...] = ()
    root: etree._Element | None = None
    document_type: DocumentType | None = None
    sbdh: bool = False

    @property
    def ok(self) -> bool:
        """Whether the input was accepted (``root`` is set)."""
        return self.root is not None

    @cached_property
    def xml(self) -> bytes:
        """The payload re-serialised as UTF-8, without DOCTYPE or SBDH, for other engines.

        Every layer thus reads the same infoset, the one libxml2 parsed here.
        """
        if self.root is None:
            raise ParseError("the input was refused; there is no document to serialise")
        return etree.tostring(self.root, encoding="UTF-8", xml_declaration=True)


class _NothingResolver(etree.Resolver):
    """Answers every request for an external resource (DTD, entity) with nothing."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> _InputDocument:
        return self.resolve_empty(context)


_NOTHING = _NothingResolver()


def hardened_parser() -> etree.XMLParser:
    """A new lxml parser that never resolves entities, loads DTDs or touches the network.

    Any external resource libxml2 would still ask for is answered with nothing. (Keep
    ``collect_ids`` at its default: with libxml2 2.14, ``collect_ids=False`` makes it read
    external parameter entities.) lxml parsers must not be shared between threads.
    """
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        no_network=True,
        huge_tree=False,
        recover=False,
    )
    parser.resolvers.add(_NOTHING)
    return parser


def parse_document(source: Source, *, limits: InputLimits | None = None) -> ParsedDocument:
    """Read ``source`` (XML bytes, or a file path) through the input layer.

    Never raises for a bad document; see the module docstring for the findings.
    """
    limits = limits or InputLimits()
    data = _read(source, limits.max_bytes)
    if data is None or len(data) > limits.max_bytes:
        return _refused(
            None, "PU-INPUT-TOO-LARGE", f"the document is larger than {limits.max_bytes} bytes"
        )
    digest = hashlib.sha256(data).hexdigest()
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return _refused(digest, "PU-INPUT-EMPTY", "the document is empty")
    try:
        top = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        rule_id = _syntax_rule(exc)
        detail = _POSITION.sub("", exc.msg or "").strip()
        return _refused(digest, rule_id, f"{_SYNTAX_LEADS[rule_id]} ({detail})", line=exc.lineno)
    return _inspect(digest, top, limits)


def load_document(source: Source, *, limits: InputLimits | None = None) -> ParsedDocument:
    """Like ``parse_document``, but raise ``ParseError`` when the input is refused."""
    parsed = parse_document(source, limits=limits)
    if not parsed.ok:
        first = parsed.findings[0]
        raise ParseError(f"{first.rule_id}: {first.message}", rule_id=first.rule_id)
    return parsed


def _read(source: Source, max_bytes: int) -> bytes | None:
    """The bytes of ``source``, or ``None`` for a file larger than ``max_bytes``."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str) and source.lstrip().startswith("<"):
        raise TypeError("pass XML as bytes (e.g. text.encode('utf-8')); a str is a file path")
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"source must be bytes or a file path, not {type(source).__name__}")
    with open(source, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > max_bytes:
            return None
        return handle.read(max_bytes + 1)


def _syntax_rule(exc: etree.XMLSyntaxError) -> str:
    """The rule id for a document libxml2 refused to parse."""
    message = (exc.msg or "").lower()
    if exc.code in _ENCODING_ERRORS:
        return "PU-INPUT-ENCODING"
    if exc.code == etree.ErrorTypes.ERR_ENTITY_LOOP or "entity amplification" in message:
        return "PU-INPUT-DOCTYPE"
    if exc.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
        return "PU-INPUT-TOO-DEEP" if "depth" in message else "PU-INPUT-TOO-LARGE"
    return "PU-INPUT-NOT-XML"


def _inspect(digest: str, top: etree._Element, limits: InputLimits) -> ParsedDocument:
    """Apply the checks that need the parsed tree, then unwrap and identify the payload."""
    if top.getroottree().docinfo.internalDTD is not None:
        return _refused(
            digest,
            "PU-INPUT-DOCTYPE",
            "the document has a DOCTYPE declaration; UBL documents have none and DTDs "
            "(entities, external subsets) are refused",
        )
    if limits.max_depth < _LIBXML2_MAX_DEPTH:
        too_deep = top.xpath("/*" * (limits.max_depth + 1))
        if too_deep:
            return _refused(
                digest,
                "PU-INPUT-TOO-DEEP",
                f"elements are nested deeper than {limits.max_depth} levels",
                line=too_deep[0].sourceline,
            )
    xinclude = next(top.iter(*_XINCLUDE), None)
    if xinclude is not None:
        return _refused(
            digest,
            "PU-INPUT-XINCLUDE",
            "the document contains XInclude elements, which are refused (never expanded)",
            line=xinclude.sourceline,
        )
    payload, sbdh = top, top.tag == _SBDH_ROOT
    if sbdh:
        inner = [c for c in top if isinstance(c.tag, str) and not c.tag.startswith(f"{{{SBDH}}}")]
        if len(inner) != 1:
            return _refused(
                digest,
                "PU-INPUT-SBDH",
                f"the SBDH envelope holds {len(inner)} payload elements; exactly one is required",
                line=top.sourceline,
            )
        payload = inner[0]
    document_type = document_type_of(payload)
    if document_type is None:
        where = "SBDH payload" if sbdh else "root element"
        return _refused(
            digest,
            "PU-INPUT-ROOT",
            f"the {where} is {_name(payload)}; expected a UBL Invoice (Invoice-2) or "
            "CreditNote (CreditNote-2)",
            line=payload.sourceline,
        )
    if sbdh:
        payload = copy.deepcopy(payload)  # the root of a tree of its own, lines kept
    return ParsedDocument(digest, (), payload, document_type, sbdh)


def _name(element: etree._Element) -> str:
    """A short, printable name of an element for messages."""
    qname = etree.QName(element)
    text = f"'{qname.localname}' in namespace '{qname.namespace}'" if qname.namespace else (
        f"'{qname.localname}' in no namespace"
    )
    return text if len(text) <= 300 else text[:300] + "…"


def _refused(digest: str | None, rule_id: str, message: str, *, line: int | None = None) -> ParsedDocument:
    finding = Finding(rule_id, "fatal", "input", message, line=line)
    return ParsedDocument(digest, (finding,))
