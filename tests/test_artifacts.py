"""Artefact pinning: manifests, lookup order, verified download, refusal of corrupted files."""

from __future__ import annotations

import hashlib
import http.server
import shutil
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
