"""Why each requirement was taken, how sure the extractor is, and which deserve a look.

Every ``Requirement`` records ``rule`` (which rule took it, see RULES), ``matched`` (the words
that matched) and ``confidence``:

- ``"high"``: the wording leaves no real doubt: a bullet under a MUST/needs lead-in, an item
  of a notice's list, "<the provider> must …", "<X> needs to be <done>" or "<the provider>
  needs to …";
- ``"medium"``: a requirement by its wording, but on someone other than the provider ("staff
  needed to record…"), or phrased as a finding ("improvements were needed", "there was a
  need to…", "needs <something>", "in need of"), or advisory ("should");
- ``"low"``: the words could also be read another way: a must deep in a long sentence
  (more likely part of a description), or a bullet under a lead-in that neither opens with
  a verb nor states a must/need of its own (perhaps page furniture or a note).

``needs_review`` names the requirements of one report that a person should look at: the
low-confidence ones, possible duplicates, and titles that still lean on their paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from cpft_tracker.extract.rules import reported_by_others, told_summary_naming_nothing
from cpft_tracker.models import EXTRACTION_RULES

# rule name -> what it means: kept in models (the shared vocabulary) so that `show` can
# name a rule without importing the extractor (~70 ms of start-up; issue 10)
RULES = EXTRACTION_RULES
_KIND_RULE = {
    "must": "must",
    "should": "should",
    "to_active": "need_to",
    "to_passive": "need_to_be",
    "be_needed": "be_needed",
    "verb_object": "needs_object",
    "needing": "needing",
    "in_need_of": "in_need_of",
    "there": "there_is_a_need",
    "told_to": "told_to",
}
CONFIDENCES = ("high", "medium", "low")
# Subjects that are the provider itself (or its leaders): a requirement on them is the
# plainest kind ("The trust must…", "Leaders needed to…").
PROVIDER_HEADS = frozenset(
    """trust provider practice service home hospital organisation board leaders leadership
    management manager managers partners executive executives it""".split()
)
# A must this far into a sentence (characters) is probably inside a longer description.
LATE_TRIGGER_CHARS = 200
_STANDALONE = frozenset("this these those it they them".split())


def rule_for(kind: str | None, unit_kind: str) -> str:
    """The rule name for a trigger kind (None: taken as a lead-in's list item)."""
    if unit_kind == "notice":
        return "notice_item"
    if unit_kind == "breach_row":
        return "breach_row"
    if unit_kind == "bullet":
        return "leadin_bullet"
    return _KIND_RULE.get(kind or "", "must")


def confidence_for(
    rule: str,
    *,
    subject: str | None,
    trigger_at: int,
    verb_first: bool,
    scope: str | None,
    own_trigger: bool = False,
) -> str:
    """How sure the extractor is (see the module docstring for what each level means)."""
    provider = subject in PROVIDER_HEADS
    if rule == "notice_item":
        return "high"
    if rule == "leadin_bullet":
        if not (verb_first or own_trigger):
            return "low"
        return "medium" if scope == "should" else "high"
    if rule == "must" and trigger_at > LATE_TRIGGER_CHARS:
        return "low"
    if rule == "should":
        return "medium"
    if rule in ("must", "need_to"):
        return "high" if provider else "medium"
    if rule == "need_to_be":
        return "high"
    return "medium"


class _Reviewable(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def confidence(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def possible_duplicates(self) -> tuple[int, ...]: ...


def needs_review(requirements: Sequence[_Reviewable]) -> list[tuple[int, str]]:
    """(position, reason) for the requirements of one report that deserve a human look,
    in document order; the reason is plain English ("; " between several)."""
    out: list[tuple[int, str]] = []
    for r in requirements:
        words = {w.strip(".,;:()“”\"'‘’").lower() for w in r.title.split()}
        reasons = []
        if r.confidence == "low":
            reasons.append(f"not sure it is a requirement ({RULES[r.rule]})")
        if r.possible_duplicates:
            others = ", ".join(f"#{p}" for p in r.possible_duplicates)
            reasons.append(f"may state the same thing as {others}")
        if words & _STANDALONE:
            reasons.append("the title may need its paragraph to make sense")
        if len(requirements) > 1 and told_summary_naming_nothing(r.text):
            reasons.append(
                "CQC's summary that it told the provider to improve: it may only sum up the "
                "other actions (reject it if they cover it)"
            )
        if r.rule != "told_to" and reported_by_others(r.text):
            reasons.append(
                "someone CQC spoke to said this; it is not CQC's own finding (accept it if the "
                "trust must act on it)"
            )
        if reasons:
            out.append((r.position, "; ".join(reasons)))
    return out
