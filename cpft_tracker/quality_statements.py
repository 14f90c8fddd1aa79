"""The CQC well-led quality statements, as data.

NAMES is the list a user may choose from (``cpft-tracker qs``, ``retitle``/``classify``);
the extractor classifies each requirement into one of them or None using KEYWORDS below.
"""

from __future__ import annotations

import re
from functools import lru_cache

NAMES: tuple[str, ...] = (
    "Shared direction and culture",
    "Capable, compassionate and inclusive leaders",
    "Freedom to speak up",
    "Workforce equality, diversity and inclusion",
    "Governance, management and sustainability",
    "Partnerships and communities",
    "Learning, improvement and innovation",
    "Environmental sustainability – sustainable development",
)

# Classification keywords, per quality statement.
#
# Each entry is a lower-case word stem or phrase, matched at the start of a word
# ("risk" also matches "risks"; "partner" matches "partnership"). A requirement scores
# one point per keyword it contains and two points for a multi-word phrase (phrases are
# more specific). The statement with the highest score wins; ties go to the statement
# listed first in PRIORITY. No hits at all -> None.
#
# To extend: add a stem to the right tuple. Avoid stems that are common in unrelated
# findings (e.g. "community" alone matches "community mental health services", so only
# "communities" and "local community" are listed).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "Freedom to speak up": (
        "speak up",
        "speaking up",
        "speak-up",
        "freedom to speak",
        "ftsu",
        "whistleblow",
        "guardian",
        "raise concerns",
        "raising concerns",
        "raised concerns",
    ),
    "Workforce equality, diversity and inclusion": (
        "equality",
        "diversity",
        "discriminat",
        "racism",
        "racial",
        "inclusion",
        "inclusive",
        "protected characteristic",
        "wres",
        "wdes",
        "disability",
        "reasonable adjustment",
        "ethnic minorit",
        "minority ethnic",
        "global majority",
        "bame",
        "career progression",
    ),
    "Environmental sustainability – sustainable development": (
        "environmental",
        "sustainability",
        "sustainable development",
        "green plan",
        "carbon",
        "net zero",
        "climate",
    ),
    "Capable, compassionate and inclusive leaders": (
        "leadership team",
        "executive",
        "non-executive",
        "succession",
        "visible",
        "visibility",
        "board development",
        "fit and proper",
        "in their roles",
        "leadership skills",
        "leadership capacity",
        "leadership development",
        "stability of the leadership",
        "leaders",
        "leadership",
    ),
    "Shared direction and culture": (
        "strategy",
        "strategic",
        "vision",
        "culture",
        "values",
        "engagement plan",
        "staff engagement",
        "direction",
        "priorities",
        "closed culture",
        "bullying",
        "harassment",
    ),
    "Governance, management and sustainability": (
        "governance",
        "risk",
        "assurance",
        "assured",
        "data",
        "performance",
        "complaint",
        "finance",
        "financial",
        "audit",
        "oversight",
        "record",
        "policy",
        "policies",
        "compliance",
        "regulation",
        "information",
        "corporate services",
        "mandatory training",
        "staffing",
        "governance process",
        "governance arrangement",
        "governance system",
        "governance framework",
        "board assurance",
        "recruit",
        "retention",
        "retain",
    ),
    "Partnerships and communities": (
        "partner",
        "stakeholder",
        "system working",
        "the system",
        "wider system",
        "integrated care",
        "co-produc",
        "coproduc",
        "co-design",
        "communities",
        "local community",
        "healthwatch",
        "collaborat",
        "people who use services and carers",
        "patient participation",
        "patient panel",
    ),
    "Learning, improvement and innovation": (
        "quality improvement",
        "learning",
        "lessons",
        "innovation",
        "innovative",
        "research",
        "improvement methodology",
        "improvement projects",
        "learn from",
        "learned from",
        "learnt from",
    ),
}

