"""One registry of our PU-… ids: every id the code uses is in it, every entry is used, and
the README lists exactly the registry."""

from __future__ import annotations

import re
from pathlib import Path

from peppol_ubl.codes import CODES

ROOT = Path(__file__).resolve().parents[1]
_ID = re.compile(r"PU-[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")


def _source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "peppol_ubl").rglob("*.py")
                     if p.name != "codes.py")


def test_every_id_the_code_writes_is_registered() -> None:
    written = {found.rstrip("-") for found in _ID.findall(_source())}
    families = {"PU-INPUT", "PU-PREFLIGHT", "PU-TOTALS", "PU-RULESET", "PU-CALC", "PU-SERVER"}  # prose: "PU-INPUT-…"
    assert written - set(CODES) - families == set()


def test_every_registered_id_is_written_somewhere() -> None:
    source = _source()
    dynamic = {"PU-PREFLIGHT-SENDER-", "PU-PREFLIGHT-RECEIVER-"}  # f"PU-PREFLIGHT-{role}-{kind}"
    unused = [c for c in CODES if c not in source and not any(c.startswith(d) for d in dynamic)]
    assert unused == []


def test_the_readme_lists_exactly_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(PU-[A-Z0-9-]+)` \| (\w+) \| (\w+) \| (.+) \|$", readme, re.M)
    assert [(i, layer, severity, meaning) for i, layer, severity, meaning in rows] == [
        (c.id, c.layer, c.severity, c.meaning) for c in CODES.values()]
