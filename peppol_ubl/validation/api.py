"""Validation: one call that runs every layer on a document and reports what it found.

Layers run in order: ``input`` (safe parsing, always) → ``xsd`` (UBL 2.1 schema) →
``schematron`` (every Schematron file of the rule set) → ``totals`` (recomputed totals).
A refused input stops everything; by default the later layers still run after schema or
rule failures, so one report shows all problems (``stop_on_error=True`` skips the layers
after the first one with a fatal finding). Only misuse raises: an unknown rule set
(``ValueError``), a missing or corrupted official artefact (``ArtifactError``), a missing
file or a wrong argument type. A bad document gives a report with ``ok`` false.

The rule set is a spec resolved on a date (:func:`peppol_ubl.catalogue.select`): a bare
name runs the version in force on ``on`` (default today). The report names the version
and why, and carries the catalogue's notices as findings of layer ``ruleset``.
``compare_next=True`` also runs the next pinned version and lists what would change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from time import perf_counter
from typing import Literal

from ..artifacts import bundles
from ..catalogue import (
    AUTO,
    RuleSet,
    Selection,
    Variant,
    default_ruleset,
    next_version,
    rulesets,
    select,
    select_for_document,
)
from ..errors import ParseError
from ..findings import Finding, Layer, Severity
from ..xml.safe import InputLimits, Source, parse_document
from .collector import collector_paused
from .document import HeldDocument
from .report import ArtifactRef, LayerResult, NextComparison, Report
from .schematron import run_schematron
from .totals import check_totals
from .xsd import schema_artefacts, validate_schema

__all__ = ["is_valid", "validate"]


def validate(
    source: Source,
    *,
    ruleset: str | None = None,
    on: dt.date | None = None,
    compare_next: bool = False,
    schema: bool = True,
    rules: bool = True,
    totals: bool = True,
    stop_on_error: bool = False,
    limits: InputLimits | None = None,
    user_rules: Sequence[str | os.PathLike[str]] = (),
) -> Report:
    """Validate ``source`` (XML bytes, or a file path) and report every finding.

    ``ruleset`` is ``name``, ``name@version``, ``name@latest`` or ``auto`` (the rule set
    the document's CustomizationID names); the default is the Peppol BIS rules in force on
    ``on`` (a ``datetime.date``, default today). Within the version, the variant whose
    CustomizationID and document type fit the document runs. ``compare_next`` also runs
    the next pinned version and reports the findings that would change.
    ``schema``, ``rules`` and ``totals`` switch the XSD, Schematron and totals layers;
    ``limits`` bounds the input (size, depth, attributes, names; raising the last three
    above the defaults, Saxon's, is refused with ``ValueError`` while ``rules`` is on);
    ``user_rules`` are Schematron files of your own, run in the Schematron layer after the
    rule set (compiled by our compiler; a file that cannot be compiled raises
    ``SchematronError``).
    """
    beyond = limits.beyond_saxon() if limits is not None and rules else []
    if beyond:
        raise ValueError(f"limits {', '.join(beyond)} are above what the Schematron layer's parser "
                         "(Saxon's) reads; keep them at most at the defaults, or pass rules=False")
    spec = ruleset or default_ruleset()
    chosen = None if spec == AUTO else select(spec, on)  # misuse (an unknown spec) raises before any reading
    options = _Options(schema, rules, totals, stop_on_error, limits, tuple(Path(p) for p in user_rules))
    started = perf_counter()
    parsed = parse_document(source, limits=limits)
    input_ms = _ms(started)
    document = HeldDocument(parsed, keep_tree=compare_next)  # a comparison reads the tree again
    del parsed  # the held document is the only reference to the tree: _validate may let it go
    selection = chosen if chosen is not None else _auto(document, on)
    with collector_paused() if document.large else nullcontext():
        report = _validate(document, input_ms, selection, options)
        if not compare_next or selection is None:
            return report
        return replace(report, compare_next=_compare_next(document, selection, options, report))


@dataclass(frozen=True, slots=True)
class _Options:
    """The switches of one validation, passed on unchanged to a comparison run."""

    schema: bool
    rules: bool
    totals: bool
    stop_on_error: bool
    limits: InputLimits | None
    user_files: tuple[Path, ...]


def _auto(document: HeldDocument, on: dt.date | None) -> Selection | None:
    """The rule set the document's CustomizationID names (``None``: it names none we know)."""
    if not document.ok:
        return None  # a refused input: there is nothing to choose by
    return select_for_document(document.customization_id, document.document_type, on)


def _unknown_customization(document: HeldDocument) -> Finding:
    found = document.customization_id
    what = f"CustomizationID {found!r}" if found else "no CustomizationID (BT-24)"
    return Finding("PU-RULESET-UNKNOWN", "fatal", "ruleset",
                   f"the document has {what}, which names no rule set of the catalogue "
                   f"({', '.join(dict.fromkeys(r.name for r in rulesets()))}); pass ruleset= to choose one",
                   "/*:" + (document.document_type or "Invoice") + "[1]/*:CustomizationID[1]" if found else None)


_Run = Callable[[HeldDocument], list[Finding]]


def _validate(document: HeldDocument, input_ms: float, selection: Selection | None, options: _Options) -> Report:
    input_note = "SBDH envelope unwrapped; its payload was validated" if document.sbdh else None
    layers = [LayerResult("input", _status(document.findings), input_ms, input_note)]
    if selection is None:
        findings = [_unknown_customization(document)] if document.ok else []
        rule_set, variant = None, None
    else:
        findings = [Finding(n.rule_id, n.severity, "ruleset", n.message) for n in selection.notices]
        rule_set = selection.ruleset
        variant = rule_set.variant_for(document.customization_id, document.document_type)
    findings += document.findings
    artefacts: list[ArtifactRef] = []
    stopped = None if document.ok else "the input layer refused the document"
    unchosen = "no rule set was chosen for the document (see PU-RULESET-UNKNOWN)"

    steps: list[tuple[Layer, bool, _Run | str]] = [
        ("xsd", options.schema, _run_xsd),
        ("schematron", options.rules, unchosen if variant is None else
         lambda doc: _run_schematron(variant, options.user_files, doc)),
        ("totals", options.totals, unchosen if rule_set is None else
         "the rule set's own rules check its arithmetic" if rule_set.totals == "none" else
         lambda doc: _run_totals(rule_set, doc)),
    ]
    runs = {layer: run for layer, enabled, run in steps if enabled and not isinstance(run, str)}
    ahead: dict[Layer, tuple[list[Finding], float]] = {}  # layers run before their turn
    for layer, enabled, run in steps:
        if not enabled:
            layers.append(LayerResult(layer, "not-run", note="switched off by the caller"))
            continue
        if stopped or isinstance(run, str):
            layers.append(LayerResult(layer, "skipped", note=stopped or str(run)))
            continue
        if layer == "schematron" and document.releasable:
            # the totals layer reads the tree: it runs first, then the tree is let go
            if "totals" in runs:
                ahead["totals"] = _timed(runs["totals"], document)
            document.let_go()
        found, duration = ahead[layer] if layer in ahead else _timed(run, document)
        status = _status(found)
        layers.append(LayerResult(layer, status, duration))
        findings.extend(found)
        artefacts.extend(_artefacts(layer, document, variant, options.user_files))
        if options.stop_on_error and status == "failed":
            stopped = f"stop_on_error: the {layer} layer found fatal problems"

    return Report(
        ruleset=rule_set.name if rule_set else AUTO,
        findings=findings,
        layers=layers,
        artefacts=artefacts,
        ruleset_version=rule_set.version if rule_set else None,
        ruleset_reason=selection.reason if selection else None,
        ruleset_variant=variant.name if variant else None,
        document_sha256=document.sha256,
        document_type=document.document_type,
        sbdh=document.sbdh,
    )


def _timed(run: _Run, document: HeldDocument) -> tuple[list[Finding], float]:
    """A layer's findings, with their source lines, and its duration in milliseconds."""
    started = perf_counter()
    found = document.with_lines(run(document))
    return found, _ms(started)


def _compare_next(document: HeldDocument, selection: Selection, options: _Options, report: Report) -> NextComparison:
    """Run the version after the one that ran and list the findings that differ."""
    following = next_version(selection.ruleset)
    if following is None:
        return NextComparison(None, f"no newer pinned version of {selection.ruleset.name} than "
                                    f"{selection.ruleset.version}; nothing else was run")
    # the input and the UBL schema do not change between versions: only the rules run again
    later = _validate(document, report.layer("input").duration_ms,
                      Selection(following, selection.on, "compared with the previous version"), replace(options, schema=False))
    note = (f"{following.title}: published {_iso(following.published)}, mandatory from "
            f"{_iso(following.mandatory_from)}")
    before, after = _comparable(report.findings), _comparable(later.findings)
    return NextComparison(following.version, note, later.ok, _only(later.findings, after - before),
                          _only(report.findings, before - after))


_Key = tuple[str, str, str, str | None]


def _key(finding: Finding) -> _Key:
    return (finding.rule_id, finding.severity, finding.layer, finding.location)


_VERSIONED_LAYERS = frozenset({"schematron", "totals"})


def _comparable(findings: Sequence[Finding]) -> Counter[_Key]:
    """The findings of the layers that depend on the version, as a multiset of keys."""
    return Counter(_key(f) for f in findings if f.layer in _VERSIONED_LAYERS)


def _only(findings: Sequence[Finding], keys: Counter[_Key]) -> list[Finding]:
    """The findings whose keys are in ``keys`` (as many of each as it counts), in order."""
    left = Counter(keys)
    chosen = []
    for finding in findings:
        if left[_key(finding)] > 0:
            left[_key(finding)] -= 1
            chosen.append(finding)
    return chosen


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "unknown"


def is_valid(
    source: Source,
    *,
    ruleset: str | None = None,
    on: dt.date | None = None,
    schema: bool = True,
    rules: bool = True,
    totals: bool = True,
    stop_on_error: bool = False,
    limits: InputLimits | None = None,
    user_rules: Sequence[str | os.PathLike[str]] = (),
) -> bool:
    """Whether ``validate`` with the same arguments finds nothing fatal."""
    return validate(source, ruleset=ruleset, on=on, schema=schema, rules=rules, totals=totals,
                    stop_on_error=stop_on_error, limits=limits, user_rules=user_rules).ok


def _run_xsd(document: HeldDocument) -> list[Finding]:
    assert document.document_type is not None
    return validate_schema(document.root, document.document_type)


def _run_schematron(variant: Variant, user_files: tuple[Path, ...], document: HeldDocument) -> list[Finding]:
    """The variant's Schematron files, with its severity changes, then the user's files."""
    overrides = variant.overrides(document.document_type)
    try:
        found = [_overridden(f, overrides.get(f.rule_id)) for f in run_schematron(variant, document.xml)]
        for path in user_files:
            found.extend(run_schematron(path, document.xml))
    except ParseError as exc:
        # The input layer holds documents to every limit of Saxon's parser; what is left is
        # where the two parsers disagree on well-formedness itself: name characters that
        # XML 1.0 allows since its fifth edition (libxml2) but not in the fourth (Saxon's).
        return [Finding("PU-SCHEMATRON-UNREADABLE", "fatal", "schematron",
                        "the Schematron layer's XML parser (Saxon's, which follows XML 1.0 fourth "
                        "edition for names) cannot read this document, so no rule ran: "
                        f"{_one_line(exc.reason)}")]
    return found


def _overridden(finding: Finding, severity: Severity | None) -> Finding:
    """The finding with the severity the variant sets for its rule, saying what it was."""
    if severity is None or severity == finding.severity:
        return finding
    return replace(finding, severity=severity, original_severity=finding.severity)


def _one_line(text: str) -> str:
    """Saxon's message on one line, shortened."""
    line = " ".join(text.split())
    return line if len(line) <= 300 else line[:300] + "…"


def _run_totals(rule_set: RuleSet, document: HeldDocument) -> list[Finding]:
    """The totals layer: every amount recomputed from the document's own lines in cents,
    with the Peppol arithmetic rules only when the rule set includes the Peppol rules."""
    return check_totals(document.root, peppol_rules=rule_set.peppol_rules)


def _artefacts(
    layer: Layer, document: HeldDocument, variant: Variant | None, user_files: tuple[Path, ...]
) -> list[ArtifactRef]:
    """The files the layer just run on this document used: official ones by bundle and
    version, the caller's own Schematron files as bundle ``user``."""
    if layer == "xsd":
        assert document.document_type is not None
        return list(schema_artefacts(document.document_type))
    if layer == "schematron" and variant is not None:
        return [*_official_schematron(variant), *(
            ArtifactRef("user", "", str(path), hashlib.sha256(path.read_bytes()).hexdigest())
            for path in user_files)]
    return []


@cache
def _official_schematron(variant: Variant) -> tuple[ArtifactRef, ...]:
    """The pinned Schematron files a variant runs, by bundle and version (the same for
    every document: made once per variant)."""
    return tuple(
        ArtifactRef(source.bundle, source.version, path, bundles()[source.bundle].files[path].sha256)
        for source in variant.schematron
        for path in (source.path, *source.includes))


def _status(findings: Sequence[Finding]) -> Literal["passed", "failed"]:
    return "failed" if any(f.severity == "fatal" for f in findings) else "passed"


def _ms(started: float) -> float:
    return round((perf_counter() - started) * 1000, 3)
