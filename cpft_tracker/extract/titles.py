"""Titles: a requirement sentence -> a title that reads as an action."""

from __future__ import annotations

import re

from cpft_tracker.extract.rules import (
    _ASIDE_MAIN_RE,
    _ASIDE_OPEN_RE,
    _BE_WORDS,
    _rule_after_shortfall,
    _tokens_after,
    _tokens_before,
    _Trigger,
    shortfall_join,
)
from cpft_tracker.extract.rules import (
    _find_trigger as find_trigger,
)
from cpft_tracker.extract.units import (
    _MAJOR_HEADING_RE,
    _collapse,
    _sentence_spans,
)
from cpft_tracker.extract.words import (
    ACTION_NOUN_VERBS,
    AGENT_HEADS,
    AGREE_OBJECTS,
    BOUNDARY_WORDS,
    CLAUSE_SUBORDINATORS,
    CLAUSE_TAKING_VERBS,
    COUNT_WORDS,
    IMPERATIVE_VERBS,
    IRREGULAR_PARTICIPLES,
    NON_TOPIC_HEADS,
    NOUN_DETERMINERS,
    NOUN_MODIFIERS,
    OBJECT_NOUNS,
    OBJECT_STARTERS,
    ORGANISATION_WORDS,
    OTHERS_VOICE,
    PART_QUANTIFIERS,
    PARTICIPLE_SUFFIXES,
    PEOPLE_SUBJECTS,
    PREPOSITIONS,
    PRONOUN_FOLLOWERS,
    PROVIDER_SUBJECTS,
    PROVIDER_VOICE,
    REGULATOR_SUBJECTS,
    RELATIVE_PAST,
    REPORTER_QUANTIFIERS,
    REPORTING_VERBS,
    RULE_SOURCES,
    SAME_SUBJECT_OPENERS,
    SKIP_BEFORE_KEYWORD,
    STANDALONE_PRONOUNS,
    SUBORDINATORS,
    TITLE_PRONOUNS,
    TOLD_OPENING,
    VERB_OPENERS,
    told_by_notice,
    told_passive,
)

# ===========================================================================
# Titles
# ===========================================================================


# "… checked regularly. (Regulation 12)": the citation is kept in the requirement, not the title.
_REGULATION_TAIL_RE = re.compile(
    r"[\s.]*\((?:regulations?|reg\.?|outcome)\b(?:[^()]|\([^()]*\))*\)\W*$", re.I
)


def _finish_title(t: str) -> str:
    """Capitalise and trim trailing punctuation. Never shortened: the title is stored whole
    and only a terminal display may cut it (issue 11)."""
    t = _REGULATION_TAIL_RE.sub("", _collapse(t)).strip(" .;:,")
    t = re.sub(r"\s+(?=[,;])", "", t)  # "the maternity risk register , as…": no space before
    if not t:
        return ""
    if t[0].islower():
        t = t[0].upper() + t[1:]
    return t


def _base_verb(word: str) -> str | None:
    w = word.lower()
    if w in IRREGULAR_PARTICIPLES:
        return IRREGULAR_PARTICIPLES[w]
    for suffix, repl in PARTICIPLE_SUFFIXES:
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return w[: -len(suffix)] + repl
    if w.endswith("ed") and len(w) > 4:
        # a verb the word tables know, past: "started" -> "start", "stopped" -> "stop"
        for stem in (w[:-2], w[:-1], w[:-3] if w[-3:-2] == w[-4:-3] else ""):
            if (stem in IMPERATIVE_VERBS or stem in VERB_OPENERS) and stem != "staff":
                return stem  # ("staffed by permanent nurses" stays a state: "Ensure … is…")
    return None


_PEOPLE_PARTICIPLES = frozenset("using receiving living accessing attending awaiting".split())
_PEOPLE_RELATIVE_VERBS = frozenset("use used receive received attend attended access".split())


def _subject_np(s: str, end: int) -> tuple[int, int] | None:
    """Span of the noun phrase right before offset ``end`` ("the success of these interventions")."""
    toks = _tokens_before(s, end, 14)
    while toks and toks[-1][0] in SKIP_BEFORE_KEYWORD:
        toks.pop()
    stop_words = (
        BOUNDARY_WORDS
        | _BE_WORDS
        | SUBORDINATORS
        | {
            "that",
            "which",
            "who",
            "had",
            "has",
            "have",
            "did",
            "does",
            "do",
            "will",
            "would",
            "should",
            "must",
            "can",
            "could",
            "as",
        }
    )
    preps = {
        "of",
        "for",
        "in",
        "across",
        "from",
        "within",
        "at",
        "on",
        "to",
        "between",
        "by",
        "with",
    }
    taken: list[tuple[str, int, int]] = []
    i = len(toks) - 1
    while i >= 0:
        t = toks[i][0]
        if not t[0].isalnum() or t in stop_words:
            break
        taken.append(toks[i])
        if t in NOUN_DETERMINERS or t in ("this", "these", "those", "that", "some", "more", "all"):
            if i > 0 and toks[i - 1][0] in preps:
                i -= 1
                continue
            # "People using the service", "Staff using the system", "People who use the
            # service": the object of a postmodifier on the subject is not the subject
            if (
                i > 1
                and toks[i - 1][0] in _PEOPLE_PARTICIPLES
                and toks[i - 2][0].isalpha()
                and toks[i - 2][0] not in stop_words
                and toks[i - 2][0] not in NOUN_DETERMINERS
            ):
                i -= 1
                continue
            if (
                i > 2
                and toks[i - 1][0] in _PEOPLE_RELATIVE_VERBS
                and toks[i - 2][0] == "who"
                and toks[i - 3][0] in PEOPLE_SUBJECTS
            ):
                taken.extend([toks[i - 1], toks[i - 2]])
                i -= 3
                continue
            break
        i -= 1
        if len(taken) > 10:
            return None
    if not taken:
        return None
    return taken[-1][1], taken[0][2]


def _sentence_subject(s: str) -> tuple[int, int] | None:
    """The sentence's opening noun phrase, up to its first auxiliary ("Succession planning")."""
    toks = _tokens_after(s, 0, 14)
    for idx, (t, _, _) in enumerate(toks):
        if t in _BE_WORDS or t in ("had", "has", "have", "did", "does", "do", "will", "would"):
            if idx == 0:
                return None
            return toks[0][1], toks[idx - 1][2]
        if not t[0].isalnum():
            return None
    return None


def _lower_first(phrase: str, at_sentence_start: bool) -> str:
    if at_sentence_start and phrase[:1].isupper() and phrase[1:2].islower():
        return phrase[0].lower() + phrase[1:]
    if at_sentence_start and phrase[:2] == "A " and phrase[2:3].islower():
        return "a " + phrase[2:]  # "A training needs analysis should be completed"
    return phrase


def _clause_from(s: str, pos: int) -> str:
    """The sentence from the start of the clause containing ``pos``; a reporting frame that
    opens the clause ("and the trust's board agreed in July that …", "Professor Richards
    said that …") is not part of the requirement, so the clause starts after its "that"."""
    best = 0
    for m in re.finditer(r"[,;:]\s+|\b(?:but|whilst|while|although|however)\s+", s[:pos], re.I):
        best = m.end()
    lead = re.match(r"(?:and|so|yet)\s+(?=\S)", s[best:pos], re.I)
    if best and lead:
        best += lead.end()  # ", and this needed to be addressed": the clause after "and"
    frame = _REPORTING_FRAME_RE.match(s, best, pos)
    if frame and not re.match(r"(?:they|it|he|she|we)\b", s[frame.end() :], re.I):
        best = frame.end()  # (a pronoun after "that" needs the frame to say who it is)
    return s[best:]


# A clause that opens with someone reporting ("and the board agreed in July that", "Professor
# Richards said that"): up to six words, a verb of reporting, up to four more, then "that".
_REPORTING_FRAME_RE = re.compile(
    r"(?:(?:and|but)\s+)?(?:[\w’'-]+\s+){1,6}?(?:"
    + "|".join(sorted(REPORTING_VERBS | {"conceded", "admitted", "assured"}))
    + r")\s+(?:[\w’'-]+\s+){0,4}?that\s+",
    re.I,
)


def _passive_title(s: str, trig: _Trigger, rest_from: int) -> str | None:
    """ "X needs to be reviewed and strengthened" -> "Review and strengthen X"."""
    after = _tokens_after(s, rest_from, 12)
    if not after or after[0][0] != "be":
        return None
    verbs: list[str] = []
    i = 1
    end = after[0][2]
    while i < len(after):
        t, a, b = after[i]
        adverb = ""
        if t.endswith("ly") and i + 1 < len(after):
            adverb = t + " "
            i += 1
            t, a, b = after[i]
        base = _base_verb(t)
        if base is None:
            break
        verbs.append(adverb + base)
        end = b
        i += 1
        if i < len(after) and after[i][0] in ("and", ",") and i + 1 < len(after):
            i += 1
            continue
        break
    if not verbs:
        return None
    remainder = s[end:].strip()
    if verbs == ["do"] and remainder.lower().startswith("to "):
        return remainder[3:]
    which = re.search(r",\s*which\s+$", s[: trig.key_start])
    before_which = _BEFORE_WHICH_RE.match(s[: which.start() + 1]) if which else None
    if before_which and failure_as_action(before_which.group("finding")):
        return None  # "…, which needs to be addressed": it takes up the failure before it
    span = _subject_np(s, trig.key_start)
    if which:
        # "The provider had a new policy, which needed to be shared with staff": the noun
        # phrase it follows
        ante = _RELATIVE_ANTECEDENT_RE.search(s[: trig.key_start])
        if ante is None:
            return None
        span = (ante.start("np"), ante.end("np"))
    if span is None:
        span = _sentence_subject(s)
        if span is None:
            return None
    span = _whole_coordinated_subject(s, span)
    frame = _SAID_FRAME_RE.match(s, span[0], span[1])
    reported = s[frame.end() : span[1]].split()[:1] if frame is not None else []
    if (
        frame is not None
        and reported
        and reported[0].lower() not in STANDALONE_PRONOUNS | TITLE_PRONOUNS | PREPOSITIONS
        and reported[0].lower() not in ("that", "she", "he", "they")
    ):
        span = (frame.end(), span[1])  # "The manager said care plans needed to be rewritten":
        # what is to be done is done to the reported clause's subject
    subject = _lower_first(s[span[0] : span[1]], span[0] == 0)
    head = subject.split()[-1].lower() if subject.split() else ""
    if subject.lower() in ("more", "this", "it", "that", "which") or head in REGULATOR_SUBJECTS:
        return None
    if _BY_AGENT_RE.match(remainder) and len(verbs) == 1:
        # "Blood test results needed to be reviewed by a GP before being filed": who does it
        # is part of the requirement, so the passive stays ("Ensure … are reviewed by a GP")
        participle = s[after[1][1] : end]
        return f"Ensure {subject} {'are' if _plural(subject) else 'is'} {participle} {remainder}"
    on = re.match(r"^(?:on|upon)\s+(?P<rest>.*)$", remainder)
    if len(verbs) > 1 and on:
        # "Fridge temperatures need to be checked and acted on every day" -> "Check fridge
        # temperatures and act on them every day": the preposition is the last verb's
        them = "them" if _plural(subject) else "it"
        rest = on.group("rest")
        return f"{' and '.join(verbs[:-1])} {subject} and {verbs[-1]} on {them}" + (
            f" {rest}" if rest else ""
        )
    verb = " and ".join(verbs)
    particle = _PARTICLE_RE.match(remainder) or _PHRASAL_RE.match(remainder)
    if particle:
        # "the results must be acted on" -> "Act on the results"; "checks needed to be
        # carried out for all staff" -> "Carry out checks for all staff"
        verb, remainder = f"{verb} {particle.group(1)}", particle.group(2).strip()
    elif len(verbs) == 1 and (late := _LATE_PARTICIPLE_RE.match(remainder)):
        # "Audits need to be completed each month and reported to the committee" -> "Complete
        # audits … each month and report them to the committee": a second participle after
        # an adverbial is a second verb with the same object
        adverbial = late.group("adv").split()
        second = _base_verb(late.group("p").lower())
        if second and not any(w.lower() in _VERBISH for w in adverbial):
            remainder = (
                f"{late.group('adv').strip()} and {second} "
                f"{'them' if _plural(subject) else 'it'}{late.group('rest')}"
            )
    return verb + " " + subject + (" " + remainder if remainder else "")


# "each month and reported to the committee": an adverbial of up to four words, then "and"
# and a participle going on with a preposition.
_LATE_PARTICIPLE_RE = re.compile(
    r"^(?P<adv>(?:[\w’'-]+\s+){1,4}?)and\s+(?P<p>[a-z]+ed)(?P<rest>\s+(?:to|at|with|in|on)\s+[a-z].*)$"
)


# "by a GP", "by the multidisciplinary team": an agent, not a deadline ("by 30 June", "by
# the end of the year").
_BY_AGENT_RE = re.compile(
    r"^by\s+(?:a|an|the)\s+(?!end\b|time\b|date\b|deadline\b|next\b|start\b)[a-z]", re.I
)
# "out" and "up" after a participle always go with the verb ("carried out", "set up").
_PHRASAL_RE = re.compile(r"^(out|up)\s+(?!to\b|of\b)(\S.*)$", re.I)  # not "kept up to date"


def _whole_coordinated_subject(s: str, span: tuple[int, int]) -> tuple[int, int]:
    """ "Risk assessments for moving and handling needed to be reviewed": the subject is the
    whole phrase from the sentence's start, not "handling" after the "and", when nothing
    before the "and" is a verb or a clause of its own."""
    before = s[: span[0]]
    if not re.search(r"\s(?:and|or)\s+$", before):
        return span
    # from the clause's start: "For example, one person's food and drink needed to be
    # thickened" -> "one person's food and drink"
    start = max((m.end() for m in re.finditer(r"[,;:]\s*", before)), default=0)
    words = [w.lower() for w, _, _ in _words(before[start:])]
    if len(words) < 2 or any(w in _VERBISH or w in CLAUSE_SUBORDINATORS for w in words):
        return span  # ", and the bathrooms…": nothing before the "and" but the comma
    if start == 0 and not any(w in PREPOSITIONS for w in words):
        return span  # "Audits and checks needed to be…": two subjects, kept as found
    if start and not any(w in PREPOSITIONS for w in words) and len(words) > 4:
        return span
    return (start, span[1])


# A preposition left at the end of a passive ("must be acted on", "followed up promptly"):
# it belongs to the verb.
_PARTICLE_RE = re.compile(
    r"^(on|upon|up|out|with|through|into)\s*((?:\w+ly)?\W*$"
    # …or a clause or adverbial after it: "must be acted on when the reading is out of range"
    r"|(?:when|if|where|whenever|before|after|within|promptly|quickly|immediately|"
    r"straight\s+away)\b.*$)",
    re.I,
)


# "Relatives told us carers": a speaker, a verb of saying and the reported subject.
_SAID_NP_RE = re.compile(
    r"^(?:[\w’'-]+\s+){1,4}?(?:told\s+(?:us|me|inspectors)|said|explained)\s+(?:that\s+)?"
    r"(?P<np>[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,3})$"
)
# "…told us (that) ", "…said that ": the words before a reported clause.
_SAID_BEFORE_RE = re.compile(
    r"\b(?:told\s+(?:us|me|inspectors)|said|explained)\s+(?:that\s+)?$", re.I
)


def _be_state_title(s: str, trig: _Trigger) -> str | None:
    """ "Staff told us the discharge process needed to be quicker" -> "Ensure the discharge
    process is quicker": "be" + a state (no participle), about a thing, not someone."""
    rest = s[trig.end :].strip()
    if not rest.lower().startswith("be "):
        return None
    state = rest[3:].strip()
    if not state or _base_verb(state.split()[0].lower().strip(",.;")) is not None:
        return None
    span = _subject_np(s, trig.key_start)
    if span is None:
        return None
    subject = s[span[0] : span[1]]
    rm = _REPORTED_SUBJECT_RE.match(subject)
    words = subject.lower().split()
    if words in (["these"], ["they"], ["this"], ["it"]):
        return _demonstrative_state_title(s[: span[0]], state)
    reported_agent = bool(_SAID_BEFORE_RE.search(s[: span[0]])) and span[0] > 0
    said = _SAID_NP_RE.match(subject)
    if said and not rm:
        # "Relatives told us carers…" taken as one noun phrase: the reported subject is the
        # words after the verb of saying
        subject, reported_agent, span = said.group("np"), True, (span[0] + said.start("np"), 0)
        words = subject.lower().split()
    if rm or not words or words[0] in TITLE_PRONOUNS:
        return None
    if words[-1] in AGENT_HEADS and not (reported_agent and words[-1] not in TITLE_PRONOUNS):
        return None  # "Relatives told us carers needed to be more consistent": the people
        # reported on are named ("Ensure carers are more consistent"), not who reported them
    subject = _lower_first(subject, span[0] == 0)
    return f"Ensure {subject} {'are' if _plural(subject) else 'is'} {state}"


def _demonstrative_state_title(before: str, state: str) -> str | None:
    """ "The practice had some systems to help them manage risk, but these needed to be more
    effective" -> "Ensure the practice's systems to manage risk are more effective": the
    demonstrative is what the clause before says the provider had ("to help them" is the
    provider helping itself, so it goes)."""
    finding = before.rstrip(" ,;")
    tail = re.search(r"\b(?:and|but|although|however)$", finding, re.I)
    if tail:
        finding = finding[: tail.start()].rstrip(" ,;")
    m = _HAD_SOME_RE.match(finding)
    if m is None or m.group("started"):
        return None
    owner = _possessive(_lower_first(m.group("np"), True))
    thing = re.sub(r"\bto\s+help\s+(?:them|it)\s+", "to ", m.group("thing"))
    head = thing.split(" ", 1)[0].lower()
    plural = head.endswith("s") and not head.endswith("ss")
    return f"Ensure {owner} {thing} {'are' if plural else 'is'} {state}"


def _third_person(verb: str) -> str:
    """ "start" -> "starts", "reach" -> "reaches", "identify" -> "identifies"."""
    low = verb.lower()
    if low in ("have", "be", "do", "go"):
        return {"have": "has", "be": "is", "do": "does", "go": "goes"}[low]
    if low.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _thing_subject_title(s: str, trig: _Trigger) -> str | None:
    """ "Discharge planning needs to start at admission" -> "Ensure discharge planning starts
    at admission", "Care plans needed to show how…" -> "Ensure care plans show how…": when
    the subject is not someone who acts (AGENT_HEADS), the title keeps it."""
    span = _subject_np(s, trig.key_start)
    if span is None:
        return None
    subject = s[span[0] : span[1]]
    if span[0] != 0:
        # "The provider had identified that its clinical audit programme needed to cover…":
        # a reported subject that is the organisation's own thing, named with its owner
        owner = _organisation_before(s[: span[0]])
        reported = re.search(
            r"\b(?:identified|recognised|agreed|found|knew)\s+that\s+$", s[: span[0]]
        )
        said = _REPORTED_THE_THING_RE.search(s[: span[0]])
        head = subject.lower().split()[-1].strip("’'")
        person = {head, head + "s"} & (PEOPLE_SUBJECTS | OTHERS_VOICE | PROVIDER_VOICE)
        if said and subject.lower().startswith("the ") and span[0] == said.end() and not person:
            pass  # "The medical director told us the audits needed to cover antibiotics more
            # often" -> "Ensure the audits cover…": a thing of the provider's, reported
        elif not (reported and owner and subject.lower().startswith("its ")):
            return None  # only the sentence's own opening subject ("…, and X needs to" varies)
        else:
            subject = _possessive(owner) + subject[3:]
    words = subject.lower().split()
    if not words or words[-1].strip("’'") in AGENT_HEADS or words[0] in TITLE_PRONOUNS:
        return None
    rest = s[trig.end :].strip()
    verb, _, tail = rest.partition(" ")
    if not verb.isalpha() or not verb.islower():
        return None
    form = verb if _plural(subject) else _third_person(verb)
    return f"Ensure {_lower_first(subject, True)} {form}" + (f" {tail}" if tail else "")


# A reporting frame opening the sentence, its speaker named by role ("The medical director
# told us ", "The registered manager said that "), right before a reported subject.
_REPORTED_THE_THING_RE = re.compile(
    r"^(?:The|Our)\s+(?:[a-z][\w’'-]*\s+){1,3}?(?:told\s+(?:us|inspectors|me)|said|explained|"
    r"acknowledged|recognised|agreed)\s+(?:that\s+)?$"
)


# The parts of a provider that are places: "the day centre", "the ward", "the unit".
_PLACE_HEADS = frozenset(
    "ward wards unit units centre centres department clinic clinics surgery branch".split()
)


def _place_without_object(s: str, trig: _Trigger) -> str | None:
    """ "Some people told us the day centre needed to open on more days" -> "Ensure the day
    centre opens on more days": a place of the provider doing something with no object (a
    preposition right after the verb) keeps its name, where "Open on more days" would say
    nothing of what is to open."""
    span = _subject_np(s, trig.key_start)
    if span is None:
        return None
    subject = s[span[0] : span[1]]
    words = subject.lower().split()
    after = s[trig.end :].split()
    if len(words) < 2 or words[0] != "the" or words[-1] not in _PLACE_HEADS or len(after) < 2:
        return None
    verb = after[0]
    if not verb.isalpha() or not verb.islower() or after[1].lower() not in PREPOSITIONS:
        return None
    form = verb if _plural(subject) else _third_person(verb)
    return f"Ensure {_lower_first(subject, span[0] == 0)} {form} " + " ".join(after[1:])


def _plural(subject: str) -> bool:
    words = subject.split()
    # "incident reviews at the centre", "records of people's fluid intake": the head noun is
    # the one before the first preposition
    at = next((i for i, w in enumerate(words) if i and w.lower() in _HEAD_PREPOSITIONS), None)
    if at is not None:
        words = words[:at]
    head = words[-1].lower() if words else ""
    return head in ("staff", "they", "teams", "people") or (
        head.endswith("s") and not head.endswith("ss")
    )


_HEAD_PREPOSITIONS = frozenset("of at in on for from with across within".split())


# "…the wards that needed…", "…some of the bedrooms which need…", "…updating care plans,
# which needed…": the noun phrase (from its determiner, or its nouns) that a relative
# "that/which" right before the keyword follows.
_NP_WORD = r"(?!(?:[a-z]+ing|[a-z]+ed|of|in|to|for|with|on|at|by|and|or|was|were|is|are|had|has)\b)"
_RELATIVE_ANTECEDENT_RE = re.compile(
    r"\b(?P<np>(?:the|some|two|three|four|several|many|all)\s+(?:of\s+the\s+)?"
    r"(?:[a-z][\w’'-]*\s+){0,3}?[a-z][\w’'-]*"
    rf"|{_NP_WORD}[a-z][\w’'-]*(?:\s+{_NP_WORD}[a-z][\w’'-]*){{0,2}}?)\s*,?\s+(?:that|which)\s+$"
)
# "There was a lack of oversight of agency staff": what was lacking.
_LACK_OF_RE = re.compile(
    r"^\W*there\s+(?:was|were|is|are)\s+(?:a\s+|an\s+)?(?:general\s+|clear\s+)?"
    r"(?:lack|absence)\s+of\s+(?P<x>[^,;.]{3,120})$",
    re.I,
)


def _lack_as_action(finding: str) -> str | None:
    """ "There was a lack of oversight of agency staff" -> "Ensure there is oversight of agency
    staff": what was lacking, as what must be there."""
    m = _LACK_OF_RE.match(finding.strip().rstrip("."))
    return f"Ensure there is {m.group('x').strip()}" if m else None


# "We were concerned that…", "We found that…": CQC's frame around a finding.
_CQC_FRAME_RE = re.compile(
    r"^\W*(?:we|inspectors)\s+(?:were\s+concerned|found|saw|noted|identified|observed)\s+that\s+",
    re.I,
)


def _action_title(s: str, span: tuple[int, int], obj_from: int) -> str | None:
    """ "X needed (further) development / strengthening" -> "(Further) develop / Strengthen X"."""
    after = _tokens_after(s, obj_from, 3)
    modifier = ""
    if [t for t, _, _ in after[:2]] == ["more", "attention"]:
        return None  # "…needed more attention" -> "Give … more attention" (below)
    if after and after[0][0] in ("further", "more", "urgent", "some", "significant"):
        modifier = {
            "further": "further ",
            "urgent": "urgently ",
            "significant": "significantly ",
        }.get(after[0][0], "")
        after = after[1:]
    if not after or after[0][0] not in ACTION_NOUN_VERBS:
        return None
    verb = ACTION_NOUN_VERBS[after[0][0]]
    if modifier == "significantly ":
        # "the estate needed significant investment" -> "Invest significantly in the estate":
        # the adverb after the verb, so the title opens with the action
        head, _, particle = verb.partition(" ")
        verb, modifier = f"{head} significantly{' ' + particle if particle else ''}", ""
    subject = _lower_first(s[span[0] : span[1]], span[0] == 0)
    rest = s[after[0][2] :]
    tail = (
        rest
        if re.match(r"\s+(?:to|so|in|on|of|for|across|with|by|when|where|at|during|before)\b", rest)
        else ""
    )
    return f"{modifier}{verb} {subject}{tail}"


def _pronoun_title(s: str, trig: _Trigger) -> str | None:
    """ "Staff did not always complete X, and this needed improvement" -> "Ensure staff
    complete X" (the finding before the pronoun, turned into the action: _verb_on_finding)."""
    after = _tokens_after(s, trig.key_end, 2)
    modifier = ""
    if after and after[0][0] == "further":
        modifier, after = "further ", after[1:]
    if not after or after[0][0] not in ACTION_NOUN_VERBS or after[0][0] == "work":
        return None
    found = None
    for m in re.finditer(r"\b(?:this|it|these)\b", s[: trig.key_start], re.I):
        found = m
    if found is None:
        return None
    finding = s[: found.start()].rstrip(" ,;")
    tail = re.search(r"\b(?:and|but|although|however|which|so)$", finding, re.I)
    if tail:
        finding = finding[: tail.start()].rstrip(" ,;")
    if len(finding.split()) < 3:
        return None
    verb = modifier + ACTION_NOUN_VERBS[after[0][0]]
    return _verb_on_finding(verb, finding)


def _verb_on_finding(verb: str, finding: str) -> str:
    """A lone verb ("Improve") and the finding it is about. A finding that states a failure
    is turned round into the action that ends it ("Pain scores were not always recorded for
    children after surgery. This needs to improve." -> "Ensure pain scores are recorded for
    children after surgery"); any other finding follows the verb after a colon ("Improve:
    …")."""
    action = failure_as_action(finding)
    if action is not None:
        return action
    m = _HAD_SOME_RE.match(finding)
    if m:
        # "The practice had some systems to assess…, but these needed strengthening" ->
        # "Strengthen the practice's systems to assess…"; "The provider had started to analyse
        # late calls, but this … needed further development" -> "Further develop the
        # provider's work to analyse late calls"
        owner = _possessive(_lower_first(m.group("np"), True))
        if m.group("started"):
            return f"{verb} {owner} work to {m.group('thing')}"
        return f"{verb} {owner} {m.group('thing')}"
    return f"{verb}: {_lower_first(finding, True)}"


