"""User Schematron rules run sandboxed: nothing outside the document is read, written or run.

Two layers, each tested on its own:

* **Saxon**: every stylesheet (official or user) runs in a processor with no resource
  access (``allowedProtocols`` empty, external functions off). Shown with *trusted*
  compilations, which skip the compiler's policy, so only Saxon stands in the way;
* **the compiler**: a user rule that would read a file, a directory, the network or the
  environment, write a file, stop the run or replace the compiled entry template is
  refused at compile time with a ``SchematronError`` naming what and where (file:line).

Every refusal is checked with the rule it would have run against a secret file under
``tmp_path`` and a secret environment variable: neither appears in any report or error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from peppol_ubl import validate
from peppol_ubl.cli import main
from peppol_ubl.findings import Finding
from peppol_ubl.validation.schematron import SchematronError, compile_schematron, run_schematron
from peppol_ubl.xml.namespaces import SCHEMATRON

SCH = 'xmlns="http://purl.oclc.org/dsdl/schematron" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'
FN = "http://www.w3.org/2005/xpath-functions"
DOC = b'<inv xmlns="urn:t"><note>hello</note><line n="1"><amount>10</amount></line></inv>'
SECRET_TEXT = "s3cr3t-file-contents"
SECRET_ENV = "PEPPOL_UBL_TEST_SECRET"
SECRET_ENV_VALUE = "s3cr3t-environment-value"
_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEPPOL_UBL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(SECRET_ENV, SECRET_ENV_VALUE)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file the rules must not be able to read (a text file and an XML and JSON twin)."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "secret.xml").write_text(f"<s>{SECRET_TEXT}</s>", encoding="utf-8")
    (folder / "secret.json").write_text(f'"{SECRET_TEXT}"', encoding="utf-8")
    path = folder / "secret.txt"
    path.write_text(SECRET_TEXT, encoding="utf-8")
    return path


def schema(folder: Path, body: str, *, name: str = "rules.sch", extra: str = "") -> Path:
    path = folder / name
    path.write_text(
        f'<schema {SCH} queryBinding="xslt2" {extra}><ns prefix="t" uri="urn:t"/>'
        f'<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>{body}</schema>',
        encoding="utf-8",
    )
    return path


def reporting(folder: Path, expression: str, *, extra: str = "", before: str = "") -> Path:
    """A rule that reports ``expression``'s value on the document element."""
    return schema(
        folder,
        f'{before}<pattern><rule context="/*"><report id="LEAK" test="true()">'
        f'<value-of select="{expression}"/></report></rule></pattern>',
        extra=extra,
    )


def leaks(findings: list[Finding]) -> bool:
    text = " ".join(f"{f.message} {f.test}" for f in findings)
    return SECRET_TEXT in text or SECRET_ENV_VALUE in text


def refused(path: Path, *expected: str) -> SchematronError:
    """Compiling ``path`` as user rules fails; the error names ``expected`` and no secret."""
    with pytest.raises(SchematronError) as caught:
        run_schematron(path, DOC)
    message = str(caught.value)
    for part in expected:
        assert part in message
    assert SECRET_TEXT not in message and SECRET_ENV_VALUE not in message
    return caught.value


# --- Saxon: no resource access for any stylesheet -------------------------------------------

READERS = {
    "unparsed-text": "unparsed-text('{uri}')",
    "unparsed-text-lines": "unparsed-text-lines('{uri}')",
    "doc": "string(doc('{xml}'))",
    "document": "string(document('{xml}'))",
    "json-doc": "json-doc('{json}')",
    "collection": "count(collection('{folder}'))",
    "uri-collection": "string-join(uri-collection('{folder}'), ' ')",
    "parse-xml with an external entity": (
        "string(parse-xml('&lt;!DOCTYPE s [&lt;!ENTITY e SYSTEM &quot;{uri}&quot;&gt;]&gt;&lt;s&gt;&amp;e;&lt;/s&gt;'))"
    ),
    "environment-variable": f"environment-variable('{SECRET_ENV}')",
    "available-environment-variables": "string-join(available-environment-variables(), ' ')",
    "http": "unparsed-text('http://127.0.0.1:9/secret')",
}


