"""Report text -> requirements. Pure functions: no database, no terminal.

INTERFACE CONTRACT (used by store.py / cli.py; keep these names and fields):

    extract_requirements(text: str, *, include_should: bool = False) -> list[Requirement]
    document_title(text: str) -> str | None
    fingerprint(requirement_text: str) -> str
    looks_like_cqc_report(text: str) -> tuple[bool, str]      (issue 11 item 4)
    possible_duplicates(requirements) -> list[(i, j, score)]    (issue 11 item 2)
    needs_review(requirements) -> list[(position, reason)]      (issue 11 item 3)

Requirement fields added for issue 11 (all with defaults): ``rule`` (a key of RULES),
``confidence`` ("high"/"medium"/"low", defined in review.py), ``due`` (ISO date a notice
sets, or None) and ``possible_duplicates`` (positions of the others saying the same).

The stages, one module each (issue 10). A new extraction rule goes in rules.py, with its
words in words.py; a new title shape in titles.py.

- ``units.py``: text -> units. Headings, and sentences of paragraphs and bullets.
  Hard-wrapped lines (PDF copies) are joined, page numbers, repeated running headers, web
  menus and cookie banners are dropped, bullets start new blocks, and sentences are split
  on full stops (also "assessed.These") but not after "e.g.", "Dr.", "No. 3", decimals...
  A bullet under a must/should lead-in ("Action the trust MUST take to improve", "The
  provider must:") is one unit, flagged with the lead-in's keyword; each area listed
  under a notice's "must improve in the following areas by <date>:" is a "notice" unit
  carrying that date.
- ``rules.py``: ``_find_trigger`` decides whether a unit states something the provider
  must do / needs to do (or, advisory, should do): who the subject is, reported speech,
  general statements of the law, participles, names that look like "MUST".
- ``titles.py``: ``make_title`` turns the unit into an action title that stands alone
  (pronouns resolved, both halves of a two-part requirement kept, never cut);
  quality_statements.classify picks the quality statement.
- ``review.py``: the rule names, confidence levels and ``needs_review``.
- ``duplicates.py``: ``possible_duplicates`` within one report.
- ``document.py``: facts about the whole document (its title, whether it is a report).
- ``words.py``: the word tables, as data. Extend those rather than code.

This module puts the stages together and is the only public face of the package.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from cpft_tracker.extract.document import document_title, looks_like_cqc_report
from cpft_tracker.extract.duplicates import possible_duplicates
from cpft_tracker.extract.review import RULES, confidence_for, needs_review, rule_for
from cpft_tracker.extract.rules import (
    _PARTICULAR_RE,
    CLASSIFY_CHARS,
    _clause_before,
    _defines_a_word,
    _find_trigger,
    _head,
    _one_more_of_them,
    _shifted,
    _tokens_before,
    _Trigger,
    _with_named_speaker,
    letter_you_should,
    notes_to_editors_lines,
)
from cpft_tracker.extract.titles import (
    _base_verb,
    _third_person,
    breach_subject_it,
    failure_as_action,
    make_title,
    notice_title,
    regulation_reference,
)
from cpft_tracker.extract.units import (
    _NOTICE_LEADIN_RE,
    Unit,
    _first_word,
    _leadin_keyword,
    due_date,
    split_units,
)
from cpft_tracker.extract.words import (
    CIRCUMSTANCE_VERBS,
    DESCRIPTIVE_SECTIONS,
    IMPERATIVE_VERBS,
    NOUN_DETERMINERS,
    ORGANISATION_WORDS,
    SKIP_BEFORE_KEYWORD,
    STANDARD_JUDGEMENTS,
    TOLD_PASSIVE_VERB,
    TOLD_WHEN,
    VERB_OPENERS,
)
from cpft_tracker.quality_statements import classify

__all__ = [
    "looks_like_cqc_report",
    "RULES",
    "needs_review",
    "possible_duplicates",
    "Requirement",
    "Unit",
    "document_title",
    "extract_requirements",
    "fingerprint",
    "split_units",
]


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
    title: str  # reads as an action and stands alone; whole (only a terminal may shorten it)
    quality_statement: str | None  # one of quality_statements.NAMES, or None
    rule: str = "must"  # which rule took it: a key of review.RULES
    confidence: str = "high"  # "high", "medium" or "low": see review.py for what each means
    due: str | None = None  # ISO date the report sets for it ("… by 31 March 2012"), or None
    possible_duplicates: tuple[int, ...] = ()  # positions of requirements saying the same


def fingerprint(requirement_text: str) -> str:
    """A stable identity for a requirement: survives re-wrapping, case and quote style."""
    norm = requirement_text.replace("\u2019", "'").replace("\u2018", "'")
    norm = norm.replace("\u201c", '"').replace("\u201d", '"')
    norm = re.sub(r"\s+", " ", norm).strip().lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


# ===========================================================================
# Public functions
# ===========================================================================


def _before(unit: Unit) -> str:
    """The paragraph text before the unit's sentence (for resolving "this" in its title)."""
    at = unit.context.find(unit.text)
    return unit.context[:at] if at > 0 else ""


