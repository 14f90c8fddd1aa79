"""Round 12 of the tuning corpus (tests/corpus/README.md): a text on each side of every rule
its documents led to. Kept apart from tests/test_extract.py so that rounds written at the
same time merge cleanly."""

from __future__ import annotations

import pytest

from cpft_tracker.extract import extract_requirements, split_units

ROUND_12_TEXTS: list[tuple[str, str | None]] = [
    # a bare plural of a kind of provider ("online services") narrowed by a relative clause is
    # the class, and the law's second clause after it ("and prescribers should…") goes with it
    (
        "Online services that prescribe medicines must be able to confirm a patient's identity, "
        "and prescribers should follow the General Medical Council's guidance on remote "
        "prescribing.",
        None,
    ),
    # (its other side: the services this provider runs, and its own name in the second clause)
    ("The services that the provider runs must be able to confirm a patient's identity.", "must"),
    (
        "Online services that prescribe medicines must be able to confirm a patient's identity, "
        "and the provider should review how it does this.",
        "should",
    ),
    # "client" and "prisoner" are people using a service: what they said is their voice
    ("A former client told us the service should offer more sessions for families.", None),
    ("Prisoners told us the healthcare unit needed to open the hatch earlier.", None),
    # (its other side: the one who runs it)
    (
        "The registered manager told us the service should offer more sessions for families.",
        "should",
    ),
    # "Another said…" is another of those the sentence before opened with
    (
        'Relatives praised the home. One relative told us, "Mum gets everything she needs." '
        'Another said the home should be "a model for others".',
        None,
    ),
    # (its other side: another of those who run it, and a need the manager takes up)
    (
        "The registered manager was new. One manager told us the rota was late. Another said the "
        "home should recruit two more nurses.",
        "should",
    ),
    (
        "One relative told us the food was good. Another said the home should improve its "
        "menus, and the manager agreed.",
        "should",
    ),
    # a rating's definition, wherever printed, and a glossary's sentences define words
    (
        "Requires improvement: the service isn't performing as well as it should and we have "
        "told the service how it must improve.",
        None,
    ),
    (
        "Glossary of terms\n\nSepsis Six: six steps that staff should take within an hour of "
        "recognising sepsis.\n\nVenous thromboembolism (VTE): a blood clot in a vein. Patients "
        "admitted to hospital need a risk assessment so that those at risk can be treated.\n",
        None,
    ),
    # (its other side: the same words under a finding's heading, and CQC's report of what it
    # told this provider)
    (
        "Are services safe?\n\nStaff should take the Sepsis Six steps within an hour of "
        "recognising sepsis.\n",
        "should",
    ),
    ("We have told the service how it must improve.", "must"),
    # a rule of the work reported, and a second that-clause saying it was not kept
    (
        "The nurse in charge told us this should be done every day, and that the night staff "
        "had not known it was their task.",
        "should",
    ),
    # (its other side: the second that-clause says it was kept, or says nothing of it)
    (
        "The nurse in charge told us this should be done every day, and that the night staff "
        "did it.",
        None,
    ),
    ("Staff told us they must ring the on-call manager, and that this had helped.", None),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_12_TEXTS)
def test_round_12_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])


def test_a_sites_own_cookie_sentence_is_page_furniture() -> None:
    text = (
        "This website uses cookies. Some are needed to make the site work; others help us "
        "improve it.\nAccept all cookies\n\nSummary\n\nThe provider needs to review its audits.\n"
    )
    units = [u.text for u in split_units(text)]
    assert not any("cookies" in u or "Some are needed" in u for u in units)
    assert [r.text for r in extract_requirements(text)] == [
        "The provider needs to review its audits."
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # "this" is the deed the finding just before says was not done, turned round, with
        # what the sentence adds (how often); opening adverbials of the finding are not it
        (
            "Controlled drugs were stored correctly. However, on two of the days we looked at, "
            "the fridge temperature had not been recorded. The nurse in charge told us this "
            "should be done every day, and that the night staff had not known it was their task.",
            "Ensure the fridge temperature is recorded every day",
        ),
        (
            "The service did not always record why a client's medicines had been changed. The "
            "registered manager agreed that this needed to be recorded every time.",
            "Ensure the service records why a client's medicines had been changed every time",
        ),
        # (its other side: "Ensure this is done…" is left to the rules that already read it)
        (
            "The controlled drugs register had not been checked by two staff. The provider must "
            "ensure this is done every time.",
            "Ensure the controlled drugs register is checked by two staff every time",
        ),
        # a thing of the provider's, reported by one who runs it, keeps its name
        (
            "The medical director told us the audits needed to cover antibiotics more often.",
            "Ensure the audits cover antibiotics more often",
        ),
        # (its other side: a person reported is the one who acts)
        (
            "The manager told us the new nurse needed to complete her medicines competency.",
            "Complete the new nurse's medicines competency",
        ),
    ],
)
def test_round_12_titles(text: str, title: str) -> None:
    assert [r.title for r in extract_requirements(text, include_should=True)] == [title]
