"""Property tests: the extractor never crashes and its output always holds together."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpft_tracker.extract import (
    RULES,
    document_title,
    extract_requirements,
    fingerprint,
    looks_like_cqc_report,
    needs_review,
)
from cpft_tracker.quality_statements import NAMES

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Report-like fragments, so that generated texts actually contain requirements.
FRAGMENTS = [
    "The trust must ensure",
    "staff needed more training",
    "needs to be reviewed",
    "people's needs",
    "as needed",
    "Action the trust MUST take to improve",
    "The provider should:",
    "- Ensure that",
    "1. ",
    "a) ",
    "(i) ",
    "“we need more staff”",
    "(actions the home must comply with)",
    "assessed.These",
    "e.g.",
    "Dr.",
    "No. 3",
    "3.5",
    "www.cqc.org.uk",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    ".",
    ":",
    "# Heading",
    "Page 2",
    "\ufeff",
    "\x00",
    "\x0c",
    "\u2028",
    "needing",
    "in need of",
    "there was a need for",
    "must not",
    "We will need to",
    "The provider must improve in the following areas by 31 March 2012:",
    "Outcome 4: Care and welfare of people who use services",
    "Regulation 12 HSCA RA Regulations 2014 Safe care and treatment",
    "Find a service",
    "Care homes",
    "this",
    "these interventions",
    " and it ",
    "MUST scores",
    "Providers must",
]
report_like = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40
).map("".join)
any_text = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=400),
    st.text(alphabet=".,;:!?()[]“”\"'‘’-•*#", max_size=200),
    report_like,
)


def collapse(s: str) -> str:
    return " ".join(s.split())


@FAST
@given(any_text, st.booleans())
def test_any_text_extracts_and_the_output_holds_together(text: str, include_should: bool) -> None:
    reqs = extract_requirements(text, include_should=include_should)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for n, r in enumerate(reqs, start=1):
        assert r.position == n
        assert r.text and r.text == collapse(r.text)
        assert r.text in collapse(r.context)
        assert r.matched in r.text
        # "" only for what a lead-in or a table row carries ("The provider needs to:" over
        # "- Review the rota" is keyword needs, matched "")
        assert r.matched or r.rule in ("leadin_bullet", "notice_item", "breach_row")
        assert r.keyword in (("must", "needs", "should") if include_should else ("must", "needs"))
        assert r.title and r.title == collapse(r.title)
        assert not r.title.endswith("…") or r.text.rstrip(" .").endswith("…")  # never cut
        assert r.quality_statement is None or r.quality_statement in NAMES
        assert 1 <= r.line <= len(lines)
        assert r.section is None or r.section.strip()


@FAST
@given(any_text)
def test_extraction_is_deterministic(text: str) -> None:
    assert extract_requirements(text, include_should=True) == extract_requirements(
        text, include_should=True
    )


@FAST
@given(any_text)
def test_should_flag_only_adds_should_items(text: str) -> None:
    without = [(r.text, r.keyword) for r in extract_requirements(text)]
    with_should = [(r.text, r.keyword) for r in extract_requirements(text, include_should=True)]
    assert [x for x in with_should if x[1] != "should"] == without


@FAST
@given(any_text)
def test_document_title_and_fingerprint_never_fail(text: str) -> None:
    title = document_title(text)
    assert title is None or (title.strip() and len(title) <= 120)
    assert len(fingerprint(text)) == 16
    assert fingerprint(text) == fingerprint(" " + text + "\n")  # whitespace never matters


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=2000, max_value=20000), st.sampled_from(["x", ".", " must ", "é"]))
def test_very_long_lines(n: int, piece: str) -> None:
    reqs = extract_requirements(piece * n)
    for r in reqs:
        assert r.title  # whole, however long: only a terminal display shortens it
        assert not r.title.endswith("…") or piece == "…"


@FAST
@given(any_text)
def test_why_how_sure_duplicates_and_review_hold_together(text: str) -> None:
    reqs = extract_requirements(text, include_should=True)
    positions = {r.position for r in reqs}
    for r in reqs:
        assert r.rule in RULES
        assert r.confidence in ("high", "medium", "low")
        assert r.due is None or (len(r.due) == 10 and r.due[4] == "-" and r.due[7] == "-")
        assert r.position not in r.possible_duplicates
        for other in r.possible_duplicates:
            assert r.position in reqs[other - 1].possible_duplicates  # both ways
    for position, reason in needs_review(reqs):
        assert position in positions and reason


@FAST
@given(any_text)
def test_looks_like_cqc_report_always_answers_with_a_reason(text: str) -> None:
    ok, reason = looks_like_cqc_report(text)
    assert isinstance(ok, bool)
    assert reason and reason == reason.strip() and "\n" not in reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=900), st.sampled_from(["must", "needs to", "should"]))
def test_the_words_before_a_keyword_are_where_the_sentence_has_them(pad: int, keyword: str) -> None:
    # however far into a long sentence the keyword sits, the words the rules read before it
    # are the sentence's own at the offsets given (they were shifted past 300 characters)
    from cpft_tracker.extract.rules import _tokens_before

    s = "Records showed, " + "in ward after ward, " * (pad // 20) + f"the trust {keyword} act."
    end = s.index(keyword)
    toks = _tokens_before(s, end)
    assert toks and all(s[a:b].lower() == t for t, a, b in toks)
    assert [t for t, _, _ in toks][-2:] == ["the", "trust"]


def test_no_extractor_module_binds_one_name_twice() -> None:
    # a second module-level regex under a name already used silently replaces the first
    # for every rule that reads it (it happened twice in titles.py)
    import ast
    from collections import Counter
    from pathlib import Path

    import cpft_tracker.extract as package

    for path in Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [
            target.id
            for node in tree.body
            if isinstance(node, (ast.Assign, ast.AnnAssign))
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        ]
        twice = [n for n, c in Counter(names).items() if c > 1 and n != "__all__"]
        assert twice == [], f"{path.name} binds {twice} more than once"
