"""peppol-ubl: build and validate UBL 2.1 / Peppol BIS Billing 3.0 e-invoices.

The pipeline, one verb per step::

    Invoice (contract model) --calculate--> Invoice --to_xml--> UBL 2.1 bytes
    UBL bytes or path --validate--> Report   (input, UBL XSD, Schematron, totals)

Money is integer cents; quantities, rates and percentages are ``Decimal``.
"""

from .artifacts import artifact_path, artifact_status, fetch_all
from .calculate import calculate
from .errors import ArtifactError, BuildError, CalculationError, ParseError, PeppolUblError
from .model import Invoice
from .ubl import to_xml
from .validation import Finding, Report, get_ruleset, is_valid, rulesets, validate

__all__ = [
    "ArtifactError",
    "BuildError",
    "CalculationError",
    "Finding",
    "Invoice",
    "ParseError",
    "PeppolUblError",
    "Report",
    "artifact_path",
    "artifact_status",
    "calculate",
    "fetch_all",
    "get_ruleset",
    "is_valid",
    "rulesets",
    "to_xml",
    "validate",
]