def _uris(secret: Path) -> dict[str, str]:
    return {
        "uri": secret.as_uri(),
        "xml": secret.with_suffix(".xml").as_uri(),
        "json": secret.with_suffix(".json").as_uri(),
        "folder": secret.parent.as_uri() + "/",
    }


@pytest.mark.parametrize("reader", READERS)
def test_saxon_gives_even_trusted_rules_no_file_network_or_environment(
    tmp_path: Path, secret: Path, reader: str
) -> None:
    path = reporting(tmp_path, READERS[reader].format(**_uris(secret)))
    findings = run_schematron(path, DOC, trusted=True)
    assert [f.rule_id for f in findings] == ["LEAK"]
    assert not leaks(findings)


def test_the_compilers_own_tables_leave_the_sandbox_as_it_is(tmp_path: Path, secret: Path) -> None:
    """A rule of many absent paths whose guard holds reads its table of asserts (JSON,
    ``parse-json``); Saxon still resolves no external entity afterwards. (A first
    ``parse-xml`` in a process would make a later one resolve them: the compiler emits
    none, and user rules may not call it.)"""
    asserts = "".join(f'<assert id="NO-{n}" test="not(t:x{n})">x{n}</assert>' for n in range(8))
    guarded = schema(tmp_path, f'<pattern><rule context="/*">{asserts}'
                               '<assert id="NO-NOTE" test="not(t:note)">a note</assert></rule></pattern>',
                     name="guarded.sch")
    assert "parse-json(" in compile_schematron(guarded) and "parse-xml" not in compile_schematron(guarded)
    assert [(f.rule_id, f.message) for f in run_schematron(guarded, DOC)] == [("NO-NOTE", "a note")]
    path = reporting(tmp_path, READERS["parse-xml with an external entity"].format(**_uris(secret)))
    findings = run_schematron(path, DOC, trusted=True)
    assert [f.rule_id for f in findings] == ["LEAK"]
    assert not leaks(findings)


def test_saxon_writes_no_file_for_trusted_rules(tmp_path: Path) -> None:
    target = tmp_path / "written.txt"
    path = schema(
        tmp_path,
        f"""<xsl:function name="t:write" as="xs:boolean">
              <xsl:result-document href="{target.as_uri()}" method="text">x</xsl:result-document>
              <xsl:sequence select="true()"/>
            </xsl:function>
            <pattern><rule context="/*"><assert id="W" test="t:write()">x</assert></rule></pattern>""",
    )
    with pytest.raises(SchematronError, match="result-document"):
        run_schematron(path, DOC, trusted=True)
    assert not target.exists()


def test_the_working_directory_does_not_show_through_the_base_uri(tmp_path: Path) -> None:
    path = reporting(tmp_path, "static-base-uri(), resolve-uri('x')")
    (finding,) = run_schematron(path, DOC)
    assert str(Path.cwd()) == "/" or str(Path.cwd()) not in finding.message


# --- the compiler: user rules are refused what reaches outside -------------------------------

REFUSED = {
    "unparsed-text": "unparsed-text('{uri}')",
    "unparsed-text-lines": "unparsed-text-lines('{uri}')",
    "unparsed-text-available": "unparsed-text-available('{uri}')",
    "doc": "doc('{xml}')",
    "doc-available": "doc-available('{xml}')",
    "document": "document('{xml}')",
    "json-doc": "json-doc('{json}')",
    "collection": "collection('{folder}')",
    "uri-collection": "uri-collection('{folder}')",
    "environment-variable": f"environment-variable('{SECRET_ENV}')",
    "available-environment-variables": "available-environment-variables()",
    "transform": "transform(map{{'stylesheet-text': ''}})",
    "load-xquery-module": "load-xquery-module('urn:m')",
    "function-lookup": "function-lookup(QName('" + FN + "', 'doc'), 1)('{xml}')",
    "parse-xml": "parse-xml('&lt;s/&gt;')",
    "parse-xml-fragment": "parse-xml-fragment('&lt;s/&gt;')",
}


@pytest.mark.parametrize("function", REFUSED)
def test_user_rules_may_not_call_functions_that_reach_outside(tmp_path: Path, secret: Path, function: str) -> None:
    path = reporting(tmp_path, REFUSED[function].format(**_uris(secret)))
    error = refused(path, f"{function}()", f"{path}:1")
    assert "user rules" in str(error)


