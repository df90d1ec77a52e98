"""``peppol-ubl validate`` over folders: expectations, a process pool, progress on a terminal."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from junitparser import JUnitXml

from peppol_ubl.cli import main


@pytest.fixture(scope="module")
def examples(shared_dir: Path) -> Path:
    """The official Peppol example documents, all valid under peppol-bis-3."""
    return shared_dir / "examples" / "peppol" / "examples"


@pytest.fixture
def mixed(shared_dir: Path, examples: Path, tmp_path: Path) -> Path:
    """Two valid documents, one invalid (a fatal finding and warnings), one that is not XML."""
    for name in ("base-example.xml", "vat-category-E.xml"):
        shutil.copy(examples / name, tmp_path / name)
    shutil.copy(shared_dir / "examples" / "cen" / "ubl-tc434-creditnote1.xml", tmp_path / "credit-note.xml")
    (tmp_path / "not-xml.xml").write_text("this is not XML")
    return tmp_path


def validate_json(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, dict[str, Any], str]:
    code = main(["validate", "--format", "json", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_the_official_examples_are_valid(capsys: pytest.CaptureFixture[str], examples: Path) -> None:
    code, report, err = validate_json(capsys, "--expect-valid", examples)
    files = sorted(str(p) for p in examples.glob("*.xml"))
    assert code == 0
    assert report["summary"] == {
        "documents": len(files),
        "valid": len(files),
        "invalid": 0,
        "unusable": 0,
        "expectation": "valid",
        "unmet": [],
    }
    assert err.startswith(f"{len(files)} documents: {len(files)} valid, 0 invalid, 0 unusable")


def test_expecting_the_official_examples_invalid_fails_naming_each(
    capsys: pytest.CaptureFixture[str], examples: Path
) -> None:
    code, report, err = validate_json(capsys, "--expect-invalid", examples)
    files = sorted(str(p) for p in examples.glob("*.xml"))
    assert code == 1
    assert report["summary"]["unmet"] == files
    assert all(name in err for name in files)


def test_expect_valid_names_the_invalid_ones(capsys: pytest.CaptureFixture[str], mixed: Path) -> None:
    code, report, err = validate_json(capsys, "--expect-valid", mixed)
    unmet = [str(mixed / "credit-note.xml"), str(mixed / "not-xml.xml")]
    assert code == 2  # not-xml.xml is unusable
    assert report["summary"]["unmet"] == unmet
    assert all(name in err for name in unmet)


def test_expect_invalid_holds_for_invalid_documents(capsys: pytest.CaptureFixture[str], mixed: Path) -> None:
    code, _, _ = validate_json(capsys, "--expect-invalid", mixed / "credit-note.xml")
    assert code == 0


def test_an_unusable_document_never_meets_expect_invalid(capsys: pytest.CaptureFixture[str], mixed: Path) -> None:
    code, report, _ = validate_json(capsys, "--expect-invalid", mixed / "credit-note.xml", mixed / "not-xml.xml")
    assert code == 2
    assert report["summary"]["unmet"] == [str(mixed / "not-xml.xml")]


def test_an_unusable_file_exits_2_even_with_an_expectation(
    capsys: pytest.CaptureFixture[str], mixed: Path
) -> None:
    code, report, _ = validate_json(
        capsys, "--expect-valid", mixed / "base-example.xml", mixed / "missing.xml"
    )
    assert code == 2
    assert report["summary"]["unmet"] == [str(mixed / "missing.xml")]


def test_without_expectation_one_invalid_document_exits_1(
    capsys: pytest.CaptureFixture[str], mixed: Path
) -> None:
    code, report, _ = validate_json(capsys, mixed / "base-example.xml", mixed / "credit-note.xml")
    assert code == 1
    assert [d["status"] for d in report["documents"]] == ["valid", "invalid"]


def test_a_file_the_input_layer_refuses_makes_the_batch_exit_2(
    capsys: pytest.CaptureFixture[str], mixed: Path
) -> None:
    code, report, _ = validate_json(capsys, mixed)
    assert code == 2
    assert [d["status"] for d in report["documents"]] == ["valid", "invalid", "unusable", "valid"]
    refused = report["documents"][2]
    assert refused["report"]["findings"][0]["rule_id"] == "PU-INPUT-NOT-XML"


def comparable(report: dict[str, Any]) -> list[Any]:
    """Each document's file, status and findings: what must not depend on ``--jobs``."""
    return [
        (
            d["file"],
            d["status"],
            d["report"] and d["report"]["findings"],
            d["report"] and d["report"]["document_sha256"],
        )
        for d in report["documents"]
    ]


