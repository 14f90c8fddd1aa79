"""Round 11 of the tuning corpus (tests/corpus/README.md): a text on each side of every rule
its documents led to. Kept apart from tests/test_extract.py so that rounds written at the
same time merge cleanly."""

from __future__ import annotations

import pytest

from cpft_tracker.extract import extract_requirements

ROUND_11_SENTENCES: list[tuple[str, str | None]] = [
    # a bare plural naming the establishment a provider serves is the class
    (
        "All prisons must have arrangements for a health screening on the day a young person arrives.",
        None,
    ),
    # (its other side: this provider's own unit)
    (
        "The healthcare unit must have arrangements for a health screening on the day a young "
        "person arrives.",
        "must",
    ),
    # a reported clause with its "that" left out, after a document's verb, has its own subject
    (
        "The Ockenden report's immediate and essential actions say every trust must have a "
        "system of regular review of cardiotocograph (CTG) traces.",
        None,
    ),
    # (its other side: the reported subject is this provider)
    ("Our report says the trust must have a system of regular review of traces.", "must"),
    # a short bracketed code inside the rule source's name does not end the subject
    (
        "NICE guidance (CG179) says patients at risk of pressure ulcers should be repositioned "
        "at least every six hours, and every four hours if they are at high risk.",
        None,
    ),
    # (its other side: a bracketed name inside this provider's subject)
    ("The ward (ward 7) should review its staffing.", "should"),
    # a second "that"-clause of what the rule says is still the rule
    (
        "The Code of Practice says patients must be told of their rights under section 132 as "
        "soon as practicable after their detention begins, and that this should be repeated at "
        "intervals.",
        None,
    ),
    # (its other side: a second "that"-clause of a manager's report is the manager's)
    ("The manager said the rota was late, and that the ward needed two more nurses.", "needs"),
    # a quantifier saying something stands for those the sentence opened with
    (
        "Patients told us staff were kind, although several said they needed more to do in the "
        "evenings and at weekends.",
        None,
    ),
    (
        "Recovery workers told us they needed to see most clients fortnightly rather than "
        "weekly, and some said they needed more time for group work.",
        None,
    ),
    # (its other side: a named speaker who runs the ward)
    (
        "Patients told us staff were kind, although the ward manager said the ward needed more "
        "activities in the evenings.",
        "needs",
    ),
    # a need for a thing, and a relative clause on it saying it had been brought into being
    (
        "The manager had identified that the room needed a second sink for hand washing, which "
        "had been fitted in May.",
        None,
    ),
    # (its other side: only ordered)
    (
        "The manager had identified that the room needed a second sink for hand washing, which "
        "had been ordered in May.",
        "needs",
    ),
    # a need over every one of something, done to each one
    (
        "The medical director told us he needed to see every patient's records before their "
        "operation, and he signed each one as reviewed.",
        None,
    ),
    # (its other side: not done)
    (
        "The medical director told us he needed to see every patient's records before their "
        "operation, and he had not signed them.",
        "needs",
    ),
    # a need in a relative clause on a noun after a main predicate that says it was done
    (
        "The clinic's advertising had been reviewed against the Committee of Advertising "
        "Practice code, which it needed to follow, and the offer of a discount had been "
        "withdrawn.",
        None,
    ),
    # (its other side: the main predicate is a failure)
    (
        "The clinic's advertising had not been reviewed against the code, which it needed to "
        "follow.",
        "needs",
    ),
    # advice to the people using the service, a second predicate joined by "and"
    (
        "The leaflet told patients they should not drive for a week and must not lift anything "
        "heavy for six weeks.",
        None,
    ),
    # (its other side: a manager's report, the subject the ward's)
    ("The manager told us the ward was short of nurses and must recruit more.", "must"),
    # reported, a need for every occasion of a kind is how the work is staffed
    (
        "Staff used a sepsis screening tool, and the theatre manager told us that the second "
        "scrub nurse was needed for every procedure lasting more than two hours.",
        None,
    ),
    # (its other side: the same, found not kept)
    (
        "The theatre manager told us that a second scrub nurse was needed for every procedure "
        "lasting more than two hours, but there was often only one.",
        "needs",
    ),
    # the next sentence says every one it applies to met it
    (
        "Surgeons operating at the clinic must hold a licence to practise. All four surgeons "
        "with practising privileges met this requirement.",
        None,
    ),
    # (its other side: some did not)
    (
        "Surgeons operating at the clinic must hold a licence to practise. Two of the four "
        "surgeons did not.",
        "must",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_11_SENTENCES)
def test_round_11_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])


