"""Text -> units: blocks (headings, paragraphs, bullets), sentences, page furniture, lead-ins."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace

from cpft_tracker.extract.rules import (
    CLASSIFY_CHARS,
    _find_trigger,
)
from cpft_tracker.extract.words import (
    ABBREVIATIONS,
    ALWAYS_NAVIGATION,
    IMPERATIVE_VERBS,
    MAJOR_HEADINGS,
    NAVIGATION_LINES,
    REGULATION_TITLES,
    SERVICE_TYPE_PLURALS,
    SERVICE_TYPE_WORDS,
    VERB_OPENERS,
)

# A list item whose bullet mark was lost opens with a verb in its base form.
_ITEM_VERBS = IMPERATIVE_VERBS | VERB_OPENERS
# ... and not with a noun that is the subject of a finite verb: "Staff were kind", "Staff
# told us…", "Work was under way" ("staff", "work", "report" are verbs and nouns).
_FINITE_AFTER_SUBJECT = frozenset(
    "is are was were has have had did does could would will can may might told said".split()
)
# "must", or the notice's "You are required to become compliant with…"
_LEADIN_MUST = re.compile(
    r"\bmust\b|\b(?:are|is)\s+required\s+to\s+(?:become|be|comply|meet|make)\b", re.I
)
# A notice that requires someone to comply: "We have served a warning notice requiring the
# provider to become compliant with the following by 31 October 2012:". Taken as a lead-in
# only when it announces a list ("the following") or sets a date, as a notice does; "The
# regulation requires providers to be able to show:" alone is the law described.
_REQUIRING_TO = re.compile(
    r"\brequir(?:e|es|ed|ing)\s+(?:[\w'’]+\s+){1,4}?to\s+(?:become|be|comply|meet|make)\b", re.I
)
# The regulator's telling as a list's lead-in: "We told the provider to make the following
# improvements:", "We have asked the trust to take these actions:".
_TOLD_TO_LEADIN = re.compile(
    r"\b(?:told|asked)\s+(?:the\s+)?(?:provider|trust|practice|service|home|hospital|"
    r"registered\s+(?:person|manager)|them|it)\s+to\s+(?:make|take)\s+(?:the\s+following|these)\b",
    re.I,
)
# A lead-in's last sentence that only announces the list: "The regulations are:", "These
# are:", "The areas are as follows:"
_ANNOUNCEMENT_RE = re.compile(
    r"^(?:the|these|they|those)(?:\s+\w+){0,2}\s+(?:are|were|is)(?:\s+as\s+follows)?\s*:$", re.I
)
_LEADIN_SHOULD = re.compile(r"\bshould\b", re.I)
# A must in reported speech, after a verb of telling or saying: "… tells X it must improve".
_REPORTED_MUST_RE = re.compile(
    r"\b(?:tells?|told|warns?|warned|orders?|ordered|says?|said)\b[^:]*\bmust\b", re.I
)
_LEADIN_NEEDS = re.compile(r"\bneeds?\s+to\b", re.I)
_MAJOR_HEADING_RE = re.compile(r"^(?:" + "|".join(MAJOR_HEADINGS) + r")$", re.I)
# ===========================================================================
# Text units
# ===========================================================================


@dataclass(frozen=True)
class Unit:
    """A heading, or a sentence (or lead-in bullet) with where it sits in the document."""

    text: str  # whitespace collapsed
    context: str  # the block (paragraph / bullet) it belongs to, whitespace collapsed
    section: str | None  # nearest heading above
    line: int  # 1-based source line of the first character
    kind: str  # "heading", "sentence", "leadin" (the lead-in itself), "bullet" (under one) or
    # "notice" (an area listed under a notice's "must improve in the following areas by …:")
    scope: str | None = None  # for kind "bullet": the lead-in's keyword, "must"/"needs"/"should"
    due: str | None = None  # ISO date the lead-in sets ("… by 31 March 2012:"), or None
    leadin: str | None = None  # for kind "bullet": the lead-in's text ("The hospice should:")


_BULLET_RE = re.compile(
    r"^(?:[-•*–·▪◦●○■□►‣⁃]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)]|\([a-z]\)|"
    r"\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)|(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])\s+",
)
_PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I
)
_TERMINAL_RE = re.compile(r"[.!?:;…][\"'”’)\]]*$")
_MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_KEYWORD_WORD_RE = re.compile(r"\b(?:must|should|needs?|needed|needing)\b", re.I)
# A full stop after a lower-case word, then a capital: a finished sentence inside the line
# (four words or more before it: "Inspection report. Date of inspection…" is two labels).
_INNER_SENTENCE_END_RE = re.compile(r"^(?:\S+ +){3,}\S*[a-z]{2}\.[\"'”’)]* +[(“‘\"]?[A-Z]")
_HEADING_END_WORDS = frozenset(
    "and or the of to a an in for with by that which on at from as is are was were".split()
)


def _collapse(s: str) -> str:
    """Whitespace collapsed to single spaces, stripped."""
    return " ".join(s.split())


def _is_terminal(line: str) -> bool:
    return bool(_TERMINAL_RE.search(line))


def _starts_lower(line: str) -> bool:
    for ch in line:
        if ch.isalpha():
            return ch.islower()
        if not (ch in "\"'“‘(" or ch.isspace()):
            return False
    return False


def _heading_candidate(line: str) -> bool:
    """A short line without a final full stop, starting with a capital: a heading shape."""
    if len(line) > 100 or _TERMINAL_RE.search(line) and not line.endswith("?"):
        return False
    if line.endswith(","):
        return False
    if _INNER_SENTENCE_END_RE.search(line):
        return False  # "Medicines were not stored safely. Regulation 12(2)(g)": a sentence
    words = line.split()
    if not words or len(words) > 14:
        return False
    if line.endswith("?") and len(words) > 10:
        return False
    first = next((c for c in line if c.isalnum()), "")
    if not first or (first.isalpha() and not first.isupper()):
        return False
    if words[-1].lower().strip("\"'“”‘’") in _HEADING_END_WORDS:
        return False
    return any(c.isalpha() for c in line)


_COOKIE_RE = re.compile(
    r"\bcookies?\b.*\b(?:we use|accept|reject|settings|optional|essential|analytics)\b|"
    r"\b(?:we use|accept|reject)\b.*\bcookies?\b|"
    # the banner's first words: "This website uses cookies. Some are needed to make…"
    r"^(?:this|our|the)\s+(?:web\s*)?(?:site|page|service)\s+uses\s+cookies\b|"
    # the banner's own title: "Cookies on the CQC website", "Cookies on GOV.UK"
    r"^cookies\s+on\b",
    re.I,
)


# What a menu line may be dressed in when copied: separators, breadcrumbs' arrows, and every
# bullet mark a list may have (a browser copy of a menu in "●" or "▪" is the same menu).
_MENU_MARKS = " |>»›·•-–*▪◦●○■□►‣⁃"


def is_navigation(line: str) -> bool:
    """A line of a web page's menus or cookie banner ("Find a service", "Care homes"), or a
    line made only of the names of service types ("Hospitals and clinics", "Dentists and
    GPs", "Search for services"), as a site's service navigation is."""
    low = line.strip(_MENU_MARKS).lower()
    if low in NAVIGATION_LINES:
        return True
    words = low.replace("&", " and ").replace(",", " ").split()
    if (
        0 < len(words) <= 6
        and all(w in SERVICE_TYPE_WORDS for w in words)
        and any(w in SERVICE_TYPE_PLURALS for w in words)
    ):
        return True
    return len(line.split()) <= 25 and bool(_COOKIE_RE.search(line))


# A menu: a run of at least this many short lines (each a few words, no sentence end) of
# which at least MENU_RUN_NAVIGATION are known navigation lines. The whole run is dropped,
# the site's own menu words with it ("Our performance", "Media", "Provider zone").
MENU_RUN_LINES = 4
MENU_RUN_NAVIGATION = 2
MENU_WORDS = 4


def _menu_runs(lines: list[str], nav: list[bool]) -> set[int]:
    drop: set[int] = set()
    run: list[int] = []

    def flush() -> None:
        marked = [j for j in run if nav[j]]
        if len(run) >= MENU_RUN_LINES and len(marked) >= MENU_RUN_NAVIGATION:
            # from the first to the last navigation line: the lines around it may be the
            # page's own headings ("Rosemount House" after the menu)
            drop.update(j for j in run if marked[0] <= j <= marked[-1])
        run.clear()

    for i, s in enumerate(lines):
        if not s:
            continue
        short = (
            len(s.split()) <= MENU_WORDS
            and not _TERMINAL_RE.search(s)
            and not _KEYWORD_WORD_RE.search(s)
            and not any(c.isdigit() for c in s)
        )
        if short:
            run.append(i)
        else:
            flush()
    flush()
    return drop


def _navigation_lines(lines: list[str]) -> set[int]:
    """Menu lines that sit together (two or more, blank lines between allowed) and cookie
    banner lines: page furniture of a web page copied from a browser."""
    nav = [bool(s) and is_navigation(s) for s in lines]
    drop: set[int] = _menu_runs(lines, nav)
    prev_text: int | None = None  # the previous non-blank line
    for i, s in enumerate(lines):
        if not s:
            continue
        if nav[i] and s.strip(_MENU_MARKS).lower() in ALWAYS_NAVIGATION:
            drop.add(i)  # "Skip to content": furniture even when alone
        if nav[i] and (_COOKIE_RE.search(s) or (prev_text is not None and nav[prev_text])):
            drop.add(i)
            if prev_text is not None and nav[prev_text]:
                drop.add(prev_text)
        prev_text = i
    return drop


# A line that opens by naming a regulation or an outcome by its number ("Regulation 14 HSCA
# 2008 (Regulated Activities) Regulations 2010", "Regulation 10 HSCA 2008 …"): the number is
# the regulation's, so two such lines differing only in it are two regulations, not a page
# footer whose page number changes.
_NAMED_BY_NUMBER_RE = re.compile(r"^(?:regulation|reg\.|outcome)\s*\d", re.I)


def _furniture_lines(lines: list[str]) -> set[int]:
    """Indexes of page numbers, repeated running headers/footers (PDF copies) and web page
    menus and cookie banners."""
    drop: set[int] = _navigation_lines(lines)
    for i, s in enumerate(lines):
        if s and _PAGE_NUMBER_RE.match(s):
            drop.add(i)
    keys: dict[int, str] = {}
    counts: Counter[str] = Counter()
    for i, s in enumerate(lines):
        if s and i not in drop and len(s) <= 120 and not _KEYWORD_WORD_RE.search(s):
            if s.endswith("?") or _BULLET_RE.match(s) or _NAMED_BY_NUMBER_RE.match(s):
                continue
            key = re.sub(r"\d+", "#", s.lower())
            keys[i] = key
            counts[key] += 1
    repeated = {k for k, n in counts.items() if n >= 2}
    if not repeated:
        return drop
    # A number in a line is a page footer's ("Page 12 of 40", "… report 02/03/2018") when the
    # line runs on every page (three times or more) or its number changes from one to the
    # next. A line written twice with the same number is the text's own: a heading and the
    # same heading again in a list ("Outcome 14: Supporting workers" under "The provider
    # must make improvements in relation to:").
    variants: dict[str, set[str]] = {}
    for i, key in keys.items():
        if key in repeated and "#" in key:
            variants.setdefault(key, set()).add(lines[i].lower())
    numbered = {k for k, v in variants.items() if counts[k] >= 3 or len(v) >= 2}

    # The nearest line before / after each line that is text (not blank, not a page number,
    # not itself repeated), found in two passes so that 20,000 repeated lines stay linear.
    def is_text(j: int) -> bool:
        return bool(lines[j]) and j not in drop and keys.get(j) not in repeated

    before: list[int | None] = [None] * len(lines)
    last: int | None = None
    for j in range(len(lines)):
        before[j] = last
        if is_text(j):
            last = j
    after: list[int | None] = [None] * len(lines)
    last = None
    for j in range(len(lines) - 1, -1, -1):
        after[j] = last
        if is_text(j):
            last = j

    def neighbour(i: int, step: int) -> int | None:
        return before[i] if step < 0 else after[i]

    def furniture_at(j: int, i: int) -> bool:
        return 0 <= j < len(lines) and (
            (j in drop and _PAGE_NUMBER_RE.match(lines[j] or "x") is not None)
            # a running header next to a page footer ("12 X NHS Trust Inspection report
            # 02/03/2018" / "Summary of findings")
            or (keys.get(j) in numbered and j != i)
        )

    evidence: Counter[str] = Counter()
    sides: dict[str, set[int]] = {}  # where the page furniture was: -1 before it, 1 after
    for i, key in keys.items():
        if key not in repeated:
            continue
        prev, nxt = neighbour(i, -1), neighbour(i, 1)
        interrupts = (
            prev is not None
            and nxt is not None
            and not _is_terminal(lines[prev])
            and _starts_lower(lines[nxt])
        )
        above = any(furniture_at(j, i) for j in (i - 2, i - 1))
        below = any(furniture_at(j, i) for j in (i + 1, i + 2))
        if above != below:
            sides.setdefault(key, set()).add(-1 if above else 1)
        if interrupts or above or below or key in numbered:
            evidence[key] += 1
    for i, key in keys.items():
        if counts[key] == 2 and key not in numbered and sides.get(key) == {-1, 1}:
            # written twice, once under a page's footer and once above the next: a running
            # header or footer keeps to one side of the page break, so this is the text's own
            # (a section heading at a page's top, the same words listed at another's foot)
            continue
        if key in repeated and (evidence[key] >= 1 and counts[key] >= 3 or evidence[key] >= 2):
            drop.add(i)
    return drop


@dataclass
class _Block:
    kind: str  # "heading", "para", "bullet", "sub" (a sub-bullet elaborating on its bullet)
    parts: list[tuple[int, str]]  # (0-based line index, collapsed line text)
    level: int = 0  # markdown heading level ("## X" -> 2); 0 when unknown
    listed: bool = False  # a line under a line ending in a colon, no blank line between
    mark: str = ""  # a bullet's mark, its digits and letters replaced: "9." for "12.", "(a)"


# A row of a table flattened to text ("Regulated activity | Regulation"): a block of its own.
_TABLE_ROW_RE = re.compile(r"\s\|(?:\s|$)|^\|")
# ... or a requirement notice's row with its cells run together: the regulated activity, then
# the regulation by number and Act ("Accommodation for persons who require nursing or personal
# care Regulation 12 HSCA RA Regulations 2014 Safe care and treatment")
_FLAT_NOTICE_ROW_RE = re.compile(
    r"^[A-Z][\w ,'’-]{8,120}?\s+Regulation\s+\d+\s+(?:of\s+the\s+)?HSCA\b[^.]*$"
)
# A closing parenthetical after a sentence end ("… incidents. (Regulation 12)"): the line
# still ends the sentence.
_TRAILING_PAREN_RE = re.compile(
    r"(?:^|[.!?:;…][\"'”’]*\s*)\((?:[^()]|\([^()]{0,20}\)){1,80}\)$"
)  # one level of nesting: "(Regulation 17 (1)(2)(b))"
# A sentence end, then the regulation it breaches in brackets, at the end of a line.
_REFERENCE_END_RE = re.compile(
    r"[.!?][\"'”’]*\s*\((?:regulation|reg\.?|regs?)\s*\d[^()]{0,40}(?:\([^()]{0,20}\)[^()]{0,20}){0,4}\)$",
    re.I,
)
# A line that is only such a parenthetical ("(Regulation 12 (1)(2)(b))") closes the sentence
# above it: it is never a block of its own.
_LONE_PAREN_RE = re.compile(r"^\((?:[^()]|\([^()]{0,20}\)){1,80}\)$")


# The words a sub-bullet opens with when it elaborates on its bullet rather than adding one.
_ELABORATING_WORDS = frozenset("This These That It They Including For".split())


def _ends_block(prev_line: str, block: _Block) -> bool:
    """True when the block's text so far ends a sentence (also "…. (Regulation 12)")."""
    if _is_terminal(prev_line):
        return True
    if prev_line.endswith(")"):
        tail = " ".join(p for _, p in block.parts[-2:])
        m = _TRAILING_PAREN_RE.search(tail)
        if m and (m.start() > 0 or len(block.parts) < 2 or _is_terminal(block.parts[-2][1])):
            return True
    return False


def _blocks(text: str) -> list[_Block]:
    """Group lines into headings, paragraphs and bullets (joining hard-wrapped lines)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw = text.split("\n")
    lines = [_collapse(line) for line in raw]
    drop = _furniture_lines(lines)
    kept = [s for i, s in enumerate(lines) if s and i not in drop]
    lengths = sorted(len(s) for s in kept)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    long_lines = [i for i, s in enumerate(lines) if len(s) >= 40 and i not in drop]
    breaks = sum(1 for i in long_lines if not _is_terminal(lines[i]))
    # A hard-wrapped copy breaks its sentences at a margin: some of the lines that stop
    # mid-sentence reach it. A page whose unfinished lines are all short (headings, menus,
    # "Are services safe? No action required") is one paragraph per line, however narrow.
    at_margin = sum(
        1 for i in long_lines if not _is_terminal(lines[i]) and len(lines[i]) >= 0.7 * width
    )
    wrapped = (
        width <= 130
        and breaks >= max(2, len(long_lines) // 4)
        and at_margin >= max(2, len(long_lines) // 6)
    )

    blocks: list[_Block] = []
    cur: _Block | None = None
    prev_line = ""
    bullet_indent: int | None = None  # how far the last bullet mark was indented
    # The current block is a line of a list that a line ending in a colon opened, with no
    # blank line between: "…the provider must ensure the following by 5 June 2020:" /
    # "a daily audit … is completed on every unit" / "every person has …".
    listing = False
    after_blank = True
    for i, s in enumerate(lines):
        if i in drop:
            continue
        if not s:
            cur = None
            listing, after_blank = False, True
            continue
        bullet = _BULLET_RE.match(s)
        md = _MARKDOWN_HEADING_RE.match(s)
        flat_row = bool(_FLAT_NOTICE_ROW_RE.match(s))
        table_row = flat_row or ("|" in s and bool(_TABLE_ROW_RE.search(s)))
        continuing = False
        if cur is not None and cur.kind != "heading" and not table_row:
            open_end = not _ends_block(prev_line, cur)
            last = prev_line.rsplit(" ", 1)[-1].lower()
            if wrapped:
                # a hard-wrapped copy: a line continues the block unless the block's last
                # line ended a sentence well short of the margin
                continuing = (open_end or (len(prev_line) >= 0.8 * width and not bullet)) and not (
                    open_end and len(prev_line) < 0.5 * width and _heading_candidate(s)
                )
                if continuing and not open_end and _REFERENCE_END_RE.search(prev_line):
                    # "…within the time set by its own standard. (Regulation 12)": a listed
                    # requirement ends on its regulation; what opens the next line (in capitals)
                    # is the next one, however near the margin the reference came
                    continuing = _starts_lower(s)
                # a short heading-shaped line after a sentence end is a (sub-)heading, even
                # when the sentence happened to reach the margin: "…department." / "Maternity"
                if prev_line.endswith(":"):
                    # a colon at the end of a line opens what follows ("… as requires
                    # improvement because:" / "The service did not…"): a new block
                    continuing = False
                if (
                    continuing
                    and not open_end
                    and s.endswith(":")
                    and s[:1].isupper()
                    and _leadin_keyword(s, heading=False)
                ):
                    # a whole lead-in on its own line after a sentence end ("…would
                    # recommend." / "Importantly, the provider should:"): it opens a list,
                    # it does not go on with the bullet above that reached the margin
                    continuing = False
                if (
                    continuing
                    and not open_end
                    and len(s) < 0.6 * width
                    and _heading_candidate(s)
                    and not _next_starts_lower(lines, drop, i)
                ):
                    continuing = False
            else:
                # one paragraph per line: only an obviously broken line continues, or an
                # indented line under a bullet whose sentence is still open (a bullet's
                # text wrapped and aligned under its first word)
                # In a list, a line that opens lower-case is the next item (a list whose
                # bullet marks were lost) unless the line above stops at a comma or a word
                # that cannot end a phrase ("… completed on" / "every unit").
                continuing = open_end and (
                    (
                        _starts_lower(s)
                        and not (
                            listing and cur.kind == "para" and not prev_line.endswith((",", "-"))
                        )
                    )
                    or last in _HEADING_END_WORDS
                    or (
                        # indented further than the bullet's own mark: its text wrapped (a
                        # whole copy indented alike is not: "  - Regulation 21…" / "  The…")
                        cur.kind == "bullet"
                        and raw[i][:1] in (" ", "\t")
                        and not bullet
                        and len(raw[i]) - len(raw[i].lstrip()) > (bullet_indent or 0)
                    )
                )
            if (
                continuing
                and cur.kind == "para"
                and _starts_lower(s)
                and _first_word(s) in _ITEM_VERBS
                and all(
                    _starts_lower(p) and _first_word(p) in _ITEM_VERBS
                    for p in (cur.parts[0][1], prev_line)
                )
                and not prev_line.endswith((",", "-", ";"))
                and last not in _HEADING_END_WORDS
            ):
                # a run of lines each opening with a verb in lower case, from the block's first
                # line on: a list whose bullet marks were lost ("make sure there are enough
                # nurses…" / "make sure that patients…" / "stop caring for patients…"), one
                # item a line (a paragraph, wrapped or not, does not open in lower case)
                continuing = False
        if (
            not continuing
            and cur is not None
            and cur.kind in ("para", "bullet", "sub")
            and not bullet
            and _LONE_PAREN_RE.match(s)
        ):
            continuing = True  # "…for every procedure." / "(Regulation 12 (1)(2)(b))"
        if not continuing:
            listing = not after_blank and (
                listing or (prev_line.endswith(":") and _list_run_ends(lines, drop, i))
            )
        after_blank = False
        if md:
            level = len(s) - len(s.lstrip("#"))
            blocks.append(_Block("heading", [(i, md.group(1))], level, listing))
            cur = None
        elif table_row:
            # a flattened row is the heading of its breach, as "Regulation 12 HSCA …" on a
            # line of its own is
            blocks.append(_Block("heading" if flat_row else "para", [(i, s)]))
            cur = None
        elif bullet and not (continuing and s[: bullet.end()].strip()[:1].isdigit()):
            body = s[bullet.end() :].strip()
            indent = len(raw[i]) - len(raw[i].lstrip())
            # a sub-bullet that only says more about the bullet above it ("- This includes
            # bank staff…", indented under it) is part of that item, not an item of its own
            elaborates = (
                bullet_indent is not None
                and indent > bullet_indent
                and body.split(" ", 1)[0] in _ELABORATING_WORDS
            )
            cur = _Block(
                "sub" if elaborates else "bullet",
                [(i, body)] if body else [],
                0,
                listing,
                _mark_style(s[: bullet.end()].strip()),
            )
            if not elaborates:
                bullet_indent = indent
            blocks.append(cur)
        elif continuing and cur is not None:
            cur.parts.append((i, s))
        elif (
            _heading_candidate(s)
            and not _next_starts_lower(lines, drop, i)
            and not (
                wrapped
                and len(s) >= 0.8 * width
                and _opens_a_wrapped_paragraph(lines, drop, i, width)
            )
        ):
            blocks.append(_Block("heading", [(i, s)], 0, listing))
            cur = None
        else:
            cur = _Block("para", [(i, s)], 0, listing)
            blocks.append(cur)
        prev_line = s
    return [b for b in blocks if b.parts]


# The most lines a list written without bullet marks runs to before its blank line.
LIST_RUN_LINES = 25


def _mark_style(mark: str) -> str:
    """A bullet mark's shape: "9." for any number and a full stop, "(a)" for any letter in
    brackets, the mark itself for a symbol ("-", "•")."""
    return re.sub(r"[a-z]", "a", re.sub(r"\d+", "9", mark))


def _paragraph_number(mark: str) -> bool:
    """A mark that numbers a paragraph ("8.", "12)"): a notice's or a letter's paragraphs."""
    return mark in ("9.", "9)")


def _list_run_ends(lines: list[str], drop: set[int], i: int) -> bool:
    """Do the lines from ``i`` (under a line ending in a colon) stop at a blank line with
    more text after it, within LIST_RUN_LINES? Then they are that colon's list. In a text
    with no blank lines between its paragraphs, a line's neighbours say nothing of it."""
    seen = 0
    stop = min(len(lines), i + 8 * LIST_RUN_LINES)  # page furniture between is skipped
    for j in range(i, stop):
        if j in drop:
            continue
        if not lines[j]:
            return any(lines[k] and k not in drop for k in range(j + 1, stop))
        seen += 1
        if seen > LIST_RUN_LINES:
            return False
    return False


# A finite verb a sentence has and a heading seldom does ("…has told Kingsbridge University").
_SENTENCE_VERB_RE = re.compile(
    r"\b(?:has|have|had|is|are|was|were|must|should|will|would|did|does|do|can|could)\b"
)


def _opens_a_wrapped_paragraph(lines: list[str], drop: set[int], i: int, width: int) -> bool:
    """In a hard-wrapped copy, the heading-shaped line ``i`` at the margin is a paragraph's
    first line: it has a sentence's verb and a long line under it ("…has told Kingsbridge
    University" / "Hospitals NHS Trust that it must…"), or the line under it ends the
    sentence or a lead-in ("…in the following areas by 31" / "January 2019:"), or a date is
    broken between the two ("…on 23 and 24" / "October 2018, we have…"). A heading stands
    above a short line or a blank, and has no verb ("Community-based mental health services
    for adults of working age")."""
    if _NAMED_BY_NUMBER_RE.match(lines[i]):
        return False  # "Regulation 12 HSCA 2008 (Regulated Activities) Regulations 2014 …"
    nxt = next((j for j in range(i + 1, min(len(lines), i + 6)) if j not in drop), None)
    if nxt is None or not lines[nxt]:
        return False
    below = lines[nxt]
    last = lines[i].rsplit(" ", 1)[-1]
    if last.isdigit() and below.split(" ", 1)[0].lower() in _MONTHS:
        return True
    if not _SENTENCE_VERB_RE.search(lines[i]):
        return False
    return len(below) >= 0.6 * width or _is_terminal(below) or below.endswith(":")


def _next_starts_lower(lines: list[str], drop: set[int], i: int) -> bool:
    for j in range(i + 1, min(len(lines), i + 6)):
        if j in drop:
            continue
        if not lines[j]:
            return False
        return _starts_lower(lines[j])
    return False


# A run of terminators (taken whole, so a line of 20,000 dots is linear) before a space,
# or a lone full stop glued to the next sentence ("we assessed.These areas"). Both open
# with the terminator itself and look behind it after, so the regex engine skips straight
# to the next one instead of trying the look-behinds at every character (six times faster).
_SENTENCE_END_RE = re.compile(
    r"[.!?](?<![.!?][.!?])[.!?]*+[\"'”’)\]]*+(?= )|\.(?<=[a-z]{2}\.)(?=[A-Z][a-z])"
)


def _sentence_spans(s: str) -> list[tuple[int, int]]:
    """Start/end offsets of the sentences in a whitespace-collapsed block."""
    cuts: list[int] = []
    for m in _SENTENCE_END_RE.finditer(s):
        end = m.end()
        if m.group(0)[0] == "." and len(m.group(0)) == 1:
            # the word before the full stop
            j = m.start()
            k = j
            while k > 0 and not s[k - 1].isspace() and s[k - 1] not in '("“‘':
                k -= 1
            word = s[k:j].lower()
            if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
                continue
            if len(word) == 1 and word.isalpha() and s[k].isupper():
                continue  # an initial: "J. Smith"
            if "." in word and len(word) <= 5 and s[end : end + 1] == " ":
                continue  # "U.K. " / "a.m. " abbreviations with inner dots
        if end < len(s) and s[end] == " ":
            nxt = s[end + 1 : end + 2]
            if not nxt or nxt.islower() or nxt in ",;:)":
                continue
            cuts.append(end)
        else:
            cuts.append(end)
    spans = []
    start = 0
    for c in cuts:
        if c > start:
            spans.append((start, c))
        start = c
    spans.append((start, len(s)))
    out = []
    for a, b in spans:
        while a < b and s[a] == " ":
            a += 1
        while b > a and s[b - 1] == " ":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _leadin_keyword(text: str, heading: bool) -> str | None:
    """The keyword a lead-in opens a list with, or None if the block is not a lead-in."""
    if not heading:
        spans = _sentence_spans(text)
        last = text[spans[-1][0] :] if spans else text
        # "… must become compliant with the following regulations by 31 January 2013" with
        # its colon lost: a notice's lead-in all the same
        lost_colon = (
            not _TERMINAL_RE.search(last)
            and bool(_NOTICE_LEADIN_RE.search(last))
            and bool(_LEADIN_MUST.search(last))
        )
        if not text.endswith(":") and not lost_colon:
            return None
        if _ANNOUNCEMENT_RE.match(last) and len(spans) > 1:
            # "You are required to become compliant with these regulations by 18 December
            # 2015. The regulations are:": the short announcement carries no keyword of its
            # own, so the sentence before it says what kind of list follows
            last = text[spans[-2][0] :]
        text = last
    if heading and not text.endswith(":") and _REPORTED_MUST_RE.search(text):
        return None  # "CQC tells Marshfield Hospitals NHS Trust it must improve…": a headline
        # reporting what someone was told, not the heading of a list
    if _LEADIN_MUST.search(text):
        return "must"
    if _REQUIRING_TO.search(text) and (_NOTICE_LEADIN_RE.search(text) or due_date(text)):
        return "must"
    if text.endswith(":") and _TOLD_TO_LEADIN.search(text):
        return "must"  # "We told the provider to make the following improvements:"
    if _LEADIN_NEEDS.search(text):
        return "needs"
    if _LEADIN_SHOULD.search(text):
        return "should"
    return None


def _ends_scope(heading: str, level: int, scope_level: int) -> bool:
    """Does this (non-lead-in) heading end a lead-in's list, or is it a service sub-heading?"""
    if _MAJOR_HEADING_RE.match(heading.strip(" :")) or heading.endswith("?"):
        return True
    letters = [c for c in heading if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True  # "AREAS FOR IMPROVEMENT"
    return bool(level and scope_level and level <= scope_level)


# A lead-in that announces a list of areas rather than of actions: "The provider must improve
# in the following areas by 31 March 2012:", "You must take action to meet the following
# regulations by 30 September 2016:".
_NOTICE_LEADIN_RE = re.compile(r"\b(?:the\s+following|listed\s+below|as\s+follows)\b", re.I)
_DUE_RE = re.compile(
    # "by 30 June 2013", "by the 30th of June 2013", "until 30 September 2011" ("has been
    # given until…"), "no later than 1 May 2012", "by 5pm on 30 June 2013"
    # "on or before 12 April 2013", "by: 31 March 2012", "by Friday 30 April 2015", "by 30/04/2015"
    r"\b(?:by|until|no\s+later\s+than|on\s+or\s+before)\s*:?\s+"
    r"(?:\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\.?\s+on\s+)?(?:the\s+)?"
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?(?:the\s+)?"
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})\b"
    r"|(?P<nd>\d{1,2})/(?P<nm>\d{1,2})/(?P<ny>\d{4})\b)",
    re.I,
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
# A listed area names a regulation or an outcome ("Regulation 12 HSCA RA Regulations 2014
# Safe care and treatment", "Outcome 4: Care and welfare of people who use services"), or
# is a short title on its own line ("Safe care and treatment").
_NOTICE_REF_RE = re.compile(r"^(?:regulation|reg\.?|outcome|section)\s*\d", re.I)
_WH_WORDS = frozenset("how what why where when who which whether".split())


# A line that is only a deadline: "by 30 September 2012." (a list's lead-in ending before it).
_DEADLINE_LINE_RE = re.compile(r"^(?:by|before|no\s+later\s+than)\s+[^.;:]{4,40}\.?$", re.I)


def due_date(text: str) -> str | None:
    """The ISO date of the first deadline in the text ("by 30 June 2013", "until…", "no later
    than…", "on or before…", "by: …", "by Friday 30 April 2015", "by 30/04/2015" read day
    first), or None."""
    m = _DUE_RE.search(text)
    if not m:
        return None
    if m.group("nd"):
        try:  # a UK date, day first
            return dt.date(int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))).isoformat()
        except ValueError:
            return None
    month = _MONTHS.get(m.group(2).lower())
    day, year = int(m.group(1)), int(m.group(3))
    if month is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _regulation_title(line: str) -> bool:
    """The line is (or opens with) the title of a regulation or an outcome."""
    low = line.lower().rstrip(" ;,.")
    if low in REGULATION_TITLES:
        return True
    return any(low.startswith(t + " ") for t in REGULATION_TITLES if " " in t)


