"""Benchmark of the warm service and the distributed batch, on loopback only, bounded in count and time.

1. ``peppol-ubl serve --workers 2``: documents per second and p50/p99 latency of
   ``POST /validate`` at 1, 4 and 16 concurrent clients (``--requests`` per level, each
   level stopped after ``--seconds``).
2. The per-document cost of the cold CLI (``peppol-ubl validate FILE``: Python, Saxon and
   the rules started each time) against ``peppol-ubl validate --server URL FILE``, for one
   file per call and for a batch of ``--batch`` files in one call.
3. ``validate_many`` over ``--many`` documents in one process against a 2-worker Dask
   ``LocalCluster`` (the cluster's start-up and warm-up reported apart).

The document is ``fixtures/invoices/standard-several-rates.json`` built to XML.
Run: ``.venv/bin/python benchmarks/scale.py [--requests 200] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from serving import SCRIPT, running  # noqa: E402  (the tests' real-server helper)

from peppol_ubl import Invoice, to_xml  # noqa: E402
from peppol_ubl.batch import validate_many  # noqa: E402

DOCUMENT = to_xml(Invoice.model_validate_json((ROOT / "fixtures/invoices/standard-several-rates.json").read_bytes()))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def service(url: str, requests: int, seconds: float) -> None:
    print("serve --workers 2: POST /validate")
    print(f"  {'clients':>7} {'documents':>9} {'docs/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for clients in (1, 4, 16):
        deadline = time.monotonic() + seconds
        per_client = max(1, requests // clients)

        def one_client(_: int) -> list[float]:
            latencies = []
            with httpx.Client(base_url=url, timeout=60.0) as client:
                for _ in range(per_client):
                    if time.monotonic() > deadline:
                        break
                    started = time.perf_counter()
                    response = client.post("/validate", content=DOCUMENT, headers={"Content-Type": "application/xml"})
                    assert response.status_code == 200, response.text
                    latencies.append(time.perf_counter() - started)
            return latencies

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            latencies = [latency for run in pool.map(one_client, range(clients)) for latency in run]
        elapsed = time.perf_counter() - started
        print(f"  {clients:>7} {len(latencies):>9} {len(latencies) / elapsed:>8.1f} "
              f"{_percentile(latencies, 0.5) * 1000:>8.1f} {_percentile(latencies, 0.99) * 1000:>8.1f}")


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()
    return time.perf_counter() - started


def cli(url: str, folder: Path, batch: int) -> None:
    one = folder / "one.xml"
    one.write_bytes(DOCUMENT)
    files = []
    for number in range(batch):
        path = folder / f"doc-{number:04}.xml"
        path.write_bytes(DOCUMENT)
        files.append(str(path))
    cold = statistics.median(_timed([str(SCRIPT), "validate", str(one)]) for _ in range(3))
    remote = statistics.median(_timed([str(SCRIPT), "validate", "--server", url, str(one)]) for _ in range(3))
    cold_batch = _timed([str(SCRIPT), "validate", *files]) / batch
    remote_batch = _timed([str(SCRIPT), "validate", "--server", url, "--jobs", "4", *files]) / batch
    print("per document, CLI (median of 3 calls for one file; one call for the batch)")
    print(f"  one file per call:     cold {cold * 1000:8.1f} ms   --server {remote * 1000:8.1f} ms")
    print(f"  {batch} files in one call: cold {cold_batch * 1000:8.1f} ms   --server {remote_batch * 1000:8.1f} ms")


def many(count: int) -> None:
    from distributed import Client, LocalCluster

    sources = [DOCUMENT] * count
    list(validate_many(sources[:1], jobs=1))  # warm this process
    started = time.perf_counter()
    list(validate_many(sources, jobs=1))
    alone = time.perf_counter() - started
    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        list(validate_many(sources[:2], client=client))  # start-up and the plugin's warm-up
        ready = time.perf_counter() - started
        started = time.perf_counter()
        list(validate_many(sources, client=client))
        clustered = time.perf_counter() - started
    print(f"validate_many, {count} documents")
    print(f"  one process:            {count / alone:8.1f} docs/s ({alone:.2f} s)")
    print(f"  LocalCluster, 2 workers: {count / clustered:8.1f} docs/s ({clustered:.2f} s; "
          f"start-up and warm-up {ready:.2f} s apart)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per concurrency level")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per level")
    parser.add_argument("--batch", type=int, default=50, help="files in the one-call CLI batch")
    parser.add_argument("--many", type=int, default=400, help="documents for validate_many")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running(Path(tmp), "--workers", "2") as server:
        service(server.url, args.requests, args.seconds)
        cli(server.url, Path(tmp), args.batch)
    many(args.many)


if __name__ == "__main__":
    main()
