"""What every command shares: the exit codes, reading inputs, writing outputs, option types.

Exit codes are fixed, never a count: 0 everything valid (or the command succeeded), 1 at
least one document invalid (or an unmet expectation, or a 412 pre-flight), 2 unusable
input or a usage error, 130 interrupted (Ctrl-C).

Inputs: a path names a regular file (anything else, a folder where a file is wanted, a
named pipe or a device, is refused: exit 2), ``-`` is standard input, read with an idle
timeout when it is a pipe (``PEPPOL_UBL_STDIN_TIMEOUT`` seconds, default 60). An empty
path is a usage error, never the current folder.

Outputs: ``-o FILE`` is written atomically (:func:`peppol_ubl.files.write_atomic`). On
standard output, a reader that went away (``| head -1``: EPIPE) ends the command
quietly with exit 0 (:class:`ReaderGone`); an output that cannot be written (a closed
stdout, a full disk, a folder without write permission) is :class:`OutputError`: one
line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import selectors
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO

from ..batch.runner import STDIN
from ..catalogue import AUTO, default_ruleset, select
from ..files import kind_of, write_atomic

__all__ = [
    "EXIT_CODES",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_UNUSABLE",
    "STDIN",
    "InputError",
    "OutputError",
    "ReaderGone",
    "add_ruleset_options",
    "at_least",
    "day",
    "emit",
    "err",
    "input_path",
    "out",
    "output_path",
    "read_input",
    "regular_file",
    "ruleset_spec",
    "source_of",
]

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_CODES = (
    "exit codes: 0 all valid (or the command succeeded), 1 at least one document invalid "
    "(or an unmet --expect-…, or pre-flight 412), 2 unusable input or a usage error, "
    "130 interrupted"
)
_STDIN_TIMEOUT = "PEPPOL_UBL_STDIN_TIMEOUT"
_DEFAULT_STDIN_TIMEOUT = 60.0


class InputError(Exception):
    """An input that cannot be read as a document: not a regular file, or stdin timed out."""


class OutputError(Exception):
    """An output that cannot be written (the command exits 2 with this one line)."""


class ReaderGone(Exception):
    """The reader of standard output closed it on purpose (EPIPE): stop quietly, exit 0."""


# --- writing -------------------------------------------------------------------------


def out(text: str) -> None:
    """Write ``text`` and a newline to standard output, now."""
    _write_stdout((text + "\n").encode("utf-8"))


def err(text: str) -> None:
    """Write ``text`` and a newline to standard error (a reader gone there is ignored)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except BrokenPipeError:
        pass


def emit(output: str | None, data: bytes) -> None:
    """Write ``data`` atomically to the file ``output`` (saying so on stderr), or to stdout."""
    if output is None:
        _write_stdout(data)
        return
    try:
        write_atomic(Path(output), data)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from exc
    err(f"wrote {output} ({len(data)} bytes)")


def _write_stdout(data: bytes) -> None:
    stream = sys.stdout
    if stream is None:
        raise OutputError("standard output is closed; redirect it to a file or use -o FILE")
    try:
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:  # a text-only stream (a test's capture): no bytes interface
            stream.write(data.decode("utf-8"))
            stream.flush()
    except BrokenPipeError as exc:
        raise ReaderGone() from exc
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise ReaderGone() from exc
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from exc
    except ValueError as exc:  # "I/O operation on closed file"
        raise OutputError(f"cannot write to standard output: {exc}") from exc


# --- reading -------------------------------------------------------------------------


def regular_file(name: str) -> Path:
    """``name`` as a path, checked to be a regular file (``OSError`` when it is missing,
    :class:`InputError` when it is a folder, a named pipe, a device or a socket)."""
    path = Path(name)
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise InputError(f"{name}: not a regular file ({kind_of(mode)}); use - for standard input")
    return path


def source_of(name: str) -> bytes | Path:
    """What to hand the library for ``name``: stdin's bytes for ``-``, else the checked path."""
    return read_stdin() if name == STDIN else regular_file(name)


def read_input(name: str) -> bytes:
    """The bytes of ``name`` (``-`` for standard input)."""
    source = source_of(name)
    return source if isinstance(source, bytes) else source.read_bytes()


def read_stdin(timeout: float | None = None) -> bytes:
    """All of standard input. From a pipe or socket, give up with :class:`InputError`
    when no byte arrives for ``timeout`` seconds (default ``$PEPPOL_UBL_STDIN_TIMEOUT``
    or 60); a terminal or a redirected file is read without a timeout."""
    stream = sys.stdin
    if stream is None:
        raise InputError("standard input is closed")
    buffer: BinaryIO | TextIO = getattr(stream, "buffer", stream)
    try:
        descriptor = buffer.fileno()
        mode = os.fstat(descriptor).st_mode
    except (OSError, ValueError, AttributeError):  # not a real file: a test's stand-in
        mode = None
    if mode is None or not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        data = buffer.read()
        return data.encode() if isinstance(data, str) else data
    return _read_with_timeout(descriptor, _stdin_timeout() if timeout is None else timeout)


def _stdin_timeout() -> float:
    text = os.environ.get(_STDIN_TIMEOUT, "")
    try:
        return float(text) if text else _DEFAULT_STDIN_TIMEOUT
    except ValueError:
        raise InputError(f"{_STDIN_TIMEOUT}={text!r} is not a number of seconds") from None


def _read_with_timeout(descriptor: int, timeout: float) -> bytes:
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        while True:
            started = time.monotonic()
            if not selector.select(timeout):
                waited = time.monotonic() - started
                raise InputError(
                    f"standard input: no data for {waited:.0f} s (set {_STDIN_TIMEOUT} to wait longer)"
                )
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


# --- option types --------------------------------------------------------------------


def input_path(text: str) -> str:
    """An argparse type: a path to read, or ``-``; an empty path is a usage error."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path (an unset variable?) names no file")
    return text


def output_path(text: str) -> str:
    """An argparse type: a path to write; empty and ``-`` are usage errors (the default
    already is standard output)."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path (an unset variable?) names no file")
    if text == STDIN:
        raise argparse.ArgumentTypeError("leave out -o to write to standard output")
    return text


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer no smaller than ``minimum``."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return convert


def ruleset_spec(text: str) -> str:
    """An argparse type: a rule-set spec the catalogue knows (``name``, ``name@version``,
    ``auto``)."""
    if text == AUTO:
        return text
    try:
        select(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def day(text: str) -> dt.date:
    """An argparse type: a date written ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def add_ruleset_options(command: argparse.ArgumentParser) -> None:
    """``--ruleset NAME[@VERSION]`` and ``--on YYYY-MM-DD``."""
    command.add_argument(
        "--ruleset", type=ruleset_spec, default=default_ruleset(), metavar="NAME[@VERSION]",
        help=f"rule set to run: NAME (the version in force on --on), NAME@VERSION, NAME@latest, "
             f"or {AUTO} (the one each document's CustomizationID names); 'peppol-ubl rulesets' "
             f"lists them (default: {default_ruleset()})")
    command.add_argument("--on", type=day, metavar="YYYY-MM-DD",
                         help="the date whose rules in force run (default: today)")
