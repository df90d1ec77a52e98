"""XSD layer: checking a document against the OASIS UBL 2.1 schema of its type.

The Invoice and CreditNote schemas are compiled by lxml once per process. Every file they
read (the maindoc and each ``common/*.xsd`` it imports) comes through ``artifact_path``, so
all are hash-verified; any other reference is refused and nothing is fetched.

Each schema violation becomes a fatal finding with rule id ``PU-XSD``, the line of the
offending element, its location in the form every layer writes
(``/*:Invoice[1]/*:IssueDate[1]``, see :mod:`.locations`) and the
message with ``{namespace}name`` written as ``cbc:name``. ``test`` holds libxml2's error
type (e.g. ``SCHEMAV_ELEMENT_CONTENT``), for information only.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from lxml import etree

if TYPE_CHECKING:
    from lxml.etree._docloader import _InputDocument

from ..artifacts import artifact_path, bundles
from ..errors import ArtifactError
from ..findings import Finding
from ..xml.namespaces import UBL_PREFIXES
from ..xml.paths import Locator, find_element
from ..xml.safe import DocumentType
from .report import ArtifactRef

__all__ = ["XSD_BUNDLE", "XSD_RULE_ID", "schema_artefacts", "validate_schema"]

XSD_BUNDLE = "ubl-2.1"
XSD_RULE_ID = "PU-XSD"

_MAINDOCS: dict[DocumentType, str] = {
    "Invoice": "maindoc/UBL-Invoice-2.1.xsd",
    "CreditNote": "maindoc/UBL-CreditNote-2.1.xsd",
}
_PREFIXES = {uri: f"{prefix}:" if prefix else "" for uri, prefix in UBL_PREFIXES.items()}
_CLARK = re.compile(r"\{([^}]*)\}")


@dataclass(frozen=True)
class _Schema:
    """A compiled schema, the files it was built from, and the lock its error log needs."""

    schema: etree.XMLSchema
    files: tuple[ArtifactRef, ...]
    lock: threading.Lock


class _BundleResolver(etree.Resolver):
    """Serves every schema file from the verified bundle; refuses any other reference."""

    def __init__(self) -> None:
        super().__init__()
        bundle = bundles()[XSD_BUNDLE]
        located = {rel: artifact_path(XSD_BUNDLE, rel) for rel in bundle.files}
        roots = {path.parents[len(PurePosixPath(rel).parts) - 1] for rel, path in located.items()}
        self._known = {os.path.normpath(root / rel): rel for root in roots for rel in located}
        self._located = located
        self.used: list[str] = []

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> _InputDocument:
        local = system_url or ""
        if local.startswith("file:"):
            local = unquote(urlparse(local).path)
        rel = self._known.get(os.path.normpath(local))
        if rel is None:
            raise ArtifactError(
                f"the UBL schema refers to {system_url!r}, which is not a file of the pinned "
                f"{XSD_BUNDLE} bundle; refusing to load it"
            )
        if rel not in self.used:
            self.used.append(rel)
        return self.resolve_filename(str(self._located[rel]), context)


@cache
def _schema(document_type: DocumentType) -> _Schema:
    """Compile the schema for ``document_type`` (once per process)."""
    resolver = _BundleResolver()
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities="internal")
    parser.resolvers.add(resolver)
    maindoc = _MAINDOCS[document_type]
    tree = etree.parse(str(artifact_path(XSD_BUNDLE, maindoc)), parser)
    try:
        schema = etree.XMLSchema(tree)
    except etree.XMLSchemaParseError as exc:
        raise ArtifactError(f"the UBL 2.1 schema {maindoc} cannot be compiled: {exc}") from exc
    bundle = bundles()[XSD_BUNDLE]
    files = tuple(
        ArtifactRef(XSD_BUNDLE, bundle.version, rel, bundle.files[rel].sha256)
        for rel in resolver.used
    )
    return _Schema(schema, files, threading.Lock())


def schema_artefacts(document_type: DocumentType) -> tuple[ArtifactRef, ...]:
    """The official files the schema for ``document_type`` is compiled from."""
    return _schema(document_type).files


def validate_schema(root: etree._Element, document_type: DocumentType) -> list[Finding]:
    """The schema violations of the document rooted at ``root`` (empty when valid)."""
    loaded = _schema(document_type)
    with loaded.lock:
        loaded.schema.validate(root)
        errors = list(loaded.schema.error_log)
    locator = Locator()
    return [
        Finding(
            XSD_RULE_ID,
            "warning" if error.level < etree.ErrorLevels.ERROR else "fatal",
            "xsd",
            _readable(error.message),
            _location(root, locator, error.path, document_type),
            error.line or None,
            error.type_name,
        )
        for error in errors
    ]


def _readable(message: str) -> str:
    """libxml2's message with ``{namespace}`` written as the usual UBL prefix."""
    return _CLARK.sub(lambda m: _PREFIXES.get(m.group(1), m.group(0)), message).strip()


def _location(root: etree._Element, locator: Locator, path: str | None, root_name: str) -> str | None:
    """The location of the element libxml2 names by ``path`` (its own form, whose
    anonymous root step ``/*`` is named first); libxml2's path when it selects nothing."""
    if not path:
        return None
    named = f"/{root_name}{path[2:]}" if path == "/*" or path.startswith("/*/") else path
    element = find_element(root, named)
    return locator.path(element) if element is not None else named
