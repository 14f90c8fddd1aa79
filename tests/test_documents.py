"""read_document: every kind of file a governance lead may point the tool at."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpft_tracker.documents import read_document
from cpft_tracker.errors import BadDocument
from cpft_tracker.extract import extract_requirements

CORPUS = Path(__file__).resolve().parent / "corpus"
REPORT = "Summary\n\nThe trust must ensure that staff receive “regular” supervision.\n"


def make_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF whose text layer holds ``lines`` (Helvetica, WinAnsi)."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({esc}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def message(path: Path) -> str:
    with pytest.raises(BadDocument) as info:
        read_document(path)
    text = str(info.value)
    assert "\n" not in text and text.endswith("."), text
    return text


# --- Text encodings ---------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        REPORT.encode("utf-8"),
        codecs.BOM_UTF8 + REPORT.encode("utf-8"),
        REPORT.replace("\n", "\r\n").encode("cp1252"),
        REPORT.replace("\n", "\r").encode("utf-8"),
        REPORT.encode("utf-16"),
    ],
    ids=["utf8", "utf8-bom", "cp1252-crlf", "old-mac-cr", "utf16-bom"],
)
def test_text_files_in_every_common_encoding_read_the_same(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(encoded)
    doc = read_document(path)
    assert doc.kind == "text"
    assert doc.text == REPORT
    [req] = extract_requirements(doc.text)
    assert req.text == "The trust must ensure that staff receive “regular” supervision."


def test_cp1252_undefined_bytes_fall_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"Leaders needed to act \x81 quickly.\n")
    assert read_document(path).text == "Leaders needed to act \x81 quickly.\n"


def test_markdown_and_extensionless_files_are_text(tmp_path: Path) -> None:
    for name in ("report.md", "report", "report.TEXT"):
        path = tmp_path / name
        path.write_text(REPORT, encoding="utf-8")
        assert read_document(path).text == REPORT


def test_the_cp1252_crlf_corpus_copy_decodes_curly_quotes() -> None:
    doc = read_document(CORPUS / "pdf-copy-hard-wrapped.txt")
    assert "\r" not in doc.text
    assert "“we need more time to spend with patients”" in doc.text
    assert "trust’s website" in doc.text


# --- Bad files: one plain line each, never a traceback ------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "Cannot find the file" in message(tmp_path / "nope.txt")


def test_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "reports.txt"
    folder.mkdir()
    assert "is a folder, not a file" in message(folder)
    assert "is a folder, not a file" in message(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(REPORT)
    path.chmod(0)
    try:
        assert "permission denied" in message(path)
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t  \n", codecs.BOM_UTF8 + b"\n \n"])
def test_empty_or_whitespace_only(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    assert "is empty" in message(path)


def test_binary_data_in_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00word/document.xml\x00\x00")
    assert "looks like a binary file" in message(path)
    path.write_bytes(bytes(range(1, 32)) * 20)
    assert "looks like a binary file" in message(path)


@pytest.mark.parametrize("name", ["report.docx", "report.xlsx", "scan.png", "report.rtf"])
def test_unsupported_kinds_are_refused_with_what_to_do(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"anything")
    assert message(path) == (
        f"Cannot read {name}: cpft-tracker reads .txt, .html and .pdf files. "
        "Save the report as one of those and try again."
    )


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage garbage\n")
    assert "not a readable PDF" in message(path)
    path.write_bytes(b"this is not a pdf at all")
    assert "not a readable PDF" in message(path)


def test_pdf_without_a_text_layer_says_it_may_be_scanned(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([]))
    text = message(path)
    assert "scanned image" in text and ".txt" in text


def test_undecodable_utf16(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8\x41")  # lone surrogate, odd length
    assert "cannot be decoded" in message(path) or "binary" in message(path)


# --- PDF and HTML -----------------------------------------------------------------


def test_a_real_pdf_is_read_through_its_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(
        make_pdf(
            [
                "Is the service well-led?",
                "The trust must review its governance arrangements (see page 3).",
                "Patients told us staff understood their needs.",
            ]
        )
    )
    doc = read_document(path)
    assert doc.kind == "pdf"
    [req] = extract_requirements(doc.text)
    assert req.text == "The trust must review its governance arrangements (see page 3)."
    assert req.section == "Is the service well-led?"
    assert req.quality_statement == "Governance, management and sustainability"


def test_saved_web_page_keeps_the_report_and_drops_the_junk() -> None:
    doc = read_document(CORPUS / "saved-web-page.html")
    assert doc.kind == "html"
    lines = doc.text.split("\n")
    assert lines[0] == "Oakmead Dental Practice"
    assert "- Ensure care and treatment is provided in a safe way to patients." in lines
    for junk in ("cookies", "dataLayer", "Skip to main", "log in", "Find a service", "copy this"):
        assert junk not in doc.text
    assert "font-weight" not in doc.text
    assert "patients’ needs" in doc.text  # entities decoded


def test_bs4_and_pypdf_are_not_imported_at_start_up() -> None:
    code = (
        "import sys, cpft_tracker.documents, cpft_tracker.extract;"
        "print(any(m.split('.')[0] in ('bs4', 'pypdf') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_permission_error_becomes_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs as root too: the OS refusal is simulated."""
    path = tmp_path / "locked.txt"
    path.write_text(REPORT)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert "permission denied" in message(path)
