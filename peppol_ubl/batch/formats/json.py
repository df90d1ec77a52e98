"""JSON output of a batch: one document for the whole run, the same for one file or many.

The keys, always all of them, in this order (JSON Schema: ``peppol_ubl/report.schema.json``,
installed with the package and returned by :func:`report_schema`; ``report_version``
versions this envelope, each report carries its own)::

    report_version   1
    ruleset          name of the rule set, e.g. "peppol-bis-3"
    ruleset_version  its version, e.g. "3.0.21"; null for "auto" (each report names its own)
    user_rules       [path] of the user's Schematron files added to the run
    documents        [{file, status, error, report}], in the order given
        file         the name as given ("-" for standard input)
        status       "valid" | "invalid" | "unusable"
        error        why the document is unusable | null (valid or invalid)
        report       the document's report (see ``validation.report``); null when the
                     file could not be read; an unusable document the input layer
                     refused keeps its report, with the PU-INPUT-… finding
    summary          {documents, valid, invalid, unusable, expectation, unmet}
        expectation  "valid" | "invalid" | null (no expectation)
        unmet        [file] that did not meet the expectation
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ..runner import Batch

__all__ = ["BATCH_REPORT_VERSION", "batch_to_dict", "batch_to_json", "report_schema"]

BATCH_REPORT_VERSION = 1


def batch_to_dict(batch: Batch) -> dict[str, Any]:
    """A JSON-ready mapping with the documented keys."""
    return {
        "report_version": BATCH_REPORT_VERSION,
        "ruleset": batch.ruleset,
        "ruleset_version": batch.ruleset_version,
        "user_rules": list(batch.user_rules),
        "documents": [
            {
                "file": outcome.file,
                "status": outcome.status,
                "error": outcome.error,
                "report": outcome.report.to_dict() if outcome.report else None,
            }
            for outcome in batch.outcomes
        ],
        "summary": batch.summary(),
    }


def batch_to_json(batch: Batch) -> str:
    """The batch as indented JSON text (UTF-8 safe)."""
    return json.dumps(batch_to_dict(batch), indent=2, ensure_ascii=False)


@cache
def _schema_text() -> str:
    return resources.files("peppol_ubl").joinpath("report.schema.json").read_text(encoding="utf-8")


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``peppol-ubl validate --format json`` output
    (:func:`batch_to_dict`), whose ``$defs.report`` is one ``Report.to_dict()``; a new
    copy on every call."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema
