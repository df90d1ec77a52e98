"""How the command behaves in a shell: pipes closed early, outputs that cannot be written,
Ctrl-C, standard input on every command that reads a document, paths that are empty or
not regular files, atomic ``-o`` writes, ``--version``, ``python -m peppol_ubl`` and the
help text.

Subprocess tests run ``python -m peppol_ubl`` as a user would; the rest call ``main``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import peppol_ubl
from peppol_ubl.cli import _parser, main
from peppol_ubl.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
VALID_JSON = ROOT / "fixtures" / "invoices" / "standard-several-rates.json"
COMMAND = [sys.executable, "-m", "peppol_ubl"]


@pytest.fixture(scope="module")
def example(shared_dir: Path) -> Path:
    return shared_dir / "examples" / "peppol" / "examples" / "base-example.xml"


def commands(example: Path) -> dict[str, list[str]]:
    """One invocation per command that writes to standard output (every validate format)."""
    return {
        "build": ["build", str(VALID_JSON)],
        "calculate": ["calculate", str(VALID_JSON)],
        "parse": ["parse", str(example)],
        "validate-text": ["validate", str(example)],
        "validate-json": ["validate", "--format", "json", str(example)],
        "validate-junit": ["validate", "--format", "junit", str(example)],
        "validate-sarif": ["validate", "--format", "sarif", str(example)],
        "preflight": ["preflight", str(VALID_JSON)],
        "rulesets": ["rulesets"],
        "artifacts": ["artifacts"],
    }


NAMES = list(commands(Path("x.xml")))


def spawn(argv: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*COMMAND, *argv], cwd=ROOT, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]


# --- standard output: a reader gone away, a full disk, a closed descriptor -------------


@pytest.mark.parametrize("name", NAMES)
def test_a_reader_that_went_away_is_exit_0_and_silence(name: str, example: Path) -> None:
    process = spawn(commands(example)[name], stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # like `| head -0`: nobody reads what comes
    _, err = process.communicate(timeout=300)
    assert (process.returncode, err.decode()) == (0, "")


@pytest.mark.parametrize("name", NAMES)
def test_an_output_that_cannot_be_written_is_exit_2_and_one_line(name: str, example: Path) -> None:
    with open("/dev/full", "wb") as full:
        process = spawn(commands(example)[name], stdout=full)
        _, err = process.communicate(timeout=300)
    lines = err.decode().splitlines()
    assert process.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("peppol-ubl: cannot write to standard output"), lines


@pytest.mark.parametrize("name", ["build", "validate-json", "rulesets"])
def test_a_closed_stdout_is_exit_2_and_one_line(name: str, example: Path) -> None:
    argv = [*COMMAND, *commands(example)[name]]
    done = subprocess.run(["bash", "-c", 'exec "$@" >&-', "-", *argv], cwd=ROOT, capture_output=True,
                          timeout=300, check=False)
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 2
    assert lines == ["peppol-ubl: standard output is closed; redirect it to a file or use -o FILE"]


def test_head_reads_the_first_line_and_the_rest_is_dropped_quietly(shared_dir: Path) -> None:
    folder = shared_dir / "examples" / "peppol" / "examples"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", f'"$@" | head -1', "-", *COMMAND, "validate", "--jobs", "1",
                           str(folder)], cwd=ROOT, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.decode().count("\n") == 1


def test_an_unwritable_output_file_is_exit_2_and_one_line(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    assert main(["build", str(VALID_JSON), "-o", str(tmp_path / "a-file" / "out.xml")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith(f"peppol-ubl: cannot write {tmp_path}")


# --- Ctrl-C, streaming -------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_is_exit_130_and_one_line_and_text_is_streamed(jobs: str, example: Path, tmp_path: Path) -> None:
    for number in range(300):
        shutil.copy(example, tmp_path / f"{number:03d}.xml")
    # A process started with Ctrl-C ignored keeps ignoring it (as `cmd &` and nohup intend);
    # a suite run that way would pass that on. The command gets what a terminal gives its
    # foreground process: SIGINT handled by default (exec resets a handler, never an ignore).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = spawn(["validate", "--jobs", jobs, str(tmp_path)], stdout=subprocess.PIPE, start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert process.stdout is not None
    first = process.stdout.readline()  # arrives while the other documents are still being validated
    assert first.startswith(str(tmp_path / "000.xml").encode()) and process.poll() is None
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends the whole foreground group
    _, err = process.communicate(timeout=300)
    assert (process.returncode, err.decode()) == (130, "peppol-ubl: interrupted\n")


def test_keyboard_interrupt_in_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("peppol_ubl.cli.rulesets._run", interrupted)
    assert main(["rulesets"]) == 130
    assert capsys.readouterr().err == "peppol-ubl: interrupted\n"


# --- inputs: standard input, empty paths, non-regular files ----------------------------


def feed(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_build_calculate_preflight_and_parse_read_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, example: Path
) -> None:
    contract = VALID_JSON.read_bytes()
    for argv in (["build", "-"], ["calculate", "-"], ["preflight", "-"]):
        feed(monkeypatch, contract)
        assert main(argv) == 0, argv
    capsys.readouterr()
    feed(monkeypatch, contract)
    main(["preflight", "--format", "json", "-"])
    assert json.loads(capsys.readouterr().out)["status"] == 204
    feed(monkeypatch, example.read_bytes())  # XML on stdin: pre-flight tells by the first byte
    assert main(["preflight", "--format", "json", "-"]) == 1  # the example's ids fail their check digits
    reasons = {reason["rule_id"] for reason in json.loads(capsys.readouterr().out)["reasons"]}
    assert reasons == {"PU-PREFLIGHT-SENDER-IDENTIFIER", "PU-PREFLIGHT-RECEIVER-IDENTIFIER"}
    feed(monkeypatch, example.read_bytes())
    assert main(["parse", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["header"]["invoice_number"] == "Snippet1"


def test_a_silent_pipe_on_standard_input_times_out() -> None:
    process = spawn(["validate", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    env={**os.environ, "PEPPOL_UBL_STDIN_TIMEOUT": "1"})
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    try:
        process.wait(timeout=120)  # stdin stays open and silent
        err = process.stderr.read().decode()
    finally:
        for stream in (process.stdin, process.stdout, process.stderr):
            stream.close()
    assert process.returncode == 2
    assert err.splitlines() == ["peppol-ubl: standard input: no data for 1 s (set PEPPOL_UBL_STDIN_TIMEOUT to wait "
                                "longer)"]


@pytest.mark.parametrize("argv", [
    ["validate", "--expect-valid", ""], ["validate", "x.xml", ""], ["build", ""], ["calculate", ""],
    ["parse", ""], ["preflight", ""], ["build", str(VALID_JSON), "-o", ""], ["compile-schematron", ""],
    ["artifacts", "--import", ""], ["validate", "--schematron", "", "x.xml"],
])
def test_an_empty_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 2
    assert "an empty path" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["validate"], ["build"], ["calculate"], ["parse"], ["preflight"],
                                  ["compile-schematron"]])
def test_a_named_pipe_is_refused_not_read(argv: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    done = subprocess.run([*COMMAND, *argv, str(fifo)], cwd=ROOT, capture_output=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "not a regular file (a named pipe)" in done.stdout.decode() + done.stderr.decode()


def test_a_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "/dev/null"]) == 2
    assert "not a regular file (a character device)" in capsys.readouterr().err
    assert main(["validate", "--format", "json", "/dev/null"]) == 2
    document = json.loads(capsys.readouterr().out)["documents"][0]
    assert (document["status"], document["report"]) == ("unusable", None)


# --- atomic writes -------------------------------------------------------------------------


def test_write_atomic_keeps_the_old_content_when_interrupted(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.xml"
    target.write_bytes(b"old")
    target.chmod(0o640)

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing and renaming

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new" * 100_000)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.xml"]
    monkeypatch.undo()
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640


def test_build_output_is_replaced_whole(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.xml"
    target.write_bytes(b"previous")
    seen: list[tuple[str, str]] = []
    real = os.replace

    def spy(source: str, destination: str) -> None:
        seen.append((Path(source).parent.name, Path(destination).name))
        real(source, destination)

    monkeypatch.setattr(os, "replace", spy)
    assert main(["build", str(VALID_JSON), "-o", str(target)]) == 0
    assert seen == [(tmp_path.name, "out.xml")]  # a temporary file in the same folder, renamed
    assert target.read_bytes().startswith(b"<?xml")


# --- version, python -m, help --------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"peppol-ubl {version('peppol-ubl')}\n"
    assert peppol_ubl.__version__ == version("peppol-ubl")


def test_python_dash_m() -> None:
    done = subprocess.run([*COMMAND, "--version"], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout == f"peppol-ubl {version('peppol-ubl')}\n"


def test_the_process_ends_with_its_whole_output_its_code_and_its_exit_handlers(
        capsys: pytest.CaptureFixture[str], example: Path, shared_dir: Path, tmp_path: Path) -> None:
    # the process leaves without the interpreter's teardown (``cli._leave``): what the
    # command wrote is all out, in a pipe, and the exit handlers have run
    invalid = tmp_path / "empty-invoice.xml"
    invalid.write_text('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')
    argv = ["validate", "--format", "json", str(example), str(invalid),
            *map(str, sorted((shared_dir / "examples" / "cen").rglob("*.xml"))[:6])]
    assert main(argv) == 1
    expected = capsys.readouterr().out
    probe = ("import atexit, runpy, sys\n"
             "atexit.register(lambda: print('exit handlers ran', file=sys.stderr))\n"
             f"sys.argv = ['peppol-ubl', *{argv!r}]\n"
             "runpy.run_module('peppol_ubl', run_name='__main__')\n"
             "raise AssertionError('run() returned')")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert len(done.stdout) > 65_536  # more than a pipe holds
    assert _timeless(json.loads(done.stdout)) == _timeless(json.loads(expected))
    assert done.stderr.splitlines()[-1] == "exit handlers ran"


def _timeless(value: object) -> object:
    """A JSON report without its layers' durations, which differ from run to run."""
    if isinstance(value, dict):
        return {key: _timeless(item) for key, item in value.items() if key != "duration_ms"}
    if isinstance(value, list):
        return [_timeless(item) for item in value]
    return value


