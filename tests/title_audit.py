"""Titles of the tuning corpus and the seen split that do not stand alone (issue 11 item 1).

Imports every document of tests/test_extract.py's DOCUMENTS, and with ``--seen`` every
document of tests/corpus/seen/ (the 28 promoted from the blind split, with the "should"
findings as the scorer takes them), in-process (never anything under tests/corpus/blind/),
and lists the titles a board member could not read without their paragraph. Run it as
``.venv/bin/python -m tests.title_audit`` (or ``… --seen``); tests/test_titles_corpus.py
asserts there are none on either.

Hard findings (the test forbids them):
- ``pronoun``: "this", "these", "those", "it", "its", "they", "them" or "their" used as a
  reference ("Update it", "Make improvements to its…"), not the dummy "it is"/"it was";
  also "it" whose only candidate is people ("every member of staff completes it") and a
  bare "one" ("decide whether to buy one");
- ``short``: fewer than 3 words ("Improve");
- ``cut``: ending in "…" (titles are stored whole);
- ``not-an-action``: the title opens with neither a verb nor a "Topic: verb…" label ("The
  trust did not have enough nursing staff…", "And more midwives were needed…");
- ``regulation-first``: a regulation or outcome number before its name, or the Act's name
  ("Meet Regulation 12 HSCA RA Regulations 2014 Safe care and treatment");
- ``odd-capital``: a capital after a lone verb's colon ("Improve: Care and welfare…");
- ``finding-tail``: a finding after a semicolon ("…every month; the last audit was in July");
- ``names-provider``: the provider's full name ("…Kingsbridge University Hospitals NHS
  Trust…"), which in its own plan only repeats what the report is about;
- ``repeated``: the same title as another requirement of the same document that is not the
  same sentence (the same sentence twice is one action: import keeps it once).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from cpft_tracker.documents import read_document
from cpft_tracker.extract import extract_requirements
from cpft_tracker.extract.titles import _base_verb
from cpft_tracker.extract.words import IMPERATIVE_VERBS, VERB_OPENERS
from tests.test_extract import DOCUMENTS

SEEN = Path(__file__).resolve().parent / "corpus" / "seen"


def seen_documents() -> dict[str, Path]:
    """The seen split's documents by name (their annotations and README left out)."""
    return {
        p.stem: p
        for p in sorted(SEEN.iterdir())
        if p.is_file() and p.suffix != ".tsv" and p.name != "README.md"
    }


HARD = (
    "pronoun",
    "short",
    "cut",
    "not-an-action",
    "regulation-first",
    "odd-capital",
    "finding-tail",
    "names-provider",
    "repeated",
)

# A reference pronoun; the dummy subject of "it is/was/has been …" or "it is important that"
# refers to nothing and is allowed, as are "that" and "this" before a noun the title names.
_PRONOUN_RE = re.compile(r"\b(?:this|these|those|they|them|their|its|it)\b", re.I)
_DUMMY_IT_RE = re.compile(r"\bit\s+(?:is|was|has\s+been|had\s+been|will\s+be)\b", re.I)
# "this/these/those <noun>": a demonstrative before a noun still points back ("these
# risks"), so it counts unless the noun phrase is self-explanatory ("this year").
_TIME_AFTER_DEMONSTRATIVE = frozenset("year month week time inspection visit report".split())


@dataclass(frozen=True)
class Finding:
    document: str
    position: int
    kind: str
    title: str


_PEOPLE_OR_PLURAL_RE = re.compile(
    r"\b(?:staff|people|patients|carers|leaders|managers|nurses|doctors|team|teams|"
    r"everyone|members|children|families|residents|[a-z]{3,}s)\b"
    # one person, whose "their" is the singular they ("every agency nurse … before their
    # first shift")
    r"|\b(?:every|each|any|a|an|the)\s+(?:[\w’'-]+\s+){0,2}?(?:nurse|person|member|patient|"
    r"resident|manager|doctor|worker|carer|child|prisoner|clinician|midwife|dentist|leader|"
    r"user|relative|employee|applicant)\b",
    re.I,
)
_NAMED_RE = re.compile(r"\b(?:the|a|an|every|each|any)\s+[\w’'-]+|\b[A-Z][a-z]+\s+[A-Z]\w+")
# "found it difficult to…", "make it easier to…": "it" stands for the "to" clause after it.
_ANTICIPATORY_IT_RE = re.compile(
    r"\bit\s+(?:\w+\s+)?(?:difficult|hard|easy|easier|possible|clear)\b"
)


def pronoun_in(title: str) -> str | None:
    """The first pronoun of a title that refers to nothing the title itself names, or None.

    "this", "these" and "those" always point back to the paragraph (unless a time follows:
    "this year"). "they", "them" and "their" are resolved when a plural noun or people come
    before them in the title ("all staff before they start work"), "it" and "its" when a
    named thing does ("a strategy … and share it", "the hospice … its services"); the dummy
    "it is …" and the "it" of "found it difficult to…" refer to nothing and are allowed.
    """
    for m in _PRONOUN_RE.finditer(title):
        word = m.group(0).lower()
        earlier = title[: m.start()]
        if word in ("this", "these", "those"):
            after = title[m.end() :].split()
            if after and after[0].lower().strip(".,;:") in _TIME_AFTER_DEMONSTRATIVE:
                continue
            return m.group(0)
        if word in ("they", "them", "their"):
            if _PEOPLE_OR_PLURAL_RE.search(earlier):
                continue
            return m.group(0)
        if _DUMMY_IT_RE.match(title, m.start()) or _ANTICIPATORY_IT_RE.match(title, m.start()):
            continue
        named = [n.start() for n in _NAMED_RE.finditer(earlier)]
        if any(not _PEOPLE_NAMED_RE.match(earlier, at) for at in named):
            continue  # a thing named before it ("the strategy … share it")
        return m.group(0)
    one = _ONE_RE.search(title)
    if one and not _NAMED_RE.search(title[: one.start()].split(" or ")[-1]):
        return one.group(1)
    return None


