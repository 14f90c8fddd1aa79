"""history at 80 and 60 columns: Who and Ref wrap within their columns, never cut with '…'
(issue 13, the 'Small' list), through a pipe and in a real terminal (tmux)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.remind_helpers import Row, make_plan
from tests.test_tables import in_tmux, needs_tmux, words

LONG_BY = "Dr Alexandra Featherstonehaugh-Smythe"
LONG_NOTE = "Committee moved to the spring; draft terms of reference circulated to divisional leads"


@pytest.fixture
def history(db_path: Path) -> None:
    make_plan(db_path, [Row("Falls risk assessments on time", None, None, None)])
    env = {"CPFT_TRACKER_TODAY": "2026-03-01"}
    for args in (
        ("assign", "T-01", "Deputy Director of Nursing and Quality Governance", "--new-owner"),
        ("note", "T-01", LONG_NOTE),
    ):
        done = run_cli(*args, "--by", LONG_BY, env=env)
        assert done.returncode == 0, done.stderr


def check(screen: str, columns: int) -> None:
    assert "…" not in screen and "..." not in screen
    assert max(len(line.rstrip()) for line in screen.splitlines()) <= columns
    text = words(screen)
    for header in ("When (UTC)", "Who", "Ref", "What"):
        assert header in screen.splitlines()[0]
    # the Who column, read down: the whole name, wrapped (a long word folded), every letter kept
    lines = screen.splitlines()
    start, end = lines[0].index("Who"), lines[0].index("Ref")
    column = "".join(line[start:end].strip() for line in lines[1:]).replace(" ", "")
    assert "".join(LONG_BY.split()) in column
    assert "T-01" in text


@pytest.mark.parametrize("columns", [80, 60])
def test_history_through_a_pipe_cuts_nothing(history: None, columns: int) -> None:
    done = run_cli("history", env={"COLUMNS": str(columns)})
    assert done.returncode == 0, done.stderr
    check(done.stdout, columns)
    lines = done.stdout.splitlines()
    what = " ".join(line[lines[0].index("What") :].strip() for line in lines[1:])
    assert words(LONG_NOTE) in words(what)


@needs_tmux
@pytest.mark.parametrize("columns", [80, 60])
def test_history_in_a_real_terminal_cuts_nothing(
    history: None, tmp_path: Path, columns: int
) -> None:
    screen = in_tmux(tmp_path, ["history"], columns=columns, lines=60, env={"PAGER": "cat"})
    assert "EXIT=0" in screen
    check(screen.split("EXIT=")[0], columns)


def test_the_ref_column_holds_refs_only(db_path: Path) -> None:
    """An event about the plan (a report imported, an owner's address) names what it is about
    in What; the Ref column is not filled with a report's name broken across eight lines."""
    from tests.conftest import BUNDLED_REPORT

    assert run_cli("import", str(BUNDLED_REPORT)).returncode == 0
    done = run_cli(
        "assign", "CPFT-01", "Director of Nursing", "--email", "dn@example.nhs.uk", "--new-owner"
    )
    assert done.returncode == 0, done.stderr
    shown = run_cli("history", env={"COLUMNS": "80"})
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    start, end = lines[0].index("Ref"), lines[0].index("What")
    refs = {line[start:end].strip() for line in lines[1:]} - {""}
    assert refs and all(ref.startswith("CPFT-") for ref in refs), refs
    text = words(shown.stdout)
    assert "Director of Nursing: owner email set to dn@example.nhs.uk" in text
    whole = "".join(shown.stdout.split())  # a long file name is folded within What
    assert (
        "CambridgeshireandPeterboroughNHSFoundationTrust—Reportfrom17July2025"
        "assessment:reportimported:cqc-cpft-well-led-assessment-2025-07-17.txt"
    ) in whole
