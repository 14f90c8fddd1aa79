"""progress and the BRAG rules at their boundaries, --since, settings, and colour rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from cpft_tracker.models import rag
from cpft_tracker.progress import summarise
from cpft_tracker.store import Store
from tests.board_helpers import FTSU, GOV, LEARN, add_report, as_json, at, open_store

TODAY = dt.date(2026, 3, 10)
COLOUR = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-8]|9[0-7]|4[0-8])(?:;\d+)*m")  # an SGR colour code


# -- the BRAG rule, pure ----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "owner", "retired", "expected"),
    [
        ("in-progress", "2026-03-10", "A", None, "amber"),  # due today
        ("in-progress", "2026-03-24", "A", None, "amber"),  # due in exactly the window (14)
        ("in-progress", "2026-03-25", "A", None, "green"),  # window + 1
        ("in-progress", "2026-03-09", "A", None, "red"),  # yesterday: overdue
        ("not-started", "2026-06-01", None, None, "amber"),  # no owner
        ("not-started", None, "A", None, "amber"),  # no due date
        ("blocked", "2026-12-01", "A", None, "red"),  # blocked, due far ahead
        ("complete", "2026-01-01", "A", None, "blue"),  # complete though past due
        ("complete", None, None, None, "blue"),
        ("in-progress", "2026-03-01", "A", "merged", None),  # retired: no rating
    ],
)
def test_brag_rule_boundaries(
    status: str, due: str | None, owner: str | None, retired: str | None, expected: str | None
) -> None:
    assert (
        rag(status=status, due=due, owner=owner, today=TODAY, window_days=14, retired=retired)
        == expected
    )


def test_window_zero_makes_only_today_amber() -> None:
    assert (
        rag(status="in-progress", due="2026-03-10", owner="A", today=TODAY, window_days=0)
        == "amber"
    )
    assert (
        rag(status="in-progress", due="2026-03-11", owner="A", today=TODAY, window_days=0)
        == "green"
    )


# -- a plan with one action at each boundary ----------------------------------------


@pytest.fixture
def plan(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """Nine actions on 10 March 2026, built step by step (the story of February and March)."""
    store = open_store(db_path)
    at(monkeypatch, "2026-02-01T09:00:00Z")
    add_report(
        store,
        "P",
        [
            ("Due today", GOV),
            ("Due at the end of the window", GOV),
            ("Due the day after the window", FTSU),
            ("Due yesterday", FTSU),
            ("Nobody owns this", LEARN),
            ("No due date yet", LEARN),
            ("Blocked by estates", None),
            ("Done though late", GOV),
            ("Retired one", GOV),
        ],
    )
    # "Nobody owns this" leans on its paragraph, so it waited for review: accepted as it is
    store.accept(["P-05"], by="Gov Lead")
    at(monkeypatch, "2026-02-02T09:00:00Z")
    store.assign(["P-01", "P-02", "P-08"], "Alice Smith", email="alice@nhs.net", by="Gov Lead")
    store.assign(["P-03", "P-04"], "Bob Jones", by="Gov Lead")
    store.assign(["P-07"], "Carol White", by="Gov Lead")
    store.set_due(["P-01"], "2026-03-10", by="Gov Lead")
    store.set_due(["P-02"], "2026-03-20", by="Gov Lead")
    store.set_due(["P-03"], "2026-03-25", by="Gov Lead")
    store.set_due(["P-04"], "2026-03-09", by="Gov Lead")
    store.set_due(["P-05"], "2026-05-01", by="Gov Lead")
    store.set_due(["P-07"], "2026-06-01", by="Gov Lead")
    store.set_due(["P-08"], "2026-03-01", by="Gov Lead")
    store.retire(["P-09"], "duplicate of P-01", by="Gov Lead")
    at(monkeypatch, "2026-03-05T09:00:00Z")
    store.set_status(["P-08"], "complete", evidence="Audit report, 4 March", by="Alice Smith")
    store.assign(["P-06"], "Carol White", by="Gov Lead")
    store.set_due(["P-02"], "2026-03-24", note="moved by committee", by="Gov Lead")
    at(monkeypatch, "2026-03-06T09:00:00Z")
    store.add_note("P-01", "Draft to committee on 9 March", by="Alice Smith")
    store.set_status(["P-07"], "blocked", note="waiting for estates", by="Carol White")
    monkeypatch.delenv("CPFT_TRACKER_NOW")
    monkeypatch.setenv("CPFT_TRACKER_TODAY", "2026-03-10")
    return store


def progress_json(runner: CliRunner, *args: str) -> dict:
    result = runner.invoke(app, ["progress", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # data only: nothing else on stdout, nothing on stderr
    return as_json(result.stdout)


def test_progress_json_figures(plan: Store, runner: CliRunner) -> None:
    doc = progress_json(runner)
    overall = {
        k: doc[k]
        for k in (
            "schema_version",
            "as_of",
            "window_days",
            "total",
            "complete",
            "percent_complete",
            "rag",
            "overdue",
            "unassigned",
            "due_within_window",
            "due_next_30_days",
            "retired",
            "since",
        )
    }
    assert overall == {
        "schema_version": 1,
        "as_of": "2026-03-10",
        "window_days": 14,
        "total": 8,
        "complete": 1,
        "percent_complete": 12.5,
        "rag": {"blue": 1, "green": 1, "amber": 4, "red": 2},
        "overdue": 1,
        "unassigned": 1,
        "due_within_window": 2,
        "due_next_30_days": 3,
        "retired": 1,
        "since": None,
    }
    assert doc["by_owner"] == [
        {
            "name": "Alice Smith",
            "total": 3,
            "complete": 1,
            "percent_complete": 33.3,
            "overdue": 0,
            "rag": {"blue": 1, "green": 0, "amber": 2, "red": 0},
        },
        {
            "name": "Bob Jones",
            "total": 2,
            "complete": 0,
            "percent_complete": 0.0,
            "overdue": 1,
            "rag": {"blue": 0, "green": 1, "amber": 0, "red": 1},
        },
        {
            "name": "Carol White",
            "total": 2,
            "complete": 0,
            "percent_complete": 0.0,
            "overdue": 0,
            "rag": {"blue": 0, "green": 0, "amber": 1, "red": 1},
        },
        {
            "name": None,
            "total": 1,
            "complete": 0,
            "percent_complete": 0.0,
            "overdue": 0,
            "rag": {"blue": 0, "green": 0, "amber": 1, "red": 0},
        },
    ]
    assert [(g["name"], g["total"]) for g in doc["by_quality_statement"]] == [
        (FTSU, 2),
        (GOV, 3),
        (LEARN, 2),
        (None, 1),
    ]
    assert [(g["name"], g["total"], g["complete"]) for g in doc["by_status"]] == [
        ("not-started", 6, 0),
        ("in-progress", 0, 0),
        ("blocked", 1, 0),
        ("complete", 1, 1),
    ]


def test_due_next_30_days_includes_day_30_not_31() -> None:
    rows = [
        {
            "ref": f"X-{n}",
            "title": "t",
            "status": "not-started",
            "due": due,
            "owner": "A",
            "retired": None,
        }
        for n, due in enumerate(["2026-03-10", "2026-04-09", "2026-04-10", "2026-03-09"])
    ]
    assert summarise(rows, today=TODAY, window=14)["due_next_30_days"] == 2


def test_no_actions_gives_zero_percent_not_an_error() -> None:
    doc = summarise([], today=TODAY, window=14)
    assert (doc["total"], doc["percent_complete"], doc["by_owner"]) == (0, 0.0, [])


def test_window_option_and_setting(plan: Store, runner: CliRunner) -> None:
    assert progress_json(runner, "--window", "15")["rag"] == {
        "blue": 1,
        "green": 0,
        "amber": 5,
        "red": 2,
    }
    changed = runner.invoke(app, ["settings", "window", "21"])
    assert (changed.exit_code, changed.stderr) == (
        0,
        "window: 14 -> 21 (the look-ahead window in days: amber, 'due in the next', remind).\n",
    )
    assert progress_json(runner)["window_days"] == 21
    assert progress_json(runner)["rag"]["green"] == 0
    assert progress_json(runner, "--window", "14")["rag"]["green"] == 1  # the option wins
    shown = runner.invoke(app, ["settings"])
    assert shown.stdout.splitlines()[0] == (
        "window = 21    the look-ahead window in days: amber, 'due in the next', remind (default 14)"
    )
    assert plan.history(limit=1)[0]["field"] == "setting warning_window_days"  # audited


def test_settings_refuses_bad_values(plan: Store, runner: CliRunner) -> None:
    bad = runner.invoke(app, ["settings", "window", "two weeks"])
    assert bad.exit_code == 2
    assert (
        bad.stderr
        == "Error: settings window must be a whole number of days from 0 to 3650 (the look-ahead "
        "window), e.g. settings window 14 (not 'two weeks').\n"
    )
    unknown = runner.invoke(app, ["settings", "colour", "red"])
    assert (unknown.exit_code, unknown.stderr) == (
        2,
        "Error: There is no setting 'colour'. Settings: window, provider.\n",
    )


EXPECTED_SCREEN = """\
Action plan progress on 10 March 2026