def test_the_process_waits_for_a_thread_still_running() -> None:
    probe = ("import threading, time\n"
             "from peppol_ubl.cli import _leave\n"
             "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done', flush=True))).start()\n"
             "_leave(3)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (3, "thread done\n")


def _parsers() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"peppol-ubl": parser, **subparsers.choices}


@pytest.mark.parametrize("name", list(_parsers()))
def test_every_option_has_help_and_help_shows_the_exit_codes(name: str) -> None:
    parser = _parsers()[name]
    for action in parser._actions:
        assert action.help and action.help != argparse.SUPPRESS, f"{name}: {action.option_strings or action.dest}"
    text = parser.format_help()
    assert "exit codes: 0 all valid" in " ".join(text.split())
    for markup in ("``", ":mod:", ":func:", ":class:", ":meth:"):
        assert markup not in text, f"{name}: reST markup {markup!r} in the help"


def test_verbose_logs_lookups_and_compilation(example: Path) -> None:
    done = subprocess.run([*COMMAND, "-vv", "validate", str(example)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0
    logged = [line for line in done.stderr.splitlines() if line.startswith("peppol-ubl: ")]
    assert any(" hit, " in line for line in logged)  # where each pinned file was found
    assert any("Saxon compiled the stylesheet of" in line for line in logged)
    assert any("compiled Schematron to XSLT" in line or "compiled stylesheet from the cache" in line
               for line in logged)