def extract_requirements(text: str, *, include_should: bool = False) -> list[Requirement]:
    """Every must/needs requirement in the text, in document order.

    With ``include_should`` the advisory "should" findings (and bullets under a "should"
    lead-in) are returned too, with keyword "should".
    """
    out: list[Requirement] = []
    units = split_units(text)
    rows = _breach_rows(units)
    # (a few lines are too little to judge what a text is about: an excerpt is taken as it is)
    about_one = len(text) < ABOUT_ONE_MIN_CHARS or _ONE_PROVIDER_RE.search(text) is not None
    letter = _LETTER_RE.search(text) is not None  # "Dear Dr Okafor": "you" is the provider
    notes = notes_to_editors_lines(text)
    for n, unit in enumerate(units):
        if unit.kind in ("heading", "leadin") or (notes and notes[0] < unit.line <= notes[1]):
            continue  # (after a press release's "Notes to editors": CQC, the law, the press)
        s = unit.text
        trig = _find_trigger_in_context(s, unit)
        if n in rows:
            trig, keyword, matched = None, "must", ""
            unit = replace(unit, kind="breach_row")
        elif unit.kind == "notice":
            trig, keyword, matched = None, "must", ""
        elif unit.kind == "bullet":
            keyword = unit.scope or "must"
            if trig is not None and trig.keyword != keyword:
                trig = None
            matched = s[trig.start : trig.end] if trig else ""
        else:
            if trig is None and letter:
                s, trig = letter_you_should(s, _before(unit)) or (s, None)
            if trig is None or _describes_the_service(s, unit, trig):
                continue
            if _defines_a_word(s, unit.section):
                continue
            if _states_the_standard(s, unit, trig):
                continue
            if _earlier_requirement_settled(s, unit, trig) or _law_restated_after(s, unit):
                continue
            if not about_one and _bare_plural_subject(s, trig):
                continue  # a text about no one provider (CQC's State of Care, a national
                # report): "Leaders need to create a culture…" is every provider's leaders
            keyword = trig.keyword
            matched = s[trig.start : trig.end]
        if keyword == "should" and not include_should:
            continue
        rule = rule_for(trig.kind if trig else None, unit.kind)
        confidence = confidence_for(
            rule,
            subject=_subject_head(s, trig),
            trigger_at=trig.key_start if trig else 0,
            verb_first=_first_word(s) in IMPERATIVE_VERBS or _first_word(s) in VERB_OPENERS,
            scope=unit.scope,
            own_trigger=trig is not None,
        )
        out.append(
            Requirement(
                text=unit.text,
                context=unit.context,
                section=unit.section,
                line=unit.line,
                position=len(out) + 1,
                keyword=keyword,
                matched=matched,
                title=(
                    breach_title(s, unit.section)
                    if unit.kind == "breach_row"
                    else told_title(s)
                    if trig is not None and trig.kind == "told_to"
                    else notice_title(s)
                    if unit.kind == "notice"
                    else make_title(
                        s, trig, unit.kind == "bullet", _before(unit), unit.section, unit.leadin
                    )
                ),
                quality_statement=classify(s[:CLASSIFY_CHARS], unit.context[:CLASSIFY_CHARS]),
                rule=rule,
                confidence=confidence,
                due=unit.due or due_date(s),
            )
        )
    return _with_duplicates(out)


