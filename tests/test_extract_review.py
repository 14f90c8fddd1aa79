"""Why each requirement was taken, how sure the extractor is, and possible duplicates
(issue 11 items 2 and 3, the extractor's half)."""

from __future__ import annotations

from pathlib import Path

from cpft_tracker.documents import read_document
from cpft_tracker.extract import (
    RULES,
    Requirement,
    extract_requirements,
    needs_review,
    possible_duplicates,
)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "cqc-cpft-well-led-assessment-2025-07-17.txt"
CORPUS = ROOT / "tests" / "corpus"


def bundled() -> list[Requirement]:
    return extract_requirements(BUNDLED.read_text(encoding="utf-8"))


def test_the_two_co_production_findings_are_the_only_possible_duplicates() -> None:
    reqs = bundled()
    pairs = [(reqs[i].position, reqs[j].position) for i, j, _ in possible_duplicates(reqs)]
    assert pairs == [(10, 14)]
    assert all(reqs[p - 1].context.startswith("Co-production") for p in pairs[0])
    marked = {r.position: r.possible_duplicates for r in reqs if r.possible_duplicates}
    assert marked == {10: (14,), 14: (10,)}


def test_a_summary_repeated_in_the_detail_is_a_possible_duplicate() -> None:
    text = read_document(CORPUS / "gp-practice-2016.txt").text
    reqs = extract_requirements(text, include_should=True)
    fire = [r.position for r in reqs if r.text.startswith("Ensure that a fire risk assessment")]
    assert len(fire) == 2
    first = reqs[fire[0] - 1]
    assert first.possible_duplicates == (fire[1],)


def test_requirements_on_different_things_are_not_duplicates() -> None:
    text = (
        "The trust must ensure that ligature risks on Beech Ward are assessed.\n\n"
        "The trust must ensure that medicines are stored at the right temperature.\n\n"
        "Leaders needed to improve how complaints were answered.\n"
    )
    reqs = extract_requirements(text)
    assert len(reqs) == 3
    assert possible_duplicates(reqs) == []
    assert all(r.possible_duplicates == () for r in reqs)


def test_each_requirement_says_which_rule_took_it_and_how_sure() -> None:
    reqs = bundled()
    for r in reqs:
        assert r.rule in RULES
        assert r.confidence in ("high", "medium", "low")
    first = reqs[0]
    assert (first.rule, first.matched, first.confidence) == ("must", "must ensure", "high")
    area = next(r for r in reqs if "area needing" in r.text)
    assert (area.rule, area.matched) == ("needing", "needing")
    assert area.confidence == "medium"


def test_lead_in_bullets_are_sure_when_they_read_as_actions() -> None:
    text = (
        "Action the trust MUST take to improve\n"
        "- Ensure that there are enough nurses on the medical wards.\n"
        "- The trust must review the storage of medicines in theatres.\n"
        "- Theatres and recovery.\n"
    )
    reqs = {r.text: r for r in extract_requirements(text)}
    assert reqs["Ensure that there are enough nurses on the medical wards."].confidence == "high"
    assert reqs["The trust must review the storage of medicines in theatres."].confidence == "high"
    odd = reqs["Theatres and recovery."]
    assert (odd.rule, odd.confidence) == ("leadin_bullet", "low")


def test_review_names_the_few_that_deserve_a_look_and_says_why() -> None:
    reqs = bundled()
    assert needs_review(reqs) == [
        (10, "may state the same thing as #14"),
        (14, "may state the same thing as #10"),
    ]
    text = "Action the trust MUST take to improve\n- Theatres and recovery.\n"
    ((position, reason),) = needs_review(extract_requirements(text))
    assert position == 1
    assert reason.startswith("not sure it is a requirement (a list item under a lead-in")


def test_cqc_s_summary_of_what_it_told_the_provider_is_taken_and_offered_for_review() -> None:
    """Alone (a news item), "We told the trust that it must take action to bring services into
    line with legal requirements" is the requirement; beside the actions it sums up, import
    asks a person whether it only repeats them."""
    summary = "We told the trust that it must take action to bring services into line with legal requirements."
    alone = extract_requirements(f"News\n\n{summary}\n")
    assert [(r.text, r.keyword) for r in alone] == [(summary, "must")]
    assert needs_review(alone) == []
    text = (
        f"Summary of findings\n\n{summary}\n\nAction the trust MUST take to improve\n"
        "- The trust must ensure that there are enough nurses on the medical wards.\n"
    )
    reqs = extract_requirements(text)
    assert [r.text for r in reqs] == [
        summary,
        "The trust must ensure that there are enough nurses on the medical wards.",
    ]
    ((position, reason),) = needs_review(reqs)
    assert position == 1 and "may only sum up the other actions" in reason
    # the lead-in of a list and a past inspection's requirement stay out
    leadin = "Inspectors have told the trust that it must take action in the following areas:"
    assert extract_requirements(f"News\n\n{leadin}\n") == []


def test_a_need_someone_told_cqc_about_is_taken_and_offered_for_review() -> None:
    """What a manager told CQC is evidence CQC reports, not its own finding: import takes it
    (the corpus's convention: the provider's own people admitting a need) and asks a person
    whether the trust must act on it. What a relative or a member of staff said is not taken
    at all (the reported-speech convention). CQC's own finding, what CQC's chief inspector
    said, and what CQC told the provider are not asked about."""
    text = (
        "Is the service safe?\n\n"
        "Ward managers told us they needed two more nurses on each shift.\n"
        "The registered manager said the home needed more staff at weekends.\n"
        "A relative said the home needed more staff at weekends.\n"
        "Staff told us they needed more training on the new infusion pumps.\n"
        "The trust must ensure that there are enough nurses on the medical wards.\n"
        "Sir Mike said the trust also needed to address the backlog of outpatient appointments.\n"
        "We told the trust it must improve how it handles complaints.\n"
    )
    reqs = extract_requirements(text)
    assert len(reqs) == 5
    assert not any(r.text.startswith(("A relative", "Staff told")) for r in reqs)
    flagged = {
        reqs[p - 1].text: reason
        for p, reason in needs_review(reqs)
        if "someone CQC spoke to said this" in reason
    }
    assert set(flagged) == {
        "Ward managers told us they needed two more nurses on each shift.",
        "The registered manager said the home needed more staff at weekends.",
    }
    assert all("accept it if the trust must act on it" in r for r in flagged.values())


def test_areas_listed_under_one_notice_are_not_duplicates_of_each_other() -> None:
    """They share the regulation's boilerplate ('Regulation N HSCA 2008 (Regulated
    Activities) Regulations 2010'), not their subject."""
    text = read_document(CORPUS / "essential-standards-care-home-2012.txt").text
    reqs = extract_requirements(text)
    listed = [r for r in reqs if r.rule == "notice_item"]
    assert len(listed) == 2
    assert all(r.possible_duplicates == () for r in listed)