Complete  1 of 8 (12.5%)  ███░░░░░░░░░░░░░░░░░
BRAG      Blue 1  Green 1  Amber 4  Red 2
Overdue 1  Unassigned 1  Due in the next 14 days 2  Retired 1 (not counted)
Look-ahead window: 14 days (amber: due within it)

By quality statement
Name                                       Actions  Done  % done  Blue  Green  Amber  Red  Overdue
Freedom to speak up                              2     0     0.0     0      1      0    1        1
Governance, management and sustainability        3     1    33.3     1      0      2    0        0
Learning, improvement and innovation             2     0     0.0     0      0      2    0        0
Not linked to a quality statement                1     0     0.0     0      0      0    1        0

By owner
Name         Actions  Done  % done  Blue  Green  Amber  Red  Overdue
Alice Smith        3     1    33.3     1      0      2    0        0
Bob Jones          2     0     0.0     0      1      0    1        1
Carol White        2     0     0.0     0      0      1    1        0
Unassigned         1     0     0.0     0      0      1    0        0

By status
Name         Actions  Done  % done  Blue  Green  Amber  Red  Overdue
not-started        6     0     0.0     0      1      4    1        1
in-progress        0     0     0.0     0      0      0    0        0
blocked            1     0     0.0     0      0      0    1        0
complete           1     1   100.0     1      0      0    0        0
"""


def test_progress_screen_exact(plan: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["progress"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXPECTED_SCREEN
    assert "\x1b[" not in result.stdout


def test_progress_by_one_table(plan: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["progress", "--group-by", "owner"])
    assert result.stdout.endswith(
        EXPECTED_SCREEN.split("\n\nBy owner\n")[1].split("\n\n")[0] + "\n"
    )
    assert "By quality statement" not in result.stdout and "By status" not in result.stdout
    # --by, its old name, still works (on the commands that change things --by is who)
    assert runner.invoke(app, ["progress", "--by", "owner"]).stdout == result.stdout
    bad = runner.invoke(app, ["progress", "--by", "colour"])
    assert (bad.exit_code, bad.stderr) == (
        2,
        "Error: 'colour' cannot be used with --group-by. Use one of: quality-statement, owner, status.\n",
    )


def test_since_lists_what_moved(plan: Store, runner: CliRunner) -> None:
    since = progress_json(runner, "--since", "01/03/2026")["since"]
    assert since == {
        "since": "2026-03-01",
        "added": [],
        "completed": [{"ref": "P-08", "title": "Done though late", "owner": "Alice Smith"}],
        "newly_blocked": [
            {
                "ref": "P-07",
                "title": "Blocked by estates",
                "owner": "Carol White",
                "reason": "waiting for estates",
            }
        ],
        "newly_overdue": [
            {"ref": "P-04", "title": "Due yesterday", "owner": "Bob Jones", "due": "2026-03-09"}
        ],
        "new_owners": [
            {"ref": "P-06", "title": "No due date yet", "old": None, "new": "Carol White"}
        ],
        "due_changes": [
            {
                "ref": "P-02",
                "title": "Due at the end of the window",
                "old": "2026-03-20",
                "new": "2026-03-24",
            }
        ],
        "retired": [],
        "merged": [],
        "settled_in_review": [],
        "notes": [
            {
                "ref": "P-01",
                "at": "2026-03-06T09:00:00.000000Z",
                "by": "Alice Smith",
                "text": "Draft to committee on 9 March",
            },
            {
                "ref": "P-07",
                "at": "2026-03-06T09:00:00.000000Z",
                "by": "Carol White",
                "text": "waiting for estates",
            },
        ],
    }


def test_since_on_screen(plan: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["progress", "--by", "status", "--since", "2026-03-01"])
    assert result.stdout.split("\n\n")[-1] == (
        "What moved since the end of 1 March 2026\n"
        "Completed (1)\n"
        "  P-08  Done though late\n"
        "Newly blocked (1)\n"
        "  P-07  Blocked by estates: waiting for estates\n"
        "Newly overdue (1)\n"
        "  P-04  due 9 Mar 2026: Due yesterday\n"
        "New owners (1)\n"
        "  P-06  unassigned -> Carol White\n"
        "Changed due dates (1)\n"
        "  P-02  20 Mar 2026 -> 24 Mar 2026\n"
        "Notes (2)\n"
        "  P-01  2026-03-06 Alice Smith: Draft to committee on 9 March\n"
        "  P-07  2026-03-06 Carol White: waiting for estates\n"
    )


def test_since_counts_retirements_and_merges_in_the_period(
    plan: Store, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-03-07T09:00:00Z")
    plan.retire(["P-03"], "merged into P-01", by="Gov Lead")
    plan.retire(["P-05"], "No longer needed: the service closed", by="Gov Lead")
    monkeypatch.delenv("CPFT_TRACKER_NOW")
    since = progress_json(runner, "--since", "2026-03-01")["since"]
    assert since["retired"] == [
        {
            "ref": "P-05",
            "title": "Nobody owns this",
            "owner": None,
            "reason": "No longer needed: the service closed",
        }
    ]
    assert since["merged"] == [
        {
            "ref": "P-03",
            "title": "Due the day after the window",
            "owner": "Bob Jones",
            "reason": "merged into P-01",
            "into": "P-01",
        }
    ]
    assert progress_json(runner, "--since", "2026-03-08")["since"]["retired"] == []  # before then
    screen = runner.invoke(app, ["progress", "--by", "status", "--since", "2026-03-01"]).stdout
    assert (
        "Retired (1)\n  P-05  Nobody owns this: No longer needed: the service closed\n"
        "Merged (1)\n  P-03  Due the day after the window: merged into P-01\n"
    ) in screen


def test_since_says_what_was_settled_in_review(
    plan: Store, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A candidate awaiting review that is rejected or merged never joins the plan: it was
    under no heading at all. Now it is "Settled in review, not added to the plan", with
    counts; one accepted before the since-date and rejected after has left the plan
    (Retired); one settled before the since-date is not listed."""
    at(monkeypatch, "2026-02-20T09:00:00Z")
    add_report(plan, "Q", [("Improve this", GOV), ("Address these", GOV), ("Embed it", None)])
    add_report(plan, "R", [("Settled before", GOV)])
    plan.reject(["R-01"], "a description, not a requirement", by="Gov Lead")
    at(monkeypatch, "2026-03-07T09:00:00Z")
    plan.reject(["Q-01"], "describes what the trust already does", by="Gov Lead")
    plan.merge("Q-02", "P-01", by="Gov Lead")
    plan.reject(["P-06"], "describes what staff said", by="Gov Lead")  # was on the plan
    monkeypatch.delenv("CPFT_TRACKER_NOW")
    since = progress_json(runner, "--since", "2026-03-01")["since"]
    assert since["settled_in_review"] == [
        {
            "ref": "Q-01",
            "title": "Improve this",
            "owner": None,
            "reason": "not a requirement: describes what the trust already does",
            "outcome": "rejected",
            "into": None,
        },
        {
            "ref": "Q-02",
            "title": "Address these",
            "owner": None,
            "reason": "merged into P-01",
            "outcome": "merged",
            "into": "P-01",
        },
    ]
    assert [i["ref"] for i in since["retired"]] == ["P-06"]
    assert since["added"] == [] and since["merged"] == []
    screen = runner.invoke(app, ["progress", "--by", "status", "--since", "2026-03-01"]).stdout
    assert (
        "Settled in review, not added to the plan (2: 1 rejected, 1 merged)\n"
        "  Q-01  Improve this: Rejected in review: describes what the trust already does\n"
        "  Q-02  Address these: Merged into P-01 while awaiting review\n"
    ) in screen
    assert "R-01" not in screen and "Q-03" not in screen  # settled before; still awaiting
    # the board paper says the same in its "what changed" table
    paper = runner.invoke(app, ["export", "--format", "markdown", "--since", "2026-03-01"]).stdout
    assert (
        "| Settled in review, not added to the plan | Q-01 | Improve this | Rejected in review: "
        "describes what the trust already does |\n"
        "| Settled in review, not added to the plan | Q-02 | Address these | Merged into P-01 "
        "while awaiting review |\n"
    ) in paper
    html = runner.invoke(app, ["export", "--format", "html", "--since", "2026-03-01"]).stdout
    assert "<td>Settled in review, not added to the plan</td>" in html
    # as the plan stood before they were settled, nothing was
    early = progress_json(runner, "--as-of", "2026-03-06", "--since", "2026-03-01")["since"]
    assert early["settled_in_review"] == []
    # export --format json lists every action: there a merge is a merge, a rejection retired
    everything = as_json(runner.invoke(app, ["export", "--since", "2026-03-01"]).stdout)["since"]
    assert everything["settled_in_review"] == []
    assert [i["ref"] for i in everything["merged"]] == ["Q-02"]
    assert [i["ref"] for i in everything["retired"]] == ["P-06", "Q-01"]


