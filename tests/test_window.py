"""One look-ahead window, set once (issue 13): amber, "due in the next N days" in progress and
the board paper, and what remind lists all follow `settings window N`; --window and
--within override it for one run. And the provider's name, when report titles do not give it.

Through real subprocesses, as a governance lead and cron run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.remind_helpers import Row, make_plan

TODAY = "2026-03-10"
ENV = {"CPFT_TRACKER_TODAY": TODAY, "CPFT_TRACKER_NOW": f"{TODAY}T08:30:00Z"}


@pytest.fixture
def plan(db_path: Path) -> list[str]:
    return make_plan(
        db_path,
        [
            Row("Due in three days", "Alice", None, "2026-03-13"),  # inside 7 and 14
            Row("Due in ten days", "Alice", None, "2026-03-20"),  # inside 14, not 7
            Row("Due in twenty days", "Alice", None, "2026-03-30"),  # outside 14, inside 30
        ],
    )


def cli(*args: str) -> str:
    done = run_cli(*args, env=ENV)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_default_window_is_14_days_everywhere(plan: list[str]) -> None:
    figures = json.loads(cli("progress", "--format", "json"))
    assert (figures["window_days"], figures["due_within_window"]) == (14, 2)
    assert figures["due_next_30_days"] == 3  # deprecated, kept for old scripts
    assert [a["rag"] for a in json.loads(cli("export"))["actions"]] == ["amber", "amber", "green"]
    screen = cli("progress")
    assert "Due in the next 14 days 2" in screen
    assert "Look-ahead window: 14 days (amber: due within it)" in screen
    paper = cli("export", "--format", "markdown")
    assert "| Due in the next 14 days | 2 |" in paper
    assert "Look-ahead window: 14 days (amber: due within it)." in paper
    digest = cli("remind")
    assert digest.startswith("CQC improvement actions overdue or due in the next 14 days, as of")
    assert "Due in ten days" in digest and "Due in twenty days" not in digest
    assert json.loads(cli("remind", "--format", "json"))["within_days"] == 14


def test_settings_window_changes_all_three_at_once(plan: list[str]) -> None:
    changed = run_cli("settings", "window", "7", env=ENV)
    assert changed.returncode == 0, changed.stderr
    figures = json.loads(cli("progress", "--format", "json"))
    assert (figures["window_days"], figures["due_within_window"]) == (7, 1)
    assert [a["rag"] for a in json.loads(cli("export"))["actions"]] == ["amber", "green", "green"]
    assert "| Due in the next 7 days | 1 |" in cli("export", "--format", "markdown")
    assert "Look-ahead window: 7 days" in cli("export", "--format", "html")
    digest = cli("remind")
    assert digest.startswith("CQC improvement actions overdue or due in the next 7 days, as of")
    assert "Due in three days" in digest and "Due in ten days" not in digest
    # one-off overrides, for this run only
    assert (
        json.loads(cli("progress", "--format", "json", "--window", "30"))["due_within_window"] == 3
    )
    assert "Due in twenty days" in cli("remind", "--within", "30")
    assert (
        "Due in twenty days"
        in run_cli("remind", env={**ENV, "CPFT_TRACKER_REMIND_WITHIN": "30"}).stdout
    )
    assert json.loads(cli("progress", "--format", "json"))["window_days"] == 7  # still set


def test_the_provider_can_be_set_when_report_titles_do_not_name_it(
    plan: list[str], db_path: Path
) -> None:
    assert "Test Trust" not in cli("export", "--format", "markdown")  # "Test report" names none
    set_it = run_cli("settings", "provider", "  Test  Trust NHS Foundation Trust ", env=ENV)
    assert (set_it.returncode, set_it.stderr) == (
        0,
        "provider: from the report titles -> Test Trust NHS Foundation Trust "
        "(the trust or provider the board paper names, if the report titles do not).\n",
    )
    assert cli("settings", "provider") == "Test Trust NHS Foundation Trust\n"
    assert "**Test Trust NHS Foundation Trust**" in cli("export", "--format", "markdown")
    html_page = cli("export", "--format", "html")
    assert '<p class="provider" id="provider">Test Trust NHS Foundation Trust</p>' in html_page
    bad = run_cli("settings", "provider", "Line one\nline two", env=ENV)
    assert bad.returncode == 2 and bad.stderr.startswith("Error: The provider is a name of up to")
    cleared = run_cli("settings", "provider", "", env=ENV)
    assert cleared.returncode == 0, cleared.stderr
    assert "Test Trust" not in cli("export", "--format", "markdown")