def test_two_jobs_give_the_same_results_as_one(capsys: pytest.CaptureFixture[str], mixed: Path) -> None:
    argv = [mixed, mixed / "missing.xml"]
    one = validate_json(capsys, "--jobs", "1", *argv)
    two = validate_json(capsys, "--jobs", "2", *argv)
    assert one[0] == two[0] == 2
    assert comparable(one[1]) == comparable(two[1])
    assert one[1]["summary"] == two[1]["summary"]


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_for_several_files(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, examples: Path
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr("peppol_ubl.cli.validate._REDRAW_SECONDS", 0)  # draw every step
    assert main(["validate", "--jobs", "1", str(examples)]) == 0
    total = len(list(examples.glob("*.xml")))
    drawn = terminal.getvalue()
    assert f"| 1/{total} [" in drawn and f"| {total}/{total} [" in drawn  # the count
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d, +[\d.]+(doc/s|s/doc)\]", drawn)  # elapsed<ETA, rate
    assert drawn.split("\r")[-1].strip() == ""  # the bar is cleared at the end


def test_no_progress_for_one_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, examples: Path
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["validate", str(examples / "base-example.xml")]) == 0
    assert terminal.getvalue() == ""


def test_no_progress_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], examples: Path
) -> None:
    assert main(["validate", str(examples)]) == 0
    assert capsys.readouterr().err == ""


def test_junit_on_stdout_summary_on_stderr(capsysbinary: pytest.CaptureFixture[bytes], mixed: Path) -> None:
    code = main(["validate", "--format", "junit", str(mixed)])
    out, err = capsysbinary.readouterr()
    (suite,) = list(JUnitXml.fromstring(out))
    assert code == 2
    assert (suite.tests, len([case for case in suite if not case.is_passed])) == (4, 2)
    assert err.decode().startswith("4 documents: 2 valid, 1 invalid, 1 unusable")


def test_sarif_on_stdout(capsys: pytest.CaptureFixture[str], mixed: Path) -> None:
    code = main(["validate", "--format", "sarif", str(mixed / "credit-note.xml")])
    log = json.loads(capsys.readouterr().out)
    assert code == 1
    assert "PEPPOL-EN16931-R004" in {result["ruleId"] for result in log["runs"][0]["results"]}


def test_folders_are_searched_at_any_depth_with_a_glob(capsys: pytest.CaptureFixture[str], examples: Path,
                                                       tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(examples / "base-example.xml", nested / "deep.XML")
    shutil.copy(examples / "base-example.xml", tmp_path / "top.xml")
    shutil.copy(examples / "base-example.xml", tmp_path / "a" / "other.ubl")
    (tmp_path / "a" / "notes.txt").write_text("not a document")
    code, report, _ = validate_json(capsys, tmp_path)
    assert code == 0
    assert [d["file"] for d in report["documents"]] == [str(nested / "deep.XML"), str(tmp_path / "top.xml")]
    code, report, _ = validate_json(capsys, "--glob", "*.ubl", tmp_path)
    assert [d["file"] for d in report["documents"]] == [str(tmp_path / "a" / "other.ubl")]
    assert validate_json.__name__ and main(["validate", "--glob", "*.json", str(tmp_path)]) == 2


def test_jobs_auto_uses_one_process_for_small_batches() -> None:
    from peppol_ubl.batch.runner import POOL_FROM_BYTES, Input, auto_jobs

    small = [Input("-", b"x" * 1000)] * 40
    large = [Input("-", b"x" * (POOL_FROM_BYTES // 10))] * 10
    assert auto_jobs(small, cpus=8) == 1
    assert auto_jobs(large, cpus=8) == 8 and auto_jobs(large, cpus=1) == 1
    assert auto_jobs(large[:1], cpus=8) == 1
    assert auto_jobs([Input("-", b"x" * POOL_FROM_BYTES)] * 3, cpus=8) == 3  # at most one per document


def test_jobs_auto_is_the_default_and_accepted(capsys: pytest.CaptureFixture[str], examples: Path) -> None:
    assert main(["validate", "--jobs", "auto", str(examples / "base-example.xml")]) == 0
    assert main(["validate", "--jobs", "many", str(examples / "base-example.xml")]) == 2
