"""The pinned official artefacts: manifest, lookup, import and verified download.

The UBL 2.1 XSDs, the CEN EN 16931 rules and the Peppol BIS Billing 3.0 rules and code
lists are never shipped with this package. Our manifests (``peppol_ubl/manifests/*.json``,
installed as package data, one per bundle) pin each file by
name, version, official URL and SHA-256. A file is looked up, in this order:

1. when ``$PEPPOL_UBL_ARTIFACTS`` is set: ``$PEPPOL_UBL_ARTIFACTS/<bundle>/<path>`` (a
   folder laid out like the upstream set), and nowhere else: a file missing there is an
   ``ArtifactError`` that says so, never a silent fall-back to the cache or the network;
2. the user cache, ``$PEPPOL_UBL_CACHE`` or the platform's user cache folder
   (``platformdirs``: ``$XDG_CACHE_HOME/peppol-ubl`` or ``~/.cache/peppol-ubl`` on Linux,
   ``~/Library/Caches/peppol-ubl`` on macOS), under ``artifacts/<bundle>/<path>``, filled by
   :func:`import_artifacts` (``peppol-ubl artifacts --import DIR``) or by
3. a download from the official URL (or from ``$PEPPOL_UBL_MIRROR/<bundle>/<path>``),
   verified against the pinned SHA-256 before it is stored in the cache. Setting
   ``PEPPOL_UBL_OFFLINE=1`` forbids the download.

Every file is hash-checked once per process, wherever it was found. Downloads, imports
and cache hits are logged under the ``peppol_ubl.artifacts`` logger.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import textwrap
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import platformdirs

from .errors import ArtifactError
from .files import write_atomic

__all__ = [
    "MANIFESTS",
    "ArtifactStatus",
    "Bundle",
    "ImportResult",
    "PinnedFile",
    "artifact_path",
    "artifact_status",
    "bundles",
    "cache_dir",
    "fetch_all",
    "import_artifacts",
]

MANIFESTS = "manifests"
"""The folder of ``peppol_ubl`` holding our manifests (and the rule-set catalogue)."""
_DOWNLOAD_TIMEOUT = 30.0
_ENV = "PEPPOL_UBL_ARTIFACTS"
_WIDTH = 79
_log = logging.getLogger(__name__)

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
    # $XDG_CACHE_HOME/peppol-ubl or ~/.cache/peppol-ubl on Linux, ~/Library/Caches/peppol-ubl
    # on macOS, %LOCALAPPDATA%\peppol-ubl\Cache on Windows
    return platformdirs.user_cache_path("peppol-ubl", appauthor=False)


def _env_root() -> Path | None:
    root = os.environ.get(_ENV)
    return Path(root) if root else None


def _wrap(*paragraphs: str) -> str:
    """An error message as lines of at most 79 characters; paths and URLs stay whole,
    every paragraph after the first is indented under it."""
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        indent = "  " if number else ""
        lines += textwrap.wrap(paragraph, _WIDTH, initial_indent=indent, subsequent_indent="  ",
                               break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cached(pinned: PinnedFile) -> Path:
    return cache_dir() / "artifacts" / pinned.bundle / pinned.path


def _candidate(pinned: PinnedFile) -> tuple[Source, Path]:
    """The one place a pinned file is looked for: ``$PEPPOL_UBL_ARTIFACTS`` when set,
    else the user cache."""
    root = _env_root()
    if root is not None:
        return "env", root / pinned.bundle / pinned.path
    return "cache", _cached(pinned)


def _download_url(pinned: PinnedFile) -> str:
    mirror = os.environ.get("PEPPOL_UBL_MIRROR")
    if mirror:
        return f"{mirror.rstrip('/')}/{pinned.bundle}/{pinned.path}"
    return pinned.url


def _download(pinned: PinnedFile) -> Path:
    import urllib.request  # here: its HTTP and e-mail modules cost a cold start that downloads nothing

    url = _download_url(pinned)
    target = _cached(pinned)
    _log.info("downloading %s/%s from %s", pinned.bundle, pinned.path, url)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response:  # noqa: S310
            data = response.read(pinned.size + 1)
    except (OSError, ValueError) as exc:  # URLError is an OSError
        raise ArtifactError(_missing_message(pinned, f"the download from {url} failed: {exc}")) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != pinned.sha256:
        raise ArtifactError(_wrap(
            f"{pinned.bundle}/{pinned.path}: downloaded from {url}, but its SHA-256 is {digest}, "
            f"expected {pinned.sha256}.", "The file was rejected and not cached."))
    write_atomic(target, data)
    _log.info("downloaded %s/%s (%d bytes, %.1f s), SHA-256 verified, cached at %s",
              pinned.bundle, pinned.path, len(data), time.monotonic() - started, target)
    return target


def _missing_message(pinned: PinnedFile, why: str) -> str:
    bundle = bundles()[pinned.bundle]
    return _wrap(
        f"Official artefact {pinned.bundle}/{pinned.path} (version {bundle.version}, "
        f"SHA-256 {pinned.sha256}) is not available: {why}.",
        "To fix it, do one of:",
        f"- 'peppol-ubl artifacts --import DIR' from a folder laid out like the upstream set "
        f"(DIR/{pinned.bundle}/{pinned.path}, ...);",
        "- 'peppol-ubl artifacts --fetch' on a machine with internet access;",
        f"- set {_ENV} to such a folder;",
        f"- download {pinned.url} into {_cached(pinned)}.",
    )


def _env_message(pinned: PinnedFile, root: Path) -> str:
    state = "holds no such file" if root.is_dir() else "is not a folder"
    return _wrap(
        f"{_ENV} is set to {root}, which {state}: {pinned.bundle}/{pinned.path} "
        f"(version {bundles()[pinned.bundle].version}) is not there.",
        f"While {_ENV} is set, only that folder is used (no cache, no download). Point it "
        f"at a folder laid out like the upstream set, or unset it to use the user cache "
        f"({cache_dir() / 'artifacts'}; 'peppol-ubl artifacts --import DIR' fills it).",
    )


@cache
def _resolve(bundle: str, path: str) -> Path:
    pinned = _pinned(bundle, path)
    source, place = _candidate(pinned)
    if place.is_file():
        digest = _sha256(place)
        if digest != pinned.sha256:
            raise ArtifactError(_wrap(
                f"{place} is corrupted or a different version: SHA-256 {digest}, "
                f"expected {pinned.sha256} for {bundle}/{path}."))
        _log.debug("%s/%s: %s hit, %s", bundle, path, source, place)
        return place
    root = _env_root()
    if root is not None:
        raise ArtifactError(_env_message(pinned, root))
    if os.environ.get("PEPPOL_UBL_OFFLINE") == "1":
        raise ArtifactError(_missing_message(pinned, "it is not in the cache and PEPPOL_UBL_OFFLINE=1"))
    return _download(pinned)


def artifact_path(bundle: str, path: str) -> Path:
    """The local, hash-verified path of one pinned file (downloading it if needed).

    Raises ``ArtifactError`` naming the file and its expected hash when it is missing
    and cannot be fetched, when ``$PEPPOL_UBL_ARTIFACTS`` is set and does not hold it, or
    when the file found does not match its pinned hash.
    """
    return _resolve(bundle, path)


def _pinned_files() -> list[PinnedFile]:
    return [f for b in bundles().values() for f in b.files.values()]


def artifact_status() -> list[ArtifactStatus]:
    """Where every pinned file is found right now and whether its hash matches.

    Never downloads; a missing file has source ``"missing"``.
    """
    report: list[ArtifactStatus] = []
    for pinned in _pinned_files():
        source, place = _candidate(pinned)
        if not place.is_file():
            report.append(ArtifactStatus(pinned, "missing", None))
            continue
        ok = _sha256(place) == pinned.sha256
        report.append(ArtifactStatus(pinned, source if ok else "corrupted", place))
    return report


def fetch_all() -> list[Path]:
    """Make every pinned file available locally (download into the cache as needed)."""
    return [artifact_path(f.bundle, f.path) for f in _pinned_files()]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What :func:`import_artifacts` did with each pinned file."""

    copied: list[PinnedFile]
    present: list[PinnedFile]
    """Already in the cache with the right hash (left as they were)."""
    missing: list[PinnedFile]
    """Neither in the folder nor in the cache."""
    corrupted: list[tuple[PinnedFile, Path]]
    """In the folder with another hash: not copied."""

    @property
    def complete(self) -> bool:
        """Every pinned file is now in the cache, verified."""
        return not self.missing and not self.corrupted


