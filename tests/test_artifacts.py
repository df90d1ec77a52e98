"""Artefact pinning: manifests, lookup order, verified download, refusal of corrupted files."""

from __future__ import annotations

import hashlib
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
import shared

from peppol_ubl import artifacts
from peppol_ubl.errors import ArtifactError

SHARED = shared.SHARED / "artifacts"
EAS = ("peppol-bis-billing-3", "codelist/eas.xml")


@pytest.fixture(autouse=True)
def _fresh_lookup() -> Iterator[None]:
    artifacts._resolve.cache_clear()
    yield
    artifacts._resolve.cache_clear()


@pytest.fixture()
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No env folder, an empty cache, downloads refused unless a test allows them."""
    monkeypatch.delenv("PEPPOL_UBL_ARTIFACTS", raising=False)
    monkeypatch.setenv("PEPPOL_UBL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PEPPOL_UBL_OFFLINE", "1")
    monkeypatch.delenv("PEPPOL_UBL_MIRROR", raising=False)
    return tmp_path


@pytest.fixture()
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server on 127.0.0.1 serving a copy of the shared artefacts."""
    root = tmp_path / "mirror"
    shutil.copytree(SHARED, root)
    handler = partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep test output clean."""


def test_manifests_match_the_reference_manifest() -> None:
    import json

    upstream = json.loads((SHARED / "MANIFEST.json").read_text())
    pinned = artifacts.bundles()
    assert set(pinned) == set(upstream)
    for name, bundle in pinned.items():
        assert bundle.version == upstream[name]["version"]
        assert {p: f.sha256 for p, f in bundle.files.items()} == {
            p: f["sha256"] for p, f in upstream[name]["files"].items()
        }
    assert pinned["cen-en16931-ubl"].version == "1.3.16"
    assert pinned["peppol-bis-billing-3"].version == "3.0.19"
    assert pinned["peppol-bis-billing-3.0.20"].version == "3.0.20"
    assert pinned["peppol-bis-billing-3.0.21"].version == "3.0.21"
    assert pinned["cen-en16931-ubl-1.3.15"].version == "1.3.15"


def test_env_folder_is_used_first(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    monkeypatch.setenv("PEPPOL_UBL_ARTIFACTS", str(SHARED))
    assert artifacts.artifact_path(*EAS) == SHARED / EAS[0] / EAS[1]


def test_offline_and_missing_names_file_hash_and_remedy(isolated: Path) -> None:
    with pytest.raises(ArtifactError) as err:
        artifacts.artifact_path(*EAS)
    text = str(err.value)
    assert "peppol-bis-billing-3/codelist/eas.xml" in text
    assert artifacts.bundles()[EAS[0]].files[EAS[1]].sha256 in text
    assert "PEPPOL_UBL_ARTIFACTS" in text


def test_unknown_file_is_refused(isolated: Path) -> None:
    with pytest.raises(ArtifactError, match="not a pinned artefact"):
        artifacts.artifact_path("ubl-2.1", "maindoc/nothing.xsd")


def test_download_is_verified_and_cached(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, mirror: tuple[str, Path]
) -> None:
    url, _root = mirror
    monkeypatch.setenv("PEPPOL_UBL_MIRROR", url)
    monkeypatch.delenv("PEPPOL_UBL_OFFLINE")
    path = artifacts.artifact_path(*EAS)
    assert path == isolated / "cache" / "artifacts" / EAS[0] / EAS[1]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == artifacts.bundles()[EAS[0]].files[EAS[1]].sha256
    # now served from the cache, even offline
    artifacts._resolve.cache_clear()
    monkeypatch.setenv("PEPPOL_UBL_OFFLINE", "1")
    assert artifacts.artifact_path(*EAS) == path
    assert [s.source for s in artifacts.artifact_status() if (s.file.bundle, s.file.path) == EAS] == ["cache"]


def test_corrupted_download_is_rejected_and_not_cached(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, mirror: tuple[str, Path]
) -> None:
    url, root = mirror
    target = root / EAS[0] / EAS[1]
    target.write_bytes(target.read_bytes().replace(b"0088", b"0089"))
    monkeypatch.setenv("PEPPOL_UBL_MIRROR", url)
    monkeypatch.delenv("PEPPOL_UBL_OFFLINE")
    with pytest.raises(ArtifactError, match="SHA-256"):
        artifacts.artifact_path(*EAS)
    assert not (isolated / "cache" / "artifacts" / EAS[0] / EAS[1]).exists()


def test_unreachable_mirror_is_an_artifact_error(
    monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    monkeypatch.setenv("PEPPOL_UBL_MIRROR", "http://127.0.0.1:9")
    monkeypatch.delenv("PEPPOL_UBL_OFFLINE")
    with pytest.raises(ArtifactError) as raised:
        artifacts.artifact_path(*EAS)
    assert "download from http://127.0.0.1:9" in " ".join(str(raised.value).split())


def test_corrupted_local_file_is_refused(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    bad = isolated / "bad"
    (bad / EAS[0] / "codelist").mkdir(parents=True)
    (bad / EAS[0] / EAS[1]).write_text("<CodeList/>")
    monkeypatch.setenv("PEPPOL_UBL_ARTIFACTS", str(bad))
    with pytest.raises(ArtifactError, match="corrupted or a different version"):
        artifacts.artifact_path(*EAS)
    statuses = {(s.file.bundle, s.file.path): s.source for s in artifacts.artifact_status()}
    assert statuses[EAS] == "corrupted"
    assert statuses[(EAS[0], "codelist/icd.xml")] == "missing"


def test_fetch_all_fills_the_cache(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, mirror: tuple[str, Path]
) -> None:
    monkeypatch.setenv("PEPPOL_UBL_MIRROR", mirror[0])
    monkeypatch.delenv("PEPPOL_UBL_OFFLINE")
    paths = artifacts.fetch_all()
    assert len(paths) == sum(len(b.files) for b in artifacts.bundles().values())
    assert {s.source for s in artifacts.artifact_status()} == {"cache"}


# --- a set PEPPOL_UBL_ARTIFACTS is the only place; import into the cache; logging --------


def test_a_set_env_folder_without_the_file_is_an_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, mirror: tuple[str, Path]
) -> None:
    monkeypatch.setenv("PEPPOL_UBL_MIRROR", mirror[0])  # a download would work: it must not be tried
    monkeypatch.delenv("PEPPOL_UBL_OFFLINE")
    for root, state in ((isolated / "nonexistent", "is not a folder"), (isolated, "holds no such file")):
        monkeypatch.setenv("PEPPOL_UBL_ARTIFACTS", str(root))
        artifacts._resolve.cache_clear()
        with pytest.raises(ArtifactError) as raised:
            artifacts.artifact_path(*EAS)
        text = " ".join(str(raised.value).split())
        assert f"PEPPOL_UBL_ARTIFACTS is set to {root}, which {state}" in text
        assert "peppol-bis-billing-3/codelist/eas.xml" in text and "unset it" in text
        assert not (isolated / "cache" / "artifacts").exists()  # nothing was downloaded


def test_error_messages_wrap_at_a_readable_width(isolated: Path) -> None:
    with pytest.raises(ArtifactError) as raised:
        artifacts.artifact_path(*EAS)
    for line in str(raised.value).splitlines():
        assert len(line) <= 79 or " " not in line.strip(), line  # only an unbreakable path or URL is longer


def test_import_verifies_and_copies_into_the_cache_then_works_offline(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peppol_ubl.cli import main

    assert main(["artifacts", "--import", str(SHARED)]) == 0
    total = sum(len(b.files) for b in artifacts.bundles().values())
    assert f"imported {total} file(s)" in capsys.readouterr().out
    assert {s.source for s in artifacts.artifact_status()} == {"cache"}
    assert main(["artifacts", "--import", str(SHARED)]) == 0  # again: nothing to copy
    assert f"imported 0 file(s) into {isolated / 'cache' / 'artifacts'}, {total} already there" in capsys.readouterr().out
    artifacts._resolve.cache_clear()
    assert artifacts.artifact_path(*EAS) == isolated / "cache" / "artifacts" / EAS[0] / EAS[1]


def test_import_refuses_a_corrupted_file_and_reports_missing_ones(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peppol_ubl.cli import main

    partial_set = isolated / "partial"
    (partial_set / EAS[0] / "codelist").mkdir(parents=True)
    (partial_set / EAS[0] / EAS[1]).write_text("<CodeList/>")
    shutil.copytree(SHARED / "ubl-2.1", partial_set / "ubl-2.1")
    assert main(["artifacts", "--import", str(partial_set)]) == 2
    err = capsys.readouterr().err
    assert f"refused {partial_set / EAS[0] / EAS[1]}" in err and "missing " in err
    cached = {s.file.bundle for s in artifacts.artifact_status() if s.source == "cache"}
    assert cached == {"ubl-2.1"} and not (isolated / "cache" / "artifacts" / EAS[0] / EAS[1]).exists()
    assert main(["artifacts", "--import", str(isolated / "nothing-here")]) == 2


def test_downloads_and_cache_hits_are_logged(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, mirror: tuple[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PEPPOL_UBL_MIRROR", mirror[0])
    monkeypatch.delenv("PEPPOL_UBL_OFFLINE")
    with caplog.at_level("DEBUG", logger="peppol_ubl"):
        artifacts.artifact_path(*EAS)
        artifacts._resolve.cache_clear()
        artifacts.artifact_path(*EAS)
    messages = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert messages[0][:2] == ("peppol_ubl.artifacts", "INFO") and messages[0][2].startswith("downloading ")
    assert "SHA-256 verified" in messages[1][2]
    assert messages[2][:2] == ("peppol_ubl.artifacts", "DEBUG") and "cache hit" in messages[2][2]


def test_the_installed_command_works_offline_after_an_import(
    isolated: Path, shared_dir: Path
) -> None:
    """What `make demo` leaves behind: the cache filled, no variable set, no network."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PEPPOL_UBL_ARTIFACTS"}
    env |= {"PEPPOL_UBL_CACHE": str(isolated / "cache"), "PEPPOL_UBL_OFFLINE": "1"}
    script = Path(sys.executable).with_name("peppol-ubl")
    subprocess.run([str(script), "artifacts", "--import", str(SHARED)], env=env, check=True, capture_output=True)
    document = shared_dir / "examples" / "peppol" / "examples" / "base-example.xml"
    done = subprocess.run([str(script), "validate", str(document)], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr


def test_the_cache_folder_is_the_explicit_one_else_the_platforms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """$PEPPOL_UBL_CACHE wins; without it, on Linux, $XDG_CACHE_HOME then ~/.cache."""
    monkeypatch.setenv("PEPPOL_UBL_CACHE", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert artifacts.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("PEPPOL_UBL_CACHE")
    if sys.platform.startswith("linux"):
        assert artifacts.cache_dir() == tmp_path / "xdg" / "peppol-ubl"
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert artifacts.cache_dir() == tmp_path / "home" / ".cache" / "peppol-ubl"
