"""The Schematron compiler: a concrete schema emitted as an XSLT 3.0 stylesheet.

Semantics (ISO/IEC 19757-3) and how they are realised:

* the document node and every element and attribute are visited once, in document
  order (one traversal for all patterns); at each node each active pattern that can
  match it is asked for its first matching rule: a template of that pattern's mode
  whose priority falls with the rule's position;
* each ``assert``/``report`` runs inside ``xsl:try``: a test (or message) that raises
  a dynamic error becomes a failure of that check carrying the error text (a check
  that cannot raise one, a test ``safe_tests`` knows to be total with a message of
  text alone, is emitted without);
* a rule with many asserts that a plain path selects nothing asks once whether any of
  the paths does, and runs those asserts only then, from a table (``absent``);
* a ``//name`` path that a rule's tests write more than once is a variable of the rule,
  walked once (``descendants``), and so is a filter of it that they write more than
  once (``filters``);
* a run of asserts that hold by implication when no node of their paths has one key
  (CEN's "if the document has a VAT category of code X, then …") runs only when a node
  has it, as one global variable of the keys no such path has tells (``implications``);
* rule ``let``\\s are local variables; a rule whose variables raise reports all its
  checks as failed. Schema, phase and pattern ``let``\\s are global variables
  (evaluated on the document node) that hold an error marker if they raise, so only
  the checks using them fail; a pattern's variables are declared even when it has no
  rules (XRechnung's variables-only pattern serves the rules of all the others);
* a rule context is the template's match pattern as written (but for the rewrites of
  ``patterns``, which match the same nodes of a document more cheaply), so a context
  that raises a dynamic error on a node does not match it (XSLT 3.0, errors in
  patterns) and the pattern's next rule may match there, as in ph-schematron and
  SchXslt: nothing is reported for a rule whose context raised (Saxon notes the error
  as a warning on standard error);
* the principal result is a JSON array of failures (see ``entries``), each giving its
  check by number in the table of fixed fields the stylesheet holds (see ``table``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ...xml.namespaces import XS
from .absent import SELECTS, absence_guard, absent_branches, add_selects_function, fires_per_branch, table_branches
from .descendants import rewrite_descendants, shared_descendants
from .entries import (
    ERR,
    MAP,
    LET_ERROR_KEY,
    OWN,
    XSL,
    add_location_function,
    entry,
    error_entry,
    literal,
    message_expression,
    static_message,
)
from .errors import SchematronError
from .filters import rewrite_filters, shared_filters
from .implications import LACKING, Probe, lacking, probes
from .lookups import CodeSet, code_lists, rewrite_lookups, rewrite_membership
from .model import Check, Let, Pattern, Rule, Schema
from .patterns import cannot_match, match_pattern, pattern_guard
from .safe_tests import cannot_raise
from .table import Row, table_element
from .xpath_text import final_element_names, may_match_attributes, names, variable_references

__all__ = ["emit_xslt"]

_XSL_NS = XSL[1:-1]
_ERR_DESCRIPTION = f"${ERR}description"
_GUARD = f"{OWN}absent"
"""The variable holding a rule's guard (see ``absent``)."""


@dataclass(slots=True)
class _Emitter:
    """The stylesheet being written and what the checks need to know about globals."""

    sheet: etree._Element
    schema: Schema
    global_lets: frozenset[str]
    code_sets: dict[tuple[str, ...], CodeSet] = field(default_factory=dict)
    """The code lists the checks look up (see ``lookups``), declared once each."""
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The global variables that are code lists, with their codes (see ``lookups``)."""
    namespaces: dict[str, str] = field(default_factory=dict)
    """The schema's prefixes and their namespaces."""
    tabled: bool = False
    """Whether a rule asks asserts through a table (``absent``: declare ``selects``)."""
    probed: dict[Probe, None] = field(default_factory=dict)
    """The probes of the runs of asserts asked only when their key is not ``LACKING``
    (``implications``), in order: the global variable is declared for them."""
    rows: list[Row] = field(default_factory=list)
    """The fixed fields of each check, by number (``table``)."""
    numbers: dict[Check, int] = field(default_factory=dict)
    """The number of each check written to ``rows``."""

    def number(self, check: Check) -> int:
        """The number of ``check`` in the table, its row written when first asked."""
        known = self.numbers.get(check)
        if known is None:
            known = self.numbers[check] = len(self.rows)
            message = static_message(check, self.schema.diagnostics)
            self.rows.append((check.id, check.flag, check.role, check.test, message))
        return known

    def failed_lets(self, expression: str, hidden: frozenset[str] = frozenset()) -> list[str]:
        """The global variables ``expression`` uses (those a rule variable hides aside)."""
        return variable_references(expression, self.global_lets - hidden)


