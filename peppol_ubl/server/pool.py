"""The pool of validation processes behind the server, and its bounded queue.

``ValidationPool(size, queue, specs, on)`` spawns ``size`` processes
(:mod:`.worker`) that each compile ``specs`` before they take a job; :meth:`run` hands a
job to an idle one and awaits the answer in a thread, so the event loop never waits on
Saxon. At most ``size`` jobs run and ``queue`` more wait; a job beyond that is refused at
once (:class:`Overloaded`, the server's 503 with ``Retry-After``). A process that dies
during a job fails that job (:class:`WorkerCrashed`, a 503) and is replaced by a new one,
which takes jobs once it has compiled the rule sets; the others go on. A process that
died while idle is found out by the next job sent to it, which fails the same way. If
compiling fails (an artefact missing), the pool says why (:attr:`failure`) and refuses
jobs once no process is left (:class:`NotReady`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import multiprocessing
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from time import perf_counter
from typing import Any

from .worker import Job, serve_jobs

__all__ = ["JobFailed", "NotReady", "Overloaded", "ValidationPool", "WorkerCrashed"]

_log = logging.getLogger("peppol_ubl.server")
_STOP_SECONDS = 5.0
"""How long a process may take to end after it is told to, before it is terminated."""


class Overloaded(Exception):
    """Every process is busy and the queue is full; ``retry_after`` estimates when not."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"every validation process is busy and the queue is full; retry after {retry_after} s")
        self.retry_after = retry_after


class WorkerCrashed(Exception):
    """The process running the job died; it is being replaced."""


class NotReady(Exception):
    """No process could compile the rule sets (the message says why)."""


class JobFailed(Exception):
    """The job raised an exception in the process (``Type: message``)."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def call(self, job: Job) -> tuple[str, Any]:
        """Send the job and wait for its answer (in a pool thread, never on the event loop)."""
        self.conn.send(job)
        answer: tuple[str, Any] = self.conn.recv()
        return answer


class ValidationPool:
    """``size`` warm validation processes and a queue of ``queue`` waiting jobs."""

    def __init__(self, size: int, queue: int, specs: tuple[str, ...], on: dt.date) -> None:
        if size < 1 or queue < 0:
            raise ValueError(f"a pool needs at least one process and a queue of 0 or more, not {size}, {queue}")
        self.size, self.queue, self.specs, self.on = size, queue, specs, on
        self.failure: str | None = None
        self.restarts = 0
        self._context = multiprocessing.get_context("spawn")
        self._threads = ThreadPoolExecutor(size, thread_name_prefix="peppol-ubl-pool")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._live: set[_Worker] = set()
        self._processes: set[BaseProcess] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._admitted = 0
        self._seconds_per_job = 0.1
        self._closing = False

    @property
    def ready(self) -> int:
        """How many processes have compiled the rule sets and take jobs."""
        return len(self._live)

    @property
    def busy(self) -> int:
        """How many processes are running a job."""
        return len(self._live) - self._idle.qsize()

    @property
    def waiting(self) -> int:
        """How many jobs wait for a process."""
        return max(0, self._admitted - self.busy)

    def health(self) -> dict[str, Any]:
        """``status`` (``ready`` once every process is, ``starting``, ``failed``) and the counts."""
        status = "ready" if self.ready == self.size else "failed" if self.failure and not self.ready else "starting"
        return {"status": status, "workers": self.size, "ready": self.ready, "busy": self.busy,
                "waiting": self.waiting, "queue": self.queue, "restarts": self.restarts,
                "warm": list(self.specs), "failure": self.failure}

    async def start(self) -> None:
        """Spawn the processes; each takes jobs once it has compiled the rule sets."""
        for _ in range(self.size):
            self._launch()

    async def run(self, function: Any, **arguments: Any) -> Any:
        """``function(**arguments)`` in a validation process, once one is free."""
        if self.failure and not self._live:
            raise NotReady(self.failure)
        if self._admitted >= self.size + self.queue:
            raise Overloaded(self._retry_after())
        self._admitted += 1
        try:
            worker = await self._idle.get()
            started = perf_counter()
            future = asyncio.get_running_loop().run_in_executor(self._threads, worker.call, (function, arguments))
            future.add_done_callback(partial(self._settle, worker))
            try:
                status, value = await asyncio.shield(future)  # a cancelled request still returns its process
            except (EOFError, OSError) as exc:
                raise WorkerCrashed(f"the validation process {worker.process.pid} died (exit code "
                                    f"{worker.process.exitcode}) while handling the request") from exc
            self._seconds_per_job = 0.8 * self._seconds_per_job + 0.2 * (perf_counter() - started)
        finally:
            self._admitted -= 1
        if status == "error":
            raise JobFailed(value)
        return value

    async def close(self) -> None:
        """Stop every process: idle ones are told to and given a grace period; the others (still
        compiling, or busy when uvicorn's graceful shutdown ran out) are terminated."""
        self._closing = True
        told = set()
        while not self._idle.empty():
            worker = self._idle.get_nowait()
            try:
                worker.conn.send(None)
                told.add(worker.process)
            except OSError:
                pass  # already gone
        await asyncio.gather(*(asyncio.to_thread(self._stop, process, grace=process in told)
                               for process in list(self._processes)))
        for task in list(self._tasks):
            task.cancel()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _retry_after(self) -> int:
        """Seconds until the queue has likely moved on: the jobs ahead times the recent job time."""
        return max(1, math.ceil(self._seconds_per_job * (self._admitted - self.size + 1) / self.size))

    def _launch(self) -> None:
        task = asyncio.get_running_loop().create_task(self._spawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _spawn(self) -> None:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=serve_jobs, args=(child, self.specs, self.on),
                                        name="peppol-ubl-validation", daemon=True)
        self._processes.add(process)
        await asyncio.to_thread(process.start)
        child.close()
        try:
            message: tuple[str, Any] = await asyncio.to_thread(parent.recv)
        except (EOFError, OSError):
            message = ("failed", "the validation process died while compiling the rule sets")
        if message[0] != "ready" or self._closing:
            parent.close()
            await asyncio.to_thread(self._stop, process)
            if not self._closing:
                self.failure = str(message[1])
                _log.error("a validation process could not start: %s", self.failure)
            return
        worker = _Worker(process, parent)
        self._live.add(worker)
        self._idle.put_nowait(worker)
        _log.info("validation process %s ready (%s)", process.pid, ", ".join(self.specs))

    def _settle(self, worker: _Worker, future: Future[tuple[str, Any]] | asyncio.Future[tuple[str, Any]]) -> None:
        """After a job: the process goes back to the idle ones, or is replaced if it died."""
        if not future.cancelled() and isinstance(future.exception(), (EOFError, OSError)):
            self._live.discard(worker)
            worker.conn.close()
            self.restarts += 1
            _log.warning("validation process %s died; starting a new one", worker.process.pid)
            stopping = asyncio.get_running_loop().create_task(asyncio.to_thread(self._stop, worker.process))
            self._tasks.add(stopping)
            stopping.add_done_callback(self._tasks.discard)
            if not self._closing:
                self._launch()
            return
        self._idle.put_nowait(worker)

    def _stop(self, process: BaseProcess, grace: bool = True) -> None:
        """End ``process``: wait for it (if it was told to stop), then terminate, then kill."""
        process.join(_STOP_SECONDS if grace else 0)
        if process.is_alive():
            process.terminate()
            process.join(_STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
        self._processes.discard(process)