_HAD_SOME_RE = re.compile(
    r"^(?P<np>(?:The|the|Its|its)\s+[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*)?)\s+had\s+"
    r"(?:(?P<started>started|begun|begin)\s+to\s+|(?:some|a\s+few|basic|limited|initial)\s+|"
    r"(?:introduced|set\s+up|put\s+in\s+place|developed|created|established)\s+(?:an?\s+)?)"
    r"(?P<thing>[a-z].*)$"
)


def _improve_in_title(s: str, trig: _Trigger) -> str | None:
    """ "Improvements were needed in how staff were deployed" -> "Improve how staff were deployed"."""
    span = _subject_np(s, trig.start)
    if not span:
        return None
    words = s[span[0] : span[1]].split()
    verb = ACTION_NOUN_VERBS.get(words[-1].lower()) if words else None
    if not verb or len(words) > 3:
        return None
    m = re.match(r"\s*(?:in|to|with|around|across|on)\s+(.+)", s[trig.key_end :])
    if not m:
        return None
    return f"{verb} {m.group(1)}"


# "…, and more staff were needed at night": what is needed, after the finding that shows it,
# or in what someone reports ("The ward manager said two more nurses were needed on X ward").
_MORE_NEEDED_RE = re.compile(
    r"(?:^|[,;]\s+|\s(?:and|but|that)\s+|\s(?:said|says|told\s+us|explained|reported|felt)\s+)"
    r"(?P<np>(?:(?:two|three|four|five|six|\d+)\s+)?(?:more|additional|extra)\s+[\w’'-]+"
    r"(?:\s+[\w’'-]+){0,3}?"
    # "The deputy manager conceded that a second nurse was needed between 8pm and 8am"
    r"|(?:a|an|another)\s+(?:second|third|further|dedicated|separate)\s+[\w’'-]+"
    r"(?:\s+[\w’'-]+){0,2}?)"
    r"(?:\s+(?:was|were|is|are)(?:\s+still|\s+urgently)?)?\s*$",
    re.I,
)


_NEEDED_KEPT_RE = re.compile(
    r"^(?P<np>(?:[\w’'-]+\s+){0,4}?[\w’'-]+)\s+to\s+be\s+(?P<rest>[a-z]+(?:ed|en|wn|t)\b.*)$"
)
_POSSESSIVE_DETERMINERS = frozenset({"their", "its", "his", "her"})
_DETERMINERS = _POSSESSIVE_DETERMINERS | {"the", "a", "an", "all", "every", "each", "any", "this"}


def _needed_kept_title(subject: str, opens: bool, obj: str) -> str | None:
    """ "The ward sister told us the ward needed protected mealtimes to be respected by other
    departments" -> "Ensure the ward's protected mealtimes are respected by other departments":
    a thing of the service that needs something of its own kept (a noun phrase, "to be", a
    participle). A person who needs a thing done ("staff needed rotas to be agreed") is not its
    owner ("Ensure rotas are agreed") unless the sentence says so ("their breaks")."""
    m = _NEEDED_KEPT_RE.match(obj.rstrip(" ."))
    if m is None:
        return None
    words = m.group("np").split()
    if any(w.lower() in _VERBISH or w.lower() in STANDALONE_PRONOUNS for w in words):
        return None
    subject = _lower_first(subject, opens)
    if subject.lower() in STANDALONE_PRONOUNS or subject.lower() in TITLE_PRONOUNS:
        return None
    person = _PEOPLE_RE.search(subject) is not None or subject.lower() in ("they", "we")
    head = words[0].lower()
    if head in _POSSESSIVE_DETERMINERS:
        np = f"{_possessive(subject)} {' '.join(words[1:])}"
    elif head in _DETERMINERS or person or not subject.lower().startswith("the "):
        np = m.group("np")
    else:
        np = f"{_possessive(subject)} {m.group('np')}"
    verb = "are" if _plural(words[-1]) else "is"
    return f"Ensure {np} {verb} {m.group('rest')}"


# "The trust had recruited 140 new emergency care assistants, and more were needed…": "more"
# standing alone takes up the counted noun phrase that ends the clause before.
_MORE_OF_THEM_RE = re.compile(
    r"\b(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|several|some)\s+"
    r"(?:new\s+|extra\s+|additional\s+)?(?P<np>[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,3}?)"
    r",?\s+and\s+more(?:\s+(?:was|were|are|is)(?:\s+still)?)?\s*$"
)


def _more_of_them_title(s: str, trig: _Trigger) -> str | None:
    """ "…had recruited 140 new emergency care assistants, and more were needed in the east
    of the region" -> "Ensure there are more emergency care assistants in the east of the
    region"."""
    m = _MORE_OF_THEM_RE.search(s[: trig.start])
    if m is None:
        return None
    np = m.group("np")
    if any(w in _VERBISH or w in STANDALONE_PRONOUNS for w in np.split()):
        return None
    return f"Ensure there are more {np}{s[trig.end :].rstrip(' .')}"


def _more_needed_title(s: str, trig: _Trigger) -> str | None:
    """ "The service did not have enough midwives…, and more midwives were needed on night
    shifts" -> "Ensure there are more midwives on night shifts"."""
    m = _MORE_NEEDED_RE.search(s[: trig.start])
    if m is None:
        return _more_of_them_title(s, trig)
    np = _lower_first(m.group("np"), True)
    if any(w.lower() in _VERBISH or w.lower() in STANDALONE_PRONOUNS for w in np.split()):
        return None
    rest = _APPOSITION_RE.sub("", s[trig.end :]).rstrip(" .")
    return f"Ensure there {'are' if _plural(np) else 'is'} {np}{rest}"


# ", a point the provider's own dependency tool had made since May": an apposition naming the
# clause before it, a comment on the finding, not part of the action.
_APPOSITION_RE = re.compile(r",\s+(?:a|an)\s+(?:point|fact|finding|view|concern)\b.*$", re.I)


def _thing_must_title(s: str, trig: _Trigger, rest: str) -> str | None:
    """ "Care plans must reflect people's current needs" -> "Ensure care plans reflect
    people's current needs": when a thing, not the provider or its people, must do something,
    the title keeps the thing (a bare "Reflect people's current needs" says nothing of what)."""
    span = _subject_np(s, trig.key_start)
    if span is None:
        return None
    subject = s[span[0] : span[1]]
    words = subject.lower().split()
    head = words[-1] if words else ""
    if (
        not words
        or head in AGENT_HEADS
        or head in PEOPLE_SUBJECTS
        or head in _PERSON_HEADS
        or head in STANDALONE_PRONOUNS
        or head in TITLE_PRONOUNS
        or words[0] in STANDALONE_PRONOUNS
        or any(w in _VERBISH for w in words)
        or head.endswith(("'s", "’s"))
    ):
        return None
    verb, _, after = rest.partition(" ")
    low = verb.lower()
    if not low.isalpha() or low in _VERBISH or low in ("not", "also", "always", "now"):
        return None
    if _base_verb(low) not in (None, low):
        return None  # a participle: not the plain verb this needs
    inner = _lower_first(subject, span[0] == 0)
    form = low if _np_is_plural(subject) else _third_person(low)
    return f"Ensure {inner} {form} {after}".rstrip()


# "Leaders had an action plan but it…": the one thing a plural subject had.
_HAD_THING_RE = re.compile(
    r"\b(?:had|has|have)\s+(?:an?|one)\s+(?P<np>[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,2}?)"
    r"\s*(?:,\s*)?(?:but|and)\s*$"
)
# "The trust had a plan to improve the diversity of its senior leaders, which it needed to
# deliver": what is to be done is done to the thing the relative clause is about.
_WHICH_NEEDED_RE = re.compile(
    r"\b(?:an?|the)\s+(?P<np>[^,]{3,160}?),\s+which\s+(?:it|they|the\s+[\w’'-]+|[a-z]+)\s+"
    r"(?:still\s+|also\s+)?(?:needed|needs|need|must|should)\s+(?:to\s+)?(?P<verb>[a-z]+)"
    r"(?P<tail>(?:\s+[^,.;]+)?)\W*$"
)


def _make_title(s: str, trig: _Trigger | None, bullet: bool) -> str:
    """A short action title for a requirement sentence."""
    title: str | None = None
    adverb = _adverb_before_passive(s, trig)
    if adverb is not None and trig is not None:
        # "Medicines should always be stored securely": titled without the adverb ("Store
        # medicines securely"), then the adverb put back before the action's verb
        word, end = adverb
        span = _subject_np(s, trig.key_start)
        rest_after = s[end:].strip()  # "be used after a risk assessment."
        if re.search(r"\bthere\s+$", s[: trig.key_start], re.I):
            # "There should always be trained staff on duty" -> "Ensure there are always…"
            plain = s[: trig.key_end] + s[end:]
            base = _make_title(plain, find_trigger(plain), bullet)
            there = re.match(r"^(Ensure\s+(?:that\s+)?there\s+(?:is|are))\s", base)
            return f"{there.group(1)} {word} {base[there.end() :]}" if there else base
        if span is not None and (word == "only" or re.search(r"^be\s+\w+\s+by\b", rest_after)):
            # "Bed rails should only be used after a risk assessment" -> "Ensure bed rails are
            # only used after…"; "…should always be given by trained staff" -> "Ensure … are
            # always given by trained staff": the passive kept, so the adverb and the agent
            # stay where they mean what they meant
            np = _lower_first(s[span[0] : span[1]], span[0] == 0)
            be = "are" if _plural(np) else "is"
            return _finish_title(f"Ensure {np} {be} {word} {rest_after[3:]}")
        plain = s[: trig.key_end] + s[end:]
        ptrig = find_trigger(plain)
        if ptrig is not None and ptrig.kind == trig.kind:
            base = _make_title(plain, ptrig, bullet)
            if word in _DROPPED_ADVERBS:
                return base
            ensure = re.match(r"^(?P<lead>Ensure\s+.+?\s(?:is|are))\s(?P<rest>.*)$", base)
            if ensure:
                return f"{ensure.group('lead')} {word} {ensure.group('rest')}"
            return f"{word.capitalize()} {_lower_first(base, True)}"
    which = _WHICH_NEEDED_RE.search(s) if trig is not None else None
    if which and trig is not None and which.start("verb") > trig.key_start > which.end("np"):
        return _finish_title(f"{which.group('verb')} the {which.group('np')}{which.group('tail')}")
    if trig is None:
        title = s  # a verb-first bullet under a lead-in: it already reads as an action
    elif trig.kind in ("must", "should") and (there := _THERE_MODAL_BE_RE.search(s)):
        # "There should be trained staff on duty", "There must be enough nurses…": what there
        # must be (not "trained" as a verb's passive)
        what = there.group("what").rstrip(" .")
        first = what.split()[0].lower() if what.split() else ""
        plural = first in ("enough", "sufficient", "more", "two", "three", "four", "several") or (
            first not in ("a", "an", "one", "the", "no")
            and _plural(what.split(" on ")[0].split(" for ")[0])
        )
        if first in ("sufficient", "enough", "more") and len(what.split()) > 1:
            plural = _plural(what.split()[1]) or what.split()[1].lower() == "staff"
        title = f"Ensure there {'are' if plural else 'is'} {what}"
    elif trig.kind in ("must", "should"):
        rest = s[trig.key_end :].lstrip()
        low = rest.lower()
        if low.startswith("not have to ") and (burden := _burden_title(s, trig, rest[4:])):
            title = burden  # "Staff should not have to move pumps…" -> "Ensure staff do not…"
        elif priority := _priority_title(s, trig, rest):
            title = priority  # "Reducing late calls must now be a priority for the provider"
        elif low.startswith("have ") and (outcome := _outcome_title(s, trig, rest)):
            title = outcome  # "By September 2019, all nurses … must have completed…"
        elif low.startswith("not "):
            group = _staff_group(s, trig)
            title = f"Ensure {group} do not {rest[4:]}" if group else "Do not " + rest[4:]
        elif low.startswith("be able to ") and (able := _subject_np(s, trig.key_start)):
            subject = _lower_first(s[able[0] : able[1]], able[0] == 0)
            title = f"Ensure {subject} {'are' if _plural(subject) else 'is'} {rest[3:]}"
        elif low.startswith("be ") and not low.startswith("be able"):
            title = _passive_title(s, trig, trig.key_end)
            if title is None:
                span = _subject_np(s, trig.key_start)
                title = s[span[0] :] if span else _clause_from(s, trig.key_start)
                if span:
                    title = _be_state_ensure(s[span[0] : span[1]], span[0] == 0, rest[3:])
                    title = title or s[span[0] :]
        elif low.startswith("have ") and (holder := _staff_holder(s, trig)):
            # "Care workers must have a DBS check before they start work" -> "Ensure care
            # workers have a DBS check…": what staff must have, the provider makes sure of
            title = f"Ensure {holder} {rest}"
        elif (group := _staff_group(s, trig)) and rest[:1].islower():
            # "Staff must receive training in the Mental Capacity Act" -> "Ensure staff
            # receive training…": what the provider's staff must do, the provider makes sure
            # of (a title without them would read as the provider's own deed)
            title = f"Ensure {group} {rest}"
        else:
            title = _thing_must_title(s, trig, rest) or rest
    elif trig.kind == "to_active":
        title = _thing_subject_title(s, trig) or _place_without_object(s, trig) or s[trig.end :]
    elif trig.kind == "to_passive":
        title = _passive_title(s, trig, trig.end) or _be_state_title(s, trig)
        if title is None:
            title = _clause_from(s, trig.key_start)
    elif trig.kind == "verb_object":
        span = _subject_np(s, trig.key_start)
        if span is None:
            # "The trust had identified the wards that needed refurbishment": the relative
            # clause's subject is the noun it follows
            ante = _RELATIVE_ANTECEDENT_RE.search(s[: trig.key_start])
            if ante:
                span = (ante.start("np"), ante.end("np"))
        pronoun = _pronoun_title(s, trig) if span is None else None
        if span is None and pronoun is None:
            span = _sentence_subject(s)  # "X was new and needed further development"
        the_thing = False
        if span and s[span[0] : span[1]].lower() in ("they", "it"):
            # "Care plans were personalised, but they needed updating": what opens the
            # sentence is what "they" are
            opening = _sentence_subject(s)
            had = _HAD_THING_RE.search(s[: span[0]])
            if (
                opening
                and had
                and s[span[0] : span[1]].lower() == "it"
                and _plural(s[opening[0] : opening[1]])
            ):
                # "Leaders had an action plan but it needed more detail": "it" is no plural
                # subject; it is the one thing they had
                span, the_thing = (had.start("np"), had.end("np")), True
            elif opening and opening[0] != span[0]:
                span = opening
        if span and s[span[0] : span[1]].lower() in PART_QUANTIFIERS:
            # "People's care plans did not always reflect their needs and some needed
            # updating" -> "Update people's care plans": what the quantifier is part of
            opening = _sentence_subject(s)
            if opening and opening[0] != span[0]:
                span = opening
        if span and s[span[0] : span[1]].lower() == "they":
            # "Non-executive directors acknowledged that they needed better information": the
            # reporters are who "they" are (not the people using the service)
            rep = _REPORTED_SUBJECT_RE.match(s[: span[1]])
            if (
                rep
                and _PEOPLE_RE.search(rep.group(1)) is None
                and "," not in rep.group(1)
                and rep.group(1).lower() not in REPORTER_QUANTIFIERS  # "Many told inspectors that
                # they…": the quantifier stands for people named before (left to that rule)
            ):
                span = (0, rep.end(1))
        if span and s[span[0] : span[1]].lower() in TITLE_PRONOUNS:
            span, pronoun = None, _pronoun_title(s, trig)  # "… and this needed improvement"
        if span:
            # "Leaders told us they needed more staff": the reporter is who needs it
            rm = _REPORTED_SUBJECT_RE.match(s[span[0] : span[1]])
            if rm:
                span = (span[0], span[0] + rm.end(1))
        obj = s[trig.key_end :].strip()
        first = obj.split(" ", 1)[0].lower() if obj else ""
        if the_thing and span:
            thing = s[span[0] : span[1]]
            return _finish_title(
                f"Ensure the {thing} {'has' if not _plural(thing) else 'have'} {obj}"
            )
        action = _action_title(s, span, trig.key_end) if span else pronoun
        if action:
            title = action
        elif span and (kept := _needed_kept_title(s[span[0] : span[1]], span[0] == 0, obj)):
            title = kept  # "the ward needed protected mealtimes to be respected by …"
        elif span and first in ("a", "an") and _agree_object(obj, s[span[0] : span[1]]):
            title = f"Agree {obj}"  # "The trust needs an engagement plan"
        elif span and (
            first in OBJECT_STARTERS
            or first in OBJECT_NOUNS
            or first in COUNT_WORDS
            or first.isdigit()
            or _participle_adjective_opens(obj)
            # "…needed at least four more nurses": a count with its bound
            or re.match(r"(?:at\s+least|up\s+to)\s+(?:\d|[a-z]+\s+more\b)", obj, re.I)
        ):
            # at the sentence's start, or after a label ("Vulnerable people: Staff told us…")
            opens = span[0] == 0 or s[: span[0]].rstrip().endswith(":")
            subject = _lower_first(s[span[0] : span[1]], opens)
            heed = re.match(
                r"(?P<how>more|greater|closer|further|better)\s+(?P<n>attention|focus|scrutiny)\b",
                obj,
                re.I,
            )
            if heed:
                # "the privacy of patients on ward 14 needed more attention when…" -> "Give the
                # privacy of patients on ward 14 more attention when…": what is attended to
                title = f"Give {subject} {obj}"
            else:
                title = f"Ensure {subject} {'have' if _plural(subject) else 'has'} {obj}"
        else:
            title = _clause_from(s, trig.key_start)
    elif trig.kind == "there" and s[: trig.end].lower().endswith("to"):
        title = s[trig.end :]  # "There was a need to strengthen X" -> "Strengthen X"
    elif trig.kind == "there" and (
        doer := re.match(
            r"\s*(?:it|them|the\s+[\w’'-]+|its\s+[\w’'-]+)\s+to\s+(?=[a-z])", s[trig.end :]
        )
    ):
        title = s[
            trig.end + doer.end() :
        ]  # "There remains a need for it to reduce X" -> "Reduce X"
    elif trig.kind == "be_needed":
        title = (
            _improve_in_title(s, trig)
            or _more_needed_title(s, trig)
            or _needed_for_title(_clause_from(s, trig.key_start))
            or _clause_from(s, trig.key_start)
        )
    elif trig.kind == "in_need_of" and (need := _in_need_of_title(s, trig)):
        title = need
    elif trig.kind == "needing":
        clause = _clause_from(s, trig.key_start)
        title = _needing_title(clause) or clause
    else:
        title = _clause_from(s, trig.key_start)
    if title and trig is not None and re.fullmatch(r"\w+\W*", title.strip()):
        # "the registered manager agreed these needed to restart" -> "Restart audits of
        # care records": the verb alone says nothing; its subject is what it is about
        span = _subject_np(s, trig.key_start)
        turned = None
        if span and s[span[0] : span[1]].lower() in TITLE_PRONOUNS | {"which"}:
            # "The service did not always make sure people received their medicines; this
            # needs to improve" -> "Ensure people receive their medicines": "this" (or ",
            # which") is the failure the clause before states
            cut = max(s.rfind(";", 0, span[0]), s.rfind(", and", 0, span[0]))
            if s[span[0] : span[1]].lower() == "which":
                cut = s.rfind(",", 0, span[0])
            finding = _CQC_FRAME_RE.sub("", s[:cut]) if cut > 0 else ""
            # (after ", but": the clause of the failure only)
            finding = re.split(r",\s+but\s+", finding)[-1]
            turned = (failure_as_action(finding) or _lack_as_action(finding)) if finding else None
            span = None if turned else _sentence_subject(s)
            if span and s[span[0] : span[1]].lower() in ("there", "which"):
                span = None  # "There was…": no thing to name the action on
            frame = _REPORTING_FRAME_RE.match(s, span[0], span[1]) if span else None
            if span and frame:
                # "The registered manager acknowledged that audits of care records had not
                # been completed…": the subject of what was acknowledged, not who said it
                span = (frame.end(), span[1])
        if turned:
            title = turned
        elif span:
            verb = title.strip(" .").split(" ", 1)[0]
            title = f"{verb} {_lower_first(s[span[0] : span[1]], span[0] == 0)}"
    if title and re.fullmatch(r"\w+ (?:it|them)\W*", title.strip()):
        # "more needed to be done to improve it": say what "it" is when the sentence opens
        # with it ("Patient feedback on telephone access was below the local average…")
        span = _sentence_subject(s)
        np = s[span[0] : span[1]] if span else ""
        head = np.lower().split()[-1] if np.split() else ""
        # (not a doer: "Leaders had introduced new checks, but more time was needed to embed
        # them" does not embed the leaders; and "them" is a plural, "it" one thing)
        if (
            span
            and head not in AGENT_HEADS
            and head not in PEOPLE_SUBJECTS
            and _plural(np) == title.strip().lower().endswith(("them", "them."))
        ):
            verb = title.strip().split(" ", 1)[0]
            title = f"{verb} {_lower_first(np, True)}"
    out = _finish_title(title or s)
    return out or _finish_title(s) or s


# --- Titles that stand alone (issue 11) -------------------------------------------

_WORD_RE = re.compile(r"[\w’'\-]+")
_VERBISH = _BE_WORDS | frozenset(
    """had has have did does do will would can could may might must should need needs
    needed appeared appears seemed seems remained remains""".split()
)
_NEEDING_RE = re.compile(
    r"^(?P<subj>.+?)\s+(?:is|was|are|were|remains|remained)\s+(?:an?\s+(?:\w+\s+)?)?"
    r"needing\s+(?P<mod>further\s+|more\s+|urgent\s+)?(?P<noun>\w+)(?P<tail>.*)$",
    re.I,
)
_NEEDED_FOR_RE = re.compile(
    r"^(?P<subj>.+?)\s+(?:was|were|is|are)\s+(?:still\s+)?needed\s+for\s+(?P<x>.+?)\s+to\s+"
    r"(?:become|be)\s+(?P<part>\w+)(?P<tail>.*)$",
    re.I,
)
_REPORTED_SUBJECT_RE = re.compile(
    r"^(.+?)\s+(?:told|said|explained|felt|knew|recognised|recognized|acknowledged|agreed|"
    r"accepted|conceded|admitted)"
    r"(?:\s+(?:us|me|inspectors))?(?:\s+that)?\s+(?:they|it|he|she)$",
    re.I,
)
# The frame of reported speech opening a subject's span, without "that": "The manager said
# care plans…", "Staff told us the rota…".
_SAID_FRAME_RE = re.compile(
    r"(?:[\w’'-]+\s+){1,4}?(?:told|said|explained|felt|knew|recognised|acknowledged|agreed|"
    r"accepted|confirmed|reported)(?:\s+(?:us|me|inspectors))?\s+(?=\S)",
    re.I,
)
# "…must make urgent improvements to its emergency department after an inspection in March":
# when CQC looked, not part of what is to be done.
_AFTER_INSPECTION_RE = re.compile(
    r"\s+(?:after|following)\s+(?:an?|its|our|the|their|a\s+recent)\s+"
    # (not a care assessment: "…only used after a risk assessment")
    r"(?:(?!(?:risk|needs|capacity|falls|clinical|health|mental|nutritional|care|pain)\b)[\w-]+\s+){0,2}?"
    r"(?:inspection|visit|assessment)(?:\s+(?:in|on|of|at)\s+[^,;]*)?[.]?$",
    re.I,
)
# ", and this put pressure on appointment times": a consequence, not part of the action.
_CONSEQUENCE_RE = re.compile(
    r",\s+(?:and\s+)?(?:this|which\s+meant)\s+(?!needs?\b|must\b)[^,;]*$", re.I
)
# Conjoined requirements are looked for only in sentences of a sane size.
CONJOIN_MAX_CHARS = 1000


def _words(s: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD_RE.finditer(s)]


def _agree_object(obj: str, subject: str) -> bool:
    """ "<the provider> needs an engagement plan": the object is something to agree."""
    subj = subject.lower().split()
    if not subj or subj[-1] not in ORGANISATION_WORDS:
        return False
    for w, _, _ in _words(obj)[1:6]:
        if w.lower() in AGREE_OBJECTS:
            return True
        if w.lower() in PREPOSITIONS:
            return False
    return False


def _needing_title(clause: str) -> str | None:
    """ "this is an area needing further development across the organisation" ->
    "Further develop this across the organisation" (the pronoun is resolved later)."""
    m = _NEEDING_RE.match(clause.strip())
    if not m or m.group("noun").lower() not in ACTION_NOUN_VERBS:
        return None
    mod = (m.group("mod") or "").strip().lower()
    verb = ACTION_NOUN_VERBS[m.group("noun").lower()]
    adverb = {"further": "further ", "urgent": "urgently "}.get(mod, "")
    subject = _lower_first(m.group("subj"), True)
    return f"{adverb}{verb} {subject}{m.group('tail')}"


def _needed_for_title(clause: str) -> str | None:
    """ "further support was needed for this to become embedded across the organisation" ->
    "Provide further support to embed this across the organisation"."""
    m = _NEEDED_FOR_RE.match(clause.strip())
    base = _base_verb(m.group("part")) if m else None
    if not m or base is None:
        return None
    subject = _lower_first(m.group("subj"), True)
    return f"Provide {subject} to {base} {m.group('x')}{m.group('tail')}"


def _opening_np(clause: str, *, direct: bool = False) -> str | None:
    """The noun phrase a clause opens with, without what follows its head: "Co-production
    with people who use services was…" -> "Co-production"; "Responding to complaints was…"
    -> "Responding to complaints". None unless a verb ("was", "had", "must"…) follows it in
    the clause (so "The department took part in audits" gives nothing). With ``direct`` the
    verb must follow the phrase itself ("Directorate leaders needed…")."""
    ws = _words(clause)[:12]
    if not ws or ws[0][0].lower() in IMPERATIVE_VERBS:
        return None
    gerund = ws[0][0].lower().endswith("ing")
    taken: list[tuple[str, int, int]] = []
    verb_next = False
    for w, a, b in ws:
        lw = w.lower()
        if lw in _VERBISH or (taken and lw.endswith("ed") and not gerund):
            verb_next = True
            break
        if not gerund and (lw in PREPOSITIONS or lw in ("who", "which", "that", "whose")):
            break
        if lw in REPORTING_VERBS:
            verb_next = True
            break  # "Leaders told us they needed…": the subject is "Leaders"
        if lw in BOUNDARY_WORDS or lw in CLAUSE_SUBORDINATORS or any(c.isdigit() for c in w):
            return None
        taken.append((w, a, b))
    else:
        return None
    if not taken or len(taken) > 5:
        return None
    if not verb_next:
        if direct:
            return None
        rest = clause[taken[-1][2] :].split(",", 1)[0]
        if not any(w.lower() in _VERBISH for w, _, _ in _words(rest)):
            return None
    return clause[taken[0][1] : taken[-1][2]]


