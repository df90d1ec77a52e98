"""The speed targets, in one run: ours against the reference on the rules in force.

Peppol BIS 3.0.21 (the release in force), the reference being the same release compiled
by ph-schematron (phive-rules 2026.5) plus the lxml UBL XSD, run by the same saxonche
in the same process (see ``validate_peppol``); every ratio is ours / reference.

1. in a warm process (every stylesheet and schema compiled): the median ratio over the
   official examples (each side's run alternating with the other's, the target; each
   side run back to back, as a service validating a stream runs it; and each run after
   the caches were evicted, ``evicted_best``: our
   stylesheets find less of their data in the caches after the reference's run than
   the reference finds of its after ours, and after an eviction both find none),
   measured in ``PROCESSES`` fresh processes one after the other, each
   example's ratio the median of its processes' (one process gives the same figure within
   about 1 % when it measures again, and another process up to 17 % apart), and the median
   example's time on each side (the same machine ran the same example twice as fast in one
   quiet minute as in another, and the ratio moved with it: read a ratio with its times); then, in
   this process, for invoices of 1,000 and 10,000 lines
   (``--large``: also 100,000) made from ``base-example.xml``, the ratio and the time per
   line of each side. Flat means linear: the time per line of the largest invoice against
   that of 1,000 lines measured right after it, in the same process state. A process
   that has validated a large document has a larger Saxon heap, and small documents are
   slower in it (1,000 lines: about 210 us/line before a 100,000-line run, 260-370
   after), so the 1,000-line runs made first are the wrong baseline; their figure is
   printed too;
   then invoices of 1,000 and 4,000 lines with three failures on every line, the ratio
   (the best of 3 and of 2 alternate runs) and the growth of the time per line from the
   smaller to the larger (flat: within 1.2, as for valid ones);
2. peak memory (maximum RSS) of one fresh process validating the 10,000-line invoice
   (``--large``: the 100,000-line one), each side (``fresh.peak_memory``);
3. cold start: ``python -m peppol_ubl validate base-example.xml`` against a fresh
   process running the reference on it, median wall time of each over ``COLD_PAIRS``
   alternating runs (``fresh.cold_start``; the target is the ratio of the two medians),
   then the spread of the ratios of the pairs.

The targets (issue 15): median ≤ 0.5 on the examples and on 1k and 10k lines, time per
line flat from 1k to 100k lines, peak memory at 100k lines ≤ 0.5 × the reference's, the
cold CLI no slower than the cold reference. Each line says whether its target is met.

Run: ``.venv/bin/python benchmarks/targets.py [--large]`` (on a quiet machine: about
6 minutes, about 5 more with ``--large``). Every size is timed after one run of each
side that is not counted: the best of 3 alternate runs up to 10,000 lines, one run at
100,000.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Literal, NamedTuple

from fresh import LARGE_BYTES, cold_start, peak_memory
from validate_peppol import back_to_back_best, evicted_best, paired_best, reference, ubl_schemas
from validate_schematron import BASE, EVICTION_BYTES, SHARED, failing_invoice_with_lines, invoice_with_lines

from peppol_ubl.validation import Report, validate
from peppol_ubl.xml.limits import InputLimits

RULESET = "peppol-bis-3@3.0.21"
RELEASE = "2026.5"
LIMITS = InputLimits(max_bytes=LARGE_BYTES)
"""The 100,000-line invoice is 128 MB, above the default input limit of 100 MiB."""
PROCESSES = 5
"""Fresh processes measuring the official examples (see item 1 of the module docstring):
with 3, two runs a few minutes apart gave 0.43 and 0.47, their processes 0.43 to 0.52."""
FAILING = {1000: 3, 4000: 2}
"""Invoices with failures on every line (``failing_invoice_with_lines``), by lines, and
the alternate runs each size is timed in (the best counts): the reference takes about 2
and 18 s on them (it counts siblings at every failure), so no larger. Timed once each,
the growth of our time per line came out at 1.57 in one run; the same two invoices in
three rounds a minute later gave 0.80, 1.16 and 1.20."""
Regime = Literal["alternating", "back to back", "evicted"]
REGIMES: tuple[tuple[Regime, str], ...] = (
    ("alternating", "official examples"),
    ("back to back", "  each side back to back (10 runs in a row, as a service validating a stream)"),
    ("evicted", f"  each run after {EVICTION_BYTES >> 20} MiB written (the caches evicted, as in a "
                "process doing other work between documents)"),
)
"""How the official examples are timed (item 1 of the module docstring), as printed."""
COLD_PAIRS = 15
"""Cold runs of each side (alternating) for the cold start: with 5, a loaded machine gave
1.14 where 15 pairs measured from outside a few minutes later gave 0.92."""


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def _every_layer_ran(report: Report) -> None:
    """A timing means something only if no layer was skipped (a refused document is fast)."""
    skipped = [layer.layer for layer in report.layers if layer.status not in ("passed", "failed")]
    if skipped:
        raise SystemExit(f"layers {skipped} did not run: {report.to_text()[:500]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 100,000 lines (time per line and memory)")
    args = parser.parse_args()
    os.environ.setdefault("PEPPOL_UBL_ARTIFACTS", str(SHARED / "artifacts"))
    print(f"{RULESET}, reference phive-rules {RELEASE} + lxml XSD; ratio = ours / reference")
    spawn = multiprocessing.get_context("spawn")
    runs: list[list[_Example]] = []  # per process, each example's timings
    for _ in range(PROCESSES):
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as fresh:
            runs.append(fresh.submit(_example_timings).result())
    for regime, label in REGIMES:
        per_process = [[example.ratio(regime) for example in run] for run in runs]
        ratios = [statistics.median(example) for example in zip(*per_process, strict=True)]
        median = statistics.median(ratios)
        each = ", ".join(f"{statistics.median(process):.2f}" for process in per_process)
        verdict = f"; target <= 0.5: {_verdict(median <= 0.5)}" if regime == "alternating" else ""
        print(f"{label} ({len(ratios)}, {PROCESSES} fresh processes): median ratio {median:.2f} "
              f"(each process: {each}; per example: min {min(ratios):.2f}, max {max(ratios):.2f}){verdict}")
        times = [statistics.median(sides) for sides in zip(*(example.seconds(regime) for run in runs
                                                              for example in run), strict=True)]
        print(f"    median time of an example: reference {times[0] * 1000:.2f} ms, ours {times[1] * 1000:.2f} ms")

    official = reference(RELEASE, ubl_schemas())

    sizes = (1000, 10000, 100000) if args.large else (1000, 10000)
    per_line: dict[int, tuple[float, float]] = {}  # each size's time per line: reference, ours
    documents: dict[int, bytes] = {}
    for size in sizes:
        xml = documents[size] = invoice_with_lines(size)
        run_theirs, run_ours = partial(official.run, xml), partial(validate, xml, ruleset=RULESET, limits=LIMITS)
        # after one run of each that is not timed (the first run of a process also grows
        # Saxon's heap): the best of 3 alternate runs, or the one run at 100,000 lines
        theirs, ours, report = paired_best(run_theirs, run_ours, 3 if size <= 10000 else 1)
        _every_layer_ran(report)
        per_line[size] = (theirs / size, ours / size)
        ratio = ours / theirs
        target = f"; target <= 0.5: {_verdict(ratio <= 0.5)}" if size <= 10000 else ""
        print(f"{size:>7,} lines: reference {theirs:7.2f} s ({theirs / size * 1e6:5.0f} us/line), "
              f"ours {ours:7.2f} s ({ours / size * 1e6:5.0f} us/line), ratio {ratio:.2f}{target}")
    largest = sizes[-1]
    theirs, ours, report = paired_best(partial(official.run, documents[1000]),
                                       partial(validate, documents[1000], ruleset=RULESET), 3)
    _every_layer_ran(report)
    after = (theirs / 1000, ours / 1000)
    growth = [per_line[largest][side] / after[side] for side in (0, 1)]
    first = [per_line[largest][side] / per_line[1000][side] for side in (0, 1)]
    print(f"time per line, {largest:,} against 1,000 lines measured right after it (same process "
          f"state; 1,000 lines: reference {after[0] * 1e6:.0f}, ours {after[1] * 1e6:.0f} us/line): "
          f"ours x{growth[1]:.2f}, reference x{growth[0]:.2f}; target flat (within 1.2): "
          f"{_verdict(growth[1] <= 1.2)}")
    print(f"  against the 1,000-line runs made first, before any larger document: ours "
          f"x{first[1]:.2f}, reference x{first[0]:.2f}")

    failing_per_line = []
    for size, rounds in FAILING.items():
        xml = failing_invoice_with_lines(size)
        theirs, ours, report = paired_best(partial(official.run, xml), partial(validate, xml, ruleset=RULESET), rounds)
        _every_layer_ran(report)
        failing_per_line.append((theirs / size, ours / size))
        print(f"{size:>7,} lines, three failures on each ({len(report.findings):,} findings): reference "
              f"{theirs:7.2f} s ({theirs / size * 1e6:5.0f} us/line), ours {ours:7.2f} s "
              f"({ours / size * 1e6:5.0f} us/line), ratio {ours / theirs:.2f}")
    growth = [failing_per_line[-1][side] / failing_per_line[0][side] for side in (0, 1)]
    smaller, larger = FAILING.keys()
    print(f"time per line with failures on every line, {larger:,} against {smaller:,} lines: "
          f"ours x{growth[1]:.2f}, reference x{growth[0]:.2f}; flat (within 1.2): {_verdict(growth[1] <= 1.2)}")

    with tempfile.TemporaryDirectory() as tmp:
        size = sizes[-1]
        document = Path(tmp) / f"{size}-lines.xml"
        document.write_bytes(documents[size])
        ours_kib, theirs_kib = peak_memory(document, RULESET, RELEASE)
    memory_ratio = ours_kib / theirs_kib
    target = f"; target <= 0.5 at 100,000 lines: {_verdict(memory_ratio <= 0.5)}" if args.large else ""
    print(f"peak memory, {size:,} lines, fresh process: reference {theirs_kib / 1024:.0f} MiB, "
          f"ours {ours_kib / 1024:.0f} MiB, ratio {memory_ratio:.2f}{target}")

    ours_cold, theirs_cold, pairs = cold_start(BASE, RULESET, RELEASE, COLD_PAIRS)
    print(f"cold start on {BASE.name}: reference {theirs_cold * 1000:.0f} ms, "
          f"`peppol-ubl validate` {ours_cold * 1000:.0f} ms, ratio {ours_cold / theirs_cold:.2f}; "
          f"target <= 1: {_verdict(ours_cold <= theirs_cold)}")
    print(f"  each pair's ratio ({len(pairs)} pairs): median {statistics.median(pairs):.2f}, "
          f"min {min(pairs):.2f}, max {max(pairs):.2f}")


class _Example(NamedTuple):
    """One official example's best times (seconds, the reference's then ours) in each regime."""

    alternating: tuple[float, float]
    back_to_back: tuple[float, float]
    evicted: tuple[float, float]

    def seconds(self, regime: Regime) -> tuple[float, float]:
        """The reference's time and ours."""
        return {"alternating": self.alternating, "back to back": self.back_to_back, "evicted": self.evicted}[regime]

    def ratio(self, regime: Regime) -> float:
        """Our time over the reference's."""
        theirs, ours = self.seconds(regime)
        return ours / theirs


def _example_timings() -> list[_Example]:
    """In a fresh process: each official example's times with the runs alternating, with
    each side run back to back, and with the caches evicted before each run."""
    official = reference(RELEASE, ubl_schemas())
    found = []
    for path in sorted(p for p in (SHARED / "examples").rglob("*") if p.suffix.lower() == ".xml"):
        xml = path.read_bytes()
        run_theirs, run_ours = partial(official.run, xml), partial(validate, xml, ruleset=RULESET)
        theirs, ours, report = paired_best(run_theirs, run_ours, 10)
        _every_layer_ran(report)
        found.append(_Example((theirs, ours), back_to_back_best(run_theirs, run_ours, 10),
                              evicted_best(run_theirs, run_ours, 5)))
    return found


if __name__ == "__main__":
    main()
