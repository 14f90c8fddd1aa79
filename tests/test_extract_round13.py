"""Round 13 of the tuning corpus (tests/corpus/README.md): news items, press releases,
notices and 2010-2012 pages. A text on each side of every rule its documents led to. Kept
apart from tests/test_extract.py so that rounds written at the same time merge cleanly."""

from __future__ import annotations

import pytest

from cpft_tracker.extract import extract_requirements

NEWS = (
    "CQC tells Brook Lane Surgery it must improve\n\n"
    "Professor Field said that the practice needed to appoint a practice manager.\n\n"
)

ROUND_13_TEXTS: list[tuple[str, str | None]] = [
    # after a press release's "Notes to editors": CQC, the law, the press office
    (
        NEWS + "Notes to editors\n"
        "Journalists who need to contact the press office out of hours should call 07917 "
        "232 143.\nAll providers of health and adult social care must register with CQC and "
        "must meet these standards.\n",
        "needs",
    ),
    # (its other side: a page of several items, the next item's headline standing alone)
    (
        "Notes to editors\nAll care homes must be registered with CQC.\n\n"
        "Trust placed in special measures\n\n"
        "Following the inspection, CQC issued a warning notice. It must also ensure that there "
        "are enough nurses on the medical wards at night.\n",
        "must",
    ),
    # the subject runs across the "and" inside its prepositional phrase: the class
    ("All providers of health and adult social care must register with CQC.", None),
    ("Providers of health and social care need to register with CQC.", None),
    # (its other side: one provider so described, and two subjects joined by "and")
    ("The provider of health and social care services must review its plan.", "must"),
    ("The trust and its partners must agree a discharge plan.", "must"),
    # a quantified subject after a verb of saying opens a reported clause of its own
    ("Ms Smith said all trusts needed to learn from the findings.", None),
    # (its other side: the provider as the reported subject)
    ("The chief executive said the trust needed to do more to listen to staff.", "needs"),
    # a report sent to CQC, the thing sent before "to", is procedure; so is anyone's advice
    ("Under the conditions, the provider must submit monthly reports to CQC.", None),
    ("The provider must now send CQC an action plan.", None),
    ("Anyone who needs advice about a care home should contact their local council.", None),
    # (its other side: sent to someone else, and the provider as the subject)
    ("The provider must send discharge summaries to GPs within 24 hours.", "must"),
    ("The home should give people who need advice the council's contact details.", "should"),
    # one who runs the service saying a need that names nothing names nothing
    (
        "The trust's new chief executive, who joined in April, said she knew the trust needed "
        "to change.",
        None,
    ),
    ("The registered manager acknowledged that the home needed to improve.", None),
    # (its other side: a need that names what, and CQC's chief inspector telling the trust)
    (
        "The registered manager acknowledged that the home needed to improve its accident records.",
        "needs",
    ),
    ("The chief inspector said the trust must improve.", "must"),
    # what another body's inspection found is background
    (
        "The Healthcare Commission's inspection in November 2009 found that the trust needed "
        "to improve cleaning on four wards.",
        None,
    ),
    # (its other side: this regulator's own inspection, and the trust's own review)
    (
        "Our inspection in March found that the trust needed to improve cleaning on four wards.",
        "needs",
    ),
    ("The trust's own review found that it needed to improve cleaning on four wards.", "needs"),
    ("Westfield Hospital's own audit found that staff needed to record fluid intake.", "needs"),
    # the judgement formula names nothing, whatever clause it follows
    (
        "We judged that this has a moderate impact on people using the service and action was "
        "needed for this essential standard to be achieved.",
        None,
    ),
    # (its other side: an action that names what)
    ("Action was needed to improve the cleaning of the sluice rooms.", "needs"),
    # a letter's own address is its sender's: procedure addressed to CQC
    ("Representations should be sent to the address at the top of this letter.", None),
    # (its other side: something the provider sends to someone else)
    ("Discharge letters should be sent to the patient's GP on the day of discharge.", "should"),
    # a need whose same deed is done in the next clause is met
    (
        "Ms Westhead said the trust had agreed that it needed to recruit more paramedics, and "
        "that it had already recruited 24, who started in June.",
        None,
    ),
    # (its other side: a part of it, or another deed)
    (
        "The trust needed to recruit four more paramedics, and it had recruited two of the four.",
        "needs",
    ),
    (
        "The manager told inspectors she knew the home needed to recruit four more nurses and "
        "had begun advertising.",
        "needs",
    ),
    # others working "with the trust" need it, not the trust: the should is the action
    (
        "She said that the trust's board should make sure it understands the reasons for the "
        "delays, and that hospitals and commissioners needed to work with the trust to reduce "
        "handover times.",
        "should",
    ),
    # (its other side: a passive, and the trust's possession)
    (
        "However, the strategy for surgery needed to be aligned with the trust's financial plan.",
        "needs",
    ),
    # (and the provider's own people working with it, and a part of the provider)
    ("The ward manager needed to work with the trust to agree a staffing plan.", "needs"),
    ("Ward staff needed to liaise more closely with the hospital pharmacy team.", "needs"),
    # reported, "had needed" over a span of the past is how things have been
    (
        "The senior partner told inspectors that the practice had needed to rely on locum GPs "
        "for much of the past year.",
        None,
    ),
    # (its other side: the same without the span is the speaker's need)
    (
        "The senior partner told inspectors that the practice had needed to recruit a salaried GP.",
        "needs",
    ),
    # more time to meet what is already required is a request for longer
    (
        "The trust's own declaration said that it needed more time to reach full compliance "
        "with screening.",
        None,
    ),
    # (its other side: time as a resource for a task)
    ("The registered manager said she needed more time to supervise staff.", "needs"),
    # a rule reported by the one in charge, for staff of a kind, found not kept after "but"
    (
        "The nurse in charge said agency nurses must be shown the medicines procedure on their "
        "first shift, but two agency nurses told us nobody had shown it to them.",
        "must",
    ),
    # (its other side: the rule reported alone is how the work is done)
    (
        "The nurse in charge said agency nurses must be shown the medicines procedure on their "
        "first shift.",
        None,
    ),
    # a failure, then the policy it broke in a clause of concession
    (
        "Nine of the 14 care plans had not been reviewed in the last year, although the "
        "agency's own policy states that care plans should be reviewed every six months.",
        "should",
    ),
    # (its other side: no failure in the main clause)
    (
        "Care plans were kept in people's homes, although the agency's own policy states that "
        "care plans should be reviewed every six months.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_13_TEXTS)
def test_round_13_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])


