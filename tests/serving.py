"""A real ``peppol-ubl serve`` in a subprocess on a free loopback port, for the server tests.

Nothing here is mocked: the tests talk HTTP to uvicorn, which runs the validation pool
of spawned processes. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

SCRIPT = Path(sys.executable).with_name("peppol-ubl")
ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def client(self, **options: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60.0, **options)

    def wait(self, *, ready: bool = True) -> None:
        """Until the port answers (and, with ``ready``, /health is 200)."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                status = httpx.get(f"{self.url}/health", timeout=5.0).status_code
                if status == 200 or not ready:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the server did not get ready in {START_SECONDS} s:\n{self.log.read_text()}")

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(httpx.get(f"{self.url}/health", timeout=10.0).content)
        return result

    def wait_for(self, key: str, value: int) -> None:
        deadline = time.monotonic() + START_SECONDS
        while self.health()[key] != value:
            assert time.monotonic() < deadline, self.health()
            time.sleep(0.05)

    def validation_processes(self) -> list[int]:
        """The pids of the server's validation processes (its spawned children, not the
        resource tracker)."""
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()
                if "resource_tracker" not in " ".join(child.cmdline())]

    def stop(self) -> int:
        """SIGTERM, then wait (bounded) for a graceful exit; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            raise AssertionError(f"the server did not stop on SIGTERM:\n{self.log.read_text()}") from None


@contextmanager
def running(tmp: Path, *options: str, ready: bool = True, store: Path | None = None) -> Iterator[Server]:
    """A server started with ``options``, stopped (SIGTERM) at the end."""
    port = free_port()
    log = tmp / f"server-{port}.log"
    command = [str(SCRIPT), "serve", "--port", str(port), "--store", str(store or tmp / "idempotency.sqlite3"),
               *options]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT, env=os.environ.copy())
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        server.wait(ready=ready)
        yield server
    finally:
        server.stop()