def _notice_item(line: str, *, named_only: bool = False) -> bool:
    """Is this line one of the areas a notice's lead-in lists? With ``named_only`` (every
    area so far was a regulation, an outcome or one of their titles) the list is of that
    kind, so another line ("Our performance") ends it."""
    words = line.split()
    if not words or len(words) > 20 or line.endswith((":", "?")):
        return False
    if _NOTICE_REF_RE.match(line) or _regulation_title(line):
        # "Regulation 12: Cleanliness and infection control." (a full stop is allowed here)
        return not is_navigation(line) and _INNER_SENTENCE_END_RE.search(line) is None
    if line.endswith("."):
        return False
    if named_only:
        return False
    if _KEYWORD_WORD_RE.search(line) or _first_word(line) in _WH_WORDS:
        return False
    if _MAJOR_HEADING_RE.match(line.strip(" :")) or is_navigation(line):
        return False
    return len(words) <= 14 and line[:1].isupper()


_QUOTE_OPENERS = frozenset("\"“‘'")


def _opens_with_a_verb(text: str) -> bool:
    """Does the line open as an action does, with a verb ("Review…", "Staff the ward…"), not
    with a noun before its verb ("Staff were kind")?"""
    if text.lstrip()[:1] in _QUOTE_OPENERS:
        return False  # '"Staff at Marshfield were working hard…': quoted speech, not an item
    words = re.findall(r"[A-Za-z]+", text[:60])
    if not words or words[0].lower() not in _ITEM_VERBS:
        return False
    return len(words) < 2 or words[1].lower() not in _FINITE_AFTER_SUBJECT