def test_a_date_opening_the_sentence_is_its_due_date() -> None:
    text = (
        "By 31 March 2014 the registered provider must complete a review of the care plan of "
        "every person who receives personal care."
    )
    assert [r.due for r in extract_requirements(text)] == ["2014-03-31"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a phrase of time set off by commas before the verb goes after the action
        (
            "The registered provider must, from the date this condition takes effect, keep an "
            "electronic record of the time each care worker arrives at every visit.",
            "Keep an electronic record of the time each care worker arrives at every visit from "
            "the date the condition takes effect",
        ),
        # others working with the provider are not part of its action
        (
            "She said that the trust's board should make sure it understands the reasons for "
            "the delays, and that hospitals and commissioners needed to work with the trust to "
            "reduce handover times.",
            "Make sure the trust's board understands the reasons for the delays",
        ),
        # the reporting frame of a manager's need is not the thing needed
        (
            "The matron for medicine said staff needed more training on the new cleaning "
            "products, and that this training had been arranged for May.",
            "Ensure staff have more training on the new cleaning products",
        ),
        # a contrast restating where it is done, and an apposition of what was found, are cut
        (
            "The trust needs to make sure that the new schedule is followed on every ward, not "
            "only on those where it was first introduced.",
            "Make sure that the new schedule is followed on every ward",
        ),
        (
            "Professor Field said that the practice needed to appoint a practice manager with "
            "the time to lead its governance, a post that had been vacant since November.",
            "Appoint a practice manager with the time to lead the practice's governance",
        ),
        # "both" is the pair named before it
        (
            "It was not meeting the standards on the care and welfare of people who use "
            "services and on staffing, and CQC has told the trust it must take action on both.",
            "Take action on the standards on the care and welfare of people who use services "
            "and on staffing",
        ),
        # when CQC looked is not part of the action
        (
            "The Care Quality Commission has told North Midlands Ambulance Service NHS Trust that "
            "it needs to improve the way it responds to emergency calls from rural areas, "
            "following an unannounced review of its services in April.",
            "Improve the way the trust responds to emergency calls from rural areas",
        ),
    ],
)
def test_round_13_titles(text: str, title: str) -> None:
    assert [r.title for r in extract_requirements(text, include_should=True)] == [title]


def test_a_breach_rows_it_is_the_provider() -> None:
    text = (
        "Compliance actions\n\n"
        "Regulation 10 HSCA 2008 (Regulated Activities) Regulations 2010 Assessing and "
        "monitoring the quality of service provision\n"
        "How the regulation is not being met: The provider did not use the information it had "
        "about missed calls to reduce the risk of them happening again.\n"
    )
    titles = [r.title for r in extract_requirements(text)]
    assert titles == [
        "Use the information the provider had about missed calls to reduce the risk of them "
        "happening again"
    ]
