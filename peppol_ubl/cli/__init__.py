"""The ``peppol-ubl`` command: a thin layer over the library, for people and pipelines.

Exit codes are fixed, never a count: 0 everything valid (or the command succeeded),
1 at least one document invalid (for ``validate --expect-…``: at least one document
did not turn out as expected; for ``preflight``: 412), 2 unusable input or a usage
error, 130 interrupted. Reports go to stdout; progress, summaries of machine-readable
output and error messages go to stderr. One module per command (each has
``register``); the options and output helpers they share are in :mod:`.common`. Its
modules are internal.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
import threading
from collections.abc import Sequence
from typing import Any, NoReturn

from ..errors import PeppolUblError
from . import artifacts, build, parse, preflight, rulesets, schematron, serve, validate
from .common import (
    EXIT_CODES,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNUSABLE,
    InputError,
    OutputError,
    ReaderGone,
    err,
)

__all__ = ["main", "run"]

_COMMANDS = (artifacts, build, parse, validate, preflight, rulesets, schematron, serve)
_DESCRIPTION = "Build and validate UBL 2.1 / Peppol BIS Billing 3.0 e-invoices."


class _Version(argparse.Action):
    """``--version``: the version is read from the package metadata only when asked for
    (``importlib.metadata`` costs a cold start about 15 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from .. import __version__

        print(f"{parser.prog} {__version__}", file=sys.stdout)  # on stdout, as argparse's own
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peppol-ubl", description=_DESCRIPTION, epilog=EXIT_CODES)
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log downloads, cache hits and compilation to stderr (-vv: more detail)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands",
                                     help="'peppol-ubl COMMAND --help' tells more")
    for command in _COMMANDS:
        command.register(commands)
    for sub in commands.choices.values():
        sub.epilog = sub.epilog or EXIT_CODES
    return parser


def run() -> NoReturn:
    """The ``peppol-ubl`` command and ``python -m peppol_ubl``: :func:`main` on the
    process's arguments, then the process ends with its exit code (see :func:`_leave`)."""
    _leave(main())


def _leave(code: int) -> NoReturn:
    """End the process with ``code`` once its output is out, without the interpreter's
    teardown: freeing the cached UBL schema, the compiled stylesheets and every module
    costs a cold ``validate`` about 35 ms of its 600, and the system takes the memory
    back anyway. The exit handlers still run (logging's among them). While another
    thread that is not a daemon is alive, the interpreter ends the process as usual,
    after waiting for it."""
    if any(not thread.daemon for thread in threading.enumerate() if thread is not threading.main_thread()):
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:  # the reader left before the end: it had what it wanted
        _stdout_to_devnull()
    except (OSError, ValueError):  # stdout closed by the command, or failing: as usual
        raise SystemExit(code) from None
    if sys.stderr is not None:
        try:
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # nowhere left to say it
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (usage errors included, as 2)."""
    _hold_closed_stdout()
    try:
        return _main(argv)
    except ReaderGone:  # `| head -1`: the reader has what it wanted
        _stdout_to_devnull()
        return EXIT_OK
    except KeyboardInterrupt:
        err("peppol-ubl: interrupted")
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error or the help
        return exc.code if isinstance(exc.code, int) else EXIT_UNUSABLE
    if args.verbose:
        _log_to_stderr(logging.DEBUG if args.verbose > 1 else logging.INFO)
    try:
        code: int = args.run(args)
    except OutputError as exc:
        _stdout_to_devnull()
        err(f"peppol-ubl: {exc}")
        return EXIT_UNUSABLE
    except _expected_errors() as exc:
        err(f"peppol-ubl: {_one_error(exc)}")
        return EXIT_UNUSABLE
    return code


def _expected_errors() -> tuple[type[Exception], ...]:
    """The errors a command reports in one line (exit 2). pydantic's ``ValidationError``
    (a contract JSON refused) is among them once pydantic is loaded, which only the
    commands that read a contract do: ``validate`` starts without it."""
    pydantic = sys.modules.get("pydantic")
    errors: tuple[type[Exception], ...] = (PeppolUblError, InputError, OSError)
    return (*errors, pydantic.ValidationError) if pydantic is not None else errors


def _one_error(exc: BaseException) -> str:
    """The message of an error (an ``OSError`` as ``file: reason``)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


def _log_to_stderr(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("peppol-ubl: %(message)s"))
    logger = logging.getLogger("peppol_ubl")
    logger.addHandler(handler)
    logger.setLevel(level)


def _hold_closed_stdout() -> None:
    """When the process was started with stdout closed, put /dev/null on descriptor 1 so
    that no file opened later takes its place (``sys.stdout`` stays ``None``: writing a
    report there is an :class:`OutputError`)."""
    if sys.stdout is not None:
        return
    try:
        os.fstat(1)
    except OSError:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        if descriptor != 1:
            os.dup2(descriptor, 1)
            os.close(descriptor)


def _stdout_to_devnull() -> None:
    """Send what is left in stdout's buffer to /dev/null: the interpreter's own flush at
    exit must not fail a second time (and print ``Exception ignored``)."""
    stream = sys.stdout
    try:
        descriptor = stream.fileno() if stream is not None else None
    except (OSError, ValueError, AttributeError):  # not a real file: a test's capture
        return
    if descriptor is None:
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


if __name__ == "__main__":
    run()
