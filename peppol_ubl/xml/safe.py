"""Safe input: reading untrusted bytes as one UBL Invoice or CreditNote, once, defensively.

Every document is parsed exactly once, by libxml2 through lxml, with entity substitution,
DTD loading and network access off and ``huge_tree`` off (libxml2 then also caps element
depth at 256, a single text node at 10,000,000 characters and entity amplification).
XInclude is never processed. The result is a ``ParsedDocument``: the payload element as
the root of its own tree, the SHA-256 of the bytes received, and the findings of this
layer. A bad document never raises: it yields one fatal finding of layer ``input``, one
of the closed set ``PU-INPUT-EMPTY``, ``-TOO-LARGE``, ``-ENCODING``, ``-NOT-XML``,
``-DOCTYPE``, ``-TOO-DEEP``, ``-TOO-MANY-ATTRIBUTES``, ``-NAME-TOO-LONG``, ``-XINCLUDE``,
``-SBDH``, ``-SBDH-TEXT``, ``-ROOT``, ``-NOT-A-FILE`` (their meanings:
:mod:`peppol_ubl.codes`). Every DOCTYPE is refused, of any kind: UBL defines no DTD, and a
DOCTYPE can only declare entities (XXE, billion laughs, quadratic blowup), pull an
external DTD or default attributes. XInclude is refused, never expanded, so that no later
consumer that does expand it reads a different document than the one validated.

The payload is held to :class:`~peppol_ubl.xml.limits.InputLimits` (by default those of
Saxon's parser, the strictest of the layers): a document accepted here is read by every
layer. An SBDH envelope (``StandardBusinessDocument``) is unwrapped: its payload, without
the text after it, becomes the document, and ``ParsedDocument.sbdh`` says so; text other
than whitespace beside the payload makes the envelope malformed. Only bytes and regular
files are read: a path to a directory, named pipe, device or socket is refused after a
``stat``, never opened in a way that could wait. Missing files and wrong argument types
are misuse, not bad documents, and raise (``OSError``, ``TypeError``).
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from lxml import etree

if TYPE_CHECKING:
    from lxml.etree._docloader import _InputDocument

from ..errors import ParseError
from ..findings import Finding
from .limits import DEFAULT_LIMITS, LIBXML2_MAX_DEPTH, InputLimits, first_excess
from .namespaces import CREDIT_NOTE, INVOICE, SBDH, XINCLUDE
from .paths import path_of

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
_POSITION = re.compile(r",? line \d+, column \d+\s*$")
_BOM = b"\xef\xbb\xbf"
_FIRST_TAG = re.compile(rb"[ \t\r\n]*<")
"""White space (none at all, too) then ``<``: matched rather than stripped, which would copy."""
_CONTENT = re.compile(rb"[^ \t\n\r\x0b\x0c]")
"""A byte that is not ASCII whitespace (what ``bytes.strip`` removes): searched for
instead of stripping, which copies the whole document."""
_SYNTAX_LEADS = {
    "PU-INPUT-ENCODING": "the bytes are not valid in the document's encoding",
    "PU-INPUT-DOCTYPE": "the DOCTYPE declares entities that expand beyond the parser's limits",
    "PU-INPUT-TOO-DEEP": f"elements are nested deeper than {LIBXML2_MAX_DEPTH} levels",
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


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
"""O_NONBLOCK: should the path become a named pipe after the ``stat``, opening it does
not wait for a writer (and a regular file reads as always)."""
_ENTITY_REFERENCES = 100_000
"""Saxon's parser refuses a document with more predefined entity references
(``jdk.xml.maxGeneralEntitySizeLimit``); it does not count character references."""
_PREDEFINED = re.compile(rb"<!--.*?-->|<\?.*?\?>|&(amp|lt|gt|quot|apos);", re.S)
_CODE_POINTS = {b"amp": b"&#38;", b"lt": b"&#60;", b"gt": b"&#62;", b"quot": b"&#34;", b"apos": b"&#39;"}
_PLAIN_DECLARATION = re.compile(
    rb"""<\?xml\s+version\s*=\s*(["'])1\.0\1(?:\s+encoding\s*=\s*(["'])(?i:utf-8)\2)?"""
    rb"""(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>""")
"""An XML declaration that says no more than UTF-8 XML 1.0 (the one Saxon reads as libxml2 did)."""


def _plain_utf8(data: bytes) -> bool:
    """Whether ``data`` (a document this layer parsed) is UTF-8 without byte order mark,
    with a plain XML 1.0 declaration or none (a DOCTYPE was refused already)."""
    if _FIRST_TAG.match(data) is None or b"\0" in data[:4]:
        return False  # a byte order mark, or UTF-16 or UTF-32 without one
    declared = data.startswith(b"<?xml") and data[5:6].isspace()
    return not declared or _PLAIN_DECLARATION.match(data) is not None


@dataclass(frozen=True)
class ParsedDocument:
    """A document after the input layer: its payload tree, or why there is none.

    ``root`` is the Invoice or CreditNote element as the root of its own tree (the SBDH
    payload when ``sbdh`` is true), with source line numbers of the input; it is ``None``
    exactly when ``findings`` holds the fatal finding that refused the input. ``sha256``
    is the digest of the bytes received (``None`` when nothing was read: a file refused for
    its size, or a path that is not a regular file).
    """

    sha256: str | None
    findings: tuple[Finding, ...] = ()
    root: etree._Element | None = None
    document_type: DocumentType | None = None
    sbdh: bool = False
    received: bytes | None = field(default=None, repr=False, compare=False)
    """The bytes received, when other engines may read them as they are (``as_received``)."""

    @property
    def as_received(self) -> bool:
        """Whether ``xml`` is the bytes received, unchanged: so their line numbers are the
        document's (true unless the input needed re-serialising, see ``xml``)."""
        return self.received is not None

    @property
    def ok(self) -> bool:
        """Whether the input was accepted (``root`` is set)."""
        return self.root is not None

    @cached_property
    def xml(self) -> bytes:
        """The payload as UTF-8 without DOCTYPE or SBDH, for other engines: the bytes
        received when they are such a document already (UTF-8 without byte order mark,
        an XML 1.0 declaration or none, not an SBDH envelope: ``as_received``), else the
        payload re-serialised.

        Every layer thus reads the same infoset, the one libxml2 parsed here. When there
        could be more predefined entity references (``&amp;``, ``&lt;`` …) than Saxon's
        parser takes, they are written as the equivalent character references (``&#38;``),
        outside comments and processing instructions, whose text is kept as it is.
        """
        if self.received is not None:
            return self.received
        if self.root is None:
            raise ParseError("the input was refused; there is no document to serialise")
        data = etree.tostring(self.root, encoding="UTF-8", xml_declaration=True)
        if data.count(b"&") <= _ENTITY_REFERENCES:
            return data
        return _PREDEFINED.sub(lambda m: _CODE_POINTS[m.group(1)] if m.group(1) else m.group(0), data)


class _NothingResolver(etree.Resolver):
    """Answers every request for an external resource (DTD, entity) with nothing."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> _InputDocument:
        return self.resolve_empty(context)


_NOTHING = _NothingResolver()
_PER_THREAD = threading.local()


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


def _parser() -> etree.XMLParser:
    """This thread's ``hardened_parser``, made once (making one takes longer than parsing
    a small invoice with it)."""
    parser: etree.XMLParser | None = getattr(_PER_THREAD, "parser", None)
    if parser is None:
        parser = _PER_THREAD.parser = hardened_parser()
    return parser


def parse_document(source: Source, *, limits: InputLimits | None = None) -> ParsedDocument:
    """Read ``source`` (XML bytes, or a file path) through the input layer.

    Never raises for a bad document; see the module docstring for the findings.
    """
    limits = limits or DEFAULT_LIMITS
    data = _read(source, limits.max_bytes)
    if isinstance(data, Finding):
        return ParsedDocument(None, (data,))
    if len(data) > limits.max_bytes:
        return ParsedDocument(None, (_too_large(limits.max_bytes),))
    digest = hashlib.sha256(data).hexdigest()
    if _CONTENT.search(data, 3 if data.startswith(_BOM) else 0) is None:
        return _refused(digest, "PU-INPUT-EMPTY", "the document is empty")
    try:
        top = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        rule_id = _syntax_rule(exc)
        detail = _POSITION.sub("", exc.msg or "").strip()
        return _refused(digest, rule_id, f"{_SYNTAX_LEADS[rule_id]} ({detail})", line=exc.lineno)
    return _inspect(digest, top, limits, data)


def load_document(source: Source, *, limits: InputLimits | None = None) -> ParsedDocument:
    """Like ``parse_document``, but raise ``ParseError`` when the input is refused."""
    parsed = parse_document(source, limits=limits)
    if not parsed.ok:
        first = parsed.findings[0]
        raise ParseError(f"{first.rule_id}: {first.message}", xpath=first.location, rule_id=first.rule_id)
    return parsed


def _read(source: Source, max_bytes: int) -> bytes | Finding:
    """The bytes of ``source``, or the finding that refuses it unread: a file larger than
    ``max_bytes``, or a path that is not a regular file."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str) and source.lstrip().startswith("<"):
        raise TypeError("pass XML as bytes (e.g. text.encode('utf-8')); a str is a file path")
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"source must be bytes or a file path, not {type(source).__name__}")
    refusal = _not_a_file(source, os.stat(source).st_mode)
    if refusal is not None:
        return refusal
    with open(os.open(source, _OPEN_FLAGS), "rb") as handle:
        info = os.fstat(handle.fileno())
        refusal = _not_a_file(source, info.st_mode)  # replaced since the stat
        if refusal is not None:
            return refusal
        if info.st_size > max_bytes:
            return _too_large(max_bytes)
        return handle.read(max_bytes + 1)


