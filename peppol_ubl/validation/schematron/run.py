"""Running compiled Schematron: cached compilation, one Saxon processor, results as Findings.

``compile_schematron`` turns a Schematron file into XSLT text once per machine (the
text is cached under ``cache_dir()/"xslt"``, keyed by the SHA-256 of every input file,
the phase and the compiler's own source; for a pinned official file an index beside it
records the files it was assembled from, so a new process reads the stylesheet without
parsing the ``.sch`` files again while their bytes are unchanged). ``run_schematron``
compiles that text with Saxon once per process and content (user rules edited in place
are compiled anew: their files are hashed again on each run) and runs it on a document
already parsed and re-serialised by the safe input layer; Saxon is given the text itself and never fetches anything.

Every stylesheet, official or user, runs in the one processor of ``_processor``, which
may fetch nothing: Saxon's ``allowedProtocols`` is empty (no ``doc``, ``document``,
``unparsed-text*``, ``json-doc``, ``collection``, ``xsl:source-document``, no external
entity of ``parse-xml``, no stylesheet module; over any scheme, ``file:`` and ``http:``
alike) and ``allow-external-functions`` is off (no ``xsl:result-document``, no
extension instructions, and ``environment-variable()`` sees an empty environment). The
stylesheets are compiled with ``/`` as their base, so no base URI tells the working
directory. Files given by path are user rules unless ``trusted`` (see ``policy``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ...artifacts import cache_dir
from ...errors import ParseError
from ...files import write_atomic
from ...findings import Finding, Severity
from .errors import SchematronError
from .notices import Notice
from .table import Row, read_table

if TYPE_CHECKING:
    from saxonche import PySaxonProcessor, PyXdmNode, PyXsltExecutable

    from ...catalogue import RuleSet, Variant
    from .include import Assembled
    from .prefixes import UndeclaredPrefix

__all__ = ["compile_schematron", "run_schematron", "severity_of"]

_lock = threading.Lock()
_log = logging.getLogger(__name__)
_SANDBOX = {
    "http://saxon.sf.net/feature/allowedProtocols": "",
    "http://saxon.sf.net/feature/allow-external-functions": "false",
}
"""Saxon configuration features (their names are URIs) that give stylesheets no access
to anything but the document: no resource by any protocol, no external functions."""


@cache
def _saxon() -> ModuleType:
    """saxonche, imported when a Schematron layer first runs (it starts a GraalVM runtime)."""
    return import_module("saxonche")


@cache
def _processor() -> PySaxonProcessor:
    """The one Saxon processor of this process (saxonche must not make them repeatedly),
    configured with ``_SANDBOX``."""
    processor = _saxon().PySaxonProcessor(license=False)
    for name, value in _SANDBOX.items():
        processor.set_configuration_property(name, value)
    return processor


@cache
def _compiler_version() -> str:
    """The compiler's identity: a digest of every module of this package (all that shapes
    the stylesheet it emits lives here), so a change to any invalidates cached output."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def compile_schematron(sch_path: Path, phase: str | None = None, *, trusted: bool = False) -> str:
    """The XSLT 3.0 text for a Schematron file (read from the user cache when present).

    A file is compiled as user rules (``policy``: a ``SchematronError`` names what they
    may not do, and includes must stay beside the file) unless ``trusted``, which is
    only for pinned official files.
    """
    return _compile(Path(sch_path), phase, trusted).text


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A compilation: the stylesheet text, the files it was assembled from, its key, and
    the notices of what the compiler did on its own (reported on every run)."""

    text: str
    files: tuple[Path, ...]
    digest: str
    notices: tuple[Notice, ...]


@dataclass(frozen=True, slots=True)
class _Loaded:
    """A stylesheet compiled by Saxon, with the notices of its compilation and the table
    of its checks' fixed fields (``table``)."""

    executable: PyXsltExecutable
    notices: tuple[Notice, ...]
    rows: tuple[Row, ...]


def _digest(sha256: Iterable[str], phase: str | None) -> str:
    """The key of a compilation: the compiler, the phase and the bytes of every file."""
    digest = hashlib.sha256(f"{_compiler_version()}\n{phase or ''}\n".encode())
    for file_digest in sha256:
        digest.update(bytes.fromhex(file_digest))
    return digest.hexdigest()


def _compile(path: Path, phase: str | None, trusted: bool) -> _Compiled:
    if trusted:
        indexed = _from_index(path, phase)
        if indexed is not None:
            return indexed
    # the compiler itself is loaded only when a stylesheet is not in the machine cache
    from .include import assemble
    from .policy import check_user_rules
    from .prefixes import undeclared_prefixes

    assembled = assemble(path, within=None if trusted else path.resolve().parent)
    if not trusted:
        check_user_rules(assembled)
    undeclared = undeclared_prefixes(assembled)
    digest = _digest(assembled.sha256, phase)
    text = _machine_cached(digest, lambda: _emit(assembled, undeclared, phase))
    compiled = _Compiled(text, assembled.files, digest, tuple(prefix.notice for prefix in undeclared))
    if trusted:
        _write_index(path, phase, compiled, assembled.sha256)
    return compiled