def emit_xslt(schema: Schema, phase: str | None = None) -> str:
    """The XSLT 3.0 stylesheet that validates a document against ``schema`` in ``phase``."""
    active, phase_lets = schema.active_patterns(phase)
    global_lets = (*schema.lets, *phase_lets, *(let for p in active for let in p.lets))
    patterns = tuple(p for p in active if p.rules)  # a pattern without rules only declares variables
    _refuse_shared_names(global_lets)
    sheet = etree.Element(
        f"{XSL}stylesheet", {"version": "3.0", "exclude-result-prefixes": "#all"}, nsmap=_namespaces(schema)
    )
    emitter = _Emitter(sheet, schema, frozenset(let.name for let in global_lets if let.value is not None),
                       lists=code_lists(global_lets), namespaces=dict(schema.namespaces))
    _xsl(sheet, "output", method="json", encoding="UTF-8")
    for element in schema.foreign:
        sheet.append(copy.deepcopy(element))
    for let in global_lets:
        _global_let(sheet, let)
    add_location_function(sheet)
    _walk(sheet, schema, patterns, frozenset(let.name for let in global_lets))
    before_patterns = len(sheet)
    for number, pattern in enumerate(patterns, start=1):
        _pattern(emitter, pattern, _mode(number))
    for offset, code_set in enumerate(emitter.code_sets.values()):
        sheet.insert(before_patterns + offset, _code_set(code_set))
    if emitter.tabled:
        add_selects_function(sheet)
    if emitter.probed:
        holder = _xsl(sheet, "variable", name=LACKING, **{"as": "map(*)"})
        _xsl(_xsl(holder, "try", select=lacking(emitter.probed)), "catch", select="map{}")
    sheet.insert(0, table_element(emitter.rows))
    return etree.tostring(sheet, encoding="unicode")


def _code_set(code_set: CodeSet) -> etree._Element:
    """A map from each code of a code list to ``true()``: a static variable, built once
    when Saxon compiles the stylesheet rather than at every transformation (declared
    before the templates that use it, where a static variable is in scope)."""
    codes = ", ".join(literal(code) for code in code_set.codes)
    return etree.Element(f"{XSL}variable", {
        "name": code_set.name, "static": "yes", "as": "map(*)",
        "select": f"{MAP}merge(for $c in ({codes}) return map{{$c: true()}})"})


def _namespaces(schema: Schema) -> dict[str, str]:
    """The stylesheet's namespaces: those of the schema, then the other prefixes in scope
    of the XSLT content copied into it (a copy keeps only the declarations made inside
    it, and lxml drops one of a URI its new ancestors bind under another prefix: either
    would unbind a prefix its XPath text uses)."""
    nsmap = {"xsl": _XSL_NS, **{prefix: uri for prefix, uri in schema.namespaces if prefix != "xsl"}}
    for element in _copied(schema):
        for prefix, uri in element.nsmap.items():
            if prefix is not None:
                nsmap.setdefault(prefix, uri)
    return nsmap


def _copied(schema: Schema) -> Iterator[etree._Element]:
    """The XSLT content copied into the stylesheet: declarations and ``let`` content."""
    yield from schema.foreign
    rule_lets = (let for pattern in schema.patterns for rule in pattern.rules for let in rule.lets)
    pattern_lets = (let for pattern in schema.patterns for let in pattern.lets)
    phase_lets = (let for phase in schema.phases for let in phase.lets)
    for let in (*schema.lets, *phase_lets, *pattern_lets, *rule_lets):
        if let.content is not None:
            yield let.content