DISGUISES = {
    "a space before the parenthesis": "doc ('{xml}')",
    "a comment before the parenthesis": "doc(: (: nested :) :)('{xml}')",
    "a line break": "doc\n('{xml}')",
    "the fn prefix": "fn:doc('{xml}')",
    "a prefix of its own for fn": "f:doc('{xml}')",
    "the braced namespace": "Q{{" + FN + "}}doc('{xml}')",
    "a named function reference": "doc#1('{xml}')",
    "a reference with spaces": "doc #1('{xml}')",
    "the arrow operator": "'{xml}' => doc()",
    "a partial application": "doc(?)('{xml}')",
    "a path step": "/*/doc('{xml}')",
}


@pytest.mark.parametrize("disguise", DISGUISES)
def test_a_refused_function_is_found_however_it_is_written(tmp_path: Path, secret: Path, disguise: str) -> None:
    declared = f'xmlns:fn="{FN}"'
    path = reporting(
        tmp_path, DISGUISES[disguise].format(**_uris(secret)), extra=declared, before=f'<ns prefix="f" uri="{FN}"/>'
    )
    refused(path, "doc()")


PLACES = {
    "a rule context": '<pattern><rule context="t:note[doc-available(\'{xml}\')]"><report test="true()">x</report>'
    "</rule></pattern>",
    "an assert test": "<pattern><rule context=\"/*\"><assert test=\"doc('{xml}')\">x</assert></rule></pattern>",
    "a schema let": "<let name=\"s\" value=\"unparsed-text('{uri}')\"/>"
    '<pattern><rule context="/*"><report test="$s">x</report></rule></pattern>',
    "a rule let": "<pattern><rule context=\"/*\"><let name=\"s\" value=\"unparsed-text('{uri}')\"/>"
    '<report test="$s">x</report></rule></pattern>',
    "a diagnostic": "<pattern><rule context=\"/*\"><report test=\"true()\" diagnostics=\"d\">x</report></rule>"
    "</pattern><diagnostics><diagnostic id=\"d\"><value-of select=\"unparsed-text('{uri}')\"/></diagnostic>"
    "</diagnostics>",
    "a name path": "<pattern><rule context=\"/*\"><report test=\"true()\"><name path=\"doc('{xml}')/*\"/></report>"
    "</rule></pattern>",
    "an abstract pattern's parameter": '<pattern abstract="true" id="a"><rule context="/*">'
    "<report test=\"$read('{uri}')\">x</report></rule></pattern>"
    '<pattern is-a="a"><param name="read" value="unparsed-text"/></pattern>',
    "a function body": '<xsl:function name="t:f"><xsl:sequence select="unparsed-text(\'{uri}\')"/></xsl:function>'
    '<pattern><rule context="/*"><report test="t:f()">x</report></rule></pattern>',
    "an attribute value template": '<xsl:function name="t:f"><x xmlns="urn:x" a="it\'s {{unparsed-text(\'{uri}\')}}"/>'
    '</xsl:function><pattern><rule context="/*"><report test="t:f()">x</report></rule></pattern>',
    "a text value template": '<xsl:function name="t:f" expand-text="yes"><xsl:text>{{unparsed-text(\'{uri}\')}}'
    '</xsl:text></xsl:function><pattern><rule context="/*"><report test="t:f()">x</report></rule></pattern>',
    "a let's literal content": '<let name="s"><x xmlns="urn:x" a="{{unparsed-text(\'{uri}\')}}"/></let>'
    '<pattern><rule context="/*"><report test="$s">x</report></rule></pattern>',
    "a key": '<xsl:key name="k" match="t:line" use="unparsed-text(\'{uri}\')"/>'
    "<pattern><rule context=\"/*\"><report test=\"key('k', 'x')\">x</report></rule></pattern>",
}


@pytest.mark.parametrize("place", PLACES)
def test_a_refused_function_is_found_wherever_it_is_written(tmp_path: Path, secret: Path, place: str) -> None:
    path = schema(tmp_path, PLACES[place].format(**_uris(secret)))
    refused(path, "user rules", str(path))


def test_functions_of_other_namespaces_are_refused(tmp_path: Path) -> None:
    """Even a harmless vendor function (Saxon-HE has ``saxon:is-whole-number``): the
    policy knows the standard functions and the schema's own, nothing else."""
    path = reporting(tmp_path, "saxon:is-whole-number(1)", before='<ns prefix="saxon" uri="http://saxon.sf.net/"/>')
    refused(path, "saxon:is-whole-number()", "a function of http://saxon.sf.net/ that the schema does not declare")


