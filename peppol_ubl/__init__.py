"""peppol-ubl: build and validate UBL 2.1 / Peppol BIS Billing 3.0 e-invoices.

The pipeline, one verb per step::

    Invoice (contract model) --calculate--> Invoice --to_xml--> UBL 2.1 bytes
    UBL bytes or path --validate--> Report   (input, UBL XSD, Schematron, totals)
    UBL bytes or path --parse--> Invoice     (parse_report: + what it could not carry)
    Invoice or UBL --preflight--> 204 / 412 with reasons and an idempotency fingerprint

Money is integer cents; quantities, rates and percentages are ``Decimal``.

This module is the public API and nothing else. Its names are loaded on first use, so
``import peppol_ubl.money`` or ``peppol_ubl.model`` (and the pytest plugin) load neither
the validation package nor Saxon; Saxon starts when a Schematron layer first runs.

Public modules, besides this one: ``peppol_ubl.model``, ``peppol_ubl.errors``,
``peppol_ubl.codes``, ``peppol_ubl.money``, ``peppol_ubl.catalogue`` and
``peppol_ubl.testing``, and ``validate_many`` of ``peppol_ubl.batch`` (many documents, on
local processes or a Dask cluster). Every other module is internal: import its names from
here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .artifacts import artifact_path as artifact_path
    from .artifacts import artifact_status as artifact_status
    from .artifacts import fetch_all as fetch_all
    from .calculation import calculate as calculate
    from .catalogue import RuleSet as RuleSet
    from .catalogue import get_ruleset as get_ruleset
    from .catalogue import rulesets as rulesets
    from .contract import validate_invoice as validate_invoice
    from .errors import ArtifactError as ArtifactError
    from .errors import BuildError as BuildError
    from .errors import CalculationError as CalculationError
    from .errors import ParseError as ParseError
    from .errors import PeppolUblError as PeppolUblError
    from .findings import Finding as Finding
    from .fingerprints import fingerprint as fingerprint
    from .model import Invoice as Invoice
    from .sending import PreflightResult as PreflightResult
    from .sending import preflight as preflight
    from .ubl import ParseReport as ParseReport
    from .ubl import parse as parse
    from .ubl import parse_report as parse_report
    from .ubl import to_xml as to_xml
    from .validation import Report as Report
    from .validation import is_valid as is_valid
    from .validation import validate as validate
    from .validation.schematron import SchematronError as SchematronError
    from .validation.schematron import compile_schematron as compile_schematron

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
    "RuleSet",
    "SchematronError",
    "__version__",
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

_HOMES = {
    "artifact_path": "artifacts", "artifact_status": "artifacts", "fetch_all": "artifacts",
    "calculate": "calculation", "RuleSet": "catalogue", "get_ruleset": "catalogue", "rulesets": "catalogue",
    "validate_invoice": "contract", "ArtifactError": "errors", "BuildError": "errors",
    "CalculationError": "errors", "ParseError": "errors", "PeppolUblError": "errors",
    "Finding": "findings", "fingerprint": "fingerprints", "Invoice": "model",
    "PreflightResult": "sending", "preflight": "sending", "ParseReport": "ubl", "parse": "ubl",
    "parse_report": "ubl", "to_xml": "ubl", "Report": "validation", "is_valid": "validation",
    "validate": "validation", "SchematronError": "validation.schematron",
    "compile_schematron": "validation.schematron",
}
"""Where each public name lives: imported from there the first time it is asked for."""

if TYPE_CHECKING:
    __version__: str


def _version() -> str:
    """The installed distribution's version, from its metadata."""
    from importlib.metadata import PackageNotFoundError, version  # costly: only when asked

    try:
        return version("peppol-ubl")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _HOMES:
        value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'peppol_ubl' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