def import_artifacts(folder: Path) -> ImportResult:
    """Copy every pinned file found in ``folder`` (laid out like the upstream set,
    ``<bundle>/<path>``) into the user cache, each verified against its SHA-256 first
    and written atomically; files already cached with the right hash are kept.

    Raises ``ArtifactError`` when ``folder`` is not a folder.
    """
    if not folder.is_dir():
        raise ArtifactError(_wrap(f"{folder} is not a folder; give one laid out like the upstream set "
                                  f"(<bundle>/<path>, e.g. ubl-2.1/maindoc/UBL-Invoice-2.1.xsd)."))
    copied: list[PinnedFile] = []
    present: list[PinnedFile] = []
    missing: list[PinnedFile] = []
    corrupted: list[tuple[PinnedFile, Path]] = []
    for pinned in _pinned_files():
        target, source = _cached(pinned), folder / pinned.bundle / pinned.path
        if target.is_file() and _sha256(target) == pinned.sha256:
            present.append(pinned)
        elif not source.is_file():
            missing.append(pinned)
        else:
            data = source.read_bytes()
            if hashlib.sha256(data).hexdigest() != pinned.sha256:
                corrupted.append((pinned, source))
                continue
            write_atomic(target, data)
            copied.append(pinned)
    _log.info("imported %d artefact(s) from %s into %s (%d already there, %d missing, %d corrupted)",
              len(copied), folder, cache_dir() / "artifacts", len(present), len(missing), len(corrupted))
    return ImportResult(copied, present, missing, corrupted)
