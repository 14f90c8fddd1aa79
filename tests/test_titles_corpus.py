"""Every title of the tuning corpus and of the seen split stands alone (issue 11 item 1).

A board paper lists titles without their paragraphs, so none may lean on a pronoun the
title does not resolve ("Update it", "Make improvements to its…") or be a word or two
("Improve"). tests/title_audit.py finds them; this asserts there are none left, and the
passages below (written for this test, in CQC's styles, not copied from the corpus) pin the
rules that resolved them, so a rule that stops working fails here and not only in a count.
"""

from __future__ import annotations

import pytest

from cpft_tracker.extract import extract_requirements
from tests.title_audit import HARD, findings, pronoun_in, seen_findings

# (document#position, title kind) -> why it is not a defect. Each is a title whose pronoun
# the title itself resolves, in a way the audit's word-level check cannot see.
EXCEPTIONS = {
    ("trust-core-services-pdf#13", "pronoun"): (
        "'without a plan to address this': 'this' is the title's own clause (caseloads "
        "exceeding the agreed maximum)"
    ),
    ("guidance-page-not-report-2023#2", "not-an-action"): (
        "a guidance page that import refuses as not a CQC report: its general statements of "
        "the law reach no plan unless forced"
    ),
    ("essential-standards-hospital-2011#1", "pronoun"): (
        "'people who need help to eat receive it': 'it' is 'help', named in the title "
        "without a determiner"
    ),
    ("ward-requires-improvement-pdf-2015#2", "pronoun"): (
        "'patients who need help to eat and drink receive it': 'it' is 'help', as above"
    ),
    ("ward-requires-improvement-pdf-2015#6", "pronoun"): (
        "the same item again, in the report's closing MUST list"
    ),
}


# The same on tests/corpus/seen/ (28 documents promoted from the blind split, never tuned on
# for titles before the round "Titles on the seen split" in tests/corpus/README.md, where 11
# of its 195 titles had hard findings). Each allowance is a judgement call, said why.
_OPEN_NOTICE = (
    "a notice whose lead-in has no keyword and whose deadline sentence follows the list: the "
    "convention is left open (seen/README.md, 'Two of round 16's'), and the titles with it"
)
SEEN_EXCEPTIONS = {
    ("warning-notices-and-summaries-2010-2024-r16#1", "pronoun"): _OPEN_NOTICE,
    ("warning-notices-and-summaries-2010-2024-r16#7", "not-an-action"): _OPEN_NOTICE,
    ("prison-healthcare-2018#2", "pronoun"): (
        "'…officers should supervise medicine queues; this is a matter for the prison, but "
        "health staff should raise it each time it happens': 'it' is a lapse the sentence "
        "never names (queues without an officer), so no word of it can stand in; the title "
        "would have to invent the negation"
    ),
}


def test_no_seen_split_title_leans_on_its_paragraph_or_is_a_word_or_two() -> None:
    found = [
        f"{f.kind}: {f.document}#{f.position}: {f.title}"
        for f in seen_findings(HARD)
        if (f"{f.document}#{f.position}", f.kind) not in SEEN_EXCEPTIONS
    ]
    assert found == []


def test_the_seen_exceptions_are_still_needed() -> None:
    current = {(f"{f.document}#{f.position}", f.kind) for f in seen_findings(HARD)}
    assert set(SEEN_EXCEPTIONS) <= current


def test_no_tuning_corpus_title_leans_on_its_paragraph_or_is_a_word_or_two() -> None:
    found = [
        f"{f.kind}: {f.document}#{f.position}: {f.title}"
        for f in findings(HARD)
        if (f"{f.document}#{f.position}", f.kind) not in EXCEPTIONS
    ]
    assert found == []


def test_the_exceptions_are_still_needed() -> None:
    """An exception whose title has since been fixed (or has moved) is dropped from the list."""
    current = {(f"{f.document}#{f.position}", f.kind) for f in findings(HARD)}
    assert set(EXCEPTIONS) <= current


@pytest.mark.parametrize(
    ("title", "pronoun"),
    [
        ("Update it", "it"),
        ("Make improvements to its urgent care services", "its"),
        ("Understand the reasons for these waits", "these"),
        ("Improve their oversight of call times", "their"),
        ("Ensure all staff complete training before they start work", None),
        ("Develop a strategy and share it with staff", None),
        ("Make sure every member of staff completes the training this year", None),
        ("Ensure it is clear who is responsible for audits", None),
    ],
)
def test_the_audit_tells_a_reference_from_a_resolved_pronoun(
    title: str, pronoun: str | None
) -> None:
    assert pronoun_in(title) == pronoun


