"""The Schematron model: an assembled schema read into plain, typed values.

A ``Schema`` holds namespace bindings, variables (``let``), phases, concrete patterns
of rules, and the top-level XSLT declarations (``xsl:function``, ``xsl:key`` …) that the
compiled stylesheet carries over unchanged (other foreign top-level elements are data
the stylesheet has no use for, and are left out). Messages are kept as parts (literal text,
``value-of`` queries and ``name`` queries) so the compiler can build them per failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

from ...xml.namespaces import XSL
from .errors import SchematronError
from .include import SCH_NS, tag_text

__all__ = ["Check", "Let", "MessagePart", "Pattern", "Phase", "Rule", "Schema", "read_schema"]

_SCH = f"{{{SCH_NS}}}"
_QUERY_BINDINGS = frozenset({"xslt2", "xslt3", "xpath2", "xpath3", "xpath31"})
# Inline markup of messages whose text is kept and whose tags are dropped.
_INLINE = frozenset({f"{_SCH}emph", f"{_SCH}dir", f"{_SCH}span"})


@dataclass(frozen=True, slots=True)
class MessagePart:
    """One piece of a message: literal text, a ``value-of`` query or a ``name`` query."""

    kind: Literal["text", "value-of", "name"]
    value: str  # the text, the select expression, or the path ("" for the context node)


@dataclass(frozen=True, slots=True)
class Let:
    """A variable: ``value`` is an expression, or ``content`` a literal XML fragment."""

    name: str
    value: str | None
    content: etree._Element | None = None
    as_type: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """An ``assert`` (fails when its test is false) or a ``report`` (fires when true)."""

    kind: Literal["assert", "report"]
    test: str
    id: str
    flag: str | None
    role: str | None
    message: tuple[MessagePart, ...]
    diagnostics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """Checks that apply to the nodes matching ``context``; ``body`` is in source order."""

    context: str
    body: tuple[Let | Check, ...]

    @property
    def checks(self) -> tuple[Check, ...]:
        """The assertions and reports of the rule, in order."""
        return tuple(item for item in self.body if isinstance(item, Check))

    @property
    def lets(self) -> tuple[Let, ...]:
        """The rule's own variables, in order."""
        return tuple(item for item in self.body if isinstance(item, Let))