_ACTION_TABLE_RE = re.compile(
    r"^(?:action\s+we\s+have\s+told\s+the\s+provider\s+to\s+take|compliance\s+actions)$", re.I
)
# A row that says how the regulation was not met ("How the regulation was not being met: Care
# plans did not include…") is a breach row whatever heading it sits under.
_HOW_NOT_MET_RE = re.compile(r"^how\s+the\s+regulation\s+(?:was|is)\s+not\s+being\s+met\b", re.I)
# The heading of one row of that table: "Regulation 12 HSCA (RA) Regulations 2014 Safe care…"
# (or, its cells run together, the regulated activity first: "Accommodation for persons who
# require nursing or personal care Regulation 12 HSCA RA Regulations 2014 Safe care…")
_REGULATION_ROW_RE = re.compile(
    r"^(?:[a-z][\w ,'’-]{8,120}?\s)?regulation\s+\d{1,2}\b.*\b(?:hsca|regulations)\b", re.I
)
# The row states the breach as a failure: "The registered person had not ensured…"
_FAILURE_RE = re.compile(r"\b(?:not|never|no)\b|n[’']t\b|\bfailed\b", re.I)


def _breach_rows(units: list[Unit]) -> set[int]:
    """Indexes of the units that state a breach in the "Action we have told the provider to
    take" or "Compliance actions" table (2011-2023 reports), when the report has no MUST list
    (a notice's list of areas is not one: it names regulations, not actions): there the row
    is the only place the report says what the provider must put right ("The registered
    person had not ensured the proper and safe management of medicines.")."""
    if any(u.kind == "bullet" and (u.scope or "must") == "must" for u in units):
        return set()
    if any(u.kind == "heading" and _must_list_heading(u.text) for u in units):
        return set()  # "Action the provider MUST take to improve" over "The trust must…" lines
    rows: set[int] = set()
    in_table = False
    labelled = False  # the unit before was the row's label alone ("How the regulation…:")
    areas = False  # a notice in this table has listed its areas (those carry the action)
    for n, u in enumerate(units):
        if u.kind == "heading":
            if _ACTION_TABLE_RE.match(u.text.strip(" :")):
                in_table, areas = True, False
            continue
        areas = areas or u.kind == "notice"
        if (
            in_table
            and u.kind == "sentence"
            and (
                (u.section is not None and _REGULATION_ROW_RE.match(u.section))
                or _HOW_NOT_MET_RE.match(u.text)
                # a PDF table copied line by line puts the label on a line of its own, the
                # regulation's title (not its number) being the heading above; under a
                # notice's list of areas the row only says why the areas were listed
                or (labelled and not areas)
            )
            and _FAILURE_RE.search(_HOW_NOT_MET_RE.sub("", u.text).lstrip(" :"))
        ):
            rows.add(n)
        labelled = (
            u.kind == "sentence"
            and _HOW_NOT_MET_RE.match(u.text) is not None
            and not _HOW_NOT_MET_RE.sub("", u.text).strip(" :")
        )
    if not rows:
        return rows
    # One action per breach: when another sentence of the same row or section says what must
    # or needs to be done ("…Wound care plans needed to be reviewed weekly…", "The provider
    # must take action to ensure that people are protected…"), that sentence is the action and
    # the row's statement of the breach is not a second one.
    stated: set[str] = set()
    for n, u in enumerate(units):
        if n not in rows and u.kind == "sentence" and _find_trigger(u.text) is not None:
            stated.add("context:" + u.context)
            stated.add("section:" + (u.section or ""))
    kept: set[int] = set()
    seen: set[str] = set()
    for n in sorted(rows):
        u = units[n]
        if "context:" + u.context in stated or "section:" + (u.section or "") in stated:
            continue
        if u.context in seen and _PARTICULAR_RE.match(u.text):
            continue  # "…did not operate effective systems… In particular, audits of infection
            # control had not been completed": a particular of the breach, not a second one
        seen.add(u.context)
        kept.add(n)
    return kept


def _must_list_heading(heading: str) -> bool:
    """A heading that opens the report's list of what the provider must do ("Action the
    provider MUST take to improve"), whether its items came as bullets or as sentences ("The
    trust must ensure…"); a notice's heading announcing areas by a date is not one."""
    return (
        _leadin_keyword(heading, heading=True) == "must"
        and not _NOTICE_LEADIN_RE.search(heading)
        and due_date(heading) is None
    )


