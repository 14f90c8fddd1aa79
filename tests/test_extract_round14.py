"""Round 14 of the tuning corpus (tests/corpus/README.md): a text on each side of every rule
its documents led to. Kept apart from tests/test_extract.py so that rounds written at the
same time merge cleanly."""

from __future__ import annotations

import pytest

from cpft_tracker.extract import extract_requirements

LETTER = (
    "Care Quality Commission\n\nDear Dr Okafor\n\nFellside Medical Practice\n\n"
    "Patients told us it was difficult to get through on the telephone in the mornings. {}\n\n"
    "Yours sincerely\n"
)

ROUND_14_TEXTS: list[tuple[str, str | None]] = [
    # CQC's report that it told the provider it must improve, as a clause after ", and"
    (
        "It is essential that the provider addresses this, and we have told it that it must "
        "make improvements.",
        "must",
    ),
    # (its other side: the report's own voice naming nothing)
    ("Staff were kind, and improvements must be made.", None),
    # a rule source's should beside the failure the sentence states: "as … say they should"
    (
        "Patients who walked in were not always streamed within 15 minutes of arrival, as the "
        "national urgent treatment centre standards say they should be.",
        "should",
    ),
    # (its other sides: kept, a comparison; and a requirement notice's row)
    (
        "Midwives recorded a priority for each woman within 15 minutes of arrival, as the "
        "system says they should.",
        None,
    ),
    (
        "The medical advisory committee did not review the practising privileges of "
        "consultants as often as the provider's own policy said it should.",
        None,
    ),
    # … and in a contact relative clause on a noun ("the training the policy says…")
    (
        "Not all care workers had received the training the provider's policy says they should "
        "complete before working alone.",
        "should",
    ),
    (
        "All care workers had received the training the provider's policy says they should "
        "complete before working alone.",
        None,
    ),
    # a rule that allows a deed "only" in a case, the sentence counting the times it was done
    (
        "On 11 of the 28 nights we reviewed there were only two nurses, and on those nights the "
        "nurse in charge also had to cover the neighbouring ward, which the trust's escalation "
        "policy says should happen only in an emergency.",
        "should",
    ),
    (
        "The nurse in charge sometimes covered the neighbouring ward, which the trust's "
        "escalation policy says should happen only in an emergency.",
        None,
    ),
    # a must in a relative clause, done but late, is not kept
    (
        "However, the secondary health screen, which must be completed within seven days, had "
        "been completed late for 23 of the 60 prisoners we sampled.",
        "must",
    ),
    (
        "However, the secondary health screen, which must be completed within seven days, had "
        "been completed for every prisoner we sampled.",
        None,
    ),
    # "One person said…, and another said…": another of the people the sentence opened with
    (
        "One person said the centre should allow more visits from family, and another said the "
        "rules about phones needed to be explained better on arrival.",
        None,
    ),
    (
        "The acting manager said the home needed more staff, and another said the rules about "
        "phones needed to be explained better on arrival.",
        "needs",
    ),
    # a passive need in a contact relative clause, its noun's predicate saying it was done
    (
        "A ligature risk assessment had been completed in March, and the work it said was "
        "needed had been finished.",
        None,
    ),
    (
        "A ligature risk assessment had been completed in March, and the work it said was "
        "needed had not been finished.",
        "needs",
    ),
    # the thing needed, taken up by "this", provided
    (
        "The last audit had identified that the sluice needed a new hand wash sink, and this "
        "had been fitted in August.",
        None,
    ),
    (
        "The last audit had identified that the sluice needed a new hand wash sink, and this "
        "had been ordered in August.",
        "needs",
    ),
    # a report to CQC is procedure, "then" or not
    (
        "Where we find a breach of regulations, we issue a requirement notice, and the provider "
        "must then tell us how it will put things right.",
        None,
    ),
    ("The provider must then review how it will put things right.", "must"),
    # the prison beside the health provider a report is on: not the provider
    ("The prison should review the times of the medicine queues on weekends.", None),
    ("The prison's health service should review the times of the medicine queues.", "should"),
    (
        "Meridian Secure Health Limited should reduce the wait for a routine GP appointment.",
        "should",
    ),
    # a letter's "you should" is the provider's (not a way to reach CQC, nor the report it asks)
    (
        LETTER.format("Until then, you should keep the number of morning calls under review."),
        "should",
    ),
    ("Until then, you should keep the number of morning calls under review.", None),
    (LETTER.format("You should contact us if you need more time."), None),
    (
        LETTER.format(
            "Please send us a provider action statement that says what you will do. You should "
            "include the date by which each action will be completed."
        ),
        None,
    ),
    # "would still need to … until" foresees how long a stop-gap lasts
    (
        "Two nurses were due to start in May, and the ward manager said the unit would still "
        "need to rely on bank staff until the autumn.",
        None,
    ),
    ("The ward manager said the unit would still need to recruit two more nurses.", "needs"),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_14_TEXTS)
def test_round_14_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # the told clause after ", and" names the action as it would alone
        (
            "It is essential that the provider addresses this, and we have told it that it must "
            "make improvements.",
            "Make the improvements CQC has told the provider to make",
        ),
        # a rule source's should not kept: the failure, turned round
        (
            "Patients who walked in were not always streamed within 15 minutes of arrival, as "
            "the national urgent treatment centre standards say they should be.",
            "Ensure patients are streamed within 15 minutes of arrival",
        ),
        (
            "Records showed that eight of the 22 care workers had not had supervision since "
            "October 2010, which the provider's policy says they should have every two months.",
            "Ensure care workers have supervision every two months",
        ),
        (
            "On 11 of the 28 nights we reviewed there were only two nurses, and on those nights "
            "the nurse in charge also had to cover the neighbouring ward, which the trust's "
            "escalation policy says should happen only in an emergency.",
            "Ensure the nurse in charge covers the neighbouring ward only in an emergency",
        ),
        # a company's name is the provider
        (
            "Meridian Secure Health Limited should reduce the wait for a routine GP appointment.",
            "Reduce the wait for a routine GP appointment",
        ),
        # a second that-clause, a step taken, CQC's action after the need: not the action
        (
            "The director explained that the practice needed to change its telephone system, "
            "and that a new system would be installed in June.",
            "Change the practice's telephone system",
        ),
        (
            "The clinical director told us the centre needed to reduce the number of patients "
            "who left before being seen, and a pilot of text updates had started in September.",
            "Reduce the number of patients who left before being seen",
        ),
        (
            "The service should make sure every plan covers unplanned exits, and we have told "
            "the provider to take action.",
            "Make sure every plan covers unplanned exits",
        ),
        # a thing's need reported after "that" keeps the thing
        (
            "The branch manager recognised that rotas needed to allow travel time.",
            "Ensure rotas allow travel time",
        ),
        # "this training" is not "training" modifying "information" earlier in the sentence
        (
            "The ward manager could not tell us how many staff had completed dysphagia training. "
            "Leaders need access to up-to-date training information for their own staff, and "
            "the trust needs to make sure that staff caring for people with swallowing "
            "difficulties have completed this training.",
            "Make sure that staff caring for people with swallowing difficulties have completed "
            "the dysphagia training",
        ),
    ],
)
def test_round_14_titles(text: str, title: str) -> None:
    assert [r.title for r in extract_requirements(text, include_should=True)] == [title]
