"""The seen split (tests/corpus/seen: 28 documents promoted from the blind split on 3 December
2026, see its README) and a text on each side of every rule it led to.

The seen documents were written by the blind split's authors, some to conventions the tuning
corpus has since changed, and some of what is still wrong on them is a disagreement of
conventions left open (tests/corpus/README.md, round "seen"). So they are not held to 100% as
the tuning corpus is: the floor below keeps the extractor from getting worse on them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cpft_tracker.documents import read_document
from cpft_tracker.extract import extract_requirements, split_units

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import score_extractor  # noqa: E402

SEEN = ROOT / "tests" / "corpus" / "seen"

# Measured on 3 December 2026 after the round's rules: annotated 178, found 189, correct 173
# (recall 0.97, precision 0.92). The floor is a little under, so that a later rule which trades
# one sentence for another on these documents is not refused, while one that loses several is.
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.89


def test_the_seen_split_does_not_get_worse() -> None:
    _, directory, scores = score_extractor.score_split(str(SEEN))
    total = score_extractor.overall(scores)
    assert directory == SEEN and len(scores) == 44
    assert total.recall is not None and total.precision is not None
    assert total.recall >= RECALL_FLOOR, f"recall on the seen split fell to {total.recall:.3f}"
    assert total.precision >= PRECISION_FLOOR, (
        f"precision on the seen split fell to {total.precision:.3f}"
    )


SEEN_SENTENCES: list[tuple[str, str | None]] = [
    # a quantified subject after a phrase of time is still every provider
    (
        "Since 1 October 2010 all NHS trusts must be registered with CQC and must show that "
        "they are meeting the essential standards of quality and safety.",
        None,
    ),
    # (its other side: the phrase of time before this trust)
    (
        "Since our inspection in October 2010 the trust must show that it is meeting the "
        "essential standards on its medical wards.",
        "must",
    ),
    # a duty named as every provider's
    (
        "The trust must comply with the Workforce Race Equality Standard, like every NHS trust, "
        "and had published its report.",
        None,
    ),
    # (its other side: a comparison that is not with every provider)
    (
        "The trust must ensure that staff on the wards are trained, like those in the emergency "
        "department.",
        "must",
    ),
    # a rule found kept at the sentence's end
    (
        "Where people lack capacity, decisions must be made in their best interests, and the "
        "home followed this.",
        None,
    ),
    (
        "Patients' dental care records showed that the dentist must record the justification "
        "for each X-ray, and this was done.",
        None,
    ),
    (
        "Consultants with practising privileges must have their scope of practice reviewed "
        "every two years, and the medical advisory committee had reviewed all 42.",
        None,
    ),
    # (its other side: kept only in part)
    (
        "The trust must ensure that ligature points are removed, and this had been done on two "
        "wards.",
        "must",
    ),
    # what the inspectors did not find is not a need
    ("We did not find that staff needed further training in the Mental Health Act.", None),
    ("We found no evidence that patients needed to wait for their medicines.", None),
    # (its other side: a clause of its own after it)
    (
        "We did not find that staff needed training, but the trust must review its induction "
        "for bank nurses.",
        "must",
    ),
    # CQC's count summary without the count, and with "a legal requirement"
    (
        "We found things that the trust should improve to comply with a minimum legal "
        "requirement, or to improve service quality.",
        None,
    ),
    (
        "We found areas for improvement including one breach of a legal requirement that the "
        "trust must put right.",
        None,
    ),
    # a person's own record saying what that person needs
    (
        "One person had fallen three times in June, and their care plan still said they needed "
        "the help of one member of staff to walk.",
        None,
    ),
    ("His care plan said he needed the help of two staff to move.", None),
    # (its other side: the manager's own need)
    (
        "The manager told us she needed to recruit two more support workers to reduce the use "
        "of agency staff.",
        "needs",
    ),
    # a numeral's "at least" opens the object of "needed"
    (
        "Managers told us they needed at least four more nurses to run the home treatment "
        "service safely, and none had yet been recruited.",
        "needs",
    ),
    # (its other side: what people using the service needed)
    ("Patients needed at least two hours of support each morning.", None),
    # a standard stated, and this provider found short of it in the same sentence
    (
        "National guidance says that women should be assessed within 15 minutes of arrival, "
        "and the service did not meet this for more than a third of women in March 2025.",
        "should",
    ),
    # (its other side: the standard alone)
    ("National guidance says that women should be assessed within 15 minutes of arrival.", None),
    # prisoners are the people a prison's healthcare serves
    (
        "Prisoners should be able to see a GP within a time comparable to the community, as "
        "set out in the national partnership agreement for prison healthcare.",
        None,
    ),
    # (its other side: the healthcare team's need)
    ("The healthcare team needed to make sure prisoners were seen within 48 hours.", "needs"),
    # CQC's formula for special measures
    (
        "Special measures will give people who use the service the reassurance that the care "
        "they get should improve.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEEN_SENTENCES)
def test_seen_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])


def _units(text: str) -> list[str]:
    return [" ".join(u.text.split()) for u in split_units(text)]


def test_a_reference_in_brackets_on_its_own_line_closes_the_sentence_above() -> None:
    text = (
        "Action the service MUST take to improve:\n"
        "• The service must ensure that the surgical safety checklist is completed in full for "
        "every procedure.\n"
        "(Regulation 12 (1)(2)(b))\n"
        "• The service must ensure that practising privileges are reviewed every two years by "
        "the medical advisory\n"
        "committee. (Regulation 17 (1)(2)(b))\n"
        "Action the service SHOULD take to improve:\n"
        "• The service should consider displaying the cost of follow-up appointments on its "
        "website.\n"
    )
    found = {r.text: r.keyword for r in extract_requirements(text, include_should=True)}
    assert found == {
        "The service must ensure that the surgical safety checklist is completed in full for "
        "every procedure. (Regulation 12 (1)(2)(b))": "must",
        "The service must ensure that practising privileges are reviewed every two years by the "
        "medical advisory committee. (Regulation 17 (1)(2)(b))": "must",
        "The service should consider displaying the cost of follow-up appointments on its "
        "website.": "should",
    }


def test_a_lead_in_after_a_bullet_that_reached_the_margin_opens_its_own_list() -> None:
    # a hard-wrapped copy (the hospice's letter): the bullet above the lead-in ends a
    # sentence at the margin, so the lines after it used to run on into that bullet
    text = read_document(SEEN / "hospice-2016.txt").text
    found = {r.text: r.keyword for r in extract_requirements(text, include_should=True)}
    assert "Importantly, the provider should:" not in found
    assert {
        "Review the arrangements for witnessing the destruction of controlled drugs.": "should",
        "Keep a record of the syringe driver used for each patient.": "should",
        "Ensure that do not attempt cardiopulmonary resuscitation forms are reviewed when a "
        "patient is readmitted.": "should",
    }.items() <= found.items()


def test_every_area_a_notice_lists_is_taken_however_long_its_line() -> None:
    text = (
        "Enforcement action\n"
        "Following this inspection we served a warning notice under section 29A of the Health "
        "and Social Care Act 2008. The trust must make significant improvements in the "
        "following areas by 31 May 2022:\n"
        "Initial assessment of patients within 15 minutes of arrival\n"
        "Observation of patients at risk of harm to themselves or others\n"
        "Paediatric nurse staffing in the emergency department\n"
        "We will return to check that the trust has made the improvements.\n"
    )
    found = [(r.text, r.keyword) for r in extract_requirements(text, include_should=True)]
    assert found == [
        ("Initial assessment of patients within 15 minutes of arrival", "must"),
        ("Observation of patients at risk of harm to themselves or others", "must"),
        ("Paediatric nurse staffing in the emergency department", "must"),
    ]


def test_a_listed_areas_title_repeated_below_it_heads_its_section() -> None:
    text = (
        "The provider must improve in the following areas by 31 December 2013:\n"
        "Regulation 12: Cleanliness and infection control (Outcome 8)\n"
        "Cleanliness and infection control\n"
        "Action needed\n"
        "Instruments were not always cleaned in line with national guidance.\n"
    )
    found = [r.text for r in extract_requirements(text, include_should=True)]
    assert found == ["Regulation 12: Cleanliness and infection control (Outcome 8)"]
    assert "Cleanliness and infection control" in _units(text)


def test_a_notice_row_with_its_cells_run_together_heads_the_breach_under_it() -> None:
    wide = " and the home" * 6
    text = (
        "Action we have told the provider to take\n"
        "The table below shows where legal requirements were not being met and we have asked "
        "the provider to send\n"
        "us a report that says what action they are going to take. We did not take formal "
        "enforcement action at this\n"
        f"stage{wide}. We will check that this action is taken by the provider.\n"
        "Accommodation for persons who require nursing or personal care Regulation 12 HSCA RA "
        "Regulations 2014 Safe care and treatment\n"
        "The provider had not done all that was reasonably practicable to mitigate risks to "
        "people's safety.\n"
    )
    units = _units(text)
    row = (
        "Accommodation for persons who require nursing or personal care Regulation 12 HSCA RA "
        "Regulations 2014 Safe care and treatment"
    )
    assert row in units
    found = [(r.text, r.keyword) for r in extract_requirements(text, include_should=True)]
    assert found == [
        (
            "The provider had not done all that was reasonably practicable to mitigate risks "
            "to people's safety.",
            "must",
        )
    ]


def test_a_run_of_lines_opening_with_a_verb_in_lower_case_is_one_item_a_line() -> None:
    text = (
        "The Care Quality Commission has published its report on the trust's hospitals.\n"
        "\n"
        "Inspectors found that the medical wards were short of nurses at night on most days.\n"
        "\n"
        "Patients in the emergency department waited too long for pain relief, they found.\n"
        "\n"
        "Some patients were cared for in corridors when the department was not at capacity.\n"
        "\n"
        "Staff on the surgical wards were kind and caring, and patients praised them to us.\n"
        "\n"
        "The trust has been rated as requires improvement overall, as it was two years ago.\n"
        "\n"
        "CQC has told the trust it must:\n"
        "\n"
        "make sure there are enough nurses with the right skills on the medical wards at night\n"
        "make sure that patients in the emergency department have their pain assessed promptly\n"
        "stop caring for patients in corridors other than at full capacity.\n"
        "\n"
        "The trust's chief executive said the trust accepted the findings in full and would "
        "publish its plan.\n"
    )
    found = [(r.text, r.keyword) for r in extract_requirements(text, include_should=True)]
    assert found == [
        (
            "make sure there are enough nurses with the right skills on the medical wards at night",
            "must",
        ),
        (
            "make sure that patients in the emergency department have their pain assessed promptly",
            "must",
        ),
        ("stop caring for patients in corridors other than at full capacity.", "must"),
    ]
