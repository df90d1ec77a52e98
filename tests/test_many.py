"""``validate_many``: local processes and a 2-worker Dask LocalCluster give exactly the reports
of sequential ``validate``, in order, also when a worker is killed mid-run; and the CLI's
``validate --server`` and ``--scheduler`` print what a local run prints."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster
from serving import Server, running
from test_server import INVALID, VALID, comparable

from peppol_ubl import Report, validate
from peppol_ubl.batch import validate_many
from peppol_ubl.cli import main

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def documents(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """Paths, a file:// URL and bytes, valid and invalid."""
    folder = tmp_path_factory.mktemp("documents")
    (folder / "invalid.xml").write_bytes(INVALID)
    examples = sorted((shared_dir / "examples/peppol/examples").glob("*.xml"))[:4]
    return [*map(str, examples), folder / "invalid.xml", f"file://{examples[0]}", VALID, b"not xml"]


def sequential(sources: list[Any]) -> list[dict[str, Any]]:
    def one(source: Any) -> Report:
        if isinstance(source, str) and source.startswith("file://"):
            return validate(Path(source.removeprefix("file://")).read_bytes(), on=TODAY)
        return validate(source, on=TODAY)
    return [comparable(one(source).to_dict()) for source in sources]


def test_local_processes_give_the_sequential_reports_in_order(documents: list[Any]) -> None:
    got = [comparable(report.to_dict()) for report in validate_many(documents, jobs=2, chunk_size=2, on=TODAY)]
    assert got == sequential(documents)
    in_process = [comparable(r.to_dict()) for r in validate_many(iter(documents), jobs=1, on=TODAY)]
    assert in_process == got


def test_misuse_raises_at_the_call_and_an_unreadable_source_in_its_turn(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown rule set"):
        validate_many([VALID], ruleset="no-such-rules")
    with pytest.raises(TypeError, match="no option colour"):
        validate_many([VALID], colour="blue")
    reports = validate_many([VALID, tmp_path / "missing.xml", VALID], jobs=1)
    assert next(reports).ok
    with pytest.raises(FileNotFoundError):
        next(reports)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local, Client(local) as client:
        yield client


def test_a_local_cluster_gives_the_sequential_reports(cluster: Client, documents: list[Any]) -> None:
    got = [comparable(r.to_dict()) for r in validate_many(documents, client=cluster, chunk_size=3, on=TODAY)]
    assert got == sequential(documents)


def test_a_worker_killed_mid_run_changes_nothing(cluster: Client, documents: list[Any]) -> None:
    sources = documents * 4
    expected = sequential(documents) * 4
    reports = validate_many(sources, client=cluster, chunk_size=1, max_in_flight=4, on=TODAY)
    got = [comparable(next(reports).to_dict())]
    victim = next(iter(cluster.run(os.getpid).values()))
    os.kill(victim, signal.SIGKILL)  # the nanny starts a new worker; its tasks run again
    got += [comparable(report.to_dict()) for report in reports]
    assert got == expected
    assert victim not in cluster.run(os.getpid).values()


def test_validate_with_scheduler_prints_what_a_local_run_prints(cluster: Client, documents: list[Any],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(d) for d in documents if isinstance(d, str | Path) and not str(d).startswith("file:")]
    assert main(["validate", *files]) == 1
    local = capsys.readouterr().out
    assert main(["validate", "--scheduler", cluster.scheduler.address, *files, "missing.xml"]) == 2
    assert capsys.readouterr().out.startswith(local.rsplit("\n", 2)[0])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("server"), "--workers", "2") as started:
        yield started


@pytest.mark.parametrize("format_", ["text", "json", "junit", "sarif"])
def test_validate_with_server_gives_the_local_output_and_exit_code(
        server: Server, documents: list[Any], format_: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    files = [str(d) for d in documents if isinstance(d, str | Path) and not str(d).startswith("file:")]
    for argv, code in (([*files], 1), ([files[0]], 0), ([files[0], "missing.xml"], 2),
                       (["--expect-valid", files[0], files[1]], 0)):
        options = ["--format", format_, "--on", TODAY.isoformat()]
        assert main(["validate", *options, *argv]) == code
        local = capsysbinary.readouterr().out
        assert main(["validate", "--server", server.url, "--jobs", "4", *options, *argv]) == code
        remote = capsysbinary.readouterr().out
        assert _timeless(remote, format_) == _timeless(local, format_)


def _timeless(output: bytes, format_: str) -> bytes:
    """The output without the layers' timings, which differ between any two runs."""
    output = re.sub(rb'"duration_ms": [0-9.]+', b'"duration_ms": 0', output)
    return re.sub(rb'time="[0-9.]+"', b'time="0"', output)


def test_validate_with_server_refuses_user_rules_and_an_unreachable_server(capsys: pytest.CaptureFixture[str]
                                                                           ) -> None:
    assert main(["validate", "--server", "http://127.0.0.1:9", "--schematron", "x.sch", "a.xml"]) == 2
    assert "--schematron cannot be used with --server" in capsys.readouterr().err
    assert main(["validate", "--server", "http://127.0.0.1:9", __file__]) == 2
    assert "cannot reach the server" in capsys.readouterr().err
