"""Report files -> text. Reads .txt/.md (any common encoding), .html and .pdf.

INTERFACE CONTRACT:

    read_document(path: Path) -> Document      # raises errors.BadDocument with a plain message

Every problem with the file (missing, a folder, no permission, binary, empty, a damaged
PDF, a scanned PDF without text, an unsupported kind) becomes one BadDocument whose
message says, in one line, what is wrong and what to do. pypdf is imported only when a PDF
is read, so other commands do not pay for it at start-up. Web pages are read by a flat
streaming parser from the standard library (no tree, no recursion); PDFs are refused past
MAX_PDF_PAGES pages or MAX_PDF_CONTENT_BYTES of decompressed page content.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpft_tracker.errors import BadDocument

if TYPE_CHECKING:
    from pypdf import PdfReader

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

# Limits on the work one PDF may ask for. A long CQC report has a few hundred pages and a
# few MB of page content; pypdf reads content at a few MB a second, so these keep any file
# to a few seconds. A shared stream counts once for every page that draws it.
MAX_PDF_PAGES = 2000
MAX_PDF_CONTENT_BYTES = 10_000_000


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
    elif data.startswith(codecs.BOM_UTF8):
        # The file says it is UTF-8: never guess another encoding for it (that silently turned
        # the marker into "ï»¿" and, elsewhere, "Renée" into "Ren\ufffde").
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise not_utf8(data, exc.start + len(codecs.BOM_UTF8), path.name) from None
        return _checked(text, path)
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
    return _checked(text, path)


def not_utf8(data: bytes, offset: int, name: str) -> BadDocument:
    """The error for a file marked as UTF-8 whose byte at ``offset`` is not UTF-8."""
    line = data.count(b"\n", 0, offset) + 1
    return BadDocument(
        f"Cannot read {name}: it is marked as UTF-8 text but line {line} holds characters in "
        "another encoding (probably Windows-1252). Open it and save it again as UTF-8 "
        "(in Excel: File > Save As > 'CSV UTF-8'), then try again."
    )


def _checked(text: str, path: Path) -> str:
    if "\x00" in text:
        raise _binary(path)
    if text:
        controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\x7f")
        if controls > MAX_CONTROL_SHARE * len(text):
            raise _binary(path)
    return _normalise(text)


# Elements that never have content or an end tag.
HTML_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "basefont",
        "bgsound",
        "br",
        "col",
        "embed",
        "frame",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "menuitem",
        "meta",
        "param",
        "source",
        "spacer",
        "track",
        "wbr",
    }
)
_WHITESPACE = re.compile(r"\s+")
# The closers the standard parser searches for (as in CPython's _markupbase).
_COMMENT_CLOSE = re.compile(r"--\s*>")
_SECTION_CLOSE = re.compile(r"]\s*]\s*>")
_MS_SECTION_CLOSE = re.compile(r"]\s*>")
_SECTION_NAME = re.compile(r"[a-zA-Z][-_.a-zA-Z0-9]*\s*")
_STANDARD_SECTIONS = frozenset({"temp", "cdata", "ignore", "include", "rcdata"})
_MS_SECTIONS = frozenset({"if", "else", "endif"})


class _TextCollector(HTMLParser):
    """A flat, streaming reader of a web page's visible text.

    It keeps a list of the open elements instead of building a tree, so deeply nested markup
    (50,000 ``<div>`` s) costs time in proportion to its length and can never exhaust the
    recursion limit. An end tag closes every element opened after its start tag, as browsers
    and BeautifulSoup do; an end tag with no open element is ignored.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._memo_data: str | None = None
        self._memo: dict[str, tuple[int, re.Match[str] | None]] = {}
        self.out: list[str] = []
        self.stack: list[str] = []
        self.open_count: dict[str, int] = {}
        self.drop_from: int | None = None  # index in ``stack`` of the dropped element we are inside

    def _dropping(self) -> bool:
        return self.drop_from is not None

    # The standard parser searches to the end of the page for the closer of every comment and
    # marked section it meets; a page of 20,000 unclosed "<!--x>" took 11 s (quadratic). The
    # two searches below remember their last answer, so each part of the page is searched once.

    def _search(self, pattern: re.Pattern[str], start: int) -> re.Match[str] | None:
        if self._memo_data is not self.rawdata:
            self._memo_data, self._memo = self.rawdata, {}
        known = self._memo.get(pattern.pattern)
        if known is not None:
            searched_from, match = known
            if searched_from <= start and (match is None or match.start() >= start):
                return match
        match = pattern.search(self.rawdata, start)
        self._memo[pattern.pattern] = (start, match)
        return match

    def parse_comment(self, i: int, report: int = 1) -> int:
        match = self._search(_COMMENT_CLOSE, i + 4)
        if match is None:
            return -1
        return match.end()

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        name = _SECTION_NAME.match(self.rawdata, i + 3)
        if name is None:
            return -1
        keyword = name.group().strip().lower()
        if keyword in _STANDARD_SECTIONS:
            match = self._search(_SECTION_CLOSE, i + 3)
            if match is not None and keyword == "cdata" and report:
                start = name.end() + (self.rawdata[name.end() : name.end() + 1] == "[")
                self.handle_data(self.rawdata[start : match.start()])
        elif keyword in _MS_SECTIONS:
            match = self._search(_MS_SECTION_CLOSE, i + 3)
        else:  # not a real marked section: skip it like a bogus comment
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1
        return -1 if match is None else match.end()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=tag in HTML_VOID_TAGS)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, void: bool) -> None:
        if not self._dropping():
            role = next((v for k, v in attrs if k == "role" and v), None)
            drop = tag in HTML_DROP_TAGS or (role is not None and role.lower() in HTML_DROP_ROLES)
            if drop and not void:
                self.drop_from = len(self.stack)
            elif not drop:
                if tag == "br":
                    self.out.append("\n")
                elif tag in HTML_BLOCK_TAGS:
                    self.out.append("\n- " if tag == "li" else "\n")
        if not void:
            self.stack.append(tag)
            self.open_count[tag] = self.open_count.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if not self.open_count.get(tag):
            if tag == "br" and not self._dropping():
                self.out.append("\n")  # browsers read a stray </br> as <br>
            return
        while self.stack:
            name = self.stack.pop()
            self.open_count[name] -= 1
            if self.drop_from is not None and len(self.stack) <= self.drop_from:
                self.drop_from = None
            elif self.drop_from is None and name in HTML_BLOCK_TAGS:
                self.out.append("\n")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._dropping():
            self.out.append(_WHITESPACE.sub(" ", data))


