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


# --- Is it a CQC report at all? (issue 11 item 4) ----------------------------------

# What this tool itself writes: the board paper (html/markdown) and the JSON export, also
# as text read from the HTML (which keeps neither its <h1> nor its footer).
OWN_EXPORT_MARKERS = (
    r"\b\d+ of \d+ tracked actions complete\b",
    r"\bref\s*\|?\s*brag\s*\|?\s*status\s*\|?\s*due\s*\|?\s*owner\b",
    r"cqc action plan:\s*progress",
    r"produced by cpft-tracker",
    r'"schema_version"\s*:',
)
# Software licences.
LICENCE_MARKERS = (
    r"permission is hereby granted,\s*free of charge",
    r"gnu (?:lesser |affero )?general public licen[cs]e",
    r"licensed under the apache licen[cs]e",
    r"the software is provided [\"“]?as is[\"”]?",
    r"redistribution and use in source and binary forms",
    r"mozilla public licen[cs]e",
    r"this (?:program|library) is free software",
)
# The regulator, named, by its legal frame, or by its assessment framework (pages copied
# from CQC's website do not always name CQC: "We assessed 12 quality statements…").
REGULATOR_MARKERS = (
    r"\bquality statements?\b",
    r"\bkey questions?\b",
    r"\bbreach(?:es)? of (?:the )?regulations?\b",
    r"\bservices we inspect\b",
    r"\bcqc\b",
    r"\bcare quality commission\b",
    r"\bhealth and social care act\b",
    r"\bregulated activit(?:y|ies)\b",
    r"\b(?:fundamental|essential) standards\b",
    r"\brequirement notices?\b",
    r"\bwarning notices?\b",
    r"\bregulation \d{1,2}\b",
    # CQC's own phrases: the inspectors' titles, the lists of its reports (2014-), its
    # reviews of compliance (2010-2013)
    r"\bchief inspector of (?:hospitals|general practice|primary medical services|adult social care)\b",
    r"\baction the (?:trust|provider|service|practice|hospital|location) (?:must|should) take\b",
    r"\breview of compliance\b",
    # the names CQC gives its reports and guidance: the 2014-2017 "Quality Report" and its
    # "Summary of findings"; "Right support, right care, right culture" (2020-)
    r"\bquality report\b",
    r"\bsummary of findings\b",
    r"\bright support,? right care,? right culture\b",
    # CQC's five key questions as the headings of a report page ("Is the service responsive?")
    r"\b(?:is|are) (?:the )?(?:services?|practice|hospice|trust|home|location) "
    r"(?:safe|effective|caring|responsive|well-led)\?",
)
# What an inspection report talks about.
REPORT_MARKERS = (
    r"\binspect(?:ion|ions|ed|ors?)\b",
    r"\bassess(?:ment|ments|ed)\b",
    r"\b(?:our judgements?|compliance actions?|improvement actions?)\b",
    r"\b(?:requires improvement|inadequate|outstanding)\b",
    r"\brat(?:ed|ing|ings)\b",
    r"\b(?:safe|effective|caring|responsive|well-led)\b",
    r"\b(?:provider|registered manager|the trust|the practice|care home|the service|"
    r"the hospital|the agency)\b",
    r"\b(?:findings|areas? for improvement|quality report)\b",
    # what inspectors look at: audits, care and support plans
    r"\b(?:audits?|(?:care|support) plans?)\b",
    r"\b(?:patients|people who use (?:the )?services?|residents|service users)\b",
    r"\b(?:must|needs? to|should)\b",
)
# How many different REPORT_MARKERS a report shows at least.
MIN_REPORT_MARKERS = 4

_OWN_EXPORT_RE = re.compile("|".join(OWN_EXPORT_MARKERS), re.I)
_LICENCE_RE = re.compile("|".join(LICENCE_MARKERS), re.I)
_REGULATOR_RES = [re.compile(p, re.I) for p in REGULATOR_MARKERS]
_REPORT_RES = [re.compile(p, re.I) for p in REPORT_MARKERS]
# Only the start of a long file is needed to tell.
SNIFF_CHARS = 200_000
# An excerpt copied out of a report (its list of actions, without the pages around them)
# names neither CQC nor its law, but its sentences say what the provider must do: taken
# when at least this share of its sentences do.
EXCERPT_SHARE = 0.5
_PROVIDER_MUST_RE = re.compile(
    r"\b(?:trust|provider|practice|service|home|hospital|registered manager|leaders?|"
    r"managers?|board|staff)\b[^.;:!?]{0,80}?\b(?:must|needs? to|needed to|should)\b",
    re.I,
)
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+|\n+")


def _is_excerpt_of_requirements(head: str) -> bool:
    """Do at least EXCERPT_SHARE of the text's sentences say what a provider must do?"""
    sentences = [s for s in _SENTENCE_SPLIT_RE.split(head) if len(s.split()) >= 3]
    if not sentences:
        return False
    taken = sum(1 for s in sentences if _PROVIDER_MUST_RE.search(s))
    return taken >= 1 and taken >= EXCERPT_SHARE * len(sentences)


def looks_like_cqc_report(text: str) -> tuple[bool, str]:
    """Is this text a CQC report (or notice, or CQC news item)? ``(answer, reason)``.

    The reason is one plain sentence for the person importing: why it was taken or refused.
    Refused: this tool's own board paper or JSON export, a software licence, and any text
    that never names CQC (or the law it applies) or does not talk like an inspection report,
    unless it is an excerpt most of whose sentences say what a provider must do.
    """
    head = text[:SNIFF_CHARS]
    if _OWN_EXPORT_RE.search(head):
        return False, "it is a board report or export made by cpft-tracker, not a CQC report"
    if _LICENCE_RE.search(head):
        return False, "it is a software licence, not a CQC report"
    if _is_excerpt_of_requirements(head):
        return True, "its sentences say what a provider must do, as a CQC report's do"
    if not any(r.search(head) for r in _REGULATOR_RES):
        return False, "it never mentions CQC, its regulations or its quality statements"
    found = sum(1 for r in _REPORT_RES if r.search(head))
    if found < MIN_REPORT_MARKERS:
        return False, (
            "it mentions CQC but does not read like an inspection report (no inspection, "
            "rating, provider or findings)"
        )
    return True, "it names CQC and reads like an inspection report"
