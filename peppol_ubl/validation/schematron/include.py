"""Schematron assembly: includes resolved, abstract patterns and abstract rules expanded.

The result is one ``sch:schema`` tree with no ``include``, no abstract pattern or rule
and no ``is-a`` or ``extends``, ready to be read into the model. It follows ISO/IEC
19757-3: ``include`` is replaced by the root element of the file it names (which must
be a Schematron element); ``extends href`` (schema level) brings in the children of
another schema; a pattern with ``is-a`` is a copy of the abstract pattern's content
with every ``$param`` reference in its query attributes replaced by the parameter's
text; a rule's ``extends rule`` is replaced by the content of the abstract rule it
names. A top-level ``xsl:include`` is replaced by the declarations of the stylesheet
module it names (textual inclusion, as XSLT defines it), so Saxon never fetches it.

Every file is read once: its SHA-256 is taken of the bytes that were parsed, and the
assembly remembers which file each element came from (``Assembled.where``). With
``within`` set (user rules), an included file must lie in that folder or below it.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ...xml.namespaces import SCHEMATRON, XSL
from .errors import SchematronError

__all__ = ["QUERY_ATTRIBUTES", "SCH_NS", "Assembled", "assemble", "tag_text"]

SCH_NS = SCHEMATRON
_SCH = f"{{{SCH_NS}}}"
_XSL = f"{{{XSL}}}"
QUERY_ATTRIBUTES = ("context", "test", "select", "path", "value", "subject")
"""Attributes of Schematron elements whose values are queries (abstract-pattern
parameters are substituted in them)."""
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def tag_text(element: etree._Element) -> str:
    """The tag of ``element`` as text for messages (``{namespace}local``).

    A parsed element's tag is always ``str``; lxml also allows ``bytes`` (and ``QName``)
    for tags set by hand, which are decoded rather than shown as ``b'...'``.
    """
    tag = element.tag
    return tag.decode() if isinstance(tag, (bytes, bytearray)) else str(tag)


@dataclass(frozen=True, slots=True)
class Assembled:
    """A schema with everything included and expanded, and the files it was read from."""

    root: etree._Element
    files: tuple[Path, ...]
    sha256: tuple[str, ...]
    """The SHA-256 of each file's bytes as parsed, in the order of ``files``."""
    origins: dict[etree._Element, Path] = field(repr=False, compare=False)
    """The file of each element that was read from, or copied out of, another file's tree."""

    def file_of(self, element: etree._Element) -> Path:
        """The file ``element`` was written in."""
        return _origin(element, self.origins) or self.files[0]

    def where(self, element: etree._Element) -> str:
        """``file:line`` of ``element``, for messages."""
        return f"{self.file_of(element)}:{element.sourceline}"


def assemble(sch_path: Path, *, within: Path | None = None) -> Assembled:
    """Read a Schematron file, resolve its includes and expand its abstract parts.

    ``within``: the folder every included file must be in (or below); ``None``: anywhere.
    """
    reader = _Reader(within.resolve() if within is not None else None)
    root = reader.load(sch_path.resolve(), ())
    if root.tag != f"{_SCH}schema":
        raise SchematronError(f"{sch_path}: the root element is {tag_text(root)}, not sch:schema")
    reader.include_stylesheets(root)
    _expand_abstract_patterns(root, reader.origins)
    _expand_abstract_rules(root, reader.origins)
    return Assembled(root, tuple(reader.files), tuple(reader.sha256), reader.origins)


@dataclass(slots=True)
class _Reader:
    """The files read so far, their digests, and where each element came from."""

    within: Path | None
    files: list[Path] = field(default_factory=list)
    sha256: list[str] = field(default_factory=list)
    origins: dict[etree._Element, Path] = field(default_factory=dict)

    def parse(self, path: Path, chain: tuple[Path, ...], what: str = "Schematron") -> etree._Element:
        if path in chain:
            raise SchematronError(f"{path}: include cycle through {' -> '.join(map(str, chain))}")
        try:
            data = path.read_bytes()
            root = etree.fromstring(data, _PARSER, base_url=str(path))
        except (OSError, etree.XMLSyntaxError) as exc:
            raise SchematronError(f"{path}: cannot read {what}: {exc}") from exc
        self.files.append(path)
        self.sha256.append(hashlib.sha256(data).hexdigest())
        self.origins[root] = path
        return root

    def load(self, path: Path, chain: tuple[Path, ...]) -> etree._Element:
        root = self.parse(path, chain)
        self._resolve_includes(root, path, (*chain, path))
        return root

    def target(self, element: etree._Element, path: Path) -> Path:
        """The file an ``href`` names, relative to the file holding it (and within bounds)."""
        href = element.get("href", "")
        resolved = (path.parent / href).resolve()
        if self.within is not None and not resolved.is_relative_to(self.within):
            raise SchematronError(
                f"{path}:{element.sourceline}: {_written(element)} href={href!r} is not beside the schema: "
                f"user rules may include only files in {self.within} or below it"
            )
        return resolved

    def _resolve_includes(self, root: etree._Element, path: Path, chain: tuple[Path, ...]) -> None:
        for element in list(root.iter(f"{_SCH}include", f"{_SCH}extends")):
            if element.get("href") is None:
                continue  # extends rule="…" is handled with the abstract rules
            target = self.target(element, path)
            included = self.load(target, chain)
            if not isinstance(included.tag, str) or not included.tag.startswith(_SCH):
                raise SchematronError(
                    f"{path}:{element.sourceline}: {_written(element)} href={element.get('href')!r}: the root element "
                    f"of {target} is not a Schematron element"
                )
            parent = element.getparent()
            if parent is None:
                raise SchematronError(f"{path}: an include cannot be the root element")
            index = parent.index(element)
            parent.remove(element)
            if element.tag == f"{_SCH}include":
                parent.insert(index, included)
                continue
            for offset, child in enumerate(list(included)):
                self.origins[child] = target
                parent.insert(index + offset, child)

    def include_stylesheets(self, root: etree._Element) -> None:
        """Replace each top-level ``xsl:include`` by the declarations of the module it names."""
        for element in list(root):
            if element.tag == f"{_XSL}include":
                path = self.file_of(element)
                declarations = self._declarations(self.target(element, path), (path,))
                index = root.index(element)
                root.remove(element)
                for offset, declaration in enumerate(declarations):
                    root.insert(index + offset, declaration)

    def _declarations(self, path: Path, chain: tuple[Path, ...]) -> list[etree._Element]:
        module = self.parse(path, chain, "the stylesheet")
        if module.tag not in (f"{_XSL}stylesheet", f"{_XSL}transform"):
            raise SchematronError(f"{path}: xsl:include names a file whose root is {tag_text(module)}, not a stylesheet")
        declarations: list[etree._Element] = []
        for child in module:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{_XSL}include":
                declarations += self._declarations(self.target(child, path), (*chain, path))
                continue
            declaration = _copy_in_scope(child)
            self.origins[declaration] = path
            declarations.append(declaration)
        return declarations

    def file_of(self, element: etree._Element) -> Path:
        return _origin(element, self.origins) or self.files[0]