def _question_then_instruction(text: str) -> bool:
    """A question and then an instruction ("Is the practice's significant event log complete?
    Keep it under review so that it is."): one list item, the question naming what the
    instruction is about, not the list's text going on."""
    spans = _sentence_spans(text)
    if len(spans) != 2:
        return False
    first, second = (text[a:b] for a, b in spans)
    return first.endswith("?") and _opens_with_a_verb(second)


def _first_word(text: str) -> str:
    m = re.match(r"[\W_]*([A-Za-z]+)", text)
    return m.group(1).lower() if m else ""


_THAT_LEADIN_RE = re.compile(r"\bthat\s*:$", re.I)
# A line that ends inside a word: two letters and a hyphen ("week-", "hand-").
_SOFT_HYPHEN_RE = re.compile(r"[a-z]{2}-$")
# The word (or hyphenated chain) that ends in that hyphen, and the letters that go on.
_HYPHEN_LEFT_RE = re.compile(r"([A-Za-z]+(?:-[A-Za-z]+)*)-$")
_HYPHEN_RIGHT_RE = re.compile(r"[a-z]+")
# A hyphen at a line end is either a word broken across the line ("manage-" / "ment": joined)
# or the hyphen of a compound ("co-" / "production", "well-" / "led": kept). The document
# itself decides when it writes the word elsewhere, hyphenated or whole; otherwise a
# compound is recognised by its first part (prefixes CQC writes with a hyphen, none of them
# the start of a common unhyphenated word), by its second (the words that make compounds:
# "-led", "-based", "-term", "-up", after a first part of three letters or more, so that
# "un-" / "related" is joined), or by a chain already hyphenated ("face-to-" / "face").
# Anything else is a word broken at a syllable and is joined ("safe-" / "guarding").
HYPHEN_KEPT_AFTER = frozenset({"co", "self", "well", "non", "cross"})
HYPHEN_KEPT_BEFORE = frozenset(
    "led based term up being centred centered focused focussed making keeping related wide "
    "level specific friendly".split()
)


