"""Square brackets typed by people are shown as typed on every screen, never read as rich markup.

Owner names such as "Medical Director [interim]" and notes such as "Paper [b] to committee" are
ordinary text for a governance team; to rich they are style tags. Unescaped, "[interim]" and "[b]"
silently vanish from the screen (the audit trail then shows something nobody wrote), and a note
with "[/b]" stops the command with "Something unexpected went wrong (MarkupError ...)".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from cpft_tracker.store import Store
from tests.board_helpers import GOV, add_report, open_store

OWNER = "Medical Director [interim]"
NOTE = "Paper [b] to committee; see item [i] and [/b] [/]"


@pytest.fixture
def plan(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("COLUMNS", "160")
    store = open_store(db_path)
    add_report(store, "B", [("Board assurance framework", GOV)])
    store.assign(["B-01"], OWNER, by="Gov Lead [deputy]")
    store.add_note("B-01", NOTE, by="Gov Lead [deputy]")
    return store


def test_progress_tables_show_owner_names_as_typed(plan: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["progress", "--by", "owner"])
    assert result.exit_code == 0, result.stderr
    assert f"\n{OWNER}  " in result.stdout


def test_progress_since_shows_notes_as_typed(plan: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["progress", "--since", "2000-01-01"])
    assert result.exit_code == 0, result.stderr
    assert NOTE in result.stdout


def test_history_shows_notes_owners_and_names_as_typed(plan: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["history", "B-01"])
    assert result.exit_code == 0, result.stderr
    assert f"note: {NOTE}" in result.stdout
    assert f"owner set to {OWNER}" in result.stdout
    assert "Gov Lead [deputy]" in result.stdout


def test_show_history_shows_notes_as_typed(plan: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", "B-01"])
    assert result.exit_code == 0, result.stderr
    assert f"note: {NOTE}" in result.stdout