def test_since_with_as_of_and_nothing_moved(plan: Store, runner: CliRunner) -> None:
    early = progress_json(runner, "--as-of", "2026-03-04", "--since", "2026-03-02")
    assert early["since"]["completed"] == [] and early["complete"] == 0
    result = runner.invoke(
        app, ["progress", "--by", "status", "--as-of", "2026-03-04", "--since", "2026-03-02"]
    )
    assert result.stdout.startswith(
        "Action plan progress: as it stood at the end of 4 March 2026\n"
    )
    assert result.stdout.endswith("What moved since the end of 2 March 2026\n  Nothing moved.\n")


def test_since_must_be_before_as_of(plan: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["progress", "--as-of", "2026-03-04", "--since", "2026-03-04"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --since 2026-03-04 must be a date before 2026-03-04 (the --as-of date), "
        "e.g. the date of the last board report.\n"
    )


def test_no_colour_codes_when_piped_even_without_no_color(
    plan: Store, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    for args in (["progress"], ["list"]):
        assert "\x1b[" not in runner.invoke(app, args).stdout


def test_figures_from_the_columns_progress_reads_equal_those_from_whole_rows(
    plan: Store,
) -> None:
    """progress reads only SUMMARY_FIELDS (CHANGES_FIELDS with --since): same figures."""
    from cpft_tracker.asof import plan_actions
    from cpft_tracker.progress import CHANGES_FIELDS, SUMMARY_FIELDS, changes_since

    full = plan.actions()
    light = plan.actions(columns=SUMMARY_FIELDS)
    for today in (TODAY, dt.date(2026, 2, 1), dt.date(2026, 12, 31)):
        assert summarise(light, today=today, window=14) == summarise(full, today=today, window=14)
    since = dt.date(2026, 2, 10)
    before_full, before_light = (
        plan_actions(plan, None, since, columns=c) for c in (None, CHANGES_FIELDS)
    )
    after = plan.actions(columns=CHANGES_FIELDS)
    assert changes_since(before_light, after, [], since=since, today=TODAY) == changes_since(
        before_full, full, [], since=since, today=TODAY
    )


@pytest.mark.parametrize("drawn_by", ["print_progress", "print_progress_rich"])
def test_colour_on_a_terminal_unless_no_color(
    plan: Store, monkeypatch: pytest.MonkeyPatch, drawn_by: str
) -> None:
    """The screen progress prints (padded lines) and its rich reference (rich's Table)."""
    from cpft_tracker import render

    print_progress = getattr(render, drawn_by)
    figures = summarise(plan.actions(), today=TODAY, window=14)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich: behave as on a terminal
    monkeypatch.delenv("NO_COLOR")
    import io
    import sys

    buf = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buf)
    print_progress(figures, position="p", groupings=["status"])
    assert COLOUR.search(buf.getvalue())
    monkeypatch.setenv("NO_COLOR", "1")
    buf2 = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buf2)
    print_progress(figures, position="p", groupings=["status"])
    assert not COLOUR.search(buf2.getvalue())  # bold may stay: NO_COLOR is about colour


def test_progress_with_no_database_says_what_to_do(runner: CliRunner) -> None:
    result = runner.invoke(app, ["progress"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No action plan database at ")
