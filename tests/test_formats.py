"""Batch output formats: JSON against its JSON Schema, JUnit XML through a JUnit parser,
SARIF 2.1.0 structure, text and summary.

One batch covers every kind of outcome: a valid document, an invalid one with fatal
findings and warnings, one the input layer refuses, and a missing file.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from junitparser import Error, Failure, JUnitXml

from peppol_ubl import report_schema
from peppol_ubl.codes import code
from peppol_ubl.batch.runner import Batch, Input, run_batch
from peppol_ubl.batch.formats.json import batch_to_dict, batch_to_json
from peppol_ubl.batch.formats.junit import batch_to_junit
from peppol_ubl.batch.formats.sarif import batch_to_sarif, batch_to_sarif_dict
from peppol_ubl.batch.formats.text import batch_to_text

SCHEMA = report_schema()  # the one home of the schema: package data


@pytest.fixture(scope="module")
def folder(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    shutil.copy(shared_dir / "examples" / "peppol" / "examples" / "base-example.xml", folder / "valid.xml")
    shutil.copy(shared_dir / "examples" / "cen" / "ubl-tc434-creditnote1.xml", folder / "invalid.xml")
    (folder / "not-xml.xml").write_text("this is not XML")
    return folder


def batch_of(folder: Path, expectation: Any = None) -> Batch:
    names = ["valid.xml", "invalid.xml", "not-xml.xml", "missing.xml"]
    return run_batch(
        [Input(str(folder / name)) for name in names], ruleset="peppol-bis-3", expectation=expectation
    )


@pytest.fixture(scope="module")
def batch(folder: Path) -> Batch:
    return batch_of(folder)


# the batch itself


def test_outcomes_and_summary(batch: Batch, folder: Path) -> None:
    assert [o.status for o in batch.outcomes] == ["valid", "invalid", "unusable", "unusable"]
    assert batch.summary() == {
        "documents": 4,
        "valid": 1,
        "invalid": 1,
        "unusable": 2,
        "expectation": None,
        "unmet": [],
    }
    assert batch.summary_line() == "4 documents: 1 valid, 1 invalid, 2 unusable"
    refused, missing = batch.outcomes[2], batch.outcomes[3]
    assert refused.report is not None and refused.error and refused.error.startswith("PU-INPUT-NOT-XML: ")
    assert missing.report is None and missing.error
    report = batch.outcomes[1].report
    assert report is not None
    assert {f.severity for f in report.findings} == {"fatal", "warning"}  # the formats need both


def test_text_has_one_block_per_document_and_the_summary_last(batch: Batch) -> None:
    lines = batch_to_text(batch).splitlines()
    starts = [line.split(": ")[0] for line in lines if not line.startswith("[")]
    assert starts[:-1] == [o.file for o in batch.outcomes]
    assert lines[-1] == batch.summary_line()


# JSON: the documented schema


def schema_errors(instance: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Where ``instance`` breaks ``schema``: the JSON Schema keywords report.schema.json uses."""
    if "$ref" in schema:
        return schema_errors(instance, SCHEMA["$defs"][schema["$ref"].removeprefix("#/$defs/")], path)
    errors: list[str] = []
    if "anyOf" in schema and all(schema_errors(instance, option, path) for option in schema["anyOf"]):
        errors.append(f"{path}: matches no alternative")
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} not in {schema['enum']}")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(instance, name) for name in types):
            return [*errors, f"{path}: not of type {types}"]
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        errors += [f"{path}: no {key!r}" for key in schema.get("required", []) if key not in instance]
        if schema.get("additionalProperties") is False:
            errors += [f"{path}: unexpected {key!r}" for key in instance if key not in properties]
        for key, value in instance.items():
            if key in properties:
                errors += schema_errors(value, properties[key], f"{path}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            errors += schema_errors(item, schema["items"], f"{path}[{index}]")
    if isinstance(instance, str):
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            errors.append(f"{path}: does not match {schema['pattern']}")
        if len(instance) < schema.get("minLength", 0):
            errors.append(f"{path}: too short")
    if _is(instance, "number") and "minimum" in schema and instance < schema["minimum"]:
        errors.append(f"{path}: below {schema['minimum']}")
    return errors


def _is(instance: Any, name: str) -> bool:
    number = isinstance(instance, (int, float)) and not isinstance(instance, bool)
    return {
        "object": isinstance(instance, dict),
        "array": isinstance(instance, list),
        "string": isinstance(instance, str),
        "integer": number and float(instance).is_integer(),
        "number": number,
        "boolean": isinstance(instance, bool),
        "null": instance is None,
    }[name]


@pytest.mark.parametrize("expectation", [None, "valid", "invalid"])
def test_json_output_follows_the_schema(folder: Path, expectation: Any) -> None:
    output = json.loads(batch_to_json(batch_of(folder, expectation)))
    assert schema_errors(output, SCHEMA) == []
    assert output["summary"]["expectation"] == expectation


def test_the_schema_check_catches_drift(batch: Batch) -> None:
    output = batch_to_dict(batch)
    output["documents"][1]["report"]["findings"][0]["extra"] = 1
    del output["documents"][0]["report"]["layers"][0]["status"]
    output["documents"][3]["status"] = "lost"
    assert len(schema_errors(json.loads(json.dumps(output)), SCHEMA)) == 3


def test_json_documents_keep_the_reports(batch: Batch) -> None:
    output = batch_to_dict(batch)
    for document, outcome in zip(output["documents"], batch.outcomes, strict=True):
        assert document["report"] == (outcome.report.to_dict() if outcome.report else None)


# JUnit XML, read with junitparser


def test_junit_one_case_per_document_at_most_one_failure_listing_every_fatal_finding(batch: Batch) -> None:
    suites = list(JUnitXml.fromstring(batch_to_junit(batch)))
    assert len(suites) == 1
    suite = suites[0]
    cases = list(suite)
    assert [(c.classname, c.name) for c in cases] == [("peppol-bis-3", o.file) for o in batch.outcomes]
    for case, outcome in zip(cases, batch.outcomes, strict=True):
        failures = [r for r in case.result if isinstance(r, Failure)]
        errors = [r for r in case.result if isinstance(r, Error)]
        assert len(failures) + len(errors) <= 1
        if outcome.status == "unusable":
            assert (len(failures), len(errors)) == (0, 1)
            assert errors[0].type == "unusable" and errors[0].message == outcome.error
            continue
        assert outcome.report is not None
        fatal = outcome.report.fatal
        assert not errors and len(failures) == (1 if fatal else 0)
        if fatal:
            (failure,) = failures
            assert failure.type == "fatal" and failure.message.startswith(f"{len(fatal)} fatal finding")
            assert failure.text.splitlines() == [f.to_text() for f in fatal]
        warnings = [f for f in outcome.report.findings if f.severity != "fatal"]
        assert (case.system_out or "").count("\n") + bool(case.system_out) == len(warnings)
        assert all(f.rule_id in case.system_out for f in warnings)
    counted = (suite.tests, suite.failures, suite.errors)
    suite.update_statistics()  # junitparser's own count from the test cases
    assert counted == (suite.tests, suite.failures, suite.errors)
    assert (suite.tests, suite.failures, suite.errors) == (4, 1, 2)


def test_junit_failure_text_has_the_location_and_line(batch: Batch) -> None:
    case = list(next(iter(JUnitXml.fromstring(batch_to_junit(batch)))))[1]
    fatal = batch.outcomes[1].report.fatal  # type: ignore[union-attr]
    (failure,) = case.result
    for line, finding in zip(failure.text.splitlines(), fatal, strict=True):
        assert finding.location and finding.location in line
        assert finding.line is not None and f"(line {finding.line})" in line


def test_junit_expecting_invalid_fails_only_the_valid_document(folder: Path) -> None:
    batch = batch_of(folder, "invalid")
    cases = list(next(iter(JUnitXml.fromstring(batch_to_junit(batch)))))
    assert [[r.type for r in case.result] for case in cases] == [["expectation"], [], ["unusable"], ["unusable"]]
    assert "PEPPOL-EN16931-R004" in cases[1].system_out


# SARIF 2.1.0


def test_sarif_log_structure(batch: Batch) -> None:
    log = json.loads(batch_to_sarif(batch))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "peppol-ubl"
    findings = [f for o in batch.outcomes if o.report for f in o.report.findings]
    assert [rule["id"] for rule in driver["rules"]] == list(dict.fromkeys(f.rule_id for f in findings))
    assert all(rule["shortDescription"]["text"] for rule in driver["rules"])
    assert len(run["results"]) == len(findings)
    for result, finding in zip(run["results"], findings, strict=True):
        assert set(result) >= {"ruleId", "ruleIndex", "level", "message", "locations"}
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule_id
        assert (
            result["level"]
            == {"fatal": "error", "warning": "warning", "information": "note"}[finding.severity]
        )
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"].startswith("file:///")
        assert physical.get("region", {}).get("startLine") == finding.line
        if finding.location:
            assert location["logicalLocations"][0]["fullyQualifiedName"] == finding.location


def test_sarif_unusable_documents_are_notifications(batch: Batch) -> None:
    (invocation,) = batch_to_sarif_dict(batch)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    notifications = invocation["toolExecutionNotifications"]
    assert all(n["level"] == "error" and n["message"]["text"] for n in notifications)
    uris = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notifications]
    assert [uri.rsplit("/", 1)[-1] for uri in uris] == ["not-xml.xml", "missing.xml"]