def _final_np(clause: str) -> str | None:
    """The noun phrase a clause ends with, without a closing "at the trust": "…had started
    work on a refreshed strategy" -> "the refreshed strategy"; "…to promote environmental
    sustainability at the trust" -> "environmental sustainability"."""
    ws = _words(clause)
    k = len(ws)
    for i in range(len(ws) - 1, max(-1, len(ws) - 5), -1):
        if ws[i][0].lower() in PREPOSITIONS:
            if ws[-1][0].lower() in PROVIDER_SUBJECTS or ws[-1][0].lower() == "organisation":
                k = i
            break
    taken: list[str] = []
    j = k - 1
    anchored = False  # the phrase starts at an article or right after "to <verb>"
    while j >= 0 and len(taken) < 4:
        lw = ws[j][0].lower()
        if lw in ("a", "an", "the"):
            taken.append("the")
            anchored = True
            break
        if j > 0 and ws[j - 1][0].lower() == "to":
            anchored = True
            break
        lacking = lw in ("lacked", "lack", "without") or (
            lw in ("have", "has") and j > 0 and ws[j - 1][0].lower() == "not"
        )
        if taken and lacking:
            anchored = True  # "…did not have advance care plans": what was lacking
            break
        if (
            lw in PREPOSITIONS
            or lw in _VERBISH
            or lw in BOUNDARY_WORDS
            or lw == "to"
            or lw in NOUN_DETERMINERS
            or lw in STANDALONE_PRONOUNS
        ):
            break
        taken.append(ws[j][0])
        j -= 1
    words = [w for w in reversed(taken)]
    if not anchored or any(c.isdigit() for w in words for c in w):
        return None
    if not [w for w in words if w != "the"] or words[-1].lower() in NON_TOPIC_HEADS:
        return None
    return " ".join(words)


def _is_topic(np: str | None) -> bool:
    if not np:
        return False
    ws = np.lower().split()
    if all(w in ("a", "an", "the") for w in ws):
        return False  # "The registered manager had…" opens with "The", which is no topic
    if all(w.isdigit() or w in _COUNTS or w in _NP_LEFT_STOP for w in ws):
        return False  # "…found that five had not had…": a count stands for a noun, names none
    if any(w in CLAUSE_TAKING_VERBS for w in ws):
        return False  # "Inspectors found": a subject and its verb, not a topic
    return ws[-1] not in NON_TOPIC_HEADS and ws[0] not in STANDALONE_PRONOUNS


_FOUND_ABOUT_RE = re.compile(
    r"\b(?:found|showed|saw|noted|identified)\s+that\s+"
    r"(?P<np>(?:[\w’'-]+\s+){0,4}?[\w’'-]+(?:\s+\([^()]{1,20}\))?)\s+"
    r"(?:had|have|has|was|were|is|are|did|do|does)\b"
)


def _topic(before: str, s: str) -> str | None:
    """What the paragraph is about, for resolving "this" in a title: the subject its first
    sentence opens with ("Co-production", "Quality improvement"), else the noun phrase the
    sentence before ends with ("the refreshed strategy"), else the noun phrase of the
    sentence's own opening subordinate clause ("Whilst action was taken to promote
    environmental sustainability, …")."""
    spans = _sentence_spans(before) if before.strip() else []
    if spans:
        first = before[spans[0][0] : spans[0][1]]
        np = _opening_np(first)
        if _is_topic(np):
            return np
        last = before[spans[-1][0] : spans[-1][1]].rstrip(" .;:")
        np = _final_np(last)
        if _is_topic(np):
            return np
        # "…we found that physical observations had been recorded for only three of the
        # seven episodes in the past three months": what was found about is the topic
        found = _FOUND_ABOUT_RE.search(last)
        if found and _is_topic(found.group("np")):
            return found.group("np")
    words = s.split(" ", 1)
    if words and words[0].lower() in CLAUSE_SUBORDINATORS and ", " in s:
        # "Where there were gaps in the records, …": what there was, whole
        there = _THERE_WERE_CLAUSE_RE.match(s[: s.index(", ")])
        if there and _is_topic(there.group("np")):
            return "the " + there.group("np")
        np = _final_np(s[: s.index(", ")])
        if _is_topic(np):
            return np
    return None


_THERE_WERE_CLAUSE_RE = re.compile(
    r"^\w+\s+there\s+(?:was|were|are|is|had\s+been|have\s+been)\s+(?:some\s+|any\s+)?"
    r"(?P<np>(?!no\b|not\b|a\b|an\b|the\b)[a-z][\w’'-]*(?:\s+[\w’'-]+){0,5})$"
)


def _own_subject(s: str) -> str | None:
    """The subject of the sentence's main clause ("The trust", "Directorate leaders")."""
    first = s.split(" ", 1)[0].lower() if s else ""
    clause = s[s.index(", ") + 2 :] if first in CLAUSE_SUBORDINATORS and ", " in s else s
    np = _opening_np(clause)
    if not np or np.split()[0].lower() in STANDALONE_PRONOUNS:
        return None
    return np


_NAME_SMALL_WORDS = frozenset("a an and the of to for in on at by with up".split())


def _as_inner(np: str) -> str:
    """A noun phrase as it reads inside a title ("Co-production" -> "co-production"; a name
    whose every main word is capitalised, "Mental Health Act", "Freedom to Speak Up", stays)."""
    major = [w for w in np.split() if w.lower() not in _NAME_SMALL_WORDS]
    if len(major) > 1 and (all(w[:1].isupper() for w in major) or major[1][:1].isupper()):
        return np  # a name, or a phrase that opens with one ("Mental Health Act paperwork")
    if np[:1].isupper() and (np[1:2].islower() or np[1:2] == "-"):
        first = np.split(" ", 1)[0]
        if not (len(first) > 1 and first[1:].lower() != first[1:] and "-" not in first):
            return np[0].lower() + np[1:]
    return np


# Headings that name a part of a report, not a topic: "Findings", "What we found".
_GENERIC_HEADING_RE = re.compile(
    r"^(?:(?:main |the )?findings|summary|overview|introduction|conclusions?|what we found|"
    r"our judgements?|judgements?|evidence|details?|notes?|"
    # a rating as a heading ("Requires improvement"): the grade, not what it is about
    r"requires improvement|good|outstanding|inadequate|ratings?)$",
    re.I,
)


def _section_topic(section: str | None) -> str | None:
    """The heading as a topic ("Medicines optimisation"), unless it is one of the report's
    structural headings ("Safe", "Summary", "Areas for improvement") or a question."""
    if not section or section.endswith("?") or ":" in section or len(section.split()) > 6:
        return None
    if _MAJOR_HEADING_RE.match(section.strip(" :")) or not section[:1].isupper():
        return None
    if _GENERIC_HEADING_RE.match(section.strip(" :")):
        return None
    return section if _is_topic(section) else None


# "this does not happen again", "this meant that…": "this" stands alone before these verbs.
_VERBS_AFTER_PRONOUN = frozenset(
    "does did do doesn't didn't means meant happens happened shows showed includes included "
    "puts put leads led".split()
)

# --- "these audits": the thing named before -------------------------------------------

# Words on a noun phrase's left that are not part of what it names: articles, quantifiers,
# possessive and demonstrative determiners, numbers in words.
_NP_LEFT_STOP = frozenset(
    """a an the some several many few all any no each every both most more other their its
    his her our your my such there here not two three four five six seven eight nine ten
    also only just out up off down over back away which what whose whether""".split()
)
# The prepositions that open what describes a noun ("the risk of falls", "a plan for night
# staff"); the description ends at a verb, a conjunction or punctuation, within
# ANTECEDENT_MAX_POST words.
_NP_POST_PREPS = frozenset("of for in on with about from at between".split())
_NP_POST_END = frozenset(
    "and or but nor that which who whom whose where when while because so to than as if".split()
)
ANTECEDENT_MAX_PRE = 3
ANTECEDENT_MAX_POST = 8
ANTECEDENT_MAX_CLAUSE = 12
# Nouns whose "that" opens what they are about, not a relative clause: "a risk that…".
CONTENT_NOUNS = frozenset("risk risks concern concerns danger possibility chance".split())


def _noun_forms(noun: str) -> set[str]:
    """A noun's singular and plural ("risk"/"risks", "policy"/"policies", "wait"/"waits")."""
    forms = {noun}
    if noun.endswith("ies") and len(noun) > 4:
        forms.add(noun[:-3] + "y")
    elif noun.endswith("es") and noun[:-2].endswith(("s", "x", "ch", "sh")):
        forms.add(noun[:-2])
    elif noun.endswith("s") and not noun.endswith("ss"):
        forms.add(noun[:-1])
    elif noun.endswith("y") and noun[-2:-1] not in "aeiou":
        forms.add(noun[:-1] + "ies")
    elif noun.endswith(("s", "x", "ch", "sh")):
        forms.add(noun + "es")
    else:
        forms.add(noun + "s")
    return forms


def _description_after(ws: list[tuple[str, int, int]], context: str, i: int) -> list[str]:
    """The words after the noun ``ws[i]`` that say which one: a prepositional phrase ("of
    falls", "for appointments in the memory clinic"), a "where" clause ("incidents where
    patients fell"), or after a noun such as "risk" its "that" clause ("a risk that
    patients' deteriorating health would not be identified"). Empty when there is none, or
    when where it ends is unsure."""
    k = i + 1
    if k >= len(ws) or context[ws[i][2] : ws[k][1]] != " ":
        return []
    opener = ws[k][0].lower()
    clause = opener == "where" or (opener == "that" and ws[i][0].lower() in CONTENT_NOUNS)
    # "15 patients prescribed methotrexate": a past participle right after a counted noun,
    # with its object, says which ones
    participle = (
        not clause
        and opener not in _NP_POST_PREPS
        and (opener.endswith("ed") or opener in IRREGULAR_PARTICIPLES)
        and opener not in _VERBISH
        and i > 0
        and (ws[i - 1][0].isdigit() or ws[i - 1][0].lower() in _COUNTS)
    )
    if opener not in _NP_POST_PREPS and not clause and not participle:
        return []
    post: list[str] = []
    limit = ANTECEDENT_MAX_CLAUSE if clause else ANTECEDENT_MAX_POST
    while k < len(ws):
        w = ws[k][0]
        lw = w.lower()
        gap = context[ws[k - 1][2] : ws[k][1]]
        if gap != " ":
            if gap.strip() not in (",", ";", ":", ".", "!", "?") or w[:1].isdigit():
                return []  # "on Ward No. 3": cut inside a name, not taken
            break
        if lw in ("and", "or", "but"):
            following = ws[k + 1][0].lower() if k + 1 < len(ws) else ""
            if (
                participle
                and post
                and (following.endswith("ed") or following in CLAUSE_TAKING_VERBS)
            ):
                break  # "…patients prescribed methotrexate and found that…": the sentence's
                # own next verb ends the description
            return []  # "the speech and language therapist": where it ends is unsure
        if post and (lw in STANDALONE_PRONOUNS or lw in TITLE_PRONOUNS):
            return []  # it refers on, to something else again
        if not clause:
            if lw in _VERBISH or lw in _NP_POST_END:
                break
            before_it = ws[k - 1][0].lower()
            last = k + 1 >= len(ws) or context[ws[k][2] : ws[k + 1][1]].strip() != ""
            if lw.endswith("ing") and before_it not in PREPOSITIONS | _NP_LEFT_STOP and not last:
                # "letters waiting to be coded": a participle after the noun (one that ends
                # the phrase is a noun: "training in fetal monitoring.")
                break
        post.append(w)
        k += 1
        if len(post) > limit:
            return []  # too long to be one description: not taken
    while post and post[-1].lower() in (PREPOSITIONS | _NP_LEFT_STOP):
        post.pop()
    return post if len(post) > 1 else []


# Numbers in words, before a counted noun ("five patients prescribed…").
_COUNTS = frozenset("two three four five six seven eight nine ten eleven twelve".split())


# Adverbs that can stand right before a noun phrase without describing it.
_NOT_MODIFIERS = frozenset(
    "always never often sometimes also not still just only usually rarely seldom".split()
)


def _antecedent(noun: str, context: str) -> str | None:
    """What "these <noun>" / "this <noun>" refers to: the last noun phrase of the context
    with the same head noun, with the words that say which ("Several medicines audits had
    not been completed… these audits" -> "the medicines audits"; "the risk of pressure
    ulcers… these risks" -> "the risks of pressure ulcers"). None when the earlier phrase
    says no more than the noun itself, or there is none."""
    forms = _noun_forms(noun.lower())
    ws = _words(context)
    for i in range(len(ws) - 1, -1, -1):
        if ws[i][0].lower() not in forms:
            continue
        prev = ws[i - 1][0].lower() if i else ""
        if prev in ("this", "these", "those", "that", "to") or prev in TITLE_PRONOUNS:
            continue  # the same reference again, or a verb ("it plans to", "to plan")
        if _modifier_of_a_compound(ws, context, i):
            continue  # "up-to-date training information": not "training" but "information"
        pre: list[str] = []
        j = i - 1
        quoted = re.search(r"(?:^|\s)([\"“][^\"“”]{2,40}[\"”])\s$", context[: ws[i][1]])
        if quoted:
            # '"as required" medicines': a quoted name is the phrase's modifier
            pre.append(quoted.group(1))
            while j >= 0 and ws[j][1] > quoted.start(1):
                j -= 1
            if j >= 0 and ws[j][0].lower() == "the":
                j -= 1
        while not quoted and j >= 0 and len(pre) < ANTECEDENT_MAX_PRE:
            w = ws[j][0]
            lw = w.lower()
            if context[ws[j][2] : ws[j + 1][1]] != " ":
                break  # punctuation between: another phrase
            if lw.endswith(("'s", "’s", "s'", "s’")) and len(lw) > 3:
                # "the home's fire risk assessment": a possessive is the phrase's determiner
                pre.append(w)
                j -= 1
                if j >= 0 and ws[j][0].lower() in ("the", "a", "an"):
                    pre.append(ws[j][0].lower() if ws[j][0].lower() == "the" else "the")
                    j -= 1
                break
            if (
                lw in _NP_LEFT_STOP
                or lw in PREPOSITIONS
                or lw in _VERBISH
                or lw in BOUNDARY_WORDS
                or lw in STANDALONE_PRONOUNS
                or lw.endswith(("ed", "ly"))
                or lw in IRREGULAR_PARTICIPLES  # "…were not always given information"
                or lw in _NOT_MODIFIERS
                or any(c.isdigit() for c in w)
                or "’" in w
                or "'" in w
            ):
                break
            pre.append(w)
            j -= 1
        if pre and pre[-1][:1].isupper() and j >= 0 and ws[j][0].lower() in PREPOSITIONS:
            pre = []  # "the Royal College of Emergency Medicine audits": inside a name
        post = _description_after(ws, context, i)
        if not pre and not post:
            return None
        words = list(reversed(pre))
        start = ws[j + 1][1] if pre else ws[i][1]
        if words and words[0][1:].islower() and not context[:start].rstrip()[-1:].isalnum():
            words[0] = words[0].lower()  # "Medicines audits…" opening its sentence
        if words and words[0].lower() == "the":
            words[0] = "the"
            return " ".join([*words, noun, *post])
        return " ".join(["the", *words, noun, *post])
    return None


# "Qualified nurses told us they needed to cover two wards at night…, and the trust needed
# to review this arrangement": the way of working reported in the clause before.
_REPORTED_PRACTICE_RE = re.compile(
    r"^(?:however,\s+|but\s+)?(?P<who>(?:[a-z][\w’'-]*\s+){0,3}?[a-z][\w’'-]*)\s+"
    r"(?:told\s+(?:us|me|inspectors)|said|explained)\s+(?:that\s+)?(?:they|he|she)\s+"
    r"(?:needed|had)\s+to\s+(?P<do>[^,;]{6,120}?),\s+and\s+",
    re.I,
)
_PRACTICE_NOUNS = frozenset("arrangement arrangements practice approach routine".split())


def _reported_practice(noun: str, s: str) -> str | None:
    """ "this arrangement" after a clause in which staff say how they have to work ("…told us
    they needed to cover two wards at night…, and the trust needed to review this
    arrangement") is that way of working: "the arrangement for qualified nurses to cover two
    wards at night…"."""
    if noun.lower() not in _PRACTICE_NOUNS:
        return None
    m = _REPORTED_PRACTICE_RE.match(s)
    if m is None or m.group("who").split()[0].lower() in STANDALONE_PRONOUNS:
        return None
    return f"the {noun.lower()} for {m.group('who').lower()} to {m.group('do')}"


def _last_plural_noun(text: str) -> str | None:
    """The last plural noun of ``text`` ("…that emergency medicines are checked and that" ->
    "medicines"), skipping verbs; None when the last plural is not plainly a noun."""
    for w in reversed(text.split()):
        lw = w.lower().strip(",;:")
        if lw in _VERBISH or lw in ("that", "and", "or", "but") or lw.endswith("ed"):
            continue
        if lw.endswith("s") and not lw.endswith("ss") and lw.isalpha() and len(lw) > 3:
            return lw
        return None
    return None


def _finding_naming(noun: str, before: str) -> str | None:
    """The clause of the sentence before that names ``noun`` by a word of the same stem
    ("waits" -> "waiting times for community services … were long"), as a finding."""
    sentences = _sentences_of(before)
    if not sentences:
        return None
    stem = noun.lower().rstrip("s")
    forms = _noun_forms(noun.lower())
    if len(stem) < 4:
        return None
    for clause in reversed(re.split(r",\s+(?:and|but)\s+|;\s+", sentences[-1].rstrip(" ."))):
        found = [w.lower() for w in re.findall(rf"\b{re.escape(stem)}\w*", clause, re.I)]
        if any(w in forms for w in found):
            return None  # the same noun, whose phrase _antecedent found unsure: not taken
        if found and len(clause.split()) >= 3:
            return clause.strip()
    return None


def _sentences_of(before: str) -> list[str]:
    """The paragraph text before a requirement, as its sentences (cut at ". ", "! ", "? ")."""
    return [x for x in re.split(r"(?<=[.!?])\s+", before.strip()) if x]


# One person, never "it": "The manager must ensure that it is recorded…".
_PERSON_HEADS = frozenset(
    """manager leader director executive partner governor nurse midwife doctor dentist
    clinician therapist pharmacist person owner individual lead matron sister guardian officer
    chair chief registrant""".split()
)


# The words after which "that is…" is the pronoun ("ensure that is done", "and that was…");
# after a noun it is a relative pronoun ("equipment that is checked…").
_BEFORE_PRONOUN_THAT = frozenset(
    "and but or so because if as when where whether how until sure to ensure check".split()
)
# "this year", "these weeks": a time, which a demonstrative does not point back from.
_TIME_NOUNS = frozenset(
    "year years month months week weeks time morning afternoon evening winter summer".split()
)


def resolve_pronouns(
    title: str, s: str, before: str, section: str | None = None, doer: str | None = None
) -> str:
    """The title with "this", "these", "it", "they"… replaced by what they stand for.

    A pronoun ("embed this in…", "ensure this clearly articulates…") becomes the noun
    phrase it refers to; a demonstrative before a noun ("these interventions") becomes
    "the", and the paragraph's topic leads the title ("Responding to complaints: monitor the
    success of the interventions"). Left as it was when nothing can be found to refer to.
    """
    ws = _words(title)
    if not any(w.lower() in STANDALONE_PRONOUNS for w, _, _ in ws):
        return title
    topic = _topic(before, s) or _section_topic(section)
    # the subject of the requirement's own clause ("…, and the board assurance framework
    # needed to be reviewed so that it reflected…"), else the sentence's opening subject
    opening = _own_subject(s)
    subject = doer or opening
    told = _TOLD_OBJECT_RE.search(s)
    if (
        doer is None
        and told is not None
        and (told.group("obj")[:1].isupper() or told.group("obj").lower().startswith("the "))
    ):
        # "The Care Quality Commission (CQC) has told Westbrook Care Ltd that it must make
        # improvements to how it manages risks": "it" is the one told, not the teller
        subject = _as_role(told.group("obj"))
    out = title
    label = False
    for idx in range(len(ws) - 1, -1, -1):
        w, a, b = ws[idx]
        lw = w.lower()
        if lw not in STANDALONE_PRONOUNS:
            continue
        nxt = ws[idx + 1][0].lower() if idx + 1 < len(ws) else None
        glued = title[b : b + 1] not in ("", " ")  # "this," / "this." end a phrase
        if lw == "that":
            if nxt not in ("is", "was", "has", "had", "needs", "needed", "will"):
                continue  # "ensure that staff…": a conjunction
            prev = ws[idx - 1][0].lower() if idx else ""
            if prev and prev not in _BEFORE_PRONOUN_THAT and prev not in IMPERATIVE_VERBS:
                continue  # "paediatric equipment that is checked…": a relative pronoun
            determiner = False
        elif lw in ("this", "these", "those"):
            determiner = bool(
                nxt
                and not glued
                and nxt not in PRONOUN_FOLLOWERS
                and nxt not in _VERBS_AFTER_PRONOUN
                and not nxt.endswith("ly")
                and nxt not in STANDALONE_PRONOUNS
                and nxt not in NOUN_DETERMINERS  # "as robust as those the provider carries
                # out": a pronoun with a relative clause of its own, not "those <noun>"
            )
        else:
            determiner = False
        if determiner and nxt in _TIME_NOUNS:
            continue  # "buy one this year": a time, not a thing named before
        ante = None
        if lw == "those" and nxt and (nxt.endswith("ed") or nxt in IRREGULAR_PARTICIPLES):
            # "Ensure that emergency medicines are checked and that those needed for common
            # emergencies are available": "those" + a participle is the title's own plural
            # noun before it, narrowed ("the medicines needed for…")
            plural = _last_plural_noun(out[:a])
            if plural:
                out = out[:a] + "the " + plural + out[b:]
            continue
        if determiner and nxt:
            at = re.search(rf"\b{re.escape(w)}\s+{re.escape(ws[idx + 1][0])}\b", s, re.I)
            ante = _antecedent(ws[idx + 1][0], before + " " + (s[: at.start()] if at else ""))
        if determiner and nxt and not ante:
            ante = _reported_practice(nxt, s)
        if ante:
            # "these risks" after "the risk of pressure ulcers": the thing named before
            rep, b = ante, ws[idx + 1][2]
            if not out[:a].strip():
                rep = rep[0].upper() + rep[1:]
        elif determiner and topic and nxt == topic.lower().split()[-1]:
            # "this room" after "The seclusion room on Ward 3 …": the same thing again
            rep, b = _as_inner(topic), ws[idx + 1][2]
            if rep.lower().startswith(("a ", "an ")):
                rep = "the " + rep.split(" ", 1)[1]
            elif not rep.lower().startswith("the ") and out[:a].strip():
                rep = "the " + rep
        elif determiner:
            if not topic and nxt:
                # "… waiting times for community services were long. Leaders needed to
                # understand the reasons for these waits": the finding that names them leads
                topic = _finding_naming(nxt, before)
            if not topic:
                continue  # nothing to lead with: "these patients" stays
            rep = "the"
            label = True
        elif lw in ("they", "them", "it"):
            # only a new clause about the same subject: "… so they can be active partners",
            # "… demonstrate that it has acted" (not "tell staff what they need")
            prev = ws[idx - 1][0].lower() if idx else ""
            if prev not in SAME_SUBJECT_OPENERS or not subject:
                continue
            if lw == "they" and _OWN_PLURAL_CLAUSE_RE.match(title):
                continue  # "Make sure audits checked … as well as that they were in place":
                # the title's own clause has a plural subject, which "they" takes up
            if _plural(subject) != (lw != "it"):
                continue
            if lw == "it" and subject.lower().split()[-1] in _PERSON_HEADS:
                continue  # "the manager must ensure that it is recorded": "it" is no person
            rep = _as_inner(subject)
        elif topic:
            rep = _as_inner(topic)
        elif lw in ("these", "those") and opening and _plural(opening):
            rep = _as_inner(opening)  # "the trust needed to ensure that these were reviewed"
        else:
            continue
        out = out[:a] + rep + out[b:]
    if label and topic:
        lead = topic[0].upper() + topic[1:]
        if lead.lower().startswith("the "):
            lead = lead[4].upper() + lead[5:]
        lead = re.sub(r"\s*\([^()]*$", "", lead)  # "Medicine administration records (MARs"
        # "Several MARs had gaps…": the things, not how many of them
        quantified = re.match(
            r"(?:several|some|many|most|a\s+few|all|two|three|four)\s+(?=\S)", lead, re.I
        )
        if quantified and len(lead.split()) > 1:
            lead = lead[quantified.end() :]
            lead = lead[0].upper() + lead[1:]
        lead_words = lead.lower().split()
        named = {w.lower() for w, _, _ in _words(out)}
        if not (
            lead_words
            and _noun_forms(lead_words[-1]) & named
            and all(w in named for w in lead_words[:-1])
        ):
            # "Call back: review how the trust prioritises the call backs": the title
            # names its topic already, so it needs no label
            out = f"{lead}: {_lower_first(out, True)}"
    return out


# "Make sure audits checked…", "Ensure that care plans were…": a clause with a plural
# subject of its own after the title's verb.
_OWN_PLURAL_CLAUSE_RE = re.compile(
    r"^(?:ensure|make\s+sure)\s+(?:that\s+)?(?:the\s+|all\s+)?[a-z][\w-]*[a-rt-z]s\s+"
    r"(?:[a-z]+ed|were|are|have|had|did|do)\b",
    re.I,
)


# A pronoun right after a noun, opening a "that"-less relative clause: "the data they
# receive", "the emergency medicines it does not stock".
_RELATIVE_PRONOUN_RE = re.compile(
    r"\b(?P<noun>[a-z][\w’'-]*)\s+(?P<pro>it|they)\s+(?=(?:do|does|did)\s+not\b|"
    r"(?:receive|receives|received|use|uses|used|hold|holds|held|stock|stocks|keep|keeps|"
    r"kept|provide|provides|provided|need|needs|needed|have|has|had|offer|offers|offered|"
    r"run|runs|make|makes|made|collect|collects|collected)\b)"
)
_NOT_NOUNS = frozenset(
    """that so and but because if when how what why ensure sure where whether until unless
    as than or which who whom while whilst although though""".split()
)


# "the trust", "the GP practice", "this hospice": an organisation that "it" can stand for.
_ORGANISATION_NP_RE = re.compile(
    r"\bthe\s+(?:[a-zA-Z][\w-]*\s+){0,2}?(?:"
    + "|".join(sorted(ORGANISATION_WORDS - {"board"}))
    + r")\b(?![’'-])",
    re.I,
)
# A provider's own name ("Kingsmere University Hospitals NHS Trust", "Brightwater Home Support
# Ltd"), which a title says as its role.
_PROVIDER_NAME_RE = re.compile(
    r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*\s+(?:NHS\s+(?:Foundation\s+)?Trust|Limited|Ltd|plc)$"
)
# Not an organisation's name: a phrase with the regulator's own words in it.
_ORGANISATION_NP_NOT = re.compile(r"\b(?:we|us|our)\b", re.I)


def _organisation_before(*texts: str | None) -> str | None:
    """The organisation last named in the first of ``texts`` that names one ("We have told
    the provider that it…" -> "the provider"; a lead-in "The hospice should:" -> "the
    hospice")."""
    for text in texts:
        if not text:
            continue
        found = [
            m.group(0)
            for m in _ORGANISATION_NP_RE.finditer(text)
            if not _ORGANISATION_NP_NOT.search(m.group(0))
        ]
        if found:
            return "the " + found[-1].split(" ", 1)[1]
    return None


