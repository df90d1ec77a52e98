"""Validation report: what was checked, with which official artefacts, and what was found.

A ``Report`` is the result of ``validate()``. ``ok`` is true when no finding is fatal.
``to_json()`` writes the keys below, always all of them, in this order (``report_version``
changes only if a key changes meaning or disappears)::

    report_version   1
    ok               bool, no fatal finding
    document_type    "Invoice" | "CreditNote" | null (input refused)
    document_sha256  hex SHA-256 of the bytes received | null (refused for their size)
    sbdh             bool, the document was an SBDH envelope and its payload was validated
    ruleset          name of the rule set, e.g. "peppol-bis-3"
    ruleset_version  the version that ran, e.g. "3.0.21"
    ruleset_reason   why that version: "in force on 2026-12-01", "pinned by the caller" …
    ruleset_variant  the variant of the version that ran ("billing", "selfbilling",
                     XRechnung's "standard", "extension", "cvd") | null (none ran)
    layers           [{layer, status, duration_ms, note}] for input, xsd, schematron, totals
    artefacts        [{bundle, version, path, sha256}] of every official file used
    findings         [{rule_id, severity, layer, message, location, line, test,
                      contract_path, original_severity}] (contract_path: see
                     validate_invoice; original_severity: the rule's own severity when
                     the variant changed it); layer
                     "ruleset" holds notices about the version (PU-RULESET-…)
    compare_next     null, or what the next version of the rule set would change
                     (validate(compare_next=True)): {version, note, ok, added, removed},
                     ``version`` null when there is no newer pinned version (nothing ran);
                     ``added``/``removed``: findings only the next / only this version gives

``to_text()`` is for people: a summary line, then one line per finding, except that a
totals finding confirming a Schematron finding of the same rule (same element or below
it) is shown on an indented "confirmed by totals" line under it and is not counted in
the summary's "N fatal" (``peppol_ubl.findings.confirmations``). The JSON keeps every
finding of every layer; ``ok`` and ``fatal`` count them all.

Layer status is ``passed`` or ``failed`` when the layer ran, ``skipped`` when it would
have run but did not (an earlier layer failed, or it is unavailable; ``note`` says why)
and ``not-run`` when the caller switched it off.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..findings import Finding, Layer, confirmations, finding_lines
from ..xml.safe import DocumentType

__all__ = ["ArtifactRef", "LayerResult", "LayerStatus", "NextComparison", "Report", "REPORT_VERSION"]

REPORT_VERSION = 1

LayerStatus = Literal["passed", "failed", "skipped", "not-run"]


@dataclass(frozen=True, slots=True)
class LayerResult:
    """How one validation layer went: its status, how long it took and why, if skipped."""

    layer: Layer
    status: LayerStatus
    duration_ms: float = 0.0
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ArtifactRef:
    """One official file a validation used, identified by bundle, version and SHA-256."""

    bundle: str
    version: str
    path: str
    sha256: str


@dataclass(frozen=True)
class NextComparison:
    """What validating against the next version of the rule set would change.

    Findings are compared by rule id, severity, layer and location (messages differ
    between releases); ``version`` is ``None`` when there is no newer pinned version, in
    which case nothing ran and ``note`` says so.
    """

    version: str | None
    note: str
    ok: bool | None = None
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (see the module docstring)."""
        return {
            "version": self.version,
            "note": self.note,
            "ok": self.ok,
            "added": [finding.to_dict() for finding in self.added],
            "removed": [finding.to_dict() for finding in self.removed],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NextComparison:
        """Rebuild from ``to_dict()`` output."""
        return cls(data["version"], data["note"], data["ok"],
                   [Finding(**item) for item in data["added"]],
                   [Finding(**item) for item in data["removed"]])


@dataclass(frozen=True)
class Report:
    """The outcome of validating one document (see the module docstring for the JSON)."""

    ruleset: str
    findings: list[Finding] = field(default_factory=list)
    layers: list[LayerResult] = field(default_factory=list)
    artefacts: list[ArtifactRef] = field(default_factory=list)
    ruleset_version: str | None = None
    document_sha256: str | None = None
    document_type: DocumentType | None = None
    sbdh: bool = False
    ruleset_reason: str | None = None
    ruleset_variant: str | None = None
    compare_next: NextComparison | None = None

    @property
    def ok(self) -> bool:
        """True when no finding is fatal."""
        return not self.fatal

    @property
    def fatal(self) -> list[Finding]:
        """The fatal findings."""
        return [f for f in self.findings if f.severity == "fatal"]

    def layer(self, name: Layer) -> LayerResult:
        """The result of the layer called ``name``."""
        for result in self.layers:
            if result.layer == name:
                return result
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with the documented keys."""
        return {
            "report_version": REPORT_VERSION,
            "ok": self.ok,
            "document_type": self.document_type,
            "document_sha256": self.document_sha256,
            "sbdh": self.sbdh,
            "ruleset": self.ruleset,
            "ruleset_version": self.ruleset_version,
            "ruleset_reason": self.ruleset_reason,
            "ruleset_variant": self.ruleset_variant,
            "layers": [asdict(layer) for layer in self.layers],
            "artefacts": [asdict(ref) for ref in self.artefacts],
            "findings": [finding.to_dict() for finding in self.findings],
            "compare_next": self.compare_next.to_dict() if self.compare_next else None,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (UTF-8 safe, keys as documented)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from ``to_dict()`` output (``ok`` is recomputed, not read)."""
        if data.get("report_version") != REPORT_VERSION:
            raise ValueError(f"unsupported report_version {data.get('report_version')!r}")
        return cls(
            ruleset=data["ruleset"],
            findings=[Finding(**item) for item in data["findings"]],
            layers=[LayerResult(**item) for item in data["layers"]],
            artefacts=[ArtifactRef(**item) for item in data["artefacts"]],
            ruleset_version=data["ruleset_version"],
            document_sha256=data["document_sha256"],
            document_type=data["document_type"],
            sbdh=data["sbdh"],
            ruleset_reason=data["ruleset_reason"],
            ruleset_variant=data["ruleset_variant"],
            compare_next=NextComparison.from_dict(data["compare_next"]) if data["compare_next"] else None,
        )

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Rebuild a report from ``to_json()`` output."""
        return cls.from_dict(json.loads(text))

    def to_text(self) -> str:
        """A one-line summary, then one line per finding, for people."""
        lines = [self._summary(), *finding_lines(self.findings)]
        if self.compare_next is not None:
            lines += _next_lines(self.ruleset, self.compare_next)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def _summary(self) -> str:
        confirming = confirmations(self.findings)  # a fault two layers found counts once
        counted = [f for index, f in enumerate(self.findings) if index not in confirming]
        counts = {s: sum(f.severity == s for f in counted) for s in ("fatal", "warning")}
        document: str = self.document_type or "document"
        if self.sbdh:
            document += " (in SBDH)"
        layers = ", ".join(f"{r.layer} {r.status}" for r in self.layers)
        verdict = "VALID" if self.ok else "INVALID"
        ruleset = f"{self.ruleset}@{self.ruleset_version}" if self.ruleset_version else self.ruleset
        return (
            f"{verdict} {document} against {ruleset}: {counts['fatal']} fatal, "
            f"{counts['warning']} warning(s); {layers}"
        )


def _next_lines(ruleset: str, comparison: NextComparison) -> list[str]:
    """``compared with peppol-bis-3@3.0.22: …`` then ``+``/``-`` lines per finding."""
    if comparison.version is None:
        return [comparison.note]
    verdict = "valid" if comparison.ok else "invalid"
    lines = [f"compared with {ruleset}@{comparison.version} ({verdict} there): "
             f"{len(comparison.added)} finding(s) added, {len(comparison.removed)} removed"]
    lines += [f"+ {f.to_text()}" for f in comparison.added]
    lines += [f"- {f.to_text()}" for f in comparison.removed]
    return lines