TOP_LEVEL = {
    "xsl:template": '<xsl:template match="/">[["X", null, null, "/", "replaced", "", null]]</xsl:template>',
    "xsl:output": '<xsl:output method="text"/>',
    "xsl:variable": "<xsl:variable name=\"v\" select=\"'x'\"/>",
    "xsl:param": '<xsl:param name="p"/>',
    "xsl:import": '<xsl:import href="other.xsl"/>',
    "xsl:use-package": '<xsl:use-package name="urn:p"/>',
    "xsl:import-schema": '<xsl:import-schema namespace="urn:t"/>',
    "xsl:strip-space": '<xsl:strip-space elements="*"/>',
    "xsl:accumulator": '<xsl:accumulator name="a" initial-value="0"/>',
}


@pytest.mark.parametrize("element", TOP_LEVEL)
def test_only_functions_keys_and_includes_may_stand_before_the_patterns(tmp_path: Path, element: str) -> None:
    body = "\n" + TOP_LEVEL[element] + '<pattern><rule context="/*"><report id="R" test="true()">x</report></rule></pattern>'
    path = schema(tmp_path, body)
    refused(path, element, f"{path}:2", "xsl:function")


INSTRUCTIONS = {
    "xsl:result-document": '<xsl:result-document href="{target}" method="text">x</xsl:result-document>',
    "xsl:message": '<xsl:message terminate="yes">stop</xsl:message>',
    "xsl:evaluate": "<xsl:evaluate xpath=\"'unparsed-text(''{uri}'')'\"/>",
    "xsl:source-document": '<xsl:source-document href="{xml}"><xsl:sequence select="string(.)"/></xsl:source-document>',
}


@pytest.mark.parametrize("instruction", INSTRUCTIONS)
def test_instructions_that_write_stop_or_read_are_refused(tmp_path: Path, secret: Path, instruction: str) -> None:
    target = tmp_path / "written.txt"
    body = INSTRUCTIONS[instruction].format(target=target.as_uri(), **_uris(secret))
    path = schema(
        tmp_path,
        f'\n<xsl:function name="t:f" as="item()*">\n{body}<xsl:sequence select="true()"/></xsl:function>'
        '<pattern><rule context="/*"><report test="t:f()">x</report></rule></pattern>',
    )
    refused(path, instruction, f"{path}:3")
    assert not target.exists()


def test_a_message_that_does_not_terminate_is_allowed(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        '<xsl:function name="t:f" as="xs:boolean"><xsl:message terminate="no">note</xsl:message>'
        '<xsl:sequence select="true()"/></xsl:function>'
        '<pattern><rule context="/*"><report id="R" test="t:f()">x</report></rule></pattern>',
    )
    assert [f.rule_id for f in run_schematron(path, DOC)] == ["R"]


def test_extension_instructions_are_refused(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        '<xsl:function name="t:f" xmlns:saxon="http://saxon.sf.net/" extension-element-prefixes="saxon">'
        '<xsl:sequence select="1"/></xsl:function>'
        '<pattern><rule context="/*"><report test="t:f()">x</report></rule></pattern>',
    )
    refused(path, "extension-element-prefixes")


# --- what user rules may still do -------------------------------------------------------------


