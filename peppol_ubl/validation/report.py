"""Validation report: what was checked, with which official artefacts, and what was found.

A ``Report`` is the result of ``validate()``. ``ok`` is true when no finding is fatal.
``to_json()`` writes the keys below, always all of them, in this order (``report_version``
changes only if a key changes meaning or disappears)::

    report_version   1
    ok               bool, no fatal finding
    document_type    "Invoice" | "CreditNote" | null (input refused)
    document_sha256  hex SHA-256 of the bytes received | null (refused for their size)
    sbdh             bool, the document was an SBDH envelope and its payload was validated
    ruleset          name of the rule set requested, e.g. "peppol-bis-3"
    ruleset_version  its version | null (rules not run)
    layers           [{layer, status, duration_ms, note}] for input, xsd, schematron, totals
    artefacts        [{bundle, version, path, sha256}] of every official file used
    findings         [{rule_id, severity, layer, message, location, line, test,
                      contract_path}] (contract_path: see validate_invoice)

Layer status is ``passed`` or ``failed`` when the layer ran, ``skipped`` when it would
have run but did not (an earlier layer failed, or it is unavailable; ``note`` says why)
and ``not-run`` when the caller switched it off.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .findings import Finding, Layer
from .safe_input import DocumentType

__all__ = ["ArtifactRef", "LayerResult", "LayerStatus", "Report", "REPORT_VERSION"]

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
            "layers": [asdict(layer) for layer in self.layers],
            "artefacts": [asdict(ref) for ref in self.artefacts],
            "findings": [finding.to_dict() for finding in self.findings],
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
        )

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Rebuild a report from ``to_json()`` output."""
        return cls.from_dict(json.loads(text))

    def to_text(self) -> str:
        """A one-line summary, then one line per finding, for people."""
        return "\n".join([self._summary(), *(_finding_line(f) for f in self.findings)])

    def __str__(self) -> str:
        return self.to_text()

    def _summary(self) -> str:
        counts = {s: sum(f.severity == s for f in self.findings) for s in ("fatal", "warning")}
        document: str = self.document_type or "document"
        if self.sbdh:
            document += " (in SBDH)"
        layers = ", ".join(f"{r.layer} {r.status}" for r in self.layers)
        verdict = "VALID" if self.ok else "INVALID"
        return (
            f"{verdict} {document} against {self.ruleset}: {counts['fatal']} fatal, "
            f"{counts['warning']} warning(s); {layers}"
        )


def _finding_line(finding: Finding) -> str:
    """``[fatal] BR-CO-10 at /Invoice/... (line 12): message``."""
    text = f"[{finding.severity}] {finding.rule_id}"
    if finding.location:
        text += f" at {finding.location}"
    if finding.line is not None:
        text += f" (line {finding.line})"
    if finding.contract_path:
        text += f" [{finding.contract_path}]"
    return f"{text}: {finding.message}"
