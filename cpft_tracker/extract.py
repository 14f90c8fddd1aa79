"""Report text -> requirements. Pure functions: no database, no terminal.

INTERFACE CONTRACT (used by store.py / cli.py; keep these names and fields):

    extract_requirements(text: str, *, include_should: bool = False) -> list[Requirement]
    document_title(text: str) -> str | None
    fingerprint(requirement_text: str) -> str

Placeholder implementation: to be replaced by the real extractor (issue 3).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    """One must/needs requirement found in a report."""

    text: str  # the requirement sentence exactly as the report words it (whitespace collapsed)
    context: str  # the paragraph or bullet it sits in (whitespace collapsed)
    section: str | None  # the nearest heading above it
    line: int  # 1-based line of the source text where the sentence starts
    position: int  # 1-based order of this requirement among those found in the document
    keyword: str  # "must", "needs" or "should"
    matched: str  # the exact words that made it a requirement, e.g. "must ensure", "needed to"
    title: str  # short title for tables, at most 80 characters, reads as an action
    quality_statement: str | None  # one of quality_statements.NAMES, or None


def fingerprint(requirement_text: str) -> str:
    """A stable identity for a requirement: survives re-wrapping, case and quote style."""
    norm = requirement_text.replace("\u2019", "'").replace("\u2018", "'")
    norm = norm.replace("\u201c", '"').replace("\u201d", '"')
    norm = re.sub(r"\s+", " ", norm).strip().lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def document_title(text: str) -> str | None:
    """The report's title, for naming the report when --report is not given."""
    for line in text.splitlines():
        line = line.strip().lstrip("-•* ").strip()
        if line:
            return line[:120]
    return None


_MUST = re.compile(r"\b(must|needs? to|needed to)\b", re.IGNORECASE)


def extract_requirements(text: str, *, include_should: bool = False) -> list[Requirement]:
    """Every must/needs requirement in the text, in document order."""
    out: list[Requirement] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for sentence in re.split(r"(?<=[.!?])\s+", line.strip().lstrip("-•* ")):
            m = _MUST.search(sentence)
            if m:
                kw = "must" if m.group(1).lower() == "must" else "needs"
                out.append(
                    Requirement(
                        text=sentence.strip(),
                        context=line.strip(),
                        section=None,
                        line=lineno,
                        position=len(out) + 1,
                        keyword=kw,
                        matched=m.group(0),
                        title=sentence.strip()[:80],
                        quality_statement=None,
                    )
                )
    return out
