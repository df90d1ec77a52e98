"""Everything the README shows runs: its Python blocks (in order, one namespace, output
checked against the block's comments) and its ``peppol-ubl`` commands (exit code 0).

Blocks in other languages are shown, not run: ``sh`` (``peppol-ubl serve`` and what talks
to it: a server waits until it is stopped; tests/test_server.py runs real ones), ``py``
(the Spark sketch), ``yaml`` (CI configuration)."""

from __future__ import annotations

import contextlib
import io
import linecache
import os
import re
import shlex
from pathlib import Path

import pytest

from peppol_ubl.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def _blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README) if lang == language]


def test_readme_python_blocks_run_and_print_what_they_say(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": "readme"}
    blocks = _blocks("python")
    assert len(blocks) >= 6
    for number, body in enumerate(blocks):
        name = f"<README.md python block {number}>"
        linecache.cache[name] = (len(body), None, body.splitlines(keepends=True), name)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(body, name, "exec"), namespace)  # noqa: S102
        documented = {line[2:].strip() for line in body.splitlines() if line.startswith("# ")}
        printed = [line.strip() for line in out.getvalue().splitlines()]
        if documented:
            assert [line for line in printed if line not in documented] == [], body


def test_readme_commands_succeed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PEPPOL_UBL_CACHE", os.environ.get("PEPPOL_UBL_CACHE", str(tmp_path)))
    commands = [line[2:] for body in _blocks("console") for line in body.splitlines()
                if line.startswith("$ ")]
    assert commands
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "peppol-ubl"
        assert main(argv[1:]) == 0, f"{command}\n{capsys.readouterr()}"


def test_readme_shows_the_ci_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "    make test\n" in README and "    make demo\n" in README
