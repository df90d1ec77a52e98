"""Findings: one problem found in a document by one validation layer.

Every finding carries a stable rule id (the official id such as ``BR-CO-10`` or
``PEPPOL-EN16931-R040``, or ``PU-…`` for checks of our own), a severity, the layer that
found it, a location (an XPath into the validated document, when there is one) and a
message a person can act on. Findings on a document built from a model also name the
contract field they are about.

Two layers can find the same fault: the totals layer recomputes what a Schematron rule
checks (BR-CO-16 at ``…/LegalMonetaryTotal[1]`` from Schematron, at
``…/LegalMonetaryTotal[1]/*:PayableAmount[1]`` from totals, with the numbers).
:func:`confirmations` pairs them: a totals finding *confirms* a Schematron finding with
the same rule id and severity whose location is the same element or an ancestor of its
own. Text output and counts show the fault once, the confirming finding on a line of its
own below it ("confirmed by totals …", :func:`finding_lines`); machine-readable output
(JSON) keeps every finding of every layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Finding", "Layer", "Severity", "confirmations", "finding_lines"]

Severity = Literal["fatal", "warning", "information"]
Layer = Literal["ruleset", "input", "xsd", "schematron", "totals", "preflight"]
"""Where a finding comes from: notices about the rule-set version that ran (``ruleset``),
then the validation layers in the order they run; pre-flight reasons have their own."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed rule (or one problem with the input) at one place in the document."""

    rule_id: str
    severity: Severity
    layer: Layer
    message: str
    location: str | None = None
    line: int | None = None
    test: str | None = None
    contract_path: str | None = None
    """When the document was built from a model: the contract field the finding is
    about (``items[2].price``), see :func:`peppol_ubl.validate_invoice`."""
    original_severity: Severity | None = None
    """When the rule-set variant changed the rule's severity (XRechnung's scenarios set
    BR-CL-23 to a warning, for instance): the severity the rule itself has."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of this finding."""
        return asdict(self)

    def to_text(self) -> str:
        """The finding as one line for people, the one form every text output uses:
        ``[fatal] BR-CO-10 at /*:Invoice[1]/… (line 12) [totals.line_extension_amount]: message``."""
        was = f", was {self.original_severity}" if self.original_severity else ""
        text = f"[{self.severity}{was}] {self.rule_id}"
        if self.location:
            text += f" at {self.location}"
        if self.line is not None:
            text += f" (line {self.line})"
        if self.contract_path:
            text += f" [{self.contract_path}]"
        return f"{text}: {self.message}"

    def confirmation_text(self) -> str:
        """The line of a totals finding under the Schematron finding it confirms:
        ``confirmed by totals at /*:Invoice[1]/… (line 12): message``."""
        where = f" at {self.location}" if self.location else ""
        line = f" (line {self.line})" if self.line is not None else ""
        return f"confirmed by {self.layer}{where}{line}: {self.message}"


def _within(location: str, ancestor: str) -> bool:
    return location == ancestor or location.startswith(ancestor + "/")


def confirmations(findings: Sequence[Finding]) -> dict[int, int]:
    """``{index of a totals finding: index of the Schematron finding it confirms}``.

    A totals finding confirms the Schematron finding with the same rule id and severity
    whose location is its own or the nearest ancestor of it; findings without a location
    confirm nothing.
    """
    schematron: dict[tuple[str, str], list[int]] = {}
    for index, finding in enumerate(findings):
        if finding.layer == "schematron" and finding.location:
            schematron.setdefault((finding.rule_id, finding.severity), []).append(index)
    paired: dict[int, int] = {}
    for index, finding in enumerate(findings):
        if finding.layer != "totals" or not finding.location:
            continue
        location = finding.location
        candidates = [k for k in schematron.get((finding.rule_id, finding.severity), [])
                      if _within(location, findings[k].location or "")]
        if candidates:
            paired[index] = max(candidates, key=lambda k: len(findings[k].location or ""))
    return paired


def finding_lines(findings: Sequence[Finding]) -> list[str]:
    """One line per finding (:meth:`Finding.to_text`), except that a totals finding which
    confirms a Schematron finding is moved under it as an indented
    :meth:`Finding.confirmation_text` line (see :func:`confirmations`)."""
    confirming = confirmations(findings)
    below: dict[int, list[int]] = {}
    for totals, target in confirming.items():
        below.setdefault(target, []).append(totals)
    lines: list[str] = []
    for index, finding in enumerate(findings):
        if index in confirming:
            continue
        lines.append(finding.to_text())
        lines += [f"  {findings[k].confirmation_text()}" for k in below.get(index, [])]
    return lines
