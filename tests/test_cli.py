"""The ``peppol-ubl`` command in-process: every exit code path of every command.

Exit codes: 0 valid / succeeded, 1 at least one invalid document (or an unmet
expectation, or a 412 pre-flight), 2 unusable input or a usage error.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from lxml import etree

from peppol_ubl.calculation import calculate
from peppol_ubl.cli import main
from peppol_ubl.model import Invoice

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALID_JSON = FIXTURES / "invoices" / "standard-several-rates.json"
USER_RULES = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="cbc" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"/>
  <ns prefix="cac" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"/>
  <phase id="notes"><active pattern="notes"/></phase>
  <pattern id="notes">
    <rule context="/*">
      <assert id="HOUSE-001" flag="fatal" test="cbc:Note">A document MUST have a note.</assert>
    </rule>
  </pattern>
  <pattern id="ids">
    <rule context="/*">
      <report id="HOUSE-002" flag="warning" test="cbc:ID">The document has an ID.</report>
    </rule>
    <rule context="cac:InvoiceLine">
      <report id="HOUSE-003" flag="information" test="cbc:ID">An invoice line has an ID.</report>
    </rule>
  </pattern>
</schema>
"""


@pytest.fixture(scope="module")
def valid_xml(shared_dir: Path) -> Path:
    return shared_dir / "examples" / "peppol" / "examples" / "base-example.xml"


@pytest.fixture(scope="module")
def invalid_xml(shared_dir: Path) -> Path:
    """A CEN example with one fatal Peppol finding (R004) and two warnings."""
    return shared_dir / "examples" / "cen" / "ubl-tc434-creditnote1.xml"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def json_run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, dict]:
    code, out, _ = run(capsys, "validate", "--format", "json", *argv)
    return code, json.loads(out)


@pytest.fixture(scope="module")
def user_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's own rule set: every document needs a note (fatal), and an ID is reported."""
    path = tmp_path_factory.mktemp("rules") / "house-rules.sch"
    path.write_text(USER_RULES)
    return path


def rule_ids(document: dict) -> set[str]:
    return {finding["rule_id"] for finding in document["report"]["findings"]}


# validate: exit codes


def test_valid_document_exits_0(capsys: pytest.CaptureFixture[str], valid_xml: Path) -> None:
    code, out, _ = run(capsys, "validate", valid_xml)
    assert code == 0
    assert out.splitlines()[-1].startswith("1 document: 1 valid, 0 invalid, 0 unusable")


def test_invalid_document_exits_1_naming_the_rule(
    capsys: pytest.CaptureFixture[str], invalid_xml: Path
) -> None:
    code, out, _ = run(capsys, "validate", invalid_xml)
    assert code == 1
    assert "PEPPOL-EN16931-R004" in out


def test_missing_file_exits_2_and_the_others_are_still_reported(
    capsys: pytest.CaptureFixture[str], valid_xml: Path, tmp_path: Path
) -> None:
    code, report = json_run(capsys, valid_xml, tmp_path / "missing.xml")
    assert code == 2
    assert [d["status"] for d in report["documents"]] == ["valid", "unusable"]
    assert report["documents"][1]["report"] is None and report["documents"][1]["error"]
    assert report["summary"]["unusable"] == 1


def test_bytes_that_are_not_xml_are_unusable_and_keep_their_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.xml").write_text("this is not XML")
    code, report = json_run(capsys, tmp_path / "notes.xml")
    assert code == 2
    document = report["documents"][0]
    assert document["status"] == "unusable"
    assert rule_ids(document) == {"PU-INPUT-NOT-XML"}
    assert document["error"].startswith("PU-INPUT-NOT-XML: ")
    assert report["summary"]["unusable"] == 1 and report["summary"]["invalid"] == 0


def test_unknown_ruleset_is_a_usage_error(capsys: pytest.CaptureFixture[str], valid_xml: Path) -> None:
    code, _, err = run(capsys, "validate", "--ruleset", "no-such-rules", valid_xml)
    assert code == 2
    assert "peppol-bis-3" in err  # the known rule sets are listed


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_jobs_must_be_a_positive_integer(
    capsys: pytest.CaptureFixture[str], valid_xml: Path, jobs: str
) -> None:
    assert run(capsys, "validate", "--jobs", jobs, valid_xml)[0] == 2


@pytest.mark.parametrize(
    "argv",
    [[], ["validate"], ["no-such-command"], ["validate", "--expect-valid", "--expect-invalid", "x.xml"]],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert run(capsys, *argv)[0] == 2


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--help")
    assert code == 0 and "--expect-valid" in out


def test_directories_expand_to_their_xml_files_sorted(
    capsys: pytest.CaptureFixture[str], shared_dir: Path
) -> None:
    folder = shared_dir / "examples" / "cen"
    code, report = json_run(capsys, folder)
    expected = sorted(str(p) for p in folder.iterdir() if p.suffix.lower() == ".xml")
    assert [d["file"] for d in report["documents"]] == expected
    assert any(name.endswith(".XML") for name in expected)  # the suffix matches in any case
    assert code == 1


def test_a_directory_without_xml_files_is_unusable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "readme.txt").write_text("nothing to validate")
    assert run(capsys, "validate", tmp_path)[0] == 2


