"""The input layer refuses hostile or non-UBL input with one PU-INPUT finding, never raising."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from shared import EXAMPLES

from peppol_ubl.codes import CODES
from peppol_ubl.errors import ParseError
from peppol_ubl.xml.namespaces import INVOICE as INVOICE_NS
from peppol_ubl.xml.namespaces import SBDH as SBDH_NS
from peppol_ubl.xml.safe import (
    InputLimits,
    ParsedDocument,
    load_document,
    parse_document,
)

BASE_EXAMPLE = EXAMPLES / "peppol" / "examples" / "base-example.xml"
SECRET = "TOP-SECRET-7f3a9c"
INVOICE_OPEN = f'<Invoice xmlns="{INVOICE_NS}">'.encode()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request made to it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = f'<!ENTITY leak "{SECRET}">'.encode()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def only(parsed: ParsedDocument) -> str:
    """The rule id of the single finding of a refused document."""
    assert not parsed.ok and parsed.root is None and parsed.document_type is None
    assert len(parsed.findings) == 1
    finding = parsed.findings[0]
    assert (finding.severity, finding.layer) == ("fatal", "input")
    assert SECRET not in finding.message
    return finding.rule_id


def billion_laughs() -> bytes:
    levels = [b'<!ENTITY l0 "lol">']
    levels += [b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)]
    return b"<!DOCTYPE Invoice [" + b"".join(levels) + b"]>" + INVOICE_OPEN + b"&l9;</Invoice>"


def nested(depth: int) -> bytes:
    """An Invoice root with ``depth - 1`` nested elements below it."""
    return INVOICE_OPEN + b"<x>" * (depth - 1) + b"</x>" * (depth - 1) + b"</Invoice>"


def sbdh(*payloads: bytes) -> bytes:
    header = b"<sh:StandardBusinessDocumentHeader><sh:HeaderVersion>1.0</sh:HeaderVersion>"
    header += b"</sh:StandardBusinessDocumentHeader>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sh:StandardBusinessDocument xmlns:sh="{SBDH_NS}">\n'.encode()
        + header
        + b"\n"
        + b"\n".join(payloads)
        + b"</sh:StandardBusinessDocument>"
    )


def example_payload() -> bytes:
    return BASE_EXAMPLE.read_bytes().split(b"?>", 1)[1].strip()


def test_file_entity_is_refused_and_never_read(secret_file: Path) -> None:
    data = (
        f'<!DOCTYPE Invoice [<!ENTITY e SYSTEM "{secret_file.as_uri()}">]>'.encode()
        + INVOICE_OPEN
        + b"&e;</Invoice>"
    )
    assert only(parse_document(data)) == "PU-INPUT-DOCTYPE"


def test_parameter_entity_is_refused(secret_file: Path) -> None:
    data = (
        f'<!DOCTYPE Invoice [<!ENTITY % p SYSTEM "{secret_file.as_uri()}"> %p;]>'.encode()
        + INVOICE_OPEN
        + b"</Invoice>"
    )
    assert only(parse_document(data)) == "PU-INPUT-DOCTYPE"


def test_external_dtd_is_refused(secret_file: Path) -> None:
    data = f'<!DOCTYPE Invoice SYSTEM "{secret_file.as_uri()}">'.encode() + INVOICE_OPEN + b"</Invoice>"
    assert only(parse_document(data)) == "PU-INPUT-DOCTYPE"


def test_plain_doctype_is_refused() -> None:
    assert only(parse_document(b"<!DOCTYPE Invoice>" + nested(1))) == "PU-INPUT-DOCTYPE"


@pytest.mark.parametrize("attribute", [False, True])
def test_billion_laughs_is_refused(attribute: bool) -> None:
    data = billion_laughs()
    if attribute:
        data = data.replace(INVOICE_OPEN + b"&l9;", INVOICE_OPEN[:-1] + b' a="&l9;">')
    assert only(parse_document(data)) == "PU-INPUT-DOCTYPE"


def test_quadratic_blowup_is_refused() -> None:
    data = (
        b'<!DOCTYPE Invoice [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
        + INVOICE_OPEN
        + b"&a;" * 50_000
        + b"</Invoice>"
    )
    assert only(parse_document(data)) == "PU-INPUT-DOCTYPE"


def test_nothing_is_fetched_from_the_network(listener: tuple[str, list[str]]) -> None:
    url, hits = listener
    documents = [
        f'<!DOCTYPE Invoice SYSTEM "{url}/a.dtd">'.encode() + INVOICE_OPEN + b"&leak;</Invoice>",
        f'<!DOCTYPE Invoice [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>'.encode() + nested(1),
        f'<!DOCTYPE Invoice [<!ENTITY e SYSTEM "{url}/e">]>'.encode() + INVOICE_OPEN + b"&e;</Invoice>",
    ]
    assert [only(parse_document(d)) for d in documents] == ["PU-INPUT-DOCTYPE"] * 3
    xinclude = INVOICE_OPEN + f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/x"/>'.encode()
    assert only(parse_document(xinclude + b"</Invoice>")) == "PU-INPUT-XINCLUDE"
    assert hits == []


@pytest.mark.parametrize("namespace", ["http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"])
def test_xinclude_is_refused_not_expanded(secret_file: Path, namespace: str) -> None:
    data = (
        INVOICE_OPEN
        + f'<cbc:Note xmlns:cbc="x"><xi:include xmlns:xi="{namespace}" href="{secret_file.as_uri()}" '
        f'parse="text"/></cbc:Note></Invoice>'.encode()
    )
    parsed = parse_document(data)
    assert only(parsed) == "PU-INPUT-XINCLUDE"
    assert parsed.findings[0].line == 1


def _written(uri: str, how: str) -> str:
    """The namespace URI as an attribute value: as it is, or with character references."""
    if how == "plain":
        return uri
    if how == "decimal":
        return uri.replace("I", "&#73;")
    return "".join(f"&#x{ord(c):x};" for c in uri)


@pytest.mark.parametrize("how", ["plain", "decimal", "hex-every-character"])
@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16", "ISO-8859-1"])
def test_xinclude_is_refused_however_its_namespace_is_written(how: str, encoding: str) -> None:
    # a UTF-8 document is searched as bytes before its tree is: the URI written with
    # character references, or the document in another encoding, must not slip by
    uri = _written("http://www.w3.org/2001/XInclude", how)
    text = (f'<?xml version="1.0" encoding="{encoding}"?><Invoice xmlns="{INVOICE_NS}">'
            f'<x:include xmlns:x="{uri}" href="a"/></Invoice>')
    assert only(parse_document(text.encode(encoding))) == "PU-INPUT-XINCLUDE"


def test_a_namespace_that_only_resembles_xinclude_is_accepted() -> None:
    for uri in ("http://www.w3.org/2001/xinclude", "http://www.w3.org/2001/XInclude/", "urn:&#88;"):
        data = INVOICE_OPEN + f'<x:include xmlns:x="{uri}"/></Invoice>'.encode()
        assert parse_document(data).ok, uri


def test_each_thread_parses_with_its_own_parser() -> None:
    # the input layer keeps one parser per thread; documents parsed at once in several
    # threads, refused ones among them, each get their own verdict
    good, bad = BASE_EXAMPLE.read_bytes(), INVOICE_OPEN + b"<unclosed></Invoice>"
    verdicts: list[tuple[bool, bool]] = []

    def parse_many() -> None:
        for _ in range(40):
            verdicts.append((parse_document(good).ok, parse_document(bad).ok))

    threads = [threading.Thread(target=parse_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verdicts == [(True, False)] * 160


def test_ten_thousand_deep_nesting_is_refused() -> None:
    assert only(parse_document(nested(10_000))) == "PU-INPUT-TOO-DEEP"


def test_default_depth_limit_is_saxons_and_libxml2_caps_a_raised_one() -> None:
    assert parse_document(nested(100)).ok
    assert only(parse_document(nested(101))) == "PU-INPUT-TOO-DEEP"
    raised = InputLimits(max_depth=256)
    assert parse_document(nested(256), limits=raised).ok
    assert only(parse_document(nested(257), limits=raised)) == "PU-INPUT-TOO-DEEP"


def test_lowered_depth_limit_is_exact() -> None:
    limits = InputLimits(max_depth=20)
    assert parse_document(nested(20), limits=limits).ok
    parsed = parse_document(b"\n" + nested(21), limits=limits)
    assert only(parsed) == "PU-INPUT-TOO-DEEP"
    assert parsed.findings[0].line == 2


@pytest.mark.parametrize(
    "data",
    [
        INVOICE_OPEN + b"\xc3\x28</Invoice>",
        b'<?xml version="1.0" encoding="UTF-8"?>' + INVOICE_OPEN + b"\xff\xfe</Invoice>",
        b'<?xml version="1.0" encoding="X-NO-SUCH-ENCODING"?>' + nested(1),
    ],
    ids=["bad-utf8", "bad-utf8-declared", "unknown-encoding"],
)
def test_encoding_errors(data: bytes) -> None:
    assert only(parse_document(data)) == "PU-INPUT-ENCODING"


@pytest.mark.parametrize("data", [b"", b"  \n\t", b"\x0b\x0c\r", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
def test_empty_input(data: bytes) -> None:
    parsed = parse_document(data)
    assert only(parsed) == "PU-INPUT-EMPTY"
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()


@given(st.lists(st.sampled_from([b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"\xa0", b"\x00",
                                 b"\xef\xbb\xbf", b"\xef", b"<"]), max_size=6))
def test_empty_means_nothing_but_ascii_whitespace_after_a_bom(pieces: list[bytes]) -> None:
    """Empty is what ``bytes.strip`` would leave nothing of, after one leading BOM."""
    data = b"".join(pieces)
    empty = not data.removeprefix(b"\xef\xbb\xbf").strip()
    assert ("PU-INPUT-EMPTY" in [f.rule_id for f in parse_document(data).findings]) == empty


@pytest.mark.parametrize(
    "data",
    [b"hello", b'{"Invoice": {}}', nested(1) + b"<more/>", INVOICE_OPEN + b"<a></b></Invoice>", b"<Invoice"],
)
def test_not_xml(data: bytes) -> None:
    assert only(parse_document(data)) == "PU-INPUT-NOT-XML"


@pytest.mark.parametrize(
    "data",
    [
        b"<Invoice/>",
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>',
        b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
        b"<html><body/></html>",
    ],
)
def test_wrong_root(data: bytes) -> None:
    assert only(parse_document(data)) == "PU-INPUT-ROOT"


def test_oversize_bytes_and_file(tmp_path: Path) -> None:
    data = BASE_EXAMPLE.read_bytes()
    limits = InputLimits(max_bytes=len(data) - 1)
    assert only(parse_document(data, limits=limits)) == "PU-INPUT-TOO-LARGE"
    assert only(parse_document(BASE_EXAMPLE, limits=limits)) == "PU-INPUT-TOO-LARGE"
    assert parse_document(BASE_EXAMPLE, limits=limits).sha256 is None
    assert parse_document(data, limits=InputLimits(max_bytes=len(data))).ok


def test_text_node_over_parser_limit_is_too_large() -> None:
    data = INVOICE_OPEN + b"<x>" + b"QUJD" * 2_600_000 + b"</x></Invoice>"
    assert only(parse_document(data)) == "PU-INPUT-TOO-LARGE"


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError):
        InputLimits(max_depth=257)
    with pytest.raises(ValueError):
        InputLimits(max_depth=0)
    with pytest.raises(ValueError):
        InputLimits(max_bytes=0)


def test_sbdh_payload_is_unwrapped() -> None:
    data = sbdh(example_payload())
    parsed = parse_document(data)
    assert parsed.ok and parsed.sbdh and parsed.findings == ()
    assert parsed.document_type == "Invoice"
    assert parsed.root is not None and parsed.root.tag == f"{{{INVOICE_NS}}}Invoice"
    assert parsed.root.getparent() is None
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    issue_date = parsed.root.find("{*}IssueDate")
    assert issue_date is not None
    # line numbers are those of the envelope as received
    line = next(n for n, text in enumerate(data.split(b"\n"), 1) if b"<cbc:IssueDate>" in text)
    assert issue_date.sourceline == line
    assert SBDH_NS.encode() not in parsed.xml


def test_sbdh_payload_keeps_namespaces_declared_on_the_envelope() -> None:
    cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    data = sbdh(INVOICE_OPEN + b"<cbc:ID>1</cbc:ID></Invoice>").replace(
        b"<sh:StandardBusinessDocument ", f'<sh:StandardBusinessDocument xmlns:cbc="{cbc}" '.encode()
    )
    parsed = parse_document(data)
    assert parsed.ok
    assert etree.fromstring(parsed.xml).find(f"{{{cbc}}}ID") is not None


@pytest.mark.parametrize("count", [0, 2])
def test_sbdh_needs_exactly_one_payload(count: int) -> None:
    assert only(parse_document(sbdh(*[example_payload()] * count))) == "PU-INPUT-SBDH"


def test_sbdh_payload_must_be_ubl() -> None:
    assert only(parse_document(sbdh(b"<Order/>"))) == "PU-INPUT-ROOT"


def official_examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix.lower() == ".xml")


@pytest.mark.parametrize("path", official_examples(), ids=lambda p: p.name)
def test_official_examples_are_accepted(path: Path) -> None:
    parsed = parse_document(path)
    assert parsed.ok and parsed.findings == () and not parsed.sbdh
    assert parsed.root is not None
    assert parsed.document_type == etree.QName(parsed.root).localname
    assert parsed.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_examples_exist() -> None:
    assert len(official_examples()) >= 40


def test_path_str_and_bytes_agree() -> None:
    by_path, by_str = parse_document(BASE_EXAMPLE), parse_document(str(BASE_EXAMPLE))
    by_bytes = parse_document(BASE_EXAMPLE.read_bytes())
    assert by_path.sha256 == by_str.sha256 == by_bytes.sha256
    assert by_path.xml == by_str.xml == by_bytes.xml


def test_other_encodings_are_read_and_reserialised_as_utf8() -> None:
    text = nested(1).decode().replace("</Invoice>", "<x>é€</x></Invoice>")
    for encoding in ("UTF-16", "ISO-8859-15"):
        data = (f'<?xml version="1.0" encoding="{encoding}"?>' + text).encode(encoding)
        parsed = parse_document(data)
        assert parsed.ok
        assert "é€".encode() in parsed.xml
        assert parsed.xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_serialised_payload_has_no_doctype_and_same_content() -> None:
    parsed = parse_document(BASE_EXAMPLE)
    assert parsed.root is not None
    again = etree.fromstring(parsed.xml)
    assert etree.tostring(again, method="c14n") == etree.tostring(parsed.root, method="c14n")


def test_refused_document_has_no_serialisation() -> None:
    with pytest.raises(ParseError):
        _ = parse_document(b"").xml


def test_load_document_raises_parse_error_with_rule_id() -> None:
    with pytest.raises(ParseError, match="PU-INPUT-ROOT"):
        load_document(b"<Invoice/>")
    assert load_document(BASE_EXAMPLE).document_type == "Invoice"


def test_misuse_raises() -> None:
    with pytest.raises(TypeError):
        parse_document(BASE_EXAMPLE.read_text())
    with pytest.raises(TypeError):
        parse_document(42)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        parse_document("/nonexistent/invoice.xml")


INPUT_RULES = {code.id for code in CODES.values() if code.layer == "input"}


def check_outcome(parsed: ParsedDocument) -> None:
    if parsed.ok:
        assert parsed.findings == () and parsed.document_type in ("Invoice", "CreditNote")
    else:
        assert only(parsed) in INPUT_RULES


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    check_outcome(parse_document(data))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_damaged_official_example_never_raises(data: st.DataObject) -> None:
    original = bytearray(BASE_EXAMPLE.read_bytes())
    for _ in range(data.draw(st.integers(1, 5))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    check_outcome(parse_document(bytes(original)))