def _copy_in_scope(element: etree._Element) -> etree._Element:
    """A deep copy of ``element`` declaring every namespace in scope where it stood
    (its XPath may use prefixes declared on the stylesheet it is taken out of)."""
    duplicate = copy.deepcopy(element)
    in_scope = {prefix: uri for prefix, uri in element.nsmap.items() if prefix}
    etree.cleanup_namespaces(duplicate, top_nsmap=in_scope, keep_ns_prefixes=list(in_scope))
    return duplicate


def _written(element: etree._Element) -> str:
    """``include``, ``extends`` or ``xsl:include``, as in messages."""
    local = etree.QName(element).localname
    return f"xsl:{local}" if tag_text(element).startswith(_XSL) else local


def _substitute(text: str, params: dict[str, str]) -> str:
    if not params:
        return text
    names = "|".join(re.escape(n) for n in sorted(params, key=len, reverse=True))
    return re.sub(rf"\$({names})(?![\w.\-])", lambda m: params[m.group(1)], text)


def _origin(element: etree._Element, origins: dict[etree._Element, Path]) -> Path | None:
    """The file of the nearest ancestor-or-self of ``element`` whose origin is known."""
    node: etree._Element | None = element
    while node is not None:
        if node in origins:
            return origins[node]
        node = node.getparent()
    return None


def _copy_from(element: etree._Element, origins: dict[etree._Element, Path]) -> etree._Element:
    """A deep copy of ``element`` that remembers the file the original came from."""
    duplicate = copy.deepcopy(element)
    origin = _origin(element, origins)
    if origin is not None:
        origins[duplicate] = origin
    return duplicate


def _expand_abstract_patterns(root: etree._Element, origins: dict[etree._Element, Path]) -> None:
    patterns = list(root.iter(f"{_SCH}pattern"))
    abstract = {p.get("id"): p for p in patterns if p.get("abstract") == "true"}
    for pattern in patterns:
        base_id = pattern.get("is-a")
        if base_id is None:
            continue
        base = abstract.get(base_id)
        if base is None:
            raise SchematronError(f"pattern {pattern.get('id')!r}: is-a names no abstract pattern {base_id!r}")
        params = {p.get("name", ""): p.get("value", "") for p in pattern.findall(f"{_SCH}param")}
        for child in list(pattern):
            if child.tag == f"{_SCH}param":
                pattern.remove(child)
        for child in base:
            instance = _copy_from(child, origins)
            for element in instance.iter():
                if isinstance(element.tag, str) and element.tag.startswith(_SCH):
                    for name in QUERY_ATTRIBUTES:
                        value = element.get(name)
                        if value is not None:
                            element.set(name, _substitute(value, params))
            pattern.append(instance)
        del pattern.attrib["is-a"]
    for pattern in abstract.values():
        parent = pattern.getparent()
        if parent is not None:
            parent.remove(pattern)


def _expand_abstract_rules(root: etree._Element, origins: dict[etree._Element, Path]) -> None:
    for pattern in root.iter(f"{_SCH}pattern"):
        rules = pattern.findall(f"{_SCH}rule")
        abstract = {r.get("id"): r for r in rules if r.get("abstract") == "true"}
        for rule in rules:
            _inline_extends(rule, abstract, (), origins)
        for rule in abstract.values():
            pattern.remove(rule)


def _inline_extends(
    rule: etree._Element,
    abstract: dict[str | None, etree._Element],
    chain: tuple[str, ...],
    origins: dict[etree._Element, Path],
) -> None:
    for extends in rule.findall(f"{_SCH}extends"):
        name = extends.get("rule")
        base = abstract.get(name)
        if name is None or base is None:
            raise SchematronError(f"rule {rule.get('context')!r}: extends names no abstract rule {name!r}")
        if name in chain:
            raise SchematronError(f"abstract rule {name!r} extends itself")
        _inline_extends(base, abstract, (*chain, name), origins)
        index = rule.index(extends)
        rule.remove(extends)
        for offset, child in enumerate(base):
            rule.insert(index + offset, _copy_from(child, origins))