def test_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, valid_xml: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(valid_xml.read_bytes())))
    code, report = json_run(capsys, "-")
    assert code == 0
    assert report["documents"][0]["file"] == "-"
    assert report["documents"][0]["report"]["document_type"] == "Invoice"


def test_standard_input_only_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"<x/>")))
    assert run(capsys, "validate", "-", "-")[0] == 2


# build, calculate, parse, preflight, compile-schematron, artifacts


def test_build_writes_xml_and_validates_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "out" / "invoice.xml"
    code, stdout, _ = run(capsys, "build", VALID_JSON, "-o", out, "--validate")
    assert code == 0
    assert etree.parse(str(out)).getroot().tag.endswith("}Invoice")
    assert stdout.startswith("VALID")


def test_build_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["build", str(VALID_JSON)]) == 0
    assert etree.fromstring(capsysbinary.readouterr().out).tag.endswith("}Invoice")


def test_build_with_a_bad_invoice_names_the_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = json.loads(VALID_JSON.read_text())
    data["items"][1]["quantity"] = "a few"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, _, err = run(capsys, "build", bad)
    assert code == 2
    assert "items.1.quantity" in err


def test_build_with_a_file_that_is_not_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    assert run(capsys, "build", tmp_path / "bad.json")[0] == 2


def test_build_with_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "build", tmp_path / "missing.json")[0] == 2


def test_calculate_fills_in_the_amounts(capsys: pytest.CaptureFixture[str]) -> None:
    source = Invoice.model_validate_json(VALID_JSON.read_bytes())
    assert source.totals is None and source.tax_breakdown is None
    code, out, _ = run(capsys, "calculate", VALID_JSON)
    assert code == 0
    assert Invoice.model_validate_json(out) == calculate(source)


def test_calculate_with_a_bad_invoice(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"items": []}')
    code, _, err = run(capsys, "calculate", tmp_path / "bad.json")
    assert code == 2
    assert "items" in err


def test_parse_writes_the_contract_json(
    capsys: pytest.CaptureFixture[str], valid_xml: Path, tmp_path: Path
) -> None:
    out = tmp_path / "invoice.json"
    code, stdout, _ = run(capsys, "parse", valid_xml, "-o", out, "--unmapped")
    assert code == 0
    invoice = Invoice.model_validate_json(out.read_bytes())
    assert invoice.header.invoice_number == "Snippet1"
    assert stdout.split()[0].isdigit()  # the count of values not carried, then the list


def test_parse_to_stdout(capsys: pytest.CaptureFixture[str], valid_xml: Path) -> None:
    code, out, _ = run(capsys, "parse", valid_xml)
    assert code == 0
    assert Invoice.model_validate_json(out).header.invoice_number == "Snippet1"


def test_parse_refuses_what_is_not_ubl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "notes.xml").write_text("this is not XML")
    assert run(capsys, "parse", tmp_path / "notes.xml")[0] == 2


def test_preflight_accepts_a_buildable_valid_invoice(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "preflight", VALID_JSON, "--format", "json")
    result = json.loads(out)
    assert (code, result["status"], result["accepted"]) == (0, 204, True)
    assert len(result["fingerprint"]) == 64


def test_preflight_412_exits_1_with_reasons(capsys: pytest.CaptureFixture[str], valid_xml: Path) -> None:
    code, out, _ = run(capsys, "preflight", valid_xml, "--receiver", "not-an-id")
    assert code == 1
    assert out.split()[0] == "412"
    assert "PU-PREFLIGHT-RECEIVER-SYNTAX" in out


def test_preflight_of_a_missing_file_is_unusable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "preflight", tmp_path / "missing.xml")[0] == 2


def test_compile_schematron(capsys: pytest.CaptureFixture[str], tmp_path: Path, user_rules: Path) -> None:
    out = tmp_path / "rules.xsl"
    assert run(capsys, "compile-schematron", user_rules, "-o", out)[0] == 0
    assert etree.parse(str(out)).getroot().tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"


def test_compile_schematron_unknown_phase(capsys: pytest.CaptureFixture[str], user_rules: Path) -> None:
    assert run(capsys, "compile-schematron", user_rules, "--phase", "no-such-phase")[0] == 2


def test_compile_schematron_of_a_file_that_is_not_schematron(
    capsys: pytest.CaptureFixture[str], valid_xml: Path
) -> None:
    assert run(capsys, "compile-schematron", valid_xml)[0] == 2


def test_artifacts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "artifacts")
    assert code == 0
    assert "ubl-2.1" in out


# validate --schematron: a user's own rules added to the run


