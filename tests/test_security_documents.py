"""Issue 14, finding 10 (documents half) and finding 11 (decoding): small hostile files cannot make
the reader recurse without bound or run for hours, and a file's encoding is never guessed silently.

The hostile files are generated here: deeply nested web pages, and PDFs built with pypdf whose pages
all draw one huge (but tiny once compressed) whitespace stream.
"""

from __future__ import annotations

import codecs
import io
import zlib
from pathlib import Path

import pytest

from cpft_tracker.documents import (
    MAX_PDF_CONTENT_BYTES,
    MAX_PDF_PAGES,
    decode_text,
    html_to_text,
    read_document,
)
from cpft_tracker.errors import BadDocument
from cpft_tracker.extract import extract_requirements
from tests.conftest import db_snapshot, run_cli

MUST = "The provider must make sure staff complete their safeguarding training."
TEXT_OPS = b"BT /F1 12 Tf 72 720 Td (" + MUST.encode() + b") Tj ET\n"


def _message(path: Path) -> str:
    with pytest.raises(BadDocument) as caught:
        read_document(path)
    assert "\n" not in caught.value.message
    return caught.value.message


@pytest.mark.parametrize("depth", [8_000, 50_000])
def test_deeply_nested_divs_import(tmp_path: Path, depth: int) -> None:
    """Before: BeautifulSoup recursed once per level: 8,000 levels took 36 s, 50,000 never finished."""
    path = tmp_path / "nested.html"
    path.write_text(
        "<html><body>" + "<div>" * depth + f"<p>{MUST}</p>" + "</div>" * depth + "</body></html>"
    )
    doc = read_document(path)
    assert doc.text == MUST
    assert [r.text for r in extract_requirements(doc.text)] == [MUST]


def test_unclosed_and_stray_tags_by_the_ten_thousand() -> None:
    markup = "<b>" * 20_000 + "<nav>menu</nav>" + "</span>" * 20_000 + f"<p>{MUST}</p>"
    assert html_to_text(markup) == MUST


@pytest.mark.parametrize(
    ("junk", "shown"),
    [
        ("</" * 150_000, "</" * 150_000),  # 20 s with the standard parser: a search per "</"
        ("<!--x>" * 20_000, "<!--x>" * 20_000),  # 11 s: a search for "-->" per comment
        ("<![CDATA[x>" * 20_000, "<![CDATA[x>" * 20_000),  # 3 s: a search for "]]>" each
        ("<![foo[x>" * 20_000, ""),  # an unknown marked section used to stop the whole page
    ],
    ids=["end-tags", "comments", "cdata", "unknown-section"],
)
def test_unclosed_comments_and_sections_by_the_ten_thousand(junk: str, shown: str) -> None:
    """Each is read in one pass; what cannot be markup is shown as the text it is."""
    assert html_to_text(f"<p>{MUST}</p>" + junk) == f"{MUST}\n{shown}".strip()


def test_comments_sections_and_stray_angles_read_as_before() -> None:
    markup = (
        "<p>a<!-- c -->b<![if !supportLists]>x<![endif]> y<![CDATA[z]]>w</p>"
        "<p>a < b and c<d</p> trailing < less"
    )
    assert (
        html_to_text(markup) == "abx yzw\na < b and c trailing < less"
    )  # as BeautifulSoup read it


def test_a_dropped_element_ends_where_its_end_tag_is() -> None:
    markup = (
        "<div role='navigation'><ul><li>Home<li>Find a service</ul></div>"
        "<script>document.write('<p>not text</p>')</script>"
        f"<main><h1>Report</h1><ul><li>{MUST}</li><li>Second &amp; last</li></ul></main>"
        "<footer>Cookies</footer>"
    )
    assert html_to_text(markup) == f"Report\n- {MUST}\n- Second & last"


def _pdf(pages: int, whitespace: int, *, text: bytes = TEXT_OPS) -> bytes:
    """A PDF whose pages all draw one shared content stream: text, ``whitespace`` spaces, text."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    writer = PdfWriter()
    content = StreamObject()
    content._data = zlib.compress(text + b" " * whitespace + text, 9)
    content[NameObject("/Filter")] = NameObject("/FlateDecode")
    shared = writer._add_object(content)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Contents")] = shared
        page[NameObject("/Resources")] = resources
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pages_sharing_one_huge_whitespace_stream_are_refused(tmp_path: Path) -> None:
    """Before: a 70 KB PDF whose pages share a 70 MB whitespace stream took 171 s to read."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf(pages=12, whitespace=5_000_000))
    assert path.stat().st_size < 100_000  # small on disk: the size is in the unpacking
    assert _message(path) == (
        f"Cannot read bomb.pdf: its pages unpack to more than {MAX_PDF_CONTENT_BYTES // 1_000_000} "
        "MB of drawing instructions, more than cpft-tracker reads (the PDF may be damaged or built "
        "to stall readers). Copy the report's text into a .txt file and import that instead."
    )


def test_a_pdf_just_under_the_content_limit_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "heavy.pdf"
    path.write_bytes(_pdf(pages=3, whitespace=100_000))
    doc = read_document(path)
    assert doc.kind == "pdf" and doc.text.count(MUST) == 6


def test_a_pdf_with_too_many_pages_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(_pdf(pages=MAX_PDF_PAGES + 1, whitespace=0))
    assert _message(path) == (
        f"Cannot read long.pdf: it has {MAX_PDF_PAGES + 1:,} pages, more than the "
        f"{MAX_PDF_PAGES:,} cpft-tracker reads from one PDF. Split the report into parts, or copy "
        "its text into a .txt file, then try again."
    )


def test_import_of_a_pdf_bomb_is_one_plain_line_and_changes_nothing(
    tmp_path: Path, db_path: Path
) -> None:
    assert run_cli("import", "--example").returncode == 0
    before = db_snapshot(db_path)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf(pages=12, whitespace=5_000_000))
    proc = run_cli("import", str(path))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: Cannot read bomb.pdf: its pages unpack")
    assert "Traceback" not in proc.stderr
    assert db_snapshot(db_path) == before


# ---------------------------------------------------------------------------
# Finding 11: a UTF-8 marker followed by Windows-1252 bytes
# ---------------------------------------------------------------------------


def test_a_utf8_marked_file_with_windows_1252_bytes_is_refused_not_guessed(
    tmp_path: Path,
) -> None:
    """Before: the marker was decoded as 'ï»¿' (documents) or the é as U+FFFD (plan files)."""
    path = tmp_path / "report.txt"
    path.write_bytes(codecs.BOM_UTF8 + f"Title\n{MUST}\nOwner: Renée\n".encode("cp1252"))
    assert _message(path) == (
        "Cannot read report.txt: it is marked as UTF-8 text but line 3 holds characters in "
        "another encoding (probably Windows-1252). Open it and save it again as UTF-8 "
        "(in Excel: File > Save As > 'CSV UTF-8'), then try again."
    )


def test_a_utf8_marked_file_keeps_its_text_and_loses_the_marker(tmp_path: Path) -> None:
    text = decode_text(codecs.BOM_UTF8 + "Renée\r\n".encode(), tmp_path / "x.txt")
    assert text == "Renée\n"


def test_an_odd_length_utf16_file_is_one_plain_line(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + MUST.encode("utf-16-le") + b"\x00")
    assert "cannot be decoded" in _message(path)
