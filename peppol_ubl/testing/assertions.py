"""``assert_valid``: one assertion that a document or model passes validation.

On failure the ``AssertionError`` carries the readable report: one line per finding
with rule id, location, line, and, for models, the contract field it is about.
"""

from __future__ import annotations

import os
from typing import Any

from ..contract import validate_invoice
from ..model import Invoice
from ..validation.api import validate
from ..validation.report import Report

__all__ = ["assert_valid"]


def assert_valid(document: Invoice | bytes | str | os.PathLike[str], **options: Any) -> Report:
    """Validate ``document`` (a model, XML bytes or a path) and return the report;
    raise ``AssertionError`` with the readable report when a finding is fatal.

    ``options`` are passed to :func:`peppol_ubl.validate` (``ruleset=``, ``totals=``…).
    """
    if isinstance(document, Invoice):
        report = validate_invoice(document, **options)
    else:
        report = validate(document, **options)
    if not report.ok:
        raise AssertionError(report.to_text())
    return report
