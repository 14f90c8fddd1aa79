"""Titles that stand alone on text other than the bundled report (issue 11 item 1).

Each passage was written for this test in the styles of CQC's pages (not copied from the
corpus): a title must say what is to be done and what it is about without its paragraph,
so "these risks", "this plan", "its strategy" and "what it needs to do" are resolved from
the sentences before, the sentence's own subject, or a bullet's lead-in.
"""

from __future__ import annotations

import re

import pytest

from cpft_tracker.extract import extract_requirements, split_units

# passage -> the titles it gives, in order
PASSAGES = {
    "told-the-provider-its": (
        "Summary\n\nWe have told the provider that it must review its arrangements for "
        "checking emergency equipment.\n",
        ["Review the provider's arrangements for checking emergency equipment"],
    ),
    "but-it-needed-its": (
        "Well-led\n\nThe trust had a clear vision, but it needed to involve staff in "
        "developing its clinical strategy.\n",
        ["Involve staff in developing the trust's clinical strategy"],
    ),
    "bullets-under-the-hospice": (
        "Action the hospice SHOULD take to improve\n\n"
        "- Continue to develop its support for families after a death.\n"
        "- Review its process for recording visitors.\n",
        [
            "Continue to develop the hospice's support for families after a death",
            "Review the hospice's process for recording visitors",
        ],
    ),
    "these-risks": (
        "Safe\n\nPatients were not always protected from the risk of pressure ulcers. The "
        "provider needed to improve the way it assessed and managed these risks.\n",
        ["Improve the way the provider assesses and manages the risks of pressure ulcers"],
    ),
    "these-audits": (
        "Effective\n\nSeveral medicines audits had not been completed since March. The "
        "practice must make sure these audits are completed every month.\n",
        ["Make sure the medicines audits are completed every month"],
    ),
    "these-waits": (
        "Responsive\n\nThere were long waits for appointments in the memory clinic. Leaders "
        "needed to understand the reasons for these waits and reduce them.\n",
        [  # who must understand is kept: understanding is a state, not a deed
            "Ensure leaders understand the reasons for the long waits for appointments in the "
            "memory clinic and reduce them"
        ],
    ),
    "needed-kept": (
        "Caring\n\nThe unit manager told us the day room needed its quiet hours to be kept by "
        "visiting teams. The ward sister said they needed the handover sheets to be updated "
        "before each shift.\n",
        [
            "Ensure the day room's quiet hours are kept by visiting teams",
            "Ensure the handover sheets are updated before each shift",
        ],
    ),
    "past-tense-is-now": (
        "Well-led\n\nLeaders needed to make sure that falls risk assessments were "
        "reviewed after every fall. The manager who was on duty said the home needed to make "
        "sure that night staff were trained in using the hoist.\n",
        [
            "Make sure that falls risk assessments are reviewed after every fall",
            "Make sure that night staff are trained in using the hoist",
        ],
    ),
    "where-it-needs-to-improve-in": (
        "Summary of our findings\n\nWe have told the provider where it needs to improve, in "
        "the recording of medicines and in the training of night staff.\n",
        ["Improve the recording of medicines and the training of night staff"],
    ),
    "topic-named-already": (
        "News\n\nInspectors found that the service did not always have enough nurses on "
        "duty, and that some patients waited more than a day for a home visit. The trust has "
        "been told that it needs to review how it plans these home visits.\n",
        ["Review how the trust plans the home visits"],  # not "Home visit: review how…"
    ),
    "needed-more-attention": (
        "Caring\n\nStaff were kind. The privacy of patients in the four-bed bays needed "
        "more attention at night.\n",
        ["Give the privacy of patients in the four-bed bays more attention at night"],
    ),
    "a-name-keeps-its-capitals": (
        "Well-led\n\nFreedom to Speak Up\n\nStaff knew who the guardians were. Leaders needed "
        "to promote this across all sites.\n\nMental Health Act\n\nMental Health Act paperwork "
        "was in order. Leaders needed to audit this every month.\n",
        [
            "Promote Freedom to Speak Up across all sites",
            "Audit Mental Health Act paperwork every month",
        ],
    ),
    "this-is-done": (
        "Medicines management\n\nControlled drugs were stored securely. However, the controlled "
        "drugs register had not been checked by two staff on six occasions. The provider must "
        "ensure this is done every time.\n\nInfection control\n\nCleaning schedules were in "
        "place, but the cleaning records for the clinic rooms were not completed on most days "
        "in May. The practice must make sure this is done daily.\n",
        [
            "Ensure the controlled drugs register is checked by two staff every time",
            "Make sure the cleaning records for the clinic rooms are completed daily",
        ],
    ),
    "it-opens-the-sentence": (
        "Governance\n\nThe board did not receive enough information about patient safety "
        "incidents. It needs to receive regular reports so it can hold leaders to account.\n",
        ["Receive regular reports so the board can hold leaders to account"],
    ),
    "points-back-at-a-failure": (
        "Is the service responsive?\n\nComplaints\n\nThe service had received 14 complaints in "
        "the last year. Responses did not always address the concerns raised, and people were "
        "not told how to escalate them. The provider needs to improve this.\n\nLeaders told us "
        "they were aware that learning from complaints was not shared with staff and that this "
        "needed to change.\n\nEnd of life care\n\nNot all staff had completed end of life care "
        "training. The provider should make sure they do so.\n\nSome people did not have "
        "advance care plans. These needed to be put in place with the person and their "
        "family.\n\nConsent\n\nStaff did not always record whether people had capacity to "
        "consent. The manager must ensure that it is recorded for every decision.\n",
        [
            "Ensure responses address the concerns raised and people are told how to escalate them",
            "Ensure learning from complaints is shared with staff",
            "Ensure all staff have completed end of life care training",
            "Put advance care plans in place with the person and their family",
            "Ensure staff record whether people had capacity to consent for every decision",
        ],
    ),
    "this-was-put-in-place": (
        "Are services well-led?\n\nThe practice had a clear vision. However, governance "
        "arrangements did not always operate effectively. For example, the practice did not "
        "have a system to monitor the use of blank prescription forms. Practice leaders needed "
        "to make sure that this was put in place.\n\nWe found that patient group directions "
        "(PGDs) had expired. The lead GP agreed that these should be renewed immediately.\n",
        [
            "Ensure the practice has a system to monitor the use of blank prescription forms",
            "Renew patient group directions (PGDs) immediately",
        ],
    ),
    "how-it-is-done-now": (
        "Safe\n\nWe found the provider needed to improve the way it recruited staff. Two staff "
        "had started work before their references had been received.\n",
        ["Improve the way the provider recruits staff"],
    ),
    "the-referent-whole": (
        "Maternity services\n\nNot all staff had completed training in fetal monitoring. "
        "Managers needed to make sure that everyone did this training.\n\nWomen told us they "
        "were not always given information about their options for pain relief. The service "
        "should make sure women receive this information.\n\nSome equipment had not been "
        "checked. Staff must check it daily.\n",
        [
            "Make sure that everyone does the training in fetal monitoring",
            "Make sure women receive the information about their options for pain relief",
            "Ensure staff check the equipment daily",
        ],
    ),
    "the-sentence-before-opened-with-it": (
        "Our view of the service\n\nSafeguarding\n\nStaff knew how to recognise abuse but not "
        "all of them had completed safeguarding training. The provider should ensure that they "
        "complete it.\n\nSafeguarding concerns were not always reported to the local "
        "authority. The provider must make sure that they are.\n\nLearning culture\n\n"
        "Incidents were reported, but managers did not review them in a timely way. They must "
        "review them within 48 hours.\n\nInfection prevention and control\n\nThe kitchen was "
        "visibly dirty. The provider needs to ensure it is cleaned to an acceptable "
        "standard.\n",
        [
            "Ensure that staff complete safeguarding training",
            "Ensure safeguarding concerns are reported to the local authority",
            "Review incidents within 48 hours",
            "Ensure the kitchen is cleaned to an acceptable standard",
        ],
    ),
    "a-thing-must": (
        "Findings\n\nCare plans must reflect people's current needs. The complaints policy "
        "should set out how to escalate a complaint.\n",
        [
            "Ensure care plans reflect people's current needs",
            "Ensure the complaints policy sets out how to escalate a complaint",
        ],
    ),
    "two-things-joined-and-a-but": (
        "Safe\n\nFor example, one person's food and drink needed to be thickened, but staff gave "
        "them an unthickened drink during our visit.\n",
        ["Thicken one person's food and drink"],
    ),
    "past-deed-is-now": (
        "Safe\n\nThe manager told us the home needed to make sure that agency staff received "
        "an induction before their first shift.\n",
        ["Make sure that agency staff receive an induction before their first shift"],
    ),
    "this-failure-needs-to-improve": (
        "Effective\n\nFluid charts were not always completed for people at risk of "
        "dehydration. This needs to improve.\n",
        ["Ensure fluid charts are completed for people at risk of dehydration"],
    ),
    "two-failures-turned-round": (
        "Action we have told the provider to take\n\nRegulation 14: Meeting nutritional and "
        "hydration needs\n\nHow the regulation was not being met: Residents were not always "
        "offered drinks between meals, and food and fluid intake was not recorded.\n",
        ["Ensure residents are offered drinks between meals and food and fluid intake is recorded"],
    ),
    "found-that-not-when": (
        "Safe\n\nWe looked at the care records of people on the unit. We found that blood "
        "glucose readings had been taken for only four of the ten people with diabetes in the "
        "last two weeks. The provider must make sure that staff carry out these checks before "
        "every meal.\n",
        [  # what was found about leads, not when ("Last two weeks: …")
            "Blood glucose readings: make sure that staff carry out the checks before every meal"
        ],
    ),
    "topic-with-its-abbreviation": (
        "Medicines\n\nMedicine administration records (MARs) had gaps where staff had not "
        "signed. Weekly audits needed to pick up these errors and had not done so.\n",
        ["Medicine administration records: ensure weekly audits pick up the errors"],
    ),
    "topic-without-its-count": (
        "Medicines\n\nSeveral care plans had gaps where reviews were due. Monthly audits "
        "needed to pick up these omissions and had not done so.\n",
        ["Care plans: ensure monthly audits pick up the omissions"],
    ),
    "reason-given-is-the-finding": (
        "Effective\n\nThe provider must make sure that staff complete moving and handling "
        "training, as three staff told us they had not been shown how to use the hoist. The "
        "provider should review the falls register, as several falls had no recorded "
        "review.\n",
        [
            "Make sure that staff complete moving and handling training",
            "Review the falls register, as several falls had no recorded review",
        ],
    ),
    "what-it-needs-to-do": (
        "Our findings\n\nWe have told the provider what it needs to do to improve the way it "
        "manages complaints, and we will check this at our next inspection.\n",
        ["Improve the way the provider manages complaints"],
    ),
    "this-policy": (
        "Governance\n\nThe service had a new policy for the safe use of bed rails. Staff must "
        "follow this policy for every person who uses bed rails.\n",
        [
            "Ensure staff follow the new policy for the safe use of bed rails for every person "
            "who uses bed rails"
        ],
    ),
    "this-plan-after-the-registered-manager": (
        "Staffing\n\nThe registered manager had written a recruitment plan for night staff. "
        "The provider should monitor this plan at each monthly governance meeting.\n",
        ["Monitor the recruitment plan for night staff at each monthly governance meeting"],
    ),
    "those-patients": (
        "Caring\n\nSome patients with a learning disability did not have a hospital "
        "passport. Staff needed to make sure those patients had a passport on admission.\n",
        ["Make sure the patients with a learning disability have a passport on admission"],
    ),
    "this-assessment-possessive": (
        "Safe\n\nThe home's fire risk assessment was out of date. The provider must review "
        "this assessment.\n",
        ["Review the home's fire risk assessment"],
    ),
    "this-risk-that": (
        "Safe\n\nThere was a risk that patients' deteriorating health would not be "
        "identified. The hospital must address this risk.\n",
        ["Address the risk that patients' deteriorating health would not be identified"],
    ),
    "these-incidents-where": (
        "Safe\n\nWe saw two incidents where patients fell. The ward should review these "
        "incidents.\n",
        ["Review the incidents where patients fell"],
    ),
    # round 9b: what CQC told the provider, naming nothing more, is the requirement; its
    # title says so whole (no "it" left to resolve)
    "told-where-it-needs-to-improve": (
        "Summary of this inspection\n\nWe have told the trust where it needs to make "
        "improvements, and we will monitor its action plan.\n",
        ["Make the improvements CQC has told the trust to make"],
    ),
    "told-it-must-make-some-improvements": (
        "Summary\n\nFollowing this inspection, we told the provider that it must make some "
        "improvements, even though a regulation had not been breached, to help the service "
        "improve.\n",
        ["Make the improvements CQC has told the provider to make"],
    ),
    "told-what-to-do-to-put-things-right": (
        "News\n\nInspectors found that the home was not always safe. We have told the "
        "provider what it needs to do to put things right.\n",
        ["Do what CQC has told the provider to do to put things right"],
    ),
    # round 9 (short passages): a counted noun described by a participle and its object,
    # ended by the sentence's next verb; and "repeated" made a verb again
    "these-patients-prescribed": (
        "Safe\n\nWe looked at the records of 12 patients prescribed lithium and found that four "
        "had not had a blood test. The practice needed to start a recall system for these "
        "patients.\n",
        ["Start a recall system for the patients prescribed lithium"],
    ),
    "needed-to-be-repeated": (
        "Safe\n\nThe legionella risk assessment needed to be repeated, as the last one was from "
        "2014.\n",
        ["Repeat the legionella risk assessment"],
    ),
    # "it" after the one told is the one told (not the regulator that told it), a company's
    # name is "the provider", and the occasion after ", after an inspection…" is cut
    "told-a-company-that-it": (
        "News\n\nThe Care Quality Commission (CQC) has told Hillcrest Homes Ltd that it must "
        "improve how it plans staffing at Rose Court, after an inspection in May found people "
        "waited too long for help.\n",
        ["Improve how the provider plans staffing at Rose Court"],
    ),
    # an "its" left after the title names its subject is still that subject's
    "its-after-the-way-it": (
        "News\n\nThe chief inspector said the trust needed to reduce delays in its outpatient "
        "clinics and improve the way it responded to complaints.\n",
        [
            "Reduce delays in the trust's outpatient clinics and improve the way the trust "
            "responds to complaints"
        ],
    ),
    # a place of the provider that needed to do something with no object keeps its name
    "a-place-without-object": (
        "Responsive\n\nThe service manager told us the memory clinic needed to open on "
        "Saturdays.\n",
        ["Ensure the memory clinic opens on Saturdays"],
    ),
    # the provider's people reported on, in a state to reach, are named (not who reported
    # them), and ", as they saw…" is the finding
    "relatives-told-us-carers-be": (
        "What people said\n\nCare workers needed to be more punctual, as relatives saw calls "
        "start an hour late.\n",
        ["Ensure care workers are more punctual"],
    ),
    # "this arrangement" after staff saying how they have to work is that way of working
    "this-arrangement-reported": (
        "Staffing\n\nStaffing had improved. However, healthcare assistants told us they needed "
        "to escort patients to the acute hospital alone at night, and the trust needed to "
        "review this arrangement.\n",
        [
            "Review the arrangement for healthcare assistants to escort patients to the acute "
            "hospital alone at night"
        ],
    ),
    # "telling it that it must improve the way it…": "it" is the organisation named before
    "telling-it-that-it": (
        "Enforcement\n\nWe served a warning notice on the provider telling it that it must "
        "improve the way it checks the safety of the premises by 1 March 2015.\n",
        ["Improve the way the provider checks the safety of the premises by 1 March 2015"],
    ),
    # the reason after ", as", ", who told us…" is the finding: "as" + a subject and a past
    # verb, or a longer subject before "found"
    "as-she-worked-who-told-us": (
        "Well-led\n\nThe practice manager said she needed more time for audits, as she also "
        "worked on reception. The provider needs to make sure records are checked, as two "
        "audits of the records in 2019 found the same gaps. The trust needs to share learning "
        "with agency staff, who told us they never saw the bulletins.\n",
        [
            "Ensure the practice manager has more time for audits",
            "Make sure records are checked",
            "Share learning with agency staff",
        ],
    ),
    # what was found needing a gerund is what the title names, not the words reporting it;
    # ", which were not…" is the finding; a later part that is a bare verb adds no action
    "found-that-needed-cleaning": (
        "What we found\n\nOn our visit we found that the bathrooms on the first floor needed "
        "cleaning and that two hoists were dirty. Leaders should make sure the audit covers "
        "the hoists, which were not on it. The home needed a better cleaning schedule, and "
        "the manager agreed this needed to improve.\n",
        [
            "Clean the bathrooms on the first floor",
            "Make sure the audit covers the hoists",
            "Ensure the home has a better cleaning schedule",
        ],
    ),
    # "those" + a participle is the title's own plural noun before it, narrowed
    "those-needed-for": (
        "The practice must:\n- Ensure that dressings are stocked and that those needed for "
        "leg ulcer clinics are in date.\n\nShare this page\n",
        [
            "Ensure that dressings are stocked and that the dressings needed for leg ulcer clinics "
            "are in date"
        ],
    ),
    # round 10 (tests/corpus/README.md): a new author's wordings
    "reporting-frame-in-the-clause": (
        "Safe\n\nThe ward had new syringe pumps, and the matron agreed in March that the pumps needed to be checked before every shift.\n",
        ["Check the pumps before every shift"],
    ),
    "a-second-one-needed-with-a-comment": (
        "Staffing\n\nThe manager conceded that a second cook was needed at weekends, a point relatives had raised since June.\n",
        ["Ensure there is a second cook at weekends"],
    ),
    "they-are-the-reporters": (
        "Well-led\n\nGovernors acknowledged that they needed clearer reports on complaints, which at the time was reported only as a count.\n",
        ["Ensure governors have clearer reports on complaints"],
    ),
    "should-not-have-to": (
        "Staffing\n\nPorters told us that they should not have to wait for a nurse to sign for every specimen.\n\nDistrict nurses should not have to carry paper records between clinics.\n",
        [
            "Ensure porters do not have to wait for a nurse to sign for every specimen",
            "Ensure district nurses do not have to carry paper records between clinics",
        ],
    ),
    "a-priority": (
        "Responsive\n\nReducing missed appointments must now be a priority for the practice.\n\nThe trust's budget meant that the upgrade of the telephone system had been postponed. This must now be a priority for the board.\n",
        [
            "Make reducing missed appointments a priority for the practice",
            "Make the upgrade of the telephone system a priority for the board",
        ],
    ),
    "an-outcome-by-a-date": (
        "Effective\n\nBy June 2020, all healthcare assistants on the stroke unit must have completed dysphagia training.\n",
        [
            "Ensure all healthcare assistants on the stroke unit have completed dysphagia training by June 2020"
        ],
    ),
    "a-need-for-it-to": (
        "Responsive\n\nThere remains a need for it to reduce the time patients wait for a follow-up appointment in ophthalmology.\n",
        ["Reduce the time patients wait for a follow-up appointment in ophthalmology"],
    ),
    "listed-noun-phrases-and-a-question": (
        "Action the trust MUST take to improve\n\n- A single policy for the observation of patients across the acute wards.\n- Fridge temperatures on every ward to be recorded daily.\n\nAction the trust SHOULD take to improve\n\n- Is the ward's escalation log up to date? Keep it under review so that it is.\n- Is the falls group meeting often enough? Review its membership.\n",
        [
            "Ensure there is a single policy for the observation of patients across the acute wards",
            "Ensure fridge temperatures on every ward are recorded daily",
            "Keep the ward's escalation log under review so that it is up to date",
            "Review the falls group's membership",
        ],
    ),
    "as-robust-as-those": (
        "Well-led\n\nAudits in the community teams need to be as thorough as those the trust carries out on the wards.\n",
        [
            "Ensure audits in the community teams are as thorough as the audits the trust carries out on the wards"
        ],
    ),
    "significant-investment": (
        "Safe\n\nThe board recognised that the boiler house needed significant investment.\n",
        ["Invest significantly in the boiler house"],
    ),
    "the-providers-name-is-its-role": (
        "News\n\nThe Chief Inspector said that Oakwell Community Healthcare NHS Trust must improve the care it provides in its community hospitals.\n",
        ["Improve the care the trust provides in the trust's community hospitals"],
    ),
    "inside-a-relative-clause": (
        "Safe\n\nFluid charts, which the home's own policy says must be totalled every evening, were incomplete for five of the 12 people we checked.\n\nManagers in the surgical division, who told us they recognised that the division needed more theatre staff, had not yet agreed a business case.\n",
        [
            "Ensure fluid charts are totalled every evening",
            "Ensure the division has more theatre staff",
        ],
    ),
    "this-is-the-clause-before": (
        "Responsive\n\nThe chaplain told us he would like a quiet room on the ward, and the ward manager agreed that this needed to be addressed.\n",
        ["Address: the chaplain told us he would like a quiet room on the ward"],
    ),
    "what-the-failure-led-to": (
        "Compliance actions\n\nThe practice must ensure that records of home visits are kept up to date, so clinicians could not be sure which patients had been seen.\n",
        ["Ensure that records of home visits are kept up to date"],
    ),
}