@dataclass(frozen=True, slots=True)
class Pattern:
    """An ordered list of rules of which at most the first matching one fires per node."""

    id: str | None
    lets: tuple[Let, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Phase:
    """A named selection of patterns, with variables of its own."""

    id: str
    active: tuple[str, ...]
    lets: tuple[Let, ...]


@dataclass(frozen=True, slots=True)
class Schema:
    """A complete, concrete Schematron schema."""

    title: str | None
    default_phase: str | None
    namespaces: tuple[tuple[str, str], ...]
    lets: tuple[Let, ...]
    phases: tuple[Phase, ...]
    patterns: tuple[Pattern, ...]
    diagnostics: dict[str, tuple[MessagePart, ...]]
    foreign: tuple[etree._Element, ...]

    def active_patterns(self, phase: str | None) -> tuple[tuple[Pattern, ...], tuple[Let, ...]]:
        """The patterns (and phase variables) of ``phase``: ``None`` means the default phase."""
        chosen = phase or self.default_phase or "#ALL"
        if chosen == "#ALL":
            return self.patterns, ()
        if chosen == "#DEFAULT":
            return self.active_patterns(self.default_phase)
        for candidate in self.phases:
            if candidate.id == chosen:
                wanted = set(candidate.active)
                missing = wanted - {p.id for p in self.patterns}
                if missing:
                    raise SchematronError(f"phase {chosen!r} activates unknown patterns: {', '.join(sorted(missing))}")
                return tuple(p for p in self.patterns if p.id in wanted), candidate.lets
        known = ", ".join(p.id for p in self.phases) or "none"
        raise SchematronError(f"unknown phase {chosen!r}; the schema defines: {known}")


def read_schema(root: etree._Element) -> Schema:
    """The model of an assembled ``sch:schema`` element (see ``include.assemble``)."""
    binding = root.get("queryBinding", "")
    if binding.lower() not in _QUERY_BINDINGS:
        raise SchematronError(
            f"queryBinding {binding!r} is not supported; use one of {', '.join(sorted(_QUERY_BINDINGS))}"
        )
    title = root.find(f"{_SCH}title")
    diagnostics: dict[str, tuple[MessagePart, ...]] = {}
    for block in root.iter(f"{_SCH}diagnostics"):
        for diagnostic in block.iter(f"{_SCH}diagnostic"):
            diagnostics[diagnostic.get("id", "")] = _message(diagnostic)
    return Schema(
        title=None if title is None else " ".join("".join(map(str, title.itertext())).split()),
        default_phase=root.get("defaultPhase"),
        namespaces=tuple((ns.get("prefix", ""), ns.get("uri", "")) for ns in root.iter(f"{_SCH}ns")),
        lets=_lets(root),
        phases=tuple(_phase(p) for p in root.iter(f"{_SCH}phase")),
        patterns=tuple(_pattern(p, n) for n, p in enumerate(root.iter(f"{_SCH}pattern"), start=1)),
        diagnostics=diagnostics,
        foreign=tuple(e for e in root if isinstance(e.tag, str) and e.tag.startswith(f"{{{XSL}}}")),
    )


def _lets(parent: etree._Element) -> tuple[Let, ...]:
    return tuple(_let(e) for e in parent.findall(f"{_SCH}let"))


def _let(element: etree._Element) -> Let:
    name = element.get("name")
    if not name:
        raise SchematronError("a let element has no name")
    value = element.get("value")
    content = None
    if value is None:
        children = [c for c in element if isinstance(c.tag, str)]
        if len(children) != 1:
            raise SchematronError(f"let {name!r} has neither a value nor a single element as content")
        content = children[0]
    return Let(name, value, content, element.get("as"))


def _phase(element: etree._Element) -> Phase:
    active = tuple(a.get("pattern", "") for a in element.findall(f"{_SCH}active"))
    return Phase(element.get("id", ""), active, _lets(element))


def _pattern(element: etree._Element, number: int) -> Pattern:
    if element.get("documents") is not None:
        raise SchematronError("pattern/@documents (validating other documents) is not supported")
    pattern_id = element.get("id")
    rules = tuple(
        _rule(r, f"{pattern_id or f'pattern-{number}'}-{k}")
        for k, r in enumerate(element.findall(f"{_SCH}rule"), start=1)
    )
    return Pattern(pattern_id, _lets(element), rules)


def _rule(element: etree._Element, label: str) -> Rule:
    context = element.get("context")
    if not context:
        raise SchematronError(f"rule {label} has no context")
    body: list[Let | Check] = []
    for child in element:
        if child.tag == f"{_SCH}let":
            body.append(_let(child))
        elif child.tag in (f"{_SCH}assert", f"{_SCH}report"):
            body.append(_check(child, f"{label}-{len(body) + 1}"))
    return Rule(context, tuple(body))


def _check(element: etree._Element, label: str) -> Check:
    test = element.get("test")
    if test is None:
        raise SchematronError(f"{tag_text(element)} {label} has no test")
    return Check(
        kind="assert" if element.tag == f"{_SCH}assert" else "report",
        test=test,
        id=element.get("id") or label,
        flag=element.get("flag"),
        role=element.get("role"),
        message=_message(element),
        diagnostics=tuple((element.get("diagnostics") or "").split()),
    )


def _message(element: etree._Element) -> tuple[MessagePart, ...]:
    parts: list[MessagePart] = []
    if element.text:
        parts.append(MessagePart("text", element.text))
    for child in element:
        if child.tag == f"{_SCH}value-of":
            parts.append(MessagePart("value-of", child.get("select", "")))
        elif child.tag == f"{_SCH}name":
            parts.append(MessagePart("name", child.get("path", "")))
        elif child.tag in _INLINE:
            parts.extend(_message(child))
        if child.tail:
            parts.append(MessagePart("text", child.tail))
    return tuple(parts)
