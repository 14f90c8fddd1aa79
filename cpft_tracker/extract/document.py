"""Facts about the document as a whole: its title."""

from __future__ import annotations

import re

from cpft_tracker.extract.units import (
    _BULLET_RE,
    _MARKDOWN_HEADING_RE,
    _PAGE_NUMBER_RE,
    _collapse,
    _furniture_lines,
)
from cpft_tracker.extract.words import (
    TITLE_BOILERPLATE,
)

_TITLE_BOILERPLATE_RE = re.compile("|".join(TITLE_BOILERPLATE))
_TITLE_BOILERPLATE_RE = re.compile("|".join(TITLE_BOILERPLATE))
_REPORT_LINE_RE = re.compile(
    r"\b(?:report|inspection|inspected|assessment|assessed|published|visit)\b.*"
    r"(?:\b\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b)",
    re.I,
)


def document_title(text: str) -> str | None:
    """The report's title, for naming the report when --report is not given.

    The first substantial line that is not a label ("- SERVICE PROVIDER") or boilerplate,
    followed by the report/assessment date line if one comes right after it:
    "Cambridgeshire and Peterborough NHS Foundation Trust — Report from 17 July 2025 assessment".
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    furniture = _furniture_lines([_collapse(x) for x in raw_lines])
    candidates: list[str] = []
    for i, raw in enumerate(raw_lines[:200]):
        if i in furniture:
            continue
        line = _collapse(raw)
        md = _MARKDOWN_HEADING_RE.match(line)
        if md:
            line = md.group(1)
        bullet = _BULLET_RE.match(line)
        if bullet:
            line = line[bullet.end() :]
        line = line.strip(" -–—•*")
        if not line or _PAGE_NUMBER_RE.match(line) or not any(c.isalpha() for c in line):
            continue
        if _TITLE_BOILERPLATE_RE.search(line):
            continue
        candidates.append(line)
        if len(candidates) >= 5:
            break
    if not candidates:
        return None
    name = candidates[0]
    title = name
    if not _REPORT_LINE_RE.search(name):
        for other in candidates[1:4]:
            if len(other) <= 80 and _REPORT_LINE_RE.search(other):
                title = f"{name} — {other}"
                break
    if len(title) > 120:
        cut = title[:119]
        cut = cut[: cut.rfind(" ")] if " " in cut else cut
        title = cut.rstrip(" ,;:—-") + "…"
    return title