# A named phrase that is people, which "it" cannot stand for ("every clinical member of staff").
_PEOPLE_NAMED_RE = re.compile(
    r"(?:the|a|an|every|each|any)\s+(?:[\w’'-]+\s+)?(?:staff|member|people|person|patient|"
    r"nurse|manager|leader|clinician|doctor)",
    re.I,
)
# "buy one", "have one": "one" standing for a thing the title does not name.
_ONE_RE = re.compile(
    r"\b(?:buy|get|have|install|appoint|order|purchase|provide)\s+(one)\b(?!\s+of)"
)


# Verbs the "-ed" test cannot see ("restarted", "decided", "bought" are not in the participle
# table): checked by hand in the tuning corpus's titles.
_MORE_VERBS = frozenset(
    "reset restart decide become buy supply service cover visit book return fit bring have find rewrite pay".split()
)
_ADVERBS = frozenset(
    "further now also urgently promptly always only routinely regularly consistently never"
    " immediately".split()
)
_NOT_VERBS = frozenset("the a an and or but many more some all this these that there".split())


def _opens_with_action(title: str) -> bool:
    """Whether a title opens with an imperative verb (after an adverb: "Further develop…"),
    or with a "Topic: verb…" label. Approximate (a word is taken as a verb when it takes
    "-ed" as verbs do), so this finding is listed, not asserted."""
    head, colon, tail = title.partition(": ")
    if colon and tail and _verb_first(tail):
        return True  # "Co-production: develop further…"
    return _verb_first(title)


def _verb_first(title: str) -> bool:
    words = [w.lower().strip(",.;:") for w in title.split()]
    while words and words[0] in _ADVERBS:
        words = words[1:]
    if not words:
        return False
    low = words[0]
    if low in IMPERATIVE_VERBS or low in VERB_OPENERS or low in _MORE_VERBS:
        return True
    if low in _NOT_VERBS or (low.endswith("s") and not low.endswith("ss")):
        return False
    if low.endswith(("ing", "ed", "ly")):
        return False
    return _base_verb(low + "ed") == low or _base_verb(low + "d") == low


_REGULATION_FIRST_RE = re.compile(
    r"^(?:meet\s+)?(?:regulation|outcome)\s+\d+[A-Z]?\b(?:\s*\([^)]*\))*\s*[:–-]?\s*[A-Z]"
    r"|\bHSCA\b|\bRegulated\s+Activities\b",
    re.I,
)
_ODD_CAPITAL_RE = re.compile(r"^[A-Z][a-z]+(?:\s+[a-z]+)?:\s+[A-Z][a-z]")
_PROVIDER_NAME_RE = re.compile(
    r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*\s+(?:NHS\s+(?:Foundation\s+)?Trust|Limited|Ltd|plc)\b"
)


def kinds_of(title: str) -> list[str]:
    """The findings for one title (all but ``repeated``, which needs the whole document)."""
    kinds: list[str] = []
    if pronoun_in(title):
        kinds.append("pronoun")
    if len(title.split()) < 3:
        kinds.append("short")
    if title.rstrip().endswith(("…", "...")):
        kinds.append("cut")
    if not _opens_with_action(title):
        kinds.append("not-an-action")
    if _REGULATION_FIRST_RE.search(title):
        kinds.append("regulation-first")
    if _ODD_CAPITAL_RE.match(title):
        kinds.append("odd-capital")
    if ";" in title:
        kinds.append("finding-tail")
    if _PROVIDER_NAME_RE.search(title):
        kinds.append("names-provider")
    return kinds


def findings(
    title_kinds: tuple[str, ...] = HARD,
    documents: Mapping[str, Path] | None = None,
    *,
    include_should: bool = False,
) -> Iterator[Finding]:
    """Every finding over the tuning corpus (or ``documents``), document by document."""
    for name, path in (DOCUMENTS if documents is None else documents).items():
        reqs = extract_requirements(read_document(path).text, include_should=include_should)
        seen: dict[str, str] = {}
        for r in reqs:
            kinds = kinds_of(r.title)
            key = r.title.lower().strip(" .")
            if key in seen and seen[key] != r.text:
                kinds.append("repeated")
            seen.setdefault(key, r.text)
            for k in kinds:
                if k in title_kinds:
                    yield Finding(name, r.position, k, r.title)


def seen_findings(title_kinds: tuple[str, ...] = HARD) -> Iterator[Finding]:
    """Every finding over the seen split, "should" findings included as the scorer takes them."""
    return findings(title_kinds, seen_documents(), include_should=True)


def main(argv: list[str]) -> int:
    kinds = HARD
    found = list(seen_findings(kinds) if "--seen" in argv else findings(kinds))
    for f in found:
        print(f"{f.kind}\t{f.document}#{f.position}\t{f.title}")
    counts = {k: sum(1 for f in found if f.kind == k) for k in kinds}
    print(" ".join(f"{k}={n}" for k, n in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
