"""Memory over many sequential validations: RSS growth per 1,000 ``validate`` calls.

Validates ``base-example.xml`` (the default rule set) ``--calls`` times (default 5,000)
in one process, after a warm-up of 200 calls (Saxon, the schemas and the compiled rules
loaded), and prints the resident set size every 500 calls (after a garbage collection),
the growth from the end of the warm-up to the end, and the least-squares slope over every
reading, per 1,000 calls. Saxon's runtime grows and returns its heap as it goes, so single
readings move by tens of MiB either way; a leak shows as a slope that stays positive.

Run: ``.venv/bin/python benchmarks/memory.py [--calls N]``.
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

from peppol_ubl import validate

BASE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "peppol" / "examples" / "base-example.xml"
WARM_UP = 200


def rss_mib() -> float:
    """The resident set size of this process now, in MiB (Linux: /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (this benchmark needs Linux)")


def main() -> None:
    """Print RSS along the run and the growth per 1,000 calls."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--calls", type=int, default=5_000)
    calls = options.parse_args().calls
    data = BASE.read_bytes()
    for _ in range(WARM_UP):
        validate(data)
    gc.collect()
    readings = [(0, rss_mib())]
    started = time.perf_counter()
    print(f"{'calls':>6} {'RSS MiB':>8}")
    print(f"{0:>6} {readings[0][1]:8.1f}")
    for call in range(1, calls + 1):
        assert validate(data).ok
        if call % 500 == 0:
            gc.collect()
            readings.append((call, rss_mib()))
            print(f"{call:>6} {readings[-1][1]:8.1f}")
    seconds = time.perf_counter() - started
    start, end = readings[0][1], readings[-1][1]
    print(f"from the warm-up to the end: {end - start:+.1f} MiB over {calls} calls "
          f"({(end - start) * 1000 / calls:+.2f} MiB per 1,000 calls); "
          f"slope {slope(readings) * 1000:+.2f} MiB per 1,000 calls; "
          f"range {min(r for _, r in readings):.1f}-{max(r for _, r in readings):.1f} MiB; "
          f"{seconds / calls * 1000:.1f} ms per call")


def slope(readings: list[tuple[int, float]]) -> float:
    """The least-squares slope of RSS over calls, in MiB per call."""
    count = len(readings)
    mean_x = sum(x for x, _ in readings) / count
    mean_y = sum(y for _, y in readings) / count
    spread = sum((x - mean_x) ** 2 for x, _ in readings)
    return sum((x - mean_x) * (y - mean_y) for x, y in readings) / spread


if __name__ == "__main__":
    main()