# Tie-break order (first wins).
PRIORITY: tuple[str, ...] = (
    "Freedom to speak up",
    "Workforce equality, diversity and inclusion",
    "Environmental sustainability – sustainable development",
    "Learning, improvement and innovation",
    "Partnerships and communities",
    "Capable, compassionate and inclusive leaders",
    "Shared direction and culture",
    "Governance, management and sustainability",
)


# Every keyword is lower-case ASCII (as the comment above asks), so for a text lower-cased
# first a plain match is the same as the case-insensitive one: the same matches at the same
# places. Except where the text has one of four characters that match an ASCII letter only
# case-insensitively, or do not lower-case to one character of the same kind: dotted and
# dotless I, long s, the Kelvin sign (all such characters, found by trying every one).
_KEYWORDS_ASCII_LOWER = all(
    k.isascii() and k == k.lower() for keys in KEYWORDS.values() for k in keys
)
_CASE_FOLDS_TO_ASCII_RE = re.compile("[\u0130\u0131\u017f\u212a]")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    """One regex for the single words and one for the phrases of each statement."""
    out = []
    for name in PRIORITY:
        words = [k for k in KEYWORDS[name] if " " not in k]
        phrases = [k for k in KEYWORDS[name] if " " in k]

        def alt(items: list[str]) -> re.Pattern[str]:
            if not items:
                return re.compile(r"(?!x)x")
            return re.compile(r"\b(?:" + "|".join(re.escape(i) for i in items) + ")", re.I)

        out.append((name, alt(words), alt(phrases)))
    return tuple(out)


@lru_cache(maxsize=1)
def _lower_patterns() -> tuple[
    tuple[str, tuple[str, ...], re.Pattern[str], tuple[str, ...], re.Pattern[str]], ...
]:
    """The same, case-sensitive, for a text lower-cased first, each with its keywords to
    look for first: a statement none of whose keywords is in the text scores nothing, and
    most are not (this is several times faster than matching case-insensitively)."""
    out = []
    for name, words, phrases in _patterns():
        wds = tuple(k for k in KEYWORDS[name] if " " not in k)
        phs = tuple(k for k in KEYWORDS[name] if " " in k)
        out.append(
            (
                name,
                wds,
                re.compile(words.pattern, words.flags & ~re.I),
                phs,
                re.compile(phrases.pattern, phrases.flags & ~re.I),
            )
        )
    return tuple(out)


def _scores(source: str) -> list[tuple[str, int]]:
    """Each statement's score for ``source``, in PRIORITY order."""
    if _KEYWORDS_ASCII_LOWER and _CASE_FOLDS_TO_ASCII_RE.search(source) is None:
        low = source.lower()
        return [
            (
                name,
                (len(words.findall(low)) if any(k in low for k in wds) else 0)
                + (2 * len(phrases.findall(low)) if any(k in low for k in phs) else 0),
            )
            for name, wds, words, phs, phrases in _lower_patterns()
        ]
    return [
        (name, len(words.findall(source)) + 2 * len(phrases.findall(source)))
        for name, words, phrases in _patterns()
    ]


def classify(text: str, context: str = "") -> str | None:
    """The quality statement a requirement belongs to, by keyword score; None if nothing fits.

    The requirement sentence is scored first; when it has no keyword at all, the
    paragraph or bullet around it (``context``) is scored instead.
    """
    for source in (text, context):
        if not source:
            continue
        best: str | None = None
        best_score = 0
        for name, score in _scores(source):
            if score > best_score:
                best, best_score = name, score
        if best is not None:
            return best
    return None


def match_name(text: str) -> str | None:
    """The quality statement a user meant, matched case-insensitively on a unique prefix/substring."""
    wanted = " ".join(text.lower().replace("-", " ").replace("–", " ").split())
    if not wanted:
        return None
    norm = {n: " ".join(n.lower().replace("-", " ").replace("–", " ").split()) for n in NAMES}
    exact = [n for n, v in norm.items() if v == wanted]
    if exact:
        return exact[0]
    hits = [n for n, v in norm.items() if v.startswith(wanted)] or [
        n for n, v in norm.items() if wanted in v
    ]
    return hits[0] if len(hits) == 1 else None
