"""The policy for user rules: what a Schematron file the caller brings may not do.

**Who is a user.** A rule set's own files (a ``RuleSet`` given to ``run_schematron``)
are official: pinned by SHA-256 in our manifests, verified before use, and compiled as
written. Every file given by path (``validate(user_rules=…)``, the CLI's
``--schematron`` and ``compile-schematron``) is a user file, checked here after assembly
(so a call put together from an abstract pattern's parameter is seen too) and before
anything is compiled or run, unless the caller passes ``trusted=True``: the library does
so only for pinned official files it resolved itself (``artifact_path``). The user files
may include only files in their own folder or below it (see ``include``).

**What runs anyway.** Every stylesheet, official or user, runs in a Saxon that may fetch
nothing (see ``run``): no file, network, collection or environment access, no
``xsl:result-document``. This policy refuses the same things earlier, with a
``SchematronError`` that names the file and line, and a few more that Saxon would run:

* the functions of ``REFUSED_FUNCTIONS`` (each with its reason), however written
  (``doc (``, ``fn:doc(``, ``Q{…xpath-functions}doc(``, ``doc#1``, ``=> doc()``);
* any function outside the standard namespaces (fn, math, map, array, xs constructors)
  that the schema does not declare itself as an ``xsl:function``: vendor extensions
  such as ``saxon:*``, EXPath or Java calls;
* before the patterns, any XSLT declaration but ``xsl:function`` and ``xsl:key``, the
  two the XSLT query bindings of ISO/IEC 19757-3 allow there (an ``xsl:include`` of a
  file beside the schema is resolved at assembly and its declarations are held to the
  same rule): an ``xsl:template`` would replace the entry template, ``xsl:output`` the
  result, ``xsl:import``/``xsl:use-package``/``xsl:import-schema`` fetch modules;
* inside functions, keys and ``let`` content, any XSLT element but the instructions of
  ``INSTRUCTIONS``: ``xsl:result-document`` (writes files), ``xsl:source-document`` and
  ``xsl:merge`` (read documents), ``xsl:evaluate`` (runs XPath built at run time, out of
  this policy's sight); and ``xsl:message`` whose ``terminate`` is not ``no``, which
  would stop the whole validation;
* ``[xsl:]extension-element-prefixes`` (vendor extension instructions).
"""

from __future__ import annotations

from lxml import etree

from ...xml import namespaces
from .errors import SchematronError
from .include import SCH_NS, Assembled
from .queries import copied_content, display, queries
from .xpath_text import Name, names

__all__ = ["INSTRUCTIONS", "REFUSED_FUNCTIONS", "check_user_rules"]

_FN = namespaces.XPATH_FUNCTIONS
_STANDARD = frozenset({_FN, namespaces.XPATH_MATH, namespaces.XPATH_MAP, namespaces.XPATH_ARRAY, namespaces.XS})
_XSL = f"{{{namespaces.XSL}}}"
_READS_DOCUMENTS = "reads a document by its URI"
_READS_TEXT = "reads a file by its URI"

REFUSED_FUNCTIONS: dict[str, str] = {
    "doc": _READS_DOCUMENTS,
    "doc-available": "probes a document by its URI",
    "document": _READS_DOCUMENTS,
    "unparsed-text": _READS_TEXT,
    "unparsed-text-lines": _READS_TEXT,
    "unparsed-text-available": "probes a file by its URI",
    "json-doc": _READS_TEXT,
    "collection": "lists and reads a directory or collection",
    "uri-collection": "lists a directory or collection",
    "environment-variable": "reads the process environment",
    "available-environment-variables": "lists the process environment",
    "transform": "runs another stylesheet, out of this policy's sight",
    "load-xquery-module": "loads and runs an XQuery module",
    "function-lookup": "finds any function by name at run time, the refused ones too",
    "parse-xml": "parses a string whose DOCTYPE may fetch external entities",
    "parse-xml-fragment": "parses a string whose DOCTYPE may fetch external entities",
    "unparsed-binary": "reads a file by its URI (XPath 4.0)",
    "html-doc": "reads a document by its URI (XPath 4.0)",
}
"""Functions of the standard namespace refused in user rules, with the reason."""

INSTRUCTIONS = frozenset({
    "analyze-string", "apply-imports", "apply-templates", "assert", "attribute", "break",
    "call-template", "catch", "choose", "comment", "copy", "copy-of", "document", "element",
    "fallback", "for-each", "for-each-group", "fork", "if", "iterate", "map", "map-entry",
    "matching-substring", "message", "namespace", "next-iteration", "next-match",
    "non-matching-substring", "number", "on-completion", "on-empty", "on-non-empty",
    "otherwise", "param", "perform-sort", "processing-instruction", "sequence", "sort",
    "text", "try", "value-of", "variable", "when", "where-populated", "with-param",
})
"""The XSLT 3.0 elements user rules may use inside functions, keys and ``let`` content."""