def _too_large(max_bytes: int) -> Finding:
    return Finding("PU-INPUT-TOO-LARGE", "fatal", "input", f"the document is larger than {max_bytes} bytes")


def _not_a_file(source: str | os.PathLike[str], mode: int) -> Finding | None:
    """PU-INPUT-NOT-A-FILE for a path that is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for is_kind, name in _KINDS if is_kind(mode)), "not a regular file")
    return Finding("PU-INPUT-NOT-A-FILE", "fatal", "input", f"{os.fspath(source)!r} is {kind}; only "
                   "regular files (or bytes) are read, so it was not opened")


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


def _inspect(digest: str, top: etree._Element, limits: InputLimits, data: bytes) -> ParsedDocument:
    """Apply the checks that need the parsed tree, then unwrap and identify the payload and
    hold it to the limits."""
    if top.getroottree().docinfo.internalDTD is not None:
        return _refused(
            digest,
            "PU-INPUT-DOCTYPE",
            "the document has a DOCTYPE declaration; UBL documents have none and DTDs "
            "(entities, external subsets) are refused",
        )
    # the tree, not the bytes: libxml2 filters its elements by namespace in C, where a search
    # of the bytes for what could declare the namespace reads every byte of a large attachment
    xinclude = next(top.iter(*_XINCLUDE), None)
    if xinclude is not None:
        return _refused(
            digest,
            "PU-INPUT-XINCLUDE",
            "the document contains XInclude elements, which are refused (never expanded)",
            line=xinclude.sourceline,
        )
    sbdh = top.tag == _SBDH_ROOT
    payload = _payload(digest, top) if sbdh else top
    if isinstance(payload, ParsedDocument):
        return payload
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
    plain = _plain_utf8(data)
    if sbdh:
        payload = copy.deepcopy(payload)  # the root of a tree of its own, lines kept
        payload.tail = None  # whitespace (anything else was refused): not part of the payload
    excess = first_excess(payload, limits, data if plain else None)
    if excess is not None:
        return _refused(digest, excess.rule_id, excess.message, line=excess.element.sourceline,
                        location=path_of(excess.element))
    # other engines may read the bytes as received (not an SBDH envelope): plain UTF-8
    # with few enough ``&`` for Saxon's parser
    readable = plain and not sbdh and data.count(b"&") <= _ENTITY_REFERENCES
    received = data if readable else None
    return ParsedDocument(digest, (), payload, document_type, sbdh, received)


def _payload(digest: str, envelope: etree._Element) -> etree._Element | ParsedDocument:
    """The one payload element of an SBDH envelope, or the refusal of a malformed one."""
    inner = [c for c in envelope if isinstance(c.tag, str) and not c.tag.startswith(f"{{{SBDH}}}")]
    if len(inner) != 1:
        return _refused(
            digest,
            "PU-INPUT-SBDH",
            f"the SBDH envelope holds {len(inner)} payload elements; exactly one is required",
            line=envelope.sourceline,
        )
    texts = [(envelope.text, envelope), *((child.tail, child) for child in envelope)]
    beside = next((node for text, node in texts if text and text.strip()), None)
    if beside is not None:
        return _refused(
            digest,
            "PU-INPUT-SBDH-TEXT",
            "the SBDH envelope has text beside its header and payload (in the envelope "
            f"element itself, after {_what(beside, envelope)}); it holds elements only",
            line=beside.sourceline,
        )
    return inner[0]


def _what(node: etree._Element, envelope: etree._Element) -> str:
    """What the text beside an SBDH payload follows, for the message."""
    if node is envelope:
        return "its start tag"
    if isinstance(node, etree._Comment):
        return "a comment"
    if isinstance(node, etree._ProcessingInstruction):
        return "a processing instruction"
    return _name(node)


def _name(element: etree._Element) -> str:
    """A short, printable name of an element for messages."""
    qname = etree.QName(element)
    text = f"'{qname.localname}' in namespace '{qname.namespace}'" if qname.namespace else (
        f"'{qname.localname}' in no namespace"
    )
    return text if len(text) <= 300 else text[:300] + "…"


def _refused(digest: str | None, rule_id: str, message: str, *, line: int | None = None,
             location: str | None = None) -> ParsedDocument:
    finding = Finding(rule_id, "fatal", "input", message, location, line)
    return ParsedDocument(digest, (finding,))
