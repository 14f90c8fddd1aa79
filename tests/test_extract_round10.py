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
]


@pytest.mark.parametrize(("text", "expected"), ROUND_10_SENTENCES)
def test_round_10_sentence_structures(text: str, expected: str | None) -> None:
    found = [r.keyword for r in extract_requirements(text, include_should=True)]
    assert found == ([expected] if expected else [])