def _resolve_own_subject(
    title: str,
    s: str,
    trig: _Trigger | None,
    before: str = "",
    leadin: str | None = None,
) -> str:
    """The title with "its" and a relative clause's "it"/"they" replaced by the sentence's
    own subject, which the title dropped: "The practice needed to improve its uptake…" ->
    "Improve the practice's uptake…", "Senior leaders should make sure that the data they
    receive is accurate" -> "…the data senior leaders receive…". A subject that is itself
    "it" is the organisation named before ("We have told the practice that it needs to
    review its…", "The trust had a vision, but it needed to…"), and a bullet's is its
    lead-in's ("The hospice should:" / "Continue to develop its…")."""
    span = _subject_np(s, trig.key_start) if trig is not None else None
    need_for = _NEED_FOR_DOER_RE.match(s)
    if need_for:
        span = need_for.span("np")  # "There is a need for the practice to improve its…"
    named = None
    if span and s[span[0] : span[1]].lower().endswith(" it"):
        span = (span[1] - 2, span[1])  # "We told the trust it must…": the told party, then "it"
    if span and s[span[0] : span[1]].lower() == "it":
        organisation = _organisation_before(s[: span[0]], before)
        if organisation is None:
            # "CQC has told Fenwick Valley Hospitals NHS Trust that it must…": the name told
            told = _TOLD_OBJECT_RE.search(s[: span[1]])
            named = told.group("obj") if told and told.group("obj")[:1].isupper() else None
            if named is None or named.split()[0].lower() == "the":
                return title
            organisation = named
        subject = organisation
    elif span:
        subject = s[span[0] : span[1]]
    elif leadin and (re.search(r"\bits\b", title) or _CLAUSE_IT_RE.search(title)):
        # "The trust should:" / "Review how it involves people…": the lead-in's organisation
        organisation = _organisation_before(leadin)
        if organisation is None:
            return title
        subject = organisation
    else:
        return title
    head = subject.lower().split()[-1]
    if head not in AGENT_HEADS or head in STANDALONE_PRONOUNS or head in PEOPLE_SUBJECTS:
        return title
    if subject.lower().split()[0] in STANDALONE_PRONOUNS:
        return title
    if named is None and _PROVIDER_NAME_RE.search(subject):
        named = subject  # "Kingsmere University Hospitals NHS Trust must…its…": "the trust"
    inner = _as_role(named) if named else _as_inner(subject)
    if inner.lower() in title.lower() and not re.search(r"\bits\b", title):
        return title  # the title names its subject already (an "its" left is still its:
        # "Tackle long waits in its emergency department and improve the way the trust…")
    plural = _plural(subject)
    if not plural and re.search(r"\bits\b", title):
        possessive = inner + ("’" if "’" in s else "'") + "s"
        title = re.sub(r"\bits\b", possessive, title)

    if not plural and head in ORGANISATION_WORDS:
        # "…when it prescribed medicines": a clause about the same organisation
        title = _CLAUSE_IT_RE.sub(lambda m: f"{m.group(1)} {inner}", title)

    def relative(m: re.Match[str]) -> str:
        if m.group("noun").lower() in _NOT_NOUNS or (m.group("pro") == "they") != plural:
            return m.group(0)
        if _REPORTED_TO_RE.search(title[: m.start("noun")]):
            return m.group(0)  # "…told inspectors they did not feel heard": what was said
        return f"{m.group('noun')} {inner} "

    return _RELATIVE_PRONOUN_RE.sub(relative, title, count=1)


# "…when it prescribed medicines", "how it involves people…": a clause about the organisation.
_CLAUSE_IT_RE = re.compile(r"\b(when|where|before|after|until|because|if|unless|how|whether) it\b")

# "…told inspectors", "…said to us": the next words report what someone said.
_REPORTED_TO_RE = re.compile(
    r"\b(?:told|tell|tells|said|asked|reminded|informed|warned|assured)\s+$", re.I
)


# "The trust has been told (that) it must…": who "it" is.
_TOLD_PASSIVE_RE = re.compile(told_passive("np") + r"(?:that\s+)?(?:it|they)", re.I)


# "There is a need for the practice to improve its uptake…": who is to do it.
_NEED_FOR_DOER_RE = re.compile(
    r"^\W*there\s+(?:is|was|remains|remained)\s+(?:still\s+)?(?:an?\s+)?(?:[a-z]+\s+)?need\s+"
    r"for\s+(?P<np>the\s+[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*)?)\s+to\s",
    re.I,
)


def _doer(s: str, trig: _Trigger | None) -> str | None:
    """The subject of the trigger's clause when it is a noun phrase that can be "it" or
    "they" later in the title ("the board assurance framework", "directorate leaders")."""
    span = _subject_np(s, trig.key_start) if trig is not None else None
    if span is None:
        return None
    np = s[span[0] : span[1]]
    words = np.lower().split()
    told = _TOLD_PASSIVE_RE.match(s)
    if told and told.end() == span[1] and words[-1:] in (["it"], ["they"]):
        return _lower_first(told.group("np"), True)  # "The trust has been told it must…"
    if not words or words[0] in STANDALONE_PRONOUNS or words[-1] in STANDALONE_PRONOUNS:
        return None
    if words[0] in TITLE_PRONOUNS or words[-1] in TITLE_PRONOUNS or words[0] == "more":
        return None
    if len(words) < 2 and span[0] != 0:
        return None  # one word after a comma or "and": not sure it is the whole subject
    return _lower_first(np, span[0] == 0)


_IT_PASSIVE_RE = re.compile(
    r"^(?P<lead>(?:ensure|make\s+sure)(?:\s+that)?\s+)(?P<pro>it|they)\s+"
    r"(?=(?:is|are|was|were)\s+(?:[a-z]+ed|[a-z]+en)\b)",
    re.I,
)
_THEY_ACT_RE = re.compile(
    r"^(?P<lead>(?:ensure|make\s+sure)(?:\s+that)?\s+)(?P<pro>they)\s+(?=[a-z]+\b)(?!are\b|were\b)",
    re.I,
)
_VERB_THEM_RE = re.compile(r"^(?P<lead>[A-Z][a-z]+\s+)(?P<pro>them)\b")


# A title that opens with its verb and a pronoun for the thing it acts on: "Do these more
# often…", "Finalise it with partners", "Introduce these so that…".
_POINTER_OBJECT_RE = re.compile(
    r"^(?P<verb>[A-Z][a-z]+)(?P<adv>\s+(?:further|again|now))?\s+(?P<pro>it|this|these|them)\b"
    r"(?P<rest>.*)$"
)
# Where a clause begins: the start, after a full stop or semicolon, or after ", but" / ", and".
_CLAUSE_START = (
    r"(?:^|(?<=[.;:])\s+|,\s+(?:but|and|although|while|whilst)\s+|\s+but\s+|^however,\s+)"
)
# "…the strategy for mental health services had not been agreed", "Spot checks of staff were
# carried out": the thing a clause says was (or was not) done, as its subject.
_DONE_TO_RE = re.compile(
    _CLAUSE_START
    + r"(?P<np>(?:(?!(?:was|were|had|has|have|is|are|been|be|that|which|who|but|and|not|"
    r"there|we|it|they|this|these)\b)[\w’'-]+\s+){1,8}?)"
    # (a passive: "had" only with "been", since "Leaders had introduced new checks" names
    # who did it, not what was done)
    r"(?:(?:was|were|is|are)\s+(?:not\s+)?(?:always\s+|yet\s+|regularly\s+)?(?:been\s+)?|"
    r"(?:had|has|have)\s+(?:not\s+)?(?:always\s+|yet\s+|regularly\s+)?been\s+)"
    r"(?P<part>[a-z]+(?:ed|en)|done|made|held|kept|met|set|put|built)"
    r"(?P<particle>\s+(?:out|up))?\b",
    re.I,
)
# "…there were no protocols for medicines given 'as required'": the thing that was missing.
_THERE_NO_RE = re.compile(
    r"\bthere\s+(?:was|were|is|are)\s+(?:no|not\s+enough|not\s+any|few|little)\s+"
    r"(?P<np>[^,;.]+?)(?=\s*[,;.]|\s+(?:and|but|so|because)\b|$)",
    re.I,
)
# "The service had a clear vision and strategy.": what the provider had, whole ("and" too),
# its praise left out ("clear", "good"), to be named as the provider's.
_OWNER_HAD_RE = re.compile(
    r"(?:^|(?<=[.;]\s))(?P<owner>(?:The|the)\s+(?i:trust|provider|service|practice|home|hospital|"
    r"hospice|board|clinic|agency))\s+(?:had|has)\s+(?:an?|one)\s+"
    r"(?:(?:clear|good|new|detailed|comprehensive|well-understood|ambitious)\s+)?"
    r"(?P<np>[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,4}?)(?=\s*[.;]|\s*,\s*(?:but|however)\b|$)"
)
# What may follow the pronoun when it stands alone as the object ("do these more often",
# "finalise it with partners"), not a noun it is the determiner of ("these checks").
_AFTER_POINTER = PRONOUN_FOLLOWERS | PREPOSITIONS | frozenset("more properly fully".split())


# "…that a two-week cooling-off period is offered before cosmetic surgery and that this is
# recorded": "this" is the deed of the clause before it, so the second participle joins the
# first ("…is offered before cosmetic surgery and recorded").
_THAT_THIS_DONE_RE = re.compile(
    r"(?P<done>\b(?:is|are)\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en)\b)(?P<mid>[^;,]{0,200}?)\s+and\s+that\s+"
    r"(?:this|it)\s+(?:is|was)\s+(?P<p2>[a-z]+(?:ed|en))\b"
)


def _resolve_pointing_object(title: str, s: str, trig: _Trigger | None, before: str) -> str:
    """ "Spot checks of staff were carried out, but the provider needed to do these more often
    for staff working at weekends" -> "Carry out spot checks of staff more often for…";
    "…the strategy for mental health services had not been agreed with commissioners.
    Leaders needed to finalise it with partners." -> "Finalise the strategy for mental health
    services with partners"; "…there were no protocols for medicines given 'as required'. The
    provider needs to introduce these…" -> "Introduce protocols for medicines given…": a
    pronoun the title's verb acts on is the thing the clause before it says was (or was not)
    done, or was missing, when it agrees in number and is no person or organisation."""
    m = _POINTER_OBJECT_RE.match(title.strip())
    if m is None or trig is None:
        return title
    if m.group("verb").lower() in PREPOSITIONS | BOUNDARY_WORDS | SUBORDINATORS:
        return title  # "For this…", "And these…": no verb opens the title
    nxt = m.group("rest").split()[:1]
    if nxt and nxt[0].lower().strip(".,;:") not in _AFTER_POINTER:
        return title  # "Review these checks…": a determiner
    plural = m.group("pro").lower() in ("these", "them")
    found: tuple[str, str | None] | None = None
    last = _sentences_of(before)[-1] if before.strip() else ""
    for text in (s[: trig.key_start], last):
        best: tuple[int, str, str | None] | None = None
        for dm in _DONE_TO_RE.finditer(text):
            best = (
                dm.start("np"),
                dm.group("np").strip(),
                dm.group("part") + (dm.group("particle") or ""),
            )
        for tm in _THERE_NO_RE.finditer(text):
            if best is None or tm.start() > best[0]:
                best = (tm.start("np"), tm.group("np").strip(), None)
        for hm in _OWNER_HAD_RE.finditer(text):
            if best is None or hm.start() > best[0]:
                # "The service had a clear vision and strategy. However, this needed to be
                # shared more widely" -> "Share the service's vision and strategy more widely"
                owner = _possessive(_lower_first(hm.group("owner"), hm.start("owner") == 0))
                best = (hm.start("np"), f"{owner} {hm.group('np')}", None)
        if best is None:
            continue
        np = re.sub(r"^(?:however|but|also)\s*,?\s+", "", best[1], flags=re.I)
        # "Some equipment had not been checked": the equipment, not how much of it
        np = re.sub(
            r"^(?:not\s+)?(?:some|several|much|most|many|all|few)\s+(?:of\s+)?(?:the\s+)?",
            "the ",
            np,
            flags=re.I,
        )
        words = np.lower().split()
        head = re.split(r"\s+(?:of|for|to|in|on|at|with|from|about)\s+", np.lower())[0].split()[-1]
        if _np_is_plural(np) != plural or head in PEOPLE_SUBJECTS or head in _PERSON_HEADS:
            break
        if head in ORGANISATION_WORDS or head == "staff" or words[0] in STANDALONE_PRONOUNS:
            break
        found = (np, best[2])
        break
    if found is None:
        return title
    np, part = found
    np = _lower_first(np, True)
    if np.lower().startswith(("a ", "an ")):
        np = "the " + np.split(" ", 1)[1]
    verb = m.group("verb")
    if verb.lower() == "do" and part:
        # "do these" after "were carried out": the same deed
        first, _, particle = part.partition(" ")
        base = _base_verb(first)
        if base and (base in IMPERATIVE_VERBS or base in VERB_OPENERS):
            verb = base.capitalize() + (" " + particle if particle else "")
    return f"{verb}{m.group('adv') or ''} {np}{m.group('rest')}"


def _resolve_from_last_subject(title: str, before: str) -> str:
    """ "The kitchen was visibly dirty. The provider needs to ensure it is cleaned…" -> "Ensure
    the kitchen is cleaned…"; "Incidents were reported, but managers did not review them…
    They must review them within 48 hours." -> "Review incidents within 48 hours"; "Staff
    knew… but not all of them had completed… The provider should ensure that they complete
    it." -> "Ensure that staff complete…": a pronoun that opens what is to be done is what
    the sentence before opened with (a thing for "it"/"them", people for "they" who act)."""
    if not before.strip():
        return title
    last = _sentences_of(before)[-1]
    np = _opening_np(last, direct=True) or ""
    words = np.lower().split()
    if not words or words[0] in STANDALONE_PRONOUNS | TITLE_PRONOUNS or words[0] in ("there", "we"):
        return title
    people = words[-1] in PEOPLE_SUBJECTS or words[-1] in _PERSON_HEADS or words[-1] == "staff"
    inner = _as_inner(np)
    m = _IT_PASSIVE_RE.match(title)
    if m and not people and _plural(np) == (m.group("pro").lower() == "they"):
        return title[: m.start("pro")] + inner + title[m.end("pro") :]
    m = _VERB_THEM_RE.match(title)
    if m and not people and _plural(np):
        return title[: m.start("pro")] + inner + title[m.end("pro") :]
    m = _THEY_ACT_RE.match(title)
    if m and people and _plural(np):
        return title[: m.start("pro")] + inner + title[m.end("pro") :]
    return title


def _doer_before(s: str, before: str) -> str | None:
    """ "The board did not receive enough information… It needs to receive regular reports so
    it can hold leaders to account": a sentence opening with "It" / "They" has the subject of
    the sentence before (so the later "it" is "the board")."""
    opening = re.match(r"(?:it|they)\b", s, re.I)
    if opening is None or not before.strip():
        return None
    last = _sentences_of(before)[-1]
    span = _sentence_subject(last)
    if span is None or span[0] != 0:
        return None
    np = last[span[0] : span[1]]
    words = np.lower().split()
    if not words or words[0] in STANDALONE_PRONOUNS or words[-1] in STANDALONE_PRONOUNS:
        return None
    if words[0] in ("there", "we", "i", "you") or words[-1] in PEOPLE_SUBJECTS:
        return None
    if _plural(np) != (opening.group(0).lower() == "they"):
        return None
    return _lower_first(np, True)


def _conjoined_parts(s: str) -> list[str]:
    """The parts of a sentence that each state a requirement, joined by "and": "The trust
    needs an engagement plan and the visits … need to be embedded" -> both halves."""
    if len(s) > CONJOIN_MAX_CHARS:
        return [s]
    pieces: list[str] = []
    start = 0
    for m in re.finditer(r",?\s+and\s+", s):
        if s.count("(", 0, m.start()) != s.count(")", 0, m.start()):
            continue
        pieces.append(s[start : m.start()])
        start = m.end()
    pieces.append(s[start:])
    if len(pieces) < 2:
        return [s]
    groups: list[str] = []
    for piece in pieces:
        if groups and find_trigger(piece) is None:
            groups[-1] = groups[-1] + " and " + piece
        else:
            groups.append(piece)
    if find_trigger(groups[0]) is None or len(groups) < 2:
        return [s]
    return groups


# "We have told the trust where it needs to make improvements.", "CQC has told the provider
# it must make significant improvements.": the regulator's report that it told this provider
# to improve, naming nothing more (rules._told_summary keeps it). The title says so whole:
# "Make the improvements CQC has told the trust to make".
_TOLD_VACUOUS_RE = re.compile(
    r"(?:"
    + TOLD_OPENING
    + r"(?P<party>the\s+(?:registered\s+)?[\w’'-]+|it|them)\s+"
    # …or in the passive: "The trust has been told that it must make a number of improvements"
    + "|"
    + told_passive("passive")
    # …or by a warning notice: "We served a warning notice on the provider telling them…"
    + "|"
    + told_by_notice("nparty", "nparty_with")
    + r")"
    r"(?:that\s+|where\s+|what\s+)?(?:it|they|the\s+[\w’'-]+)\s+"
    r"(?P<modal>must|needs?\s+to|needed\s+to|should)\s+"
    r"(?:(?P<improve>(?:do\s+to\s+)?improve|make\s+(?:(?P<adj>some|further|significant|urgent|major|"
    r"a\s+number\s+of|a\s+range\s+of|several|"
    r"the\s+necessary|\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+)?"
    r"improvements?)|(?:do\s+to\s+)?put\s+(?P<right>things\s+right))"
    # then nothing, or a clause of its own ("…, and we will monitor its action plan", "…, and
    # it has sent us a plan")
    r"\s*(?:[.;:]?\s*$|,?\s+and\s+(?:(?:we|it|they|the\s+[\w’'-]+)\s+)?"
    r"(?:will|would|shall|has|have|had|is|are|was|were)\b)",
    re.I,
)
_TOLD_OPENING_RE = re.compile(TOLD_OPENING, re.I)
# What frames such a sentence names nothing either: a concession set off by commas (", even
# though a regulation had not been breached,"), a purpose that is improvement itself
_TOLD_FRAMES_RE = re.compile(
    r",\s*(?:even\s+)?(?:though|although|while|whilst)\s+[^,;]*,"
    r"|,?\s*\bto\s+help\s+(?:the\s+)?(?:service|provider|trust|practice|home)\s+(?:to\s+)?"
    r"improve\b",
    re.I,
)


def _told_vacuous_title(s: str) -> str | None:
    """The title of the regulator's report that it told this provider to improve, when it names
    nothing more ("Make the improvements CQC has told the provider to make")."""
    m = _TOLD_VACUOUS_RE.match(_TOLD_FRAMES_RE.sub("", s))
    if m is None:
        return None
    party = (
        m.group("party") or m.group("passive") or m.group("nparty") or m.group("nparty_with")
    ).lower()
    if party in ("it", "them"):
        party = "the provider"
    if m.group("right"):
        return f"Do what CQC has told {party} to do to put things right"
    adj = " ".join((m.group("adj") or "").lower().split())
    if adj in ("some", "the necessary", "a number of", "a range of", "several"):
        adj = ""
    return f"Make the {adj + ' ' if adj else ''}improvements CQC has told {party} to make"


def make_title(
    s: str,
    trig: _Trigger | None,
    bullet: bool,
    before: str = "",
    section: str | None = None,
    leadin: str | None = None,
) -> str:
    """The requirement's title: an action that stands alone, whole (never cut).

    ``before`` is the paragraph text before the sentence, used to resolve "this", "it"…;
    ``leadin`` the lead-in a bullet is listed under ("The hospice should:"), whose subject a
    bullet's "its" refers to.
    A sentence stating two requirements keeps both ("Agree an engagement plan and embed the
    visits to services by members of the board").
    """
    title = None
    kept = None if bullet or trig is None else _rule_not_kept_title(s, trig)
    if kept is not None:
        return kept
    told = None if bullet else _told_vacuous_title(s) or _told_vacuous_later_clause(s)
    if told is not None:
        return _second_clause_title(told)
    beside = None if bullet else _rule_beside_failure_title(s, trig)
    if beside is not None:
        return _finish_title(beside)
    named = _COMPANY_SUBJECT_RE.match(s)
    if named is not None:
        s = "The provider " + s[named.end() :]
        trig = find_trigger(s)
    aside = _aside_sentence(s, trig)
    if aside is not None:
        s, trig = aside, find_trigger(aside)
    if bullet and trig is None and (ref := regulation_reference(s)) is not None and ref[2]:
        return notice_title(s)  # "Regulation 14: Meeting nutritional needs" listed under a
        # lead-in: titled on its name, as a notice's area is
    if bullet and trig is None:
        listed = _question_item_title(s) or _listed_np_title(s)
        if listed:
            return _finish_title(listed)
    if bullet:
        # a listed item of two sentences ("The unit did not carry out the monthly water
        # tests… The guidelines state that…"): the first says what; the rest elaborates
        first = _ITEM_SENTENCES_RE.split(s.strip(), maxsplit=1)
        if (
            len(first) == 2
            and len(first[0].split()) >= 4
            and (trig is None or trig.end <= len(first[0]))
        ):
            s = first[0]
    if trig is not None:
        parts = _conjoined_parts(s)
        if len(parts) > 1:
            titles: list[str] = []
            for part in parts:
                ptrig = find_trigger(part)
                t = _make_title(part, ptrig, False)
                t = re.sub(r"^(?:Be able to|Ensure (?:it|they) (?:is|are) able to)\s+", "", t)
                if ptrig is not None and _finish_title(t) == _finish_title(
                    _clause_from(part, ptrig.key_start)
                ):
                    break  # a part that only describes ("X was in need of…"): not joined
                if len(_finish_title(t).split()) < 2 and titles:
                    # "…, and leaders agreed this needed to improve": a later part that is a
                    # bare verb takes up the one before, it adds no action of its own
                    parts = parts[: len(titles)]
                    break
                titles.append(t)
            if len(titles) == len(parts):
                title = titles[0] + "".join(" and " + _lower_first(t, True) for t in titles[1:])
    if title is None:
        title = _make_title(s, trig, bullet)
        title = _pro_form_title(title, s, trig, before) or title
        title = _demonstrative_finding_title(title, s, trig, before)
        title = _demonstrative_priority_title(title, s, trig, before)
        title = _demonstrative_failure_title(title, before)
    title = _CONSEQUENCE_RE.sub("", title)
    title = _SECOND_THAT_CLAUSE_RE.sub("", title)
    title = _STEP_TAKEN_RE.sub("", title)
    title = _AFTER_INSPECTION_RE.sub("", title)
    title = _ATTRIBUTION_TAIL_RE.sub("", title)
    because = _BECAUSE_RE.search(title)
    if because and len(title[: because.start()].split()) >= 3:
        title = title[: because.start()]  # "Replace the pads because they had passed their
        # expiry date": the reason is the finding, not part of the action
    title = _REGULATOR_NEXT_RE.sub("", _WHAT_TO_DO_RE.sub("", title))
    if _TOLD_OPENING_RE.match(s):
        # "Following this inspection, we told the provider that it must take some actions…
        # and that it should make other improvements, even though a regulation had not been
        # breached, to help the service improve": the concession and the purpose frame what
        # CQC told it, they are not part of the action
        title = _TOLD_FRAMES_RE.sub("", title)
    if len(title) <= CONJOIN_MAX_CHARS:  # its lookahead reads to the end: sane sizes only
        title = _cut_finding_tail(title)
    title = _should_have_title(title)
    title = _comparative_those(title)
    title = _resolve_this_done(title, before)
    title = _resolve_from_last_subject(title, before)
    title = _resolve_pointing_object(title, s, trig, before)
    title = _THAT_THIS_DONE_RE.sub(r"\g<done>\g<mid> and \g<p2>", title)
    title = resolve_pronouns(title, s, before, section, _doer(s, trig) or _doer_before(s, before))
    title = _resolve_it_after_noun(title, s, trig)
    title = _resolve_quantifier_said(title, before)
    title = _resolve_object_it(title, s, trig, before)
    title = _resolve_one(title, s, trig, before)
    title = _resolve_final_them(title, s)
    title = _resolve_made_earlier(title, s, trig)
    title = _resolve_this_information(title, s, before)
    title = _resolve_own_subject(title, s, trig, before, leadin if bullet else None)
    title = _needed_to_be_title(title)
    title = _reported_failure_pointed_at(title, s)
    # ("This needed to be shared…" has only now become "share this…")
    opened = title[:1].upper() + title[1:]
    if (pointed := _resolve_pointing_object(opened, s, trig, before)) != opened:
        title = pointed
    title = _needed_gerund_title(title)
    title = _state_verb_title(title, s, trig)
    # "The trust should also…", "The practice must now address…"
    title = re.sub(r"^(?:also|now)\s+(?=[a-z])", "", title, flags=re.I)
    title = _resolve_their(title, s, trig)
    title = _resolve_their_opening(title, s)
    title = _resolve_needed_it(title)
    title = _resolve_reflexive(title, s, trig)
    title = _resolve_this_happened(title, s)
    including = _IMPROVEMENTS_INCLUDING_RE.match(title.strip())
    if including and _gerund_verb(including.group("g")):
        # "Make a number of improvements, including ensuring that there are enough nurses…"
        # -> "Ensure that there are enough nurses…": the improvement named is the action
        title = _gerund_opener_title(title.strip()[including.start("g") :])
    if bullet and leadin:
        title = _gerund_opener_title(title)
    if bullet and trig is None and leadin:
        title = _leadin_verb_title(title, leadin)
    title = _need_for_title(title)
    title = _two_participles_title(title)
    title = _present_tense_title(title)
    title = _second_clause_title(title)
    # "…where it needs to improve, in the planning of call times and in the supervision of
    # care workers" -> "Improve the planning of call times and the supervision of care workers"
    where = re.match(r"^improve\s*,\s*in\s+(?P<rest>\S.*)$", title, re.I)
    if where:
        title = "Improve " + re.sub(r"\b(and|or)\s+in\s+", r"\1 ", where.group("rest"))
    title = _round13_title(title, s)
    if len(_finish_title(title).split()) < 3:
        title = _short_title(_finish_title(title), s, trig, before)
    return _finish_title(_reported_thing_title(_finish_title(title), s))


# "Reduce the use of restraint and to make sure that…": the second of two actions keeps no
# "to" of its own.
_AND_TO_RE = re.compile(r"^(?P<first>[A-Za-z][a-z]+\b[^,;]*?)\s+and\s+to\s+(?=[a-z]{3,}\b)")
# "…, and providers should have clear arrangements for learning from incidents": a second
# action with its own subject and modal, as an action on that subject.
_AND_SUBJECT_MODAL_RE = re.compile(
    r",?\s+and\s+(?P<subj>(?:the\s+|all\s+)?[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,2}?)\s+"
    r"(?:should|must)\s+(?:also\s+)?(?P<verb>[a-z]+)\b"
)


def _second_clause_title(title: str) -> str:
    if len(title) > CONJOIN_MAX_CHARS:
        return title
    """ "Reduce the use of restraint and to make sure that…" -> "…and make sure that…";
    "Create a culture where staff feel able to speak up, and providers should have clear
    arrangements…" -> "…and ensure providers have clear arrangements…": the second of two
    actions reads as an action too."""
    title = _AND_TO_RE.sub(r"\g<first> and ", title, count=1)
    m = _AND_SUBJECT_MODAL_RE.search(title)
    if (
        m is None
        or m.group("verb") in ("be", "not")
        or m.group("subj").split()[0] in (STANDALONE_PRONOUNS | {"we", "i", "you"})
    ):
        return title
    subj, verb = m.group("subj"), m.group("verb")
    form = verb if _plural(subj) else ("has" if verb == "have" else _third_person(verb))
    return f"{title[: m.start()]} and ensure {subj} {form}{title[m.end() :]}"


