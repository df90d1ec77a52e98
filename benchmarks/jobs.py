"""Where a process pool pays off: ``peppol-ubl validate --jobs 1`` against ``--jobs 2``.

Each run is the installed command in a new process, as a user runs it, over a folder of
copies of ``base-example.xml`` with N invoice lines each; the best of ``--runs`` wall
times is printed with the batch's total size. A pool worker starts its own Saxon and
compiles the rule set before its first document (seconds), so the pool wins only once
the documents' own validation time outweighs that; ``peppol_ubl.batch.runner.auto_jobs``
uses the crossover in bytes measured here. Run: ``python benchmarks/jobs.py``.

Measured on the 2-core development machine (other work running beside it; best of 2
runs, wall / CPU seconds)::

    lines documents    MB   jobs 1       jobs 2
        2        40  0.37   2.11/2.11    2.16/3.72
        2       160  1.47   2.45/2.45    3.09/5.61
      100        20  2.70   3.20/3.20    3.27/5.85    <- even
        2       320  2.95   5.03/5.03    4.23/7.67
     1000         2  2.58   2.53/2.53    3.31/5.56
     1000         4  5.16   5.49/5.49    3.81/6.57
        2       640  5.90   7.17/7.17    5.41/10.15
     1000         8 10.33   6.97/6.97    5.79/10.38

Two workers cost about 2.5 CPU seconds more than one process (each starts its own
Python and Saxon and compiles the rule set); the pool wins from about 3 MB of input,
whatever the number of documents: ``POOL_FROM_BYTES``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from validate_schematron import SHARED, invoice_with_lines

COMMAND = [sys.executable, "-m", "peppol_ubl", "validate"]


def timed(folder: Path, jobs: int, runs: int) -> tuple[float, float]:
    """The best of ``runs`` (wall, CPU) times of validating ``folder`` with ``jobs``
    processes; CPU is user + system of every process of the run, which other load on the
    machine does not inflate as it does the wall time."""
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*COMMAND, "--jobs", str(jobs), str(folder)], stdout=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        best = min(best, (wall, cpu))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="runs per point; the best counts (default: 2)")
    args = parser.parse_args()
    os.environ.setdefault("PEPPOL_UBL_ARTIFACTS", str(SHARED / "artifacts"))
    points = [(2, 40), (2, 160), (2, 320), (100, 10), (100, 40), (1000, 2), (1000, 8)]
    print(f"{'lines':>6} {'documents':>9} {'MB':>7} {'jobs 1 wall/cpu s':>18} {'jobs 2 wall/cpu s':>18}")
    for lines, count in points:
        with tempfile.TemporaryDirectory() as folder:
            document = invoice_with_lines(lines)
            for number in range(count):
                Path(folder, f"{number:04d}.xml").write_bytes(document)
            one, two = timed(Path(folder), 1, args.runs), timed(Path(folder), 2, args.runs)
            size = len(document) * count / 1e6
            print(f"{lines:>6} {count:>9} {size:>7.2f} {one[0]:>9.2f}/{one[1]:<8.2f} {two[0]:>9.2f}/{two[1]:<8.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
