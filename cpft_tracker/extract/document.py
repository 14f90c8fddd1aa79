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
# Other kinds of text that use the words of care (a job advert for a nurse) or of CQC (this
# tool's own README): refused on positive evidence, when at least MIN_GENRE_MARKERS
# different markers of one kind are there. Each is a thing a CQC report does not contain.
JOB_ADVERT_MARKERS = (
    r"\bsalary\b",
    r"\bper annum\b|\bpro rata\b|\bp\.a\.",
    r"\bclosing date\b",
    r"\bapply (?:online|now|today|by|for this (?:job|post|role|vacancy))\b",
    r"\bsuccessful (?:candidate|applicant)s?\b",
    r"\bjob (?:description|reference|summary|title|type)\b",
    r"\binterviews? (?:will be held|date)\b",
    r"\bperson specification\b",
    r"\b(?:we are|we're) looking for (?:a|an)\b",
    r"\bjoin our (?:\w+ )?team\b",
)
SOFTWARE_MARKERS = (
    r"```",
    r"\b(?:pip|npm|apt(?:-get)?|brew|cargo) install\b",
    r"\bgit clone\b",
    r"(?m)^\s*\$ \w",
    r"(?<![\w-])--[a-z][a-z]+(?:-[a-z]+)*\b",
    r"\bpython\b",
    r"\b(?:json|yaml|sqlite|postgresql|javascript)\b",
    r"\bcommand[- ]line\b",
    r"\breadme\b",
    r"\bgithub\b|\bgitlab\b",
    r"\bsource code\b",
    r"\b\w+\.(?:py|js|toml|cfg)\b",
)
MIN_GENRE_MARKERS = 3

# The signs of health or social care inspection writing, in two families, each a list of
# groups of which a text shows so many different ones. CARE: who and what it is about
# (patients, people using services, staff, care, medicines, the kinds of provider).
# JUDGEMENT: what an inspector writes about them (inspected, rated, we found, told us,
# records, audits, risk, governance, improvement, "did not always").
CARE_MARKERS = (
    r"\bpatients?\b|\bpatients\u2019|\bservice users?\b|\bclients?\b",
    r"\bpeople (?:who (?:use|used|using|lived?|live)|using|living|receiving|supported|we spoke)\b"
    r"|\bpeople[\u2019']s\b|\bresidents\b|\brelatives\b|\bfamilies\b",
    r"\bstaff(?:ing)?\b|\bnurs(?:es?|ing)\b|\bdoctors?\b|\bclinicians?\b|\bcare workers?\b"
    r"|\bcarers?\b|\bgps?\b|\bdentists?\b|\btherapists?\b|\bparamedics?\b|\bcrews?\b"
    r"|\bconsultants?\b|\bmidwi(?:fe|ves|fery)\b|\bsupport workers?\b|\bpharmacists?\b",
    r"(?<!take )\bcare\b|\bcaring\b|\btreatment\b|\bclinical(?:ly)?\b|\bhealth(?:care)?\b|\bsocial care\b",
    r"\bmedicines?\b|\bmedication\b|\bcontrolled drugs\b|\bprescri(?:bed|bing|ptions?)\b",
    r"\bsafeguarding\b|\binfection (?:prevention|control)\b|\bdementia\b|\bend of life\b"
    r"|\bmental health\b|\bpressure (?:ulcers?|areas?)\b|\bligatures?\b|\bseclusion\b"
    r"|\brestraint\b|\brestrictive\b|\bsepsis\b|\bdeteriorat\w+|\bdischarge\b|\badmission\b",
    r"\b(?:the |a |its |this |our )?(?:provider|trust|practice|hospital|hospice|surgery|clinic|agency)\b"
    r"|\bregistered manager\b|\bcare homes?\b|\bnursing homes?\b|\bhome care\b|\bwards?\b"
    r"|\bnhs\b|\bemergency department\b|\bambulance\b|\bdental\b|\bsupported living\b",
)
JUDGEMENT_MARKERS = (
    r"\binspect(?:ion|ions|ed|ors?|ing)\b|\bassess(?:ment|ments|ed|ing)\b|\bwe visited\b",
    r"\bwe (?:found|saw|looked|checked|observed|reviewed|spoke|asked|rated|judged|identified"
    r"|noted|were told|have told|told|served|have asked|asked)\b|\btold us\b|\bour judgements?\b",
    r"\brat(?:ed|ing|ings)\b|\brequires? improvement\b|\binadequate\b|\boutstanding\b"
    r"|\bwell[- ]led\b|\b(?:is|are|was|were) (?:not )?(?:safe|effective|caring|responsive)\b",
    r"\bnot always\b|\bnot all (?:staff|patients|people|records)\b|\bdid not (?:have|record|"
    r"complete|follow|ensure|review|report|always)\b|\bhad not been\b|\bgaps? in\b",
    r"\bimprov(?:e|ed|es|ing|ement|ements)\b|\bcomplian(?:t|ce)\b|\bbreach(?:es|ed)?\b"
    r"|\b(?:essential )?standards?\b|\baction plans?\b|\bconcerns?\b",
    r"\brecords?\b|\brecorded\b|\baudit(?:s|ed|ing)?\b|\brisk assessments?\b|\brisks?\b"
    r"|\bmonitor(?:ed|ing)?\b|\bcare plans?\b|\bsupport plans?\b|\bpolic(?:y|ies)\b"
    r"|\bprocedures?\b|\bguidance\b|\bchecklists?\b",
    # what the provider or its people must do, as in a list of actions copied out of a report
    r"\b(?:trust|provider|practice|service|home|hospital|hospice|registered manager|leaders?|"
    r"managers?|board|staff)\b[^.;:!?]{0,80}?\b(?:must|needs? to|needed to|should)\b",
    r"\bgovernance\b|\boversight\b|\bleaders(?:hip)?\b|\bmanagers\b|\bthe board\b"
    r"|\bincidents?\b|\bcomplaints?\b|\bsignificant events?\b|\btraining\b|\bstrategy\b",
)
# A text of fewer words than SHORT_WORDS (a paragraph or two pasted) is taken on at least
# MIN_SIGNS_SHORT different groups of the two families, a longer one on MIN_SIGNS; either
# needs at least one of each family. Counting different groups, not hits, keeps a long
# page that says "care" in its menu from adding up.
SHORT_WORDS = 120
MIN_SIGNS_SHORT = 2
MIN_SIGNS = 5
# A text that names CQC or its law needs only this many.
MIN_SIGNS_NAMED = 2