_DECLARATIONS = frozenset({"function", "key"})
_WHY_NOT = {
    "result-document": "it writes files",
    "source-document": "it reads a document by its URI",
    "merge": "it reads documents by their URI",
    "merge-source": "it reads documents by their URI",
    "evaluate": "it evaluates XPath built at run time, out of this policy's sight",
}
"""Why the most tempting XSLT elements outside ``INSTRUCTIONS`` are refused."""


def check_user_rules(assembled: Assembled) -> None:
    """Raise ``SchematronError`` listing everything user rules may not do in ``assembled``."""
    problems = [*_structure(assembled), *_calls(assembled)]
    if problems:
        raise SchematronError("refused in user rules: " + "; ".join(dict.fromkeys(problems)))


def _structure(assembled: Assembled) -> list[str]:
    problems: list[str] = []
    for top, declaration in copied_content(assembled.root):
        if declaration and etree.QName(top).localname not in _DECLARATIONS:
            problems.append(
                f"{assembled.where(top)}: {display(top)} before the patterns (only xsl:function and xsl:key, "
                "and an xsl:include of a file beside the schema, may stand there: the XSLT query bindings "
                "of ISO Schematron)"
            )
            continue
        for element in top.iter():
            if isinstance(element.tag, str):
                problems += _element(assembled, element, declared=declaration and element is top)
    return problems


def _element(assembled: Assembled, element: etree._Element, *, declared: bool) -> list[str]:
    """What is wrong with one element of copied content (``declared``: the declaration itself)."""
    where = f"{assembled.where(element)}: {display(element)}"
    qname = etree.QName(element)
    is_xsl = qname.namespace == namespaces.XSL
    problems: list[str] = []
    if is_xsl and not declared and qname.localname not in INSTRUCTIONS:
        problems.append(f"{where}: {_WHY_NOT.get(qname.localname, 'not an XSLT instruction user rules may use')}")
    terminate = (element.get("terminate") or "no").strip()
    if is_xsl and qname.localname == "message" and terminate not in ("no", "false", "0"):
        problems.append(f"{where} terminate={terminate!r}: it would stop the whole validation")
    extension = element.get("extension-element-prefixes" if is_xsl else f"{_XSL}extension-element-prefixes")
    if extension is not None:
        problems.append(f"{where}/@extension-element-prefixes: vendor extension instructions")
    return problems


def _calls(assembled: Assembled) -> list[str]:
    root = assembled.root
    declared: dict[str, set[str]] = {}
    for ns in root.iter(f"{{{SCH_NS}}}ns"):
        declared.setdefault(ns.get("prefix", ""), set()).add(ns.get("uri", ""))
    own = _own_functions(root, declared)
    problems: list[str] = []
    for query in queries(root):
        for name in names(query.text):
            if name.use not in ("call", "reference"):
                continue
            where = f"{assembled.where(query.element)}: {query.holder} calls {name.written}()"
            for uri in _namespaces(name, query.element if query.copied else None, declared):
                if uri == _FN and name.local in REFUSED_FUNCTIONS:
                    problems.append(f"{where}, which {REFUSED_FUNCTIONS[name.local]}")
                elif uri not in _STANDARD and (uri, name.local) not in own:
                    problems.append(f"{where}, a function of {uri} that the schema does not declare")
    return problems


def _namespaces(name: Name, copied: etree._Element | None, declared: dict[str, set[str]]) -> set[str]:
    """Every namespace ``name`` may be in once compiled: its ``sch:ns`` bindings and, in
    XSLT content ``copied`` into the stylesheet, that element's own declarations. An
    unbound prefix is judged as the standard namespace (Saxon refuses it anyway)."""
    if name.uri is not None:
        return {name.uri}
    if not name.prefix:
        return {_FN}
    found = set(declared.get(name.prefix, ()))
    if copied is not None and name.prefix in copied.nsmap:
        found.add(copied.nsmap[name.prefix])
    return found or {_FN}


def _own_functions(root: etree._Element, declared: dict[str, set[str]]) -> set[tuple[str, str]]:
    """The (namespace, local name) of every top-level ``xsl:function`` of the schema."""
    own: set[tuple[str, str]] = set()
    for top, declaration in copied_content(root):
        if declaration and top.tag == f"{_XSL}function":
            for name in names(top.get("name", "")):
                own.update((uri, name.local) for uri in _namespaces(name, top, declared))
    return own
