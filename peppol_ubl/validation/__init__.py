"""Validation of UBL Invoice and CreditNote documents: the layers after the input one.

``validate(source)`` returns a :class:`~.report.Report`; ``is_valid(source)`` just its
verdict. Layers, in order: input safety (:mod:`peppol_ubl.xml.safe`), the UBL 2.1 XSD
(:mod:`.xsd`), the Schematron of the rule set in force (:mod:`.schematron`, our compiler)
and the recomputed totals (:mod:`.totals`). This package owns the layers and the report;
it may import the layers below it (xml, the catalogue and artefacts, ubl's amounts reader,
the arithmetic core) and nothing above. Its modules are internal; the public names are
those of :mod:`peppol_ubl`.
"""

from __future__ import annotations

from .api import is_valid, validate
from .report import ArtifactRef, LayerResult, LayerStatus, NextComparison, Report

__all__ = ["ArtifactRef", "LayerResult", "LayerStatus", "NextComparison", "Report", "is_valid", "validate"]