def test_harmless_rules_with_look_alike_names_still_run(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<ns prefix="u" uri="urn:u"/>
           <xsl:key name="lines" match="t:line" use="@n"/>
           <xsl:function name="u:doc" as="xs:string"><xsl:param name="doc"/>
             <xsl:sequence select="string($doc)"/></xsl:function>
           <let name="doc" value="/*/t:note"/>
           <pattern><rule context="/*">
             <let name="document" value="(: doc('x') :) 'doc(x)'"/>
             <report id="LOOK-ALIKES" test="u:doc($doc) = 'hello' and exists(key('lines', '1'))
                 and $document = 'doc(x)' and not(t:DocumentCurrencyCode) and not(t:doc)">
               An additional supporting document (BG-24): <value-of select="u:doc($doc)"/></report>
           </rule></pattern>""",
    )
    (finding,) = run_schematron(path, DOC)
    assert finding.rule_id == "LOOK-ALIKES"
    assert finding.message == "An additional supporting document (BG-24): hello"


def test_an_xsl_include_of_a_file_beside_the_schema_is_inlined(tmp_path: Path) -> None:
    """Its declarations take the place of the include, with the namespaces of the module."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "functions.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:lib="urn:u">'
        '<xsl:function name="lib:twice"><xsl:param name="v"/><xsl:sequence select="2 * $v"/></xsl:function>'
        "</xsl:stylesheet>",
        encoding="utf-8",
    )
    path = schema(
        tmp_path,
        '<ns prefix="u" uri="urn:u"/><xsl:include href="lib/functions.xsl"/>'
        '<pattern><rule context="t:line"><report id="TWENTY" test="u:twice(t:amount) = 20">x</report></rule>'
        "</pattern>",
    )
    assert [f.rule_id for f in run_schematron(path, DOC)] == ["TWENTY"]


def test_an_included_stylesheet_is_held_to_the_same_policy(tmp_path: Path, secret: Path) -> None:
    included = tmp_path / "functions.xsl"
    included.write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n'
        f"<xsl:template match=\"/\"><xsl:sequence select=\"unparsed-text('{secret.as_uri()}')\"/></xsl:template>"
        "</xsl:stylesheet>",
        encoding="utf-8",
    )
    path = schema(tmp_path, '<xsl:include href="functions.xsl"/>')
    refused(path, "xsl:template", f"{included}:2")


@pytest.mark.parametrize("element", ["include", "extends", "xsl:include"])
def test_user_rules_include_only_files_beside_them(tmp_path: Path, secret: Path, element: str) -> None:
    (secret.parent / "other.sch").write_text(
        '<pattern xmlns="http://purl.oclc.org/dsdl/schematron"/>', encoding="utf-8"
    )
    rules = tmp_path / "rules"
    rules.mkdir()
    path = schema(rules, f'<{element} href="../private/other.sch"/>')
    refused(path, "../private/other.sch", "beside")


def test_an_included_file_must_be_schematron(tmp_path: Path, secret: Path) -> None:
    (tmp_path / "data.xml").write_text(f"<config>{SECRET_TEXT}</config>", encoding="utf-8")
    path = schema(
        tmp_path,
        '<let name="c"><include href="data.xml"/></let>'
        '<pattern><rule context="/*"><report test="true()"><value-of select="$c"/></report></rule></pattern>',
    )
    refused(path, "data.xml", "not a Schematron element")


# --- the ways user rules come in ------------------------------------------------------------------


def test_validate_refuses_user_rules_that_read_a_file(tmp_path: Path, secret: Path) -> None:
    path = reporting(tmp_path, f"unparsed-text('{secret.as_uri()}')")
    with pytest.raises(SchematronError, match="unparsed-text"):
        validate(_ROOT / "fixtures" / "golden" / "allowances-charges.xml", user_rules=[path])


def test_the_cli_refuses_user_rules_that_read_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = reporting(tmp_path, f"environment-variable('{SECRET_ENV}')")
    document = _ROOT / "fixtures" / "golden" / "allowances-charges.xml"
    assert main(["validate", "--format", "json", "--schematron", str(path), str(document)]) == 2
    out, err = capsys.readouterr()
    assert "environment-variable" in err
    assert SECRET_ENV_VALUE not in out + err
    assert main(["compile-schematron", str(path)]) == 2
    assert "environment-variable" in capsys.readouterr().err


def test_every_official_schematron_file_passes_the_user_policy(shared_dir: Path) -> None:
    """The official rule sets need none of what is refused: each compiles as user rules
    (XRechnung's entry points include ``../common.sch``, outside their folder, so only its
    trusted compilation is possible; the regression tests run it so)."""
    xrechnung = shared_dir / "artifacts" / "xrechnung-ubl-2.5.0"
    failures = {}
    for path in sorted((shared_dir / "artifacts").rglob("*.sch")):
        if path.is_relative_to(xrechnung) or etree.parse(str(path)).getroot().tag != f"{{{SCHEMATRON}}}schema":
            continue  # a part included by an entry point, or XRechnung
        try:
            compile_schematron(path)
        except SchematronError as exc:
            failures[str(path)] = str(exc)
    assert failures == {}
