"""SARIF 2.1.0 output of a batch, for code-scanning dashboards: one run, one result per finding.

The run's tool driver is ``peppol-ubl`` with the rules that fired: ``id`` and a
``shortDescription`` that is the rule's own text (the Schematron check's message with
its dynamic parts left out, or the meaning of a ``PU-…`` id; see :mod:`.descriptions`),
else the message of the rule's first finding. Each finding is a result with ``ruleId``/``ruleIndex``,
``level`` (fatal → ``error``, warning → ``warning``, information → ``note``), its
``message`` and one location: the file as ``artifactLocation.uri`` with ``region.startLine``
when the line is known, and the XPath as a logical location's ``fullyQualifiedName``.
Unusable documents are tool execution notifications of the run's one invocation (which
then is not successful). ``properties`` carries the rule set and the batch summary.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ...findings import Finding, Severity
from ..runner import Batch
from .descriptions import rule_descriptions

__all__ = ["SARIF_SCHEMA", "batch_to_sarif", "batch_to_sarif_dict"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS: dict[Severity, str] = {"fatal": "error", "warning": "warning", "information": "note"}


def batch_to_sarif_dict(batch: Batch) -> dict[str, Any]:
    """The batch as a SARIF 2.1.0 log (a JSON-ready mapping)."""
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    descriptions = rule_descriptions([outcome.report for outcome in batch.outcomes if outcome.report])
    for outcome in batch.outcomes:
        for finding in outcome.report.findings if outcome.report else []:
            if finding.rule_id not in index:
                index[finding.rule_id] = len(rules)
                rules.append(_rule(finding, descriptions.get(finding.rule_id) or finding.message))
            results.append(_result(finding, outcome.file, index[finding.rule_id]))
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{outcome.file}: {outcome.error}"},
            "locations": [_location(outcome.file)],
        }
        for outcome in batch.outcomes
        if outcome.status == "unusable"
    ]
    driver: dict[str, Any] = {"name": "peppol-ubl", "rules": rules}
    version = _version()
    if version is not None:
        driver["version"] = version
    run = {
        "tool": {"driver": driver},
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
        "results": results,
        "properties": {
            "ruleset": batch.ruleset,
            "rulesetVersion": batch.ruleset_version,
            "userRules": list(batch.user_rules),
            "summary": batch.summary(),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def batch_to_sarif(batch: Batch) -> str:
    """The batch as SARIF 2.1.0 JSON text."""
    return json.dumps(batch_to_sarif_dict(batch), indent=2, ensure_ascii=False)


def _rule(finding: Finding, description: str) -> dict[str, Any]:
    return {
        "id": finding.rule_id,
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": _LEVELS[finding.severity]},
        "properties": {"layer": finding.layer},
    }


def _result(finding: Finding, file: str, rule_index: int) -> dict[str, Any]:
    location = _location(file, finding.line)
    if finding.location:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.location, "kind": "element"}]
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
    }
    if finding.test:
        result["properties"] = {"test": finding.test}
    return result


def _location(file: str, line: int | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file)}}
    if line is not None:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _uri(file: str) -> str:
    """A URI reference for a file name: ``file://`` when absolute, else relative and escaped."""
    path = Path(file)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix())


def _version() -> str | None:
    """This package's version; ``None`` in a source tree that was never installed."""
    from importlib.metadata import PackageNotFoundError, version  # here: it loads the e-mail package

    try:
        return version("peppol-ubl")
    except PackageNotFoundError:
        return None
