"""The plan does not depend on how the report was copied: each corpus document gives the same
requirements after the changes a copy makes without changing what the text says (Windows line
ends, no-break spaces, straight or curly quotes, other bullet marks, tabs, trailing spaces,
extra blank lines, page numbers between paragraphs, every line indented). bench/copy_robustness.py
counts the change that still moves the plan (hard-wrapping at 78 columns): RESULTS.md."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

from cpft_tracker.documents import read_document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import copy_robustness as copies  # noqa: E402

# Changes made together, as one copy would make them.
COPIES = {
    "a Windows copy": ("trailing", "nbsp", "straight", "blank2", "pageno", "indent", "crlf"),
    "a copy with other bullet marks": ("bullets", "tabs", "curly"),
}


@cache
def _original(path: Path) -> frozenset[str]:
    return frozenset(copies.requirements(read_document(path).text))


@pytest.mark.parametrize("copy", list(COPIES))
def test_every_corpus_document_gives_the_same_plan_however_it_was_copied(copy: str) -> None:
    paths = copies.documents()
    assert len(paths) >= 170
    moved = []
    for path in paths:
        text = read_document(path).text
        for change in COPIES[copy]:
            text = copies.CHANGES[change](text)
        if frozenset(copies.requirements(text)) != _original(path):
            moved.append(path.name)
    assert moved == []


def test_the_changes_do_change_the_text() -> None:
    text = "The trust’s wards:\n\n- The trust must review its staffing.\n\nThe ward’s  list.\n"
    for change, make in copies.CHANGES.items():
        assert make(text) != text or change in ("wrap", "pageno", "curly"), change
    assert copies.CHANGES["bullets"](text).count("●") == 1
    assert "\u00a0" in copies.CHANGES["nbsp"]("a b c d e f g h i j")
