"""The trigger rules: does a sentence state something the provider must / needs to / should do?

``find_trigger`` looks at who the subject is, reported speech, statements of a rule, and
whether "need(s)" is a verb or a noun, using the tables in words.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from cpft_tracker.extract.words import (
    ACRONYM_FOLLOWERS,
    AS_WINDOW,
    BOILERPLATE,
    BOUNDARY_WORDS,
    CLASS_MODIFIERS,
    CLAUSE_OPENERS,
    CLAUSE_TAKING_VERBS,
    CLAUSE_VERBS_BASE,
    CONTACT_PRONOUNS,
    CONTENT_VERBS,
    COUNT_WORDS,
    DEED_NOUNS,
    DEFINITION_SECTIONS,
    DESCRIBING_VERBS,
    DOCUMENT_WORDS,
    DONE_PARTICIPLES,
    ENDS_NOUN_PHRASE,
    FRAME_EXEMPT_AFTER,
    GENERAL_MASS_NOUNS,
    GENERAL_SINGULARS,
    GENERAL_SUBJECTS,
    GENERIC_DETERMINERS,
    HEDGING_MODALS,
    IRREGULAR_PARTICIPLES,
    KNOWING_VERBS,
    LEADERSHIP_REPORTERS,
    MAIN_BE,
    NEEDING_WINDOW,
    NEGATIONS,
    NOT_INFINITIVE,
    NOUN_DETERMINERS,
    NOUN_FOLLOWERS,
    NOUN_MODIFIERS,
    NURSING_WORDS,
    OBJECT_NOUNS,
    OBJECT_STARTERS,
    OBJECT_TAKERS,
    OPENING_SPEAKER_QUANTIFIERS,
    ORGANISATION_WORDS,
    OTHERS_VOICE,
    PART_QUANTIFIERS,
    PEOPLE_NOUNS,
    PEOPLE_POSTMODIFIERS,
    PEOPLE_SUBJECTS,
    PLAIN_DESCRIBING_FORMS,
    PROFESSION_SUBJECTS,
    PROVIDER_SUBJECTS,
    PROVIDER_VOICE,
    PROVISION_VERBS,
    REGULATOR_SUBJECTS,
    REPORTING_VERBS,
    RESOURCE_NOUNS,
    ROLE_NOUNS,
    RULE_FRAME_WINDOW,
    RULE_FRAMES,
    RULE_SOURCES,
    SENIOR_MODIFIERS,
    SKIP_BEFORE_KEYWORD,
    SPEAKING_QUANTIFIERS,
    STAFF_REPORTERS,
    SUBORDINATORS,
    SUMMARY_BOILERPLATE,
    TOLD_OPENING,
    TOLD_PASSIVE_VERB,
    TOLD_WHEN,
    UNREGISTERED_PARTNERS,
    VACUOUS_WORDS,
    VAGUE_ANTECEDENTS,
    WH_OPENERS,
    told_by_notice,
    told_passive,
)

# One regex a branch, any of which marks the sentence: a branch anchored at the start
# ("^outcome…") is then tried at the start only, not at every character as inside one
# alternation (a third faster).
_BOILERPLATE_RES = tuple(re.compile(p, re.I) for p in BOILERPLATE)
_SUMMARY_BOILERPLATE_RE = re.compile("|".join(SUMMARY_BOILERPLATE), re.I)

# ===========================================================================
# Requirement detection
# ===========================================================================

_TOKEN_RE = re.compile(r"[\w’'\-]+|[^\w\s]")
_TRIGGER_RE = re.compile(
    r"\b(?:(?P<must>must)|(?P<should>should)|(?P<need>needs|needed|need|needing))\b", re.I
)
_THERE_NEED_RE = re.compile(
    r"\bthere\s+(?:is|was|are|were|remains|remained|will\s+be|continues\s+to\s+be)\s+"
    r"(?:still\s+)?(?:an?\s+)?(?!no\b|little\b)(?:\w+\s+)?need\s+(?:for|to)\b",
    re.I,
)
# Keyword words looked at per sentence (guards against pathological input).
MAX_TRIGGERS_PER_SENTENCE = 40

# When a sentence has several "need" triggers, the one that makes the clearest title wins.
NEED_KIND_RANK = (
    "to_active",
    "to_passive",
    "verb_object",
    "be_needed",
    "needing",
    "in_need_of",
    "there",
)
_BE_WORDS = frozenset("is are was were be been being remains remained".split())
_DEMONSTRATIVES = frozenset("this these those".split())
_ADVERBISH = frozenset("still also further urgently clearly now therefore really".split())


@dataclass(frozen=True)
class _Trigger:
    keyword: str  # must / needs / should
    kind: str  # must, should, to_active, to_passive, be_needed, verb_object, needing, there
    start: int  # span of matched in the sentence
    end: int
    key_start: int  # where the keyword word itself starts
    key_end: int


# The tokens of the sentence last asked about. The rules ask for the tokens around a keyword
# many times over for one sentence (about six times in seven the same sentence as the call
# before), so it is split into tokens once and each call cuts its window from that. Only for
# a sentence of ordinary length: a pathological one is cut window by window, as before.
_TOKENS_CACHED_UP_TO = 4000
_token_cache: tuple[str, list[tuple[str, int, int]], list[int], list[int]] = ("", [], [], [])


def _sentence_tokens(s: str) -> tuple[list[tuple[str, int, int]], list[int], list[int]]:
    """All of ``s``'s tokens (lower-cased text, start, end), their starts and their ends."""
    global _token_cache
    cached = _token_cache
    if cached[0] is s or cached[0] == s:
        return cached[1], cached[2], cached[3]
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(s)]
    starts = [a for _, a, _ in toks]
    ends = [b for _, _, b in toks]
    _token_cache = (s, toks, starts, ends)
    return toks, starts, ends


def _window(s: str, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """The tokens of ``s[lo:hi]``, as ``_TOKEN_RE.finditer(s, lo, hi)`` gives them: a word
    cut by either edge is the part of it inside (a token is a run of word characters or one
    other character, so the substring's tokens are the whole string's, cut at its edges)."""
    toks, starts, ends = _sentence_tokens(s)
    i = bisect_right(ends, lo)  # the first token ending after lo
    j = bisect_left(starts, hi)  # the first token starting at or after hi
    out = toks[i:j]
    if out:
        _, a, b = out[0]
        if a < lo:
            out[0] = (s[lo : min(b, hi)].lower(), lo, min(b, hi))
        _, a, b = out[-1]
        if b > hi:
            out[-1] = (s[max(a, lo) : hi].lower(), max(a, lo), hi)
    return out


def _tokens_before(s: str, end: int, limit: int = 30) -> list[tuple[str, int, int]]:
    """Up to ``limit`` tokens (lower-cased text, start, end) before offset ``end``."""
    lo = max(0, end - 300)
    # (offsets are the whole sentence's: ``_window`` and ``finditer(s, lo, end)`` both give them)
    if len(s) <= _TOKENS_CACHED_UP_TO:
        toks = _window(s, lo, end)
    else:
        toks = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(s, lo, end)]
    if lo > 0 and toks:  # the first may be a word cut by the window's edge
        toks = toks[1:]
    return toks[-limit:]


def _tokens_after(s: str, start: int, limit: int = 6) -> list[tuple[str, int, int]]:
    if len(s) <= _TOKENS_CACHED_UP_TO:
        return _window(s, start, min(len(s), start + 200))[: max(limit, 1)]
    out = []
    for m in _TOKEN_RE.finditer(s, start, min(len(s), start + 200)):
        out.append((m.group(0).lower(), m.start(), m.end()))
        if len(out) >= limit:
            break
    return out


def _norm_tok(t: str) -> str:
    return t.replace("’", "'")


def _is_possessive(t: str) -> bool:
    t = _norm_tok(t)
    return t.endswith("'s") or t.endswith("s'")


def _clause_before(toks: list[tuple[str, int, int]]) -> list[str]:
    """Tokens of the clause before the keyword (back to punctuation or a conjunction)."""
    out: list[str] = []
    depth = 0
    for n, (t, _, _) in enumerate(reversed(toks)):
        if depth:
            depth += t == ")"
            depth -= t == "("
            continue  # inside a bracketed reference: "NICE guidance (CG179) says…"
        if (
            t == ")"
            and n < len(toks) - 1
            and out
            and _BRACKETED_REF_RE.search(
                " ".join(x for x, _, _ in toks[max(0, len(toks) - n - 8) : len(toks) - n])
            )
        ):
            depth = 1
            continue
        if not (t[0].isalnum() or t[0] == "'" or t[0] == "’") or t in BOUNDARY_WORDS:
            break
        out.append(t)
    out.reverse()
    return out


# A short bracketed reference inside a noun phrase, a code or a number ("(CG179)", "(NG29)",
# "(2019)"), with a word after it: the phrase goes on past it.
_BRACKETED_REF_RE = re.compile(r"\(\s*[A-Za-z0-9][\w./-]{0,12}\s*\)$")


# The finite verb that ends a clause's subject: "Providers are required to…", "Providers have
# a duty to…". Only what comes before one of these is the subject.
_SUBJECT_ENDS = frozenset(
    """are is was were have has had do does did can will should may must need needs needed
    require requires required""".split()
)


def _with_elided_subject(toks: list[tuple[str, int, int]], clause: list[str]) -> list[str]:
    """The clause before a keyword, or, when the keyword's clause has no subject of its own
    because it is coordinated with the one before ("Providers are required to tell us about
    deaths, and must do so without delay"), that earlier clause's subject."""
    if any(t not in SKIP_BEFORE_KEYWORD for t in clause):
        return _across_and_of(toks, clause)
    at = len(toks) - len(clause) - 1
    if at < 1 or toks[at][0] not in ("and", "or"):
        return clause
    subject: list[str] = []
    for t, _, _ in toks[:at]:
        if t in _SUBJECT_ENDS or not (t[0].isalnum() or t[0] in "'’"):
            break
        subject.append(t)
    else:
        return clause  # no verb before the conjunction: not a clause
    return subject if subject else clause


def _head(clause: list[str]) -> str | None:
    """The word right before the keyword, skipping auxiliaries and adverbs."""
    for t in reversed(clause):
        if t in SKIP_BEFORE_KEYWORD:
            continue
        return _norm_tok(t)
    return None


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


_QUOTE_CHARS_RE = re.compile(r"[“”\"‘’()]")