LEANS_ON_ITS_PARAGRAPH = re.compile(r"\b(?:this|these|those|its)\b|^Do to\b", re.I)


@pytest.mark.parametrize("name", sorted(PASSAGES))
def test_the_title_stands_alone(name: str) -> None:
    text, titles = PASSAGES[name]
    found = [r.title for r in extract_requirements(text, include_should=True)]
    assert found == titles
    assert not any(LEANS_ON_ITS_PARAGRAPH.search(t) for t in found), found


def test_a_name_is_not_cut_to_make_a_title() -> None:
    """ "these audits" after "the Royal College of Emergency Medicine audits": the phrase
    before is part of a name, so it is not half-copied ("the Emergency Medicine audits")."""
    text = (
        "Outcomes\n\nResults from the Royal College of Emergency Medicine audits were below "
        "the national standard. Leaders should make sure actions from these audits are "
        "followed up.\n"
    )
    (req,) = extract_requirements(text, include_should=True)
    assert "the Emergency Medicine audits" not in req.title
    assert "followed up" in req.title


def test_an_antecedent_cut_at_and_is_not_taken() -> None:
    """ "the guidance of the speech and language therapist": where the phrase ends is
    unsure, so "this guidance" is not replaced by half of it."""
    text = (
        "Safe\n\nStaff did not always follow the guidance of the speech and language "
        "therapist. The provider must ensure this guidance is recorded in care plans.\n"
    )
    (req,) = extract_requirements(text)
    assert "of the speech is" not in req.title
    assert "of the speech" not in req.title.replace("language therapist", "")