_PAST_BE_RE = re.compile(
    r"^(?P<lead>(?:(?:Do\s+more|Take\s+(?:action|steps)|Make\s+(?:further\s+)?improvements?)"
    r"\s+to\s+)?(?:Ensure|ensure|Make\s+sure|make\s+sure)(?:\s+that)?\s+)"
    r"(?P<np>(?:(?!(?:was|were|had|has|have|is|are|be|been|who|which|that|when|where|if)\b)"
    r"[\w’'\"()-]+\s+){1,8}?)"
    r"(?P<be>were|was)\b(?!\s+not\b)",
    re.I,
)


_HOW_PAST_RE = re.compile(
    r"^(?:improve|review|change|strengthen|consider|monitor|look\s+at)\s+(?:the\s+way|how)\s+"
    r"(?P<np>(?:the|its|their)\s+[a-z][\w’'-]*(?:\s+(?!(?:is|are|was|were|has|have|had|be|been)\b)"
    r"[a-z][\w’'-]*)?|staff|leaders|managers|"
    # a bare plural ("the way incidents were reviewed")
    r"(?!(?:it|they|he|she|we|this|these|there)\b)[a-z][\w’'-]*s)\s+"
    r"(?P<verb>[a-z]+ed|were|was)\b",
    re.I,
)
_PAST_DEED_RE = re.compile(
    r"^(?:Ensure|Make\s+sure)(?:\s+that)?\s+"
    r"(?P<np>(?:all\s+|the\s+)?(?:[a-z][\w’'-]*\s+){0,2}?(?:staff|nurses|carers|doctors|"
    r"managers|leaders|clinicians|practitioners|workers|teams|midwives|paramedics|"
    r"people|patients|residents|children|families))\s+"
    r"(?P<verb>[a-z]+ed)\s+(?=(?:their|the|a|an|all|every|each|its)\b|(?!by\b|to\b|in\b|for\b)"
    r"[a-z]+\s+(?:training|checks?|records?|assessments?|forms?|audits?|courses?)\b)"
)
# "Ensure that all staff had received training" -> "…have received…": the past perfect of
# the finding after the subject, as the present perfect of what must be so.
_HAD_PERFECT_RE = re.compile(
    r"^(?P<lead>(?:Ensure|Make\s+sure)(?:\s+that)?\s+)"
    r"(?P<np>(?:(?!(?:was|were|had|has|have|is|are|be|been|who|which|that|when|where|if|not)\b)"
    r"[\w’'-]+\s+){1,6}?)(?P<had>had)\s+(?=(?!not\b|been\s+not\b)[a-z]+(?:ed|en|wn)\b)",
)
# "Ensure that staff had the skills they needed" -> "…staff have the skills…": "had" as the
# main verb, what they must have from now on.
_HAD_POSSESSION_RE = re.compile(
    r"^(?P<lead>(?:Ensure|Make\s+sure)(?:\s+that)?\s+)"
    r"(?P<np>(?:(?!(?:was|were|had|has|have|is|are|be|been|who|which|that|when|where|if|not)\b)"
    r"[\w’'-]+\s+){1,6}?)(?P<had>had)\s+(?=(?:the|a|an|enough|sufficient|their|its|access|"
    r"all|up\s+to\s+date|regular|appropriate)\b)",
)
# "…when their needs changed" -> "…when their needs change", "…when they became distressed"
# -> "…when they become distressed": a condition's past verb at the title's end.
_WHEN_PAST_RE = re.compile(
    r"\b(?P<conj>when|whenever|if|until|as\s+soon\s+as|before|after|once)\s+"
    r"(?P<np>(?:their|his|her|its|the|a|people's|they|he|she|it|staff|patients|people|"
    r"residents)(?:\s+(?!(?:is|are|was|were|be|been|being|has|have|had|not|"
    r"and|or)\b)[a-z][\w’'-]*){0,2}?)\s+(?P<verb>[a-z]+ed|became|fell|left|"
    r"went|came|felt|got|began)(?P<rest>(?:\s+[a-z][\w’'-]*){0,3})$"
)
_WHEN_IRREGULAR = {
    "became": "become",
    "fell": "fall",
    "left": "leave",
    "went": "go",
    "came": "come",
    "felt": "feel",
    "got": "get",
    "began": "begin",
}


# "…so that patients admitted on Friday were reviewed before Monday", "…when the department
# was full": a purpose or a condition of what is to be done, in the finding's past tense.
_PAST_IN_PURPOSE_RE = re.compile(
    r"\b(?P<conj>so\s+that|when|whenever|until)\s+(?P<np>(?:(?!(?:and|or|but|that|which|who|"
    r"had|has|have|is|are|be|been|did|not)\b)[\w’'-]+\s+){1,6}?)(?P<be>was|were)\b(?!\s+not\b)",
    re.I,
)
_THERE_WERE_RE = re.compile(
    r"^(?P<lead>.{0,60}?\b(?:ensure|make\s+sure)(?:\s+that)?\s+there\s+)(?P<be>was|were)\b", re.I
)


def _present_tense_title(title: str) -> str:
    """The title in the present tense throughout (_present_tense_main), its purpose and
    condition clauses too ("…so that risks were identified" -> "…so that risks are
    identified", "…when the department was full" -> "…is full")."""
    title = _present_tense_main(title)
    if len(title) > CONJOIN_MAX_CHARS:
        return title
    title = _past_deed_present(title)
    title = _HOW_PAST_INSIDE_RE.sub(_how_present, title)
    had = _HAD_PERFECT_RE.match(title) or _HAD_POSSESSION_RE.match(title)
    if had is not None:
        now = "have" if _np_is_plural(had.group("np").strip()) else "has"
        title = title[: had.start("had")] + now + title[had.end("had") :]
    when = _WHEN_PAST_RE.search(title)
    if when is not None:
        verb, np = when.group("verb"), when.group("np")
        base = _WHEN_IRREGULAR.get(verb) or _base_verb(verb)
        if base is not None and base != verb:
            plural = (
                np == "they"
                or np.endswith(("criteria", "data"))
                or (np not in ("he", "she", "it") and _np_is_plural(np))
            )
            form = base if plural else _third_person(base)
            title = title[: when.start("verb")] + form + title[when.end("verb") :]
    title = _THERE_WERE_RE.sub(
        lambda m: m.group("lead") + ("are" if m.group("be").lower() == "were" else "is"), title
    )
    return _PAST_IN_PURPOSE_RE.sub(
        lambda m: f"{m.group('conj')} {m.group('np')}{'are' if m.group('be') == 'were' else 'is'}",
        title,
    )


def _present_tense_main(title: str) -> str:
    """ "Make sure that patients were involved in writing care plans" -> "…patients are
    involved…": a title is what must be so from now on; the finding's past tense (a "should
    have" or a report of what was missing) stays in the requirement sentence."""
    m = _PAST_BE_RE.match(title)
    if m is not None:
        now = "are" if m.group("be").lower() == "were" else "is"
        return title[: m.start("be")] + now + title[m.end("be") :]
    # "Make sure that everyone did this training" -> "…everyone does the training"
    did = re.match(
        r"^(?:Ensure|Make\s+sure)(?:\s+that)?\s+(?P<who>everyone|everybody|all\s+staff|staff)\s+"
        r"(?P<did>did)\b",
        title,
        re.I,
    )
    if did is not None:
        now = "does" if did.group("who").lower() in ("everyone", "everybody") else "do"
        return title[: did.start("did")] + now + title[did.end("did") :]
    # "Improve the way the provider recruited staff" -> "…the way the provider recruits staff"
    m = _HOW_PAST_RE.match(title)
    if m is not None and m.group("verb").lower() in ("were", "was"):
        now = "are" if m.group("verb").lower() == "were" else "is"
        return title[: m.start("verb")] + now + title[m.end("verb") :]
    if m is not None:
        base = _base_verb(m.group("verb"))
        if base is not None and base != m.group("verb").lower():
            np = m.group("np")
            plural = _np_is_plural(np)
            form = base if plural else _third_person(base)
            rest = title[m.end("verb") :]
            # "…assessed and managed the risks": both verbs
            second = re.match(r"(\s+(?:and|or)\s+)([a-z]+ed)\b", rest)
            if second and (base2 := _base_verb(second.group(2))) is not None:
                form2 = base2 if plural else _third_person(base2)
                rest = second.group(1) + form2 + rest[second.end() :]
            return title[: m.start("verb")] + form + rest
    # "Make sure that all nurses completed their clinical updates" -> "…complete their…": a
    # past verb with its object (a determiner follows), after a plural subject
    m = _PAST_DEED_RE.match(title)
    if m is not None and _np_is_plural(m.group("np")):
        base = _base_verb(m.group("verb"))
        if base is not None and base != m.group("verb").lower():
            return title[: m.start("verb")] + base + title[m.end("verb") :]
    return title


# An action that only points back at a failure: "improve this", "address it", "make sure they
# do so", "ensure this happens".
_PRO_FORM_RE = re.compile(
    r"^(?:(?:improve|address|tackle|resolve|fix|change|rectify|remedy|correct|act\s+on|"
    r"put\s+right)\s+(?:this|these|it|them|that)(?:\s+(?:urgently|quickly|now))?"
    r"|(?:make\s+sure|ensure)(?:\s+that)?\s+(?:they|staff|it|this)\s+(?:do|does)\s+so"
    r"|(?:make\s+sure|ensure)(?:\s+that)?\s+(?:this|it)\s+(?:happens|changes|improves)"
    r"|(?:make\s+sure|ensure)(?:\s+that)?\s+(?:they|it|these|this)\s+(?:are|is|do|does|have|has))"
    r"\W*$",
    re.I,
)
_PRO_PUT_IN_PLACE_RE = re.compile(
    r"^(?:make\s+sure|ensure)(?:\s+that)?\s+(?:this|it)\s+(?:is|was)\s+(?:put\s+in\s+place|introduced|"
    r"set\s+up|in\s+place|done|carried\s+out|addressed|fixed|resolved|put\s+right)\W*$",
    re.I,
)
_PRO_PASSIVE_RE = re.compile(
    r"^(?:make\s+sure|ensure)(?:\s+that)?\s+(?:it|this)\s+(?:is|was)\s+(?P<p>[a-z]+ed)\b(?P<rest>.*)$",
    re.I,
)
# "…were aware that learning from complaints was not shared with staff and that this needed
# to change": the failure before "this" in the same sentence.
_FAILURE_THEN_THIS_RE = re.compile(
    r"\bthat\s+(?P<f>[^,;]+?)\s*,?\s+and\s+(?:that\s+)?(?:this|it)\s+(?:needed|needs|need|must|should)\b",
    re.I,
)


# …the failure as the sentence's first clause: "Staff did not have the skills they needed, and
# this needed to be addressed."
_FAILURE_FIRST_THEN_THIS_RE = re.compile(
    r"^(?P<f>[^,;]+?)\s*,?\s+and\s+(?:this|it)\s+(?:needed|needs|need|must|should)\b", re.I
)


_NOT_ENSURED_RE = re.compile(
    r"^(?:the\s+[\w’'-]+(?:\s+[\w’'-]+)?|it|they)\s+(?:had|has|did)\s+not\s+(?:always\s+)?"
    r"(?:ensured|ensure|made\s+sure|make\s+sure)\s+(?:that\s+)?(?P<x>\S.*)$",
    re.I,
)


_DUTY_NOT_MET_TO_RE = re.compile(
    r"^(?:the\s+[\w’'-]+(?:\s+[\w’'-]+)?|it|they)\s+(?:had|has|did)\s+not\s+(?:met|fulfilled|"
    r"complied\s+with)\s+(?:the|its|their)\s+(?:legal\s+|statutory\s+)?(?:requirement|duty|"
    r"obligation)\s+to\s+(?P<x>[a-z]\S*(?:\s+\S+)*)$",
    re.I,
)


def _pro_form_title(title: str, s: str, trig: _Trigger | None, before: str) -> str | None:
    """A requirement that only points back at a failure is the failure turned round:
    "Responses did not always address the concerns raised. The provider needs to improve
    this." -> "Ensure responses address the concerns raised"; "Not all staff had completed
    the training. The provider should make sure they do so." -> "Ensure all staff have
    completed the training"; "Leaders were aware that learning was not shared with staff and
    that this needed to change" -> "Ensure learning is shared with staff". None when what it
    points at is not a failure."""
    if trig is None:
        return None
    m = _FAILURE_THEN_THIS_RE.search(s)
    if m is not None and m.end() >= trig.key_start:
        action = failure_as_action(m.group("f"))
        if action is not None:
            return action
    m = _FAILURE_FIRST_THEN_THIS_RE.match(s)
    if m is not None and m.end() >= trig.key_start:
        not_ensured = _NOT_ENSURED_RE.match(m.group("f"))
        if not_ensured is not None:
            return "Ensure that " + not_ensured.group("x")  # "The provider had not ensured
            # that staff had the skills they needed, and this needed to be addressed"
        not_met = _DUTY_NOT_MET_TO_RE.match(m.group("f"))
        if not_met is not None:
            return not_met.group("x")  # "The trust had not met the requirement to display its
            # rating, and it must do so" -> "Display its rating" (its: resolved later)
        action = failure_as_action(m.group("f"))
        if action is not None:
            return action  # "Staff did not have the skills they needed, and this needed to
            # be addressed" -> "Ensure staff have the skills they needed"
    passive = _PRO_PASSIVE_RE.match(title.strip())
    pro = _PRO_FORM_RE.match(title.strip()) or _PRO_PUT_IN_PLACE_RE.match(title.strip())
    if not (passive or pro) or not before.strip():
        return None
    last = _sentences_of(before)[-1]
    last = re.sub(
        r"^(?:however|but|also|in\s+addition|overall|for\s+example|for\s+instance)\s*,?\s+",
        "",
        last,
        flags=re.I,
    )
    action = failure_as_action(last[:1].upper() + last[1:])
    if passive is None or action is None:
        return action
    # "Staff did not always record whether people had capacity to consent. The manager must
    # ensure that it is recorded for every decision." -> "Ensure staff record whether people
    # had capacity to consent for every decision": the same verb, so the same deed
    base = _base_verb(passive.group("p"))
    if base is None or not re.search(rf"\b{re.escape(base)}s?\b", action, re.I):
        return None
    return action + passive.group("rest").rstrip(" .")


# " because they had passed…" (a clause, not "because of staff shortages").
_BECAUSE_RE = re.compile(r"\s+because\s+(?!of\b)(?=\S+\s+\S+)", re.I)
# A sentence's end inside a listed item: a full stop after a word, then a capital.
_ITEM_SENTENCES_RE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")


def _demonstrative_finding_title(title: str, s: str, trig: _Trigger | None, before: str) -> str:
    """ "Pain scores were not always recorded for children after surgery. This needs to
    improve." -> "Ensure pain scores are recorded for children after surgery": a lone verb
    whose subject is "this" stands for the finding just before it (_verb_on_finding)."""
    passive = re.fullmatch(
        r"(?:This|These|That|[Ww]hich)\s+(?:needed|needs|need)\s+to\s+be\s+(?P<pp>[a-z]+)"
        r"(?P<where>\s+(?:across|in|on|at|throughout)\s+[^,;]+?)?(?:,\s+not\s+only\s+[^,;]+)?\W*",
        title.strip(),
    )
    where = ""
    if passive and (verb := _base_verb(passive.group("pp"))):
        title = verb[:1].upper() + verb[1:]  # "This needed to be addressed" -> "Address"
        # "This needs to be addressed across all four teams": where the action applies
        where = passive.group("where") or ""
    if trig is None or not re.fullmatch(r"[A-Z][a-z]+\W*", title.strip()):
        return title
    span = _subject_np(s, trig.key_start)
    which = re.search(r",\s*which\s+$", s[: trig.key_start])
    if which:
        span = (which.start() + 1, which.start() + 1)  # (what "which" takes up ends there)
    elif span is None or s[span[0] : span[1]].lower() not in ("this", "these", "that"):
        return title
    same = (
        _BEFORE_WHICH_RE.match(s[: span[0]])
        if which
        else _SAME_SENTENCE_FINDING_RE.match(s[: span[0]])
        or _BEFORE_SEMICOLON_RE.match(s[: span[0]])
    )
    if which and same is None:
        return title
    sentences = [same.group("finding")] if same else _sentences_of(before)
    if not sentences:
        return title
    # ("We were concerned that the provider did not always have enough staff…; this needs to
    # be addressed": the finding without CQC's frame)
    finding = _CQC_FRAME_RE.sub("", sentences[-1]).rstrip(" .;:")
    finding = finding[:1].upper() + finding[1:]
    if len(finding.split()) < 3 or finding.endswith("?"):
        return title
    action = _verb_on_finding(title.strip(" ."), finding)
    if not where or ":" in action or re.match(r"Ensure (?:every|each|all)\b", action):
        return action  # "Ensure every team has…" says where already
    return action + where


# "This should be done every day", "Record this every time": the deed is the one the finding
# just before says was not done.
_THIS_PASSIVE_RE = re.compile(
    r"^(?:This|That|It)\s+(?:should|must|needs|needed|need)\s+(?:to\s+)?(?:always\s+)?be\s+"
    r"(?P<pp>[a-z]+)\b(?P<rest>[^,;:]*?)(?:,\s*(?:and|but)\b.*)?\W*$"
)
_VERB_THIS_RE = re.compile(
    r"^(?P<verb>[A-Z][a-z]+)\s+(?:this|that|it)\b(?P<rest>[^,;:]*?)(?:,\s*(?:and|but)\b.*)?\W*$"
)
# What opens the finding before the clause that says what was not done: "However, on two of
# the days we looked at, the fridge temperature had not been recorded."
_FINDING_OPENERS_RE = re.compile(
    r"^(?:(?:However|But|Also|In\s+addition|Again|At\s+times),\s*)?"
    r"(?:(?i:on|in|at|during|for|over)\s+[^,]{1,60},\s*)?"
)


def _demonstrative_failure_title(title: str, before: str) -> str:
    """ "On two of the days we looked at, the fridge temperature had not been recorded. The
    nurse in charge told us this should be done every day…" -> "Ensure the fridge temperature
    is recorded every day"; "The service did not always record why a client's medicines had
    been changed. The registered manager agreed that this needed to be recorded every time." ->
    "Ensure the service records why … every time": "this" is the deed the finding just before
    says was not done, turned round, and what the sentence adds (when, how often) stays."""
    passive = _THIS_PASSIVE_RE.match(title.strip())
    verb_this = None if passive else _VERB_THIS_RE.match(title.strip())
    if verb_this and (
        verb_this.group("verb").lower() in ("ensure", "make", "check", "confirm")
        or re.match(
            r"\s+[a-z]+\s+(?:is|are|was|were|has|have|had)\b|\s+(?:is|are|was|were)\b",
            verb_this.group("rest"),
        )
    ):
        verb_this = None  # "Ensure this is done every time", "Ensure this guidance is
        # recorded…": a clause after the verb, for the rules that take up "this" there
    if (passive is None and verb_this is None) or not before.strip():
        return title
    finding = _sentences_of(before)[-1].strip()
    opener = _FINDING_OPENERS_RE.match(finding)
    if opener and opener.end():
        finding = finding[opener.end() :]
        finding = finding[:1].upper() + finding[1:]
    action = failure_as_action(finding)
    if action is None:
        return title
    if passive:
        done = passive.group("pp")
        verb = None if done == "done" else _base_verb(done)
        rest = passive.group("rest")
    else:
        verb = verb_this.group("verb").lower()  # type: ignore[union-attr]
        rest = verb_this.group("rest")  # type: ignore[union-attr]
    if verb is not None and not re.search(rf"\b{re.escape(verb)}(?:s|ed|d)?\b", action, re.I):
        return title  # "Address this": not the deed the finding names
    return action + rest


# "The activities coordinator told us she would like more time with…, and the registered
# manager accepted that this needed to be addressed": "this" is the clause before ", and".
_SAME_SENTENCE_FINDING_RE = re.compile(
    r"^(?P<finding>[A-Z][^;]{12,}?),\s+and\s+(?:[\w’'-]+\s+){1,5}?(?:"
    + "|".join(sorted(REPORTING_VERBS | {"conceded", "admitted"}))
    + r")\s+(?:that\s+)?$"
)


# "…, but not all staff had completed safeguarding training, which needs to be addressed":
# the clause a sentence-relative "which" takes up (after any ", but").
_BEFORE_WHICH_RE = re.compile(r"^(?:[^;]*?,\s+but\s+)?(?P<finding>[^;]{12,}?),\s*$")
# "…did not always have enough staff; this needs to be addressed": the clause before ";".
_BEFORE_SEMICOLON_RE = re.compile(r"^(?P<finding>[A-Z][^;]{12,}?)\s*;\s*$")


# After the action, a clause of the finding: ", and records showed this was not always
# done", " and had agreed a plan…", " and planned to add it to…", ", and that nurses … did
# not always have…", " and that she would do this as a priority" (a promise reported),
# ", because rotas did not allow travel time". Not a second action ("…
# and embed the visits…", "… and that pain relief is given…": no past finite verb).
_FINDING_TAIL_RE = re.compile(
    r"(?:,\s*(?:and|but)\s+|\s+(?:and|but)\s+)(?:that\s+)?(?:had\b|has\s+been\b|"
    r"(?:planned|intended|arranged|hoped|expected|aimed)\s+to\b|"
    r"(?:[\w’'%-]+\s+){0,6}?(?:showed|agreed|found|had|did|was|were|has\s+been|would)\b)"
    r"(?![^,;]*\b(?:must|needs?\s+to)\b).*$"
    r"|,\s*because\s+.*$"
    # "…every hour, but in 7 of the 20 records we reviewed this had not happened": a count of
    # a sample after "but" is the finding
    r"|,\s*but\s+in\s+(?:\d+|[a-z]+)\s+of\s+(?:the\s+)?\d+\b.*$"
    # "…virus testing: the team could not tell us how many…": the evidence after a colon
    r"|:\s+(?:[\w’'-]+\s+){1,4}?(?:could|did|was|were|had)\s+not\b.*$"
    # "…kept up to date, so staff could not be sure what care each patient needed": what the
    # failure led to
    r"|,\s*so\s+(?:[\w’'-]+\s+){1,4}?(?:could|did|were|was|had)\s+not\b.*$"
    # "…, but staff gave them an unthickened drink": a past deed after ", but" is the finding
    r"|,\s*but\s+(?:[\w’'-]+\s+){0,3}?(?:gave|took|made|left|kept|used|told|said|[a-z]{3,}ed)\b"
    r"(?![^,;]*\b(?:must|needs?\s+to)\b).*$"
    # "…, as several nurses told us they never heard…", "…, as four were overdue", "…, as we
    # found two boxes…", "…, as 82% had done so against a target of 95%", "…, as the post had
    # been vacant since…": the
    # finding given as the reason (not "as the policy required", "as set out in…"; nor a
    # reason that says what is missing: "…, as several risks had no named owner")
    r"|,\s*as\s+(?!(?:set\s+out|required|recommended|agreed|planned|described|stated)\b)"
    r"(?:[\w’'%-]+\s+){1,8}?(?:told|said|saw|met|were|was|did|never|reported|found|"
    r"had\s+done\s+so|had\s+been)\b"
    r"(?![^,;]*\b(?:must|needs?\s+to)\b).*$"
    # "…, as she also worked on reception", "…, as patients sometimes waited in the corridor":
    # a subject of a word or two and its verb in the past, what happened
    r"|,\s*as\s+(?!(?:set\s+out|required|recommended|agreed|planned|described|stated)\b)"
    r"(?:[\w’'%-]+\s+){1,2}?(?:also\s+|sometimes\s+|often\s+|still\s+)?"
    r"(?!(?:needed|required|planned|agreed)\b)[a-z]{3,}ed\b(?![^,;]*\b(?:must|needs?\s+to)\b).*$"
    # "…, which were not on it": what was found about the thing just named
    r"|,\s*which\s+(?:were|was|had)\s+(?:not|never)\b.*$"
    # "…, who told us they rarely attended the meetings": what someone said, the finding
    r"|,\s*who\s+(?:told|said\s+to)\s+(?:us|inspectors|me)\b.*$"
    # "…, which at the time of our inspection was reported to the board only as…": a
    # relative clause in the past about the object, the finding
    r"|,\s*which\s+(?:[\w’'-]+\s+){0,8}?(?:was|were|had)\b(?![^,;]*\b(?:must|needs?\s+to)\b).*$"
    # "…, as two outlets ran hotter during our inspection": what happened while CQC was there
    r"|,\s*as\s+[^,;]*?\bduring\s+(?:our|the)\s+(?:inspection|visit|assessment)\b.*$"
    # "…, after an inspection in January found people were at risk": the occasion, a finding
    r"|,\s*(?:after|following)\s+(?:an?|our|the|its|a\s+recent)\s+(?:[\w’'-]+\s+){0,2}?"
    r"(?:inspection|visit|assessment)\b.*$",
    re.I,
)
# "…so that clean and dirty instruments were kept apart": an "and" inside a clause whose
# verb has not come yet joins its subject, it does not open a finding.
_OPEN_CLAUSE_RE = re.compile(r"\b(?:so\s+that|that|where|when|if)\s+(?:[\w’'-]+\s+){0,2}[\w’'-]+$")


# "…; two people had not been offered drinks for four hours": what was found, after the action.
# Also any other clause after a semicolon that states no requirement and is not a second
# action: "…; compliance in two areas was below 70%", "…; the last audit was in July".
_SEMICOLON_FINDING_RE = re.compile(
    r";\s+(?!(?:and\s+|also\s+)?(?:ensure|make|review|check|complete|record|provide|"
    r"develop|improve|update|introduce|carry|take|put|keep|act|share|monitor|train|"
    r"support|replace|repair|stop|use|give|set|agree|do|don't)\b)"
    r"(?![^;]*\b(?:must|needs?\s+to|should|needed\s+to)\b).*$",
    re.I,
)


def _cut_finding_tail(title: str) -> str:
    title = _SEMICOLON_FINDING_RE.sub("", title)
    pos = 0
    while (m := _FINDING_TAIL_RE.search(title, pos)) is not None:
        open_clause = _OPEN_CLAUSE_RE.search(title[: m.start()])
        if open_clause and not any(
            w.lower() in _VERBISH for w, _, _ in _words(open_clause.group(0))[1:]
        ):
            pos = m.start() + 1
            continue
        return title[: m.start()]
    return title


