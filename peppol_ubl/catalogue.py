"""The rule-set catalogue: every pinned version of every rule set, and which one is in force.

A rule set (``peppol-bis-3``, ``en16931``, the packs ``pint-aunz`` … ``xrechnung``) has
versions; each version is a pinned entry of our catalogue
(``peppol_ubl/manifests/rulesets.json``, beside the manifests) with its title, published
date, mandatory-from date (where one is known), the UBL XSD bundle, the code lists it uses,
and its *variants*: the documents each is for (by CustomizationID and document type), the
Schematron files it runs in order, and the severity changes it makes (XRechnung's KoSIT
scenarios). Every file is pinned by bundle and path in our manifests; the catalogue holds
only versions whose files are pinned, and adding a release is a new entry there.

A rule-set *spec* names what to run:

* ``name``: the version in force on the date ``on`` (default today): the newest version
  whose mandatory-from date is on or before ``on``. Before the first pinned version's
  mandatory date the oldest pinned version runs, with a warning (``PU-RULESET-ARCHIVE``);
  a rule set with no known mandatory date runs its newest pinned version, with an
  information finding (``PU-RULESET-DATE-UNKNOWN``);
* ``name@version``: exactly that version;
* ``name@latest``: the newest version published on or before ``on``;
* ``auto``: the rule set and variant the document's CustomizationID names
  (:func:`select_for_document`), then as ``name``.

:func:`select` answers with a :class:`Selection`: the version, why it was chosen, and
notices for the report (:mod:`peppol_ubl.codes` lists their ids). An unknown name or
version raises ``ValueError`` listing the known ones.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from .artifacts import MANIFESTS, PinnedFile, artifact_path, bundles
from .findings import Severity

__all__ = [
    "AUTO",
    "CATALOGUE_FILE",
    "UPCOMING_DAYS",
    "CodeListSource",
    "DocumentKind",
    "Notice",
    "RuleSet",
    "SchematronSource",
    "Selection",
    "Variant",
    "catalogue_on",
    "default_ruleset",
    "get_ruleset",
    "next_version",
    "rulesets",
    "select",
    "select_for_document",
    "status_on",
]

CATALOGUE_FILE = "rulesets.json"
"""The catalogue's file name among our manifests (:data:`peppol_ubl.artifacts.MANIFESTS`)."""
UPCOMING_DAYS = 90
"""A newer version that becomes mandatory within this many days of ``on`` is announced."""
AUTO = "auto"
"""The spec that lets each document's CustomizationID choose its rule set."""

TotalsRules = Literal["peppol", "en16931", "none"]
DocumentKind = Literal["Invoice", "CreditNote"]


@dataclass(frozen=True, slots=True)
class SchematronSource:
    """One official Schematron file (and the files it includes) of a pinned bundle."""

    bundle: str
    path: str
    title: str
    version: str
    includes: tuple[str, ...] = ()

    @property
    def pinned(self) -> PinnedFile:
        """The manifest entry of the main file: official URL, size and SHA-256."""
        return bundles()[self.bundle].files[self.path]

    @property
    def sha256(self) -> str:
        """The pinned SHA-256 of the main file."""
        return self.pinned.sha256

    def local_path(self) -> Path:
        """The verified local main file, with every file it includes made available too."""
        for included in self.includes:
            artifact_path(self.bundle, included)
        return artifact_path(self.bundle, self.path)


@dataclass(frozen=True, slots=True)
class CodeListSource:
    """Where a version's code list is read: a code-list file, or a ``let`` of its Schematron.

    ``let`` is set when the release ships no code-list file of its own: the list is then
    the ``tokenize('…')`` value of that Schematron variable, the one its rules use.
    """

    name: str
    bundle: str
    path: str
    let: str | None = None