NOTICE_PLAIN_AREAS = """Issues to be addressed

The trust must address the following issues by 30 September 2015:
Section 132 rights not repeated or recorded
Medicines given without authority on a T3 form
Section 17 leave forms incomplete and not copied to patients

Provider action statement

Please send us a provider action statement by 17 August 2015.
"""


def test_every_plain_line_under_a_notice_lead_in_is_an_area_up_to_the_blank_line() -> None:
    found = extract_requirements(NOTICE_PLAIN_AREAS)
    assert [(r.text, r.keyword, r.due) for r in found] == [
        ("Section 132 rights not repeated or recorded", "must", "2015-09-30"),
        ("Medicines given without authority on a T3 form", "must", "2015-09-30"),
        ("Section 17 leave forms incomplete and not copied to patients", "must", "2015-09-30"),
    ]


def test_a_sentence_after_a_notices_plain_areas_is_the_text_going_on() -> None:
    text = (
        "The trust must make significant improvements in the following areas by 31 May 2022:\n"
        "Initial assessment of patients within 15 minutes of arrival\n"
        "Paediatric nurse staffing in the emergency department\n"
        "We will return to check that the trust has made the improvements.\n"
    )
    assert [r.text for r in extract_requirements(text)] == [
        "Initial assessment of patients within 15 minutes of arrival",
        "Paediatric nurse staffing in the emergency department",
    ]


ISSUE_PARAGRAPHS = """However, we also found the following issues that the provider needs to improve:

The clinic did not always give patients a cooling-off period between consultation and surgery. Four of the 12 patients whose records we reviewed had been operated on within a week.

Surgical safety checklists were not fully completed for six of the 20 operations we reviewed.

Are services safe?
"""


def test_following_issues_written_as_paragraphs_are_one_item_each_by_its_first_sentence() -> None:
    found = extract_requirements(ISSUE_PARAGRAPHS)
    assert [(r.text, r.keyword, r.title) for r in found] == [
        (
            "The clinic did not always give patients a cooling-off period between consultation "
            "and surgery.",
            "needs",
            "Ensure the clinic gives patients a cooling-off period between consultation and "
            "surgery",
        ),
        (
            "Surgical safety checklists were not fully completed for six of the 20 operations we "
            "reviewed.",
            "needs",
            "Ensure surgical safety checklists are fully completed",
        ),
    ]


def test_prose_after_a_listed_run_is_not_an_issue_paragraph() -> None:
    text = (
        "We found the following issues that the service provider needs to improve:\n"
        "The service did not audit the use of sepsis screening.\n"
        "\n"
        "Staff were kind and patients spoke well of the crews.\n"
    )
    assert [r.text for r in extract_requirements(text)] == [
        "The service did not audit the use of sepsis screening."
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "The registered manager acknowledged that audits of care records had not been "
            "completed since January and that these needed to restart.",
            "Restart audits of care records",
        ),
        (
            "Following this inspection, we told the provider that it must take some actions to "
            "comply with the regulations and that it should make other improvements, even "
            "though a regulation had not been breached, to help the service improve.",
            "Take some actions to comply with the regulations and make other improvements",
        ),
        (
            "Fridge temperatures need to be checked and acted on every day.",
            "Check fridge temperatures and act on them every day",
        ),
        (
            "The trust's guideline says that a second midwife should review the CTG every hour, "
            "but in 7 of the 20 records we reviewed this had not happened.",
            "Review the CTG every hour",
        ),
        (
            "There was a need to improve the recording of blood-borne virus testing: the team "
            "could not tell us how many clients had been offered hepatitis C testing this year.",
            "Improve the recording of blood-borne virus testing",
        ),
    ],
)
def test_round_11_titles(text: str, title: str) -> None:
    assert [r.title for r in extract_requirements(text, include_should=True)] == [title]


def test_round_11_listed_failures_turn_round() -> None:
    text = (
        "We found the following issues that the service provider needs to improve:\n"
        "\n"
        "Risk assessments were not updated when a client's circumstances changed. In 11 of the "
        "30 care records we reviewed, the risk assessment was more than six months old.\n"
        "\n"
        "Clients who were prescribed opiate substitutes did not all have a recovery plan that "
        "said what would happen if they stopped attending.\n"
        "\n"
        "Our findings\n"
    )
    assert [r.title for r in extract_requirements(text)] == [
        "Ensure risk assessments are updated when a client's circumstances change",
        "Ensure all clients who are prescribed opiate substitutes have a recovery plan that "
        "says what will happen if they stop attending",
    ]