def test_sarif_uris_of_relative_names_are_escaped_relative_references(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    shutil.copy(folder / "invalid.xml", folder / "credit note #1.xml")
    batch = run_batch([Input("credit note #1.xml")], ruleset="peppol-bis-3")
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in batch_to_sarif_dict(batch)["runs"][0]["results"]
    }
    assert uris == {"credit%20note%20%231.xml"}


RULES_WITH_VALUES = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="cbc" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"/>
  <pattern>
    <rule context="/*">
      <report id="HOUSE-ID" flag="warning" test="cbc:ID">The document <name/> has the id
        '<value-of select="cbc:ID"/>', issued on <value-of select="cbc:IssueDate"/>.</report>
    </rule>
  </pattern>
</schema>
"""


def test_sarif_rule_descriptions_are_the_rules_own_text(folder: Path, tmp_path: Path) -> None:
    rules = tmp_path / "house.sch"
    rules.write_text(RULES_WITH_VALUES)
    batch = run_batch([Input(str(folder / "valid.xml")), Input(str(folder / "invalid.xml"))],
                      ruleset="peppol-bis-3", user_rules=[rules], jobs=1)
    driver = batch_to_sarif_dict(batch)["runs"][0]["tool"]["driver"]
    described = {rule["id"]: rule["shortDescription"]["text"] for rule in driver["rules"]}
    # the user's rule: its message with the dynamic parts (name, value-of) left out
    assert described["HOUSE-ID"] == "The document … has the id ' … ', issued on … ."
    messages = {f.message for o in batch.outcomes if o.report for f in o.report.findings if f.rule_id == "HOUSE-ID"}
    assert len(messages) == 2 and described["HOUSE-ID"] not in messages  # two instances, one description
    # an official rule: the Schematron assert's text, the same for every document
    assert described["PEPPOL-EN16931-R004"].startswith("[PEPPOL-EN16931-R004]-Specification identifier MUST")


def test_sarif_describes_our_own_ids_by_their_meaning(batch: Batch) -> None:
    driver = batch_to_sarif_dict(batch)["runs"][0]["tool"]["driver"]
    described = {rule["id"]: rule["shortDescription"]["text"] for rule in driver["rules"]}
    assert described["PU-INPUT-NOT-XML"] == code("PU-INPUT-NOT-XML").meaning