@dataclass(frozen=True, slots=True)
class Variant:
    """One way a version runs: the documents it is for, its Schematron files in order, and
    the severities it changes (per document type: rule id → severity)."""

    name: str
    exact: tuple[str, ...]
    """CustomizationIDs that select this variant when equal (after whitespace is collapsed)."""
    prefixes: tuple[str, ...]
    """CustomizationIDs that select this variant when the document's starts with one."""
    contains: tuple[str, ...]
    """Texts that select this variant, once its rule set is chosen, when the document's
    CustomizationID contains one (phive runs a PINT self-billing variant for any
    CustomizationID containing ``selfbilling``); they never choose the rule set itself."""
    document_types: tuple[DocumentKind, ...]
    schematron: tuple[SchematronSource, ...]
    severity: tuple[tuple[DocumentKind, str, Severity], ...] = ()

    def match(self, customization_id: str | None, document_type: DocumentKind | None,
              *, loose: bool = False) -> int | None:
        """How specifically this variant names the document (longer is more specific; an
        exact match beats any prefix, a prefix any ``contains`` text, which counts only
        when ``loose``), or ``None`` when it does not."""
        if customization_id is None or (document_type is not None and document_type not in self.document_types):
            return None
        if customization_id in self.exact:
            return 2 * len(customization_id) + 1
        lengths = [len(prefix) for prefix in self.prefixes if customization_id.startswith(prefix)]
        if lengths:
            return 2 * max(lengths)
        return 1 if loose and any(text in customization_id for text in self.contains) else None

    def overrides(self, document_type: DocumentKind | None) -> dict[str, Severity]:
        """The severities this variant sets for ``document_type``, by rule id."""
        return {rule: severity for kind, rule, severity in self.severity if kind == document_type}

    def schematron_paths(self) -> list[Path]:
        """The local, hash-verified Schematron files, in the order they run."""
        return [source.local_path() for source in self.schematron]


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One pinned version of a rule set: UBL XSD, variants of Schematron files, code lists."""

    name: str
    version: str
    title: str
    published: dt.date | None
    mandatory_from: dt.date | None
    xsd_bundle: str
    variants: tuple[Variant, ...]
    code_lists: tuple[CodeListSource, ...]
    totals: TotalsRules
    dates_note: str | None = None
    deprecated: dt.date | None = None
    newer_unpinned: tuple[str, dt.date] | None = None
    """A newer release that is reported in force from a date but not pinned here."""

    @property
    def id(self) -> str:
        """``name@version``, the spec that selects exactly this version."""
        return f"{self.name}@{self.version}"

    @property
    def peppol_rules(self) -> bool:
        """Whether the Peppol BIS rules are part of the set (the totals layer then also
        checks their arithmetic: PEPPOL-EN16931-R040, R046, R120, R121)."""
        return self.totals == "peppol"

    @property
    def schematron(self) -> tuple[SchematronSource, ...]:
        """The Schematron files of the default (first) variant."""
        return self.variants[0].schematron

    def schematron_paths(self) -> list[Path]:
        """The local, hash-verified Schematron files of the default variant, in order."""
        return self.variants[0].schematron_paths()

    def variant_for(self, customization_id: str | None, document_type: DocumentKind | None) -> Variant:
        """The variant that names the document most specifically; else the first one for
        its document type; else the first (as phive runs a pinned rule set)."""
        scored = [(score, v) for v in self.variants
                  if (score := v.match(customization_id, document_type, loose=True))]
        if scored:
            return max(scored, key=lambda pair: pair[0])[1]
        return next((v for v in self.variants if document_type in v.document_types), self.variants[0])

    def code_list(self, name: str) -> CodeListSource:
        """The source of the code list ``name`` (``eas`` …) of this version."""
        for source in self.code_lists:
            if source.name == name:
                return source
        raise ValueError(f"rule set {self.id} has no code list {name!r}")


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the report of a validation should say about the rule set that ran."""

    rule_id: str
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class Selection:
    """The version a spec resolved to on a date, why, and the notices for the report."""

    ruleset: RuleSet
    on: dt.date
    reason: str
    notices: tuple[Notice, ...] = ()


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _sources(entries: list[dict[str, Any]]) -> tuple[SchematronSource, ...]:
    return tuple(SchematronSource(s["bundle"], s["path"], s["title"], s["version"], tuple(s.get("includes", ())))
                 for s in entries)


def _variant(entry: dict[str, Any]) -> Variant:
    severity = tuple((kind, rule, level) for kind, levels in entry.get("severity", {}).items()
                     for rule, level in levels.items())
    return Variant(
        name=entry["name"],
        exact=tuple(entry.get("exact", ())),
        prefixes=tuple(entry.get("prefixes", ())),
        contains=tuple(entry.get("contains", ())),
        document_types=tuple(entry.get("document_types", ("Invoice", "CreditNote"))),
        schematron=_sources(entry["schematron"]),
        severity=severity,
    )


