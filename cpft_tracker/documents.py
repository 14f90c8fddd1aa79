"""Report files -> text. Reads .txt/.md (any common encoding), .html and .pdf.

INTERFACE CONTRACT:

    read_document(path: Path) -> Document      # raises errors.BadDocument with a plain message

Every problem with the file (missing, a folder, no permission, binary, empty, a damaged
PDF, a scanned PDF without text, an unsupported kind) becomes one BadDocument whose
message says, in one line, what is wrong and what to do. bs4 and pypdf are imported only
when an HTML or PDF file is read, so other commands do not pay for them at start-up.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from cpft_tracker.errors import BadDocument

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm"})
PDF_SUFFIXES = frozenset({".pdf"})

# HTML elements that are page furniture, not report text.
HTML_DROP_TAGS = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "noscript",
    "template",
    "svg",
    "head",
    "form",
    "iframe",
    "button",
)
# ARIA roles of page furniture on sites that do not use the semantic tags.
HTML_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
# Elements that start a new line of text.
HTML_BLOCK_TAGS = (
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "hr",
    "figure",
    "figcaption",
    "details",
    "summary",
)

# Share of control characters above which a "text" file is treated as binary.
MAX_CONTROL_SHARE = 0.02


@dataclass(frozen=True)
class Document:
    """A report's text, ready for extraction."""

    path: Path
    text: str  # normalised: str, no BOM, \n line endings
    kind: str  # "text", "html" or "pdf"


def _unsupported(path: Path) -> BadDocument:
    return BadDocument(
        f"Cannot read {path.name}: cpft-tracker reads .txt, .html and .pdf files. "
        "Save the report as one of those and try again."
    )


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, or BadDocument for a missing, folder or unreadable path."""
    try:
        if path.is_dir():
            raise BadDocument(
                f"{path} is a folder, not a file. Give the path of a report file "
                "(.txt, .html or .pdf) and try again."
            )
        return path.read_bytes()
    except BadDocument:
        raise
    except FileNotFoundError:
        raise BadDocument(
            f"Cannot find the file {path}. Check the name and folder, then try again."
        ) from None
    except IsADirectoryError:
        raise BadDocument(
            f"{path} is a folder, not a file. Give the path of a report file "
            "(.txt, .html or .pdf) and try again."
        ) from None
    except PermissionError:
        raise BadDocument(
            f"Cannot open {path}: permission denied. Ask for read access to the file, "
            "or copy it somewhere you can read, then try again."
        ) from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise BadDocument(f"Cannot read {path}: {reason}. Check the file and try again.") from None


def _normalise(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _binary(path: Path) -> BadDocument:
    return BadDocument(
        f"{path.name} looks like a binary file, not a text report. "
        "Save the report as .txt, .html or .pdf and try again."
    )


def decode_text(data: bytes, path: Path) -> str:
    """Bytes of a text file -> str: UTF-8 (BOM or not), UTF-16/32 with a BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encodings: tuple[str, ...] = ("utf-32",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        if b"\x00" in data:
            raise _binary(path)
        encodings = ("utf-8-sig", "cp1252", "latin-1")
    for enc in encodings:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BadDocument(
            f"Cannot read {path.name}: its characters cannot be decoded. "
            "Save it again as UTF-8 text and try again."
        )
    if "\x00" in text:
        raise _binary(path)
    if text:
        controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\x7f")
        if controls > MAX_CONTROL_SHARE * len(text):
            raise _binary(path)
    return _normalise(text)


def html_to_text(markup: str) -> str:
    """Visible text of a saved web page: headings and paragraphs on their own lines,
    list items as "- " bullets; scripts, styles, navigation, header and footer dropped."""
    from bs4 import BeautifulSoup, Comment, Tag

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(HTML_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if isinstance(tag, Tag) and not tag.decomposed:
            role = tag.attrs.get("role") if tag.attrs else None
            if isinstance(role, str) and role.lower() in HTML_DROP_ROLES:
                tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for string in list(soup.find_all(string=True)):
        collapsed = re.sub(r"\s+", " ", str(string))
        if collapsed != str(string):
            string.replace_with(collapsed)
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(HTML_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
        if tag.name == "li":
            tag.insert(0, "- ")
    lines = (" ".join(line.split()) for line in soup.get_text().split("\n"))
    return "\n".join(line for line in lines if line and line != "-")


def pdf_to_text(data: bytes, path: Path) -> str:
    """The text layer of a PDF, page after page (pypdf)."""
    import io
    import logging

    logger = logging.getLogger("pypdf")
    old_level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf warns about every small defect
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise BadDocument(
                    f"Cannot read {path.name}: the PDF is password-protected. "
                    "Save an unprotected copy or copy the text into a .txt file, then try again."
                )
        pages = [page.extract_text() or "" for page in reader.pages]
    except BadDocument:
        raise
    except Exception:
        raise BadDocument(
            f"Cannot read {path.name}: it is not a readable PDF (it may be damaged). "
            "Download it again, or copy the text into a .txt file, then try again."
        ) from None
    finally:
        logger.setLevel(old_level)
    return _normalise("\n".join(pages))


def read_document(path: Path) -> Document:
    """Read a report file into text, or raise BadDocument saying what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        exists = path.exists() or path.is_symlink()
    except (OSError, ValueError):
        exists = False
    if not exists:
        raise BadDocument(
            f"Cannot find the file {path}. Check the name and folder, then try again."
        )
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES and not path.is_dir():
        raise _unsupported(path)
    data = _read_bytes(path)
    if not data.strip():
        raise BadDocument(
            f"{path.name} is empty: there is no report text in it. "
            "Check that the whole report was saved, then try again."
        )
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        text = pdf_to_text(data, path)
        if not text.strip():
            raise BadDocument(
                f"{path.name} has no text layer: it may be a scanned image. "
                "Copy the report's text out into a .txt file and import that instead."
            )
        return Document(path=path, text=text, kind="pdf")
    if suffix in HTML_SUFFIXES:
        try:
            text = html_to_text(decode_text(data, path))
        except BadDocument:
            raise
        except Exception:
            raise BadDocument(
                f"Cannot read {path.name}: the web page could not be read. "
                "Save it again from the browser, or copy its text into a .txt file."
            ) from None
        if not text.strip():
            raise BadDocument(
                f"{path.name} has no report text once menus and scripts are removed. "
                "Check you saved the report page itself, then try again."
            )
        return Document(path=path, text=text, kind="html")
    text = decode_text(data, path)
    if not text.strip():
        raise BadDocument(
            f"{path.name} is empty: there is no report text in it. "
            "Check that the whole report was saved, then try again."
        )
    return Document(path=path, text=text, kind="text")