_OWN_EXPORT_RE = re.compile("|".join(OWN_EXPORT_MARKERS), re.I)
_LICENCE_RE = re.compile("|".join(LICENCE_MARKERS), re.I)
_REGULATOR_RES = [re.compile(p, re.I) for p in REGULATOR_MARKERS]
_JOB_ADVERT_RES = [re.compile(p, re.I) for p in JOB_ADVERT_MARKERS]
_SOFTWARE_RES = [re.compile(p, re.I) for p in SOFTWARE_MARKERS]
_CARE_RES = [re.compile(p, re.I) for p in CARE_MARKERS]
_JUDGEMENT_RES = [re.compile(p, re.I) for p in JUDGEMENT_MARKERS]
# Only the start of a long file is needed to tell; the signs of inspection writing show in
# its first pages.
SNIFF_CHARS = 200_000
SIGNS_CHARS = 50_000


def _count(res: list[re.Pattern[str]], text: str) -> int:
    return sum(1 for r in res if r.search(text))


# CQC's guidance pages for providers in general ("Regulation 12: Safe care and treatment",
# "The intention of this regulation is…"): they state the law for every provider, so their
# "Providers must…" are no one's actions. Refused only when the page reports no finding at all.
GUIDANCE_MARKERS = (
    r"\bguidance for providers\b",
    r"\bthe intention of this regulation\b",
    r"\bregulations for service providers and managers\b",
)
# What a report about one provider says and a guidance page does not: what was found.
FINDING_MARKERS = (
    r"\bwe (?:found|saw|inspected|visited|looked at|reviewed|spoke|rated|observed|identified|"
    r"asked|checked|carried out)\b",
    r"\btold us\b",
    r"\b(?:during|at|since) (?:our|the|this|the last|our last) (?:inspection|visit|assessment)\b",
    r"\b(?:was|were|is|are|has been|have been) rated\b",
    r"\binspectors?\b",
)
_GUIDANCE_RES = [re.compile(p, re.I) for p in GUIDANCE_MARKERS]
_FINDING_RES = [re.compile(p, re.I) for p in FINDING_MARKERS]


def looks_like_cqc_report(text: str) -> tuple[bool, str]:
    """Is this text a CQC report (or notice, news item, or a passage copied from one)?
    ``(answer, reason)``.

    The reason is one plain sentence for the person importing: why it was taken or refused.
    Refused only on positive evidence that it is something else: this tool's own board
    paper or JSON export, a software licence, a job advert, software documentation, or a
    text with too few signs of health or social care inspection (a recipe, a football
    report, a page about parking). A passage that reads like inspection writing (patients,
    staff, care, providers; inspected, rated, found, records, improvement) is taken even
    when it is short and never names CQC.
    """
    head = text[:SNIFF_CHARS]
    if _count(_SOFTWARE_RES, head) >= MIN_GENRE_MARKERS:
        return False, "it is software documentation, not a CQC report"
    if _OWN_EXPORT_RE.search(head):
        return False, "it is a board report or export made by cpft-tracker, not a CQC report"
    if _LICENCE_RE.search(head):
        return False, "it is a software licence, not a CQC report"
    if _count(_JOB_ADVERT_RES, head) >= MIN_GENRE_MARKERS:
        return False, "it is a job advert, not a CQC report"
    if _count(_GUIDANCE_RES, head) and not _count(_FINDING_RES, head):
        return False, (
            "it is CQC guidance for providers in general, not a report about one provider"
        )
    care = _count(_CARE_RES, head[:SIGNS_CHARS])
    judgement = _count(_JUDGEMENT_RES, head[:SIGNS_CHARS])
    signs = care + judgement if care and judgement else 0
    if any(r.search(head) for r in _REGULATOR_RES):
        if signs >= MIN_SIGNS_NAMED:
            return True, "it names CQC and reads like an inspection report"
        return False, (
            "it mentions CQC but does not read like an inspection report (no inspection, "
            "rating, provider or findings)"
        )
    short = len(head.split()) < SHORT_WORDS
    if signs >= (MIN_SIGNS_SHORT if short else MIN_SIGNS):
        return True, "it reads like a health or social care inspection text"
    return False, "it says little or nothing about care, patients, staff, inspection or ratings"