def _ruleset(entry: dict[str, Any]) -> RuleSet:
    code_lists = tuple(
        CodeListSource(name, source["bundle"], source["path"], source.get("let"))
        for name, source in entry.get("code_lists", {}).items()
    )
    newer = entry.get("newer_unpinned")
    return RuleSet(
        name=entry["name"],
        version=entry["version"],
        title=entry["title"],
        published=_date(entry.get("published")),
        mandatory_from=_date(entry.get("mandatory_from")),
        xsd_bundle=entry["xsd"],
        variants=tuple(_variant(v) for v in entry["variants"]),
        code_lists=code_lists,
        totals=entry["totals"],
        dates_note=entry.get("dates_note"),
        deprecated=_date(entry.get("deprecated")),
        newer_unpinned=(newer["version"], dt.date.fromisoformat(newer["from"])) if newer else None,
    )


@cache
def _catalogue() -> tuple[str, tuple[RuleSet, ...]]:
    data = json.loads(resources.files("peppol_ubl").joinpath(MANIFESTS, CATALOGUE_FILE).read_text(encoding="utf-8"))
    return data["default"], tuple(_ruleset(entry) for entry in data["rulesets"])


def rulesets() -> tuple[RuleSet, ...]:
    """Every pinned version of every rule set: the default rule set first, each oldest first."""
    default, entries = _catalogue()
    return tuple(sorted(entries, key=lambda r: r.name != default))


def default_ruleset() -> str:
    """The name of the rule set run when none is given (``peppol-bis-3``)."""
    return _catalogue()[0]


def _names() -> list[str]:
    return list(dict.fromkeys(r.name for r in _catalogue()[1]))


def _versions(name: str) -> tuple[RuleSet, ...]:
    found = tuple(r for r in _catalogue()[1] if r.name == name)
    if not found:
        raise ValueError(f"unknown rule set {name!r}; known rule sets: {', '.join(_names())}, or {AUTO}")
    return found


def next_version(ruleset: RuleSet) -> RuleSet | None:
    """The pinned version that follows ``ruleset`` in its rule set, if any."""
    versions = _versions(ruleset.name)
    index = versions.index(ruleset)
    return versions[index + 1] if index + 1 < len(versions) else None


def _in_force(versions: tuple[RuleSet, ...], on: dt.date) -> RuleSet | None:
    current = [r for r in versions if r.mandatory_from is not None and r.mandatory_from <= on]
    return current[-1] if current else None


def select(spec: str, on: dt.date | None = None) -> Selection:
    """Resolve ``spec`` (``name``, ``name@version`` or ``name@latest``) on the date ``on``."""
    return _select(spec, on or dt.date.today())


@lru_cache(maxsize=256)
def _select(spec: str, day: dt.date) -> Selection:
    """``select`` on a day: a function of the pinned catalogue (read once) and its
    arguments, kept for the next validation (each asks it; a misuse raises each time)."""
    name, at, version = spec.partition("@")
    if name == AUTO:
        raise ValueError(f"{AUTO!r} chooses a rule set per document: use select_for_document")
    versions = _versions(name)
    if at and not version:
        raise ValueError(f"rule set spec {spec!r} names no version; write {name}, {name}@VERSION "
                         f"or {name}@latest")
    in_force = _in_force(versions, day)
    dated = any(r.mandatory_from is not None for r in versions)
    if version == "latest":
        published = [r for r in versions if r.published is not None and r.published <= day]
        if published:
            chosen, reason = published[-1], f"newest published on {day.isoformat()}"
        else:
            chosen, reason = versions[0], f"oldest pinned version (none published by {day.isoformat()})"
    elif version:
        matching = [r for r in versions if r.version == version]
        if not matching:
            known = ", ".join(r.version for r in versions)
            raise ValueError(f"unknown version {version!r} of rule set {name!r}; known versions: {known}")
        chosen, reason = matching[0], "pinned by the caller"
    elif in_force is not None:
        chosen, reason = in_force, f"in force on {day.isoformat()}"
    elif not dated:
        chosen, reason = versions[-1], "newest pinned version (no mandatory date is known)"
    else:
        chosen, reason = versions[0], f"oldest pinned version (none was in force on {day.isoformat()})"
    return Selection(chosen, day, reason, _notices(chosen, in_force, versions, day, bool(version)))


def select_for_document(customization_id: str | None, document_type: DocumentKind | None,
                        on: dt.date | None = None) -> Selection | None:
    """The rule set whose variant names the document's CustomizationID most specifically
    (BT-24), in force on ``on``; ``None`` when no rule set of the catalogue names it."""
    best: tuple[int, str] | None = None
    for name in _names():
        candidate = select(name, on).ruleset
        score = max((s for v in candidate.variants if (s := v.match(customization_id, document_type))), default=None)
        if score is not None and (best is None or score > best[0]):
            best = (score, name)
    if best is None:
        return None
    chosen = select(best[1], on)
    reason = f"CustomizationID {customization_id} names {best[1]}; {chosen.reason}"
    return Selection(chosen.ruleset, chosen.on, reason, chosen.notices)