# --- words hyphenated at a line end (PDF copies) ------------------------------------------

PDF_PAGE = """Quality Report

Summary of findings

The trust had begun to work with people who use services on co-
production, and the board was well-
led. However, leaders needed to improve the manage-
ment of risks on the community wards, and the safe-
guarding team should complete a follow-
up audit of referrals. Staff should agree person-
centred plans with each patient, and give face-to-
face updates to families. Not all staff had the evidence-
based training they needed.
"""


def _sentences(text: str) -> list[str]:
    return [u.text for u in split_units(text) if u.kind == "sentence"]


def test_a_compound_keeps_its_hyphen_and_a_broken_word_is_joined() -> None:
    sentences = _sentences(PDF_PAGE)
    assert sentences[0] == (
        "The trust had begun to work with people who use services on co-production, and the "
        "board was well-led."
    )
    assert sentences[1] == (
        "However, leaders needed to improve the management of risks on the community wards, "
        "and the safeguarding team should complete a follow-up audit of referrals."
    )
    assert sentences[2] == (
        "Staff should agree person-centred plans with each patient, and give face-to-face "
        "updates to families."
    )
    assert sentences[3] == "Not all staff had the evidence-based training they needed."


def test_the_titles_read_the_words_whole() -> None:
    titles = [r.title for r in extract_requirements(PDF_PAGE, include_should=True)]
    assert "Improve the management of risks on the community wards" in titles[0]
    assert "follow-up audit" in titles[0]
    assert all("manage-" not in t and "coproduction" not in t for t in titles)