_BREACH_RE = re.compile(
    r"^(?:how\s+the\s+regulation\s+(?:was|is)\s+not\s+being\s+met:\s*)?"
    r"(?:the\s+)?(?:registered\s+person|registered\s+provider|provider|service|practice|trust|"
    r"home)\s+(?:had|has|did|does)\s+not\s+(?:always\s+)?(?P<verb>[a-z]+)\s+(?P<rest>.+)$",
    re.I,
)


# (at the start, or after "and" for a second that-clause: "…that emergency medicines were
# checked regularly and that out of date medicines were removed")
_THAT_WAS_RE = re.compile(
    r"(?:^|(?<=\band\s))(that\s+(?:(?!was\b|were\b)[\w’'-]+\s+){1,8}?)(was|were)\b"
)


def breach_title(s: str, section: str | None = None) -> str:
    """A breach row as the action that puts it right: "The registered person had not ensured
    the proper and safe management of medicines." -> "Ensure the proper and safe management
    of medicines"; "How the regulation was not being met: Care plans did not include…" ->
    "Ensure care plans include…". A row in no such shape leads with the regulation its
    heading names: "Good governance (Regulation 17): meet the regulation's requirements"
    (the row's own words stay in the requirement)."""
    row = _HOW_NOT_MET_RE.sub("", s.strip()).lstrip(" :")
    m = _BREACH_RE.match(row)
    if m is not None:
        verb = m.group("verb").lower()
        base = _base_verb(verb) or verb
        # "…had not ensured that an accurate record was kept" -> "…that an accurate record
        # is kept": what must be so from now on
        rest = _THAT_WAS_RE.sub(
            lambda w: w.group(1) + ("is" if w.group(2) == "was" else "are"), m.group("rest")
        )
        return breach_subject_it((base[:1].upper() + base[1:] + " " + rest).rstrip(" ."), row)
    action = failure_as_action(row)
    if action is not None:
        return action
    ref = regulation_reference(section) if section else None
    if ref is not None and ref[2]:
        kind, number, name = ref
        return f"{name} ({kind} {number}): meet the {kind.lower()}'s requirements"
    return row.rstrip(" .")


_TOLD_LEAD_RE = re.compile(
    r"^\W*" + TOLD_WHEN + r"(?:(?:we|cqc|inspectors)\s+(?:have\s+|has\s+)?"
    r"(?:also\s+)?(?:told|asked|required)\s+(?P<who>(?:the\s+)?[\w’'-]+(?:\s+manager)?)\s+"
    # "The trust has been told to…"
    r"|(?P<told>(?:the\s+)?[\w’'-]+(?:\s+manager)?)\s+" + TOLD_PASSIVE_VERB + r")to\s+",
    re.I,
)


def told_title(s: str) -> str:
    """ "We have told the provider to make improvements to how it monitors X." -> "Make
    improvements to how the provider monitors X": what CQC told it to do, with "it" (the
    provider told) named."""
    m = _TOLD_LEAD_RE.match(s)
    if m is None:
        return s.strip().rstrip(".")
    who = m.group("who") or m.group("told")
    if not who.lower().startswith("the "):
        who = "the " + who
    rest = re.sub(r"\bit\b", who.lower(), s[m.end() :].strip().rstrip("."))
    rest = re.sub(r"\bits\b", who.lower() + "'s", rest)
    # "…to how they managed medicines": "they" for the provider, and what it does from now on
    rest = re.sub(
        r"\b(how|the\s+way)\s+they\s+([a-z]+ed)\b",
        lambda m: f"{m.group(1)} {who.lower()} {_present_singular(m.group(2))}",
        rest,
    )
    rest = re.sub(
        r"\btheir\b",
        lambda m: "its" if who.lower() in rest[: m.start()] else who.lower() + "'s",
        rest,
    )
    return rest[:1].upper() + rest[1:]


def _present_singular(past: str) -> str:
    """ "managed" -> "manages", "carried" -> "carries": a regular past as the present of "it"."""
    base = _base_verb(past)
    return _third_person(base) if base else past


