"""The rule-set catalogue: every pinned version of every rule set, and which one is in force.

A rule set (``peppol-bis-3``, ``en16931``) has versions; each version is a pinned entry
of our catalogue (``peppol_ubl/manifests/rulesets.json``, beside the manifests) with its
title, published date, mandatory-from date, the UBL XSD bundle, the Schematron files it
runs in order and the code lists it uses, each file pinned by bundle and path in our
manifests. The catalogue holds only versions whose files are pinned; adding a release is
a new entry there.

A rule-set *spec* names what to run:

* ``name``: the version in force on the date ``on`` (default today): the newest version
  whose mandatory-from date is on or before ``on``. Before the first pinned version's
  mandatory date the oldest pinned version runs, with a warning (``PU-RULESET-ARCHIVE``);
* ``name@version``: exactly that version;
* ``name@latest``: the newest version published on or before ``on``.

:func:`select` answers with a :class:`Selection`: the version, why it was chosen, and
notices for the report (a newer version becoming mandatory within 90 days,
``PU-RULESET-UPCOMING``; a pinned version that is no longer in force,
``PU-RULESET-SUPERSEDED``). An unknown name or version raises ``ValueError`` listing the
known ones.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from .artifacts import MANIFESTS, PinnedFile, artifact_path, bundles

__all__ = [
    "CATALOGUE_FILE",
    "UPCOMING_DAYS",
    "CodeListSource",
    "Notice",
    "RuleSet",
    "SchematronSource",
    "Selection",
    "catalogue_on",
    "default_ruleset",
    "get_ruleset",
    "next_version",
    "rulesets",
    "select",
    "status_on",
]

CATALOGUE_FILE = "rulesets.json"
"""The catalogue's file name among our manifests (:data:`peppol_ubl.artifacts.MANIFESTS`)."""
UPCOMING_DAYS = 90
"""A newer version that becomes mandatory within this many days of ``on`` is announced."""

TotalsRules = Literal["peppol", "en16931"]


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
class RuleSet:
    """One pinned version of a rule set: UBL XSD, Schematron files run in order, code lists."""

    name: str
    version: str
    title: str
    published: dt.date | None
    mandatory_from: dt.date | None
    xsd_bundle: str
    schematron: tuple[SchematronSource, ...]
    code_lists: tuple[CodeListSource, ...]
    totals: TotalsRules
    dates_note: str | None = None

    @property
    def id(self) -> str:
        """``name@version``, the spec that selects exactly this version."""
        return f"{self.name}@{self.version}"

    @property
    def peppol_rules(self) -> bool:
        """Whether the Peppol BIS rules are part of the set (the totals layer then also
        checks their arithmetic: PEPPOL-EN16931-R040, R046, R120, R121)."""
        return self.totals == "peppol"

    def schematron_paths(self) -> list[Path]:
        """The local, hash-verified Schematron files, in the order they run."""
        return [source.local_path() for source in self.schematron]

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
    severity: Literal["warning", "information"]
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


def _ruleset(entry: dict[str, Any]) -> RuleSet:
    schematron = tuple(
        SchematronSource(s["bundle"], s["path"], s["title"], s["version"], tuple(s.get("includes", ())))
        for s in entry["schematron"]
    )
    code_lists = tuple(
        CodeListSource(name, source["bundle"], source["path"], source.get("let"))
        for name, source in entry["code_lists"].items()
    )
    return RuleSet(
        name=entry["name"],
        version=entry["version"],
        title=entry["title"],
        published=_date(entry.get("published")),
        mandatory_from=_date(entry.get("mandatory_from")),
        xsd_bundle=entry["xsd"],
        schematron=schematron,
        code_lists=code_lists,
        totals=entry["totals"],
        dates_note=entry.get("dates_note"),
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


def _versions(name: str) -> tuple[RuleSet, ...]:
    found = tuple(r for r in _catalogue()[1] if r.name == name)
    if not found:
        known = ", ".join(dict.fromkeys(r.name for r in _catalogue()[1]))
        raise ValueError(f"unknown rule set {name!r}; known rule sets: {known}")
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
    day = on or dt.date.today()
    name, at, version = spec.partition("@")
    versions = _versions(name)
    if at and not version:
        raise ValueError(f"rule set spec {spec!r} names no version; write {name}, {name}@VERSION "
                         f"or {name}@latest")
    in_force = _in_force(versions, day)
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
    else:
        chosen, reason = versions[0], f"oldest pinned version (none was in force on {day.isoformat()})"
    return Selection(chosen, day, reason, _notices(chosen, in_force, versions, day))


def _notices(chosen: RuleSet, in_force: RuleSet | None, versions: tuple[RuleSet, ...],
             day: dt.date) -> tuple[Notice, ...]:
    notices: list[Notice] = []
    when = day.isoformat()
    if in_force is None and chosen.mandatory_from is not None and chosen.mandatory_from > day:
        notices.append(Notice(
            "PU-RULESET-ARCHIVE", "warning",
            f"no pinned version of {chosen.name} was in force on {when}; ran {chosen.version}, "
            f"mandatory from {chosen.mandatory_from.isoformat()}, the oldest pinned version"))
    elif in_force is not None and versions.index(chosen) < versions.index(in_force):
        notices.append(Notice(
            "PU-RULESET-SUPERSEDED", "information",
            f"{chosen.title} is no longer in force on {when}: {in_force.title} is, mandatory "
            f"from {_iso(in_force.mandatory_from)}"))
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
    """Where a version stands on ``day``: the one in force, an older one, a newer published
    one not yet mandatory, or one not yet published."""
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
            "status": status_on(ruleset, day),
            "spec": ruleset.id,
        }
        for ruleset in rulesets()
    ]