class _Hyphens:
    """Decides, for one document, whether a hyphen at a line end is kept."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._hyphenated: set[str] | None = None
        self._whole: set[str] | None = None

    def _learn(self) -> None:
        lowered = self._text.lower()
        # (each match opens a run of letters, possessively: the same matches as
        # "[a-z]+(?:-[a-z]+)+", without trying again from every letter of every word)
        self._hyphenated = set(re.findall(r"(?<![a-z])[a-z]++(?:-[a-z]++)+", lowered))
        self._whole = set(re.findall(r"[a-z]+", lowered))

    def keep(self, left: str, right: str) -> bool:
        """Is "left-" at a line end, followed by "right…", a compound's hyphen?"""
        if self._hyphenated is None:
            self._learn()
        assert self._hyphenated is not None and self._whole is not None
        left, right = left.lower(), right.lower()
        last = left.rsplit("-", 1)[-1]
        if f"{last}-{right}" in self._hyphenated:
            return True
        if f"{last}{right}" in self._whole:
            return False
        if "-" in left and len(last) <= 3:  # "face-to-" / "face", "up-to-" / "date"
            return True
        if last in HYPHEN_KEPT_AFTER:
            return True
        if right == "led" and last.endswith("l"):  # "control-" / "led" is "controlled"
            return False
        return right in HYPHEN_KEPT_BEFORE and len(last) >= 3


