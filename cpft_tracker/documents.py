"""Report files -> text. Reads .txt/.md (any common encoding), .html and .pdf.

INTERFACE CONTRACT:

    read_document(path: Path) -> Document      # raises errors.BadDocument with a plain message

Placeholder implementation: to be replaced (issue 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cpft_tracker.errors import BadDocument


@dataclass(frozen=True)
class Document:
    """A report's text, ready for extraction."""

    path: Path
    text: str  # normalised: str, no BOM, \n line endings
    kind: str  # "text", "html" or "pdf"


def read_document(path: Path) -> Document:
    """Read a report file into text, or raise BadDocument saying what to do."""
    if not path.exists():
        raise BadDocument(f"Cannot find the file {path}. Check the name and folder, then try again.")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return Document(path=path, text=text.replace("\r\n", "\n").replace("\r", "\n"), kind="text")