def test_user_rules_add_their_findings_to_the_schematron_layer(
    capsys: pytest.CaptureFixture[str], valid_xml: Path, user_rules: Path
) -> None:
    code, report = json_run(capsys, "--schematron", user_rules, valid_xml)
    assert code == 1  # base-example has no note: HOUSE-001 is fatal
    document = report["documents"][0]
    added = [f for f in document["report"]["findings"] if f["rule_id"].startswith("HOUSE-")]
    assert {(f["rule_id"], f["severity"], f["layer"]) for f in added} == {
        ("HOUSE-001", "fatal", "schematron"),
        ("HOUSE-002", "warning", "schematron"),
        ("HOUSE-003", "information", "schematron"),
    }
    layer = next(result for result in document["report"]["layers"] if result["layer"] == "schematron")
    assert layer["status"] == "failed"
    assert report["user_rules"] == [str(user_rules)]


def test_user_rule_findings_carry_their_source_lines(
    capsys: pytest.CaptureFixture[str], valid_xml: Path, user_rules: Path
) -> None:
    _, report = json_run(capsys, "--schematron", user_rules, valid_xml)
    root = etree.parse(str(valid_xml)).getroot()
    lines = root.findall(
        "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}InvoiceLine"
    )
    findings = report["documents"][0]["report"]["findings"]
    assert [f["line"] for f in findings if f["rule_id"] == "HOUSE-001"] == [root.sourceline]
    assert [f["line"] for f in findings if f["rule_id"] == "HOUSE-003"] == [line.sourceline for line in lines]
    assert len(lines) > 1


def test_user_rules_repeatable_and_without_effect_on_a_refused_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, user_rules: Path
) -> None:
    (tmp_path / "notes.xml").write_text("this is not XML")
    code, report = json_run(
        capsys, "--schematron", user_rules, "--schematron", user_rules, tmp_path / "notes.xml"
    )
    assert code == 2
    assert rule_ids(report["documents"][0]) == {"PU-INPUT-NOT-XML"}


def test_user_rules_twice_report_twice(
    capsys: pytest.CaptureFixture[str], invalid_xml: Path, user_rules: Path
) -> None:
    _, report = json_run(capsys, "--schematron", user_rules, "--schematron", user_rules, invalid_xml)
    findings = report["documents"][0]["report"]["findings"]
    assert sum(f["rule_id"] == "HOUSE-002" for f in findings) == 2


@pytest.mark.parametrize("rules", ["missing.sch", "not-schematron.sch"])
def test_unusable_user_rules_exit_2_before_any_document(
    capsys: pytest.CaptureFixture[str], valid_xml: Path, tmp_path: Path, rules: str
) -> None:
    (tmp_path / "not-schematron.sch").write_text("<rules/>")
    code, out, err = run(capsys, "validate", "--schematron", tmp_path / rules, valid_xml)
    assert code == 2
    assert out == "" and rules in err


# --- rule sets in force -----------------------------------------------------------------


def test_rulesets_lists_every_version_and_marks_the_one_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rulesets", "--on", "2026-06-01")
    assert code == 0
    rows = {tuple(line.split()[:2]): line for line in out.splitlines()[1:]}
    assert set(rows) >= {("peppol-bis-3", v) for v in ("3.0.19", "3.0.20", "3.0.21")}
    assert "in force on 2026-06-01" in rows[("peppol-bis-3", "3.0.20")]
    assert "published, not yet mandatory" in rows[("peppol-bis-3", "3.0.21")]
    assert "in force" not in rows[("peppol-bis-3", "3.0.19")]
    code, out, _ = run(capsys, "rulesets", "--on", "2026-12-01", "--format", "json")
    listed = json.loads(out)
    status = {(r["name"], r["version"]): r["status"] for r in listed["rulesets"]}
    assert status[("peppol-bis-3", "3.0.21")] == "in force" and status[("peppol-bis-3", "3.0.20")] == "superseded"
    assert (listed["on"], listed["default"]) == ("2026-12-01", "peppol-bis-3")


@pytest.mark.parametrize(("args", "needle"), [
    (("--ruleset", "peppol-bis-3@3.0.18"), "3.0.19, 3.0.20, 3.0.21"),
    (("--on", "2026-13-01"), "YYYY-MM-DD"),
])
def test_bad_rule_set_options_are_usage_errors(capsys: pytest.CaptureFixture[str], valid_xml: Path,
                                               args: tuple[str, ...], needle: str) -> None:
    code, _, err = run(capsys, "validate", *args, valid_xml)
    assert code == 2 and needle in err


def test_on_and_compare_next_in_the_text_output(capsys: pytest.CaptureFixture[str], valid_xml: Path) -> None:
    code, out, _ = run(capsys, "validate", "--on", "2026-06-01", "--compare-next", valid_xml)
    assert code == 0
    assert "against peppol-bis-3@3.0.20" in out and "PU-RULESET-UPCOMING" in out
    assert "compared with peppol-bis-3@3.0.21 (valid there): 0 finding(s) added, 0 removed" in out
    code, report = json_run(capsys, "--ruleset", "peppol-bis-3@3.0.19", valid_xml)
    assert code == 0 and report["ruleset_version"] == "3.0.19"
    assert report["documents"][0]["report"]["ruleset_reason"] == "pinned by the caller"