def _find_trigger_in_context(s: str, unit: Unit) -> _Trigger | None:
    """The sentence's trigger, knowing whether it starts inside a quotation that an earlier
    sentence of its paragraph opened ('… said: "People must be able to rely on care. The
    provider needs to put this right quickly."'), and who "She" or "He" opening it is when
    the sentence before named one who runs the service ("The registered manager was
    visible. She told us she needed to recruit two more support workers")."""
    at = unit.context.find(s)
    opener = _open_quote(unit.context[:at]) if at > 0 else None
    if opener is None:
        trig = _find_trigger(s)
        if trig is None and at > 0:
            return _with_named_speaker(s, unit.context[:at])
        if trig is not None and at > 0 and _one_more_of_them(s, unit.context[:at]):
            return None
        return trig
    trig = _find_trigger(opener + s)
    if trig is None:
        return None
    return _shifted(trig, -1)


def _open_quote(before: str) -> str | None:
    """The quotation mark left open at the end of ``before``, if any."""
    if before.count("\u201c") > before.count("\u201d"):
        return "\u201c"
    if before.count('"') % 2 == 1:
        return '"'
    return None


def _describes_the_service(s: str, unit: Unit, trig: _Trigger) -> bool:
    """A must/should in a section that describes the service ("About the service": "Referrals
    must come from a GP") says how it works, unless the provider itself is its subject."""
    if unit.section is None or unit.section.strip(" :").lower() not in DESCRIPTIVE_SECTIONS:
        return False
    if _subject_head(s, trig) not in ORGANISATION_WORDS:
        return True
    # With the provider as subject, a must of circumstance ("The trust must cover a large rural
    # area") describes it too; one that sets an action ("The trust must ensure…") does not.
    verb = s[trig.key_end :].split(maxsplit=1)[:1]
    return trig.keyword == "must" and bool(verb) and verb[0].lower() in CIRCUMSTANCE_VERBS


def _states_the_standard(s: str, unit: Unit, trig: _Trigger) -> bool:
    """A 2010-2013 outcome page prints, under each outcome's judgement ("Standard met",
    "Action needed"), what the essential standard says people should expect: "Staff should
    be properly trained and supervised…". That opening should-sentence is the standard's
    wording, not a finding."""
    if trig.keyword != "should" or unit.section is None:
        return False
    if unit.section.strip(" :.").lower() not in STANDARD_JUDGEMENTS:
        return False
    return unit.context.startswith(s)


# "At our last inspection we told the provider it must…": what was required before.
_EARLIER_RE = re.compile(
    r"^(?:at|during|following|after|since|in)\s+(?:our|the|its|this\s+service's)\s+"
    r"(?:last|previous|earlier|most\s+recent)\s+(?:comprehensive\s+|focused\s+)?"
    r"(?:inspection|visit|assessment|report)\b",
    re.I,
)
# …or inside the subject: "The provider's action plan from our last inspection said…"
_EARLIER_INSIDE_RE = re.compile(
    r"\b(?:from|at|after|following|since)\s+(?:our|the)\s+(?:last|previous|earlier)\s+"
    r"(?:inspection|visit|assessment|report)\b",
    re.I,
)
# …or dated ("Last year the trust was told it must…", "In 2023 we told the provider…"), which a
# news item also writes of what it told the provider now: history only when the same sentence
# says it was met at this inspection.
_EARLIER_DATED_RE = re.compile(
    r"^\W*(?:last\s+year|in\s+(?:[a-z]+\s+)?(?:19|20)\d\d|previously|earlier\s+this\s+year)\b",
    re.I,
)
# …in the past perfect: "CQC had told the home…", "we had repeatedly asked the provider…".
_HAD_TOLD_RE = re.compile(
    r"\b(?:cqc|we|inspectors)\s+had\s+(?:(?:already|previously|repeatedly|twice|also)\s+)?"
    r"(?:told|asked|warned|required)\b",
    re.I,
)
# …reported as what CQC told, asked, said, recommended or required then: "…, we told the
# provider it must…" (not what it found: "At the last inspection we found staff were not
# trained, and the provider must…" is this report's finding and action).
_EARLIER_TOLD_RE = re.compile(
    r"\b(?:we|cqc|inspectors)\s+(?:also\s+)?(?:told|asked|said|recommended|required)\b",
    re.I,
)
# …that the sentence itself says is still to do: "…, and this has still not happened", "…the
# provider still needs to…".
_STILL_UNMET_RE = re.compile(
    r"\bstill\s+(?:not|needs?|needed|must|has\s+not|had\s+not)\b|\bnot\s+yet\b"
    r"|\b(?:has|had)\s+not\s+(?:yet\s+)?(?:happened|been\s+(?:done|made|met|addressed))\b",
    re.I,
)
# …in the same sentence: "…; at this inspection we found…"
_THIS_TIME_RE = re.compile(r"\b(?:at|during|on)\s+this\s+(?:inspection|visit|assessment)\b", re.I)
# …and the report goes on to say it has been done ("At this inspection we found that it had
# done so", "enough improvement had been made", "no longer in breach").
_SETTLED_RE = re.compile(
    r"\bno\s+longer\s+in\s+breach\b|\bhad\s+(?:now\s+)?(?:been\s+)?(?:done\s+so|met|"
    r"addressed|resolved|made\s+(?:enough|sufficient|the)\s+improvements?|improved|"
    r"made\s+(?:them|these|those|it|this|these\s+changes|the\s+changes)\b|"
    r"introduced|implemented|put\s+in\s+place|carried\s+out|acted\s+on|completed|actioned)\b|\b(?:enough|sufficient)\s+improvements?\s+"
    r"(?:had|has)\s+been\s+made\b|\b(?:were|was|had\s+been)\s+(?:now\s+)?met\b"
    # "The provider now audited every call each week": what it does now (a verb of doing
    # the thing, and no failure after it: not "now relied on one coordinator and audits were
    # still not done")
    r"|^(?:the|it|they)\b[^.;]{0,40}?\bnow\s+(?:audited|checked|recorded|reviewed|monitored|"
    r"completed|carried\s+out|kept|held|followed|assessed|ensured|provided|had\s+(?:a|an)\b)"
    r"(?![^.;]*\b(?:not|never)\b)",
    re.I,
)