def _listed_item(
    block: _Block, joined: str, following: list[_Block], *, notice: bool = False
) -> bool:
    """Is this block, right under a lead-in ending in a colon (or under the item before it,
    no blank line between), one item of the list? One line, one sentence, not a lead-in of
    its own; a heading-shaped line only when it names a regulation or an outcome (another
    short line there is a sub-heading of the list: "Medical care" over its bullets). A line
    of two or more sentences is an item whole, as a bulleted one is, when a one-sentence item
    follows it in the run (the last line of a run, if it has more than one sentence, is the
    text going on: "Following this inspection, we told the provider… Details are…")."""
    if not block.listed or len(block.parts) != 1 or joined.endswith(":"):
        return False
    if block.kind == "heading":
        named = bool(_NOTICE_REF_RE.match(joined) or _regulation_title(joined))
        # or an action ("Ensure the safe management of medicines" under "We told the provider
        # to make the following improvements:"), capitalised as a heading would be
        named = named or _opens_with_a_verb(joined)
        # or, under a notice's lead-in, an area named in a few words ("Medicines given
        # without authority on a T3 form" under "The trust must address the following issues
        # by 30 September 2015:"): every line of the run is an area, as its first one is
        named = named or notice and _notice_item(joined)
        return named and not (following and following[0].kind == "bullet")
    if block.kind != "para":
        return False
    if len(_sentence_spans(joined)) == 1 or _question_then_instruction(joined):
        return True
    nxt = following[0] if following else None
    next_item = (
        nxt is not None
        and nxt.kind == "para"
        and nxt.listed
        and len(nxt.parts) == 1
        and not nxt.parts[0][1].endswith(":")
        and len(_sentence_spans(nxt.parts[0][1])) == 1
    )
    return next_item