def _index_path(path: Path, phase: str | None) -> Path:
    """Where the machine cache keeps what an official file was assembled from: keyed by
    the compiler, the phase and the file's place (its bytes, and those of every file it
    includes, are checked against the index when it is read)."""
    key = hashlib.sha256(f"{_compiler_version()}\n{phase or ''}\n{path}\n".encode())
    return cache_dir() / "xslt" / f"{key.hexdigest()}.json"


def _from_index(path: Path, phase: str | None) -> _Compiled | None:
    """An official file's compilation without assembling it again (a cold start saves the
    parse of every ``.sch`` it includes): the files it was assembled from, still with
    the bytes they had, and its stylesheet from the cache. ``None`` when anything differs."""
    try:
        index = json.loads(_index_path(path, phase).read_text(encoding="utf-8"))
        files = tuple(Path(name) for name in index["files"])
        if [hashlib.sha256(file.read_bytes()).hexdigest() for file in files] != index["sha256"]:
            return None
        cached = cache_dir() / "xslt" / f"{index['digest']}.xsl"
        text = cached.read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if _digest(index["sha256"], phase) != index["digest"]:
        return None
    notices = tuple(Notice(rule_id, message) for rule_id, message in index["notices"])
    _log.debug("compiled stylesheet from the cache: %s (assembly of %s from the cache index)", cached, path)
    return _Compiled(text, files, index["digest"], notices)


def _write_index(path: Path, phase: str | None, compiled: _Compiled, sha256: tuple[str, ...]) -> None:
    index = {"files": [str(file) for file in compiled.files], "sha256": list(sha256),
             "digest": compiled.digest, "notices": [[n.rule_id, n.message] for n in compiled.notices]}
    try:
        write_atomic(_index_path(path, phase), json.dumps(index).encode())
    except OSError:
        pass  # an unwritable cache only costs an assembly next time


def _emit(assembled: Assembled, undeclared: tuple[UndeclaredPrefix, ...], phase: str | None) -> str:
    """The stylesheet of ``assembled``, binding the conventional prefixes it leaves unbound."""
    from .compile import emit_xslt
    from .model import read_schema

    schema = read_schema(assembled.root)
    implicit = tuple(dict.fromkeys(prefix.binding for prefix in undeclared))
    return emit_xslt(replace(schema, namespaces=(*schema.namespaces, *implicit)), phase)


def _machine_cached(digest: str, emit: Callable[[], str]) -> str:
    """The stylesheet text of key ``digest`` from the user cache, or ``emit``\ted and stored."""
    cached = cache_dir() / "xslt" / f"{digest}.xsl"
    if cached.is_file():
        _log.debug("compiled stylesheet from the cache: %s", cached)
        return cached.read_text(encoding="utf-8")
    text = emit()
    _log.info("compiled Schematron to XSLT: %s", cached)
    try:
        write_atomic(cached, text.encode("utf-8"))
    except OSError:
        pass  # an unwritable cache only costs a recompilation next time
    return text


_last_compiled: dict[tuple[Path, str | None, bool], tuple[tuple[Path, ...], str]] = {}
"""The files each schema (with its phase and trust) was last assembled from, and its key."""
_stylesheets: dict[tuple[str, bool], _Loaded] = {}
"""The Saxon-compiled stylesheets of this process, by compilation key and trust."""


def _current_digest(files: tuple[Path, ...], phase: str | None) -> str | None:
    """The key of ``files`` as they are now (None when one cannot be read)."""
    try:
        return _digest((hashlib.sha256(file.read_bytes()).hexdigest() for file in files), phase)
    except OSError:
        return None


def _loaded(sch_path: Path, phase: str | None, trusted: bool) -> _Loaded:
    """The Saxon-compiled stylesheet of one Schematron file as its files are now.

    Keyed by content: every file of user rules is hashed again on each run, and a
    stylesheet compiled from exactly these bytes is reused; otherwise (an edit, a new
    include) the schema is assembled, checked and compiled anew. Trusted files are
    pinned official ones, verified against their SHA-256 when resolved: their last key
    stands.
    """
    key = (sch_path, phase, trusted)
    if key in _last_compiled:
        files, digest = _last_compiled[key]
        current = digest if trusted else _current_digest(files, phase)
        if current is not None and (current, trusted) in _stylesheets:
            return _stylesheets[(current, trusted)]
    compiled = _compile(sch_path, phase, trusted)
    _last_compiled[key] = (compiled.files, compiled.digest)
    loaded = _stylesheets.get((compiled.digest, trusted))
    if loaded is None:
        compiler = _processor().new_xslt30_processor()
        compiler.set_cwd("/")
        started = time.monotonic()
        try:
            executable = compiler.compile_stylesheet(stylesheet_text=compiled.text)
        except _saxon().PySaxonApiError as exc:
            raise SchematronError(f"{sch_path}: the compiled stylesheet is rejected by Saxon: {exc}") from exc
        _log.info("Saxon compiled the stylesheet of %s (%.1f s)", sch_path, time.monotonic() - started)
        loaded = _stylesheets[(compiled.digest, trusted)] = _Loaded(executable, compiled.notices,
                                                                    read_table(compiled.text))
    return loaded