def _earlier_requirement_settled(s: str, unit: Unit, trig: _Trigger) -> bool:
    """A requirement of an earlier inspection, history rather than this plan's action: what
    CQC told, asked or recommended then ("At our last inspection we told the trust it must
    improve X."), unless the same sentence says how it stands now or that it is still not
    done; a dated one ("Last year…", "In 2023…") only when the sentence says it was met; and
    one the paragraph goes on to say was met, or whose next sentence states what is still to
    do in its own words (that sentence is the requirement, not this one)."""
    if _HAD_TOLD_RE.search(s, 0, trig.key_start):
        return True  # "Mr Marsh said CQC had told Mrs Penhaligon on several occasions during
        # 2009 that the home must…": told before the time the text reports, a past requirement
    now = _THIS_TIME_RE.search(s, trig.end)
    if _EARLIER_DATED_RE.match(s) and now is not None and _SETTLED_RE.search(s, now.end()):
        return True  # "Last year the trust was told it must improve its A&E department; at this
        # inspection we found it had done so." (dated, it is history only when said so)
    if not (_EARLIER_RE.match(s) or _EARLIER_INSIDE_RE.search(s, 0, trig.key_start)):
        return False
    if now is not None and _SETTLED_RE.search(s, now.end()):
        return True  # "…it must make improvements; at this inspection we found it had made them."
    told = _EARLIER_TOLD_RE.search(s, 0, trig.key_start)
    if (
        now is None
        and _EARLIER_RE.match(s)
        and told is not None
        and not re.search(r"[;]|,\s+(?:and|but)\s", s[told.end() : trig.key_start])
        and not _STILL_UNMET_RE.search(s, 0)
    ):
        return True  # "At our previous inspection of The Willows in 2023, we told the provider
        # it must improve…": what CQC required then (the corpus convention), whether or not
        # the report goes on to say it was met; what is still to do it states as now
    at = unit.context.find(s)
    if at < 0:
        return False
    rest = unit.context[at + len(s) :].strip()
    if not rest:
        return False
    if _SETTLED_RE.search(rest):
        return True
    nxt = re.split(r"(?<=[.!?])\s+", rest, maxsplit=1)[0]
    return _find_trigger(nxt) is not None and not _EARLIER_RE.match(nxt)


