"""Possible duplicates: requirements of one report that state the same thing.

A report often states a finding twice: once in its summary and again in the detailed
section ("Co-production … was at an early stage" in both). Two requirements are possible
duplicates when the content words of their sentences (stemmed, without function words and
the words every requirement uses) overlap by at least ``DUPLICATE_THRESHOLD`` (Jaccard:
shared words / all words of the two). The paragraph each sits in counts too, with a lower
weight, so that "this" in both refers to the same topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from cpft_tracker.extract.words import DUPLICATE_STOPWORDS, STEM_SUFFIXES

# How much the two sentences (and, weighted lower, their paragraphs) must share.
DUPLICATE_THRESHOLD = 0.4
# Beyond this many requirements in one document (a real report has tens), only sentences with
# the same content words are paired: comparing every pair would be quadratic.
MAX_COMPARED = 400
# The paragraph's share of the score (the sentence has the rest).
CONTEXT_WEIGHT = 0.3

_WORD_RE = re.compile(r"[a-z][a-z’'\-]+")


class _HasText(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def context(self) -> str: ...


def stem(word: str) -> str:
    """A crude English stem: "developments" / "developed" / "developing" -> "develop"."""
    w = word.lower().replace("’", "'").rstrip("'s").strip("-'")
    for suffix in STEM_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def content_words(text: str) -> frozenset[str]:
    """The stemmed content words of a text (function words and requirement words left out)."""
    out = set()
    for w in _WORD_RE.findall(text.lower()):
        if w in DUPLICATE_STOPWORDS:
            continue
        s = stem(w)
        if s and s not in DUPLICATE_STOPWORDS and len(s) > 2:
            out.add(s)
    return frozenset(out)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def similarity(a: _HasText, b: _HasText) -> float:
    """0..1: how much two requirements say the same thing (sentence, then paragraph)."""
    sentence = _jaccard(content_words(a.text), content_words(b.text))
    if a.context == b.context:
        return sentence  # two sentences of one paragraph: the paragraph says nothing more
    context = _jaccard(content_words(a.context), content_words(b.context))
    return (1 - CONTEXT_WEIGHT) * sentence + CONTEXT_WEIGHT * context


def _same_words(requirements: Sequence[_HasText]) -> list[tuple[int, int, float]]:
    groups: dict[frozenset[str], list[int]] = {}
    for i, r in enumerate(requirements):
        groups.setdefault(content_words(r.text), []).append(i)
    pairs: list[tuple[int, int, float]] = []
    for members in groups.values():
        # each with the first of its group only: n-1 pairs, not n²/2
        pairs.extend((members[0], j, 1.0) for j in members[1:])
    return sorted(pairs)


def possible_duplicates(
    requirements: Sequence[_HasText], *, threshold: float = DUPLICATE_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score), 0-based indexes with i < j, that may state the same requirement.

    Quadratic in the number of requirements of one report (tens, rarely a few hundred), so
    beyond ``MAX_COMPARED`` requirements only sentences with the same words are paired
    (grouped in one pass).
    """
    if len(requirements) > MAX_COMPARED:
        return _same_words(requirements)
    words = [(content_words(r.text), content_words(r.context)) for r in requirements]
    pairs: list[tuple[int, int, float]] = []
    for i in range(len(requirements)):
        for j in range(i + 1, len(requirements)):
            if requirements[i].text == requirements[j].text:
                pairs.append((i, j, 1.0))
                continue
            sentence = _jaccard(words[i][0], words[j][0])
            if requirements[i].context == requirements[j].context:
                score = sentence
            else:
                context = _jaccard(words[i][1], words[j][1])
                score = (1 - CONTEXT_WEIGHT) * sentence + CONTEXT_WEIGHT * context
            if score >= threshold:
                pairs.append((i, j, round(score, 3)))
    return pairs