@pytest.mark.parametrize(
    ("elsewhere", "joined"),
    [
        ("The re-assessment of every patient was overdue.", "re-assessment"),
        ("The reassessment of every patient was overdue.", "reassessment"),
    ],
)
def test_the_document_decides_how_it_spells_the_word(elsewhere: str, joined: str) -> None:
    """ "re-" / "assessment" at a line end is written as the document writes it elsewhere."""
    text = (
        f"Findings\n\n{elsewhere}\n\nThe provider must complete a re-\nassessment of "
        "falls risk for every resident.\n"
    )
    assert f"must complete a {joined} of falls risk" in " ".join(_sentences(text))


@pytest.mark.parametrize(
    ("broken", "whole"),
    [
        ("control-\nled", "controlled"),
        ("un-\nrelated", "unrelated"),
        ("hand-\nover", "handover"),
        ("medi-\ncines", "medicines"),
        ("self-\nassessment", "self-assessment"),
        ("non-\nexecutive", "non-executive"),
        ("nurse-\nled", "nurse-led"),
        ("long-\nterm", "long-term"),
        ("up-to-\ndate", "up-to-date"),
    ],
)
def test_a_hyphen_at_a_line_end(broken: str, whole: str) -> None:
    text = f"Findings\n\nThe ward used a {broken} record for each patient.\n"
    assert _sentences(text) == [f"The ward used a {whole} record for each patient."]