# "…must ensure that care … reflects their preferences. This is what Regulation 9 requires
# of all registered persons.": the sentence after says the one before was the law's words.
_LAW_AFTER_RE = re.compile(
    r"^(?:this|that|these)\s+(?:is|are|was|were)\s+(?:what|how)\s+(?:the\s+)?"
    r"(?:regulation|law|act|guidance|standard|code)\b[^.]*\b(?:requires?|says|sets\s+out)\b",
    re.I,
)


# "The provider must notify CQC of certain events… The provider had done so.": a whole
# sentence after it that only says the duty was carried out.
_DONE_AFTER_RE = re.compile(
    r"^(?:the\s+[\w’'-]+(?:\s+[\w’'-]+)?|it|they|he|she|staff)\s+(?:had|has|have)\s+"
    r"(?:always\s+|consistently\s+)?(?:done\s+(?:so|this)|met\s+(?:this|it))"
    r"(?:\s+(?:in\s+every\s+case|each\s+time|every\s+time))?[.!]$"
    r"|^(?:this|that|it)\s+(?:was|had\s+been|has\s+been)\s+(?:always\s+)?(?:done|met)[.!]$"
    # "Surgeons operating at the clinic must hold a licence… All four surgeons with practising
    # privileges met this requirement, and…": every one it applies to, found to meet it
    r"|^(?:all|each|every|both)\s+(?:[\w’'-]+\s+){0,6}?(?:met|had\s+met|complied\s+with)\s+"
    r"(?:this|that|the)\s+(?:requirement|rule|standard|duty)\b",
    re.I,
)


# A text that is about one provider names it with the definite article somewhere ("the
# trust", "the provider", "the home", "the registered manager"); a national report on the
# state of care speaks of providers, leaders and systems in the plural only.
ABOUT_ONE_MIN_CHARS = 800
# A letter to the provider: its salutation on a line of its own.
_LETTER_RE = re.compile(
    r"^[ \t]*Dear\s+(?:Dr|Mr|Mrs|Ms|Miss|Mx|Professor|Sir|Dame)\b[^\n]{0,40}$", re.M
)
_ONE_PROVIDER_RE = re.compile(
    r"\b(?:the|this)\s+(?:trust|provider|practice|home|hospital|hospice|clinic|agency|"
    r"service(?!s)|surgery|unit|ward|registered\s+(?:person|manager|provider)|partners|"
    r"location|organisation|board)\b",
    re.I,
)


def _bare_plural_subject(s: str, trig: _Trigger) -> bool:
    """The trigger's subject opens the sentence as a plural with no determiner ("Leaders
    need to…", "Local systems must…", "Commissioners should…")."""
    clause = _clause_before(_tokens_before(s, trig.key_start))
    words = [w for w in clause if w not in SKIP_BEFORE_KEYWORD]
    if not words or len(words) > 3 or len(words) != len(clause):
        return False
    if s[:1].islower() or words[0] in NOUN_DETERMINERS or words[0] in ("we", "they", "it"):
        return False
    head = words[-1]
    return head.endswith("s") and not head.endswith("ss") and len(head) > 3


def _law_restated_after(s: str, unit: Unit) -> bool:
    """The next sentence of the paragraph says that this one is what the law requires, or
    only that it was done."""
    at = unit.context.find(s)
    if at < 0:
        return False
    rest = unit.context[at + len(s) :].strip()
    if not rest:
        return False
    nxt = re.split(r"(?<=[.!?])\s+", rest, maxsplit=1)[0]
    return bool(_LAW_AFTER_RE.match(rest)) or bool(_DONE_AFTER_RE.match(nxt))


def _subject_head(s: str, trig: _Trigger | None) -> str | None:
    """The subject word of the trigger's clause ("trust" in "The trust must…")."""
    if trig is None:
        return None
    return _head(_clause_before(_tokens_before(s, trig.key_start)))


def _with_duplicates(reqs: list[Requirement]) -> list[Requirement]:
    """Each requirement with the positions of the others that may state the same thing."""
    others: dict[int, list[int]] = {}
    for i, j, _ in possible_duplicates(reqs):
        others.setdefault(i, []).append(reqs[j].position)
        others.setdefault(j, []).append(reqs[i].position)
    if not others:
        return reqs
    return [
        replace(r, possible_duplicates=tuple(sorted(others[k]))) if k in others else r
        for k, r in enumerate(reqs)
    ]