# passage -> the titles it gives, in order
PASSAGES = {
    "verb-it-after-a-finding": (
        "Safety\n\nThe fire risk assessment for the annexe was three years old. The deputy "
        "manager said they needed to review it and had asked the fire officer to visit.\n",
        ["Review the fire risk assessment"],
    ),
    "lone-verb-with-its-subject": (
        "Training\n\nFew night staff had completed moving and handling training. The manager "
        "accepted that uptake needed to improve and had set new dates.\n",
        ["Improve uptake: few night staff had completed moving and handling training"],
    ),
    "lone-verb-after-this": (
        "Responsive\n\nRelatives said it was hard to reach the home by telephone at weekends. "
        "The provider agreed this needed to improve.\n",
        ["Improve: relatives said it was hard to reach the home by telephone at weekends"],
    ),
    "bare-noun-described-earlier": (
        "Governance\n\nFeedback from relatives was collected but not acted on, and more needs "
        "to be done to use feedback.\n",
        ["Use the feedback from relatives"],
    ),
    "their-is-the-subject's": (
        "Well-led\n\nThe registered manager needed to strengthen their checks of medicine "
        "records.\n",
        ["Strengthen the registered manager's checks of medicine records"],
    ),
    "told-a-named-trust-its": (
        "News\n\nThe Care Quality Commission has told Moorfield Community NHS Trust that it "
        "must make improvements to its community dental services.\n",
        ["Make improvements to the trust's community dental services"],
    ),
    "how-it-after-the-trust": (
        "News\n\nInspectors found long delays, and that the trust needed to improve how it "
        "tracks referrals.\n",
        ["Improve how the trust tracks referrals"],
    ),
    "this-happened-is-what-was-not-done": (
        "Safe\n\nRecords showed the night checks were not always completed, and the provider "
        "needed to make sure this happened on every shift.\n",
        ["Make sure the night checks are completed on every shift"],
    ),
    "needed-a-gerund": (
        "Premises\n\nThe hoist in the main lounge needed servicing; it had not been serviced "
        "for a year.\n",
        ["Service the hoist in the main lounge"],
    ),
    "planned-to-is-the-finding": (
        "Learning\n\nThe manager told us the service needed to share learning from complaints "
        "with staff and planned to add it to team meetings.\n",
        ["Share learning from complaints with staff"],
    ),
    "leadin-ensure-statements": (
        "Conditions\n\nUnder the conditions imposed, the provider must ensure the following "
        "by 1 May 2021:\n"
        "- every resident has a current falls risk assessment\n"
        "- a weekly audit of pressure care is completed\n",
        [
            "Ensure every resident has a current falls risk assessment",
            "Ensure a weekly audit of pressure care is completed",
        ],
    ),
    "leadin-improvements-noun-phrases": (
        "Warning notice\n\nThe trust must make the necessary improvements by 1 June 2019:\n"
        "1. The monitoring of patients waiting in the emergency department.\n"
        "2. The checking of resuscitation equipment.\n",
        [
            "Improve the monitoring of patients waiting in the emergency department",
            "Improve the checking of resuscitation equipment",
        ],
    ),
    "in-need-of-an-action-noun": (
        "Premises\n\nThe garden was safe, but the conservatory roof was in need of repair.\n",
        ["Repair the conservatory roof"],
    ),
    "must-be-a-state": (
        "Enforcement\n\nThe home must be compliant with the conditions by 1 March 2020.\n",
        ["Ensure the home is compliant with the conditions by 1 March 2020"],
    ),
    "needed-to-be-a-comparative": (
        "Well-led\n\nThe service lacked oversight. Managers needed to be clearer about who "
        "checked the medicine records.\n",
        ["Ensure managers are clearer about who checked the medicine records"],
    ),
    "and-inside-a-so-that-clause": (
        "Safe\n\nThe clinic had cleaning schedules, but the sluice room needed to be "
        "reorganised so that clean and used equipment were stored apart.\n",
        ["Reorganise the sluice room so that clean and used equipment were stored apart"],
    ),
    "semicolon-then-the-finding": (
        "Effective\n\nStaff needed to be more aware of the risk of choking; one person had "
        "not had their food prepared as advised.\n",
        ["Ensure staff are more aware of the risk of choking"],
    ),
    # the seen split's round (tests/corpus/README.md, "Titles on the seen split")
    "pronoun-object-is-what-was-done-before": (
        "Safe\n\nFire drills were carried out, but the home needed to do these more often at "
        "night.\n",
        ["Carry out fire drills more often at night"],
    ),
    "pronoun-object-is-what-was-not-done": (
        "Governance\n\nThe service had a new manager, but the business continuity plan had not "
        "been approved by the directors. Leaders needed to approve it before the winter.\n",
        ["Approve the business continuity plan before the winter"],
    ),
    "pronoun-object-is-what-was-missing": (
        "Medicines\n\nStaff were kind. However, there were no care plans for people with "
        "diabetes. The provider needs to write these so that staff know the signs of a low "
        "blood sugar.\n",
        [
            "Write care plans for people with diabetes so that staff know the signs of a low blood sugar"
        ],
    ),
    "listed-gerunds-are-imperatives": (
        "News\n\nInspectors found areas where the provider must make improvements, including:\n"
        "- Recording when people are given pain relief.\n"
        "- Making sure call bells are answered promptly.\n",
        ["Record when people are given pain relief", "Make sure call bells are answered promptly"],
    ),
    "a-need-for-is-what-must-exist": (
        "Responsive\n\nThere is a need for a clearer complaints procedure, so that relatives "
        "know who to contact.\n",
        ["Ensure there is a clearer complaints procedure, so that relatives know who to contact"],
    ),
    "leadin-organisation-is-how-it": (
        "Areas for improvement\n\nThe practice must:\n- Review how it records verbal complaints.\n",
        ["Review how the practice records verbal complaints"],
    ),
    "and-that-this-is-the-deed-before": (
        "Safe\n\nThe provider must ensure that fridge temperatures are checked daily and that "
        "this is recorded.\n",
        ["Ensure that fridge temperatures are checked daily and recorded"],
    ),
    "which-it-needed-is-the-thing": (
        "Well-led\n\nThe home had an improvement plan for the garden, which it needed to "
        "complete.\n",
        ["Complete the improvement plan for the garden"],
    ),
    "it-after-plural-subject-is-their-thing": (
        "Safe\n\nManagers had a training matrix but it needed more detail about refresher dates.\n",
        ["Ensure the training matrix has more detail about refresher dates"],
    ),
    "her-is-the-subject's": (
        "Training\n\nThe manager told us the new nurse needed to complete her medicines "
        "competency.\n",
        ["Complete the new nurse's medicines competency"],
    ),
    "not-every-then-this-under-a-rating": (
        "Requires improvement\n\nNot every ward had a system for checking the resuscitation "
        "trolley. This needs to be addressed across the hospital.\n",
        ["Ensure every ward has a system for checking the resuscitation trolley"],
    ),
    "that-after-a-noun-is-relative": (
        "Emergency and urgent care\n\nThe trust must ensure that all vehicles carry oxygen "
        "that is checked daily.\n",
        ["Ensure that all vehicles carry oxygen that is checked daily"],
    ),
    "this-year-is-a-time": (
        "Theatres\n\nThe theatre had one hoist. The theatre manager told us they needed a second "
        "hoist, and the manager said the hospital must buy one this year.\n",
        ["Ensure the theatre manager has a second hoist and buy one this year"],
    ),
    "how-the-rota-is-planned": (
        "Staffing\n\nStaff were often late. The provider needs to review how the rota is "
        "planned.\n",
        ["Review how the rota is planned"],
    ),
    "purpose-and-condition-in-the-present": (
        "Safe\n\nLeaders needed to make sure that escalation plans were followed when the ward was full, so that patients were moved safely.\n",
        [
            "Make sure that escalation plans are followed when the ward is full, so that patients are moved safely"
        ],
    ),
    "reported-burden-is-the-reporters'": (
        "Effective\n\nNurses said they should not have to wait for a doctor to change a dressing plan.\n",
        [],
    ),
    "second-action-with-its-own-modal": (
        "Culture\n\nManagers need to give staff time to reflect after incidents, and providers "
        "should keep a record of the debriefs.\n",
        [
            "Give staff time to reflect after incidents and ensure providers keep a record of "
            "the debriefs"
        ],
    ),
    "told-what-to-do-and-to": (
        "Summary\n\nWe have told the provider what it must do to reduce falls and to make sure that call bells are answered promptly.\n",
        ["Reduce falls and make sure that call bells are answered promptly"],
    ),
    "a-bounded-count-is-what-is-needed": (
        "Staffing\n\nWard managers told us they needed at least two more healthcare assistants "
        "on each night shift.\n",
        ["Ensure ward managers have at least two more healthcare assistants on each night shift"],
    ),
}


@pytest.mark.parametrize("name", sorted(PASSAGES))
def test_a_rule_that_made_a_corpus_title_stand_alone(name: str) -> None:
    text, titles = PASSAGES[name]
    assert [r.title for r in extract_requirements(text)] == titles
