"""Issue 14, finding 5: text from people cannot drive the terminal it is shown on.

``textsafe.visible`` is pure, so it is tested directly: examples from the finding, then properties
over any text hypothesis can make (surrogates and every control character included).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpft_tracker.errors import UsageProblem
from cpft_tracker.textsafe import UNSAFE, check_by, visible

ANY_CHAR = st.characters(blacklist_categories=())  # surrogates and unassigned code points too
HOSTILE = st.sampled_from(sorted(UNSAFE) + ["\ud800", "\udfff"])
PRINTABLE = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"),
)


def _dangerous(text: str) -> list[str]:
    return [ch for ch in text if ch in UNSAFE or 0xD800 <= ord(ch) < 0xE000]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Chased \x1b[2J\x1b[H again", "Chased \\x1b[2J\\x1b[H again"),  # clear the screen
        ("\x1b]0;pwned\x07title", "\\x1b]0;pwned\\x07title"),  # set the window title
        (
            "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # plant a hyperlink
            "\\x1b]8;;https://evil.example\\x1b\\click\\x1b]8;;\\x1b\\",
        ),
        ("mallory\x1b[2K\rAlice", "mallory\\x1b[2K\\rAlice"),  # rewrite the who column
        ("abc\x08\x08\x08xyz", "abc\\x08\\x08\\x08xyz"),
        ("invoice\u202egpj.exe", "invoice<U+202E>gpj.exe"),
        ("\u2066x\u2069 \u200e\u200f\u061c", "<U+2066>x<U+2069> <U+200E><U+200F><U+061C>"),
        ("c1 \x9b31m csi", "c1 \\x9b31m csi"),
        ("del\x7f", "del\\x7f"),
        ("line one\nline two\ttabbed", "line one line two tabbed"),
        ("sep\u2028arator", "sep<U+2028>arator"),
        ("lone \ud83d surrogate", "lone <U+D83D> surrogate"),
        ("Siobhán O'Neill — 5 days <late> & \\x1b", "Siobhán O'Neill — 5 days <late> & \\x1b"),
    ],
)
def test_the_findings_examples_are_shown_not_obeyed(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_a_multi_line_note_keeps_its_lines_and_tabs() -> None:
    note = "Discussed at board.\r\n\tActions:\n- audit\rdone\x1b[1A"
    assert (
        visible(note, multiline=True) == "Discussed at board.\n\tActions:\n- audit\\rdone\\x1b[1A"
    )


@given(st.text(alphabet=ANY_CHAR) | st.lists(HOSTILE | ANY_CHAR).map("".join))
def test_output_never_holds_a_control_bidi_or_surrogate_character(text: str) -> None:
    one_line = visible(text)
    assert _dangerous(one_line) == []
    one_line.encode("utf-8")  # printable on any UTF-8 terminal, no UnicodeEncodeError
    many = visible(text, multiline=True)
    assert [ch for ch in _dangerous(many) if ch not in "\n\t"] == []


@given(st.text(alphabet=PRINTABLE))
def test_printable_text_is_unchanged(text: str) -> None:
    assert visible(text) == text
    assert visible(text, multiline=True) == text


@given(st.text(alphabet=PRINTABLE | st.sampled_from("\n\t")))
def test_printable_lines_and_tabs_are_unchanged_in_multi_line_mode(text: str) -> None:
    assert visible(text, multiline=True) == text


@given(st.text(alphabet=PRINTABLE), HOSTILE, st.text(alphabet=PRINTABLE))
def test_only_the_unsafe_character_changes(before: str, bad: str, after: str) -> None:
    shown = visible(before + bad + after)
    assert shown.startswith(before) and shown.endswith(after)
    assert bad not in shown and len(shown) > len(before) + len(after)


@pytest.mark.parametrize(
    ("name", "described"),
    [
        ("mallory\x1b[2K\rAlice", "ESC, U+001B"),
        ("Alice\rBob", "carriage return, U+000D"),
        ("Alice\u202eecilA", "U+202E"),
        ("bell\x07", "BEL, U+0007"),
    ],
)
def test_by_refuses_control_characters(name: str, described: str) -> None:
    with pytest.raises(UsageProblem) as caught:
        check_by(name)
    assert caught.value.exit_code == 2
    assert caught.value.message == (
        f"--by holds a control character ({described}), which could disguise who made the "
        "change. Type the name as plain text, e.g. --by 'Sam Jones'."
    )


def test_by_accepts_ordinary_names_and_refuses_empty_or_huge_ones() -> None:
    assert check_by("  Siobhán O'Neill-Brown (Deputy DoN) ") == "Siobhán O'Neill-Brown (Deputy DoN)"
    for empty in ("", "   ", None):
        with pytest.raises(UsageProblem, match="--by is empty"):
            check_by(empty)
    with pytest.raises(UsageProblem, match="a name has at most 200"):
        check_by("A" * 201)


@given(st.text(alphabet=PRINTABLE), HOSTILE, st.text(alphabet=PRINTABLE))
def test_by_never_accepts_a_name_with_a_control_character_inside(
    before: str, bad: str, after: str
) -> None:
    with pytest.raises(UsageProblem):
        check_by(f"A{before}{bad}{after}Z")