def _quoted_spans(s: str) -> list[tuple[int, int]]:
    """Spans of quoted speech and parentheses ("requirements (actions … must comply with)")."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    straight: int | None = None
    single: int | None = None
    depth_start: int | None = None
    depth = 0
    for qm in _QUOTE_CHARS_RE.finditer(s):
        i, ch = qm.start(), qm.group(0)
        if ch == "“" and open_at is None:
            open_at = i
        elif ch == "”" and open_at is not None:
            spans.append((open_at, i + 1))
            open_at = None
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 1))
                straight = None
        elif ch == "‘" and (i == 0 or not s[i - 1].isalnum()) and single is None:
            single = i
        elif ch == "’" and single is not None and (i + 1 == len(s) or not s[i + 1].isalnum()):
            if not (s[i - 1 : i] == "s" and i + 1 < len(s) and s[i + 1] == " " and i - single < 4):
                spans.append((single, i + 1))
                single = None
        elif ch == "(":
            if depth == 0:
                depth_start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and depth_start is not None:
                spans.append((depth_start, i + 1))
    if open_at is not None:
        spans.append((open_at, len(s)))  # a quote running to the end of the paragraph
    if straight is not None:
        spans.append((straight, len(s)))  # the same with straight quotes
    return spans


# What people using a service should have, get or feel is the provider's to give; what they
# should do themselves ("contact the provider", "speak to the ward manager") is advice to them.
_PUBLIC_DEEDS = frozenset(
    """contact call ring phone telephone email write speak talk raise complain visit tell share
    report ask seek go look check get use""".split()
)


def _advice_to_the_public(
    clause: list[str],
    after: list[tuple[str, int, int]],
    s: str = "",
    m: re.Match[str] | None = None,
) -> bool:
    """ "Families who have concerns about a relative's care should contact the provider",
    "Journalists calling outside office hours should use the on-call number": people (not
    the provider's) named with what they are, told what to do themselves."""
    if m is not None:
        toks = _tokens_before(s, m.start())
        words = [t for t, _, _ in toks]
        if "that" in words[:6] and any(w in _SAYING_VERBS or w == "added" for w in words[:6]):
            words = words[words.index("that") + 1 :]  # "He said that anyone running…"
        if "," not in words and ";" not in words and words != clause:
            # the whole subject, a relative clause and all ("Members of the public who are
            # worried about the care they or a relative are receiving should…"), or the
            # subject of a predicate joined by "and" ("Patients registered with the practice
            # do not need to…, and should continue…")
            if _people_head_of(words) and _public_deed(after, s, m):
                return True
            if _advice_to_the_public(words, after):
                return True
        elided = _with_elided_subject(toks, clause)
        if elided != clause and (
            _advice_to_the_public(elided, after)
            or (_people_head_of(elided) and _public_deed(after, s, m))
        ):
            return True
    if clause[:1] in (["anyone"], ["anybody"], ["everyone"], ["everybody"], ["whoever"]) and (
        len(clause) > 1
    ):
        return True  # "anyone running a care home should be in no doubt…": anyone at all
    return _people_head_of(clause) and bool(after) and _public_deed(after, s, m)


def _public_deed(after: list[tuple[str, int, int]], s: str, m: re.Match[str] | None) -> bool:
    """The verb after the modal is something the public does ("contact", "speak", "use"),
    also after "continue to" ("…should continue to attend their appointments")."""
    if after[0][0] == "continue" and m is not None:
        more = [t for t, _, _ in _tokens_after(s, m.end(), 3)]
        return len(more) == 3 and more[1] == "to" and more[2] in _PUBLIC_DEEDS | {"attend"}
    return after[0][0] in _PUBLIC_DEEDS


def _other_body(s: str, m: re.Match[str], clause: list[str]) -> bool:
    """ "NHS England should make sure that patients continue to receive services…", "the
    government needs to set out…", "commissioners should pay rates…", "integrated care systems
    should…", "other hospitals in the region should…", "Devon County Council and NHS Devon
    needed to…": the subject is another body, or other providers, whose duties are not this
    plan's (not "Commissioners and the provider needed to…", which names this one)."""
    words = [t for t in clause if t not in SKIP_BEFORE_KEYWORD]
    if "that" in words[:5]:
        words = words[words.index("that") + 1 :]  # "She added that other hospitals…"
    if words[:1] == ["other"] and len(words) >= 2 and _norm_tok(words[1]) in _OTHER_PROVIDERS:
        return True
    lead = s[max(0, m.start() - 120) : m.start()]
    np = _OTHER_BODY_NP_RE.search(lead)
    return np is not None and not _THIS_PROVIDER_IN_RE.search(np.group(0))


_OTHER_PROVIDERS = frozenset("hospitals trusts providers services homes practices".split())
# The subject, right before the modal, is another body by its name: "NHS England", "the
# government", "commissioners", "integrated care systems/boards", "Devon County Council (and
# NHS Devon)".
_OTHER_BODY_NP_RE = re.compile(
    r"(?:^|[.;:]\s+|,\s+(?:and|but)\s+|\b(?:said|says|added|recommends|recommended)\s+(?:that\s+)?)"
    r"(?:[Tt]he\s+)?(?:(?:NHS\s+England|NHS\s+Improvement|[Gg]overnment|[Cc]ommissioners|"
    r"[Ii]ntegrated\s+care\s+(?:systems?|boards?)|(?:[A-Z][a-z]+\s+){1,3}(?:County|City|Borough|District)\s+"
    r"Council|NHS\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:\s+and\s+)?){1,3}\s*"
    r"(?:(?:will|would|also|now|still|urgently)\s+)*$",
)
_THIS_PROVIDER_IN_RE = re.compile(r"\b(?:provider|trust|practice|home|service)\b", re.I)


def _people_head_of(clause: list[str]) -> bool:
    """The clause opens with a people noun phrase: "(Some) people who …", "Patients on …"."""
    i = 0
    while i < len(clause) and (clause[i] in NOUN_DETERMINERS or clause[i] in NOUN_MODIFIERS):
        i += 1
    if clause[i : i + 4] == ["members", "of", "the", "public"]:
        return True  # "Members of the public who are worried…"
    if i >= len(clause) or clause[i] not in PEOPLE_SUBJECTS or clause[i] in ("who", "whom"):
        return False
    return i + 1 < len(clause) and clause[i + 1] in PEOPLE_POSTMODIFIERS


def _reporter(clause: list[str]) -> str | None:
    """For "<reporter> told us (that) they need…", the reporter's head word, else None.

    None too when the reporter's words include the people using the service or the
    regulator ("People we spoke with told us they needed…"): the pronoun stays theirs.
    """
    if not clause or clause[-1] not in CONTACT_PRONOUNS:
        return None
    i = len(clause) - 2
    if i >= 0 and clause[i] == "that":
        i -= 1
    if i >= 0 and clause[i] in ("us", "me", "inspectors"):
        i -= 1
    if i < 1 or clause[i] not in REPORTING_VERBS:
        return None
    lead = clause[:i]
    while lead and lead[-1] in SKIP_BEFORE_KEYWORD:
        lead = lead[:-1]
    if len(lead) >= 3 and lead[-1] in CONTACT_PRONOUNS and lead[-1] != "you":
        # "Leaders told us they knew they needed to…": the second speaker is the first,
        # reported, when that is one who runs the service (staff who "felt they needed…"
        # stay staff, as the reported-speech convention reads them)
        inner = _reporter(lead)
        return inner if inner in LEADERSHIP_REPORTERS else None
    if lead[-2:] in (["nominated", "individual"], ["registered", "person"]):
        return "manager"  # "The nominated individual told us they needed…": the provider's
    if not lead or any(t in PEOPLE_SUBJECTS or t in REGULATOR_SUBJECTS for t in lead):
        return None
    return _norm_tok(lead[-1])


def _floor_staff(word: str | None, clause: list[str]) -> bool:
    """Is the reporter's head a member of staff, in the plural ("Staff told us they…",
    "Nurses told us…") or the singular ("The housekeeper told us she needed to cover laundry
    duties…": one of them speaking of her own work)? Not one who runs the service ("The
    principal dentist told us they needed to…")."""
    if word is None:
        return False
    if word in STAFF_REPORTERS:
        return True
    plural = word[:-2] + "ves" if word.endswith("fe") else word + "s"
    if plural not in STAFF_REPORTERS or word not in clause:
        return False
    at = clause.index(word)
    return not (at and clause[at - 1] in SENIOR_MODIFIERS)


def _their_record_speaks_of_them(s: str, clause: list[str]) -> bool:
    """ "Four people had been assessed as being at high risk…, and their care plans said they
    needed to be repositioned every two hours": the reporter is theirs ("their care plans")
    and the reported "they" is the same "they", so when the sentence opens with the people
    using the service it is their need, not the provider's."""
    if not clause or clause[-1] not in ("they", "he", "she") or _reporter(clause) is None:
        return False
    at = max(i for i, t in enumerate(clause) if t in REPORTING_VERBS)
    lead = clause[:at]
    owner = {"they": "their", "he": "his", "she": "her"}[clause[-1]]
    if owner not in lead[-4:]:
        return False
    # "…, and their care plan still said they needed the help of one member of staff": a
    # person's own record says what that person needs
    return _sentence_subject(s) in PEOPLE_SUBJECTS or any(t in _CARE_RECORDS for t in lead[-3:])


# The records kept about one person, which say what that person needs.
_CARE_RECORDS = frozenset("plan plans record records assessment assessments notes".split())


def _reporter_head(clause: list[str]) -> str | None:
    """For "Staff in some teams told us they…", the head of the reporter's noun phrase
    ("staff"), which is its first noun, not its last word."""
    if _reporter(clause) is None:
        return None
    for t in clause:
        if t in NOUN_DETERMINERS or t in NOUN_MODIFIERS or t in NURSING_WORDS:
            continue
        return _norm_tok(t)
    return None


_NO_ONE = frozenset("no nobody none no-one noone".split())


def _negated_subject(s: str, trig: _Trigger) -> bool:
    """The need's subject is nothing and nobody: "No action was needed", "No further action
    needs to be taken", "Nobody needed to be restrained". (A must with such a subject is a
    prohibition, and stays: "No patient must be discharged without a plan".)"""
    clause = _clause_before(_tokens_before(s, trig.key_start))
    return bool(clause) and clause[0] in _NO_ONE


def _object_gap(s: str, end: int) -> bool:
    """The verb after the modal at ``end`` has no object of its own: "…the improvements they
    must make." (what they must make is the noun before), not "…the staff it must employ
    have the skills…" (one word, then a new verb) or "…it must make sure…"."""
    after = _tokens_after(s, end, 3)
    if not after or not after[0][0].isalpha():
        return False
    rest = after[1:2]
    return not rest or rest[0][0] in _AFTER_GAP


# What may follow a verb whose object has moved to the noun before: an end, a conjunction, a
# preposition of time, or the main clause's own verb ("the action the provider must take are
# in the report").
_AFTER_GAP = frozenset(". , ; and but or at by before is are was were has have".split())


def _noun_relative(clause: list[str]) -> bool:
    """ "the action the provider must take": a relative clause with no "that", its subject
    the provider, on a noun with its own determiner."""
    if len(clause) < 4 or clause[-2] != "the" or _norm_tok(clause[-1]) not in PROVIDER_SUBJECTS:
        return False
    noun, det = clause[-3], clause[-4]
    return (
        noun.isalpha()
        and noun not in _BE_WORDS
        and noun not in REPORTING_VERBS
        and det in NOUN_DETERMINERS
        and det != "no"
    )


def _contact_relative(clause: list[str]) -> bool:
    """ "the information it needed", "the support they need": a "that"-less relative clause."""
    toks = list(clause)
    while toks and toks[-1] in SKIP_BEFORE_KEYWORD:
        toks.pop()
    if len(toks) < 3 or toks[-1] not in CONTACT_PRONOUNS:
        return False
    if (
        len(toks) >= 6
        and toks[-2] in ("it", "them")
        and toks[-3] in ("told", "asked")
        and toks[-4] in REGULATOR_SUBJECTS
        and toks[-6] in NOUN_DETERMINERS
    ):
        return True  # "…the improvements we told it it must make": the told thing is the noun
    for n in (1, 2):
        if len(toks) < n + 2:
            break
        det = toks[-2 - n]
        words = toks[-1 - n : -1]
        if det not in NOUN_DETERMINERS or det in ("no",):
            continue
        if any(w in REPORTING_VERBS or w in _BE_WORDS or not w[0].isalpha() for w in words):
            continue
        if len(toks) > n + 2 and toks[-3 - n] in REPORTING_VERBS:
            continue  # "We told the trust it needed to…"
        return True
    return False


_TELLING_VERBS = frozenset("told tell tells shown showed informed advised".split())


def _told_provider(clause: list[str], idx: int) -> bool:
    """ "We have told the provider where it needs to…": an embedded question that the
    regulator put to the provider (what it needs to do), not a circumstance ("where needed")."""
    if idx < 2 or clause[idx - 1] not in PROVIDER_SUBJECTS:
        return False
    lead = clause[: idx - 1]
    return bool(lead) and lead[0] in REGULATOR_SUBJECTS and any(w in _TELLING_VERBS for w in lead)


def _sentence_subject(s: str) -> str | None:
    """The head noun of the noun phrase a sentence opens with ("Care plans were…" ->
    "plans"), or None when it does not open with one."""
    head = None
    for m in _TOKEN_RE.finditer(s, 0, min(len(s), 120)):
        t = m.group(0).lower()
        if not t[0].isalpha() or t in _BE_WORDS or t in ("had", "has", "have"):
            break
        if t in SKIP_BEFORE_KEYWORD or t in BOUNDARY_WORDS or t in SUBORDINATORS:
            break
        if t in NOUN_DETERMINERS and head is None:
            continue
        head = _norm_tok(t)
    return head


def _reported_subject(s: str) -> str | None:
    """The head of the subject of the clause reported after a sentence's first verb of
    saying ("Professor Baker said the trust's leaders had…" -> "leaders"), or None."""
    for m in _TOKEN_RE.finditer(s, 0, min(len(s), 120)):
        if m.group(0).lower() in _SAYING_VERBS:
            rest = s[m.end() :]
            rest = re.sub(r"^\s*(?:(?:us|me|inspectors)\s+)?(?:that\s+)?", "", rest, flags=re.I)
            return _sentence_subject(rest)
    return None


def _people_report(s: str) -> bool:
    """The words before the sentence's first verb of saying name the people using the
    service ("Young people told us…")."""
    for m in _TOKEN_RE.finditer(s, 0, min(len(s), 120)):
        t = m.group(0).lower()
        if t in _SAYING_VERBS:
            return False
        if t in PEOPLE_NOUNS:
            return True
    return False


def _blocking_subject(
    s: str, clause: list[str], head: str | None, *, opens_sentence: bool
) -> tuple[list[str], str | None]:
    """ "Care plans were personalised, but they needed updating": a "they" that opens a
    coordinated clause is the sentence's opening subject, so it is the care plans (not
    people) that needed updating. Otherwise the clause and head as they are."""
    words = [t for t in clause if t not in SKIP_BEFORE_KEYWORD]
    if head == "they" and words == ["that", "they"] and not opens_sentence:
        # "He said the trust's leaders had recognised the challenges, and that they needed
        # to…": a second reported clause, whose "they" is the first reported clause's subject
        ante = _reported_subject(s)
        if (
            ante is not None
            and ante not in PEOPLE_SUBJECTS
            and ante not in REGULATOR_SUBJECTS
            and not _people_report(s)  # "Young people told us…, and that they…": theirs
        ):
            return [ante], ante
        return clause, head
    said_words = [t for t in words if t not in ("us", "me", "inspectors", "that")]
    if (
        head in CONTACT_PRONOUNS
        and len(said_words) == 2
        and said_words[0] in REPORTING_VERBS
        and said_words[1] == head
        and words[0] == said_words[0]
        and not opens_sentence
    ):
        # "The branch manager acknowledged that the schedule had slipped and said she needed
        # to recruit…": a predicate of saying joined by "and" has the sentence's subject, so
        # the pronoun after it is that speaker (unless the speaker is the people using the
        # service, the regulator or staff on the floor)
        speaker = _opening_speaker(s)
        if (
            speaker is not None
            and speaker not in PEOPLE_SUBJECTS
            and speaker not in REGULATOR_SUBJECTS
            and speaker not in STAFF_REPORTERS
        ):
            return [speaker], speaker
        return clause, head
    if (
        head in CONTACT_PRONOUNS
        and not opens_sentence
        and len(said_words) == 3
        and said_words[0] in ("they", "he", "she")
        and said_words[1] in REPORTING_VERBS
        and said_words[2] == head
        and words[0] == said_words[0]
    ):
        # "Staff knew what they should do…, but they told us they needed more training": the
        # pronoun that opens a coordinated clause of saying is the sentence's opening subject,
        # so the speaker is that subject (staff, a manager, the trust), not the people using
        # the service; what the speaker reports is then judged as theirs
        speaker = _opening_speaker(s) or _sentence_subject(s)
        if speaker in _RESOLVABLE_SPEAKERS:
            return [speaker, *words[1:]], head
        return clause, head
    if head != "they" or words != ["they"] or opens_sentence:
        return clause, head
    ante = _sentence_subject(s)
    if ante is None or ante in PEOPLE_SUBJECTS or ante in REGULATOR_SUBJECTS:
        return clause, head
    return [ante], ante


_NOT_IN_SUBJECT = frozenset("and but or had has have that who which we".split())
# The heads a pronoun opening a coordinated clause of saying is resolved to: the provider's
# people and the provider itself.
_RESOLVABLE_SPEAKERS = STAFF_REPORTERS | LEADERSHIP_REPORTERS | PROVIDER_SUBJECTS - {"it"}


_WE_SPOKE_WITH_RE = re.compile(
    r"(?<=\w)\s+(?:(?:who|that|whom)\s+)?(?:we|inspectors)\s+(?:spoke|talked)\s+(?:with|to)\b",
    re.I,
)


def _opening_speaker(s: str) -> str | None:
    """The head of a sentence's opening noun phrase when a verb of saying or knowing follows
    it ("The branch manager acknowledged…" -> "manager"), else None."""
    head = None
    # ("Prisoners we spoke with said…": the contact clause is not the speaker's name)
    s = _WE_SPOKE_WITH_RE.sub("", s[:120], count=1)
    for n, m in enumerate(_TOKEN_RE.finditer(s, 0, min(len(s), 80))):
        t = m.group(0).lower()
        if t in REPORTING_VERBS:
            return head
        if n > 4 or not t.isalpha() or t in _BE_WORDS or t in _NOT_IN_SUBJECT:
            return None
        if t in NOUN_DETERMINERS and head is None:
            continue
        head = _norm_tok(t)
    return None


# Before "carers", these make them family or unpaid carers, whatever reports them.
_FAMILY_CARER_WORDS = frozenset("family unpaid young informal their his her".split())


def _paid_carers(clause: list[str], head: str | None) -> bool:
    """ "Relatives told us carers needed to be more consistent": when the people using the
    service or their families report what "carers" need to do, the carers are not the
    speakers themselves (they would say "we" or "they") but the care workers who visit them,
    the provider's staff. Not "family carers", nor "their carers" (whose they are is open)."""
    if head not in ("carer", "carers") or not clause or _norm_tok(clause[-1]) != head:
        return False
    if len(clause) >= 2 and clause[-2] in _FAMILY_CARER_WORDS:
        return False
    verbs = [i for i, t in enumerate(clause[:-1]) if t in REPORTING_VERBS]
    if not verbs:
        return False
    lead = clause[: verbs[0]]
    return any(t in PEOPLE_NOUNS for t in lead) and not any(t in ("carer", "carers") for t in lead)


def _subject_blocked(clause: list[str], head: str | None, *, people: bool) -> bool:
    """True when the subject is the regulator (or, for need, the people using services)."""
    if head in REGULATOR_SUBJECTS or _unregistered_partner(clause, head):
        return True
    if (
        people
        and head in ("person", "individual")
        and clause[-2:-1]
        in (
            ["registered"],
            ["nominated"],
        )
    ):
        return False  # "the registered person", "the nominated individual": the provider
    if people and head in PEOPLE_SUBJECTS:
        np_head = _head_before_preposition(clause)
        if np_head is not None:
            head = np_head  # "Oversight by the nominated individual needed to improve"
    if people and head in CONTACT_PRONOUNS:
        if _contact_relative(clause):
            return True
        head = _reporter(clause) or head
    if people and head in PEOPLE_SUBJECTS and not _paid_carers(clause, head):
        return True
    if people and _people_head_of(clause):
        return True
    if people:
        for idx, t in enumerate(clause):
            if t in SUBORDINATORS:
                if _told_provider(clause, idx):
                    continue  # "We have told the provider where it needs to improve X"
                return True
            if t == "as" and len(clause) - idx <= AS_WINDOW:
                before = clause[idx - 1] if idx else ""
                if before not in ("such", "well"):
                    return True
    if head is not None and (head in NEGATIONS or head.endswith("n't")):
        return True
    if head == "longer" and len(clause) >= 2 and clause[-2] == "no":
        return True  # "…and that it no longer needed to be in special measures"
    return False


_NP_PREPOSITIONS = frozenset("by of for from with".split())


def _head_before_preposition(clause: list[str]) -> str | None:
    """ "oversight by the nominated individual": when the clause is a noun phrase whose head
    comes before a preposition, that head (not a quantifier: "some of the people")."""
    for i, t in enumerate(clause[:4]):
        if t in _NP_PREPOSITIONS:
            lead = [w for w in clause[:i] if w not in NOUN_DETERMINERS]
            if (
                len(lead) == 1
                and lead[0].isalpha()
                and lead[0] not in COUNT_WORDS
                and lead[0] not in PEOPLE_SUBJECTS
                and lead[0] not in CONTACT_PRONOUNS
                and lead[0] not in ("none", "each", "either", "neither", "any")
            ):
                return lead[0]
            return None
    return None


# "…the manager had acted on their suggestion that the night staff needed a second hoist":
# the need is the content of something already acted on.
_ACTED_ON_RE = re.compile(
    r"\bhad\s+(?:already\s+)?(?:acted\s+on|responded\s+to|addressed|dealt\s+with)\s+"
    r"(?:[\w’'-]+\s+){0,3}?(?:suggestions?|concerns?|requests?|feedback|views?|complaints?)"
    r"\s+that\b[^.;]*$",
    re.I,
)


def _known_which(clause: list[str]) -> bool:
    """ "Staff knew which patients needed…", "Leaders decided which wards needed more staff":
    a wh-word after a verb of knowing or deciding, then at most two words of its subject,
    opens an embedded question before the need."""
    for back in (1, 2, 3):
        if len(clause) <= back or clause[-back] not in WH_OPENERS:
            continue
        subject = clause[len(clause) - back + 1 :]
        return all(w.isalpha() for w in subject) and clause[-back - 1] in KNOWING_VERBS
    return False


def _classify_need(s: str, m: re.Match[str]) -> _Trigger | None:
    """Is this need/needs/needed/needing a requirement? Returns the trigger or None."""
    word = m.group("need").lower()
    ks, ke = m.start(), m.end()
    if _ACTED_ON_RE.search(s, 0, ks):
        return None
    before = _tokens_before(s, ks)
    after = _tokens_after(s, ke)
    clause = _clause_before(before)
    head = _head(clause)
    prev = clause[-1] if clause else None
    nxt = after[0][0] if after else None
    if nxt == "-" or (before and before[-1][0] == "-"):
        return None  # "needs-led", "high-needs"
    if prev in HEDGING_MODALS or (
        prev in _ADVERBISH | {"well"} and len(clause) > 1 and clause[-2] in HEDGING_MODALS
    ):
        return None  # "The practice may need to ask…", "might well need to": a possibility
        # the writer raises, hedged, not something the provider has to do
    if _stopgap_until(s, clause, ke):
        return None  # "…would still need to rely on bank staff until the autumn"
    bclause, bhead = _blocking_subject(
        s, clause, head, opens_sentence=len(clause) == len(before)
    )  # who the subject is, for blocking
    if _their_record_speaks_of_them(s, clause):
        return None  # "Four people…, and their care plans said they needed to be repositioned"
    if _known_which(clause):
        return None  # "…they knew which symptoms needed to be escalated at once": what
        # someone knows, an embedded question, not a need found
    if (
        word == "needed"
        and prev == "had"
        and (not any(t in REPORTING_VERBS for t in clause) or _over_a_past_span(s, ke))
    ):
        return None  # "During the winter of 2018 the hospital had needed to close 6 beds": the
        # past perfect puts the need before the time the report tells of, a circumstance (in
        # reported speech it is the speaker's "needed", shifted back: "she had needed to…")

    if word == "needing":
        # "people with complex needs needing two staff": who is needing is nearby
        if any(t in PEOPLE_SUBJECTS for t in clause[-NEEDING_WINDOW:]):
            return None
        if len(clause) == len(before) and not any(
            t in _BE_WORDS or t in ("had", "has", "have") for t in clause
        ):
            return None  # in the opening noun phrase: "Managers needing advice did not…"
        if _subject_blocked(bclause, bhead, people=True):
            return None
        return _Trigger("needs", "needing", ks, ke, ks, ke)

    if word == "need" and prev == "in" and nxt == "of":
        # "the laundry room was in need of repair" (but not "children in need of protection")
        if any(t in PEOPLE_SUBJECTS for t in clause[-NEEDING_WINDOW:]):
            return None
        if _subject_blocked(clause[:-1], _head(clause[:-1]), people=True):
            return None
        return _Trigger("needs", "in_need_of", before[-1][1], after[0][2], ks, ke)

    verb = after[1][0] if nxt == "to" and len(after) > 1 else None
    if nxt == "to" and (verb is None or not verb[0].isalpha()):
        return None
    if nxt == "to" and verb not in NOT_INFINITIVE:
        if (
            word != "needed"
            and prev is not None
            and (prev in NOUN_DETERMINERS or _is_possessive(prev))
        ):
            return None  # "the need to improve", "their need to" (but "these needed to be…")
        if word == "needed" and prev in RESOURCE_NOUNS and verb != "be":
            # "the support needed to improve care"; but a resource noun opening a sentence or
            # a clause is the subject: "…, but staff needed to record observations"
            opener = (
                len(before) < 2
                or before[-2][0] in CLAUSE_OPENERS
                # the noun phrase opens the sentence: "Ward staff needed to complete…"
                or (
                    len(clause) == len(before) <= 3
                    and clause[0] not in NOUN_DETERMINERS
                    and clause[0] in NOUN_MODIFIERS | NURSING_WORDS | COUNT_WORDS
                )
                # …or the clause a verb of finding opens: "Records showed that four staff
                # needed to complete training"
                or _complement_subject(clause)
            )
            if not opener:
                return None
        if (
            word == "needed"
            and verb != "be"
            and (_object_participle(clause) or _coordinated_object(before))
        ):
            return None  # "staff did not have the information needed to support people"
        if _subject_blocked(bclause, bhead, people=True):
            return None
        if _floor_staff(_reporter(bclause), bclause) or _floor_staff(
            _reporter_head(bclause), bclause
        ):
            return None  # "Staff told us they need to ask…": what staff say they do
        reporter = _reporter(bclause)
        if _floor_voices(clause, reporter):
            return None  # "Care coordinators said they needed to see people more often": a
            # group of staff (not its leaders) tells how they work, as "Staff told us they
            # needed to…" does
        if (
            reporter is not None
            and reporter not in LEADERSHIP_REPORTERS
            and reporter not in ORGANISATION_WORDS  # "The trust has acknowledged that it
            # needs to…, when…": the provider itself speaking, not a member of staff's routine
            and _ROUTINE_RE.match(s, after[0][2])
        ):
            return None  # "The clinical navigator told us he needed to ring patients back
            # when their wait went over 2 hours": what a member of staff does each time
            # something happens is how the work is done, not something to put right
        if (
            _staff_account(s)
            and head not in ORGANISATION_WORDS
            and not _reported_thing_subject(clause)
            and not any(t in ("and", "but", ";") for t, _, _ in before)
        ):
            return None  # "Staff said this was because the surgeon needed to leave…"
        if _staff_account(s) and _shares_reported_subject(before, clause):
            return None  # "Staff told us they had not been shown how…, and needed to learn…"
        if verb != "be" and _REFLEXIVE_WORK_RE.match(s, ke):
            return None  # "…she needed to complete the audits herself because the post was
            # vacant": what the speaker does in someone's place, her own work
        if word == "needed" and verb != "be" and _reduced_relative(s, after, clause, before):
            return None  # "Information needed to plan care was not always available": the
            # noun phrase "information needed to plan care" is the subject of "was"
        kind = "to_passive" if verb == "be" else "to_active"
        return _Trigger("needs", kind, ks, after[0][2], ks, ke)

    if (
        word == "needed"
        and prev in _BE_WORDS
        or (word == "needed" and prev in _ADVERBISH and len(clause) > 1 and clause[-2] in _BE_WORDS)
    ):
        if _subject_blocked(bclause, None if bhead == head else bhead, people=True):
            return None
        if (
            _FOR_EVERY_RE.match(s, ke)
            and any(t in REPORTING_VERBS for t in clause)
            and not _BUT_AFTER_RE.match(s, ke)
        ):
            return None  # "…the theatre manager told us that the second scrub nurse was
            # needed for every procedure lasting more than two hours": reported, a need that
            # holds for every occasion of a kind is how the work is staffed, a standing rule
        be_at = len(clause) - 1 if prev in _BE_WORDS else len(clause) - 2
        be_tok = before[len(before) - (len(clause) - be_at)]
        return _Trigger("needs", "be_needed", be_tok[1], ke, ks, ke)

    # bare verb with an object: "The trust needs an engagement plan"
    # "needed at least four more nurses": a numeral's "at least" opens the object
    at_least = nxt == "at" and len(after) > 1 and after[1][0] in ("least", "most")
    if nxt is None or (nxt in NOUN_FOLLOWERS and not at_least):
        return None
    if not (
        at_least
        or nxt in OBJECT_STARTERS
        or nxt in OBJECT_NOUNS
        or nxt.endswith("ing")
        or nxt in COUNT_WORDS  # a numeral opens the object: "needed two more nurses"
        or nxt.isdigit()
        or _participle_adjective_object(word, after, clause)
    ):
        return None
    if prev is None:
        # "The arrangements were new and needed further development": the subject is
        # shared with the clause before "and"/"but", which must have a verb of its own
        # (so "people's wishes and needs more…" stays a noun).
        if not before or before[-1][0] not in ("and", "but"):
            return None  # sentence-initial "Needs …" is a noun
        earlier = _clause_before(before[:-1])
        if not any(t in _BE_WORDS or t in ("had", "has", "have") for t in earlier):
            return None
        lead = [t for t in earlier if t not in NOUN_DETERMINERS and t not in NOUN_MODIFIERS]
        if _subject_blocked(earlier, None, people=True) or (lead and lead[0] in PEOPLE_SUBJECTS):
            return None  # "The patients we spoke with were positive and needed more time"
        return _Trigger("needs", "verb_object", ks, ke, ks, ke)
    if (
        word == "needed"
        and (
            prev in _DEMONSTRATIVES or (prev in PART_QUANTIFIERS and _things_opened(clause, before))
        )
        and (len(before) < 2 or before[-2][0] in CLAUSE_OPENERS or before[-2][0] == "and")
    ):
        # a demonstrative opening its clause is the subject, standing for what the clause
        # before named: "…had some systems to monitor quality, but these needed strengthening"
        if _subject_blocked(bclause, bhead, people=True):
            return None
        return _Trigger("needs", "verb_object", ks, ke, ks, ke)
    if prev in ("that", "which") and len(before) > 1 and before[-2][0] in VAGUE_ANTECEDENTS:
        return None  # "The manager was aware of the areas that needed improvement": the
        # relative clause names nothing to do, only that there were such areas
    if prev in NOUN_DETERMINERS or _is_possessive(prev) or prev in NOUN_MODIFIERS:
        return None
    if word in ("need", "needs") and (prev.endswith("ing") or prev.endswith("ed")):
        return None  # "changing needs", "assessed needs"
    if word == "needed" and prev in NOUN_DETERMINERS:
        return None
    if _subject_blocked(bclause, bhead, people=True):
        return None
    return _Trigger("needs", "verb_object", ks, ke, ks, ke)


def _things_opened(clause: list[str], before: list[tuple[str, int, int]]) -> bool:
    """The sentence opens with a plural noun phrase naming things or the provider's staff, not
    the people using the service, that "some" can stand for: its head is the last word before
    the first verb ("People's care plans did not…", "Several fire doors were…")."""
    words = [t for t, _, _ in before[:12] if t[0].isalnum()]
    verbs = _BE_WORDS | {"did", "had", "has", "have", "do", "does"}
    at = next((i for i, w in enumerate(words) if w in verbs), None)
    if not at:
        return False
    head = words[at - 1]
    plural = head == "staff" or (head.endswith("s") and not head.endswith("ss"))
    return plural and head not in PEOPLE_SUBJECTS and bool(clause)


def _reduced_relative(
    s: str, after: list[tuple[str, int, int]], clause: list[str], before: list[tuple[str, int, int]]
) -> bool:
    """ "The changes needed to meet the standard were identified in the action plan": "needed"
    after a noun phrase opening the sentence, its infinitive phrase followed, in the same
    clause, by the sentence's own "was/were" (so the phrase up to there is one subject, and
    "needed" a participle in it), unless the infinitive takes a clause that "was" may belong
    to ("needed to ensure the records were accurate")."""
    if len(clause) != len(before) or not 1 <= len(clause) <= 6:
        return False
    if clause[-1] not in RESOURCE_NOUNS and clause[-1] not in DEED_NOUNS:
        return False  # who or what needs ("Leaders needed to improve the way incidents were
        # reviewed"): the main verb, whatever "was" comes later in an embedded clause
    if any(t in _BE_WORDS or t in ("had", "has", "have", "did", "do", "does") for t in clause):
        return False
    if clause[0] in ("they", "it", "he", "she", "we", "this", "these", "there"):
        return False
    if len(after) < 2 or after[1][0] in CLAUSE_VERBS_BASE:
        return False
    for tok, _, _ in _tokens_after(s, after[1][2], 12):
        if not tok[0].isalnum() or tok in ENDS_NOUN_PHRASE:
            return False
        if tok in MAIN_BE:
            return True
    return False


def _floor_voices(clause: list[str], reporter: str | None) -> bool:
    """ "Care coordinators said they…": the reporter is a plural naming people who work
    there (a group speaking of its own work), not its leaders, the organisation, a class of
    providers or the regulator. (The people using the service are never reporters here.)"""
    if reporter is None or not reporter.endswith("s") or reporter.endswith("ss"):
        return False
    if reporter in _BE_WORDS or reporter in ("has", "does", "was"):
        return False  # "The registered manager was aware they…": a verb, not the reporter
    return not (
        reporter in LEADERSHIP_REPORTERS
        or reporter in ORGANISATION_WORDS
        or reporter in GENERAL_SUBJECTS
        or reporter in REGULATOR_SUBJECTS
    )


# "…was needed for every procedure lasting…", "…for each patient who…": every occasion of a
# kind, named by a noun with a participle or a relative after it.
_FOR_EVERY_RE = re.compile(
    r"\s+(?:for|on|in|at)\s+(?:every|each|all)\s+(?:[\w’'-]+\s+){1,2}?"
    r"(?:[a-z]+ing|[a-z]+ed|who|that|which|with|of|from)\b",
    re.I,
)
_BUT_AFTER_RE = re.compile(
    r"[^.;]*?\b(?:but|however|although)\b"
    # …or a failure said of it ("…, and this was not always provided")
    r"|[^.;]*?\b(?:was|were|had|has|did|is|are)\s+not\b|[^.;]*?\bnever\b",
    re.I,
)
# After a reported "they needed to <do>", in the same clause: each time something happens
# ("when the queue was long", "whenever a dose changed", "each time", "if a fridge failed").
_ROUTINE_RE = re.compile(
    r"[^,;.:]*?\b(?:when|whenever|each\s+time|every\s+time|if)\s+(?!to\b)[\w’'-]+", re.I
)


# After "needed to", the infinitive's phrase ends on a reflexive before any clause boundary:
# the one who needed to do it does it themself ("…needed to complete the audits herself").
_REFLEXIVE_WORK_RE = re.compile(
    r"\s+to\s+[\w’'-]+\s+(?!(?:herself|himself|themselves|themself|myself|ourselves|itself)\b)"
    r"[^,;.]*?\b(?:herself|himself|themselves|themself|myself|ourselves)\b",
    re.I,
)
# (a reflexive straight after the verb is its object, not the doer: "Leaders need to satisfy
# themselves that the data is accurate")


_AFTER_A_VERB = frozenset(
    "a an the this that these those to in on at by for from with of and or but as it".split()
)


def _participle_adjective_object(
    word: str, after: list[tuple[str, int, int]], clause: list[str]
) -> bool:
    """ "Staff told us the ward needed protected mealtimes…": in a reported clause whose
    subject is a thing of the service (or a personal pronoun), "needed" + a participle used
    as an adjective + a noun is a verb and its object ("protected mealtimes"); a participle
    followed by a determiner or preposition is a verb of its own ("the changes needed
    included a…")."""
    if word != "needed" or len(after) < 2:
        return False
    adjective, noun = after[0][0], after[1][0]
    return (
        adjective.endswith("ed")
        and noun.isalpha()
        and noun not in _AFTER_A_VERB
        and noun not in _BE_WORDS
        and (_reported_thing_subject(clause) or _pronoun_subject(clause))
    )


_SUBJECT_PRONOUNS = frozenset("i we you he she they".split())


def _pronoun_subject(clause: list[str]) -> bool:
    """ "…told us she needed protected time to carry out audits": right after a personal
    pronoun, "needed" is the pronoun's verb (a participle modifies a noun, never "she"), so
    a participle after it is an adjective on its object."""
    return bool(clause) and clause[-1] in _SUBJECT_PRONOUNS


def _complement_subject(clause: list[str]) -> bool:
    """ "…showed that four staff": the last words of the clause are a short noun phrase that
    opens a "that" clause after a verb of finding, so they are its subject."""
    for i in range(len(clause) - 1, 0, -1):
        if clause[i] == "that":
            phrase = clause[i + 1 :]
            return (
                clause[i - 1] in CLAUSE_TAKING_VERBS
                and 1 <= len(phrase) <= 3
                and all(
                    t in NOUN_DETERMINERS
                    or t in NOUN_MODIFIERS
                    or t in NURSING_WORDS
                    or t in COUNT_WORDS
                    or t.isdigit()
                    for t in phrase[:-1]
                )
            )
    return False


def _shares_reported_subject(before: list[tuple[str, int, int]], clause: list[str]) -> bool:
    """The need is a predicate coordinated by "and" with no subject of its own, so its
    subject is that of the reported clause before it ("they" in "Staff told us they had not
    been shown how…, and needed to learn from each other")."""
    if not before or before[-1][0] not in ("and", "or"):
        return False
    return not [t for t in clause if t not in SKIP_BEFORE_KEYWORD]


def _reported_thing_subject(clause: list[str]) -> bool:
    """ "Staff told us the discharge process needed to be quicker": the reported clause's
    subject, right after the verb of saying, is a thing of the service (not a person, not
    the staff themselves), so staff are reporting a gap in the service, not their own work."""
    for i, t in enumerate(clause):
        if t in _SAYING_VERBS:
            rest = [w for w in clause[i + 1 :] if w not in ("us", "me", "inspectors")]
            if rest[:1] == ["that"]:
                rest = rest[1:]
            if len(rest) < 2 or not (rest[0] in ("the", "its", "their") or _is_possessive(rest[0])):
                return False
            head = _norm_tok(rest[-1])
            people = PEOPLE_SUBJECTS | _SUBJECT_NOUNS | PROFESSION_SUBJECTS
            return (
                all(w[0].isalpha() for w in rest)
                and head not in people
                and head + "s" not in people  # "the surgeon", "the nurse"
                and not _is_possessive(head)
            )
    return False


def _staff_account(s: str, *, in_charge: bool = False) -> bool:
    """The sentence is staff's own account ("Staff said this was because the surgeon needed
    to leave theatre…"): it opens with a staff noun phrase and a verb of saying. With
    ``in_charge`` the noun may be followed by "in charge" ("The nurse in charge told us…")."""
    toks = [m.group(0).lower() for m in _TOKEN_RE.finditer(s, 0, min(len(s), 60))][:6]
    for i, t in enumerate(toks[: 5 if in_charge else 3]):
        if t in _SAYING_VERBS:
            if in_charge and i > 2 and toks[i - 2 : i] == ["in", "charge"]:
                # the one in charge of a shift: "nurse" stands for "nurses" here
                return toks[i - 3] in STAFF_REPORTERS or f"{toks[i - 3]}s" in STAFF_REPORTERS
            if i > 2:
                return False
            return i > 0 and toks[i - 1] in STAFF_REPORTERS and toks[i - 1] not in COUNT_WORDS
    return False


_SAYING_VERBS = frozenset("said told explained reported stated described".split())


# After a rule staff report, "but" and a clause of its own with no modal: what happened
# instead ("…, but the last meeting had been in November 2017").
_BUT_PRACTICE_RE = re.compile(r",\s*but\s+(?![^.;]*\b(?:must|should|needs?|needed)\b)\w+\s+\w+")


def _reported_rule_not_kept(s: str, m: re.Match[str], clause: list[str]) -> bool:
    """Staff report a rule of their work ("Staff told us they should attend a practice
    meeting every month", "…they must read a person's care plan before their first call")
    and the sentence goes on "but" with what happened instead: the rule found not kept is a
    duty not met, not staff describing their work. A need ("they needed to…") is not a rule,
    and "and" adds to the account ("…, and the duty worker checked…")."""
    if m.group(0).lower() not in ("must", "should"):
        return False
    if _AND_THAT_NOT_RE.match(s, m.end()) and _staff_account(s, in_charge=True):
        # "The nurse in charge told us this should be done every day, and that the night
        # staff had not known it was their task": the same speaker's second clause says the
        # rule was not kept, as a "but" would
        return bool(clause) and clause[-1] in ("they", "staff", "we", "this", "it")
    if not _staff_account(s, in_charge=True):
        return False
    if not clause or not _staff_rule_subject(clause):
        return False
    return bool(_BUT_PRACTICE_RE.search(s, m.end()))


# A second that-clause of the same verb of saying, with a negated verb of its own: ", and that
# the night staff had not known it was their task", ", and that this was not always done".
_AND_THAT_NOT_RE = re.compile(
    r"[^.;]*?,\s*and\s+that\s+[^,.;]*?\b(?:had|has|have|was|were|did|does|is|are)\s+"
    r"(?:not|never)\b",
    re.I,
)


def _reported_burden(s: str, m: re.Match[str], clause: list[str]) -> bool:
    """Someone who works there reports what they "should not have to" do ("Several nurses
    said that they should not have to chase the governance team for the outcome…"): not a
    rule of their work (a rule says what one should do) but a burden the service puts on
    them that ought to go, a gap the provider has to close."""
    after = [t for t, _, _ in _tokens_after(s, m.end(), 3)]
    return after == ["not", "have", "to"] and _reporter(clause) is not None


_RULE_SOURCES_ALT = "|".join(sorted(RULE_SOURCES))
_FRAME_RE = re.compile(
    r"(?:^|[.;:,]\s*)(?:" + "|".join(f.replace(" ", r"\s+") for f in RULE_FRAMES) + r")\b"
    r"[^,;:.]*\b(?:" + _RULE_SOURCES_ALT + r")\b[^,;:.]*,\s*[^,;:]*$",
    re.I,
)
_TRAILING_FRAME_RE = re.compile(
    r"^[^;:]*,\s*according\s+to\b[^,;:]*\b(?:" + _RULE_SOURCES_ALT + r")\b[^,;:]*(?:[.;:]|$)"
    # "…must carry a defibrillator on every vehicle, as the national specification requires."
    r"|^[^;:]*,\s*as\s+[^,;:]{0,80}?\b(?:" + _RULE_SOURCES_ALT + r")\s+(?:\w+\s+)?"
    r"(?:requires?|required|says|said|states?|stated|sets?\s+out|specifie[sd]|recommends?)\b",
    re.I,
)


# The keyword's clause is a second "that"-clause of a verb before it ("…says X must…, and
# that this should…").


def _names_a_rule(words: list[str]) -> bool:
    """A subject that names a rule source ("The Code of Practice", "National guidance"), not
    a person whose job is named after one ("The policy lead")."""
    return any(
        w in RULE_SOURCES and (words[n + 1] if n + 1 < len(words) else "") not in ROLE_NOUNS
        for n, w in enumerate(words)
    )


_AND_THAT_RE = re.compile(r",?\s+(?:and|or)\s+that\s+[^,;:.]*$", re.I)


def _advice_to_people(toks: list[tuple[str, int, int]], clause: list[str]) -> list[str]:
    """The keyword's clause, or, when it is a predicate joined by "and" with no subject of its
    own after advice given to the people using the service ("The leaflet told patients they
    should not drive for a week and must not lift anything heavy"), the clause of that advice,
    so the must is theirs as the should is."""
    elided = _with_elided_subject(toks, clause)
    if elided is clause:
        return clause
    for i, t in enumerate(elided[:-1]):
        if t in _TELLING_VERBS and _norm_tok(elided[i + 1]) in PEOPLE_SUBJECTS:
            return elided
    return clause


# A subject, then its name set off by commas, then the verb of saying: "The Department of
# Health's guidance, Positive and Proactive Care, says that…".
_NAMED_SOURCE_RE = re.compile(
    r"(?:^|[.;:]\s+)(?P<src>[^,;.:]{3,80}),\s*[^,;.:]{2,80},\s*(?:"
    + "|".join(sorted(DESCRIBING_VERBS))
    + r")\b[^,;.:]*$",
    re.I,
)


def _describes_rule(s: str, m: re.Match[str], clause: list[str], *, must: bool) -> bool:
    """The must/need at ``m`` describes a rule (a policy, guidance, the law) or what someone
    said or knew, rather than a finding. See DESCRIBING_VERBS and RULE_SOURCES."""
    for i, t in enumerate(clause[:-1]):
        if t == "clear" and clause[i + 1] == "that" and any(w in RULE_SOURCES for w in clause[:i]):
            return True  # "The guidance is clear that medicines must be stored…", "The
            # trust's policy makes it clear that…": what the rule says, not a finding
    for i, t in enumerate(clause):
        if t not in DESCRIBING_VERBS:
            continue
        if t in PLAIN_DESCRIBING_FORMS and clause[i + 1 : i + 2] != ["that"]:
            continue  # "the state of the kitchen": a noun
        lead = [w for w in clause[:i] if w not in SKIP_BEFORE_KEYWORD]
        if not lead and i == 0:
            named = _NAMED_SOURCE_RE.search(s, 0, m.start())
            if named and _names_a_rule(
                [w.lower() for w in re.findall(r"[\w’'-]+", named.group("src"))]
            ):
                return True  # "The Department of Health's guidance, Positive and Proactive
                # Care, says that staff must not…": the rule source, then its name in commas
            speaker = _coordinated_speaker(s, m, clause)
            if speaker is not None:
                lead = [speaker]  # "Staff knew how to report incidents and told us they must…"
        reporter = _norm_tok(lead[-1]) if lead else None
        if reporter in _BE_WORDS:
            continue  # passive: "The trust was told it must improve…" (by the regulator)
        if any(w in RULE_SOURCES for w in lead):
            return True  # "The trust's policy stated that…", "National guidance says…"
        said = [w for w in clause[i + 1 :] if w not in ("us", "me", "that")]
        if said and _norm_tok(said[-1]) in PROVIDER_SUBJECTS:
            if must and reporter not in REGULATOR_SUBJECTS and _standing(s, m):
                return True  # "The chief executive told us the hospice must always put
                # people first": a principle its leader holds, true at every time, not a gap
            continue  # "The chief executive told us the trust must improve…"
        if must and reporter not in REGULATOR_SUBJECTS and (lead or i):
            return True  # "Staff told us they must…", "Staff knew they must…"
    if and_that := _AND_THAT_RE.search(s, 0, m.start()):
        words = [t.lower() for t in _TOKEN_RE.findall(s[: and_that.start()])]
        verbs = [n for n, t in enumerate(words) if t in DESCRIBING_VERBS]
        # the rule source heads the subject before the verb of saying (not "The policy lead
        # told us …, and that the trust must…": a person)
        if verbs and _names_a_rule(words[: verbs[0]]):
            return True  # "The Code of Practice says patients must be told…, and that this
            # should be repeated at intervals": a second clause of what the rule says
    if must and _FRONTED_REPORT_RE.match(s, 0, m.start()):
        speaker = _opening_speaker(s)
        if speaker is not None and speaker not in REGULATOR_SUBJECTS:
            return True  # "Nurses told us that when a patient needed to be secluded, they must
            # inform the duty doctor": the reported clause, after a condition put first
    lo = max(0, m.start() - RULE_FRAME_WINDOW)
    prefix = s[lo : m.start()]
    if lo:
        prefix = prefix[len(prefix.split(maxsplit=1)[0]) :] if prefix.strip() else ""
    if _FRAME_RE.search(prefix):
        after = _tokens_after(s, m.end(), 2)
        if not (after and after[0][0] in FRAME_EXEMPT_AFTER):
            return True  # "Under the Mental Capacity Act, staff must assess…"
    provider_subject = (
        len(clause) >= 2 and clause[-2] == "the" and _norm_tok(clause[-1]) in PROVIDER_SUBJECTS
    )
    if (
        not provider_subject
        and _TRAILING_FRAME_RE.search(s[m.end() : m.end() + RULE_FRAME_WINDOW])
        # (not what CQC told the provider, giving the guidance as its reason: "We told the
        # practice that it should carry out audits every six months, as national guidance
        # recommends")
        and not _TOLD_OPENING_PLAIN_RE.match(s)
    ):
        if _own_rule_not_kept(s, m):
            return False
        return True  # "Midwives must complete …, according to the trust's training policy."
    return False


# A verb of saying, then a condition or a time put first in the reported clause, then that
# clause's subject, a personal pronoun, right before the modal: "Nurses told us that when a
# patient needed to be secluded, they must…".
_FRONTED_REPORT_RE = re.compile(
    r"^\W*(?:[\w’'-]+\s+){1,4}?(?:told|said|explained)\s+(?:us\s+|inspectors\s+)?(?:that\s+)?"
    r"(?:when|whenever|if|where|before|after|once)\b[^,;:.]*,\s*(?:they|he|she)\s+$",
    re.I,
)


def _standing(s: str, m: re.Match[str]) -> bool:
    """ "must always" / "must never": the modal's time is every time, a standing principle."""
    after = _tokens_after(s, m.end(), 1)
    return bool(after) and after[0][0] in ("always", "never")


def _coordinated_speaker(s: str, m: re.Match[str], clause: list[str]) -> str | None:
    """ "Staff knew how to report incidents and told us they must record…": the verb of
    saying opens a predicate joined by "and" to the sentence's first, with no subject of its
    own, so its subject is the sentence's opening speaker ("staff"), or None."""
    before = _tokens_before(s, m.start())
    at = len(before) - len(clause) - 1
    if at < 0 or before[at][0] != "and":
        return None
    return _opening_speaker(s)


_TOLD_OPENING_PLAIN_RE = re.compile(TOLD_OPENING, re.I)
_AWARE_OF_NEED_RE = re.compile(
    r"\b(?:(?:were|was)\s+(?:aware\s+of|alert\s+to)|recognised|recognized|acknowledged|"
    r"accepted|understood)\s+the\s+(?P<need>need)\s+to\s+(?=[a-z])",
    re.I,
)


# "…, as the trust's own policy required": measured against the provider's own rule.
_OWN_RULE_RE = re.compile(
    r",\s*as\s+(?:the\s+)?(?:trust|provider|service|practice|home|hospital)[’']s\s+own\s+",
    re.I,
)


def _own_rule_not_kept(s: str, m: re.Match[str]) -> bool:
    """ "Risk assessments needed to be reviewed after every contact, as the trust's own
    policy required": a thing that needed doing (past, passive), measured against the
    provider's own rule, is a gap found, not the rule restated."""
    if m.group(0).lower() != "needed":
        return False
    after = [t for t, _, _ in _tokens_after(s, m.end(), 2)]
    return after == ["to", "be"] and bool(_OWN_RULE_RE.search(s, m.end()))


# A sentence whose subject is a part of the document pointing at what follows ("The table
# below shows where regulations were not being met and the provider must take action…")
# introduces the table: its rows say what, the sentence itself names nothing.
_DOCUMENT_POINTER_RE = re.compile(
    r"^\W*the\s+(?:table|tables|list|section|sections|summary|information)\s+"
    r"(?:below|above|that\s+follows|at\s+the\s+(?:end|back))\b",
    re.I,
)


# The regulator saying it did not find something: "We did not find that staff needed…",
# "We found no evidence that patients needed…". A clause of its own after it may still be one
# ("…; the trust must…", "…, but the provider should…").
_NOT_FOUND_RE = re.compile(
    r"^(?:we|inspectors|the\s+inspection\s+team)\s+(?:"
    r"(?:did\s+not|didn[’']t)\s+(?:find|see|identify)\s+(?:any\s+(?:evidence|sign|indication)s?\s+)?"
    r"|found\s+no\s+(?:evidence|sign|indication)s?\s+)that\b",
    re.I,
)
_CLAUSE_AFTER_NOT_FOUND_RE = re.compile(r";|\bbut\b|\bhowever\b", re.I)


# The characters that match an ASCII letter only case-insensitively, or do not lower-case to
# one character of the same kind (dotted and dotless I, long s, the Kelvin sign: found by
# trying every character). In a sentence without them, a case-insensitive match of ASCII
# words is a plain match in the sentence lower-cased, at the same offsets.
_CASE_FOLDS_TO_ASCII_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def _may_have_keyword(s: str) -> bool:
    """Does the sentence have a must/should/need word (``_TRIGGER_RE``)? Looking for the
    three words in it lower-cased first is many times faster than the regex, and answers
    for most sentences: those with none of them."""
    low = s.lower()
    if (
        "must" not in low
        and "should" not in low
        and "need" not in low
        and _CASE_FOLDS_TO_ASCII_RE.search(s) is None
    ):
        return False
    return _TRIGGER_RE.search(s) is not None


# The title of a requirement asks again about the sentence just found to be one, or about its
# first part ("…, and…"): a few recent answers are kept. (Few: a report repeats a sentence
# rarely, and then the answer is the same.)
@lru_cache(maxsize=16)
def _find_trigger(s: str) -> _Trigger | None:
    """The strongest requirement trigger in a sentence (must > needs > should), or None."""
    if not _may_have_keyword(s) and _TOLD_TO_RE.match(s) is None:
        # Every trigger below is a must/should/need word (a "there is a need for" has one
        # too) or CQC's "we told the provider to…": without either, nothing can be found,
        # and most sentences of a report have neither. Asked first, it spares them the
        # boilerplate searches, which are the costliest part of this function.
        return None
    if _GENERIC_CONDITION_RE.match(s) or _addressed_elsewhere(s):
        return None  # "Where a provider is not meeting them, CQC can…": the law in general
    if _DOCUMENT_POINTER_RE.match(s):
        return None  # "The table below shows…": the document's own signpost
    if _NOT_FOUND_RE.match(s) and not _CLAUSE_AFTER_NOT_FOUND_RE.search(s):
        return None  # "We did not find that staff needed further training…": what the
        # inspectors did not find is not a need
    if any(p.search(s) for p in _BOILERPLATE_RES) or s.rstrip(" ”\"'’)").endswith("?"):
        return None  # boilerplate; a question is never a requirement
    if _SUMMARY_BOILERPLATE_RE.search(s) and not _told_summary_text(s):
        return None  # "We found 14 things that the trust should improve…" (listed further on)
    quoted = _quoted_spans(s)
    found: dict[str, _Trigger] = {}
    # After a general statement of the law ("Care must be provided in a way that…"), the
    # rest of the sentence continues it ("…, and staff need to be trained to do this"),
    # unless the provider itself is named ("…, and the trust must ensure this happens").
    general = False
    condition_end = _inverted_condition_end(s)
    for count, m in enumerate(_TRIGGER_RE.finditer(s)):
        if "must" in found or count >= MAX_TRIGGERS_PER_SENTENCE:
            break  # nothing outranks must; a "sentence" of hundreds of needs is not prose
        if _in_spans(m.start(), quoted) or m.start() < condition_end:
            continue
        aside = _relative_aside(s, m)
        if aside in ("done", "plain"):
            continue  # "The staffing review, which needed to be completed by March, had been
            # finished…", "The trust, which must by law have…, had an infection control team"
        if m.group("must"):
            if "must" in found:
                continue
            if _screening_tool(s, m):
                continue  # "MUST scores": the Malnutrition Universal Screening Tool
            if _conditional_procedure(s, m) and not _duty_not_met(s, m):
                continue  # "If a call back is not made in time, the call handler must…"
            if _not_an_obligation(s, m):
                continue  # "It must be noted that…", "This must have been difficult…"
            toks_before = _tokens_before(s, m.start())
            clause = _clause_before(toks_before)
            head = _head(clause)
            if _general_statement(
                s, m, _with_elided_subject(toks_before, clause)
            ) and not _duty_not_met(s, m):
                general = True  # "Providers must…", "Care must be provided…": the law
                continue
            if general and head not in ORGANISATION_WORDS:
                continue
            if (_contact_relative(clause) or _noun_relative(clause)) and _object_gap(s, m.end()):
                continue  # "…has made the improvements they must make.": a relative clause
                # on the noun, its object the noun itself, as in "the support they need"
            if (
                head in PEOPLE_NOUNS
                and not _duty_not_met(s, m)
                and not (head == "person" and clause[-2:-1] in (["registered"], ["nominated"]))
            ):
                continue  # "Visitors must sign in…": a rule for the people using it
                # (but "the registered person" is the provider, as a notice names it)
            if _CONSEQUENT_RE.search(s, 0, m.start()):
                continue  # "…and, if CQC does not see enough improvement, they must be…"
            if _embedded_question(clause):
                continue  # "…knew what they must do if they had a concern"
            not_kept = (
                _reported_rule_not_kept(s, m, clause)
                or aside == "failed"
                or _rule_after_failure(s, m, clause)
            )
            if (_subject_blocked(clause, head, people=False) or _other_body(s, m, clause)) and (
                not not_kept
            ):
                continue
            if (
                # a predicate joined by "and" with no subject of its own is said by the
                # clause before ("The leaflet told patients they should not drive… and must
                # not lift…")
                _describes_rule(s, m, _advice_to_people(toks_before, clause), must=True)
                and not _duty_not_met(s, m)
                and not not_kept
            ):
                continue  # (but "Under the trust's policy, staff must…, and we found this
                # did not always happen" is a duty found not met)
            after = _tokens_after(s, m.end(), 4)
            end = m.end()
            if after and after[0][0] == "not":
                end = after[0][2]
                after = after[1:]
            if after[:3] and [t for t, _, _ in after[:3]] == ["be", "able", "to"]:
                end = after[2][2]
            elif after and after[0][0].isalpha() and s[after[0][1]].islower():
                end = after[0][2]
            found["must"] = _Trigger("must", "must", m.start(), end, m.start(), m.end())
        elif m.group("should"):
            if "should" in found:
                continue
            clause = _clause_before(_tokens_before(s, m.start()))
            head = _head(clause)
            after = _tokens_after(s, m.end(), 2)
            if (
                head in REGULATOR_SUBJECTS
                or _other_body(s, m, clause)
                or (any(t in SUBORDINATORS for t in clause) and not _rule_after_shortfall(s, m))
            ):
                continue
            if _unregistered_partner(clause, head):
                continue  # "The prison should review the times of the medicine queues"
            if general and head not in ORGANISATION_WORDS:
                continue  # "Online services that prescribe medicines must…, and prescribers
                # should follow…": the law's second clause, as after a general must
            if _conditional_procedure(s, m) and not _duty_not_met(s, m):
                continue  # "If a person develops symptoms, staff should contact the GP": what
                # is to happen whenever it does, the procedure (its failure said elsewhere)
            if [t for t, _, _ in _tokens_after(s, m.end(), 4)] == ["be", "able", "to", "expect"]:
                continue  # "People who use services, their families and carers, should be able
                # to expect that…": the wording of a standard, whoever its subject
            not_kept = (
                _reported_rule_not_kept(s, m, clause)
                or _reported_burden(s, m, clause)
                # "National guidance says that women should be assessed within 15 minutes,
                # and the service did not meet this…": a standard this provider fell short of
                or (_describes_rule(s, m, clause, must=True) and _duty_not_met(s, m))
                or _rule_beside_failure(s, m)
                or _rule_after_failure(s, m, clause)
            )
            if (
                (head in PEOPLE_SUBJECTS or _advice_to_the_public(clause, after, s, m))
                and not not_kept
            ) or (_general_statement(s, m, clause) and not _duty_not_met(s, m)):
                continue  # "the standards that people should be able to expect"
            if (
                (any(t == "as" for t in clause[-AS_WINDOW:]) and not not_kept) or prev_is_wh(clause)
            ) and not _rule_after_shortfall(s, m):
                continue
            if _contact_relative(clause) and not not_kept:
                continue  # "…had sent us every notification it should have": a relative
                # clause on the noun, as in "the support they need"
            if after and (after[0][0] in PEOPLE_SUBJECTS or after[0][0] in ("it", "there")):
                continue  # "Should they need help" (conditional)
            if _past_criticism(s, m):
                continue  # "Checks should have been recorded every four hours, but…"
            if (_describes_rule(s, m, clause, must=True) and not not_kept) or _EXTRAPOSED_RE.match(
                s.replace("should", "must", 1)
            ):
                continue  # "The procedure says that staff should…", "It should be noted…"
            end = m.end()
            if after and after[0][0].isalpha() and s[after[0][1]].islower():
                end = after[0][2]
            found["should"] = _Trigger("should", "should", m.start(), end, m.start(), m.end())
        elif "needs" not in found or found["needs"].kind != NEED_KIND_RANK[0]:
            need_toks = _tokens_before(s, m.start())
            need_clause = _clause_before(need_toks)
            if _general_statement(s, m, _with_elided_subject(need_toks, need_clause)):
                general = True  # "Treatment needs to be provided in line with consent."
                continue
            if (
                general
                and _head(need_clause) not in ORGANISATION_WORDS
                and not _definite_thing_to_change(s, m, need_clause)
            ):
                continue
            perfect = [t for t, _, _ in _tokens_after(s, m.end(), 3)]
            if (
                perfect[:2] == ["to", "have"]
                and len(perfect) == 3
                and perfect[2].endswith(("ed", "en", "wn", "ne"))
            ):
                continue  # "…the risk was one the provider needed to have identified": a past
                # failure, as "should have been" (nothing to do from now on is named)
            trig = _classify_need(s, m)
            if trig is not None and _other_body(s, m, need_clause):
                trig = None  # "the government needs to set out a long-term plan…"
            if trig is not None and (
                (
                    _describes_rule(s, m, _clause_before(_tokens_before(s, m.start())), must=False)
                    and not _duty_not_met(s, m)
                )
                or _partner_of_provider(s, m, need_clause)
            ):
                trig = None
            if trig is not None and (
                "needs" not in found
                or NEED_KIND_RANK.index(trig.kind) < NEED_KIND_RANK.index(found["needs"].kind)
            ):
                found["needs"] = trig
    if "needs" not in found:
        tm = _THERE_NEED_RE.search(s)
        lead = _tokens_before(s, tm.start(), 1) if tm else []
        if lead and lead[0][0] in SUBORDINATORS:
            tm = None  # "shows why there is a need for…", "where there was a need"
        if tm and not _in_spans(tm.start(), quoted):
            found["needs"] = _Trigger("needs", "there", tm.start(), tm.end(), tm.start(), tm.end())
    if "needs" not in found and "must" not in found:
        aware = _AWARE_OF_NEED_RE.search(s)
        knower = _head(_clause_before(_tokens_before(s, aware.start()))) if aware else None
        if aware and knower in (LEADERSHIP_REPORTERS | PROVIDER_SUBJECTS) - {"it"}:
            # "Leaders were aware of the need to reduce ambulance handover delays": the
            # provider's leaders know of a gap, as "Leaders knew they needed to…"
            found["needs"] = _Trigger(
                "needs",
                "to_active",
                aware.start("need"),
                aware.end(),
                aware.start("need"),
                aware.end("need"),
            )
    if "needs" not in found and "must" not in found:
        tm = _TOLD_TO_RE.match(s)
        if tm and not _vacuous(s):
            at = tm.group(0).lower().rfind(" to ")
            found["needs"] = _Trigger("needs", "told_to", tm.start(), tm.end(), at, at + 3)
    for key in ("must", "needs", "should"):
        if key in found:
            if key == "needs" and _negated_subject(s, found[key]):
                return None  # "No action was needed.", "Nobody needed to be restrained."
            if found[key].key_start < 20 and _EXTRAPOSED_RE.match(s):
                return None  # "It needs to be recognised that…": the writer's aside
            if _PRAISE_RE.match(s, found[key].key_start) or _FRAMING_RE.match(s):
                return None  # "The trust needs to be congratulated on…", "This must be seen…"
            if (
                _vacuous(s) or _vacuous_clause(s, found[key]) or _vacuous_main(s, found[key])
            ) and not _told_summary(s, found[key]):
                return None  # "Improvements are needed.": names nothing to improve
            if _already_met(s, found[key]) or _settled_or_others(s, found[key]):
                return None  # "…should be completed for every patient, and audits showed it was."
            if found[key].kind != "told_to" and _others_voice(s, found[key]):
                return None  # "Staff told us they needed more training…", "A relative said
                # the home needed more staff at weekends": what they said, not CQC's finding
            return found[key]
    return None


_DONE_ALT = "(?:" + "|".join(p.replace(" ", r"\s+") for p in DONE_PARTICIPLES) + ")"
# A relative clause set off by commas, opened by ", which / who / whom / whose", holding the
# keyword, and the sentence's main predicate after its closing comma (a finite verb).
_ASIDE_OPEN_RE = re.compile(r",\s*(?:which|who|whom|whose)\b[^,;:]*$", re.I)
_ASIDE_MAIN_RE = re.compile(
    r"[^,;:]*,\s*(?P<main>(?:had|has|have|was|were|is|are|did|does|could|would|remained)\b"
    r"[^;:.]*)",
    re.I,
)
_MAIN_DONE_RE = re.compile(
    r"^(?:(?:had|has|have)\s+(?:already\s+|since\s+|now\s+)?been|was|were)\s+" + _DONE_ALT + r"\b",
    re.I,
)
# A sentence whose subject's predicate is a passive of something done to it ("The clinic's
# advertising had been reviewed against…"), up to a relative clause on a noun after it.
_MAIN_BEFORE_ASIDE_RE = re.compile(
    r"^[^,;:]*?\b(?:had|has|have)\s+(?:already\s+|now\s+)?been\s+(?:"
    + _DONE_ALT
    + r"|reviewed|checked|audited|assessed)\b[^,;:]*$",
    re.I,
)
# The main predicate finds a failure: a negation, a word of lack, or a count of some of a
# sample ("were incomplete for nine of the 24 patients", "was not being followed").
_MAIN_FAILED_RE = re.compile(
    r"\b(?:not|never|no\s+one|nobody|incomplete|missing|inaccurate|out\s+of\s+date)\b"
    r"|\b[\w-]+\s+of\s+(?:the\s+)?\d+\b",
    re.I,
)


def _relative_aside(s: str, m: re.Match[str]) -> str | None:
    """Is the keyword at ``m`` inside a relative clause set off by commas (", which must by
    law have…,", ", which needed to be completed by the end of March,") before the
    sentence's main predicate? Then the main predicate decides: "done" (it "had been
    finished"), "failed" (it "was not being followed", "were incomplete for nine of the 24"),
    or "plain" (a finding with no failure: the clause was background about its noun, a rule
    or a need the sentence does not take up). None when the keyword is not in such a clause.
    """
    lo = max(0, m.start() - 160)
    opened = _ASIDE_OPEN_RE.search(s, lo, m.start())
    if opened is None:
        return None
    main = _ASIDE_MAIN_RE.match(s, m.end())
    if main is None:
        # the clause is on a noun after the main predicate ("The clinic's advertising had
        # been reviewed against the code, which it needed to follow, and…"): that predicate,
        # before it, decides
        before = _MAIN_BEFORE_ASIDE_RE.match(s, 0, opened.start())
        if before and not _MAIN_FAILED_RE.search(s, 0, opened.start()):
            return "done"
        return None
    text = main.group("main")
    if _MAIN_DONE_RE.match(text) and not _done_late(text):
        return "done"
    if _MAIN_FAILED_RE.search(text):
        return "failed"
    return "plain"


# After the trigger: the same sentence says it was done ("…, and audits showed it was.",
# "… and had increased the rota from June.").
_MET_AFTER_RE = re.compile(
    r"(?:(?:,\s*|\s)(?:and|but)\s+|;\s+)(?:(?:\w+\s+){0,3}(?:showed|confirmed|found)\s+(?:that\s+)?"
    r"(?:it|they|this|these)\s+(?:was|were|had\s+been|did|had(?=\s*[.]?$))"
    r"(?:\s+(?:done|met|completed|followed|carried\s+out)\b[^,;]*)?\s*[.]?$"
    r"|(?P<done>had\s+(?:already\s+)?(?!not\b)\w+ed\b)"
    # "…told us they needed to remind staff, and had done so by the end of our visit"
    r"|(?P<done_so>had\s+(?:already\s+|since\s+)?done\s+(?:so|this|that|it)\b))",
    re.I,
)
# A clause made only of these (and VACUOUS_WORDS) names nothing: "…and action is needed for
# this essential standard" (the judgement formula of 2010-2013 reviews).
_CLAUSE_VACUOUS = frozenset("essential standard standards outcome".split())
# "this standard" is the standard the section is about; "this" alone is the finding before
# ("…, and this needed improvement"), which names what to improve.
_THIS_STANDARD_RE = re.compile(
    r"\bthis\s+(?:essential\s+)?(?:standard|outcome)\b"
    # "…for the essential standards we reviewed": all of them, where, not what
    r"|\b(?:the|these|all)\s+(?:essential\s+(?:standards|outcomes)(?:\s+(?:we|that\s+we)\s+"
    r"(?:reviewed|looked\s+at|inspected|checked|assessed))?|(?:standards|outcomes)\s+"
    r"(?:we|that\s+we)\s+(?:reviewed|looked\s+at|inspected|checked|assessed))\b"
)


def _vacuous_clause(s: str, trig: _Trigger) -> bool:
    """The trigger's own clause (from the last "and"/"but"/";" before it to the sentence's
    end) names nothing to improve, though the sentence says more."""
    toks = _tokens_before(s, trig.key_start)
    start = 0
    for t, _, b in reversed(toks):
        if t in ("and", "but", ";", "means", "meant"):
            start = b  # after the conjunction: "…, but improvements were needed."; after
            # a gloss of a rating: "…requires improvement, which means the service needs
            # to improve."
            break
    if start == 0:
        return False
    words = _VACUOUS_TOKEN_RE.findall(_THIS_STANDARD_RE.sub(" ", s[start:].lower()))
    return all(w in VACUOUS_WORDS or w in _CLAUSE_VACUOUS for w in words)


# A clause of its own after the trigger's: "and" / "but" + a subject ("…, and it has sent
# us a plan…", "…, but the trust has already started…").
_NEXT_CLAUSE_RE = re.compile(
    r"(?:,\s*(?:and|but|while|although|though)|;)\s+(?:it|they|he|she|we|this|there|"
    r"the\s+[\w’'-]+)\s+",
    re.I,
)


def _vacuous_main(s: str, trig: _Trigger) -> bool:
    """The trigger's clause names nothing and the clause after it, with its own subject and
    no requirement word, is about something else: "We have told the provider where it needs
    to improve, and it has sent us a plan that says how it will do this."."""
    m = _NEXT_CLAUSE_RE.search(s, trig.end)
    if m is None or _TRIGGER_RE.search(s, m.end()):
        return False
    return _vacuous(s[: m.start()] + ".")


# "…needed to bring in a new system for recording…, and had started using an electronic system
# the week before": the step taken is the thing needed, named by the same noun.
_NEEDED_THING_RE = re.compile(
    r"\bneeded\s+to\s+(?:bring\s+in|introduce|set\s+up|put\s+in\s+place|start|improve|develop|"
    r"create|get)\s+(?P<obj>[^,;.]{3,120}?)\s*,\s*and\s+(?:that\s+)?(?:(?:it|he|she|they|the\s+[\w’'-]+)\s+)?"
    r"had\s+(?:since\s+|already\s+|now\s+)?(?:started\s+using|introduced|brought\s+in|set\s+up|"
    r"put\s+in\s+place|begun\s+using|started|provided|arranged)\s+(?P<step>[^,;.]{3,120})",
    re.I,
)
_THING_NOUNS = frozenset(
    "system systems training process tool form forms policy procedure chart charts audit audits"
    " rota plan plans checklist register".split()
)


def _step_is_the_need(s: str, trig: _Trigger) -> bool:
    m = _NEEDED_THING_RE.search(s, max(0, trig.key_start - 1))
    if m is None or m.start() > trig.key_start + 1:
        return False
    wanted = {w for w in re.findall(r"[a-z]+", m.group("obj").lower()) if w in _THING_NOUNS}
    return bool(wanted & set(re.findall(r"[a-z]+", m.group("step").lower())))


def _already_met(s: str, trig: _Trigger) -> bool:
    """ "X should be completed for every patient, and audits showed it was": the standard
    is stated and found met. For a need reported by someone ("The registered manager said
    more staff were needed … and had increased the rota"), the reporter has acted on it."""
    rest = s[trig.end :]
    if _step_is_the_need(s, trig):
        return True
    if _FOUND_KEPT_RE.match(rest):
        return True  # "…decisions must be made in their best interests, and the home followed
        # this", "…must record the justification for each X-ray, and this was done"
    if _RELATIVE_DONE_RE.match(rest):
        return True  # "…the improvements it said it needed to make had been made", "an
        # induction that the manager said had needed updating, and which had been rewritten"
    if _SINCE_DONE_RE.match(rest):
        return True  # "…should not be left without senior support at night, and since August
        # a consultant has been on site every night": true from then on, so met
    if _object_changed(rest):
        return True  # "…needed to improve the uptake of screening, and the uptake had increased"
    if _TAKEN_UP_DONE_RE.match(rest):
        return True  # "Partners told us they needed better communication from the service, but
        # recent changes had improved this": the need, taken up by "this", since met
    if trig.kind in ("verb_object", "be_needed") and _WHICH_PROVIDED_RE.match(rest):
        return True  # "The manager had identified that the room needed a second sink for hand
        # washing, which had been fitted in May": the thing needed, since provided
    each = _EACH_ONE_DONE_RE.match(rest)
    if each and _EVERY_RE.search(rest, 0, each.start() + each.group(0).find(" and ")):
        return True  # "…he needed to see every patient's records before their operation, and
        # he signed each one as reviewed": done for every one
    if _CAUSE_AFTER_RE.match(rest) and any(
        t in REPORTING_VERBS for t, _, _ in _tokens_before(s, trig.key_start)
    ):
        return True  # "Managers said they needed to use agency staff…, and this was a cause of
        # incidents": the need reported is a circumstance that explains a problem, not an action
    if _DONE_AND_SEEN_RE.match(rest):
        return True  # "…needed to make sure weight loss was acted on and had started a weekly
        # check, which we saw": begun, and CQC saw it in place
    if _APPOSITIVE_DONE_RE.match(rest):
        return True  # "…needed a dedicated clinical lead, a post that had been filled in
        # January": the thing needed, named again in apposition, since provided
    if _ANAPHOR_SETTLED_RE.match(rest):
        return True  # "…needed to make improvements to how it assessed risks; we found these
        # had been made", "…, and this action has been completed": taken up and done
    if _DID_SO_RE.match(rest):
        return True  # "The board must approve every new clinical policy, and it did so for
        # the falls policy in March 2019": the subject's own rule, taken up by "did so", kept
    if _deed_completed(s, trig, rest):
        return True  # "…needed to move its unit to a new building in 2019, and the move was
        # completed in June 2019": the need's own verb, as a noun, done
    if _new_one_of_the_same(s, trig, rest):
        return True  # "…needed to recruit a practice nurse after the previous nurse left, and a
        # new nurse had started in February 2016": the thing needed, named again after "new",
        # has come (not "a new nurse had been advertised for")
    if _DONE_AT_INSPECTION_RE.search(rest):
        return True  # "…needed to be completed for two of them, which the manager did during
        # our inspection": put right before the report was written
    if trig.kind == "verb_object" and _ANAPHOR_DONE_RE.search(rest):
        clause = _tokens_before(s, trig.key_start)
        if any(t in REPORTING_VERBS for t, _, _ in clause):
            return True  # "…told us the trust needed a new digital strategy, and the board had
            # approved one in October": the thing needed, taken up again by "one", is done
    if _ONE_BEING_PROVIDED_RE.match(rest) and any(
        t in REPORTING_VERBS for t, _, _ in _tokens_before(s, trig.key_start)
    ):
        return True  # "…told us the provider needed to invest in an electronic call
        # monitoring system, and one was being installed": "one" takes up the thing needed,
        # and it is being brought into being (not "one was planned")
    if trig.kind == "verb_object" and _THING_PROVIDED_RE.match(rest):
        clause = _tokens_before(s, trig.key_start)
        if any(t in REPORTING_VERBS for t, _, _ in clause):
            return True  # "…told CQC that the trust needed more beds during the winter and
            # that it had opened a 24-bed ward": the thing needed (a noun phrase, not an
            # improvement) was provided; "needed to improve access, and had introduced…" is
            # not of this shape
    provided = _PROVIDED_PASSIVE_RE.match(rest)
    if (
        trig.kind in ("be_needed", "verb_object")
        and provided
        and not _STILL_TO_COME_RE.search(rest, provided.end())
    ):
        clause = _tokens_before(s, trig.key_start)
        if any(t in REPORTING_VERBS for t, _, _ in clause):
            return True  # "Managers told us more call auditors were needed, and two had been
            # recruited": the things needed, taken up by a numeral or a pronoun, were provided
    m = _MET_AFTER_RE.search(rest)
    if m is None:
        return False
    if m.group("done_so"):
        # someone said it needed doing, and did it: nothing is left to do
        clause = _tokens_before(s, trig.key_start)
        return any(t in REPORTING_VERBS for t, _, _ in clause)
    if m.group("done"):
        # only a need without an agent ("more staff were needed") that someone reported,
        # then did ("said … and had increased the rota"); "needed to reduce … and had agreed
        # a plan" is still to be done
        clause = _tokens_before(s, trig.key_start)
        return trig.kind == "be_needed" and any(t in REPORTING_VERBS for t, _, _ in clause)
    if trig.keyword == "needs":
        # "One trustee said the board needed to know about every complaint, and the minutes
        # showed it did": a need, and a record or a check showing it was done
        return True
    if trig.keyword == "must":
        # "patients' rights must be explained …; we found this had been done": a standard
        # stated in the passive, and found met; or staff's own duty, and found done ("Staff
        # must complete the mandatory training every year, and records showed they had")
        if s[trig.key_end :].lstrip().lower().startswith("be "):
            return True
        subject = _tokens_before(s, trig.key_start)
        return bool(subject) and subject[-1][0].lower() in ("staff", "they", "nurses", "carers")
    return trig.keyword == "should"


# The sentence ends by finding the rule kept: ", and this was done.", ", and the home followed
# this.", ", and the medical advisory committee had reviewed all 42."
_FOUND_KEPT_RE = re.compile(
    r"[^;]*?,?\s+and\s+(?:"
    r"(?:this|that|it)\s+(?:was|had\s+been|has\s+been)\s+(?:done|met|followed|the\s+case)"
    r"|(?:the|its)\s+(?:[\w'’-]+\s+){0,4}(?:followed|met|did)\s+(?:this|it|these|that|so)"
    r"|(?:the|its)\s+(?:[\w'’-]+\s+){0,4}had\s+\w+ed\s+all\s+(?:\d+|of\s+them)"
    # "…must be reprocessed in line with HTM 01-05, and the practice's audits showed they were"
    r"|(?:(?:the|its|our)\s+)?(?:[\w'’-]+\s+){0,2}?(?:audits?|records?|checks?|logs?)\s+"
    r"(?:we\s+(?:saw|checked|reviewed)\s+)?(?:showed|confirmed|demonstrated)\s+(?:that\s+)?"
    r"(?:it|they|this|these)\s+(?:always\s+)?(?:was|were|had\s+been|did)"
    r"(?:\s+(?:done|met|followed|completed|carried\s+out))?"
    # "…, and found at its next inspection that this had been done"
    r"|(?:(?:we|cqc|inspectors)\s+)?found\s+(?:[^,;.]{0,50}?\s+)?that\s+(?:this|it|these|they)\s+"
    r"(?:had|has|have)\s+been\s+(?:done|made|completed|carried\s+out|met)"
    # "…, and staff told us this was the case"
    r"|(?:staff|people|relatives|patients|records|we)\s+(?:told\s+us|said|confirmed|showed)\s+"
    r"(?:that\s+)?(?:this|it)\s+was\s+(?:the\s+case|so|true)"
    r")\s*\.?$",
    re.I,
)
_DONE_AND_SEEN_RE = re.compile(
    r"[^;]*?\band\s+had\s+(?:since\s+|already\s+)?(?:started|introduced|begun|set\s+up|"
    r"put\s+in\s+place|implemented)\b[^;.]*,\s*which\s+we\s+(?:saw|checked|confirmed|observed)\b",
    re.I,
)
_APPOSITIVE_DONE_RE = re.compile(
    r"[^,;.]*,\s*(?:a|an|the)\s+(?:[a-z]+\s+)?(?:post|role|position|vacancy|job|repair|"
    r"replacement|change)\s+(?:that|which)\s+(?:had|has)\s+(?:since\s+|now\s+|already\s+)?"
    r"been\s+(?:filled|recruited\s+to|appointed\s+to|made|done|completed|carried\s+out)\b",
    re.I,
)
# A later clause that takes the requirement up by an anaphor ("this", "these", "this action",
# "the improvements") and says it has been done, perhaps as CQC found it ("; we found these
# had been made"). Not "had not been", nor "has been planned": still to come.
_ANAPHOR_SETTLED_RE = re.compile(
    r"[^.]*?(?:[,;]\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s+)"
    r"(?:(?:we|inspectors)\s+(?:found|saw|confirmed|checked)\s+(?:that\s+)?)?"
    r"(?:this|these|that|those|it|this\s+action|the\s+action|these\s+actions|"
    r"(?:these|the|those)\s+(?:improvements|changes))\s+(?:had|has|have)\s+(?:now\s+|since\s+|all\s+)?"
    r"been\s+(?:made|done|completed|taken|addressed|met|implemented|carried\s+out|"
    r"put\s+in\s+place)"
    # done whole: the clause ends, or says when ("in March 2024", "since"); not where in part
    # ("…, and this had been done on two wards")
    r"(?:\s+(?:in\s+full|fully))?(?=\s*(?:[.;,]|$)|\s+(?:since|by|before|after|during|"
    r"in\s+(?:\d{4}|january|february|march|april|may|june|july|august|september|october|"
    r"november|december))\b)",
    re.I,
)
# ", and it did so…": the same subject, a pronoun, doing what the modal said (past, done).
_DID_SO_RE = re.compile(
    r"[^;]*?,?\s+and\s+(?:it|they|he|she|all|both|everyone|all\s+of\s+them|each\s+of\s+them)\s+"
    r"(?:did|had\s+(?:already\s+)?done)\s+so\b",
    re.I,
)
# ("Staff needed to complete an online module before they could use the new system, and all
# had done so": the subject, or all of it, did what it needed to)
# ", and the move was completed": a clause whose subject is a noun (the deed) found done.
_DEED_DONE_RE = re.compile(
    r"[^;]*?,?\s+and\s+the\s+(?P<deed>[a-z]+)\s+(?:was|had\s+been|has\s+been)\s+"
    r"(?:completed|finished|done|carried\s+out)\b",
    re.I,
)


def _deed_completed(s: str, trig: _Trigger, rest: str) -> bool:
    """The need is to do something ("needed to move its unit…") and a clause after it says
    that deed, named by the same word as a noun ("the move", "the refurbishment" after "to
    refurbish"), was completed."""
    if trig.keyword != "needs":
        return False
    after = [t for t, _, _ in _tokens_after(s, trig.key_end, 2)]
    if after[:1] == ["to"]:
        after = after[1:]
    elif not s[trig.key_start : trig.key_end].lower().endswith("to"):
        return False
    m = _DEED_DONE_RE.match(rest)
    if m is None or not after:
        return False
    deed, verb = m.group("deed").lower(), after[0]
    if deed in ("work", "works"):
        return True  # "…knew it needed to improve its estate, and the work was finished in
        # March": the general word for the deed
    return len(verb) >= 4 and (deed == verb or deed.startswith(verb))


# ", and a new nurse had started": the noun after "new" (and a word naming its kind) as the
# subject of a verb saying it has come or been provided.
_NEW_SAME_RE = re.compile(
    r"[^;]*?,?\s+and\s+(?:a|an|the|two|three|four|five|six|\d+)\s+new\s+(?:[a-z]+\s+)??"
    r"(?P<noun>[a-z]+)\s+(?:had\s+|has\s+|have\s+)?(?:since\s+)?"
    r"(?:started|joined|arrived|taken\s+up\s+(?:the\s+)?post|"
    r"been\s+(?:appointed|recruited|employed|installed|fitted|delivered|opened|bought|purchased))\b",
    re.I,
)


def _new_one_of_the_same(s: str, trig: _Trigger, rest: str) -> bool:
    """A need to do something to a thing or a person ("needed to recruit a practice nurse")
    and a clause after it whose subject is "a new" + the same noun ("a new nurse had
    started"): the thing needed has come, as "a new one" meets it."""
    if trig.keyword != "needs":
        return False
    m = _NEW_SAME_RE.match(rest)
    if m is None:
        return False
    noun = m.group("noun").lower()
    obj = [t for t, _, _ in _tokens_after(s, trig.end, 5)]
    return any(t == noun or t.rstrip("s") == noun.rstrip("s") for t in obj[:4])


_ANAPHOR_DONE_RE = re.compile(
    r",?\s+and\s+(?:the\s+[\w’'-]+\s+|it\s+|they\s+)?had\s+(?:already\s+|since\s+)?"
    # verbs that bring the thing needed into being (not "booked", "planned": still to come)
    r"(?:approved|adopted|introduced|appointed|recruited|bought|purchased|installed|obtained|"
    r"produced|written|published|put\s+in\s+place)\s+(?:one|it|this|these|them)\b",
    re.I,
)
# After a reported need for a thing ("needed more beds"), a clause of the same subject saying
# it had been provided: verbs that bring a thing into being (not "approved", "planned",
# "booked": still to come).
_THING_PROVIDED_RE = re.compile(
    r"[^;]*?,?\s+and\s+(?:that\s+)?(?:(?:it|they|he|she|the\s+[\w’'-]+)\s+)?"
    r"had\s+(?:already\s+|since\s+)?"
    r"(?:opened|installed|bought|purchased|built|recruited|appointed|employed|hired)\s+"
    r"(?:a|an|two|three|four|five|six|\d+|more|new|an\s+extra|additional)\b",
    re.I,
)
# The same in the passive, the thing needed taken up by a numeral or a pronoun: "…more call
# auditors were needed, and two had been recruited" (not "…approved", "…advertised").
_PROVIDED_PASSIVE_RE = re.compile(
    r"[^;]*?,?\s+and\s+(?:that\s+)?(?:one|two|three|four|five|six|\d+|it|they|these|both)\s+"
    r"(?:had|have|has)\s+(?:already\s+|since\s+|now\s+)?been\s+"
    r"(?:opened|installed|bought|purchased|built|recruited|appointed|employed|hired|provided)\b",
    re.I,
)
# …but not when the same sentence puts them in the future: "…two had been appointed and were
# due to start in April" (a step for a later date does not meet a need).
_STILL_TO_COME_RE = re.compile(
    r"\b(?:due\s+to|yet\s+to|would|will|were\s+to|are\s+to|is\s+to|was\s+to)\b", re.I
)
# After a need whose object names a thing ("…invest in an electronic call monitoring
# system"), "one" as the subject of a passive that brings it into being, done or under way.
_ONE_BEING_PROVIDED_RE = re.compile(
    r"(?:[^;]*?\b(?:a|an)\s+[^;]*?,?\s+and\s+one"
    # "…needed to replace the compressor, and a new one had been installed": "a new one"
    # takes up the thing needed or to be replaced
    r"|[^;]*?,?\s+and\s+a\s+new\s+one)\s+(?:was|is|had\s+been|has\s+been)\s+"
    r"(?:being\s+)?(?:installed|introduced|opened|built|bought|purchased|put\s+in\s+place|"
    r"set\s+up)\b",
    re.I,
)
# After a need for a thing ("…needed a second sink for hand washing"), a relative clause on
# it saying it had been brought into being: ", which had been fitted in May".
_WHICH_PROVIDED_RE = re.compile(
    # (or taken up by "this" / "it": "…needed a new hand wash sink, and this had been fitted")
    r"[^;.]*?,\s*(?:which|and\s+(?:this|it|one))\s+(?:had|has|have)\s+(?:already\s+|since\s+|now\s+)?"
    r"been\s+(?:opened|installed|fitted|bought|purchased|built|recruited|appointed|employed|hired|"
    r"provided|put\s+in\s+place)\b",
    re.I,
)
# After a need whose object is every one of something ("…needed to see every patient's
# records before their operation"), the same speaker doing it to each: ", and he signed each
# one as reviewed".
_EACH_ONE_DONE_RE = re.compile(
    r"[^;.]*?,?\s+and\s+(?:he|she|they|it)\s+(?:had\s+)?(?!not\b)[a-z]+ed\s+"
    r"(?:each|every)\s+one\b",
    re.I,
)
_EVERY_RE = re.compile(r"\b(?:every|each|all)\b", re.I)
# After a reported need, a clause that makes the need the cause of something.
_CAUSE_AFTER_RE = re.compile(
    r"[^;]*?(?:,\s*|\s)(?:and\s+this|which)\s+(?:(?:was|had\s+been|is)\s+(?:a|the|one)\s+"
    r"(?:[\w’'-]+\s+)?(?:cause|reason|source)\b|(?:had\s+)?(?:caused|led\s+to|resulted\s+in|"
    r"left|meant)\b)",
    re.I,
)
# A non-restrictive clause saying someone did it while CQC was there.
_DONE_AT_INSPECTION_RE = re.compile(
    r"(?:,\s*which|,?\s+and\s+(?:this|it|they))\s+(?:[\w’'-]+\s+){0,4}?"
    r"(?:did|completed|corrected|addressed|updated|put\s+right|(?:was|were)\s+(?:done|completed|"
    r"corrected|addressed|updated))\s+(?:during|at|before\s+the\s+end\s+of)\s+(?:our|the)\s+"
    r"(?:inspection|visit|assessment)\b",
    re.I,
)


_CHANGED_RE = re.compile(
    r",?\s+and\s+(?:the|its|their|this|these|those)\s+([a-z][\w’'-]*)\s+had\s+(?:already\s+)?"
    r"(?!not\b)\w+ed\b",
    re.I,
)


# A clause after the need that takes it up by "this" / "that" / "it" and says it was put
# right: "…, but recent changes had improved this", "…, and the new rota had resolved it".
_TAKEN_UP_DONE_RE = re.compile(
    r"[^;.]*?,?\s+(?:and|but)\s+[^;.]{0,60}?\b(?:had|has|have)\s+(?:since\s+|now\s+|already\s+)?"
    r"(?:improved|addressed|resolved|fixed|remedied|rectified|put\s+right)\s+(?:this|that|it|these"
    r"|those)\s*(?:[.;]|$)",
    re.I,
)


def _object_changed(rest: str) -> bool:
    """The clause after "and" has a subject of its own whose head noun is in the need's
    object: "…improve the uptake of cervical screening, and the uptake had increased";
    "…reviewed each month in a meeting with the health visitor, and these meetings had
    restarted" (a demonstrative taking it up, singular or plural)."""
    m = _CHANGED_RE.search(rest)
    if not m:
        return False
    noun = m.group(1)
    stem = noun[:-1] if len(noun) > 4 and noun.lower().endswith("s") else noun
    found = re.search(r"\b" + re.escape(stem) + r"s?\b", rest[: m.start()], re.I)
    return found is not None


# After the need's infinitive, a finite "had been <done>" straight away: the need was in a
# relative clause on the subject ("the improvements it said it needed to make had been
# made"); or a second relative clause on the same noun saying it was done (", and which had
# been rewritten in June").
_RELATIVE_DONE_RE = re.compile(
    # (no infinitive when the need is passive: "the work it said was needed had been finished")
    r"\s*(?:(?:[\w’'-]+\s+)?(?:had|has|have)\s+(?:already\s+|now\s+|since\s+)?been\s+"
    r"|[^;.]*?,?\s+and\s+which\s+(?:had|has|have)\s+(?:already\s+|now\s+|since\s+)?been\s+)"
    + _DONE_ALT
    + r"\b"
    # "…to improve its governance, which it has now done": the subject's own "done" on the need
    r"|[^;.]*?,\s*which\s+(?:it|they|he|she|the\s+[\w’'-]+)\s+(?:(?:had|has|have)\s+"
    r"(?:already\s+|now\s+|since\s+)?done|did)\b(?!\s+not\b|n[’']t)",
    re.I,
)
# ", and since August a consultant has been on site every night": a state that has held from
# a time before the report (a month, a year, "then", "our inspection") to now.
_SINCE_DONE_RE = re.compile(
    r"[^;]*?,?\s+and\s+since\s+(?:(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b|\d{4}\b|then\b|that\s+time\b|"
    r"(?:our|the)\s+(?:last\s+)?(?:inspection|visit)\b)[^;.]*?\b(?:has|have)\s+(?:been|had)\b"
    r"(?!\s+(?:no|not|unable|without)\b)",
    re.I,
)


_INVERTED_SHOULD_RE = re.compile(r"^\W*should\s+(?!not\b)[\w’'-]+", re.I)


def _inverted_condition_end(s: str) -> int:
    """Where a sentence-initial "Should a crew need advice, …" condition ends (its comma),
    or 0. Nothing inside the condition is a requirement."""
    if not _INVERTED_SHOULD_RE.match(s):
        return 0
    # The main clause after the comma is a requirement of its own when its subject is the
    # provider and its verb is a modal of the present ("Should a crew need clinical advice,
    # the trust should ensure a clinician is available"); otherwise it is the condition's
    # consequence ("Should the provider wish to expand, it will need to register…").
    comma = s.find(",")
    if comma > 0 and _PROVIDER_MAIN_CLAUSE_RE.match(s, comma + 1):
        return comma
    return len(s)


_PROVIDER_MAIN_CLAUSE_RE = re.compile(
    r"\s*(?:the|its)\s+(?:" + "|".join(sorted(PROVIDER_SUBJECTS - {"it"})) + r")\s+"
    r"(?:must|should|needs\s+to)\b",
    re.I,
)


def _past_criticism(s: str, m: re.Match[str]) -> bool:
    """ "should have" + past participle: what ought to have happened and did not ("The trust
    should have completed its review by March"). It names a past failure, not an action."""
    after = [t for t, _, _ in _tokens_after(s, m.end(), 3)]
    if after[:1] == ["not"]:
        after = after[1:]
    if len(after) < 2 or after[0] != "have":
        return False
    p = after[1]
    return p == "been" or p in IRREGULAR_PARTICIPLES or p.endswith("ed") or p.endswith("en")


def _object_participle(clause: list[str]) -> bool:
    """ "…lacked the skills needed to…", "…did not have the equipment needed to…": the
    noun phrase before "needed" is the object of a verb (or a preposition) of its own
    clause, so "needed" is a participle describing it, not the clause's verb."""
    for i in range(len(clause) - 2, -1, -1):
        if clause[i] in ("the", "a", "an", "any", "all", "enough", "sufficient"):
            before = clause[i - 1] if i else ""
            return bool(before) and (
                before in OBJECT_TAKERS
                or (
                    before.endswith("ed")
                    and before not in _BE_WORDS
                    and before not in CLAUSE_TAKING_VERBS
                )
            )
        if not clause[i][0].isalpha() or clause[i] in _BE_WORDS:
            return False
    return False


_COORDINATORS = frozenset(("and", "or"))
_SUBJECT_NOUNS = (
    STAFF_REPORTERS
    | PROVIDER_SUBJECTS
    | frozenset("leaders managers directors teams team governors trustees".split())
)


def _coordinated_object(before: list[tuple[str, int, int]]) -> bool:
    """ "Staff received the training and supervision needed to care for…": two nouns joined
    by and/or after a determiner that is the object of a verb; "needed" describes them. Not
    when the second noun is a subject ("…received the beds and staff needed to…")."""
    toks = [t for t, _, _ in before[-7:]]
    for k in (2, 3):  # the coordinator is 2 or 3 tokens before "needed"
        if len(toks) < k + 3 or toks[-k] not in _COORDINATORS:
            continue
        second = toks[-k + 1 :]
        if any(not w[0].isalpha() for w in second) or second[-1] in _SUBJECT_NOUNS:
            continue
        first = toks[:-k]
        for n in (1, 2):
            if len(first) < n + 2:
                break
            det, verb = first[-n - 1], first[-n - 2]
            if det in ("the", "a", "an", "any", "enough", "sufficient") and all(
                w[0].isalpha() for w in first[-n:]
            ):
                return verb in OBJECT_TAKERS or (
                    verb.endswith("ed")
                    and verb not in _BE_WORDS
                    and verb not in CLAUSE_TAKING_VERBS
                )
    return False


_PRAISE_RE = re.compile(
    r"(?:must|should|needs?\s+to)\s+be\s+(?:commended|praised|congratulated|applauded|credited|"
    r"complimented"
    # the same praise as the feeling it is owed: "The home should be proud of its activities"
    r"|(?:rightly\s+|justly\s+|very\s+)?(?:proud|pleased|delighted)\s+(?:of|with|by|that)"
    r")\b",
    re.I,
)
# "This must be seen in the context of…": the writer's framing of a finding, not an action.
_FRAMING_RE = re.compile(
    r"^\W*(?:this|that|these|it|the\s+\w+)\s+(?:must|should|needs?\s+to)\s+be\s+(?:seen|viewed|"
    r"read|considered|understood|set)\s+(?:in|against)\s+(?:the\s+)?(?:context|light|background)\b"
    # how to read the document itself: "This report needs to be read alongside the reports
    # for each core service", "This page should be read together with…"
    r"|^\W*(?:this|the)\s+(?:report|page|summary|section|document|letter)\s+(?:must|should|"
    r"needs?\s+to)\s+be\s+read\b",
    re.I,
)
# "We have told the provider to make improvements to how it monitors…": what CQC told the
# provider to do, with no modal; it names what (the rest is not vacuous).
_TOLD_TO_RE = re.compile(
    # (after "Following the inspection," too, as TOLD_OPENING reads it)
    r"(?:^\W*"
    + TOLD_WHEN
    + r"(?:(?:we|cqc|inspectors)\s+(?:have\s+|has\s+)?(?:also\s+)?(?:told|asked|required)\s+"
    r"(?:the\s+)?(?:provider|trust|practice|service|home|registered\s+manager|hospice|clinic)\s+"
    # "The trust has been told to make improvements to…": the same, in the passive
    r"|(?:the\s+)?(?:provider|trust|practice|service|home|registered\s+manager|hospice|clinic)\s+"
    + TOLD_PASSIVE_VERB
    + r")"
    + r")to\s+(?:(?:make\s+(?:urgent\s+|significant\s+|further\s+)?improvements?|improve|"
    r"take\s+action)\s+(?:to|in|on|with|around|for)\b|improve\s+(?:the|its|their|how)\s+\w)",
    re.I,
)
_EXTRAPOSED_RE = re.compile(
    r"^\W*it\s+(?:must|should|needs?\s+to)\s+be\s+(?:noted|said|remembered|recognised|"
    r"recognized|acknowledged|"
    r"stressed|emphasised|emphasized|borne\s+in\s+mind)\b",
    re.I,
)


# "…, and the service did not always do this": the sentence states a duty and finds it
# not met, so it is an action on the provider after all.
_DUTY_NOT_MET_RE = re.compile(
    r"\b(?:and|but)\s+the\s+(?:trust|provider|service|practice|home|hospital|hospice)\s+"
    r"(?:did|was|had|has|does|is)\s+not\b|\b(?:and|but)\s+(?:we\s+found\s+(?:that\s+)?)?"
    # "…, but in nine of the 30 records we reviewed this had not happened": a phrase saying
    # where it was not kept may stand before the clause
    r"(?:(?:in|on|at|for)\s+[^,;.]{1,60}?\s+)?"
    r"(?:this|it)\s+(?:did|was|had)\s+not\s+(?:always\s+)?happen",
    re.I,
)


def _duty_not_met(s: str, m: re.Match[str]) -> bool:
    """The sentence states a duty (the law, guidance, a policy) and, in a clause of its own,
    finds this provider fell short of it: a gap to close, not the rule restated."""
    if _DUTY_NOT_MET_RE.search(s, m.end()):
        return True
    # "The policy states that all clinical staff must complete level 3 training; only 72% had
    # done so.", "…should only be used as a last resort, but records did not show…"
    after = shortfall_join(s, m.end())
    if after is not None:
        contrast = after.group("join").strip(" ,").lower() in ("but", "yet")
        first = _tokens_after(s, m.end(), 1)
        found = s[after.end() : after.end() + 200]
        stop = _CLAUSE_STOP_RE.search(found)
        found = found[: stop.start()] if stop else found
        if not contrast and first and first[0][0] in ("not", "never", "only"):
            pass  # "…must not restrain people face down, and staff did not", "…should only be
            # used as a last resort, and staff did not use it routinely": a rule against
            # doing something, kept; only "but" sets what happened against it
        elif _KEPT_DOUBLE_NEGATIVE_RE.search(found):
            pass  # "…, and we found no incidents that had not been reported": kept
        elif (
            contrast
            or _ABOUT_THE_RULE_RE.search(found)
            or _shares_a_word(s[m.end() : after.start()], found)
        ):
            return True
        # (else a shortfall about something else: "National guidance says patients must be
        # seen within four hours, and the trust's new building was not yet open")
    return _rule_after_shortfall(s, m)


# In the clause that finds the shortfall: a double negative that finds the rule kept ("we found
# no incidents that had not been reported", "we did not see any staff fail to…").
_KEPT_DOUBLE_NEGATIVE_RE = re.compile(
    r"(?:^|\b(?:found|saw|were|was|there\s+were|there\s+was)\s+)no\b|\bdid\s+not\s+(?:see|find|identify|"
    r"observe)\s+any\b|\bnone\s+of\s+(?:them|the)\b[^,;]*\b(?:felt|said|told|reported)\b",
    re.I,
)
# …or a word pointing back at the rule ("only 72% had done so", "this did not happen").
_ABOUT_THE_RULE_RE = re.compile(
    r"\b(?:so|this|that|it|these|they|them|done|did\s+(?:not|so)|had\s+not|happen(?:ed)?)\b", re.I
)
_STOP_CONTENT = frozenset(
    "the and that with from this have been were was their there which they staff every all".split()
)


def _shares_a_word(rule: str, found: str) -> bool:
    """The clause of the shortfall names a content word of the rule's ("…must record fridge
    temperatures daily, and temperatures were not recorded on 9 days")."""

    def words(t: str) -> set[str]:
        return {w.lower().rstrip("s") for w in _TOKEN_RE.findall(t) if len(w) > 3} - _STOP_CONTENT

    return bool(words(rule) & words(found))


def _rule_after_shortfall(s: str, m: re.Match[str]) -> bool:
    """ "Staffing did not always meet the RCN guidance, which says there should be…", "The
    coordinator was not always supernumerary, as national guidance says they should be":
    the shortfall is the main clause, the rule an aside after it."""
    head = s[: m.start()]
    comma = head.rfind(",")
    if ";" in head or comma < 0 or not _WHICH_OR_AS_RE.match(head, comma + 1):
        return False
    after = _tokens_after(s, m.end(), 1)
    if after and after[0][0] in ("not", "never"):
        return False  # "Patients were not kept waiting, as the guidance says they should not
        # be": a rule against, and a finding that it did not happen: kept
    if _NOT_FOUND_OPENING_RE.match(head):
        return False  # "We did not find any concerns with medicines, which the policy says…"
    if _SHORTFALL_RE.search(head, 0, comma) is None or _BREACH_ROW_RE.match(s):
        return False  # (a requirement notice's row says how the regulation was not met; it
        # is the notice's own particulars, read by the breach rows' rule)
    return any(t.lower() in RULE_SOURCES for t in _TOKEN_RE.findall(head))


def shortfall_join(s: str, start: int) -> re.Match[str] | None:
    """The first join after ``start`` ("; ", ", but ", ", and ") that opens a clause finding a
    shortfall before the sentence or clause ends, or None. Linear in the sentence's length
    (a sentence may be a whole table run together)."""
    shortfalls = [x.start() for x in _SHORTFALL_RE.finditer(s, start)]
    if not shortfalls:
        return None
    stops = [x.start() for x in _CLAUSE_STOP_RE.finditer(s, start)]
    for join in _SHORTFALL_JOIN_RE.finditer(s, start):
        if join.group("cond"):
            continue  # a condition: "…, and where they do not, we act": the law's own sanction
        k = bisect_left(shortfalls, join.end())
        if k == len(shortfalls):
            return None
        stop = bisect_left(stops, join.end())
        if stop < len(stops) and stops[stop] < shortfalls[k]:
            continue
        return join
    return None


# A clause that finds a shortfall: a negated finite verb, "not always", "only 72% of", "none
# of", "failed to".
_SHORTFALL_RE = re.compile(
    r"\b(?:did|does|do|was|were|had|has|have|is|are|could)\s+not\b|\b\w+n[’']t\b"
    r"|\bnot\s+always\b|\bnever\b|\bnone\s+of\b|\bfailed\s+to\b"
    r"|\bonly\s+(?:\d+(?:\.\d+)?\s*(?:%|per\s*cent\b)|(?:\d+|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|half|a\s+third|a\s+quarter)\s+of\b)",
    re.I,
)
_SHORTFALL_JOIN_RE = re.compile(
    r"(?P<join>;\s*|,?\s+but\s+|,\s*yet\s+|,\s*and\s+)(?:we\s+found\s+(?:that\s+)?)?"
    # (not a condition, nor what the regulator will do: "…, and that CQC would continue to use
    # its powers where they did not")
    r"(?P<cond>(?:where|if|when|whenever|unless|should|(?:that\s+)?(?:cqc|we)\s+(?:will|would|can|could|may))\b)?",
    re.I,
)
_CLAUSE_STOP_RE = re.compile(r"[;.]")
_WHICH_OR_AS_RE = re.compile(r"\s*(?:which|as)\b", re.I)
_NOT_FOUND_OPENING_RE = re.compile(
    r"^\W*(?:we|inspectors)\s+(?:did\s+not|didn[’']t)\s+(?:find|see|identify)\b|^\W*(?:we\s+found|there\s+"
    r"(?:were|was))\s+no\b",
    re.I,
)
_BREACH_ROW_RE = re.compile(r"^\W*how\s+the\s+regulation\s+(?:was|is)\s+not\s+being\s+met\b", re.I)


def _not_an_obligation(s: str, m: re.Match[str]) -> bool:
    """ "It must be noted that…" (the writer's aside) and "must have been" + an adjective
    ("This must have been difficult for staff": a supposition), not an obligation."""
    if m.start() < 20 and _EXTRAPOSED_RE.match(s):
        return True
    if _PRAISE_RE.match(s, m.start()):
        return True  # "The home must be commended for its garden": the writer's praise
    after = [t for t, _, _ in _tokens_after(s, m.end(), 4)]
    if after[:2] == ["have", "been"] and len(after) >= 3:
        word = after[2]
        return word.isalpha() and not (word.endswith("ed") or word.endswith("en"))
    if after[:1] == ["have"] and len(after) >= 2:
        if after[1] in _SUPPOSED_PERFECTS:
            return True  # "Staff must have felt under pressure", "The trust must have known…"
        if (
            after[1] == "had"
            and after[2:3] in (["an"], ["a"])
            and after[3:4]
            in (
                ["impact"],
                ["effect"],
            )
        ):
            return True  # "This must have had an impact on patients…"
    return False


# Past participles after "must have" that suppose, not oblige: what someone felt, knew or
# noticed ("Staff must have completed their training" obliges and stays).
_SUPPOSED_PERFECTS = frozenset(
    "felt known realised realized noticed thought believed wondered seemed appeared".split()
)


def _screening_tool(s: str, m: re.Match[str]) -> bool:
    """ "MUST" as a name, not a modal: "the MUST score", "MUST scores were recorded"."""
    if m.group(0) != "MUST":
        return False
    after = _tokens_after(s, m.end(), 1)
    before = _tokens_before(s, m.start(), 1)
    if after and (after[0][0] in ACRONYM_FOLLOWERS or after[0][0] in (")", ",", ".", "to")):
        return True  # the modal never takes "to": "Staff used MUST to identify people…"
    if after and after[0][0] == "(":
        return True  # the modal is never followed by a bracket: "MUST (malnutrition universal
        # screening tool) assessments were up to date"
    if before and before[-1][0].endswith("ed") and before[-1][0] not in _BE_WORDS:
        return True  # the object of a verb: "Staff completed MUST for every resident"
    return bool(before and before[-1][0] in ("the", "a", "their", "using", "(", "of"))


# A comparison that makes the duty every provider's: ", like every NHS trust,", "as for all
# providers", "as with any other practice".
_LIKE_EVERY_RE = re.compile(
    r"[^.;]*?,\s*(?:like|as\s+(?:for|with|do|does))\s+(?:every|all|any(?:\s+other)?|other)\s+"
    r"(?:[\w-]+\s+){0,2}(?:trusts?|providers?|practices?|services?|homes?|bod(?:y|ies)|"
    r"hospitals?|organisations?)\b",
    re.I,
)
# The same comparison put first: "As with all providers, the practice must have…", "Like
# every NHS trust, the trust must publish…".
_LIKE_EVERY_FIRST_RE = re.compile(
    r"^\W*(?:like|as\s+(?:for|with))\s+(?:every|all|any(?:\s+other)?|other)\s+"
    r"(?:[\w-]+\s+){0,2}(?:trusts?|providers?|practices?|services?|homes?|bod(?:y|ies)|"
    r"hospitals?|organisations?)\s*,",
    re.I,
)
# "It is a legal requirement that…": the law's requirement of any provider, stated.
_LEGAL_REQUIREMENT_RE = re.compile(
    r"^\W*it\s+is\s+a\s+(?:legal|statutory|regulatory)\s+(?:requirement|duty|obligation)\s+"
    r"(?:that|for)\b[^,;.]*$",
    re.I,
)
# A phrase of time or place put before a quantified subject: "Since 1 October 2010 all NHS
# trusts must be registered…", "Under the regulations, every provider must…".
_FRONTING_WORDS = frozenset("since from after before until under by in on at as".split())
# (the quantifiers of a general subject, "every provider": not words.PART_QUANTIFIERS,
# which stand for some of those named before)
_QUANTIFIERS = ("all", "every", "any", "each")


def _without_fronted_phrase(clause: list[str]) -> list[str]:
    """The clause from its quantified subject on, when a phrase of time or place opens it."""
    if not clause or clause[0] not in _FRONTING_WORDS:
        return clause
    for i in range(1, min(len(clause), 8)):
        if clause[i] in _QUANTIFIERS:
            return clause[i:]
    return clause


_AS_THE_LAW_REQUIRES_RE = re.compile(
    r",\s*as\s+(?:the\s+)?(?:law|regulations?|legislation)\s+(?:requires?|says?)\s*\.?\s*$"
    r"|,\s*as\s+required\s+by\s+(?:law|the\s+regulations?|legislation)\s*\.?\s*$",
    re.I,
)
_FAILURE_WORDS_RE = re.compile(r"\b(?:not|never|failed)\b|n[’']t\b", re.I)


# A sentence opening with a condition or a time that may come any day ("If a call back is not
# made within the time set, …", "Where a person lacks capacity, …"), then the modal's clause:
# what is to happen whenever it does. Not a condition about this inspection ("When we visited,").
_CONDITIONAL_OPENING_RE = re.compile(
    r"^\W*(?:if|when|whenever|where|once)\s+(?![^,;]*\b(?:we|our|inspectors|cqc)\b)[^,;]{3,160},\s*"
    r"(?:(?:the|all|a|an|any|their|its)\s+)?(?:[\w’'-]+\s+){0,4}?$",
    re.I,
)


def _conditional_procedure(s: str, m: re.Match[str]) -> bool:
    """What a role is to do whenever a condition arises ("If a person develops symptoms, staff
    should contact the GP"); not the provider's or its leaders' own duty under a condition
    ("Where people are unable to consent, the registered person must act…", "Once the new
    manager is in post, they must review…")."""
    if _CONDITIONAL_OPENING_RE.match(s[: m.start()]) is None:
        return False
    clause = _clause_before(_tokens_before(s, m.start()))
    head = _head(clause)
    if head in ORGANISATION_WORDS or head in LEADERSHIP_REPORTERS or head in ("person", "they"):
        return False
    return head not in PROVIDER_SUBJECTS


# "…tells a provider that it must…": the one told is any provider, indefinite.
_TELLS_ANY_PROVIDER_RE = re.compile(
    r"\b(?:tells|requires|asks|means)\s+(?:a|an|any)\s+(?:registered\s+)?"
    r"(?:provider|trust|service|practice|organisation|home|person|manager)\s+"
    r"(?:that\s+)?(?:it|they|he|she)\s+$",
    re.I,
)
# A rule source or a document, then ", which" and its verb of saying: "…review, which said…".
_SOURCE_WHICH_RE = re.compile(
    r"\b(?:" + "|".join(sorted(RULE_SOURCES | DOCUMENT_WORDS)) + r")\s*,\s*which\s+"
    r"(?:" + "|".join(sorted(CONTENT_VERBS)) + r")\b[^,;]*$",
    re.I,
)


def _general_statement(s: str, m: re.Match[str], clause: list[str]) -> bool:
    """A statement of what the law requires of providers, or of care, in general: the
    subject is a class ("Providers must…", "All providers must…") or a bare mass noun
    that is to be provided ("Care must be provided…", "Treatment needs to be provided…")."""
    if (
        len(clause) >= 2
        and clause[-1] in ("which", "that", "who")
        and clause[-2] in GENERAL_SUBJECTS
    ):
        return True  # a relative clause on a class: "…ensure that practices that need to improve"
    for i in range(len(clause) - 2, -1, -1):
        if clause[i] in ("which", "that"):
            rel = [t for t in clause[i + 1 :] if t not in SKIP_BEFORE_KEYWORD]
            if 1 <= len(rel) <= 2 and rel[-1] in GENERAL_SUBJECTS:
                return True  # "…the statutory guidance which providers must consider"
            break
    for i in range(len(clause) - 2, 0, -1):
        if (
            (
                clause[i] in CONTENT_VERBS
                and (
                    any(w in RULE_SOURCES or w in DOCUMENT_WORDS for w in clause[:i])
                    # "…the findings of the Ockenden review, which said that every trust must…"
                    or (
                        clause[:i] == ["which"]
                        and _SOURCE_WHICH_RE.search(s, 0, m.start()) is not None
                    )
                )
            )
            or _quantified_report(clause, i)
        ):
            clause = clause[i + 1 :]  # "The Ockenden report's actions say every trust must…":
            if clause[:1] == ["that"]:
                clause = clause[1:]
            break  # the reported clause's own subject, its "that" left out
    if _TELLS_ANY_PROVIDER_RE.search(s, 0, m.start()):
        return True  # "A warning notice tells a provider that it must make improvements by a
        # set date": what a notice does to any provider it is served on
    if _LIKE_EVERY_FIRST_RE.match(s, 0, m.start()) or _LEGAL_REQUIREMENT_RE.match(s, 0, m.start()):
        return True  # "As with all providers, the practice must…", "It is a legal
        # requirement that a provider must display its ratings"
    duty = re.sub(r"^\s*not\b", "", s[m.end() :])  # (the duty's own "must not" is no failure)
    if (
        m.group(0).lower() == "must"
        and _AS_THE_LAW_REQUIRES_RE.search(s, m.end())
        and not _FAILURE_WORDS_RE.search(s[: m.start()] + " " + duty)
    ):
        return True  # "The provider must carry out checks on staff before they start work, as
        # the law requires.": the duty restated, every provider's (not "…as required by law"
        # inside the action, nor a failure to do it)
    if _LIKE_EVERY_RE.match(s, m.end(), min(len(s), m.end() + 120)):
        return True  # "The trust must comply with the Workforce Race Equality Standard, like
        # every NHS trust, …": the duty is named as every provider's
    clause = _without_fronted_phrase(clause)
    words = [t for t in clause if t not in SKIP_BEFORE_KEYWORD]
    if _class_beside_provider(s, m, clause):
        return True  # "Ambulance services must work with acute trusts…, and the trust was…"
    after_must = [t for t, _, _ in _tokens_after(s, m.end(), 2)]
    if after_must[:1] == ["be"] and m.group(0).lower() == "must":
        people = _people_head_of(words) or (
            bool(words)
            and words[-1] in PEOPLE_SUBJECTS
            and words[-1] not in CONTACT_PRONOUNS
            and all(w in NOUN_DETERMINERS or w in NOUN_MODIFIERS for w in words[:-1])
        )
        if people:
            return True  # "People who use services must be protected from abuse."
    quantified = bool(clause) and clause[0] in ("all", "every", "any", "each")
    if words and words[0] in ("all", "every", "any"):
        words = words[1:]
    if (
        quantified
        and 1 <= len(words) <= 3
        and len(words) == len(clause) - 1
        and words[-1] in (_KINDS_OF_PROVIDER | GENERAL_SINGULARS | GENERAL_SUBJECTS)
        and all(w.isalpha() for w in words)
    ):
        return True  # "Every care home must have a registered manager", "Any dental practice…"
    if words == ["registered", "managers"] and len(clause) == 2:
        return True  # "Registered managers must notify CQC…": the role, in general
    if quantified and words and (words[0] in GENERAL_SINGULARS or words[0] in GENERAL_SUBJECTS):
        return True  # "Any person employed by a registered provider must have…"
    if (
        quantified
        or (words and (words[0] in GENERAL_SUBJECTS or words[0] in CLASS_MODIFIERS))
        or (words and words[0] in NOUN_MODIFIERS and words[0] not in NOUN_DETERMINERS)
    ) and _class_with_postmodifier(words):
        return True  # "All GP practices providing regulated activities must be registered…",
        # "Persons employed for the purposes of carrying on a regulated activity must…",
        # "Care homes with nursing must have a registered nurse on duty"
    if words and words[0] in ("a", "an") and _class_with_postmodifier(words[1:]):
        return True  # "A provider that is not meeting the regulations must…": any such one
    if words and words[0] in ("a", "an") and _ANY_SUCH_PROVIDER_RE.search(s, m.end()):
        return True  # "A registered manager must be in post for a supported living service
        # that provides personal care": an indefinite subject, and the kind of provider it is
        # for named as any one of a kind (not "the provider must ensure a manager is in post")
    if _quotes_the_regulations(s, words):
        return True  # "The registered person must ensure that service users are protected…"
    if (
        words
        and words[0] in GENERIC_DETERMINERS
        and words[-1] in GENERAL_SINGULARS
        and len(words) <= 4
        and len(words) == len(clause)
    ):
        return True  # "A registered person must comply…", "A health service body must act…"
    if (
        len(words) == 2
        and len(clause) == 2
        and words[0] in ("a", "an", "any", "every")
        and words[1] in _KINDS_OF_PROVIDER
    ):
        return True  # "To be rated good, a service needs to show…": any service, where "the
        # service" is this one
    if "services" in words[:3] and len(words) == len(clause) and not quantified:
        at = words.index("services")
        rest = words[at + 1 :]
        if (
            all(w in NOUN_MODIFIERS or w in CLASS_MODIFIERS for w in words[:at])
            and rest
            and rest[0].isalpha()
            and (rest[0] in ("who", "that", "which") or rest[0].endswith(("ed", "ing")))
            # (the relative pronoun itself is not a determiner: "that prescribe medicines")
            and not any(w in _DEFINITE_WORDS or _is_possessive(w) for w in rest[1:])
            and not (rest[0] in _DEFINITE_WORDS and rest[0] != "that")
        ):
            return True  # "Services rated inadequate need to be inspected again…": a bare
            # plural narrowed by a participle or a relative is services of that kind (not
            # "Services provided at the satellite clinic…": a definite place is this one's)
    if _NATIONWIDE_RE.search(" ".join(words)):
        return True  # "Trusts across the country need to work together…": the whole class
    if not words or len(words) > 4:
        return False
    if len(words) == 4 and not all(w in NOUN_MODIFIERS or w in CLASS_MODIFIERS for w in words[:-1]):
        return False
    if words[-1] in GENERAL_SUBJECTS and (
        len(words) == 1
        or all(w in NOUN_MODIFIERS or w in CLASS_MODIFIERS for w in words[:-1])
        or (quantified and len(words) <= 3)
    ):
        return True  # "Providers must…", "All NHS trusts must be registered…"
    if (
        words[-1] == "services"
        and len(words) == len(clause)
        and all(w in NOUN_MODIFIERS or w in CLASS_MODIFIERS for w in words[:-1])
    ):
        return True  # "Services must be able to show how they meet the principles of…": a
        # bare plural, no article or owner, is services of the kind (not "the trust's services")
    if (
        words[-1] in PROFESSION_SUBJECTS
        and len(words) <= 2
        and words[0] not in NOUN_DETERMINERS
        and _RULE_SOURCE_RE.search(s, m.end())
    ):
        return True  # "Dentists must follow national guidance when they take X-rays"
    owner = words[1:] if words[:1] == ["each"] else words
    if (
        quantified
        and len(owner) == 2
        and _is_possessive(owner[0])
        and _norm_tok(owner[0]).rstrip("'").removesuffix("'s") in PEOPLE_SUBJECTS
    ):
        words = owner[1:]  # "Each person's care must be planned with them": anyone's care
    if len(words) > 2:
        return False
    if len(words) == 1 and words[0] in GENERAL_MASS_NOUNS:
        after = [t for t, _, _ in _tokens_after(s, m.end(), 4)]
        if after[:1] == ["to"]:
            after = after[1:]
        return len(after) >= 2 and after[0] == "be" and after[1] in PROVISION_VERBS
    return False


_TO_BE_CHANGED_RE = re.compile(
    r"\s+to\s+be\s+(?:[a-z]+ly\s+)?(?:updated|reviewed|revised|replaced|repaired|rewritten|"
    r"amended|improved|strengthened|fixed|corrected)\b",
    re.I,
)


# The provider named as the subject of a clause of its own after the trigger's: "…, and the
# trust was part of a system-wide group", "…, and this practice had…".
_PROVIDER_CLAUSE_AFTER_RE = re.compile(
    r"[,;]\s*(?:and|but|while|whereas)?\s*(?:the|this)\s+(?:"
    + "|".join(sorted(ORGANISATION_WORDS))
    + r")(?:['’]s)?\s+(?!(?:must|should|needs?|needed)\b)[a-z]+",
    re.I,
)


def _definite_thing_to_change(s: str, m: re.Match[str], clause: list[str]) -> bool:
    """After a statement of the law ("Practices must meet the Accessible Information
    Standard,"), a clause of its own about a particular thing that needs changing ("and the
    policy needs to be updated…"): the thing exists and falls short, so it is this provider's,
    not part of the law (which says what must be, never what must be updated)."""
    words = [t for t in clause if t not in SKIP_BEFORE_KEYWORD]
    if len(words) < 2 or not (words[0] in ("the", "its", "their") or _is_possessive(words[0])):
        return False
    return _TO_BE_CHANGED_RE.match(s, m.end()) is not None


_TAKES_UP_RE = re.compile(r"\b(?:to\s+do\s+(?:so|this|that|it)|for\s+(?:this|that|it))\b", re.I)


def _class_beside_provider(s: str, m: re.Match[str], clause: list[str]) -> bool:
    """A bare plural naming a kind of provider opens the sentence ("Ambulance services must
    work with acute trusts…", "Services should be accessible to everyone who needs them") and
    a later clause turns to this provider by its own name ("…, and the trust was part of a
    system-wide group"): the first clause is the rule for the class, the second is the
    finding. With a determiner ("The trust's services must…") or no such turn it is this
    provider's."""
    if not clause or len(clause) > 3 or len(_tokens_before(s, m.start())) != len(clause):
        return False
    if not all(t.isalpha() for t in clause) or clause[0] in NOUN_DETERMINERS:
        return False
    if clause[-1] not in GENERAL_SUBJECTS and clause[-1] != "services":
        return False
    turn = _PROVIDER_CLAUSE_AFTER_RE.search(s, m.end())
    if turn is None:
        return False
    # "Community services must reduce their waiting times, and the trust had a plan to do
    # so": the provider taking up the first clause's action makes it the provider's own
    return _TAKES_UP_RE.search(s, turn.end()) is None


# A bare plural class, then the whole country it is in: "Trusts across the country…", "Care
# homes in England…", "GP practices nationally…".
_NATIONWIDE_RE = re.compile(
    r"^(?:all\s+)?(?:[a-z-]+\s+){0,3}?(?:"
    + "|".join(sorted(GENERAL_SUBJECTS))
    + r")\s+(?:(?:across|throughout|in|around)\s+(?:the\s+)?(?:country|england|uk|nhs|nation)"
    r"|nationally|nationwide|everywhere)$"
)


def _class_with_postmodifier(words: list[str]) -> bool:
    """ "GP practices providing regulated activities", "dental practices that provide NHS
    care": after "all"/"every"/"any", a class noun (with up to two words naming the kind)
    whose noun phrase goes on with a participle or a relative clause is the whole class."""
    for i, w in enumerate(words[:3]):
        if w in GENERAL_SUBJECTS or w in GENERAL_SINGULARS:
            rest = words[i + 1 :]
            if not all(t.isalpha() for t in words[:i]):
                return False
            if not rest:
                return i > 0
            first = rest[0]
            if first in _CLASS_PREPOSITIONS and len(rest) > 1:
                # "All care homes with nursing must…", "providers of regulated activities":
                # a kind of provider narrowed by what it is or does; an object pointing at one
                # ("homes in the group", "hospitals of the trust") is this provider's own
                return rest[1] not in _DEFINITE_WORDS and not _is_possessive(rest[1])
            return first in ("who", "that", "which") or (
                first.endswith("ing") or first in ("registered", "regulated", "employed")
            )
    return False


# After the must: "for / in / of / by a <kind of provider> that … / providing …", any member of
# the kind.
_ANY_SUCH_PROVIDER_RE = re.compile(
    r"\b(?:for|in|of|by|at|within)\s+(?:a|an|any|every|each)\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?:provider|service|home|practice|trust|organisation|hospital|agency|clinic|hospice|body)"
    r"\s+(?:that|which|who|providing|registered|carrying)\b",
    re.I,
)
_CLASS_PREPOSITIONS = frozenset("with without of in for".split())
# The words a report uses for this provider after "the", generic after "a" / "any" / "every".
_KINDS_OF_PROVIDER = frozenset("service home hospital hospice clinic agency".split())
_DEFINITE_WORDS = frozenset("the its this these that those their our his her".split())


# A sentence that opens with a condition about any provider ("Where a provider is not meeting
# them, CQC can serve a warning notice…", "If a registered person fails to…") describes how
# the law or CQC's process works for providers in general.
_GENERIC_CONDITION_RE = re.compile(
    r"^\W*(?:where|if|when|whenever|once|unless)\s+(?:a|an|any)\s+(?:registered\s+)?"
    r"(?:provider|practice|trust|service|home|person|organisation|manager)\b",
    re.I,
)


# The must's clause is the consequent of an "if" clause just before it: "If you do not
# comply, we may…", "…, if CQC does not see enough improvement, they must be inspected
# again": a conditional statement, not a finding.
_CONSEQUENT_RE = re.compile(r"(?:^|[,;]\s*|\band\s+)if\b[^,;.]*,\s*[^,;.]{0,40}$", re.I)


_RULE_SOURCE_RE = re.compile(r"\b(?:" + "|".join(sorted(RULE_SOURCES)) + r")\b", re.I)
_SERVICE_USERS_RE = re.compile(r"\bservice\s+users?\b", re.I)


def _quotes_the_regulations(s: str, words: list[str]) -> bool:
    """The regulations' own words: their subject is "the registered person" and they speak
    of "service users" ("The registered person must ensure that service users are protected
    against…"); CQC's findings say people, patients or residents."""
    if words[-2:] == ["registered", "person"] and bool(_SERVICE_USERS_RE.search(s)):
        return True
    # "The care and treatment of service users must be appropriate…" (Regulation 9), "All
    # premises and equipment used by the service provider must be…" (Regulation 15)
    return any(
        words[i : i + 2] == ["service", "users"]
        or (words[i : i + 2] == ["service", "provider"] and i > 0 and words[i - 1] == "the")
        for i in range(len(words) - 1)
    )


_VACUOUS_TOKEN_RE = re.compile(r"[a-z][a-z'’\-]*")


# The regulator reporting what it told this provider it must / needs to / should do: "We have
# told the trust where it needs to make improvements", "Following this inspection, we told the
# provider that it must make some improvements", "We told the trust that it must take action to
# bring services into line with legal requirements". Read alone (a news item, a summary page,
# a passage), it is the requirement, even when it names nothing more; where the report lists
# the actions too, import flags it for review as a summary of them.
_TOLD_PROVIDER = (
    r"the\s+(?:provider|trust|practice|service|home|hospital|hospice|clinic|agency|"
    r"registered\s+(?:manager|person))"
)
_TOLD_SUMMARY_RE = re.compile(
    r"(?:"
    + TOLD_OPENING
    + rf"(?:{_TOLD_PROVIDER}|it|them)\s+"
    # …or in the passive, as a news item puts it: "The trust has been told it must…"
    + "|"
    + told_passive(None, _TOLD_PROVIDER)
    # …or by a warning notice: "We served a warning notice on the provider telling them…"
    + "|"
    + told_by_notice()
    + r")"
    r"(?:that\s+|where\s+|what\s+)?(?:it|they|the\s+[\w’'-]+)\s+"
    r"(?:must|needs?|needed|should)\b",
    re.I,
)
# ... but not the lead-in of the list that names them ("…in the following areas:").
_LIST_LEADIN_RE = re.compile(r"(?::\s*$|\bthe\s+following\b)", re.I)


def _told_summary_text(s: str) -> bool:
    """The sentence opens with the regulator's report that it told this provider it must /
    needs to / should improve, and is not the lead-in of a list."""
    return _TOLD_SUMMARY_RE.match(s) is not None and _LIST_LEADIN_RE.search(s) is None


def told_summary_naming_nothing(s: str) -> bool:
    """The regulator's report that it told this provider to improve, naming nothing more ("We
    have told the trust where it needs to make improvements."): in a report that lists its
    actions, probably a summary of them (``review.needs_review`` asks a person)."""
    if not _told_summary_text(s):
        return False
    if _SUMMARY_BOILERPLATE_RE.search(s) or _vacuous(s):
        return True
    trig = _find_trigger(s)
    return trig is not None and (_vacuous_clause(s, trig) or _vacuous_main(s, trig))


def _told_summary(s: str, trig: _Trigger) -> bool:
    """The sentence is the regulator's report that it told this provider it must / needs to /
    should improve (the trigger is that modal), and not the lead-in of a list."""
    m = _TOLD_SUMMARY_RE.match(s)
    return (
        m is not None
        and m.start() <= trig.key_start < m.end()
        and _LIST_LEADIN_RE.search(s) is None
    ) or _told_in_later_clause(s, trig)


def _vacuous(s: str) -> bool:
    """The sentence names nothing to improve: "Improvements are needed.", "We told the
    provider it must make improvements.", "Action must be taken to achieve compliance."."""
    if len(s) > 200:
        return False
    # what frames the clause names nothing either: when ("Following this inspection,"), a
    # concession set off by commas (", even though a regulation had not been breached,"), a
    # purpose that is improvement itself ("to help the service improve")
    s = _VACUOUS_FRAMES_RE.sub(" ", s)
    # "Overall, we found that improvements were needed for this essential standard.": the
    # standard the section is about is where, not what; a summing-up adverb names nothing
    text = _THIS_STANDARD_RE.sub(" ", s.lower())
    return all(w in VACUOUS_WORDS or w in _SUMMING_UP for w in _VACUOUS_TOKEN_RE.findall(text))


_SUMMING_UP = frozenset("overall generally altogether".split())


_VACUOUS_FRAMES_RE = re.compile(
    r"^\W*(?:following|after|during|at\s+the\s+end\s+of)\s+(?:this|the|our)\s+"
    r"(?:inspection|visit|assessment)\s*,"
    r"|,\s*(?:even\s+)?(?:though|although|while|whilst)\s+[^,;]*,"
    r"|\bto\s+help\s+(?:the\s+)?(?:service|provider|trust|practice|home)\s+(?:to\s+)?improve\b"
    # "We have found evidence that the provider needs to make improvements": what was found
    r"|\bevidence\s+(?=that\b)",
    re.I,
)


_WH_WORDS = frozenset("what how who whom which when where".split())


def _embedded_question(clause: list[str]) -> bool:
    """ "Care workers knew what they must do", "staff could explain how it must be
    recorded": a wh-word right before the must's subject opens an embedded question (what
    someone knows or says), not an obligation found; but "We have told the provider what it
    must do to…" is the regulator naming the action."""
    for back in (2, 3):
        if len(clause) >= back and clause[-back] in _WH_WORDS:
            subject = clause[-back + 1 :]
            if len(subject) > 2 or any(not t.isalpha() for t in subject):
                return False
            return not _told_provider(clause, len(clause) - back)
    return False


def prev_is_wh(clause: list[str]) -> bool:
    """True for embedded questions: "staff knew who they should contact"."""
    return any(t in ("who", "whom", "which") for t in clause[-3:])


# Only this much of a (pathologically long) sentence or paragraph is used to classify it.
CLASSIFY_CHARS = 2000


# Verbs of saying or of opinion: what someone told CQC, not what CQC found or knew to be so
# ("knew", "recognised", "acknowledged" are the provider's own admission, and stay sure).
_SAYING_OR_OPINION = frozenset(
    "told tells said says explained explains reported reports felt feels thought believed".split()
)
# Speakers who are the regulator: "Sir Mike said the trust also needed…", "Amanda Reeve,
# CQC's Director of Operations, said…".
_REGULATOR_SPEAKERS = REGULATOR_SUBJECTS | frozenset("sir dame professor chief".split())


def _reported_speaker(s: str, at: int) -> list[str] | None:
    """Who says the clause the keyword at ``at`` is in ("Ward managers" in "Ward managers
    told us they needed…"): the words before the last verb of saying, when that verb is in the
    keyword's own clause (no "and", "but" or ";" between); None when there is none."""
    toks = _tokens_before(s, at)
    verbs = [n for n, (t, _, _) in enumerate(toks) if t in _SAYING_OR_OPINION]
    if not verbs:
        return None
    between = [t for t, _, _ in toks[verbs[-1] + 1 :]]
    if any(t in ("and", "but", ";") for t in between):
        return None  # "Patients said it was hard…, and the practice recognised it needed…"
    speaker = _clause_before(toks[: verbs[-1]])
    if not speaker:
        # "Staff told us they needed more support… and said the hospital must open more
        # beds": the one who said it is the subject of the clause before the "and"
        speaker = _with_elided_subject(toks[: verbs[-1]], speaker)
        said = [n for n, t in enumerate(speaker) if t in _SAYING_OR_OPINION]
        speaker = speaker[: said[0]] if said else speaker
    return speaker or None


# After the reported need, the sentence turns to what happened or what the provider says:
# ", but the last meeting had been in November" (a rule found not kept), "…, and leaders
# agreed", "…, and the trust needed to review this arrangement" (the provider's own need).
_VOICE_TAKEN_UP_RE = re.compile(
    r"[^.;]*?\bbut\b"
    r"|[^.;]*?\b(?:and|but)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}?(?:leaders|managers|manager|"
    r"provider|trust|practice|board|directors?|partners)\s+(?:had\s+)?(?:agreed|accepted|"
    r"acknowledged|recognised|recognized|confirmed)\b"
    r"|[^.;]*?,\s*and\s+the\s+(?:trust|provider|practice|service|home|hospital|hospice)\s+"
    r"(?:also\s+)?(?:needed|needs|must|should)\b",
    re.I,
)


def _others_voice(s: str, trig: _Trigger) -> bool:
    """The requirement is only what staff, people using the service or their families told
    CQC they or the service needed ("Staff told us they needed more training on the washer
    disinfector", "A relative said the home needed more staff at weekends"): evidence CQC
    reports, not a requirement it states (issue 11's brief; tests/corpus/README.md, round
    "reported speech"). Not when the speaker is the provider's own voice (its managers,
    leaders, partners), a burden on staff ("should not have to"), a rule found not kept
    ("…, but…"), or a need the provider's leaders agreed with."""
    speaker = _reported_speaker(s, trig.key_start)
    if not speaker:
        return False
    words = [_norm_tok(t) for t in speaker]
    if all(w in SPEAKING_QUANTIFIERS or w in ("a", "of", "them", "these") for w in words):
        # "Patients told us staff were kind, although several said they needed…": some of
        # those the sentence opened with, the patients
        opening = _opening_speaker(s)
        words = [opening] if opening else words
    elif words == ["another"]:
        words = _one_then_another(s) or words
    if any(w in _REGULATOR_SPEAKERS or w.startswith("cqc") for w in words):
        return False
    if words and words[-1] in RULE_SOURCES:
        return False  # "…the training the provider's policy says they should complete": a
        # document says it, not a person
    if any(w in PROVIDER_VOICE for w in words) or not any(w in OTHERS_VOICE for w in words):
        return False
    if [t for t, _, _ in _tokens_after(s, trig.key_end, 3)] == ["not", "have", "to"]:
        return False  # "…they should not have to chase the governance team": a burden
    if trig.keyword in ("must", "should") and _AND_THAT_NOT_RE.match(s, trig.end):
        return False  # "…told us this should be done every day, and that the night staff had
        # not known it was their task": a rule of the work reported as not kept
    return not _VOICE_TAKEN_UP_RE.match(s, trig.end)


def reported_by_others(s: str) -> bool:
    """Is the sentence's requirement something a person CQC spoke to said (a manager, a
    member of staff, a relative: "Ward managers told us they needed two more nurses on each
    shift"), rather than CQC's own finding or what CQC told the provider? Such a sentence is
    evidence CQC reports; whether the provider must act on it is for a person to decide."""
    trig = _find_trigger(s)
    if trig is None:
        return False
    speaker = _reported_speaker(s, trig.key_start)
    if not speaker:
        return False
    return not any(
        _norm_tok(t) in _REGULATOR_SPEAKERS or _norm_tok(t).startswith("cqc") for t in speaker
    )


# Rules that read a sentence with the one before it (extract_requirements and
# _find_trigger_in_context in __init__.py put them to use).

# A sentence that gives a particular of the one before: "In particular, …", "For example, …".
_PARTICULAR_RE = re.compile(
    r"^(?:in\s+particular|for\s+example|for\s+instance|specifically|this\s+included)\b", re.I
)


def _shifted(trig: _Trigger, by: int) -> _Trigger:
    """The same trigger with its offsets moved ``by`` characters."""
    return _Trigger(
        trig.keyword,
        trig.kind,
        max(0, trig.start + by),
        trig.end + by,
        trig.key_start + by,
        trig.key_end + by,
    )


_PRONOUN_OPENER_RE = re.compile(r"^(?:She|He)\b")
# The sentence before opens with one who runs the service: "The registered manager was…",
# "The principal dentist had…" (a head word of LEADERSHIP_REPORTERS, or a staff noun after
# "principal", "lead", "registered"…, with at most three words before it).
_LEADER_OPENER_RE = re.compile(
    r"(?P<who>(?:The|the|Our|our)\s+(?:[A-Za-z][\w-]*\s+){0,3}?(?P<head>[A-Za-z]+))"
    r"\s+(?:was|is|had|has|told|said|explained|described|agreed|acknowledged|recognised|"
    r"confirmed|knew|understood)\b"
)


def _with_named_speaker(s: str, before: str) -> _Trigger | None:
    """ "She told us she needed to…" read as "The registered manager told us she needed to…"
    when the sentence just before opens with the registered manager: the pronoun is theirs,
    and what one who runs the service says it needs is the provider's admission of a gap."""
    pronoun = _PRONOUN_OPENER_RE.match(s)
    if pronoun is None:
        return None
    last = re.split(r"(?<=[.!?])\s+", before.strip())[-1]
    m = _LEADER_OPENER_RE.match(last)
    if m is None:
        return None
    words = m.group("who").lower().split()
    if not (
        words[-1] in LEADERSHIP_REPORTERS or (len(words) > 2 and words[-2] in SENIOR_MODIFIERS)
    ):
        return None
    who = m.group("who")
    who = who[0].upper() + who[1:]
    trig = _find_trigger(who + s[pronoun.end() :])
    if trig is None:
        return None
    by = pronoun.end() - len(who)
    if trig.key_start + by < pronoun.end():
        return None
    return _shifted(trig, by)


# A sentence opened by a quantifier standing alone as the one who speaks: "Another said…",
# "Others told us…", "Some added…" (OPENING_SPEAKER_QUANTIFIERS, capitalised; "few" as
# "A few").
_QUANTIFIER_SPEAKER_RE = re.compile(
    r"^(?P<q>"
    + "|".join(
        r"A\s+few" if q == "few" else q.capitalize() for q in sorted(OPENING_SPEAKER_QUANTIFIERS)
    )
    + r")\s+(?=(?:also\s+)?(?:said|told|"
    r"commented|added|felt|thought|described|explained|mentioned|suggested)\b)"
)


def _one_more_of_them(s: str, before: str) -> bool:
    """ "One relative told us, "…". Another said the home should be…": "Another" is another of
    those the sentence before opened with (a relative), so what it says is their voice, as
    "Another relative said…" would be. True when read so the sentence has no requirement."""
    m = _QUANTIFIER_SPEAKER_RE.match(s)
    if m is None:
        return False
    last = re.split(r"(?<=[.!?”'])\s+|(?<=\.\")\s+", before.strip())[-1]
    head = _opening_speaker(last)
    if head is None:
        return False
    return _find_trigger(f"{m.group('q')} {head} {s[m.end() :]}") is None


# A rating's name and a colon, then what it means for a service: "Requires improvement: the
# service isn't performing as well as it should and we have told the service how it must
# improve." (the key to the ratings, printed in every report of some years)
_RATING_DEFINITION_RE = re.compile(
    r"^(?:outstanding|good|requires\s+improvement|inadequate)\s*[:–—-]\s*"
    r"(?:the|a|this)\s+(?:service|provider|location|organisation)\b",
    re.I,
)


def _defines_a_word(s: str, section: str | None) -> bool:
    """A sentence of a glossary or of the key to the ratings (``DEFINITION_SECTIONS``), or a
    rating's definition wherever it is printed: what a word means, for any provider."""
    if _RATING_DEFINITION_RE.match(s):
        return True
    return section is not None and section.strip(" :.").lower() in DEFINITION_SECTIONS


# round 13 (branch round14: report pages written without "must" at the start)

# A clause of its own after the first: ", and …", "; …".
_LATER_CLAUSE_RE = re.compile(r",\s*and\s+|;\s*", re.I)


def _told_in_later_clause(s: str, trig: _Trigger) -> bool:
    """The regulator's report that it told this provider it must improve, as a clause of its
    own after the first: "It is essential that the provider addresses this, and we have told
    it that it must make improvements." (the clause before names what)."""
    if _LIST_LEADIN_RE.search(s):
        return False
    for c in _LATER_CLAUSE_RE.finditer(s, 0, trig.key_start):
        m = _TOLD_SUMMARY_RE.match(s[c.end() :])
        if m is not None and c.end() + m.start() <= trig.key_start < c.end() + m.end():
            return True
    return False


# What a rule source says, right before the keyword's subject: "…, as the national standards
# say they should be", "…the training the provider's policy says they should complete…".
_RULE_SAYS_BEFORE_RE = re.compile(
    r"(?P<lead>,?\s*\bas\s+|\b)(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,5}?(?:"
    + _RULE_SOURCES_ALT
    + r")\s+(?:says?|said|states?|stated|requires?|required)\s+(?:that\s+)?"
    r"(?:they|it|staff|[\w’'-]+)\s*$",
    re.I,
)
_NOTICE_ROW_RE = re.compile(r"^\W*how\s+the\s+regulation\s+(?:was|is)\s+not\s+being\s+met\b", re.I)
# The sentence's main clause, before the rule, finds a failure: "were not always streamed",
# "Not all care workers had received…".
_MAIN_NEGATED_RE = re.compile(r"\b(?:not|never|none)\b|n[’']t\b", re.I)


def _rule_beside_failure(s: str, m: re.Match[str]) -> bool:
    """A rule source's should, in an "as" clause or a relative clause on a noun, whose
    sentence's main clause before it finds this provider falling short: "Patients were not
    always streamed within 15 minutes, as the national standards say they should be", "Not
    all care workers had received the training the provider's policy says they should
    complete". The standard not kept is the need (kept, "as the system says they should", it
    is a comparison)."""
    lo = max(0, m.start() - 160)
    negated = _tokens_after(s, m.end(), 1)
    if negated and negated[0][0] in ("not", "never"):
        return False  # "Patients were not kept waiting, as the guidance says they should not
        # be": a rule against, found not broken
    if _only_when_rule_broken(s, m, lo):
        return True
    rule = _RULE_SAYS_BEFORE_RE.search(s, lo, m.start())
    if rule is None or _NOTICE_ROW_RE.match(s):
        return False  # (a notice's row is a breach row or the MUST list's evidence: decided
        # by the table, extract._breach_rows, not here)
    if re.search(r"\bas\s+[\w-]+\s+as\b", s[max(0, rule.start() - 30) : m.start()]):
        return False  # "…as often as the provider's own policy said it should": a comparison
    main = re.split(r"[.;:!?]\s", s[: rule.start()])[-1]  # the rule's own sentence and clause
    if not main.strip() or main.rstrip()[-1:] in ".;:":
        return False
    return _MAIN_NEGATED_RE.search(main) is not None


def _done_late(main: str) -> bool:
    """ "…, which must be completed within seven days, had been completed late for 23 of the
    60 prisoners": done, but late, is the rule not kept."""
    done = _MAIN_DONE_RE.match(main)
    return (
        done is not None
        and re.match(r"\s+(?:too\s+|very\s+)?late\b", main[done.end() :]) is not None
    )


def _one_then_another(s: str) -> list[str] | None:
    """ "One person said the centre should…, and another said…": "another" is one more of
    those the sentence opened with "One …" ([person]); None when it did not."""
    if re.match(r"^\W*one\s+(?!of\b)", s, re.I) is None:
        return None
    head = _opening_speaker(s)
    return [head] if head else None


def _unregistered_partner(clause: list[str], head: str | None) -> bool:
    """The subject is a body CQC does not register, beside the provider it reports on: "The
    prison should review the times of the medicine queues" in a report on a prison's health
    services (the prison is run by the prison service; the provider is the health care
    contractor). ``words.UNREGISTERED_PARTNERS``."""
    if head not in UNREGISTERED_PARTNERS:
        return False
    return clause[-2:] == ["the", head]


# "you should" in a letter: the letter's addressee, who runs the provider.
_YOU_SHOULD_RE = re.compile(r"\byou\s+should\b(?!\s+not\s+have\s+to)", re.I)
# The sentence before asks for a report to CQC ("Please send us a provider action statement…"):
# what "you should" do next is part of that report.
_ASKS_FOR_REPORT_RE = re.compile(
    r"\b(?:please\s+)?(?:send|tell|give|submit)\s+(?:to\s+)?(?:us|cqc)\b[^.]*\.\s*$", re.I
)


def letter_you_should(s: str, before: str) -> tuple[str, _Trigger] | None:
    """In a letter to the provider, "Until then, you should keep the number of morning calls
    answered under review." is the provider's should, as "the provider should" would be: the
    sentence read so, and its trigger; None when it gives none (a condition, a report to
    CQC: "You should contact us if you need more time.") or the sentence before asks for a
    report ("Please send us a provider action statement… You should include the date…")."""
    if _YOU_SHOULD_RE.search(s) is None or _ASKS_FOR_REPORT_RE.search(before):
        return None
    if re.search(r"\b(?:contact|write\s+to|email|phone|call)\s+(?:us|me|cqc)\b", s, re.I):
        return None  # how to reach CQC: procedure
    recast = _YOU_SHOULD_RE.sub("the provider should", s, count=1)
    trig = _find_trigger(recast)
    return (recast, trig) if trig is not None else None


# ", which the trust's escalation policy says should happen only in an emergency": a rule
# source's restriction on the deed the clause before reports.
_WHICH_RULE_SAYS_RE = re.compile(
    r",\s*which\s+(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,4}?(?:"
    + _RULE_SOURCES_ALT
    + r")\s+(?:says?|states?|requires?)\s+(?:that\s+)?$",
    re.I,
)
_ONLY_AFTER_RE = re.compile(r"\s+(?:happen|occur|be\s+used|be\s+done)\s+only\b", re.I)
# A count of the occasions it happened on: "on 11 of the 28 nights we reviewed".
_OCCASIONS_COUNT_RE = re.compile(r"\b\d+\s+of\s+the\s+\d+\s+[a-z]+", re.I)


def _only_when_rule_broken(s: str, m: re.Match[str], lo: int) -> bool:
    """ "…on 11 of the 28 nights we reviewed there were only two, and on those nights the
    nurse in charge also had to cover the neighbouring ward, which the trust's escalation
    policy says should happen only in an emergency": the rule allows the deed only in a
    case, and the sentence counts the occasions it was done as routine. The rule not kept."""
    rule = _WHICH_RULE_SAYS_RE.search(s, lo, m.start())
    if rule is None or _ONLY_AFTER_RE.match(s, m.end()) is None:
        return False
    return _OCCASIONS_COUNT_RE.search(s, 0, rule.start()) is not None


# "…until the autumn", "…until the new nurses start": the time a stop-gap lasts to.
_UNTIL_RE = re.compile(r"[^.;]*?\buntil\b", re.I)


def _stopgap_until(s: str, clause: list[str], end: int) -> bool:
    """ "…two nurses were due to start in May, and the ward manager said the unit would still
    need to rely on bank staff until the autumn": "would still need to … until" foresees how
    long an arrangement in place will go on, a circumstance, not an action to take."""
    return clause[-2:] == ["would", "still"] and _UNTIL_RE.match(s, end) is not None


# round 13

# The line that opens a press release's notes for journalists ("Notes to editors",
# "Notes to editors:", "Editors' notes"): what follows it is about CQC, the law and the press
# office, for any provider ("All providers … must register with CQC", "Journalists who need
# to contact the press office out of hours should call…"), never this provider's action.
_NOTES_TO_EDITORS_RE = re.compile(
    r"^[ \t]*(?:notes?\s+(?:to|for)\s+editors|editors['’]?\s+notes)[ \t]*:?[ \t\r]*$", re.I | re.M
)


def notes_to_editors_lines(text: str) -> tuple[int, int] | None:
    """The 1-based lines (first, last) of a press release's notes to editors: from the
    "Notes to editors" line to the next line standing alone between blank lines (the headline
    of the next item in a page of several, "Trust placed in special measures"), or to the end.
    """
    m = _NOTES_TO_EDITORS_RE.search(text)
    if m is None:
        return None
    lines = text.split("\n")
    first = text.count("\n", 0, m.start()) + 1
    for at in range(first + 1, len(lines) - 1):  # 0-based index of a line after the notes line
        line = lines[at].strip()
        if (
            line
            and not lines[at - 1].strip()
            and not lines[at + 1].strip()
            and len(line) < 80
            and not line.endswith((".", ":"))
        ):
            return first, at  # (the 1-based line before the standalone one)
    return first, len(lines)


# What another body's inspection, investigation or review found ("The Healthcare
# Commission's inspection in November 2009 found that the trust needed to improve…", "NHS
# England's review found that…"): a finding of someone else's, reported as background, not
# this report's requirement. The owner is a proper name other than CQC's; "The trust's own
# review found…" and "Our inspection found…" are not this.
_OTHER_BODY_FINDING_RE = re.compile(
    r"^(?:(?:in|by|at)\s+[\w ]{3,25},\s*)?(?:the\s+)?"
    r"(?P<owner>[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|for|and))*)(?:'s|’s)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:inspection|investigation|review|report|visit|audit|health\s+check)"
    r"\b[^;:]*?\bfound\s+(?:that\s+)?",
)
_OWN_BODIES = frozenset(("care quality commission", "cqc", "commission"))


def _other_body_finding(s: str, trig: _Trigger) -> bool:
    m = _OTHER_BODY_FINDING_RE.match(s)
    if m is None or m.end() > trig.key_start:
        return False
    owner = m.group("owner").lower().split()
    if " ".join(owner) in _OWN_BODIES or any(
        w in ORGANISATION_WORDS or w in _OWN_PLACE_WORDS for w in owner
    ):
        return False  # "Westfield Hospital's own audit found…", "The Trust's review…"
    # a single capitalised word opening the sentence is a common noun ("Inspectors' visit
    # found…", "Managers' audit found…") unless it is an acronym ("NHSE's review found…")
    return len(owner) > 1 or m.group("owner").isupper()


_OWN_PLACE_WORDS = frozenset(
    "surgery centre unit ward ltd limited partnership services inspectors our managers "
    "leaders staff".split()
)


# A need to do a deed followed, in a clause joined by "and (that)", by its subject having
# done that same deed ("…agreed that it needed to recruit more paramedics, and that it had
# already recruited 24, who started in June"): met. Not a part of it ("had recruited only
# two", "two of the four"), nor another deed ("…and had begun advertising").
_SAME_DEED_DONE_RE = re.compile(
    r"\s+(?P<verb>[a-z]+)\b[^;.]*?,?\s+and\s+(?:that\s+)?(?:it|they|he|she|we|the\s+[\w’'-]+)\s+"
    r"(?:had|has|have)\s+(?:already\s+|since\s+|now\s+)?(?P<done>[a-z]+ed)\b(?P<after>[^;]*)",
    re.I,
)
_PART_DONE_RE = re.compile(
    r"^\s*(?:only|some|part)\b|\bof\s+(?:the\s+|its\s+)?(?:\d+|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|twelve|twenty)\b|,\s*but\b",
    re.I,
)


def _same_deed_done(s: str, trig: _Trigger) -> bool:
    if trig.kind != "to_active":
        return False
    m = _SAME_DEED_DONE_RE.match(s, trig.end)
    if m is None or _PART_DONE_RE.search(m.group("after")):
        return False
    verb, done = m.group("verb").lower(), m.group("done").lower()
    return done in (verb + "ed", verb + "d", verb + verb[-1:] + "ed")


def _settled_or_others(s: str, trig: _Trigger) -> bool:
    """Round 13's ways a need is not this provider's open action: another body's finding,
    or the same deed since done."""
    return (
        _other_body_finding(s, trig)
        or _same_deed_done(s, trig)
        or _time_asked_for(s, trig)
        or _reported_clause_vacuous(s, trig)
    )


# A need whose subject is to act "with the trust" (the provider named as its partner after an
# active verb: "…, and that hospitals and commissioners needed to work with the trust to
# reduce handover times") is someone else's: the provider is not its own partner. Not a
# passive, nor the provider's possession ("needed to be aligned with the trust's plan").
_WITH_THE_PROVIDER_RE = re.compile(
    r"\s+to\s+(?!be\b)[a-z]+\b[^,;.]*?\b(?:with|alongside)\s+the\s+(?P<org>[a-z]+)\b"
    # the provider itself, not a part of it ("the hospital pharmacy team", "the trust's plan")
    r"(?=\s*(?:[,.;]|$)|\s+(?:to|in|on|and|so|over|about|for)\b)",
    re.I,
)


def _partner_of_provider(s: str, m: re.Match[str], clause: list[str]) -> bool:
    head = _head(clause)
    if (
        head is None
        or head in ORGANISATION_WORDS
        or head in PROVIDER_VOICE
        or head in STAFF_REPORTERS
        or head in ("it", "they", "we", "he", "she", "staff")
    ):
        return False  # (the provider's own people working with it are its own action)
    w = _WITH_THE_PROVIDER_RE.match(s, m.end())
    return w is not None and w.group("org").lower() in ORGANISATION_WORDS


# "…told inspectors that the practice had needed to rely on locum GPs for much of the past
# year": reported, "had needed" over a span of the past up to the telling is how things have
# been (the speaker's "has needed … for the past year"), a circumstance, as the past perfect
# is outside reported speech; "…told us she had needed to recruit…" alone is still a need.
_PAST_SPAN_RE = re.compile(
    r"[^,;.]*?\b(?:for|over|during|throughout)\s+(?:(?:much|most|all|part)\s+of\s+)?the\s+"
    r"(?:past|last|previous)\b",
    re.I,
)


def _over_a_past_span(s: str, at: int) -> bool:
    return _PAST_SPAN_RE.match(s, at) is not None


# "The trust's own declaration said that it needed more time to reach full compliance with
# screening": a need for more time to meet what is already required is a request for longer
# (the requirement is the thing to be met, stated where it is set), not an action of its own;
# "needed more time to supervise staff" (time as a resource for a task) is still a need.
_TIME_ASKED_RE = re.compile(
    r"\s+(?:a\s+little\s+|some\s+)?(?:more|extra|further|additional|longer)\s+time\s+"
    r"(?:to|in\s+which\s+to)\s+(?:reach|achieve|meet|complete|finish|comply|become|bring|"
    r"fulfil|satisfy)\b",
    re.I,
)


def _time_asked_for(s: str, trig: _Trigger) -> bool:
    return _TIME_ASKED_RE.match(s, trig.key_end) is not None


def _staff_rule_subject(clause: list[str]) -> bool:
    """The subject of a rule staff report: themselves ("they", "staff", "we"), or staff of a
    kind ("The nurse in charge said agency nurses must be shown the procedure…, but…")."""
    return clause[-1] in ("they", "staff", "we") or clause[-1] in STAFF_REPORTERS


# A failure found in the main clause, then the rule it broke in a clause of concession after
# it ("Nine of the 14 care plans had not been reviewed in the last year, although the agency's
# own policy states that care plans should be reviewed every six months"): the rule not kept,
# a duty not met, as when the failure follows the rule.
_CONCESSION_RE = re.compile(r",\s*(?:although|though|even\s+though|whereas)\s+", re.I)
_MAIN_FAILURE_RE = re.compile(
    r"\b(?:had|has|have|was|were|is|are|did|does|do)\s+(?:not|never)\b|\bn[’']t\b|\bfailed\b",
    re.I,
)


def _rule_after_failure(s: str, m: re.Match[str], clause: list[str]) -> bool:
    last = None
    for c in _CONCESSION_RE.finditer(s, 0, m.start()):
        last = c
    if last is None or not _MAIN_FAILURE_RE.search(s, 0, last.start()):
        return False
    return _describes_rule(s, m, clause, must=True)


def _across_and_of(toks: list[tuple[str, int, int]], clause: list[str]) -> list[str]:
    """ "All providers of health and adult social care must register with CQC": the clause
    before the keyword was cut at the "and" inside the prepositional phrase; the subject is
    the whole noun phrase, "all providers of health and adult social care" (not "adult social
    care"). Only when the words before the "and" end in a preposition and one word ("providers
    of health"), so two subjects joined by "and" ("Staff and managers must…", "The trust and
    its partners must…") stay as they were."""
    at = len(toks) - len(clause) - 1
    if at < 3 or toks[at][0] != "and":
        return clause
    earlier = _clause_before(toks[:at])
    if len(earlier) >= 3 and earlier[-2] in ("of", "for") and earlier[-1].isalpha():
        return [*earlier, "and", *clause]
    return clause


def _quantified_report(clause: list[str], i: int) -> bool:
    """ "Ms Smith said all trusts needed to learn from the findings": a verb of saying with a
    quantified subject right after it ("all", "every", "any") opens a reported clause of its
    own, its "that" left out, as a document's verb does."""
    return clause[i] in _SAYING_VERBS and clause[i + 1 : i + 2] in (["all"], ["every"], ["any"])


# Procedure addressed to CQC with the thing sent before "to": "Under the conditions, the
# provider must submit monthly reports to CQC", "…should send a copy of the plan to us"; a
# report the provider "must now send CQC" is the same.
_SENT_TO_CQC_RE = re.compile(
    r"\b(?:must|should|needs?\s+to|is\s+required\s+to)\s+(?:(?:also|now|then|therefore)\s+)?"
    r"(?:send|submit|give|provide|return)\s+(?:(?:cqc|us)\s+|(?:[\w’'-]+\s+){1,6}?to\s+"
    r"(?:cqc|us|the\s+(?:care\s+quality\s+)?commission)\b)",
    re.I,
)
# "Anyone who needs advice about a care home should contact their local council": a free-choice
# pronoun opening the sentence is anyone at all, the public, not this provider.
_ANYONE_RE = re.compile(r"^\W*(?:anyone|anybody|whoever)\b", re.I)


def _addressed_elsewhere(s: str) -> bool:
    return _SENT_TO_CQC_RE.search(s) is not None or _ANYONE_RE.match(s) is not None


# The last verb of saying or knowing before the keyword, and its "that": what follows is the
# reported clause ("…said she knew the trust needed to change.").
_REPORTING_FRAME_RE = re.compile(
    r"\b(?:said|told\s+(?:us|inspectors|cqc)|knew|accepted|acknowledged|agreed|recognised|"
    r"recognized|admitted|conceded)\s+(?:that\s+)?",
    re.I,
)


def _reported_clause_vacuous(s: str, trig: _Trigger) -> bool:
    """ "The trust's new chief executive, who joined in April, said she knew the trust needed
    to change.": one who runs the service saying a need that names nothing to improve, as
    "Improvements are needed." does in the report's own voice. Not CQC's report of what it
    told the provider ("We told the trust it must improve", "The chief inspector said the
    trust must improve"), which is the requirement."""
    last = None
    for f in _REPORTING_FRAME_RE.finditer(s, 0, trig.key_start):
        last = f
    if last is None or _told_summary(s, trig):
        return False
    speaker = {w.lower().strip("’'s") for w in re.findall(r"[\w’']+", s[: last.start()])}
    if not speaker & PROVIDER_VOICE or speaker & _CQC_IN_SPEAKER:
        return False  # (the chief inspector saying "the trust must improve" is CQC's telling)
    return _vacuous(s[last.end() :])


_CQC_IN_SPEAKER = frozenset("inspector inspectors cqc commission regulator".split())
