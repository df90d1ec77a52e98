"""The pinned official artefacts: manifest, lookup and verified download.

The UBL 2.1 XSDs, the CEN EN 16931 rules and the Peppol BIS Billing 3.0 rules and code
lists are never shipped with this package. Our manifests (``peppol_ubl/manifests/*.json``,
installed as package data, one per bundle) pin each file by
name, version, official URL and SHA-256. A file is looked up, in this order:

1. ``$PEPPOL_UBL_ARTIFACTS/<bundle>/<path>`` (a folder laid out like the upstream set);
2. the user cache, ``$PEPPOL_UBL_CACHE`` or ``$XDG_CACHE_HOME/peppol-ubl`` or
   ``~/.cache/peppol-ubl``, under ``artifacts/<bundle>/<path>``;
3. a download from the official URL (or from ``$PEPPOL_UBL_MIRROR/<bundle>/<path>``),
   verified against the pinned SHA-256 and stored in the cache. Setting
   ``PEPPOL_UBL_OFFLINE=1`` forbids the download.

Every file is hash-checked once per process, wherever it was found.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from .errors import ArtifactError

__all__ = [
    "MANIFESTS",
    "ArtifactStatus",
    "Bundle",
    "PinnedFile",
    "artifact_path",
    "artifact_status",
    "bundles",
    "cache_dir",
    "fetch_all",
]

MANIFESTS = "manifests"
"""The folder of ``peppol_ubl`` holding our manifests (and the rule-set catalogue)."""
_DOWNLOAD_TIMEOUT = 30.0

Source = Literal["env", "cache", "download", "missing", "corrupted"]


@dataclass(frozen=True, slots=True)
class PinnedFile:
    """One official file: where it lives upstream and what it must hash to."""

    bundle: str
    path: str
    sha256: str
    size: int
    url: str


@dataclass(frozen=True, slots=True)
class Bundle:
    """A versioned set of official files published together."""

    name: str
    title: str
    version: str
    license: str
    files: dict[str, PinnedFile]


@dataclass(frozen=True, slots=True)
class ArtifactStatus:
    """Where a pinned file was found and whether it matches its hash."""

    file: PinnedFile
    source: Source
    location: Path | None


@cache
def bundles() -> dict[str, Bundle]:
    """All pinned bundles, by name, read from our manifests."""
    found: dict[str, Bundle] = {}
    folder = resources.files("peppol_ubl").joinpath(MANIFESTS)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        meta = json.loads(entry.read_text(encoding="utf-8"))
        if "bundle" not in meta:
            continue  # not a bundle manifest (the rule-set catalogue lives beside them)
        name = meta["bundle"]
        files = {
            rel: PinnedFile(name, rel, info["sha256"], info["bytes"], info["url"])
            for rel, info in meta["files"].items()
        }
        found[name] = Bundle(name, meta["title"], meta["version"], meta["license"], files)
    return found


def _pinned(bundle: str, path: str) -> PinnedFile:
    try:
        return bundles()[bundle].files[path]
    except KeyError:
        raise ArtifactError(f"{bundle}/{path} is not a pinned artefact") from None


def cache_dir() -> Path:
    """The user cache folder of this library (it need not exist yet)."""
    explicit = os.environ.get("PEPPOL_UBL_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "peppol-ubl"


def _env_root() -> Path | None:
    root = os.environ.get("PEPPOL_UBL_ARTIFACTS")
    return Path(root) if root else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _candidates(pinned: PinnedFile) -> list[tuple[Source, Path]]:
    places: list[tuple[Source, Path]] = []
    root = _env_root()
    if root is not None:
        places.append(("env", root / pinned.bundle / pinned.path))
    places.append(("cache", cache_dir() / "artifacts" / pinned.bundle / pinned.path))
    return places


def _download_url(pinned: PinnedFile) -> str:
    mirror = os.environ.get("PEPPOL_UBL_MIRROR")
    if mirror:
        return f"{mirror.rstrip('/')}/{pinned.bundle}/{pinned.path}"
    return pinned.url


def _download(pinned: PinnedFile) -> Path:
    url = _download_url(pinned)
    target = cache_dir() / "artifacts" / pinned.bundle / pinned.path
    try:
        with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response:  # noqa: S310
            data = response.read(pinned.size + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ArtifactError(_missing_message(pinned, f"download from {url} failed: {exc}")) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != pinned.sha256:
        raise ArtifactError(
            f"{pinned.bundle}/{pinned.path}: downloaded from {url} but its SHA-256 is {digest}, "
            f"expected {pinned.sha256}; the file was rejected and not cached"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, target)
    return target


def _missing_message(pinned: PinnedFile, why: str) -> str:
    return (
        f"official artefact {pinned.bundle}/{pinned.path} (version "
        f"{bundles()[pinned.bundle].version}, SHA-256 {pinned.sha256}) is not available: {why}. "
        f"Set PEPPOL_UBL_ARTIFACTS to a folder holding <bundle>/<path> files, run "
        f"'peppol-ubl artifacts --fetch' on a machine with internet access, or download "
        f"{pinned.url} into {cache_dir() / 'artifacts' / pinned.bundle / pinned.path}"
    )


@cache
def _resolve(bundle: str, path: str) -> Path:
    pinned = _pinned(bundle, path)
    for _source, place in _candidates(pinned):
        if place.is_file():
            digest = _sha256(place)
            if digest != pinned.sha256:
                raise ArtifactError(
                    f"{place} is corrupted or a different version: SHA-256 {digest}, "
                    f"expected {pinned.sha256} for {bundle}/{path}"
                )
            return place
    if os.environ.get("PEPPOL_UBL_OFFLINE") == "1":
        raise ArtifactError(_missing_message(pinned, "not found and PEPPOL_UBL_OFFLINE=1"))
    return _download(pinned)


def artifact_path(bundle: str, path: str) -> Path:
    """The local, hash-verified path of one pinned file (downloading it if needed).

    Raises ``ArtifactError`` naming the file and its expected hash when it is missing
    and cannot be fetched, or when the file found does not match its pinned hash.
    """
    return _resolve(bundle, path)


def artifact_status() -> list[ArtifactStatus]:
    """Where every pinned file is found right now and whether its hash matches.

    Never downloads; a missing file has source ``"missing"``.
    """
    report: list[ArtifactStatus] = []
    for bundle in bundles().values():
        for pinned in bundle.files.values():
            status = ArtifactStatus(pinned, "missing", None)
            for source, place in _candidates(pinned):
                if place.is_file():
                    ok = _sha256(place) == pinned.sha256
                    status = ArtifactStatus(pinned, source if ok else "corrupted", place)
                    break
            report.append(status)
    return report


def fetch_all() -> list[Path]:
    """Make every pinned file available locally (download into the cache as needed)."""
    return [artifact_path(f.bundle, f.path) for b in bundles().values() for f in b.files.values()]