def _refuse_shared_names(lets: tuple[Let, ...]) -> None:
    """Schema, phase and pattern variables are global here: each name may be declared once."""
    seen: set[str] = set()
    for let in lets:
        if let.name in seen:
            raise SchematronError(
                f"variable ${let.name} is declared more than once at schema, phase or pattern level; "
                "this engine makes those variables global, so their names must differ"
            )
        seen.add(let.name)


def _xsl(parent: etree._Element, tag: str, /, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{XSL}{tag}", attributes)


def _mode(number: int) -> str:
    return f"{OWN}pattern-{number}"


def _walk(sheet: etree._Element, schema: Schema, patterns: tuple[Pattern, ...], variables: frozenset[str]) -> None:
    """The entry template and the single traversal that asks the patterns at every node.

    The traversal is one ``apply-templates`` over the document node and its descendant
    elements, in document order, rather than a template that recurses into the children
    of each: the same visits in the same order, about 3 % quicker on Peppol's stylesheet
    for the official examples and 16 % on 1,000 lines (CEN's: 2 % and 1 %).

    A pattern whose rules can only match elements of known names is asked only at
    elements of those names (a walk template per name, found by Saxon's name index);
    the others are asked everywhere, but at the elements of those names, and of the other
    names the rules write, where none of their rules can match (``patterns.cannot_match``;
    on Peppol 3.0.21's examples this spares CEN's rules of every element named ``…Amount``
    or ``…BinaryObject`` at nine elements in ten, 10 to 15 % of its stylesheet's time).
    A pattern that has a guard
    (``patterns.pattern_guard``, on the global ``variables``) is asked only when the
    guard, a global variable evaluated once per document, is true.
    """
    root = _xsl(sheet, "template", match="/")
    found = _xsl(root, "variable", name=f"{OWN}found", **{"as": "array(*)*"})
    _xsl(found, "apply-templates", select="(., descendant::*)", mode=f"{OWN}walk")
    _xsl(root, "sequence", select=f"array{{${OWN}found}}")
    namespaces = dict(schema.namespaces)
    everywhere: list[int] = []
    by_name: dict[str, list[int]] = {}
    for number, pattern in enumerate(patterns, start=1):
        names = _element_names(pattern, namespaces)
        if names is None:
            everywhere.append(number)
        for name in sorted(names or ()):  # in one order whatever the hash seed: the same text each time
            by_name.setdefault(name, []).append(number)
    attributes = [n for n, p in enumerate(patterns, start=1) if any(may_match_attributes(r.context) for r in p.rules)]
    guarded = _guards(sheet, patterns, variables)
    _walk_template(sheet, "document-node() | *", everywhere, attributes, guarded).set("priority", "-1")
    for name, numbers in by_name.items():
        anywhere = [n for n in everywhere if _may_match(patterns[n - 1], name, namespaces)]
        _walk_template(sheet, name, sorted({*anywhere, *numbers}), attributes, guarded)
    for name in sorted(_written_names(patterns, namespaces) - by_name.keys()):
        anywhere = [n for n in everywhere if _may_match(patterns[n - 1], name, namespaces)]
        if anywhere != everywhere:
            _walk_template(sheet, name, anywhere, attributes, guarded)


def _written_names(patterns: tuple[Pattern, ...], namespaces: dict[str, str]) -> set[str]:
    """The expanded names (``Q{uri}local``) of the names with a namespace that the rules'
    contexts, variables and tests write: the elements a document of the schema is likely
    to hold (attribute and type names among them only cost a template each)."""
    found: set[str] = set()
    for pattern in patterns:
        for rule in pattern.rules:
            for text in (rule.context, *(item.test if isinstance(item, Check) else item.value or ""
                                         for item in rule.body)):
                for name in names(text):
                    if name.use == "name" and name.uri is not None:
                        found.add(f"Q{{{name.uri}}}{name.local}")
                    elif name.use == "name" and name.prefix in namespaces:
                        found.add(f"Q{{{namespaces[name.prefix]}}}{name.local}")
    return found


def _guards(sheet: etree._Element, patterns: tuple[Pattern, ...], variables: frozenset[str]) -> frozenset[int]:
    """The numbers of the patterns that have a guard, each declared as the global
    variable ``_live``: true when the guard is, or raises (then the pattern is asked
    as if it had none)."""
    guarded: set[int] = set()
    for number, pattern in enumerate(patterns, start=1):
        guard = pattern_guard((rule.context for rule in pattern.rules), variables)
        if guard is None:
            continue
        variable = _xsl(sheet, "variable", name=_live(number), **{"as": f"Q{{{XS}}}boolean"})
        _xsl(_xsl(variable, "try", select=f"boolean({guard})"), "catch", select="true()")
        guarded.add(number)
    return frozenset(guarded)


def _live(number: int) -> str:
    return f"{OWN}live-{number}"


def _may_match(pattern: Pattern, name: str, namespaces: dict[str, str]) -> bool:
    """Whether a rule of a pattern asked at every element may match an element named
    ``name`` (``Q{uri}local``): a rule of any element that ``cannot_match`` does not
    rule out for its local name, or one naming it (or a name the stylesheet cannot
    resolve here)."""
    local = name.rpartition("}")[2]
    for rule in pattern.rules:
        written = final_element_names(rule.context)
        if written is None:
            if not cannot_match(rule.context, local):
                return True
            continue
        for qname in written:
            prefix, _, own = qname.rpartition(":")
            if (prefix and prefix not in namespaces) or f"Q{{{namespaces.get(prefix, '')}}}{own}" == name:
                return True
    return False


def _element_names(pattern: Pattern, namespaces: dict[str, str]) -> set[str] | None:
    """The expanded names (``Q{uri}local``) of the elements the pattern's rules can match."""
    names: set[str] = set()
    for rule in pattern.rules:
        written = final_element_names(rule.context)
        if written is None:
            return None
        for qname in written:
            prefix, _, local = qname.rpartition(":")
            if prefix and prefix not in namespaces:
                return None  # an undeclared prefix: let Saxon report it where it is used
            names.add(f"Q{{{namespaces.get(prefix, '')}}}{local}")
    return names


def _walk_template(sheet: etree._Element, match: str, numbers: list[int], attributes: list[int],
                   guarded: frozenset[int]) -> etree._Element:
    walk = _xsl(sheet, "template", match=match, mode=f"{OWN}walk")
    for select, asked in ((".", numbers), ("@*", attributes)):
        for number in asked:
            parent = _xsl(walk, "if", test=f"${_live(number)}") if number in guarded else walk
            _xsl(parent, "apply-templates", select=select, mode=_mode(number))
    return walk


def _global_let(sheet: etree._Element, let: Let) -> None:
    """A schema, phase or pattern variable; if its value raises, it holds an error marker."""
    variable = _xsl(sheet, "variable", name=let.name)
    if let.content is not None:
        variable.set("as", "node()*")
        variable.append(copy.deepcopy(let.content))
        return
    variable.set("as", "item()*")
    attempt = _xsl(variable, "try")
    inner = _xsl(attempt, "variable", name=f"{OWN}value", select=let.value or "()")
    if let.as_type:
        inner.set("as", let.as_type)
    _xsl(attempt, "sequence", select=f"${OWN}value")
    _xsl(attempt, "catch", select=f"map{{{literal(LET_ERROR_KEY)}: {_ERR_DESCRIPTION}}}")


def _pattern(emitter: _Emitter, pattern: Pattern, mode: str) -> None:
    _xsl(emitter.sheet, "mode", name=mode, **{"on-no-match": "deep-skip"})
    # deep-skip would descend from an unmatched document node; the walk already does
    _xsl(emitter.sheet, "template", match="document-node()", mode=mode, priority="0")
    count = len(pattern.rules)
    for index, rule in enumerate(pattern.rules):
        template = _xsl(emitter.sheet, "template", match=match_pattern(rule.context), mode=mode,
                        priority=str(count - index))
        _rule(emitter, template, rule)


def _rule(emitter: _Emitter, template: etree._Element, rule: Rule) -> None:
    if not rule.lets:
        _body(emitter, template, rule)
        return
    attempt = _xsl(template, "try")
    _body(emitter, attempt, rule)
    lets_text = " ".join(let.value or "" for let in rule.lets)
    hidden = frozenset(let.name for let in rule.lets)
    failures = [error_entry(emitter.number(check), emitter.failed_lets(lets_text, hidden)) for check in rule.checks]
    _xsl(attempt, "catch", select=", ".join(failures) or "()")


def _body(emitter: _Emitter, parent: etree._Element, rule: Rule) -> None:
    """The rule's variables and checks in order, after the variables of the ``//name``
    paths its tests share (``descendants``) and of the filters of those they share
    (``filters``). When the rule has many asserts of a plain path, the guard of
    ``absent`` is a variable first, and each run of such asserts is emitted inside one
    ``xsl:if`` on it, those with a message of text alone as the rows of one table (every
    other item as it is)."""
    hidden = frozenset(let.name for let in rule.lets)  # the global variables the rule's own hide
    guard = absence_guard(check.test for check in rule.checks if check.kind == "assert")
    emitted = [check.test for check in rule.checks  # the guarded asserts do not read variables
               if guard is None or check.kind != "assert" or absent_branches(check.test) is None]
    descendants = shared_descendants(emitted)
    read = [_rewritten(emitter, test, hidden, descendants) for test in emitted]
    scope = _Scope(hidden, descendants, shared_filters(read, descendants.values()))
    for name, variable in scope.descendants.items():
        _xsl(parent, "variable", name=variable, select=f"//{name}")
    for text, variable in scope.filters.items():  # an empty map when it raises: see filters
        holder = _xsl(parent, "variable", name=variable, **{"as": "item()*"})
        _xsl(_xsl(holder, "try", select=text), "catch", select="map{}")
    if guard is None:
        _items(emitter, parent, rule.body, scope)
        return
    _xsl(parent, "variable", name=_GUARD, select=guard)
    run: etree._Element | None = None
    rows: list[list[object]] = []
    for item in rule.body:
        branches = absent_branches(item.test) if isinstance(item, Check) and item.kind == "assert" else None
        if branches is None:
            _table(emitter, run, rows)
            run = None
            _items(emitter, parent, (item,), scope)
            continue
        assert isinstance(item, Check)
        if run is None:
            run = _xsl(parent, "if", test=f"${_GUARD}")
        table = table_branches(branches, emitter.namespaces) if _text_message(emitter, item) else None
        if table is not None:
            rows.append([table, emitter.number(item)])
            continue
        _table(emitter, run, rows)
        _items(emitter, run, (item,), scope)
    _table(emitter, run, rows)


def _table(emitter: _Emitter, run: etree._Element | None, rows: list[list[object]]) -> None:
    """The asserts of ``rows`` (then emptied) as one instruction at the end of ``run``:
    the table parsed from its JSON text, a failure for each row whose branches select a
    node, in the rows' order."""
    if run is None or not rows:
        return
    emitter.tabled = True
    row = f"${OWN}row"
    number = f"Q{{{XS}}}integer({row}(2))"  # parse-json reads a number as a double
    _xsl(run, "sequence", select=(
        f"for {row} in parse-json({literal(json.dumps(rows, ensure_ascii=False))})?* "
        f"return if ({SELECTS}(., {row}(1))) then {entry(number)} else ()"))
    rows.clear()


def _text_message(emitter: _Emitter, check: Check) -> bool:
    """Whether the check's message and diagnostics are text alone (they cannot raise):
    its row in the table holds the message."""
    return emitter.rows[emitter.number(check)][4] is not None


@dataclass(frozen=True, slots=True)
class _Scope:
    """What a rule's checks are emitted with: the global variables its own variables
    hide, the ``//name`` paths it reads from variables (``descendants``) and the filters
    of those it reads from variables (``filters``)."""

    hidden: frozenset[str]
    descendants: dict[str, str]
    filters: dict[str, str]


def _rewritten(emitter: _Emitter, test: str, hidden: frozenset[str], descendants: dict[str, str]) -> str:
    """``test`` with its code-list lookups (``lookups``) and the ``//name`` paths of
    ``descendants`` rewritten."""
    lists = {name: codes for name, codes in emitter.lists.items() if name not in hidden}
    rewritten = rewrite_membership(test, lists, emitter.code_sets) or rewrite_lookups(test, emitter.code_sets)
    return rewrite_descendants(rewritten, descendants)


def _items(emitter: _Emitter, parent: etree._Element, body: tuple[Let | Check, ...], scope: _Scope) -> None:
    """The rule's variables and checks in order; each run of two or more asserts that
    hold when their one key is ``LACKING`` inside one ``xsl:if`` on it (``implications``)."""
    for items, found in _runs(body):
        if not found:
            _plain_items(emitter, parent, items, scope)
            continue
        emitter.probed.update(dict.fromkeys(found))
        run = _xsl(parent, "if", test=f"not({MAP}contains(${LACKING}, {found[0].key}))")
        for check in items:
            assert isinstance(check, Check)
            _check(emitter, run, check, scope)


def _runs(body: tuple[Let | Check, ...]) -> Iterator[tuple[list[Let | Check], list[Probe]]]:
    """``body`` cut into runs of two or more asserts of one key (``implications``), with
    their probes, and the items between them, one at a time (without probes)."""
    found = [probes(item.test) if isinstance(item, Check) and item.kind == "assert" else None for item in body]
    keys = [run[0].key if run else None for run in found]
    start = 0
    while start < len(body):
        end = start + 1
        while keys[start] is not None and end < len(body) and keys[end] == keys[start]:
            end += 1
        if end - start < 2:
            yield [body[start]], []
        else:
            yield list(body[start:end]), [probe for run in found[start:end] for probe in run or ()]
        start = end


def _plain_items(emitter: _Emitter, parent: etree._Element, body: list[Let | Check], scope: _Scope) -> None:
    for item in body:
        if isinstance(item, Check):
            _check(emitter, parent, item, scope)
            continue
        variable = _xsl(parent, "variable", name=item.name)
        if item.content is not None:
            variable.append(copy.deepcopy(item.content))
        else:
            variable.set("select", item.value or "()")
        if item.as_type:
            variable.set("as", item.as_type)


def _check(emitter: _Emitter, parent: etree._Element, check: Check, scope: _Scope) -> None:
    """The check in an ``xsl:try`` (a dynamic error is its failure), unless neither its
    test nor its message can raise one: a test in the part of XPath ``safe_tests``
    knows to be total (most of CEN's checks: paths, counts, string comparisons) and a
    message of text alone. Fewer ``xsl:try`` make the stylesheet quicker for Saxon to
    compile, which a cold start pays."""
    number = emitter.number(check)
    text_message = _text_message(emitter, check)
    safe = cannot_raise(check.test) and text_message
    attempt = parent if safe else _xsl(parent, "try")
    hidden = scope.hidden
    test = rewrite_filters(_rewritten(emitter, check.test, hidden, scope.descendants), scope.filters)
    branches = fires_per_branch(test) if check.kind == "assert" else None
    condition = branches or (f"not(({test}))" if check.kind == "assert" else f"({test})")
    fired = _xsl(attempt, "if", test=condition)
    message = None if text_message else message_expression(check, emitter.schema.diagnostics)
    _xsl(fired, "sequence", select=entry(number, message))
    if not safe:
        _xsl(attempt, "catch", select=error_entry(number, emitter.failed_lets(check.test, hidden)))
