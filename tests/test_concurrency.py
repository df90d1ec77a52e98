"""Concurrency and determinism: the same report from 8 threads, from spawned processes and
from a sequential run; the same bytes and fingerprint for the same model in processes with
different ``PYTHONHASHSEED``."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from shared import EXAMPLES

from peppol_ubl import Invoice, fingerprint, to_xml
from peppol_ubl.validation.api import validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "fixtures" / "invoices").glob("*.json"))
RULESET = "peppol-bis-3@3.0.21"


def documents() -> list[bytes]:
    base = (EXAMPLES / "peppol" / "examples" / "base-example.xml").read_bytes()
    return [
        base,
        (EXAMPLES / "cen" / "ubl-tc434-creditnote1.xml").read_bytes(),
        base.replace(b'<cbc:PayableAmount currencyID="EUR">', b'<cbc:PayableAmount currencyID="EUR">1'),
        base.replace(b"<cbc:IssueDate>", b"<cbc:IssueDate>x"),
        b"<not-an-invoice/>",
    ]


def summary(data: bytes) -> dict[str, Any]:
    """A report as data, without the timings (the only part allowed to differ)."""
    report = validate(data, ruleset=RULESET).to_dict()
    for layer in report["layers"]:
        layer.pop("duration_ms")
    return report


def test_eight_threads_give_the_sequential_reports() -> None:
    sequential = [summary(data) for data in documents()]
    work = documents() * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(summary, work))
    assert threaded == sequential * 8


def test_spawned_processes_give_the_same_reports() -> None:
    sequential = [summary(data) for data in documents()]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        spawned = pool.map(summary, documents())
    assert spawned == sequential


_BUILD = """
import hashlib, json, sys
from pathlib import Path
from peppol_ubl import Invoice, fingerprint, to_xml
out = {}
for path in sys.argv[1:]:
    model = Invoice.model_validate_json(Path(path).read_text())
    out[Path(path).name] = [hashlib.sha256(to_xml(model)).hexdigest(), fingerprint(model)]
print(json.dumps(out, sort_keys=True))
"""


def _built(seed: str) -> dict[str, list[str]]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", _BUILD, *map(str, FIXTURES)], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=300)
    built: dict[str, list[str]] = json.loads(done.stdout)
    return built


def test_same_model_same_bytes_and_fingerprint_whatever_the_hash_seed() -> None:
    runs = [_built(seed) for seed in ("0", "1", "4242", "random")]
    assert len(runs[0]) == len(FIXTURES)
    assert all(run == runs[0] for run in runs[1:])
    here = {path.name: [hashlib.sha256(to_xml(model)).hexdigest(), fingerprint(model)]
            for path in FIXTURES for model in [Invoice.model_validate_json(path.read_text())]}
    assert here == runs[0]