def html_to_text(markup: str) -> str:
    """Visible text of a saved web page: headings and paragraphs on their own lines,
    list items as "- " bullets; scripts, styles, navigation, header and footer dropped.

    Read by a flat streaming parser (``html.parser.HTMLParser``): no tree, no recursion,
    so hostile nesting costs time in proportion to the file's length.
    """
    # Every "<" after the last ">" is text (nothing after it can close a tag), and the standard
    # parser would search to the end of the page once for each of them (20 s for 150,000 "</").
    last = markup.rfind(">")
    if "<" in markup[last + 1 :]:
        markup = markup[: last + 1] + markup[last + 1 :].replace("<", "&lt;")
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.out).split("\n"))
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
        _check_pdf_work(reader, path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except BadDocument:
        raise
    except Exception as exc:
        if type(exc).__name__ == "LimitReachedError":  # pypdf's own cap on one stream
            raise _too_much_content(path) from None
        raise BadDocument(
            f"Cannot read {path.name}: it is not a readable PDF (it may be damaged). "
            "Download it again, or copy the text into a .txt file, then try again."
        ) from None
    finally:
        logger.setLevel(old_level)
    return _normalise("\n".join(pages))


def _check_pdf_work(reader: PdfReader, path: Path) -> None:
    """Refuse a PDF with too many pages, or whose pages unpack to too much content.

    The content of every page (and of the forms its resources name) is decoded once per
    distinct stream and counted once per page, and counting stops as soon as the limit is
    passed, so a small file that unpacks to gigabytes costs one stream's decoding at most.
    """
    count = len(reader.pages)
    if count > MAX_PDF_PAGES:
        raise BadDocument(
            f"Cannot read {path.name}: it has {count:,} pages, more than the {MAX_PDF_PAGES:,} "
            "cpft-tracker reads from one PDF. Split the report into parts, or copy its text into "
            "a .txt file, then try again."
        )
    sizes: dict[int, int] = {}
    total = 0
    for page in reader.pages:
        for stream in _page_streams(page):
            key = id(stream)
            if key not in sizes:
                sizes[key] = len(stream.get_data())
            total += sizes[key]
            if total > MAX_PDF_CONTENT_BYTES:
                raise _too_much_content(path)


def _too_much_content(path: Path) -> BadDocument:
    return BadDocument(
        f"Cannot read {path.name}: its pages unpack to more than "
        f"{MAX_PDF_CONTENT_BYTES // 1_000_000} MB of drawing instructions, more than "
        "cpft-tracker reads (the PDF may be damaged or built to stall readers). "
        "Copy the report's text into a .txt file and import that instead."
    )


def _page_streams(page: Any) -> list[Any]:
    """The content streams pypdf reads for a page's text: its contents and its form XObjects."""
    from pypdf.generic import ArrayObject, StreamObject

    def resolve(value: Any) -> Any:
        return value.get_object() if value is not None else None

    found: list[Any] = []
    contents = resolve(page.get("/Contents"))
    if isinstance(contents, ArrayObject):
        found.extend(resolve(o) for o in contents)
    elif contents is not None:
        found.append(contents)
    resources = resolve(page.get("/Resources"))
    xobjects = resolve(resources.get("/XObject")) if isinstance(resources, dict) else None
    if isinstance(xobjects, dict):
        for ref in xobjects.values():
            obj = resolve(ref)
            if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Form":
                found.append(obj)
    return [o for o in found if isinstance(o, StreamObject)]


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
