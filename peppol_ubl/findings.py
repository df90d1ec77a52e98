"""Findings: one problem found in a document by one validation layer.

Every finding carries a stable rule id (the official id such as ``BR-CO-10`` or
``PEPPOL-EN16931-R040``, or ``PU-…`` for checks of our own), a severity, the layer that
found it, a location (an XPath into the validated document, when there is one) and a
message a person can act on. Findings on a document built from a model also name the
contract field they are about.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Finding", "Layer", "Severity"]

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
