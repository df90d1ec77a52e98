"""Validation of UBL Invoice and CreditNote documents: input safety, XSD, Schematron, totals.

``validate(source)`` returns a ``Report``; ``is_valid(source)`` just its verdict. The
input layer is usable on its own (``parse_document``, ``load_document``) by readers that
need the same hardened parsing.
"""

from __future__ import annotations

from .api import is_valid, validate
from ..findings import Finding, Layer, Severity
from ..catalogue import RuleSet, get_ruleset, rulesets
from .report import ArtifactRef, LayerResult, LayerStatus, NextComparison, Report
from ..xml.safe import DocumentType, InputLimits, ParsedDocument, hardened_parser, load_document, parse_document

__all__ = [
    "ArtifactRef",
    "DocumentType",
    "Finding",
    "InputLimits",
    "Layer",
    "LayerResult",
    "LayerStatus",
    "NextComparison",
    "ParsedDocument",
    "Report",
    "RuleSet",
    "Severity",
    "get_ruleset",
    "hardened_parser",
    "is_valid",
    "load_document",
    "parse_document",
    "rulesets",
    "validate",
]
