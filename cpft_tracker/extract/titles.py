"""Titles: a requirement sentence -> a title that reads as an action."""

from __future__ import annotations

import re

from cpft_tracker.extract.rules import (
    _BE_WORDS,
    _tokens_after,
    _tokens_before,
    _Trigger,
)
from cpft_tracker.extract.units import (
    _collapse,
)
from cpft_tracker.extract.words import (
    ACTION_NOUN_VERBS,
    BOUNDARY_WORDS,
    IRREGULAR_PARTICIPLES,
    NOUN_DETERMINERS,
    OBJECT_NOUNS,
    OBJECT_STARTERS,
    PARTICIPLE_SUFFIXES,
    REGULATOR_SUBJECTS,
    SKIP_BEFORE_KEYWORD,
    SUBORDINATORS,
    TITLE_PRONOUNS,
    TITLE_TRAILING,
)

# ===========================================================================
# Titles
# ===========================================================================


_LIST_TAIL_RE = re.compile(r"[\w’'-]+(?:, [\w’'-]+)*,? (?:and|or) ")


def _finish_title(t: str) -> str:
    """Capitalise, trim trailing punctuation, keep to 80 characters at a word boundary."""
    t = _collapse(t).strip(" .;:,")
    if not t:
        return ""
    if t[0].islower():
        t = t[0].upper() + t[1:]
    if len(t) <= 80:
        return t
    for sep in (", ", "; ", " – ", " — ", " - "):
        k = t.find(sep, 35, 81)
        if k != -1 and sep == ", " and _LIST_TAIL_RE.match(t[k + 2 :]):
            continue  # a comma inside "suitably qualified, competent, skilled and experienced"
        if k != -1 and not re.match(r"(?:including|such as|e\.g\.|for example)\b", t[k + 2 :]):
            return t[:k].rstrip(" ,;")
    cut = t[:79]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    words = cut.split(" ")
    while len(words) > 3 and words[-1].lower().strip(",;:") in TITLE_TRAILING:
        words.pop()
    return " ".join(words).rstrip(" ,;:.–-") + "…"


def _base_verb(word: str) -> str | None:
    w = word.lower()
    if w in IRREGULAR_PARTICIPLES:
        return IRREGULAR_PARTICIPLES[w]
    for suffix, repl in PARTICIPLE_SUFFIXES:
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return w[: -len(suffix)] + repl
    return None


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
    return phrase


def _clause_from(s: str, pos: int) -> str:
    """The sentence from the start of the clause containing ``pos``."""
    best = 0
    for m in re.finditer(r"[,;:]\s+|\b(?:but|whilst|while|although|however)\s+", s[:pos], re.I):
        best = m.end()
    return s[best:]


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
    span = _subject_np(s, trig.key_start)
    if span is None:
        span = _sentence_subject(s)
        if span is None:
            return None
    subject = _lower_first(s[span[0] : span[1]], span[0] == 0)
    head = subject.split()[-1].lower() if subject.split() else ""
    if subject.lower() in ("more", "this", "it", "that") or head in REGULATOR_SUBJECTS:
        return None
    return " and ".join(verbs) + " " + subject + (" " + remainder if remainder else "")


def _plural(subject: str) -> bool:
    head = subject.split()[-1].lower() if subject.split() else ""
    return head in ("staff", "they", "teams", "people") or (
        head.endswith("s") and not head.endswith("ss")
    )


def _action_title(s: str, span: tuple[int, int], obj_from: int) -> str | None:
    """ "X needed (further) development / strengthening" -> "(Further) develop / Strengthen X"."""
    after = _tokens_after(s, obj_from, 3)
    modifier = ""
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
    subject = _lower_first(s[span[0] : span[1]], span[0] == 0)
    rest = s[after[0][2] :]
    tail = rest if re.match(r"\s+(?:to|so|in|on|of|for|across|with|by)\b", rest) else ""
    return f"{modifier}{verb} {subject}{tail}"


def _pronoun_title(s: str, trig: _Trigger) -> str | None:
    """ "Staff did not always complete X, and this needed improvement" -> "Improve: staff
    did not always complete X" (the finding before the pronoun, led by the action)."""
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
    return f"{verb}: {_lower_first(finding, True)}"


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


def _make_title(s: str, trig: _Trigger | None, bullet: bool) -> str:
    """A short action title for a requirement sentence."""
    title: str | None = None
    if trig is None:
        title = s  # a verb-first bullet under a lead-in: it already reads as an action
    elif trig.kind in ("must", "should"):
        rest = s[trig.key_end :].lstrip()
        low = rest.lower()
        if low.startswith("not "):
            title = "Do not " + rest[4:]
        elif low.startswith("be able to ") and (able := _subject_np(s, trig.key_start)):
            subject = _lower_first(s[able[0] : able[1]], able[0] == 0)
            title = f"Ensure {subject} {'are' if _plural(subject) else 'is'} {rest[3:]}"
        elif low.startswith("be ") and not low.startswith("be able"):
            title = _passive_title(s, trig, trig.key_end)
            if title is None:
                span = _subject_np(s, trig.key_start)
                title = s[span[0] :] if span else _clause_from(s, trig.key_start)
        else:
            title = rest
    elif trig.kind == "to_active":
        title = s[trig.end :]
    elif trig.kind == "to_passive":
        title = _passive_title(s, trig, trig.end)
        if title is None:
            title = _clause_from(s, trig.key_start)
    elif trig.kind == "verb_object":
        span = _subject_np(s, trig.key_start)
        pronoun = _pronoun_title(s, trig) if span is None else None
        if span is None and pronoun is None:
            span = _sentence_subject(s)  # "X was new and needed further development"
        if span and s[span[0] : span[1]].lower() in TITLE_PRONOUNS:
            span, pronoun = None, _pronoun_title(s, trig)  # "… and this needed improvement"
        obj = s[trig.key_end :].strip()
        first = obj.split(" ", 1)[0].lower() if obj else ""
        action = _action_title(s, span, trig.key_end) if span else pronoun
        if action:
            title = action
        elif span and (first in OBJECT_STARTERS or first in OBJECT_NOUNS):
            subject = _lower_first(s[span[0] : span[1]], span[0] == 0)
            title = f"Ensure {subject} {'have' if _plural(subject) else 'has'} {obj}"
        else:
            title = _clause_from(s, trig.key_start)
    elif trig.kind == "there" and s[: trig.end].lower().endswith("to"):
        title = s[trig.end :]  # "There was a need to strengthen X" -> "Strengthen X"
    elif trig.kind == "be_needed":
        title = _improve_in_title(s, trig) or _clause_from(s, trig.key_start)
    else:
        title = _clause_from(s, trig.key_start)
    if title and re.fullmatch(r"\w+ (?:it|them)\W*", title.strip()):
        # "more needed to be done to improve it": say what "it" is when the sentence opens
        # with it ("Patient feedback on telephone access was below the local average…")
        span = _sentence_subject(s)
        if span:
            verb = title.strip().split(" ", 1)[0]
            title = f"{verb} {_lower_first(s[span[0] : span[1]], True)}"
    out = _finish_title(title or s)
    return out or _finish_title(s) or s[:80]
