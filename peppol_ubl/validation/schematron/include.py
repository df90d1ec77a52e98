"""Schematron assembly: includes resolved, abstract patterns and abstract rules expanded.

The result is one ``sch:schema`` tree with no ``include``, no abstract pattern or rule
and no ``is-a`` or ``extends``, ready to be read into the model. It follows ISO/IEC
19757-3: ``include`` is replaced by the root element of the file it names;
``extends href`` (schema level) brings in the children of another schema; a pattern
with ``is-a`` is a copy of the abstract pattern's content with every ``$param``
reference in its query attributes replaced by the parameter's text; a rule's
``extends rule`` is replaced by the content of the abstract rule it names.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ...xml.namespaces import SCHEMATRON
from .errors import SchematronError

__all__ = ["SCH_NS", "Assembled", "assemble", "tag_text"]

SCH_NS = SCHEMATRON
_SCH = f"{{{SCH_NS}}}"
# Attributes whose values are queries (or messages built from queries) in which
# abstract-pattern parameters are substituted.
_QUERY_ATTRIBUTES = ("context", "test", "select", "path", "value", "subject")
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


def assemble(sch_path: Path) -> Assembled:
    """Read a Schematron file, resolve its includes and expand its abstract parts."""
    files: list[Path] = []
    root = _load(sch_path.resolve(), files, ())
    if root.tag != f"{_SCH}schema":
        raise SchematronError(f"{sch_path}: the root element is {tag_text(root)}, not sch:schema")
    _expand_abstract_patterns(root)
    _expand_abstract_rules(root)
    return Assembled(root, tuple(files))


def _load(path: Path, files: list[Path], chain: tuple[Path, ...]) -> etree._Element:
    if path in chain:
        raise SchematronError(f"{path}: include cycle through {' -> '.join(map(str, chain))}")
    try:
        root = etree.parse(str(path), _PARSER).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SchematronError(f"{path}: cannot read Schematron: {exc}") from exc
    files.append(path)
    _resolve_includes(root, path, files, (*chain, path))
    return root


def _resolve_includes(root: etree._Element, path: Path, files: list[Path], chain: tuple[Path, ...]) -> None:
    for element in list(root.iter(f"{_SCH}include", f"{_SCH}extends")):
        href = element.get("href")
        if href is None:
            continue  # extends rule="…" is handled with the abstract rules
        included = _load((path.parent / href).resolve(), files, chain)
        parent = element.getparent()
        if parent is None:
            raise SchematronError(f"{path}: an include cannot be the root element")
        index = parent.index(element)
        parent.remove(element)
        if element.tag == f"{_SCH}include":
            parent.insert(index, included)
        else:
            for offset, child in enumerate(list(included)):
                parent.insert(index + offset, child)


def _substitute(text: str, params: dict[str, str]) -> str:
    if not params:
        return text
    names = "|".join(re.escape(n) for n in sorted(params, key=len, reverse=True))
    return re.sub(rf"\$({names})(?![\w.\-])", lambda m: params[m.group(1)], text)


def _expand_abstract_patterns(root: etree._Element) -> None:
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
            instance = copy.deepcopy(child)
            for element in instance.iter():
                if isinstance(element.tag, str) and element.tag.startswith(_SCH):
                    for name in _QUERY_ATTRIBUTES:
                        value = element.get(name)
                        if value is not None:
                            element.set(name, _substitute(value, params))
            pattern.append(instance)
        del pattern.attrib["is-a"]
    for pattern in abstract.values():
        parent = pattern.getparent()
        if parent is not None:
            parent.remove(pattern)


def _expand_abstract_rules(root: etree._Element) -> None:
    for pattern in root.iter(f"{_SCH}pattern"):
        rules = pattern.findall(f"{_SCH}rule")
        abstract = {r.get("id"): r for r in rules if r.get("abstract") == "true"}
        for rule in rules:
            _inline_extends(rule, abstract, ())
        for rule in abstract.values():
            pattern.remove(rule)


def _inline_extends(rule: etree._Element, abstract: dict[str | None, etree._Element], chain: tuple[str, ...]) -> None:
    for extends in rule.findall(f"{_SCH}extends"):
        name = extends.get("rule")
        base = abstract.get(name)
        if name is None or base is None:
            raise SchematronError(f"rule {rule.get('context')!r}: extends names no abstract rule {name!r}")
        if name in chain:
            raise SchematronError(f"abstract rule {name!r} extends itself")
        _inline_extends(base, abstract, (*chain, name))
        index = rule.index(extends)
        rule.remove(extends)
        for offset, child in enumerate(base):
            rule.insert(index + offset, copy.deepcopy(child))
