"""Which assert and report tests cannot raise a dynamic error, so need no ``xsl:try``.

Saxon compiles a stylesheet faster the fewer ``xsl:try`` it holds (CEN's has one per
check that may fail), and a cold start pays that compilation. A test is taken as unable
to raise only when it is written in this small part of XPath, every piece of which is
total on the untyped documents the Schematron layer reads (no schema-aware Saxon: every
atomised node is ``xs:untypedAtomic``):

* paths of steps by name (``cbc:ID``, ``@schemeID``, ``*``, ``p:*``, ``*:ID``), ``.``,
  ``..``, ``text()``, ``node()``, ``/``, ``//`` and unions of paths, a parenthesised
  union as a first step, each step with predicates that are themselves such expressions
  (a number or a count is a position, anything else an effective boolean value);
* ``not``, ``exists``, ``empty``, ``boolean`` and ``count`` of such an expression,
  ``true()``, ``false()``, string and number literals, parentheses, ``and``, ``or``;
* general comparisons (``= != < <= > >=``) between paths and string literals (an
  untyped value compared with a string, or with another untyped value, is compared as
  a string: nothing is cast), and between counts and numbers.

Anything else (a variable, another function, arithmetic, a value comparison such as
``eq``, an axis, a comparison of a node with a number, which casts it) is taken as able
to raise. Every value such an expression produces is a node sequence or a single atomic
value, so its effective boolean value cannot raise either.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from .xpath_text import NAME, QNAME

__all__ = ["cannot_raise"]

_Kind = Literal["nodes", "string", "number", "count", "boolean"]
_TOKEN = re.compile(rf"""\s*(?:
    (?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")
  | (?P<number>\d+(?:\.\d+)?(?![\w.]))
  | (?P<name>\*:{NAME}|{NAME}:\*|{QNAME})
  | (?P<symbol>//|/|\||\(:|\(|\)|\[|\]|@|!=|<=|>=|=|<|>|\.\.|\.|\*|::|\$|,)
)""", re.VERBOSE)
_COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})
_FUNCTIONS = frozenset({"not", "exists", "empty", "boolean", "count"})
_STRINGLIKE = frozenset({"nodes", "string"})
_NUMERIC = frozenset({"count", "number"})


class _Unsafe(Exception):
    """The expression leaves the part of XPath this module knows to be total."""


def cannot_raise(expression: str) -> bool:
    """Whether ``expression`` is written in the part of XPath described above."""
    try:
        tokens = _tokens(expression)
        reader = _Reader(tokens)
        reader.expression()
        return reader.done()
    except _Unsafe:
        return False


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    expression = expression.strip()
    index = 0
    while index < len(expression):
        match = _TOKEN.match(expression, index)
        if match is None or match.end() == index:
            raise _Unsafe
        kind = match.lastgroup
        assert kind is not None
        value = match.group(kind)
        if value in ("(:", "::", "$", ","):  # a comment, an axis, a variable, an argument list
            raise _Unsafe
        tokens.append((kind, value))
        index = match.end()
    return tokens


class _Reader:
    """A recursive-descent reading of the tokens that raises ``_Unsafe`` at anything else."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self._tokens = tokens
        self._at = 0

    def done(self) -> bool:
        return self._at == len(self._tokens)

    def _peek(self, offset: int = 0) -> tuple[str, str] | None:
        at = self._at + offset
        return self._tokens[at] if at < len(self._tokens) else None

    def _is(self, value: str, offset: int = 0) -> bool:
        token = self._peek(offset)
        return token is not None and token[1] == value

    def _take(self, value: str | None = None) -> tuple[str, str]:
        token = self._peek()
        if token is None or value is not None and token[1] != value:
            raise _Unsafe
        self._at += 1
        return token

    def expression(self) -> _Kind:
        return self._joined("or", self._conjunction)

    def _conjunction(self) -> _Kind:
        return self._joined("and", self._comparison)

    def _joined(self, keyword: str, operand: Callable[[], _Kind]) -> _Kind:
        """Operands joined by ``or`` or ``and`` (a boolean when there are two or more)."""
        kind = operand()
        while self._is(keyword):
            self._take()
            operand()
            kind = "boolean"
        return kind

    def _comparison(self) -> _Kind:
        left = self._union()
        token = self._peek()
        if token is None or token[0] != "symbol" or token[1] not in _COMPARISONS:
            return left
        self._take()
        right = self._union()
        if {left, right} <= _STRINGLIKE or {left, right} <= _NUMERIC:
            return "boolean"
        raise _Unsafe  # an untyped value cast to a number or boolean may fail

    def _union(self) -> _Kind:
        kind = self._operand()
        while self._is("|"):
            self._take()
            if kind != "nodes" or self._operand() != "nodes":
                raise _Unsafe  # a union of atomic values
        return kind

    def _operand(self) -> _Kind:
        token = self._peek()
        if token is None:
            raise _Unsafe
        kind, value = token
        if kind == "string":
            self._take()
            return "string"
        if kind == "number":
            self._take()
            return "number"
        if kind == "name" and self._is("(", 1) and value not in ("text", "node"):
            return self._call(value.removeprefix("fn:"))
        return self._path()

    def _call(self, function: str) -> _Kind:
        self._take()
        self._take("(")
        if function in ("true", "false"):
            self._take(")")
            return "boolean"
        if function not in _FUNCTIONS:
            raise _Unsafe
        self.expression()
        self._take(")")
        return "count" if function == "count" else "boolean"

    def _path(self) -> _Kind:
        if self._is("/") or self._is("//"):
            rooted = self._take()[1]
            if rooted == "/" and not self._starts_step():
                return "nodes"  # the document node
        elif self._is("("):
            self._take()
            kind = self.expression()
            self._take(")")
            if not (self._is("[") or self._is("/") or self._is("//")):
                return kind  # a parenthesised expression
            if kind != "nodes":
                raise _Unsafe
            self._predicates()
            return self._more_steps()
        self._step()
        return self._more_steps()

    def _more_steps(self) -> _Kind:
        while self._is("/") or self._is("//"):
            self._take()
            self._step()
        return "nodes"

    def _starts_step(self) -> bool:
        token = self._peek()
        return token is not None and (token[0] == "name" or token[1] in ("@", "*", ".", ".."))

    def _step(self) -> None:
        if self._is("@"):
            self._take()
            token = self._take()
            if token[0] != "name" and token[1] != "*":
                raise _Unsafe
        elif self._is(".") or self._is("..") or self._is("*"):
            self._take()
        else:
            kind, value = self._take()
            if kind != "name":
                raise _Unsafe
            if value in ("text", "node") and self._is("("):
                self._take("(")
                self._take(")")
            elif self._is("("):
                raise _Unsafe  # a function call as a step
        self._predicates()

    def _predicates(self) -> None:
        while self._is("["):
            self._take()
            self.expression()  # a number or count is a position, the rest a boolean value
            self._take("]")
