"""peppol-ubl: build and validate UBL 2.1 / Peppol BIS Billing 3.0 e-invoices.

The pipeline, one verb per step::

    Invoice (contract model) --calculate--> Invoice --to_xml--> UBL 2.1 bytes
    UBL bytes or path --validate--> Report   (input, UBL XSD, Schematron, totals)
    UBL bytes or path --parse--> Invoice     (parse_report: + what it could not carry)
    Invoice or UBL --preflight--> 204 / 412 with reasons and an idempotency fingerprint

Money is integer cents; quantities, rates and percentages are ``Decimal``.
"""

from .artifacts import artifact_path, artifact_status, fetch_all
from .calculate import calculate
from .errors import ArtifactError, BuildError, CalculationError, ParseError, PeppolUblError
from .fingerprint import fingerprint
from .model import Invoice
from .preflight import PreflightResult, preflight
from .ubl import ParseReport, parse, parse_report, to_xml
from .validation import Finding, Report, get_ruleset, is_valid, rulesets, validate
from .contract import validate_invoice
from .validation.schematron import SchematronError, compile_schematron

__all__ = [
    "ArtifactError",
    "BuildError",
    "CalculationError",
    "Finding",
    "Invoice",
    "ParseError",
    "ParseReport",
    "PeppolUblError",
    "PreflightResult",
    "Report",
    "SchematronError",
    "artifact_path",
    "artifact_status",
    "calculate",
    "compile_schematron",
    "fetch_all",
    "fingerprint",
    "get_ruleset",
    "is_valid",
    "parse",
    "parse_report",
    "preflight",
    "rulesets",
    "to_xml",
    "validate",
    "validate_invoice",
]
