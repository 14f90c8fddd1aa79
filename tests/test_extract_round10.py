"""Round 10 of the tuning corpus (tests/corpus/README.md): a sentence on each side of every
rule its documents led to. Kept apart from tests/test_extract.py so that rounds written at the
same time merge cleanly."""

from __future__ import annotations

import pytest

from cpft_tracker.extract import extract_requirements

ROUND_10_SENTENCES: list[tuple[str, str | None]] = [
    # the provider itself acknowledging a need is not a member of staff's routine, whatever
    # "when" comes later in the sentence
    (
        "The trust has acknowledged that it needs to work with its local partners to reduce the "
        "number of patients who stay in hospital when they are well enough to leave.",
        "needs",
    ),
    # (its other side: a member of staff's each-time need is still their work)
    (
        "The clinical navigator told us he needed to ring patients back when their wait went "
        "over two hours.",
        None,
    ),
    # a clause after "but" that names nothing names nothing
    (
        "We found that the trust was meeting four of the six essential standards we reviewed, "
        "but improvements were needed.",
        None,
    ),
    # (its other side: it names what)
    (
        "The trust was meeting four of the six standards, but improvements were needed in how "
        "wound care was recorded.",
        "needs",
    ),
    # a hedged need ("may need to", "might well need to") is a possibility raised
    ("The practice may need to ask its occupational health provider for copies.", None),
    (
        "The trust might well need to revisit its nurse staffing establishment if the new ward "
        "opens.",
        None,
    ),
    # (its other side: no hedge)
    ("The practice needs to ask its occupational health provider for copies.", "needs"),
    # staff reporting what they "should not have to" do report a burden to remove, not a rule
    # of their work
    (
        "Staff did not always receive feedback after reporting an incident, and several nurses "
        "said that they should not have to chase the governance team for the outcome.",
        "should",
    ),
    # (its other sides: a rule of their work; people using the service saying it)
    ("Nurses told us they should complete the checklist before every transfer.", None),
    ("Patients told us they should not have to wait so long for a call back.", None),
    # a keyword in a relative clause set off by commas: the main predicate after it decides
    # (done, or a finding with no failure: the clause is background about its noun)
    (
        "The director of nursing assured us that the staffing review, which needed to be "
        "completed by the end of March, had been finished and presented to the board.",
        None,
    ),
    (
        "The trust, which must by law have arrangements to protect patients from infection, had "
        "an infection control team that visited each hospital monthly.",
        None,
    ),
    # (its other sides: the main predicate finds a failure, so the rule is a duty not met and
    # the need is still open)
    (
        "Records of wound care, which the trust's documentation policy says must be completed at "
        "every visit, were incomplete for nine of the 24 patients whose records we looked at.",
        "must",
    ),
    (
        "Leaders in the medicine division, who told us they recognised that the division needed "
        "more consultant cover at weekends, had not yet agreed a plan to provide it.",
        "needs",
    ),
    # a need in a relative clause on the subject, the main predicate saying it was done
    (
        "The provider sent us an action plan, and at this inspection we found the improvements "
        "it said it needed to make had been made.",
        None,
    ),
    (
        "New staff completed an induction that the manager said had needed updating, and which "
        "had been rewritten in June to follow the Care Certificate.",
        None,
    ),
    # (its other side: not done)
    (
        "The registered manager said the induction needed updating, and which parts would change "
        "was still being discussed.",
        "needs",
    ),
    # a state that has held since a time before the report meets what was needed
    (
        "The medical director recognised that junior doctors should not be left without senior "
        "support at night, and since August a consultant has been on site every night.",
        None,
    ),
    # (its other side: since then, still not)
    (
        "The medical director recognised that junior doctors should not be left without senior "
        "support at night, and since August there has been no change.",
        "should",
    ),
    # a demonstrative taking up a noun of the need ("a meeting" / "these meetings") found done
    (
        "The lead GP recognised that the safeguarding register needed to be reviewed each month "
        "in a meeting with the health visitor, and these meetings had restarted in January.",
        None,
    ),
    # (its other side: the demonstrative takes up something else)
    (
        "The lead GP recognised that the safeguarding register needed to be reviewed each month, "
        "and these visitors had asked for it.",
        "needs",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_10_SENTENCES)
def test_round_10_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])