# A list item "The trust should have audited the use of…": the action is "Audit the use of…".
_SHOULD_HAVE_RE = re.compile(
    r"^(?:the\s+[\w’'-]+(?:\s+[\w’'-]+)?\s+)?should\s+have\s+(?P<p>\w+)\s+(?P<rest>.+)$", re.I
)
# "Pressure ulcer risk assessments needed to be addressed so that…" (after "this" was
# resolved): "Address pressure ulcer risk assessments so that…".
_NEEDED_TO_BE_RE = re.compile(
    r"^(?P<np>[A-Z][^,;]{2,80}?)\s+(?:needs|needed|need)\s+to\s+be\s+(?P<p>\w+)\b(?P<rest>.*)$"
)
# "Complete medicines audits every month and acted on": two actions on the same thing.
_TWO_PARTICIPLES_RE = re.compile(
    r"^(?P<v>\w+)\s+(?P<np>.+?)\s+and\s+(?P<p>\w+ed)(?P<prt>\s+(?:on|upon|up|out))?\W*$"
)
_IT_AFTER_NOUN_RE = re.compile(r"\b(?P<det>the|a)\s+(?P<noun>way|ways|extent|manner)\s+it\b", re.I)
_TOLD_OBJECT_RE = re.compile(
    r"\b(?:told|warned|informed|reminded|asked)\s+(?P<obj>(?:the\s+)?[A-Z]?[\w’'-]+(?:\s+[A-Z][\w’'-]+){0,6}"
    # "…told Oak Lodge care home it…", "…told Dr Smith's practice that it…": the kind after the name
    r"(?:\s+(?:care\s+home|nursing\s+home|home|practice|surgery|clinic|hospital|hospice|agency|"
    r"service|centre|trust))?)"
    r"\s+(?:that\s+|what\s+|how\s+|where\s+)?it\b"
)
# "We have told the provider what it needs to do to improve…": the action is what follows.
_WHAT_TO_DO_RE = re.compile(r"^do\s+to\s+(?=[a-z])", re.I)
# "…, and we will check this at our next inspection": what the regulator will do next.
_REGULATOR_NEXT_RE = re.compile(
    r",?\s+and\s+(?:that\s+)?(?:we|cqc|inspectors|the\s+inspectors)\s+(?:will|would)\s+"
    r"(?:check|return|monitor|follow|inspect|review|look|report|come\s+back)\b.*$"
    # "…, or face further action": what the regulator may do, not part of the action
    r"|,?\s+or\s+(?:face|risk)\s+(?:further|enforcement)\s+action\b.*$"
    # "…, following an inspection in August": when, not what
    r"|,\s+following\s+(?:an|our|its|the|a)\s+(?:\w+\s+){0,2}inspection\b[^,;]*$",
    re.I,
)


_OBJECT_IT_RE = re.compile(
    r"\b(?P<verb>[A-Za-z][a-z]+) it(?P<end>\W*(?:(?:by|this|every|each|before|within|daily|weekly|"
    r"monthly|regularly|again|immediately|at|on|in)\b.*)?)$"
)


def _resolve_object_it(title: str, s: str, trig: _Trigger | None, before: str = "") -> str:
    """ "Not all staff had completed level 3 safeguarding training; the trust must ensure
    that all community nurses complete it": "it" is what the same verb took before."""
    m = _OBJECT_IT_RE.search(title)
    if not m or trig is None:
        return title
    verb = m.group("verb")
    if verb[:1].isupper() and m.start("verb") != 0:
        return title  # a name ("Check It"), not the title's verb
    stems = {verb.lower()}
    low = verb.lower()
    if low.endswith("es"):
        stems |= {low[:-1], low[:-2]}  # "completes" -> "complete"; "reaches" -> "reach"
    elif low.endswith("s"):
        stems.add(low[:-1])
    forms = {f for v in stems for f in (v, v + "d", v + "ed", v + "s", v + "es")}
    found = None
    pattern = (
        r"\b(?:" + "|".join(sorted(forms)) + r")\s+((?:[\w’'-]+\s+){0,5}?[\w’'-]+)"
        r"(?=\s*[;,.]|\s+(?:and|but|needed)\b)"
    )
    # the finding of this sentence, else of the sentence before ("Not all staff had
    # completed the sepsis training needed… The provider needs to make sure every member
    # of staff completes it this year.")
    for text in (before, s[: trig.key_start]):
        for w in re.finditer(pattern, text):
            found = w.group(1)
    if not found:
        # "Some equipment had not been checked. Staff must check it daily.": what the same
        # verb was not done to, as the subject of a passive
        passive = (
            r"(?:^|[.;:]\s+|,\s+(?:but|and)\s+)(?:(?:some|several|much|most|all)\s+(?:of\s+)?)?"
            r"(?:the\s+)?(?P<np>(?:[a-z][\w’'-]*\s+){0,3}?[a-z][\w’'-]*)\s+"
            r"(?:had|has|have|was|were|is|are)\s+(?:not\s+)?(?:always\s+)?(?:been\s+)?"
            r"(?:" + "|".join(sorted(forms)) + r")\b"
        )
        for w in re.finditer(passive, before, re.I):
            found = "the " + w.group("np").lower()
    if not found or found.split()[0].lower() in STANDALONE_PRONOUNS:
        return title
    if found.split()[-1].lower() in STANDALONE_PRONOUNS | PEOPLE_SUBJECTS:
        return title
    return title[: m.start("verb")] + f"{verb} {found}" + m.group("end")


# "Many told inspectors that they needed more senior support": "many" of the people the
# sentence before named ("Inspectors found that staff in the department were…").
_QUANTIFIER_SAID_RE = re.compile(
    r"^(?:many|most|some|several|a\s+few|others)\s+(?:of\s+them\s+)?(?:told|said\s+to)\s+"
    r"(?:inspectors|us|the\s+inspectors)\s+(?:that\s+)?they\s+(?:needed|need)\s+(?P<what>.+)$",
    re.I,
)
_PEOPLE_RE = re.compile(
    r"\b(?P<who>staff|nurses|midwives|doctors|crews|paramedics|carers|care\s+workers|"
    r"call\s+handlers|patients|residents|relatives)\b",
    re.I,
)


def _resolve_quantifier_said(title: str, before: str) -> str:
    m = _QUANTIFIER_SAID_RE.match(title.strip())
    if m is None:
        return title
    found = list(_PEOPLE_RE.finditer(before))
    if not found:
        return title
    return f"Ensure {found[-1].group('who').lower()} have {m.group('what')}"


_ONE_RE = re.compile(
    r"\b(?P<verb>[Bb]uy|[Gg]et|[Hh]ave|[Ii]nstall|[Aa]ppoint|[Oo]rder|[Pp]urchase|[Pp]rovide|"
    r"[Rr]ecruit|[Ee]mploy|[Aa]gree|[Dd]evelop|[Ww]rite|[Pp]roduce|[Ii]ntroduce|[Cc]reate|"
    r"[Aa]dopt|[Pp]ut\s+in\s+place)\s+one\b(?!\s+of)"
)
# "There was no clear plan for how the trust would meet…, and the board needed to agree one":
# the thing the finding said there was none of.
_NO_THING_RE = re.compile(
    r"\bthere\s+(?:was|is|were|are)\s+(?:still\s+)?no\s+(?P<np>(?!one\b)[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,3}?"
    r"(?:\s+(?:for|of|to)\s+[^,;.]{3,90}?)?)(?=\s*[,.;]|\s+(?:and|but)\b|$)",
    re.I,
)
_A_THING_RE = re.compile(
    r"\b(?:have|had|has|without)\s+(?P<np>an?(?:\s+[a-z][\w’'-]*){1,4}?)"
    # (…, or when: "had not had a registered manager since March 2023")
    r"(?=\s*[,.;]|\s+(?:and|but|or|so|because|since|for\s+(?:\d|[a-z]+\s+(?:months|years)))\b|$)"
)


def _resolve_one(title: str, s: str, trig: _Trigger | None, before: str = "") -> str:
    """ "The practice did not have a defibrillator, and the GPs needed to decide whether to
    buy one" -> "…whether to buy a defibrillator": "one" is the thing the finding lacked."""
    m = _ONE_RE.search(title)
    if m is None or trig is None:
        return title
    if _A_THING_RE.search(title[: m.start()]):
        return title  # "…or a risk assessment of the decision not to have one": named already
    found = list(_A_THING_RE.finditer(before + " " + s[: trig.key_start]))
    if not found:
        none = list(_NO_THING_RE.finditer(s[: trig.key_start]))
        if not none:
            return title
        np = none[-1].group("np")
        np = re.sub(r"\bwould\b", "will", np)
        org = re.search(r"\bthe\s+(trust|provider|practice|home|service|hospital|hospice)\b", np)
        if org:
            np = re.sub(r"\bits\b", f"the {org.group(1)}'s", np)
        article = _indefinite_article(np)
        return title[: m.end("verb")] + f" {article} {np}" + title[m.end() :]
    return title[: m.end("verb")] + " " + found[-1].group("np") + title[m.end() :]


_FINAL_THEM_RE = re.compile(r"\bthat\s+(?P<subj>[\w’'-]+)\s+(?:were|are|was|is)\b[^,;]*\bthem\W*$")


def _resolve_final_them(title: str, s: str) -> str:
    """ "…make sure that patients were involved in writing them": "them" cannot be the
    patients, the subject of its own clause; it is what the sentence opens with ("Care plans
    did not reflect patients' views and …")."""
    m = _FINAL_THEM_RE.search(title)
    if not m:
        return title
    span = _sentence_subject(s)
    if span is None:
        return title
    np = s[span[0] : span[1]]
    words = np.lower().split()
    if not words or words[-1] == m.group("subj").lower() or not _plural(np):
        return title
    if words[-1] in PEOPLE_SUBJECTS or words[0] in STANDALONE_PRONOUNS:
        return title
    at = title.rfind("them")
    return title[:at] + _lower_first(np, span[0] == 0) + title[at + 4 :]


def _should_have_title(title: str) -> str:
    m = _SHOULD_HAVE_RE.match(title.strip())
    if not m:
        return title
    base = _base_verb(m.group("p"))
    return f"{base} {m.group('rest')}" if base else title


def _needed_to_be_title(title: str) -> str:
    t = title.strip()
    m = _NEEDED_TO_BE_RE.match(t[:1].upper() + t[1:])
    if not m:
        return title
    base = _base_verb(m.group("p"))
    if not base:
        # "Leaders needed to be clearer about their roles": a state to reach
        state = _be_state_ensure(m.group("np"), True, m.group("p") + m.group("rest"))
        return state or title
    return f"{base} {_lower_first(m.group('np'), True)}{m.group('rest')}"


def _be_state_ensure(subject: str, opens: bool, state: str) -> str | None:
    """ "The practice must be compliant with…" -> "Ensure the practice is compliant with…":
    a state the subject must be in (an adjective, a comparative, "in place"), not a passive
    (which _passive_title turns round) nor a noun ("must be a priority")."""
    first = state.split(" ", 1)[0].lower() if state.strip() else ""
    if not first or first in ("a", "an", "the", "able", "done") or _base_verb(first):
        return None
    if first in _VERBISH or first in STANDALONE_PRONOUNS or first.endswith("ing"):
        return None
    words = subject.lower().split()
    if not words or words[0] in STANDALONE_PRONOUNS or words[-1] in STANDALONE_PRONOUNS:
        return None
    if words[-1] in REGULATOR_SUBJECTS or words[0] in ("more", "this", "that"):
        return None
    inner = _lower_first(subject, opens)
    return f"Ensure {inner} {'are' if _plural(inner) else 'is'} {state.strip()}"


def _in_need_of_title(s: str, trig: _Trigger) -> str | None:
    """ "The laundry room was in need of repair" -> "Repair the laundry room": the noun
    after "in need of" is the action, done to the subject."""
    after = _tokens_after(s, trig.end, 1)
    if not after or after[0][0] not in ACTION_NOUN_VERBS or after[0][0] == "work":
        return None
    m = re.search(r"\b(?:was|were|is|are|remains|remained)\s+$", s[: trig.start])
    if m is None:
        return None
    span = _subject_np(s, m.start())
    if span is None:
        return None
    subject = _lower_first(s[span[0] : span[1]], True)
    if subject.lower().split()[0] in STANDALONE_PRONOUNS:
        return None
    return f"{ACTION_NOUN_VERBS[after[0][0]]} {subject}"


def _two_participles_title(title: str) -> str:
    m = _TWO_PARTICIPLES_RE.match(title.strip())
    if not m:
        return title
    base = _base_verb(m.group("p"))
    if not base or base.lower() == m.group("v").lower():
        return title
    if any(w.lower() in _BE_WORDS or w.lower() == "that" for w in m.group("np").split()):
        return title  # "Ensure that charts are completed and reviewed": one clause, kept
    particle = m.group("prt") or ""
    return f"{m.group('v')} and {base}{particle} {m.group('np')}"


def _resolve_it_after_noun(title: str, s: str, trig: _Trigger | None = None) -> str:
    """ "Improve the way it learns from complaints": "it" is the provider the sentence is
    about (the one CQC told, or the sentence's own subject)."""
    m = _IT_AFTER_NOUN_RE.search(title)
    if not m:
        return title
    told = _TOLD_OBJECT_RE.search(s)
    span = _subject_np(s, trig.key_start) if trig is not None and not told else None
    own = s[span[0] : span[1]] if span else None
    passive = _TOLD_PASSIVE_RE.match(s)
    if passive:
        own = passive.group("np")  # "The trust has been told it must…": the one told
    elif own is None or own.lower().split()[-1] not in AGENT_HEADS:
        own = _own_subject(s)  # the trigger's subject when it acts ("the provider needed to")
    who = told.group("obj") if told else own
    if who and who.split()[0].lower() in STANDALONE_PRONOUNS and trig is not None:
        # "We have issued a warning notice to the provider telling it that it must improve
        # the way it monitors…": "it" is the organisation named before it in the sentence
        who = _organisation_before(s[: trig.key_start])
    if not who or who.split()[0].lower() in STANDALONE_PRONOUNS:
        return title
    words = who.split()
    if words[0].lower() == "the":
        who = _as_inner(who)
    elif len(words) < 2 or not words[0][:1].isupper():
        return title  # neither "the trust" nor a name ("Kingsbridge … NHS Trust")
    if _plural(who) and not who.lower().endswith(("trust", "services", "hospitals nhs trust")):
        return title
    return title[: m.end() - 2] + _as_role(who) + title[m.end() :]


def _as_role(name: str) -> str:
    """A provider's own name as the plan names it: "Kingsbridge University Hospitals NHS
    Trust" -> "the trust" (the plan is that provider's, so its name in every title only
    repeats what the report is about); a name not ending in what the provider is stays."""
    words = name.split()
    last = words[-1].lower() if words else ""
    if len(words) > 1 and words[0][:1].isupper() and last in ORGANISATION_WORDS:
        return "the " + last
    if len(words) > 1 and words[0][:1].isupper() and last.strip(".") in _COMPANY_ENDINGS:
        return "the provider"  # "Westbrook Care Ltd": a company, the provider of the service
    return name


_COMPANY_ENDINGS = frozenset("ltd limited plc llp cic".split())


def notice_title(line: str) -> str:
    """An area listed under a notice's lead-in, as an action that names its topic first:
    "Regulation 12 HSCA RA Regulations 2014 Safe care and treatment" -> "Safe care and
    treatment (Regulation 12): meet the regulation's requirements"; "Outcome 16" -> "Assessing
    and monitoring the quality of service provision (Outcome 16): meet the essential
    standard"; a named area without a number ("Management of medicines") -> "Make
    improvements in the management of medicines". The Act's name and the paragraph letters
    stay in the requirement, not the title."""
    line = _collapse(line).strip(" .;,")
    ref = regulation_reference(line)
    if ref is not None:
        kind, number, name = ref
        if not name:
            return f"Meet {kind} {number}"
        what = (
            "the essential standard" if kind == "Outcome" else f"the {kind.lower()}'s requirements"
        )
        return f"{name} ({kind} {number}): meet {what}"
    return f"Make improvements in {_area_phrase(line)}"


# "Regulation 9 HSCA 2008 (Regulated Activities) Regulations 2010 Care and welfare of…",
# "Regulation 12 HSCA RA Regulations 2014 Safe care and treatment", "Regulation 9 (1)(a)(b)
# Care and welfare…", "Regulation 9 – Person-centred care", "Outcome 4: Care and welfare…"
_REGULATION_REF_RE = re.compile(
    r"^(?P<kind>regulation|reg\.?|outcome|section)\s*(?P<num>\d{1,2}[A-Z]?)\b"
    r"(?:\s*\([0-9a-z]{1,4}\))*"
    r"(?:\s*(?:of\s+the\s+)?(?:hsca|health\s+and\s+social\s+care\s+act)\b.*?\bregulations"
    r"(?:\s+\d{4})?)?"
    r"\s*[–—:,-]?\s*(?P<name>.*)$",
    re.I,
)
# The 2010 essential standards by outcome number, for a line that gives only the number
# ("Outcome 16"): each outcome had one name, whatever the report.
OUTCOME_NAMES = {
    1: "Respecting and involving people who use services",
    2: "Consent to care and treatment",
    4: "Care and welfare of people who use services",
    5: "Meeting nutritional needs",
    6: "Cooperating with other providers",
    7: "Safeguarding people who use services from abuse",
    8: "Cleanliness and infection control",
    9: "Management of medicines",
    10: "Safety and suitability of premises",
    11: "Safety, availability and suitability of equipment",
    12: "Requirements relating to workers",
    13: "Staffing",
    14: "Supporting workers",
    16: "Assessing and monitoring the quality of service provision",
    17: "Complaints",
    21: "Records",
}


_PARENTHESISED_NAME_RE = re.compile(
    r"^\((?P<name>[A-Z][^()]{2,80})\)(?:\s*,?\s*(?:outcome|regulation)\s+\d{1,2})?$", re.I
)


def regulation_reference(line: str) -> tuple[str, str, str] | None:
    """("Regulation", "12", "Safe care and treatment") for a line or heading that cites a
    regulation or outcome, its name capitalised ("" when it gives none and none is known);
    None for anything else."""
    m = _REGULATION_REF_RE.match(_collapse(line).strip(" .;,"))
    if m is None:
        return None
    kind = m.group("kind").lower().rstrip(".")
    kind = {"reg": "Regulation"}.get(kind, kind.capitalize())
    name = m.group("name").strip(" .;:,–—-")
    named = _PARENTHESISED_NAME_RE.match(name)
    if named:
        name = named.group("name")  # "Regulation 12 (Cleanliness and infection control),
        # Outcome 08": the name in brackets, the outcome it was also known by after it
    if name and not name[:1].isupper():
        return None  # "Regulation 12(2)(a) requires…": a citation inside prose
    if not name and kind == "Outcome":
        name = OUTCOME_NAMES.get(int(re.sub(r"\D", "", m.group("num"))), "")
    if name:
        name = name[0].upper() + name[1:]
    return kind, m.group("num"), name


def _area_phrase(area: str) -> str:
    """An area's name as it reads after "improvements in": lower-cased ("Staffing" ->
    "staffing"), with "the" before a noun that an "of" phrase names ("the management of
    medicines"), not before a gerund ("safeguarding people…")."""
    inner = _lower_first(area, True)
    first = inner.split(" ", 1)[0].lower()
    if first.endswith("ing") or first in ("a", "an", "the", "all", "how"):
        return inner
    head = re.split(r"\s+(?:of|for|to|in|on)\s+", inner, maxsplit=1)
    if len(head) > 1 and len(head[0].split()) <= 4:
        return "the " + inner
    return inner


# --- A failure stated as a finding, as the action that puts it right -------------------

# "Care plans did not include…", "Systems to monitor the quality of the service were not
# effective", "Not all vehicles carried the equipment…": the subject (a noun phrase with no
# verb in it), the negation, and what was not done or not so.
_FAILURE_SUBJECT = r"(?P<np>(?:[A-Z][\w’'-]*|[a-z][\w’'-]*)(?:\s+[\w’'-]+){0,11}?)"
_FAILED_DO_RE = re.compile(
    _FAILURE_SUBJECT + r"\s+(?P<aux>did|does|do)\s+not\s+(?:always\s+|consistently\s+)?"
    r"(?P<verb>[a-z]+)\b(?P<rest>.*)$"
)
_FAILED_BE_RE = re.compile(
    _FAILURE_SUBJECT + r"\s+(?P<aux>was|were|is|are)\s+not\s+(?:always\s+|consistently\s+)?"
    r"(?P<rest>[a-z].*)$"
)
# "Care plans had not been updated for 3 people…": the perfect passive, as "were not".
_FAILED_PERFECT_RE = re.compile(
    _FAILURE_SUBJECT + r"\s+(?P<aux>had|has|have)\s+not\s+(?:always\s+|consistently\s+)?been\s+"
    r"(?P<rest>[a-z].*)$"
)
_NOT_ALL_RE = re.compile(
    r"^not\s+(?P<q>all|every|each)\s+(?P<np>[\w’'-]+(?:\s+[\w’'-]+){0,5}?)\s+(?P<verb>[a-z]+ed|had|were|was)\b"
    r"(?P<rest>.*)$",
    re.I,
)
# Words that cannot be inside the subject: a verb or a clause has begun before the negation.
_NOT_IN_SUBJECT = frozenset(
    """had has have did does do was were is are be been will would can could may might must
    should need needs needed and but or because although however which who that when
    where if""".split()
)


def _np_is_plural(np: str) -> bool:
    """Whether a subject is plural by its head, the last word before what describes it
    ("Systems to monitor the quality of the service": "Systems")."""
    head = re.split(r"\s+(?:of|for|to|in|on|at|with|from|about|who|that|which)\b", np, maxsplit=1)[
        0
    ]
    return _plural(head)


def failure_as_action(s: str) -> str | None:
    action = _failure_as_action(s)
    return _SAMPLE_COUNT_RE.sub("", action) if action else action


def _failure_as_action(s: str) -> str | None:
    """ "Care plans did not include the support people needed" -> "Ensure care plans include
    the support people needed"; "Systems to monitor the quality of the service were not
    effective" -> "Ensure systems to monitor the quality of the service are effective";
    "Not all vehicles carried the equipment needed" -> "Ensure all vehicles carry the
    equipment needed". None when the sentence is not one such statement of a failure (its
    subject holds a verb or a clause, or the verb is not a plain one)."""
    t = _collapse(s).strip().rstrip(".")
    # "People did not receive care at the agreed times and calls needing two carers were not
    # always attended by two": two failures joined, each turned round ("… and calls needing
    # two carers are attended by two")
    for joint in re.finditer(r",?\s+and\s+(?=[a-z])", t):
        left, right = t[: joint.start()], t[joint.end() :]
        if " not " not in f" {right} " or " not " not in f" {left} " or ", and " in left:
            continue
        first, second = _one_failure_as_action(left), _one_failure_as_action(right)
        if first is not None and second is not None:
            return f"{first} and {second[len('Ensure ') :]}"
    return _one_failure_as_action(t)


# "Clients who were prescribed opiate substitutes did not all have a recovery plan…": a
# quantifier floated after the negation marks where the subject ends, relative clause and all.
_FLOATED_ALL_RE = re.compile(
    r"^(?P<np>[A-Z][^,;]{2,120}?)\s+(?:did|do)\s+not\s+all\s+(?P<verb>[a-z]+)\b(?P<rest>.*)$"
)
# In such a title, the past of a relative clause said as it should be from now on
# (words.RELATIVE_PAST; "would" becomes "will").
_RELATIVE_PAST_RE = re.compile(
    r"\b(that|which|who|what)\s+(" + "|".join([*RELATIVE_PAST, "would"]) + r")\b"
)