def severity_of(flag: str | None) -> Severity:
    """The finding severity of an assert's ``flag`` (``fatal``/``error`` are fatal)."""
    if flag in ("fatal", "error"):
        return "fatal"
    if flag == "warning":
        return "warning"
    return "information"


@cache
def _real_pinned(path: Path) -> Path:
    return path.resolve()


def _real(path: Path, trusted: bool) -> Path:
    """The path with symbolic links resolved: once per process for pinned official files
    (their place does not change under a run), on every run for user rules."""
    return _real_pinned(path) if trusted else path.resolve()


def _sources(target: RuleSet | Variant | Path | str, trusted: bool) -> list[tuple[Path, bool]]:
    """The files to run and whether each is trusted: a rule set's own pinned files are."""
    if isinstance(target, (str, Path)):
        return [(Path(target), trusted)]
    return [(path, True) for path in target.schematron_paths()]


def run_schematron(
    target: RuleSet | Variant | Path | str, xml: bytes, phase: str | None = None, *, trusted: bool = False
) -> list[Finding]:
    """Every failed assert and fired report of a rule set (or one Schematron file) on ``xml``.

    ``xml`` is a UTF-8 document without DOCTYPE (as the safe input layer produces);
    ``phase`` selects a phase of each schema (default: its ``defaultPhase``, else all).
    A file given by path runs as user rules (see ``policy``) unless ``trusted``: pass it
    only for a pinned official file (``artifact_path``); a rule set's files always are.
    A finding's severity comes from the check's ``flag`` (its ``role`` when it has no
    flag), see ``severity_of``; a check whose evaluation raised a dynamic error is
    reported with its own id and severity and the error text as message. What the
    compiler did on its own to a schema (``prefixes``) comes first, once per schema, as
    an information finding. A file on which Saxon fails beyond what ``xsl:try`` catches
    (unbounded recursion in a rule's function, an internal error of Saxon) gives one
    fatal ``PU-SCHEMATRON-ENGINE`` finding and the other files still run.
    """
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"the document is not UTF-8: {exc}") from exc
    with _lock:
        sources = _sources(target, trusted)
        stylesheets = [_loaded(_real(path, trust), phase, trust) for path, trust in sources]
        try:
            document = _processor().parse_xml(xml_text=text)
        except _saxon().PySaxonApiError as exc:
            raise ParseError(f"the document is not well-formed XML: {exc}") from exc
        results = [(loaded.notices, _transform(loaded, document, path))
                   for loaded, (path, _) in zip(stylesheets, sources, strict=True)]
    return [finding for notices, found in results for finding in (*map(_notice, notices), *found)]


def _transform(loaded: _Loaded, document: PyXdmNode, path: Path) -> list[Finding]:
    """The failures reported by one stylesheet (its JSON result), or the one
    ``PU-SCHEMATRON-ENGINE`` finding when Saxon fails in a way no ``xsl:try`` catches."""
    try:
        output = loaded.executable.transform_to_string(xdm_node=document)
    except _saxon().PySaxonApiError as exc:
        detail = " ".join(str(exc).split())
        return [Finding(
            "PU-SCHEMATRON-ENGINE", "fatal", "schematron",
            f"Saxon failed while running {path.name} on this document, so that file gave no verdict: "
            f"{detail[:300] + '…' if len(detail) > 300 else detail}")]
    entries: list[list[Any]] = json.loads(output) if output else []
    return [_finding(entry, loaded.rows) for entry in entries]


def _notice(notice: Notice) -> Finding:
    """A compiler notice as the information finding of one run."""
    return Finding(rule_id=notice.rule_id, severity="information", layer="schematron", message=notice.message)


def _finding(entry: list[Any], rows: tuple[Row, ...]) -> Finding:
    """A failure of the stylesheet's result (see ``entries``) with its check's row."""
    number, location, message, error = entry if len(entry) == 4 else (*entry, None, None)
    rule_id, flag, role, test, text = rows[number]
    if message is None:
        message = text
    if error is not None:
        message = f"{rule_id} could not be evaluated on this document: {error}"
    return Finding(
        rule_id=rule_id,
        severity=severity_of(flag if flag is not None else role),
        layer="schematron",
        message=message,
        location=location,
        test=test,
    )