def _notices(chosen: RuleSet, in_force: RuleSet | None, versions: tuple[RuleSet, ...],
             day: dt.date, pinned: bool) -> tuple[Notice, ...]:
    notices: list[Notice] = []
    when = day.isoformat()
    if not any(r.mandatory_from is not None for r in versions) and not pinned:
        notices.append(Notice(
            "PU-RULESET-DATE-UNKNOWN", "information",
            f"the catalogue knows no mandatory date for {chosen.name}; ran the newest pinned version, "
            f"{chosen.version}{f' ({chosen.dates_note})' if chosen.dates_note else ''}"))
    elif in_force is None and chosen.mandatory_from is not None and chosen.mandatory_from > day:
        notices.append(Notice(
            "PU-RULESET-ARCHIVE", "warning",
            f"no pinned version of {chosen.name} was in force on {when}; ran {chosen.version}, "
            f"mandatory from {chosen.mandatory_from.isoformat()}, the oldest pinned version"))
    elif in_force is not None and versions.index(chosen) < versions.index(in_force):
        notices.append(Notice(
            "PU-RULESET-SUPERSEDED", "information",
            f"{chosen.title} is no longer in force on {when}: {in_force.title} is, mandatory "
            f"from {_iso(in_force.mandatory_from)}"))
    if chosen.deprecated is not None and chosen.deprecated <= day:
        notices.append(Notice(
            "PU-RULESET-DEPRECATED", "warning",
            f"{chosen.title} was deprecated upstream on {chosen.deprecated.isoformat()}"
            f"{f' ({chosen.dates_note})' if chosen.dates_note else ''}"))
    if chosen.newer_unpinned is not None and chosen.newer_unpinned[1] <= day:
        newer, since = chosen.newer_unpinned
        notices.append(Notice(
            "PU-RULESET-NEWER-UNPINNED", "information",
            f"{newer} is reported in force from {since.isoformat()} but is not pinned here; "
            f"these results follow {chosen.title}"))
    horizon = day + dt.timedelta(days=UPCOMING_DAYS)
    for later in versions[versions.index(chosen) + 1:]:
        if (later.published is not None and later.published <= day
                and later.mandatory_from is not None and day < later.mandatory_from <= horizon):
            days = (later.mandatory_from - day).days
            notices.append(Notice(
                "PU-RULESET-UPCOMING", "information",
                f"{later.title} (published {later.published.isoformat()}) becomes mandatory on "
                f"{later.mandatory_from.isoformat()}, in {days} days; validate with "
                f"compare_next (CLI --compare-next) to see what changes"))
    return tuple(notices)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "an unknown date"


def get_ruleset(spec: str | None = None, on: dt.date | None = None) -> RuleSet:
    """The rule-set version ``spec`` resolves to on ``on`` (see :func:`select`);
    the default rule set in force today without arguments."""
    return select(spec or default_ruleset(), on).ruleset


def status_on(ruleset: RuleSet, day: dt.date) -> Literal["in force", "superseded", "upcoming", "not yet published"]:
    """Where a version stands on ``day``: the one in force (or run by a bare name), an
    older one, a newer published one not yet mandatory, or one not yet published."""
    if select(ruleset.name, day).ruleset == ruleset:
        return "in force"
    if ruleset.mandatory_from is not None and ruleset.mandatory_from <= day:
        return "superseded"
    return "upcoming" if ruleset.published is not None and ruleset.published <= day else "not yet published"


def catalogue_on(day: dt.date) -> list[dict[str, str | None]]:
    """Every version as a JSON-ready row, with its status on ``day`` (see :func:`status_on`)."""
    return [
        {
            "name": ruleset.name,
            "version": ruleset.version,
            "title": ruleset.title,
            "published": ruleset.published.isoformat() if ruleset.published else None,
            "mandatory_from": ruleset.mandatory_from.isoformat() if ruleset.mandatory_from else None,
            "deprecated": ruleset.deprecated.isoformat() if ruleset.deprecated else None,
            "status": status_on(ruleset, day),
            "variants": " ".join(v.name for v in ruleset.variants),
            "spec": ruleset.id,
        }
        for ruleset in rulesets()
    ]