def _relative_present(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        verb = m.group(2)
        return f"{m.group(1)} {'will' if verb == 'would' else RELATIVE_PAST[verb]}"

    return _RELATIVE_PAST_RE.sub(one, text)


def _one_failure_as_action(t: str) -> str | None:
    floated = _FLOATED_ALL_RE.match(t)
    if floated and floated.group("verb") not in ("be", "been", "always"):
        np = _relative_present(_lower_first(floated.group("np"), True))
        return f"Ensure all {np} {floated.group('verb')}{_relative_present(floated.group('rest'))}"
    m = _NOT_ALL_RE.match(t)
    if m:
        verb = m.group("verb").lower()
        base = {"had": "have", "were": "are", "was": "are"}.get(verb) or _base_verb(verb)
        if base is None or any(w.lower() in _NOT_IN_SUBJECT for w in m.group("np").split()):
            return None
        q = m.group("q").lower()
        if q != "all":
            # "Not every team had a system…" -> "Ensure every team has a system…": one by one
            base = {"have": "has", "are": "is"}.get(base) or _third_person(base)
        return f"Ensure {q} {m.group('np')} {base}{m.group('rest')}"
    for rx in (_FAILED_DO_RE, _FAILED_BE_RE, _FAILED_PERFECT_RE):
        m = rx.match(t)
        if m is None:
            continue
        np = m.group("np")
        words = [w.lower() for w in np.split()]
        # two nouns joined ("food and fluid intake") are one subject, not a clause begun
        checked = words[:1] + words[2:] if len(words) >= 3 and words[1] == "and" else words
        # "People's care needs were not always assessed": "needs" after "care" is the noun
        checked = [
            w
            for i, w in enumerate(checked)
            if not (w == "needs" and i and checked[i - 1] in NOUN_MODIFIERS)
        ]
        if any(w in _NOT_IN_SUBJECT for w in checked) or words[0] in STANDALONE_PRONOUNS:
            return None
        if words[0] in ("there", "we", "i", "you", "he", "she") or words[0] in TITLE_PRONOUNS:
            return None
        inner = _lower_first(np, True)
        # "Some people did not have advance care plans" -> "Ensure all people have…": what
        # was missing for some is owed to all
        inner = re.sub(
            r"^(?:some|several|many|most|a\s+few|a\s+number\s+of|(?:two|three|four|five|six)"
            r"(?:\s+of\s+the)?)\s+(?=[a-z])",
            "all ",
            inner,
        )
        if rx is _FAILED_PERFECT_RE:
            plural = _np_is_plural(np)
            # "…had not been reviewed since 2019": how long it went undone is the finding's
            rest = re.sub(r"\s+since\s+[^,;]*$", "", m.group("rest"))
            return f"Ensure {inner} {'are' if plural else 'is'} {rest}"
        if rx is _FAILED_BE_RE:
            plural = m.group("aux") in ("were", "are")
            return f"Ensure {inner} {'are' if plural else 'is'} {m.group('rest')}"
        verb = m.group("verb")
        if verb in ("be", "been", "not", "always"):
            return None
        rest = m.group("rest")
        sure = re.match(r"\s+sure\b", rest) if verb == "make" else None
        if (sure or verb == "ensure") and words[-1] in AGENT_HEADS:
            # "The service did not always make sure people received their medicines as
            # prescribed" -> "Ensure people receive their medicines as prescribed": what the
            # provider did not make sure of is the action
            done = rest[sure.end() :] if sure else rest
            return _present_tense_title(f"Ensure{done}")
        plural = _np_is_plural(np)
        form = verb if plural else _third_person(verb)
        if plural:  # "…record fridge temperatures and did not check the bag": "…and check…"
            rest = re.sub(r"\b(and|or)\s+did\s+not\s+(?:always\s+)?(?=[a-z])", r"\1 ", rest)
        return f"Ensure {inner} {form}{rest}"
    return None


# --- Titles of fewer than three words (issue 11) ------------------------------------

# "The oxygen cylinder's expiry needed checking more often": "Check the oxygen cylinder's
# expiry more often".
_NEEDED_GERUND_RE = re.compile(
    r"^(?P<np>[A-Z][^,;]{2,80}?)\s+(?:needs|needed|need)\s+(?P<g>[a-z]{3,}ing)\b(?P<rest>.*)$"
)


# "The cook told us she needed to know about people's diets": a state of knowing is not
# something one does; the title says who must come to know it.
_STATE_VERBS = {"know": "knows", "understand": "understands"}


def _state_verb_title(title: str, s: str, trig: _Trigger | None) -> str:
    """ "Know about people's special diets" (said by the cook) -> "Ensure the cook knows
    about people's special diets"."""
    first, _, rest = title.partition(" ")
    verb = _STATE_VERBS.get(first.lower())
    if verb is None or not rest or trig is None:
        return title
    span = _subject_np(s, trig.key_start)
    if span is None:
        return title
    reported = _REPORTED_SUBJECT_RE.match(s[span[0] : span[1]])
    np = s[span[0] : span[0] + reported.end(1)] if reported else s[span[0] : span[1]]
    words = np.lower().split()
    if not words or words[0] in STANDALONE_PRONOUNS or words[-1] in STANDALONE_PRONOUNS:
        return title
    if words[0] in TITLE_PRONOUNS:
        return title
    subject = _lower_first(np, span[0] == 0)
    return f"Ensure {subject} {verb if not _plural(subject) else first.lower()} {rest}"


def _needed_gerund_title(title: str) -> str:
    t = title.strip()
    m = _NEEDED_GERUND_RE.match(t[:1].upper() + t[1:])
    if not m:
        return title
    stem = m.group("g")[:-3]
    base = _base_verb(stem + "ed")
    if base is None and stem[-1:] in ("c", "v", "z"):
        base = stem + "e"  # "servicing" -> "service"
    if not base:
        return title
    rest = re.sub(r";\s+.*$", "", m.group("rest"))  # "; it had expired…": the finding
    # "On our visit we found that the sluice rooms needed cleaning": what was found is what
    # needs it, not the words that report the finding
    np = _FOUND_THAT_RE.sub("", m.group("np"))
    opens = np == m.group("np")
    return f"{base} {_lower_first(np, opens)}{rest}"


_FOUND_THAT_RE = re.compile(
    r"^.*?\b(?:found|saw|noted|identified|observed|showed)\s+that\s+(?=\S)", re.I
)


def _possessive(np: str) -> str:
    return np + ("'" if np.endswith("s") and _plural(np) else "'s")


def _named_subject(s: str, trig: _Trigger) -> tuple[str, str] | None:
    """The trigger's subject noun phrase as written, and as it reads inside a title
    ("the board"); None when there is none or it is a pronoun ("they", "it")."""
    span = _subject_np(s, trig.key_start)
    if span is None:
        return None
    subject = s[span[0] : span[1]]
    words = subject.lower().split()
    if not words or words[0] in STANDALONE_PRONOUNS or words[-1] in STANDALONE_PRONOUNS:
        return None
    return subject, _lower_first(subject, span[0] == 0)


def _resolve_reflexive(title: str, s: str, trig: _Trigger | None) -> str:
    """ "The board must assure itself that the actions are completed" -> "Assure the board
    that the actions are completed": with the subject gone from the title, "itself" or
    "themselves" after its verb names it."""
    m = re.match(
        r"^(?P<verb>Assure|Satisfy|Reassure)\s+(?P<pro>itself|themselves)\b", title.strip()
    )
    named = _named_subject(s, trig) if m is not None and trig is not None else None
    if m is None or named is None:
        return title
    return f"{m.group('verb')} {named[1]}{title.strip()[m.end('pro') :]}"


def _resolve_singular_they(title: str, they: re.Match[str], s: str, trig: _Trigger) -> str:
    """ "The registered manager needs to ensure that they are notifying CQC…" -> "Ensure that
    the registered manager is notifying CQC…": "they" for one person, the sentence's subject."""
    named = _named_subject(s, trig)
    if named is None:
        return title
    subject, inner = named
    if subject.lower().split()[-1] not in _PERSON_HEADS or _plural(subject):
        return title
    return f"{title[: they.end('verb')]} {inner} is{title[they.end('be') :]}"


def _resolve_their(title: str, s: str, trig: _Trigger | None) -> str:
    """ "Leaders needed to develop their oversight of…" -> "Develop leaders' oversight of…":
    a "their" before any other noun of the title is the sentence's own subject's."""
    m = re.match(r"^(?P<verb>[A-Za-z]+)\s+(?P<pro>their|his|her)\b", title.strip()) or re.match(
        # "Make improvements to their auditing systems": after the verb's object and a
        # preposition, before any other noun that could own it
        r"^(?P<verb>[A-Za-z]+\s+(?:improvements|changes|more|further\s+improvements)\s+"
        r"(?:to|in))\s+(?P<pro>their|his|her)\b",
        title.strip(),
    )
    they = re.match(
        r"^(?P<verb>(?:Ensure|Make\s+sure)(?:\s+that)?)\s+(?P<pro>they)\s+(?P<be>are|were)\b",
        title.strip(),
    )
    if trig is not None and they is not None:
        return _resolve_singular_they(title.strip(), they, s, trig)
    named = _named_subject(s, trig) if m and trig is not None else None
    if not m or named is None:
        return title
    subject, inner = named
    words = subject.lower().split()
    if words[-1] not in AGENT_HEADS and not (
        m.group("pro") != "their" and words[-1] in _PERSON_HEADS
    ):
        return title  # "The new dental nurse needed to complete her radiography training":
        # "her" is one person's, the subject's
    if m.group("pro") != "their" and _plural(subject):
        return title
    return title.strip()[: m.end("verb")] + " " + _possessive(inner) + title.strip()[m.end() :]


# "…audits showed the sign-out stage was not always completed, and the service needed to
# make sure this happened for every patient": "this happened" is the thing not done.
_NOT_DONE_RE = re.compile(
    r"\b(?P<np>the\s+[\w’'-]+(?:\s+[\w’'-]+){0,7}?)\s+(?P<be>was|were|is|are)\s+not\s+"
    r"(?:always\s+|consistently\s+|routinely\s+)?(?P<p>[a-z]+ed)\b",
    re.I,
)


_THIS_DONE_RE = re.compile(
    r"^(?P<lead>(?:Ensure|Make\s+sure)(?:\s+that)?\s+)(?:this|it)\s+(?:is|was)\s+"
    r"(?:always\s+)?(?:done|carried\s+out|completed|followed)\b(?P<rest>.*)$",
    re.I,
)
_NOT_BEEN_DONE_RE = re.compile(
    r"\b(?P<np>the\s+[\w’'-]+(?:\s+[\w’'-]+){0,4}?)\s+(?P<aux>had|has|have)\s+not\s+"
    r"(?:always\s+|consistently\s+)?been\s+(?P<p>[a-z]+ed)\b"
    r"(?P<by>\s+by\s+[^,.;]+?)?(?=\s+(?:on|in|for|during|at|since)\s|[,.;]|$)",
    re.I,
)


def _resolve_this_done(title: str, before: str) -> str:
    """ "…the controlled drugs register had not been checked by two staff on six occasions. The
    provider must ensure this is done every time." -> "Ensure the controlled drugs register is
    checked by two staff every time": what "this" is, is what the sentence before says was not
    done."""
    m = _THIS_DONE_RE.match(title)
    if m is None or not before.strip():
        return title
    last = _sentences_of(before)[-1]
    found = list(_NOT_BEEN_DONE_RE.finditer(last)) or list(_NOT_DONE_RE.finditer(last))
    if not found:
        return title
    nd = found[-1]
    np = _lower_first(nd.group("np"), nd.start() == 0)
    if nd.groupdict().get("be"):  # "…were not recorded"
        be = "are" if nd.group("be").lower() in ("were", "are") else "is"
    else:  # "…had not been checked"
        be = "are" if _np_is_plural(np) else "is"
    by = (nd.groupdict().get("by") or "").rstrip()
    return f"{m.group('lead')}{np} {be} {nd.group('p')}{by}{m.group('rest')}"


_THIS_HAPPENED_LEAD_RE = re.compile(
    r"^(?:Make\s+sure|Ensure)(?:\s+that)?\s+this\s+happen(?:ed|s)?\b"
)


def _resolve_this_happened(title: str, s: str) -> str:
    m = re.search(r"\bthis\s+(?:happened|happens|happen)\b", title)
    if not m:
        return title
    this = re.search(r"\bthis\b", s)
    found = list(_NOT_DONE_RE.finditer(s[: this.start()] if this else s))
    if not found:
        # "The provider did not have effective systems to share learning from incidents, and
        # leaders needed to make sure this happened across all teams": the failure turned round
        lead = _THIS_HAPPENED_LEAD_RE.match(title)
        cut = s.find(", and ")
        turned = _failure_as_action(s[:cut]) if lead and cut > 0 else None
        if lead is None or turned is None:
            return title
        return turned + title[lead.end() :]
    nd = found[-1]
    done = f"{nd.group('np')} {nd.group('be')} {nd.group('p')}"
    return title[: m.start()] + done + title[m.end() :]


# A lead-in whose verb governs the listed items: "the provider must ensure the following by
# 5 June 2020:" (items "a daily audit … is completed"), "The trust must make the significant
# improvements by 30 September 2016:" (items "The safe management of patients…").
_LEADIN_VERB_RE = re.compile(
    r"\b(?:must|should|needs?\s+to|(?:is|are)\s+required\s+to)\s+(?:also\s+)?"
    r"(?:(?P<ensure>ensure|make\s+sure)|(?P<improve>improve|make\s+(?:the\s+)?"
    r"(?:[a-z]+\s+)?improvements?))\b",
    re.I,
)


def _gerund_verb(word: str) -> str | None:
    """The verb of a gerund ("Ensuring" -> "ensure", "Reducing" -> "reduce", "Planning" ->
    "plan"), or None when the word is no gerund of a verb known to open a title."""
    low = word.lower()
    if not low.endswith("ing") or len(low) < 6:
        return None
    stem = low[:-3]
    known = IMPERATIVE_VERBS | VERB_OPENERS
    candidates = [stem, stem + "e"]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.append(stem[:-1])  # "planning" -> "plan"
    for c in candidates:
        if c in known:
            return c
    base = _base_verb(stem + "ed")
    return base if base and base.endswith(("ure", "uce", "ove", "ise", "ize", "ate")) else None


_IMPROVEMENTS_INCLUDING_RE = re.compile(
    r"^make\s+(?:a\s+number\s+of\s+|some\s+|several\s+|further\s+|a\s+range\s+of\s+)?"
    r"improvements?\s*,?\s+including\s+(?P<g>[a-z]+ing)\s+\S",
    re.I,
)


def _gerund_opener_title(title: str) -> str:
    """ "Inspectors identified several areas where the trust must make improvements,
    including:" / "Ensuring there are enough nurses…", "Reducing the backlog…": a listed
    gerund is the action the lead-in asks for, so the title opens with its imperative
    ("Ensure there are enough nurses…", "Reduce the backlog…")."""
    first, _, rest = title.strip().partition(" ")
    verb = _gerund_verb(first)
    if verb is None or not rest:
        return title
    return f"{verb.capitalize()} {rest}"


# "There is a need for clearer arrangements between…", "There was a need to review…": no
# action is named, only what is needed.
_NEED_FOR_RE = re.compile(
    r"^there\s+(?:is|was|remains|will\s+be)\s+(?:still\s+)?(?:an?\s+)?"
    r"(?:(?:clear|real|urgent|continuing|further|ongoing)\s+)?need\s+"
    r"(?:(?P<for>for)|(?P<to>to))\s+(?P<x>\S.*)$",
    re.I,
)


def _need_for_title(title: str) -> str:
    """ "There is a need for clearer arrangements between the crisis teams and the acute
    wards, so that…" -> "Ensure there are clearer arrangements between…, so that…"; "There
    is a need to review the rota" -> "Review the rota": what is needed, as an action."""
    m = _NEED_FOR_RE.match(title.strip())
    if m is None:
        return title
    x = m.group("x")
    if m.group("to"):
        return x
    first = x.split(" ", 1)
    verb = ACTION_NOUN_VERBS.get(first[0].lower())
    if verb and len(first) == 2 and first[1].lower().startswith(("of ", "in ", "to ")):
        # "a need for improvement in the monitoring of…" -> "Improve the monitoring of…"
        return f"{verb} {first[1].split(' ', 1)[1]}" if " " in first[1] else title
    np = re.split(r",|\s+(?:so\s+that|because|as|to|which|who)\s+", x, maxsplit=1)[0]
    be = "are" if _np_is_plural(np) else "is"
    return f"Ensure there {be} {x}"


_STATED_FAILURE_RE = re.compile(
    r"^[A-Z][\w’'-]*\s+(?:[\w’'-]+\s+){0,4}?(?:was|were|did|had|has|have)\s+not\b"
)
# "…for six of the 20 operations we reviewed": the sample the finding was counted in, which
# the action puts right for all.
_SAMPLE_COUNT_RE = re.compile(
    r"\s+(?:for|in)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+of\s+(?:the\s+)?\d+\s+(?:[\w’'-]+\s+){0,3}?we\s+(?:reviewed|looked\s+at|checked|"
    r"saw|sampled)\b"
)


def _leadin_verb_title(title: str, leadin: str) -> str:
    m = _LEADIN_VERB_RE.search(leadin)
    first, _, after = title.strip().partition(" ")
    first = first.lower()
    second = after.split(" ", 1)[0].lower()
    if not m or not first:
        return title
    if first == "not" and second == "all":
        return failure_as_action(title) or title  # "Not all vehicles carried…"
    if _STATED_FAILURE_RE.match(title):
        # "Risk assessments were not updated when…": a noun that can be a verb ("Risk")
        # opens a statement, its finite verb and "not" a few words on
        return failure_as_action(title) or title
    if first in IMPERATIVE_VERBS or first in VERB_OPENERS:
        # "Staff wear personal protective equipment…": "staff" opens a statement, not an
        # imperative, when no object follows it ("Staff the ward with…")
        if not (first in AGENT_HEADS and second and second not in NOUN_DETERMINERS):
            return title
    elif _base_verb(first) == first or first in ("do", "don't", "be"):
        return title
    ws = [w.lower() for w, _, _ in _words(title)]
    if "not" in ws or "never" in ws:
        # a failure stated as a finding ("The service did not have a system…"): the action
        # that puts it right ("Ensure the service has a system…"), or the finding as it is
        return failure_as_action(title) or title
    if m.group("improve") and any(w in _VERBISH for w in ws):
        return title  # "improve" takes what is listed as a noun phrase, not a statement
    verb = "Ensure" if m.group("ensure") else "Improve"
    return f"{verb} {_lower_first(title.strip(), True)}"


def _short_title(title: str, s: str, trig: _Trigger | None, before: str) -> str:
    """A title of one or two words ("Improve", "Update it", "Embed learning") says what is
    about from the words around it: the thing "it" is (what the sentence before opens
    with), the description of the noun given earlier ("learning from incidents"), the
    subject that "needed to improve" ("compliance"), and the finding just before it."""
    words = title.split()
    if not words or trig is None:
        return title
    verb = words[0]
    sentences = _sentences_of(before)
    last = sentences[-1].rstrip(" .;:") if sentences else ""
    if len(words) == 2 and words[1].lower() in ("it", "them") and last:
        np = _opening_np(last)
        if np and np.lower().split()[-1] not in PEOPLE_SUBJECTS and _is_topic(np):
            if _plural(np) == (words[1].lower() == "them"):
                return f"{verb} {_lower_first(np, True)}"
    if len(words) == 2 and words[1].lower() not in STANDALONE_PRONOUNS:
        ante = _antecedent(words[1], before + " " + s[: trig.key_start])
        if ante:
            return f"{verb} {ante}"
    if len(words) == 1:
        # "Managers knew that compliance needed to improve": the subject is what improves
        noun = s[: trig.key_start].split()[-1:] if s[: trig.key_start].strip() else []
        if noun and noun[0].lower() not in STANDALONE_PRONOUNS | TITLE_PRONOUNS:
            if noun[0].lower() not in _VERBISH and noun[0].lower() not in AGENT_HEADS:
                title = f"{verb} {noun[0].lower()}"
    pronoun = len(words) == 2 and words[1].lower() in ("these", "them", "this", "it")
    if pronoun:
        # "Although the provider had made improvements, further work was needed to embed
        # these." -> "Embed the improvements": what the clause before says was made
        made = ([None, *_MADE_EARLIER_RE.finditer(s[: trig.key_start])])[-1]  # the last
        if made is not None and _plural(made.group("np")) == (
            words[1].lower() in ("these", "them")
        ):
            return f"{verb} the {made.group('np')}"
    if len(title.split()) < 3 and len(last.split()) >= 3 and not last.endswith("?"):
        # (the pronoun gives way to the finding: "Embed" + "the provider's new system…")
        return _verb_on_finding(verb if pronoun else title, last)
    return title


# "It did not show which actions from inspections were overdue": the information missing.
_DID_NOT_SHOW_RE = re.compile(
    r"\bdid\s+not\s+(?:always\s+)?(?:show|include|say|record|give)\s+"
    r"(?P<wh>(?:which|what|how|whether|when|who)\b[^,;.]{3,120}?)(?=\s*(?:[,;.]|\band\b|$))",
    re.I,
)


def _resolve_this_information(title: str, s: str, before: str) -> str:
    """ "The quality report did not show which actions were overdue, and directors told us
    they needed this information…" -> "Ensure directors have information on which actions
    are overdue…": "this information" is what the finding says was not shown."""
    at = title.find("this information")
    if at < 0:
        return title
    found = ([None, *_DID_NOT_SHOW_RE.finditer(before + " " + s)])[-1]
    if found is None:
        return title
    wh = re.sub(r"\bwere\b", "are", re.sub(r"\bwas\b", "is", found.group("wh")))
    return title[:at] + "information on " + wh + title[at + len("this information") :]


def _resolve_made_earlier(title: str, s: str, trig: _Trigger | None) -> str:
    """ "Leaders had made improvements but needed more time to embed them" -> "Ensure leaders
    have more time to embed the improvements": a pronoun ending the title is what the
    sentence's earlier clause says was made or brought in."""
    end = re.search(r"\b(?P<pro>them|these|it)\W*$", title)
    if end is None or trig is None:
        return title
    made = ([None, *_MADE_EARLIER_RE.finditer(s[: trig.key_start])])[-1]
    if made is None or _plural(made.group("np")) != (end.group("pro").lower() != "it"):
        return title
    return title[: end.start()] + "the " + made.group("np")


# The thing a clause says the provider made or brought in, ended by a comma or "but": "the
# provider had made improvements, …", "leaders have introduced new checks, but…"
_MADE_EARLIER_RE = re.compile(
    r"\b(?:had|has|have)\s+(?:recently\s+|already\s+)?(?:made|introduced|implemented|"
    r"developed|started|begun|put\s+in\s+place)\s+(?:some\s+|several\s+|many\s+|"
    r"a\s+number\s+of\s+|a\s+few\s+)?(?P<np>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)"
    r"(?=\s*,|\s+but\b)"
)


def _participle_adjective_opens(obj: str) -> bool:
    """The object opens with a participle used as an adjective on a noun ("protected time to
    carry out audits"), as the rules read it after "she needed"."""
    words = obj.split()
    return (
        len(words) >= 2
        and words[0].lower().endswith("ed")
        and words[1].isalpha()
        and words[1].lower() not in ("a", "an", "the", "to", "by", "for", "in", "on", "of", "and")
    )


_REPORTER_BEFORE_RE = re.compile(
    r"(?:^|,\s*(?:and|but)\s+|\band\s+)(?P<who>(?:[\w’'-]+\s+){0,4}?[\w’'-]+)\s+"
    r"(?:said|told\s+us|told\s+inspectors|explained|reported|felt)\s+(?:that\s+)?(?:they|we)\s*$",
    re.I,
)


def _burden_title(s: str, trig: _Trigger, rest: str) -> str | None:
    """ "Staff should not have to move infusion pumps between wards" -> "Ensure staff do not
    have to move infusion pumps between wards"; "several nurses said that they should not
    have to chase…" -> "Ensure nurses do not have to chase…": what someone should not have
    to do is a burden the provider removes, never an order to them ("Do not have to…")."""
    span = _subject_np(s, trig.key_start)
    if span is None:
        return None
    who = s[span[0] : span[1]]
    said = _REPORTED_SUBJECT_RE.match(who)
    if said and said.group(1).split()[0].lower() not in REPORTER_QUANTIFIERS:
        # "Staff said they should not have to wait…": the reporters are who "they" are
        span = (span[0], span[0] + said.end(1))
        who = s[span[0] : span[1]]
    if who.lower() in ("they", "we"):
        rep = _REPORTER_BEFORE_RE.search(s[: span[1]])
        if rep is None:
            return None
        words = rep.group("who").split()
        while words and words[0].lower() in REPORTER_QUANTIFIERS:
            words = words[1:]
        if not words:
            return None
        who, opens = " ".join(words), rep.start("who") == 0 and words == rep.group("who").split()
    else:
        opens = span[0] == 0
    who = _lower_first(who, opens)
    return f"Ensure {who} {'do' if _plural(who) else 'does'} not {rest}"


_PRIORITY_RE = re.compile(
    r"(?:now\s+|also\s+|therefore\s+)?be\s+(?:a|the|an)\s+(?P<kind>(?:key\s+|top\s+|clear\s+)?"
    r"priority)\b(?P<tail>[^,;]*)",
    re.I,
)


def _priority_title(s: str, trig: _Trigger, rest: str) -> str | None:
    """ "Reducing late calls must now be a priority for the provider" -> "Make reducing late
    calls a priority for the provider"; with "This" for subject, the finding before is what
    to make a priority (made_title's _demonstrative_finding_title, through a lone verb)."""
    m = _PRIORITY_RE.match(rest)
    if m is None:
        return None
    subject = s[: trig.key_start].strip()
    if not subject or "," in subject or len(subject.split()) > 8:
        return None
    kind, tail = m.group("kind"), m.group("tail").rstrip(" .")
    if subject.lower() in ("this", "these", "that"):
        return None
    return f"Make {_lower_first(subject, True)} a {kind}{tail}"


_COMPARATIVE_THOSE_RE = re.compile(
    r"^(?P<lead>(?:Ensure\s+)?(?P<np>(?:[\w’'-]+\s+){1,8}?)(?:is|are|needs?\s+to\s+be|must\s+be|"
    r"should\s+be)\s+as\s+[\w-]+\s+as\s+)those\s+"
    r"(?=(?:the|a|an|its|their)\s)"
)


def _comparative_those(title: str) -> str:
    """ "Ensure incident reviews at the centre are as robust as those the provider carries
    out at its other hospitals": "those", with a relative clause of its own, stands for the
    head of the phrase compared ("…as robust as the incident reviews the provider carries
    out…")."""
    m = _COMPARATIVE_THOSE_RE.match(title)
    if m is None:
        return title
    words = m.group("np").split()
    at = next((i for i, w in enumerate(words) if i and w.lower() in _HEAD_PREPOSITIONS), len(words))
    head = [w for w in words[:at] if w.lower() not in NOUN_DETERMINERS]
    if not head:
        return title
    return f"{m.group('lead')}the {_lower_first(' '.join(head), True)} {title[m.end() :]}"


def _aside_sentence(s: str, trig: _Trigger | None) -> str | None:
    """A requirement inside a relative clause set off by commas (the rules take it when the
    main predicate finds a failure): the title is made from the clause, not the finding
    after it. "Records of wound care, which the trust's documentation policy says must be
    completed at every visit, were incomplete…" -> "Records of wound care must be completed
    at every visit." (the clause's subject is the noun before it); "Leaders…, who told us they
    recognised that the division needed more consultant cover, had not yet agreed a plan" ->
    the sentence up to the clause's end."""
    if trig is None:
        return None
    opened = _ASIDE_OPEN_RE.search(s, max(0, trig.key_start - 160), trig.key_start)
    main = _ASIDE_MAIN_RE.match(s, trig.key_end) if opened else None
    if opened is None or main is None:
        return None
    close = main.start("main")
    inside = re.sub(r"^\s*,\s*(?:which|who|whom|whose)\b", "", s[opened.start() : trig.key_start])
    if not inside.strip() or re.search(
        r"\b(?:says|said|states|stated|requires|required)\s*(?:that\s*)?$", inside
    ):
        # the relative pronoun is the modal's subject: the noun before the clause
        return s[: opened.start()] + " " + s[trig.key_start : close].rstrip(" ,") + "."
    return s[:close].rstrip(" ,") + "."


# Words that open a question's predicate after its subject ("Is the log up to date?", "Is the
# room still in use?").
_PREDICATE_OPENERS = frozenset("up in out on at still now fully always being".split())
_QUESTION_ITEM_RE = re.compile(r"^(?:Is|Are|Was|Were)\s+(?P<q>[^?]+)\?\s+(?P<instr>[A-Z].*)$")


def _question_item_title(s: str) -> str | None:
    """A listed question and instruction ("Is the medical advisory committee meeting often
    enough? Review its terms of reference.") -> the instruction, its "it"/"its" the question's
    subject ("Review the medical advisory committee's terms of reference"); an elliptical "so
    that it is" takes the question's predicate ("…so that it is complete")."""
    m = _QUESTION_ITEM_RE.match(s.strip())
    if m is None:
        return None
    words = m.group("q").split()
    cut = next(
        (
            i
            for i, w in enumerate(words)
            if i >= 2 and (w.lower().endswith(("ing", "ed")) or w.lower() in _PREDICATE_OPENERS)
        ),
        len(words) - 1,
    )
    np, pred = " ".join(words[:cut]), " ".join(words[cut:])
    if len(words[:cut]) < 2 or not np.lower().startswith(("the ", "its ", "their ", "this ")):
        return None
    instr = m.group("instr").rstrip(" .")
    instr = re.sub(r"\bso\s+that\s+it\s+is$", f"so that it is {pred}", instr)
    np = _lower_first(np, True)
    out, n = re.subn(r"\bits\b", _possessive(np), instr, count=1)
    if not n:
        out, n = re.subn(r"\bit\b", np, instr, count=1)
    return out if n else None


_LISTED_TO_BE_RE = re.compile(
    r"^(?P<np>[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,8}?)\s+to\s+be\s+(?P<pp>[a-z]+(?:ed|en|wn|t))\b(?P<rest>.*)$"
)


def _listed_np_title(s: str) -> str | None:
    """A listed item that is a noun phrase: "A consistent approach to the recording of mental
    capacity assessments" -> "Ensure there is a consistent approach to…"; "Resuscitation
    equipment on every ward to be checked daily" -> "Ensure resuscitation equipment on every
    ward is checked daily"."""
    text = s.strip().rstrip(".")
    m = _LISTED_TO_BE_RE.match(text)
    if m and not any(w.lower() in _VERBISH for w in m.group("np").split()):
        np = _lower_first(m.group("np"), True)
        head = np.split()
        plural = _plural(
            " ".join(head[: next((i for i, w in enumerate(head) if w in PREPOSITIONS), len(head))])
        )
        return f"Ensure {np} {'are' if plural else 'is'} {m.group('pp')}{m.group('rest')}"
    first = text.split(" ", 1)[0]
    if first in ("A", "An") and not any(
        w.lower() in _VERBISH or w.lower() in ("must", "should", "will") for w in text.split()
    ):
        return f"Ensure there is {_lower_first(text, True)}"
    return None


_BE_PRIORITY_TITLE_RE = re.compile(
    r"^(?:Now\s+|Also\s+)?[Bb]e\s+(?:a|the|an)\s+(?P<kind>[a-z ]*priority)(?P<tail>.*)$"
)
_FINDING_SUBJECT_RE = re.compile(
    r"^(?:.*?\b(?:meant|showed|found)\s+that\s+)?(?P<np>(?:[\w’'-]+\s+){1,9}?)"
    r"(?:had|has|have|was|were|is|are)\b",
    re.I,
)


def _demonstrative_priority_title(title: str, s: str, trig: _Trigger | None, before: str) -> str:
    """ "…meant that the replacement of the electronic patient record had been deferred
    twice. This must now be a priority for the board." -> "Make the replacement of the
    electronic patient record a priority for the board": "this" is the finding before, whose
    subject (in the clause after "meant that", or its own) is what to make a priority."""
    m = _BE_PRIORITY_TITLE_RE.match(title.strip())
    if m is None or trig is None:
        return title
    subject = s[: trig.key_start].strip().lower()
    if subject not in ("this", "these", "that"):
        return title
    sentences = _sentences_of(before)
    if not sentences:
        return title
    found = _FINDING_SUBJECT_RE.match(sentences[-1])
    if found is None:
        return title
    np = found.group("np").strip()
    if np.lower().split()[0] in STANDALONE_PRONOUNS | TITLE_PRONOUNS:
        return title
    return f"Make {_lower_first(np, True)} a {m.group('kind')}{m.group('tail').rstrip(' .')}"


_BY_WHEN_RE = re.compile(r"^\W*(?P<when>by\s+[^,]{3,40}?),\s*", re.I)


# "The trust policy says that…", "The manager said…": who or what states a rule, before it.
_SAYS_THAT_FRAME_RE = re.compile(
    r"(?:[\w’'-]+\s+){1,5}?(?:says|states|said|stated|requires|required|specifies|specified|"
    r"sets\s+out)\s+(?:that\s+)?(?=\S)",
    re.I,
)


def _outcome_title(s: str, trig: _Trigger, rest: str) -> str | None:
    """A requirement stated as an outcome: "By September 2019, all registered nurses in the
    emergency department must have completed level 3 training" -> "Ensure all registered
    nurses in the emergency department have completed level 3 training by September 2019";
    "Staff working in recovery must have up-to-date training" -> "Ensure staff working in
    recovery have up-to-date training". Not the provider ("The trust must have a plan")."""
    when = _BY_WHEN_RE.match(s)
    start = when.end() if when else 0
    source = _SAYS_THAT_FRAME_RE.match(s, start, trig.key_start)
    if source is not None:
        start = source.end()  # "The trust policy says that all patients must have…": the
        # rule's own subject, not the policy that states it
    subject = s[start : trig.key_start].strip()
    words = subject.lower().split()
    if not words or "," in subject or len(words) > 9:
        return None
    if words[0] in ("the", "its", "their") and len(words) <= 2:
        return None  # "The trust must have…": the provider, or a thing of it
    everyone = words[0] in ("all", "every", "each") and any(w in PEOPLE_SUBJECTS for w in words)
    if not everyone and not any(w in AGENT_HEADS or w.rstrip("s") in AGENT_HEADS for w in words):
        return None  # (but "all patients must have a risk assessment…": what each is owed)
    who = _lower_first(subject, True)
    head = words[: next((i for i, w in enumerate(words) if i and w in _HEAD_PREPOSITIONS), None)]
    plural = words[0] not in ("every", "each", "a", "an", "one") and any(
        w in ("staff", "people") or (w.endswith("s") and not w.endswith("ss")) for w in head
    )
    have = rest[5:] if rest.lower().startswith("have ") else rest
    title = f"Ensure {who} {'have' if plural else 'has'} {have.rstrip(' .')}"
    if when:
        title = _cut_finding_tail(title) + f" {_lower_first(when.group('when'), True)}"
    return title


# The provider's staff as a group, not its leaders: what they must do is for the provider to
# make sure of ("Nurses must complete their revalidation" -> "Ensure nurses complete…").
STAFF_GROUPS = frozenset(
    """staff nurses midwives carers doctors clinicians dentists therapists workers colleagues
    employees volunteers crews paramedics technicians handlers pharmacists physiotherapists
    porters receptionists surgeons consultants gps""".split()
)


def _staff_group(s: str, trig: _Trigger) -> str | None:
    """The staff noun phrase that opens the sentence as the subject of the must ("All staff",
    "Nurses", "Care workers"), lower-cased for the title; None for anything else."""
    holder = _staff_holder(s, trig)
    if holder is None or holder.lower().split()[-1] not in STAFF_GROUPS:
        return None
    return holder


def _staff_holder(s: str, trig: _Trigger) -> str | None:
    """The plural staff noun phrase that opens the sentence and is the subject of "must
    have" ("Care workers", "All staff"), lower-cased for the title; None for the provider
    itself ("The trust must have…") or anything else."""
    span = _subject_np(s, trig.key_start)
    if span is None or span[0] != 0:
        return None
    subject = s[span[0] : span[1]]
    words = subject.lower().split()
    if not words or words[0] in ("the", "its", "their") or not _plural(subject):
        return None
    if words[-1] not in AGENT_HEADS:
        return None
    return _lower_first(subject, True)


# "The policy states that all clinical staff must complete…; only 72% had done so": the rule's
# own clause, after the verb that reports it.
_RULE_SAYS_RE = re.compile(
    r"\b(?:says?|said|states?|stated|requires?|required|sets?\s+out|specifies|specified)\s+"
    r"(?:that\s+)?(?=\S)",
    re.I,
)
# What opens a finding before the failure it reports ("Records showed that…").
_FINDING_OPENER_RE = re.compile(
    r"^\W*(?:(?:records|audits?|we|inspectors|the\s+rota|rotas|data)\s+"
    r"(?:showed|found|saw|confirmed|indicated)\s+(?:that\s+)?)",
    re.I,
)


def _rule_not_kept_title(s: str, trig: _Trigger) -> str | None:
    """A rule the sentence finds not kept, as the action of keeping it.

    "The policy states that all clinical staff must complete level 3 safeguarding training;
    only 72% of clinicians had done so" -> "Ensure all clinical staff complete level 3
    safeguarding training"; "The labour ward coordinator was not always supernumerary, as
    national guidance says they should be" -> "Ensure the labour ward coordinator is
    supernumerary" (the failure turned round). None for any other sentence."""
    m = re.compile(re.escape(s[trig.key_start : trig.key_end])).match(s, trig.key_start)
    if m is None:
        return None
    if _rule_after_shortfall(s, m):
        cut = max(s.rfind(", which", 0, m.start()), s.rfind(", as", 0, m.start()))
        if cut <= 0:
            return None
        main = _FINDING_OPENER_RE.sub("", s[:cut]).strip()
        turned = _failure_as_action(main[:1].upper() + main[1:])
        if turned is not None:
            return _finish_title(turned)
        aside = s[cut:]
        said = _RULE_SAYS_RE.search(aside)
        if said and re.match(r"there\s+(?:should|must)\s+be\b", aside[said.end() :], re.I):
            rule = aside[said.end() :]
            return _finish_title(_make_title(rule, find_trigger(rule), False))
        return None
    said = None
    for found in _RULE_SAYS_RE.finditer(s, 0, m.start()):
        said = found  # the last verb of saying before the modal
    join = shortfall_join(s, m.end())
    if said is None or join is None or s.find(",", said.end(), m.start()) != -1:
        return None
    source = re.findall(r"[\w’'-]+", s[max(0, said.start() - 80) : said.start()].lower())[-6:]
    if not any(w in RULE_SOURCES for w in source):
        return None  # "Managers of homes rated requires improvement needed…": no rule said
    rule = s[said.end() : join.start()].strip()
    rule = rule[:1].upper() + rule[1:] + "."
    rtrig = find_trigger(rule)
    if rtrig is None or rtrig.keyword != trig.keyword:
        return None
    return _finish_title(_make_title(rule, rtrig, False))


# Adverbs between a modal and a passive "be" ("should always be stored"): kept in the title
# before its verb, but for these, which add nothing to the action ("should also be").
_MODAL_ADVERBS = frozenset(
    "always only routinely regularly consistently promptly never also now further then still"
    " immediately urgently".split()
)
_DROPPED_ADVERBS = frozenset("also now further then still".split())


def _adverb_before_passive(s: str, trig: _Trigger | None) -> tuple[str, int] | None:
    """For "X should always be stored…", the adverb and where it ends, else None."""
    if trig is None or trig.kind not in ("must", "should"):
        return None
    m = re.match(
        r"\s+(?P<adv>[a-z]+)(?=\s+be\s+[a-z]+(?:ed|en|wn|ne|lt|pt|nt|un|ld)\b)", s[trig.key_end :]
    )
    if m is None or m.group("adv") not in _MODAL_ADVERBS:
        return None
    return m.group("adv"), trig.key_end + m.end()


# "Audits of radiographs were completed, but the practice should act on their findings": the
# opening noun phrase (plural, a thing) before "but", and the title's "their" after its verb.
_OPENING_THINGS_BUT_RE = re.compile(
    r"^\W*(?P<np>[A-Z][\w’'-]*(?:\s+(?:of\s+)?[\w’'-]+){0,4}?)\s+(?:were|are|had\s+been|have\s+been)\b"
    r"[^;,]*,\s*but\s+the\s+(?:trust|provider|practice|service|home|hospital|hospice|clinic)\b"
)
_VERB_THEIR_RE = re.compile(
    r"^(?P<verb>[A-Z][a-z]+(?:\s+(?:on|to|with|from|of|up\s+on))?)\s+their\s+(?P<noun>[a-z][\w-]*)\b"
)


def _resolve_their_opening(title: str, s: str) -> str:
    """ "Act on their findings" -> "Act on the findings of audits of radiographs": the owner is
    the things the sentence opened with, not the provider named after "but" (singular)."""
    m = _VERB_THEIR_RE.match(title.strip())
    o = _OPENING_THINGS_BUT_RE.match(s)
    if m is None or o is None:
        return title
    np = o.group("np")
    head = np.split()[-1].lower()
    if not head.endswith("s") or head in PEOPLE_SUBJECTS or _lower_first(np, True) == np:
        return title
    t = title.strip()
    return f"{m.group('verb')} the {m.group('noun')} of {_lower_first(np, True)}{t[m.end() :]}"


# "Ensure that people identified as needing assistance with meals receive it": "it" is the
# thing they were said to need.
_NEEDED_IT_RE = re.compile(
    r"\b(?P<need>needing|who\s+needed?|who\s+need)\s+(?P<noun>[a-z][\w-]*)\b(?P<mid>[^,;]*?)\s+"
    r"(?P<verb>receive|get|are\s+given|have)\s+it\b"
)


def _resolve_needed_it(title: str) -> str:
    m = _NEEDED_IT_RE.search(title)
    if m is None or m.group("noun") in ("to", "a", "an", "the", "help", "it"):
        return title
    return f"{title[: m.end('verb')]} that {m.group('noun')}{title[m.end() :]}"


# "Ensure that people's care plans reflected their current needs": a past verb with its object
# after any plural subject of a few words (the failure's tense, turned round).
_PAST_DEED_ANY_RE = re.compile(
    r"^(?:Ensure|Make\s+sure)(?:\s+that)?\s+"
    r"(?P<np>(?:(?:all|the|its|their|[a-z][\w-]*[’']s)\s+)?(?:[a-z][\w’'-]*\s+){0,2}?"
    r"[a-z][\w’'-]*[^s\W]s)\s+"
    r"(?P<verb>[a-z]+ed)\s+(?=(?:their|the|a|an|all|every|each|its|his|her)\b)"
    # (not a participle after the subject: "…staff trained in restraint were on every shift")
    r"(?![^,;]*\b(?:are|is|were|was|have|has|had)\b)"
)


def _past_deed_present(title: str) -> str:
    m = _PAST_DEED_ANY_RE.match(title)
    if m is None or not _np_is_plural(m.group("np")):
        return title
    base = _base_verb(m.group("verb"))
    if base is None or base == m.group("verb"):
        return title
    return title[: m.start("verb")] + base + title[m.end("verb") :]


# "…more consistent in how staff recorded people's fluid intake": inside a title, what is done
# from now on ("how staff record…").
_HOW_PAST_INSIDE_RE = re.compile(
    r"(?<=\s)(?P<how>how|the\s+way)\s+(?P<np>staff|leaders|managers|nurses|they|"
    r"the\s+(?:trust|provider|practice|service|home|hospital|team)|the\s+[a-z]+s)\s+"
    r"(?P<verb>[a-z]+ed)\b(?:\s+and\s+(?P<verb2>[a-z]+ed)\b)?"
)


def _how_present(m: re.Match[str]) -> str:
    base = _base_verb(m.group("verb"))
    if base is None or base == m.group("verb"):
        return m.group(0)
    np = m.group("np")
    plural = np == "they" or _np_is_plural(np)
    form = base if plural else _third_person(base)
    second = ""
    if m.group("verb2"):
        base2 = _base_verb(m.group("verb2"))
        second = " and " + (
            m.group("verb2") if base2 is None else base2 if plural else _third_person(base2)
        )
    return f"{m.group('how')} {np} {form}{second}"


# "…, Professor Baker said.", "…, the Chief Inspector has recommended": who said it, after the
# action in a news item, is not part of the action.
_ATTRIBUTION_TAIL_RE = re.compile(
    r",\s*(?:(?:the|a|an|cqc[’']s)\s+)?(?:[A-Z][\w.’'-]*|chief|deputy|head|director|spokesperson|"
    r"inspectors?|he|she|they)(?:\s+[\w.’'-]+){0,6}?\s+(?:said|says|added|warned|explained|"
    r"stressed|has\s+recommended|recommended|has\s+said)\s*\.?\s*$"
)

# round 13 (branch round14: report pages written without "must" at the start)

_LATER_TOLD_CLAUSE_RE = re.compile(r",\s*and\s+(?=(?:we|cqc)\s+(?:have\s+|has\s+)?told\b)", re.I)


def _told_vacuous_later_clause(s: str) -> str | None:
    """ "It is essential that the provider addresses this, and we have told it that it must
    make improvements.": the told clause after ", and" names the action as it would alone."""
    m = _LATER_TOLD_CLAUSE_RE.search(s)
    if m is None:
        return None
    clause = s[m.end() :]
    return _told_vacuous_title(clause[:1].upper() + clause[1:])


# "…, as the national standards say they should be" / "the training the provider's policy says
# they should complete": what a rule source says, after the failure the sentence states.
_AS_RULE_SAYS_RE = re.compile(
    r",?\s+as\s+(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,5}?(?:"
    + "|".join(sorted(RULE_SOURCES))
    + r")\s+(?:says?|states?|requires?)\s+(?:that\s+)?(?:they|it)\s+should(?:\s+be)?\s*[.]?$",
    re.I,
)
# "…eight of the 22 care workers had not had supervision since October 2010, which the
# provider's policy says they should have every two months": the rule on what they lacked.
_WHICH_RULE_SAYS_RE = re.compile(
    r"(?:^|\bthat\s+)(?:[\w-]+\s+of\s+(?:the\s+)?\d+\s+)?(?P<np>[\w’'-]+(?:\s+[\w’'-]+)?)\s+"
    r"had\s+not\s+(?:had|received|been\s+given)\s+(?P<obj>[\w’'-]+(?:\s+[\w’'-]+){0,3}?)"
    r"(?:\s+(?:since|for|in)\s+[^,]+)?,\s*which\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}?(?:"
    + "|".join(sorted(RULE_SOURCES))
    + r")\s+(?:says?|states?|requires?)\s+(?:that\s+)?they\s+should\s+(?P<verb>have|receive)\s+"
    r"(?P<rest>[^.;,]+)\.?$",
    re.I,
)
# "…the nurse in charge also had to cover the neighbouring ward, which the trust's escalation
# policy says should happen only in an emergency": the deed, restricted to the rule's case.
_ONLY_IN_CASE_RE = re.compile(
    r"(?:^|,\s*(?:and|but)\s+)(?:on\s+(?:those|these)\s+[a-z]+\s+)?(?P<np>the\s+[\w’' -]+?)\s+"
    r"(?:also\s+|often\s+|sometimes\s+)?had\s+to\s+(?P<vp>[a-z]+\s+[^,;]+?),\s*which\s+"
    r"(?:the\s+|its\s+)?(?:[\w’'-]+\s+){0,4}?(?:"
    + "|".join(sorted(RULE_SOURCES))
    + r")\s+(?:says?|states?)\s+(?:that\s+)?should\s+(?:happen|occur)\s+(?P<only>only\s+[^.;]+)\.?$",
    re.I,
)
# A subject's relative clause of what its people did ("Patients who walked in"): set aside
# when the failure is turned round (its past would read as the past in the action).
_SUBJECT_WHO_PAST_RE = re.compile(
    r"^(?P<np>[A-Z][\w’'-]*(?:\s+[\w’'-]+)?)\s+who\s+[a-z]+ed(?:\s+in|\s+out)?\s+"
)


def _rule_beside_failure_title(s: str, trig: _Trigger | None) -> str | None:
    """The failure, turned round, when the should is a rule source's that the sentence finds
    not kept: "Patients who walked in were not always streamed within 15 minutes of arrival, as
    the national standards say they should be" -> "Ensure patients are streamed within 15
    minutes of arrival"; "Not all care workers had received the training the provider's policy
    says they should complete…" -> "Ensure all care workers have received the training…"."""
    if trig is None or trig.keyword != "should":
        return None
    t = _collapse(s).strip()
    only = _ONLY_IN_CASE_RE.search(t)
    if only is not None:
        verb, _, obj = only.group("vp").partition(" ")
        np = only.group("np")
        return f"Ensure {np} {_third_person(verb)} {obj} {only.group('only')}"
    which = _WHICH_RULE_SAYS_RE.search(t)
    if which is not None:
        np = _lower_first(which.group("np"), True)
        return f"Ensure {np} {which.group('verb')} {which.group('obj')} {which.group('rest')}"
    m = _AS_RULE_SAYS_RE.search(t)
    if m is not None:
        t = t[: m.start()]
    elif not re.match(r"^not\s+all\b", t, re.I):
        return None
    action = failure_as_action(t)
    if action is None:
        who = _SUBJECT_WHO_PAST_RE.match(t)
        if who is not None:
            action = failure_as_action(who.group("np") + " " + t[who.end() :])
    return action


# A company's registered name as the subject: "Meridian Secure Health Limited should reduce…"
# is the provider ("Reduce…", not "Ensure meridian Secure Health Limited reduces…").
_COMPANY_SUBJECT_RE = re.compile(
    r"^(?:[A-Z][\w’'&-]*\s+){1,6}(?:Limited|Ltd|plc|PLC|LLP|CIC)\s+(?=(?:must|should|needs?|needed)\b)"
)

# A second that-clause of the verb of saying, on what happened or will happen: "You explained
# that the practice needed to change its telephone system, and that a new system would be
# installed in June" -> "Change the practice's telephone system" (the step is not the action).
_SECOND_THAT_CLAUSE_RE = re.compile(
    r",\s*and\s+that\s+[^,;]*?\b(?:would|will|had|has|was|were)\s+(?:be\s+|been\s+)?[a-z]+(?:ed|en|n)\b.*$"
)

# A clause after the action saying a step was taken or that CQC has acted: "Reduce the number
# of patients who left before being seen, and a pilot of text updates had started in
# September", "Make sure every plan covers unplanned exits, and we have told the provider to
# take action": not part of the action.
_STEP_TAKEN_RE = re.compile(
    r",\s*and\s+(?:(?:a|an|the)\s+[\w’' -]{1,60}?\s+(?:had|has|was|were)\s+(?:been\s+)?"
    r"(?:started|begun|introduced|planned|drafted|set\s+up|agreed)\b"
    r"|we\s+have\s+told\s+the\s+(?:provider|trust|service)\s+to\s+take\s+action\b)[^;]*$",
    re.I,
)
# "The branch manager recognised that rotas needed to allow travel time": a thing's need
# after a reporting verb and "that", named by a bare plural.
_REPORTED_THING_RE = re.compile(
    r"\bthat\s+(?P<np>[a-z][\w-]*s)\s+(?:needed|need|needs)\s+to\s+(?P<vp>[a-z][^,;.]*)"
)


def _reported_thing_title(title: str, s: str) -> str:
    """A thing's need reported ("…recognised that rotas needed to allow travel time") keeps
    the thing: "Ensure rotas allow travel time", not "Allow travel time" (the bare plural
    was read as the reporters)."""
    m = _REPORTED_THING_RE.search(s)
    if m is None:
        return title
    np, vp = m.group("np"), m.group("vp")
    if np in OTHERS_VOICE or np in PEOPLE_SUBJECTS or np in PROVIDER_SUBJECTS:
        return title
    if title.lower() != vp.lower():
        return title
    return f"Ensure {np} {vp}"


def _modifier_of_a_compound(ws: list[tuple[str, int, int]], context: str, i: int) -> bool:
    """The word at ``i`` is a noun modifying the next one ("training" in "up-to-date training
    information for their own staff"), not a phrase's head: the next word follows after a
    space and is a noun by its form, not a word that ends the phrase."""
    if i + 1 >= len(ws) or context[ws[i][2] : ws[i + 1][1]] != " ":
        return False
    nxt = ws[i + 1][0]
    low = nxt.lower()
    if not nxt.isalpha() or not nxt.islower():
        return False
    # a head noun by its form ("information", "assessment", "records"), and not a word that
    # ends the phrase
    return (low.endswith(_HEAD_NOUN_ENDINGS) or low in ("records", "data")) and not (
        low in PREPOSITIONS or low in BOUNDARY_WORDS or low in _VERBISH
    )


_HEAD_NOUN_ENDINGS = ("tion", "tions", "ment", "ments", "ness", "ity", "ance", "ence")


# round 13

# "The registered provider must, from the date this condition takes effect, keep an electronic
# record…" -> "Keep an electronic record … from the date the condition takes effect": a
# phrase of time set off by commas before the verb goes after the action, its "this" the
# condition the notice is about.
_FRONTED_TIME_RE = re.compile(
    r"^(?P<time>(?:from|until|within|after|before|during)\s+[^,;]{3,80}?),\s+"
    r"(?P<rest>[a-z]+\b[^,;]*)$",
    re.I,
)
# "…, and that hospitals and commissioners needed to work with the trust to reduce…": a
# second reported clause about others working with the provider is theirs, not the action.
_OTHERS_WITH_PROVIDER_TAIL_RE = re.compile(
    r",?\s+and\s+that\s+[a-z][^,;]*?\b(?:needed|need|must|should)\s+to\s+[a-z]+\b[^,;]*?\b"
    r"(?:with|alongside)\s+the\s+(?:trust|provider|practice|home|service|hospital)\b(?![’']).*$",
    re.I,
)
# "Ensure the matron for medicine said staff has more training…": the reporting frame the
# need's clause opened with is not part of the thing needed.
_ENSURE_REPORTED_RE = re.compile(
    r"^(?P<ensure>Ensure\s+)(?:the\s+)?(?!(?:[\w’'-]+\s+){0,4}?(?:is|are|was|were|be|been)\s)"
    r"[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,4}?\s+(?:said|told\s+(?:us|inspectors)|explained)\s+"
    r"(?:that\s+)?(?P<rest>\S.*)$",
    re.I,
)
# "…on every ward, not only on those where it was first introduced": the contrast restates
# where it is done already; "…a practice manager…, a post that had been vacant since
# November": an apposition saying what was found. Neither is part of the action.
_FINDING_APPOSITION_RE = re.compile(
    r",\s+(?:not\s+only\s+(?:on|in|at|for)\b|a\s+(?:post|role|position|vacancy)\s+(?:that|which)\s+"
    r"(?:had|has)\s+been\b).*$",
    re.I,
)
# "…from rural areas, following an unannounced review of its services in April": when CQC
# looked is not part of the action.
_FOLLOWING_REVIEW_RE = re.compile(
    r",\s+(?:following|after)\s+(?:an?|its|our|the|this)\s+(?:[\w-]+\s+){0,2}"
    r"(?:inspection|review|visit)\b[^,;]*$",
    re.I,
)
# "…and CQC has told the trust it must take action on both": "both" is the two named before
# it in the sentence ("the standards on the care and welfare of people who use services and
# on staffing").
_BOTH_RE = re.compile(r"\bon\s+both$", re.I)
_NAMED_PAIR_RE = re.compile(
    r"\bthe\s+(?P<pair>(?:standards?|areas?|outcomes?|regulations?)\s+(?:on|of|for)\s+[^,;]+?"
    r"\s+and\s+(?:on\s+|of\s+|for\s+)?[^,;]+?)(?=,|;|\.|$)",
    re.I,
)


def _round13_title(title: str, s: str) -> str:
    fronted = _FRONTED_TIME_RE.match(title)
    if fronted is not None:
        time = re.sub(r"\bthis\s+(?=condition|notice)", "the ", fronted.group("time"), flags=re.I)
        rest = fronted.group("rest")
        title = rest[:1].upper() + rest[1:] + " " + time[:1].lower() + time[1:]
    title = _OTHERS_WITH_PROVIDER_TAIL_RE.sub("", title)
    reported = _ENSURE_REPORTED_RE.match(title)
    if reported is not None:
        rest = re.sub(r"^staff\s+has\b", "staff have", reported.group("rest"))
        title = reported.group("ensure") + rest
    title = _FOLLOWING_REVIEW_RE.sub("", title)
    cut = _FINDING_APPOSITION_RE.search(title)
    if cut is not None and len(title[: cut.start()].split()) >= 3:
        title = title[: cut.start()]
    if _BOTH_RE.search(title):
        pair = _NAMED_PAIR_RE.search(s)
        if pair is not None:
            title = _BOTH_RE.sub("on the " + pair.group("pair"), title)
    return title


def breach_subject_it(title: str, row: str) -> str:
    """A breach row's "it" is its subject, the provider: "The provider did not use the
    information it had about missed calls…" -> "Use the information the provider had…"."""
    m = re.match(r"^\W*the\s+(provider|registered\s+person|trust|practice|home)\b", row, re.I)
    if m is None:
        return title
    return re.sub(r"\bit\s+(?=had|has|held|kept|received)\b", f"the {m.group(1).lower()} ", title)


# "There should be trained staff on duty": the modal's subject is "there".
_THERE_MODAL_BE_RE = re.compile(
    r"^\W*there\s+(?:should|must)\s+(?:also\s+|always\s+)?be\s+(?P<what>(?!able\b)[^;]{3,})$", re.I
)


def _indefinite_article(word: str) -> str:
    """ "a" or "an" by the sound the phrase opens with ("an hourly check", "a usable one")."""
    low = word.lower()
    if re.match(r"(?:hour|honest|honou?r|heir)", low):
        return "an"
    if re.match(r"(?:uni|use|usa|usu|ur[aeio]|eu|one\b|once\b)", low):
        return "a"
    return "an" if low[:1] in "aeiou" else "a"


# "…had also found that medicines fridges on two wards had not been checked every day, and that
# the trust needed to address this": the failure reported first, which "this" points at.
_REPORTED_FAILURE_RE = re.compile(
    r"\bthat\s+(?P<failure>[^,;]+?\b(?:not|never)\b[^,;]+?),\s+and\s+that\s+", re.I
)


def _reported_failure_pointed_at(title: str, s: str) -> str:
    if not re.match(
        r"^(?:address|improve|tackle|resolve|fix|rectify|remedy)\s+(?:this|it)\W*$", title, re.I
    ):
        return title
    m = _REPORTED_FAILURE_RE.search(s)
    if m is None:
        return title
    failure = m.group("failure")
    turned = _failure_as_action(failure[:1].upper() + failure[1:])
    return turned or title