def _numbered_paragraph(block: _Block, scope: str | None, leadin_mark: str) -> _Block:
    """A numbered paragraph of a notice or a letter ("8. You must become compliant with the
    following regulations by 30 April 2012:") is a paragraph, so it can be a lead-in like any
    other, when no list is open; and so is the next paragraph numbered the same way."""
    if block.kind != "bullet" or not _paragraph_number(block.mark):
        return block
    if scope is None or block.mark == leadin_mark:
        return _Block("para", block.parts, block.level, block.listed, block.mark)
    return block


def split_units(text: str) -> list[Unit]:
    """The document as headings, sentences and lead-in bullets, in order."""
    units: list[Unit] = []
    section: str | None = None
    scope: str | None = None
    scope_level = 0  # markdown level of the lead-in heading (0: not markdown / a paragraph)
    items = 0  # list items seen under the current lead-in
    notice = False  # the lead-in announces a list of areas ("… the following areas by …:")
    named = True  # every area listed so far is a regulation, an outcome or their title
    plain_run = False  # an area in plain words was taken from the run right under the lead-in
    para_list = False  # the lead-in announces "the following" issues, then a blank line: its
    # items are paragraphs whose bullet marks were lost, each opening with its issue
    due: str | None = None  # the deadline the lead-in states
    clause_items = False  # the lead-in ends in "that:", so its items are clauses
    hyphens: _Hyphens | None = None  # made at the first hyphen at a line end
    leadin: str | None = None  # the text of the lead-in the current scope comes from
    list_open = False  # the block before was a lead-in ending in a colon, or an item of it
    leadin_mark = ""  # the paragraph number's shape when the lead-in is a numbered paragraph
    listed_from = 0  # where the units of the current lead-in's list start
    blocks = _blocks(text)
    for n, block in enumerate(blocks):
        was_open, list_open = list_open, False
        block = _numbered_paragraph(block, scope, leadin_mark)
        if leadin_mark and block.mark == leadin_mark:
            # the next numbered paragraph of a notice ("9. If you do not become compliant…"
            # after "8. You must become compliant with the following… by…:"): the list is over
            scope, notice, leadin_mark = None, False, ""
        starts: list[int] = []
        joined = ""
        for _, part in block.parts:
            if joined and part[:1].islower() and _SOFT_HYPHEN_RE.search(joined):
                # a word hyphenated at the end of a PDF line: "improve-" / "ments" joined,
                # a compound's hyphen ("co-" / "production") kept
                left = _HYPHEN_LEFT_RE.search(joined)
                right = _HYPHEN_RIGHT_RE.match(part)
                if hyphens is None:
                    hyphens = _Hyphens(text)
                if not (left and right and hyphens.keep(left.group(1), right.group(0))):
                    joined = joined[:-1]
                starts.append(len(joined))
                joined += part
                continue
            if joined:
                joined += " "
            starts.append(len(joined))
            joined += part
        line_of = [idx + 1 for idx, _ in block.parts]
        if (
            scope
            and was_open
            and not (plain_run and block.kind == "para")  # a sentence after short areas
            # ("We will return to check…"): the text going on, not one more area
            and _listed_item(block, joined, blocks[n + 1 : n + 2], notice=notice)
        ):
            # a line right under the lead-in or the item before it: an item whatever its
            # first word ("The service did not have a system…", "every person has…",
            # "Outcome 14: Supporting workers")
            items += 1
            list_open = True
            para_list = False  # the items are this run's lines, not the paragraphs after it
            area = _NOTICE_REF_RE.match(joined) or _regulation_title(joined)
            verb_first = block.kind == "heading" and not area and _opens_with_a_verb(joined)
            if scope == "must" and not verb_first and (area or notice and _notice_item(joined)):
                named = named and bool(area)
                plain_run = plain_run or not area
                units.append(Unit(joined, joined, section, line_of[0], "notice", "must", due))
            else:
                when = due if notice else None
                units.append(
                    Unit(joined, joined, section, line_of[0], "bullet", scope, when, leadin)
                )
            continue
        if notice and items and not due and _DEADLINE_LINE_RE.match(joined) and due_date(joined):
            # "You are required to become compliant with:" / the areas / "by 30 September
            # 2012.": the deadline closing the list is every listed area's
            due = due_date(joined)
            units[listed_from:] = [
                replace(u, due=due) if u.kind in ("notice", "bullet") else u
                for u in units[listed_from:]
            ]
            notice, scope = False, None
            continue
        if notice and block.kind != "bullet":
            if plain_run and not block.listed:
                # the run of areas in plain words right under the lead-in was closed by a
                # blank line: the next short line ("Provider action statement") heads the
                # text that follows
                notice, scope = False, None
            elif (
                items
                and units
                and units[-1].kind == "notice"
                and not _NOTICE_REF_RE.match(joined)
                and joined.lower().strip(" .") in units[-1].text.lower()
                and joined.lower().strip(" .") != units[-1].text.lower().strip(" .")
            ):
                # "Regulation 12: Cleanliness and infection control (Outcome 8)" / "Cleanliness
                # and infection control": the listed area's title again, heading its section
                notice, scope = False, None
            elif _notice_item(joined, named_only=bool(items) and named):
                ref = bool(_NOTICE_REF_RE.match(joined)) or _regulation_title(joined)
                named = named and ref
                items += 1
                # an area written as an action ("Ensure the safe management of medicines"
                # under "We told the provider to make the following improvements:") is
                # titled as a listed action, not as an area to make improvements in
                kind = "bullet" if not ref and _opens_with_a_verb(joined) else "notice"
                units.append(
                    Unit(joined, joined, section, line_of[0], kind, "must", due, leadin)
                    if kind == "bullet"
                    else Unit(joined, joined, section, line_of[0], "notice", "must", due)
                )
                continue
            notice, scope = False, None  # the list has ended
        if (
            block.kind == "heading"
            and scope
            and clause_items
            and len(joined.split()) >= 4
            and not joined.endswith(("?", ":"))
            and not _MAJOR_HEADING_RE.match(joined.strip(" :"))
            and _leadin_keyword(joined, heading=True) is None  # "Action the provider SHOULD…"
        ):
            # "The provider must ensure that:" / "Staff wear personal protective equipment…":
            # a lead-in that ends in "that" takes clauses, whose lines look like headings
            items += 1
            units.append(Unit(joined, joined, section, line_of[0], "bullet", scope, None, leadin))
            continue
        clause_items = clause_items and block.kind != "heading"
        if block.kind == "heading":
            section = joined
            keyword = _leadin_keyword(joined, heading=True)
            if keyword:
                scope, scope_level, items, leadin = keyword, block.level, 0, joined
                leadin_mark = ""
            elif scope and _ends_scope(joined, block.level, scope_level):
                scope = None
            units.append(Unit(joined, joined, section, line_of[0], "heading"))
            continue
        if block.kind == "sub":
            pass  # an elaboration of the bullet above: its sentences, the list goes on
        elif block.kind == "para":
            keyword = _leadin_keyword(joined, heading=False)
            if keyword:
                scope, scope_level, items, leadin = keyword, 0, 0, joined
                leadin_mark = block.mark
                clause_items = bool(_THAT_LEADIN_RE.search(joined))
                due = due_date(joined)
                notice = keyword == "must" and bool(_NOTICE_LEADIN_RE.search(joined) or due)
                named = True
                plain_run = False
                list_open = joined.endswith(":")
                para_list = list_open and not notice and bool(_NOTICE_LEADIN_RE.search(joined))
                units.append(Unit(joined, joined, section, line_of[0], "leadin"))
                listed_from = len(units)
                continue
            if (
                scope
                and not joined.endswith(":")
                and (_opens_with_a_verb(joined) or _question_then_instruction(joined))
            ):
                # a list item whose bullet mark was lost in copying
                items += 1
                units.append(
                    Unit(joined, joined, section, line_of[0], "bullet", scope, None, leadin)
                )
                continue
            spans = _sentence_spans(joined) if scope and para_list and not block.listed else []
            if spans and _find_trigger(joined[:CLASSIFY_CHARS]) is None:
                # "…the following issues that the provider needs to improve:", a blank line,
                # then one paragraph per issue with no bullet mark and no keyword: the issue
                # is the paragraph's first sentence, the rest its evidence
                items += 1
                a, b = spans[0]
                units.append(
                    Unit(joined[a:b], joined, section, line_of[0], "bullet", scope, None, leadin)
                )
                for a, b in spans[1:]:
                    line = line_of[bisect_right(starts, a) - 1]
                    units.append(Unit(joined[a:b], joined, section, line, "sentence"))
                continue
            para_list = False
            if scope and items:
                trig = _find_trigger(joined[:CLASSIFY_CHARS])
                if trig is not None and trig.keyword in (scope, "must"):
                    items += 1  # "The trust must ensure…" written without a bullet mark
                else:
                    scope = None  # ordinary prose after the list: the list has ended
        elif scope and not joined.endswith(":"):
            items += 1
            para_list = False  # a bulleted list
            when = due if notice else None
            units.append(Unit(joined, joined, section, line_of[0], "bullet", scope, when, leadin))
            continue
        for a, b in _sentence_spans(joined):
            line = line_of[bisect_right(starts, a) - 1]
            units.append(Unit(joined[a:b], joined, section, line, "sentence"))
    return units
