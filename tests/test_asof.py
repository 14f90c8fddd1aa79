"""--as-of: the plan rebuilt from the audit trail as it stood at the end of a date, one mechanism."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cpft_tracker.asof import actions_as_of, cutoff_utc, filter_actions, plan_actions
from cpft_tracker.cli import app
from cpft_tracker.store import Filters, PlanSort, Store
from tests.board_helpers import FTSU, GOV, LEARN, add_report, as_json, at, open_store


@pytest.fixture
def local_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Set the machine's local time zone for one test (TZ + tzset), restored afterwards."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    use("UTC")
    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def history(db_path: Path, monkeypatch: pytest.MonkeyPatch, local_tz: Any) -> Store:
    """A plan built step by step, each step at a known time (UTC machine clock)."""
    store = open_store(db_path)
    at(monkeypatch, "2026-01-10T09:00:00Z")
    add_report(
        store,
        "A",
        [
            ("Stabilise the leadership team", GOV),
            ("Speak-up guardian", FTSU),
            ("Board assurance framework", GOV),
        ],
    )
    at(monkeypatch, "2026-01-15T10:00:00Z")
    store.assign(["A-01"], "Alice Smith", email="alice@nhs.net", by="Gov Lead")
    at(monkeypatch, "2026-01-20T10:00:00Z")
    store.set_due(["A-01"], "2026-02-28", by="Gov Lead")
    store.set_due(["A-02"], "2026-03-15", by="Gov Lead")
    at(monkeypatch, "2026-02-01T10:00:00Z")
    store.set_status(["A-01"], "in-progress", note="kick-off held", by="Alice Smith")
    at(monkeypatch, "2026-02-10T10:00:00Z")
    store.assign(["A-01"], "Bob Jones", by="Gov Lead")
    store.assign(["A-02"], "Alice Smith", email="alice.smith@nhs.net", by="Gov Lead")
    at(monkeypatch, "2026-02-20T10:00:00Z")
    add_report(store, "B", [("Quality improvement programme", LEARN)])
    at(monkeypatch, "2026-03-01T10:00:00Z")
    store.set_due(["A-01"], "2026-04-30", note="extended by committee", by="Gov Lead")
    store.retire(["A-03"], "merged into A-01", by="Gov Lead")
    store.set_text_field(["A-02"], "title", "Speak-up guardian in post", by="Gov Lead")
    store.set_text_field(["A-02"], "quality_statement", LEARN, by="Gov Lead")
    at(monkeypatch, "2026-03-05T10:00:00Z")
    store.set_status(["A-01"], "complete", evidence="Board minutes 3 March", by="Bob Jones")
    at(monkeypatch, "2026-03-10T10:00:00Z")
    store.add_note("A-02", "Guardian interviews held", by="Alice Smith")
    at(monkeypatch, "2026-03-18T10:00:00Z")
    store.set_due(["A-02"], "2026-06-30", by="Gov Lead")
    monkeypatch.delenv("CPFT_TRACKER_NOW")
    monkeypatch.setenv("CPFT_TRACKER_TODAY", "2026-03-20")
    return store


def state(store: Store, day: str) -> dict[str, dict[str, Any]]:
    return {a["ref"]: a for a in actions_as_of(store, dt.date.fromisoformat(day))}


def test_before_the_first_import_there_is_nothing(history: Store) -> None:
    assert state(history, "2026-01-09") == {}


def test_just_imported_actions_are_as_created(history: Store) -> None:
    plan = state(history, "2026-01-10")
    assert list(plan) == ["A-01", "A-02", "A-03"]
    a1 = plan["A-01"]
    assert (a1["owner"], a1["owner_email"], a1["due"], a1["status"]) == (
        None,
        None,
        None,
        "not-started",
    )
    assert a1["updated_at"] == "2026-01-10T09:00:00.000000Z"


def test_owner_and_email_in_force_then(history: Store) -> None:
    jan = state(history, "2026-01-15")["A-01"]
    assert (jan["owner"], jan["owner_email"]) == ("Alice Smith", "alice@nhs.net")
    feb = state(history, "2026-02-10")
    assert feb["A-01"]["owner"] == "Bob Jones"
    assert (feb["A-02"]["owner"], feb["A-02"]["owner_email"]) == (
        "Alice Smith",
        "alice.smith@nhs.net",
    )


def test_status_due_and_updated_at_step_by_step(history: Store) -> None:
    a1 = state(history, "2026-02-09")["A-01"]
    assert (a1["owner"], a1["due"], a1["status"], a1["evidence"]) == (
        "Alice Smith",
        "2026-02-28",
        "in-progress",
        None,
    )
    assert a1["updated_at"] == "2026-02-01T10:00:00.000000Z"
    assert state(history, "2026-03-01")["A-01"]["due"] == "2026-04-30"
    assert state(history, "2026-03-04")["A-01"]["status"] == "in-progress"
    done = state(history, "2026-03-05")["A-01"]
    assert (done["status"], done["evidence"]) == ("complete", "Board minutes 3 March")


def test_later_reports_title_statement_and_retirement(history: Store) -> None:
    feb = state(history, "2026-02-28")
    assert "B-01" in feb
    assert (feb["A-02"]["title"], feb["A-02"]["quality_statement"]) == ("Speak-up guardian", FTSU)
    assert feb["A-03"]["retired"] is None
    assert "B-01" not in state(history, "2026-02-19")
    mar = state(history, "2026-03-01")
    assert (mar["A-02"]["title"], mar["A-02"]["quality_statement"]) == (
        "Speak-up guardian in post",
        LEARN,
    )
    assert mar["A-03"]["retired"] == "merged into A-01"


def test_in_source_flag_in_force_then(history: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, "2026-03-19T10:00:00Z")
    add_report(history, "B", [("Something else entirely", None)], name="Report B")  # B-01 dropped
    assert history.action("B-01")["in_source"] is False
    assert state(history, "2026-03-18")["B-01"]["in_source"] is True
    assert state(history, "2026-03-19")["B-01"]["in_source"] is False


def test_rebuilding_today_gives_the_plan_as_it_is(history: Store) -> None:
    assert actions_as_of(history, dt.date(2026, 3, 20)) == history.actions()


def test_end_of_day_is_local_time_summer_and_winter(local_tz: Any) -> None:
    local_tz("Europe/London")
    assert (
        cutoff_utc(dt.date(2025, 7, 1)) == "2025-07-01T23:00:00.000000Z"
    )  # BST: midnight is 23:00 UTC
    assert cutoff_utc(dt.date(2026, 1, 15)) == "2026-01-16T00:00:00.000000Z"  # GMT


def test_a_change_just_after_local_midnight_belongs_to_the_next_day(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, local_tz: Any
) -> None:
    local_tz("Europe/London")
    store = open_store(db_path)
    at(monkeypatch, "2025-07-01T08:00:00Z")
    add_report(store, "S", [("Summer action", GOV)])
    at(monkeypatch, "2025-07-01T22:59:59Z")  # 23:59:59 BST on 1 July
    store.assign(["S-01"], "Late Owner", by="x")
    at(monkeypatch, "2025-07-01T23:00:00Z")  # 00:00 BST on 2 July
    store.set_due(["S-01"], "2025-08-01", by="x")
    july1 = state(store, "2025-07-01")["S-01"]
    assert (july1["owner"], july1["due"]) == ("Late Owner", None)
    assert state(store, "2025-07-02")["S-01"]["due"] == "2025-08-01"


def test_list_as_of_uses_that_date_as_today(history: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--as-of", "28/02/2026", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = as_json(result.stdout)
    assert doc["as_of"] == "2026-02-28"
    rags = {a["ref"]: (a["rag"], a["owner"], a["due"]) for a in doc["actions"]}
    assert rags == {
        "A-01": ("amber", "Bob Jones", "2026-02-28"),  # due that very day
        "A-02": ("green", "Alice Smith", "2026-03-15"),  # 15 days on: outside the 14-day window
        "A-03": ("amber", None, None),  # no owner
        "B-01": ("amber", None, None),
    }


def test_filters_apply_to_the_rebuilt_plan(history: Store, runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["list", "--as-of", "2026-02-09", "--owner", "alice smith", "-f", "json"]
    )
    assert [a["ref"] for a in as_json(result.stdout)["actions"]] == ["A-01"]  # Bob's now
    late = runner.invoke(app, ["list", "--as-of", "2026-03-16", "--overdue", "-f", "json"])
    assert [a["ref"] for a in as_json(late.stdout)["actions"]] == ["A-02"]  # due moved on 18 March
    now = runner.invoke(app, ["list", "--overdue", "-f", "json"])
    assert as_json(now.stdout)["actions"] == []


def test_list_table_says_which_date(history: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--as-of", "2026-01-15"])
    assert result.exit_code == 0
    assert result.stdout == (
        "Ref   BRAG     Status       Due         Owner         Title\n"
        "A-01  Amber    not-started  -           Alice Smith   Stabilise the leadership team\n"
        "A-02  Amber    not-started  -           (unassigned)  Speak-up guardian\n"
        "A-03  Amber    not-started  -           (unassigned)  Board assurance framework\n"
    )
    assert result.stderr == "3 actions as the plan stood at the end of 15 January 2026.\n"
    empty = runner.invoke(app, ["list", "--as-of", "2026-01-01"])
    assert empty.stderr == "No actions match as the plan stood at the end of 1 January 2026.\n"


def test_export_and_progress_take_as_of(history: Store, runner: CliRunner) -> None:
    exported = as_json(runner.invoke(app, ["export", "--as-of", "2026-02-15"]).stdout)
    assert exported["as_of"] == "2026-02-15"
    assert [a["ref"] for a in exported["actions"]] == ["A-01", "A-02", "A-03"]
    figures = as_json(
        runner.invoke(app, ["progress", "--as-of", "2026-03-05", "-f", "json"]).stdout
    )
    assert (figures["as_of"], figures["total"], figures["complete"], figures["retired"]) == (
        "2026-03-05",
        3,
        1,
        1,
    )


def test_as_of_in_the_future_is_refused(history: Store, runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--as-of", "2026-03-21"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --as-of 2026-03-21 is in the future (2026-03-21): the plan can only be shown as it "
        "stood on a date up to today (2026-03-20). To look ahead, use --window DAYS.\n"
    )
    bad = runner.invoke(app, ["export", "--as-of", "last tuesday"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith(
        "Error: Cannot read 'last tuesday' as a date for --as-of. Use a date up to today"
    )


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(status=["in-progress", "blocked"]),
        Filters(owner="ALICE SMITH"),
        Filters(unassigned=True),
        Filters(overdue_on="2026-07-01"),
        Filters(due_before="2026-05-01"),
        Filters(report="b"),
        Filters(report="Report A"),
        Filters(quality_statement=LEARN),
        Filters(include_retired=False),
    ],
)
def test_python_filters_match_the_sql_ones(history: Store, filters: Filters) -> None:
    prefixes = {r["id"]: r["prefix"] for r in history.reports()}
    in_python = filter_actions(history.actions(), filters, prefixes)
    assert in_python == history.actions(filters) == plan_actions(history, filters)


@pytest.mark.parametrize(
    "filters",
    [
        None,
        Filters(),
        Filters(status=["in-progress", "blocked"]),
        Filters(owner="ALICE SMITH"),
        Filters(unassigned=True),
        Filters(overdue_on="2026-07-01"),
        Filters(due_before="2026-05-01"),
        Filters(report="b"),
        Filters(quality_statement=LEARN),
        Filters(include_retired=False),
    ],
)
def test_reading_some_columns_selects_the_same_actions(
    history: Store, filters: Filters | None
) -> None:
    """``columns`` (what progress reads) changes which fields come back, never which rows."""
    from cpft_tracker.progress import CHANGES_FIELDS, SUMMARY_FIELDS

    for day in (None, "2026-01-12", "2026-02-15", "2026-03-02", "2026-03-20"):
        as_of = dt.date.fromisoformat(day) if day else None
        full = plan_actions(history, filters, as_of)
        for fields in (SUMMARY_FIELDS, CHANGES_FIELDS, ("ref",)):
            light = plan_actions(history, filters, as_of, columns=fields)
            assert [{k: r[k] for k in fields} for r in light] == [
                {k: r[k] for k in fields} for r in full
            ], (day, fields)
            if as_of is None:
                assert all(list(r) == list(fields) for r in light)  # only what was asked for
    with pytest.raises(ValueError, match="not action fields: 'colour'"):
        history.actions(columns=["ref", "colour"])


@pytest.mark.parametrize(
    "filters",
    [
        Filters(owner="SIÂN JONES"),
        Filters(owner="siân jones"),
        Filters(owner="ZOË STRASSE"),  # casefold: ß = ss
        Filters(owner="zoë straße"),
        Filters(report="élan"),
        Filters(report="RAPPORT ÉLAN"),
        Filters(report="nobody"),
        Filters(owner="nobody"),
    ],
)
def test_python_and_sql_filters_agree_beyond_ascii(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, filters: Filters
) -> None:
    """SQLite's NOCASE folds ASCII only; the filters fold case like Python, in both places."""
    store = open_store(db_path)
    at(monkeypatch, "2026-01-10T09:00:00Z")
    add_report(store, "ÉLAN", [("One", GOV), ("Two", GOV), ("Three", None)], name="Rapport Élan")
    add_report(store, "B", [("Four", GOV)])
    store.assign(["ÉLAN-01"], "Siân Jones", by="x")
    # a different owner for SQLite's NOCASE (and, being so close, one that must be asked for)
    store.assign(["ÉLAN-02"], "SIÂN JONES", by="x", new_owner=True)
    store.assign(["B-01"], "Zoë Straße", by="x")
    prefixes = {r["id"]: r["prefix"] for r in store.reports()}
    in_python = filter_actions(store.actions(), filters, prefixes)
    assert in_python == store.actions(filters) == plan_actions(store, filters)
    if filters.owner != "nobody" and filters.report != "nobody":
        assert in_python


# -- the grouped rebuild gives what undoing every event one by one gave ------------------


def undo_every_event(store: Store, day: dt.date) -> list[dict[str, Any]]:
    """The rebuild as first written (the reference): undo EVERY event after the cut-off, newest first."""
    from cpft_tracker.asof import UNDOABLE_FIELDS

    cutoff = cutoff_utc(day)
    rows = store.actions()
    events = store.events_to_undo(cutoff)  # newest first
    if not events:
        return [r for r in rows if r["created_at"] < cutoff]
    by_id = {r["id"]: r for r in rows}
    emails = store.owner_emails()
    gone: set[int] = set()
    touched: set[int] = set()
    for _eid, action_id, subject, field, old in events:
        if action_id is None:
            if field == "owner_email" and subject:
                emails[subject.casefold()] = old
            continue
        row = by_id.get(action_id)
        if row is None:
            continue
        touched.add(action_id)
        if field == "created":
            gone.add(action_id)
        elif field in UNDOABLE_FIELDS:
            row[field] = old
        elif field == "in_source":
            row["in_source"] = old != "0"
    last_change = store.last_event_at_before(events[-1][0]) if touched else {}
    last_version = dict(
        store.conn.execute(
            "SELECT action_id, max(id) FROM events WHERE action_id IS NOT NULL AND id < ?"
            " GROUP BY action_id",
            [events[-1][0]],
        ).fetchall()
    )
    out = []
    for r in rows:
        if r["id"] in gone or r["created_at"] >= cutoff:
            continue
        if r["id"] in touched:
            owner = r["owner"]
            r["owner_email"] = emails.get(owner.casefold()) if owner else None
            r["updated_at"] = last_change.get(r["id"], r["created_at"])
            r["version"] = last_version.get(r["id"])
        elif r["owner"]:
            r["owner_email"] = emails.get(r["owner"].casefold(), r["owner_email"])
        out.append(r)
    return out


def random_history(
    store: Store, monkeypatch: pytest.MonkeyPatch, seed: int, dated: bool, steps: int = 160
) -> tuple[dt.datetime, list[str]]:
    """A random history (see ``test_grouped_rebuild_equals_undoing_every_event``) written
    through the store; gives the clock at its end and the refs."""
    import random

    from cpft_tracker.errors import RuleBroken

    rnd = random.Random(seed)
    clock = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)

    def tick() -> None:
        nonlocal clock
        clock += dt.timedelta(hours=rnd.choice([1, 5, 20, 30, 50]))
        if rnd.random() < 0.05:
            clock -= dt.timedelta(days=rnd.randint(1, 4))  # a clock that went back
        at(monkeypatch, clock.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def on_day() -> str | None:
        """Now and then a change recorded as having happened on an earlier day (``--on``)."""
        if not dated or rnd.random() < 0.7:
            return None
        return (clock.date() - dt.timedelta(days=rnd.randint(0, 6))).isoformat()

    owners = ["Alice Smith", "Bob Jones", "Siân Evans", "SIÂN EVANS"]
    statements = [GOV, FTSU, LEARN, None]
    items = {p: [(f"{p} action {i}", rnd.choice(statements)) for i in range(6)] for p in "ABC"}
    tick()
    if dated:  # and some actions wait for review (low confidence) until accepted or rejected
        from cpft_tracker.extract import Requirement

        reqs = [
            Requirement(
                text=f"The trust must {title.lower()} (A {i}).",
                context=f"Context for {title}.",
                section="Well-led",
                line=i,
                position=i,
                keyword="must",
                matched="must",
                title=title,
                quality_statement=qs,
                confidence="low" if i % 2 else "high",
            )
            for i, (title, qs) in enumerate(items["A"], start=1)
        ]
        store.import_report(
            name="Report A", requirements=reqs, source_file="a.txt", source_sha256="A",
            by="Test Lead", prefix="A",
        )  # fmt: skip
    else:
        add_report(store, "A", items["A"])
    refs = [f"A-0{i}" for i in range(1, 7)]
    for _ in range(steps):
        tick()
        ref = rnd.choice(refs)
        op = rnd.randrange(14)
        try:
            if op == 0:
                email = rnd.choice([None, "a@nhs.net", "b@nhs.net", "c@nhs.net"])
                store.assign([ref], rnd.choice(owners), email=email, by="t", new_owner=True)
            elif op == 1:
                store.unassign([ref], by="t")
            elif op in (2, 3):
                due = rnd.choice([None, "2026-02-01", "2026-03-15", "2026-06-30"])
                store.set_due([ref], due, by="t")
            elif op == 4:
                store.set_status(
                    [ref], rnd.choice(["in-progress", "blocked"]), by="t", occurred_on=on_day()
                )
            elif op == 5:
                evidence = f"minutes {rnd.random():.3f}"
                store.set_status([ref], "complete", evidence=evidence, by="t", occurred_on=on_day())
            elif op == 6:
                store.add_note(ref, "a note", by="t")
            elif op == 7:
                store.retire([ref], "merged", by="t")
            elif op == 8:
                store.reinstate([ref], by="t")
            elif op == 9:
                store.set_text_field([ref], "title", f"Title {rnd.randrange(5)}", by="t")
            elif op == 10:
                store.set_text_field([ref], "quality_statement", rnd.choice(statements), by="t")
            elif op == 11:  # re-import a report with some requirements missing (in_source)
                prefix = rnd.choice([p for p in "ABC" if any(r.startswith(p) for r in refs)])
                kept = [item for item in items[prefix] if rnd.random() < 0.7]
                add_report(store, prefix, kept)
            elif op == 12 and len(refs) < 18:  # a report imported later
                prefix = "B" if len(refs) < 12 else "C"
                refs += add_report(store, prefix, items[prefix])
            elif op == 13:  # reviewed: rejected (and retired) or accepted (again)
                if rnd.random() < 0.5:
                    store.reject([ref], "not a requirement here", by="t")
                else:
                    store.accept([ref], by="t")
        except RuleBroken:
            pass
    return clock, refs


@pytest.mark.parametrize(
    ("seed", "dated"),
    [
        (1, False),
        (2, False),
        (3, False),
        (4, False),
        (5, False),
        (6, False),
        (7, True),
        (8, True),
        (9, True),
    ],
)
def test_grouped_rebuild_equals_undoing_every_event(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, local_tz: Any, seed: int, dated: bool
) -> None:
    """A random history (owners and their emails, due dates, statuses with evidence, notes,
    retire/reinstate, titles and statements, requirements leaving and coming back to a
    re-imported report, reports added later; now and then the clock steps back, as the
    benchmark's builder does; with ``dated``, some status changes recorded with ``--on``
    an earlier day): the plan at every day equals the step-by-step undo, and so do the
    progress figures and the count awaiting review."""
    from cpft_tracker.asof import UNDOABLE_FIELDS
    from cpft_tracker.progress import count_rows, counted_in_sql, figures

    store = open_store(db_path)
    clock, refs = random_history(store, monkeypatch, seed, dated)
    fields = {f for (f,) in store.conn.execute("SELECT DISTINCT field FROM events")}
    assert set(UNDOABLE_FIELDS) | {"created", "in_source", "owner_email", "note"} <= fields
    on = store.conn.execute("SELECT count(*) FROM events WHERE occurred_on IS NOT NULL")
    assert (on.fetchone()[0] > 0) == dated  # some changes were recorded with --on
    waited = store.conn.execute("SELECT count(*) FROM events WHERE old = 'awaiting'")
    assert (waited.fetchone()[0] > 0) == dated  # and some actions were reviewed
    prefixes = {r["id"]: r["prefix"] for r in store.reports()}
    first = dt.date(2025, 12, 31)
    last = clock.date() + dt.timedelta(days=2)
    day = first
    light = ("status", "due", "owner", "retired", "quality_statement", "ref", "title")
    views: list[tuple[Filters | None, PlanSort | None]] = [
        (Filters(review=["accepted"], include_retired=False), None),
        (Filters(review=["awaiting"]), None),
        (Filters(status=["blocked", "complete"], owner="bob jones"), None),
        (Filters(unassigned=True, quality_statement=GOV), None),
        (Filters(overdue_on="2026-03-01", report="a"), None),
        (Filters(due_before="2026-04-01", include_retired=False), None),
        (Filters(search="title 2"), None),
        (None, PlanSort("rag", today="2026-03-01", amber_until="2026-03-15")),
        (None, PlanSort("owner")),
        (Filters(include_retired=False), PlanSort("updated")),
        (None, PlanSort("ref")),
    ]
    while day <= last:
        full = actions_as_of(store, day)
        undone = undo_every_event(store, day)
        if dated:  # an action's updated_at and version then are read from the events
            # RECORDED before the cut-off, the undo's from those that HAPPENED before it
            # (a change recorded later with --on an earlier day): not compared here
            undone = [
                {**r, "updated_at": f["updated_at"], "version": f["version"]}
                for r, f in zip(undone, full, strict=False)
            ]
        assert full == undone, day
        # reading only some columns rebuilds those columns to the same values
        keys = [*light, "id", "created_at"]
        assert actions_as_of(store, day, light) == [{k: r[k] for k in keys} for r in full], day
        with_email = actions_as_of(store, day, ["owner_email", "in_source"])
        keys = ["owner_email", "in_source", "id", "created_at", "owner"]
        assert with_email == [{k: r[k] for k in keys} for r in full], day
        # a view that reads a few fields rebuilds from those fields' events only: the same
        # actions pass its filters, in the same order, as when every field is rebuilt
        for filters, sort in views:
            few = plan_actions(store, filters, day, columns=["ref", "status"], sort=sort)
            whole = plan_actions(store, filters, day, sort=sort)
            assert list(few) == [{k: r[k] for k in ("ref", "status")} for r in whole], (
                day,
                filters,
                sort,
            )
            assert len(plan_actions(store, filters, day)) == len(list(whole)), (day, filters)
        # the progress figures counted in SQL from one rebuild, and the actions awaiting
        # review counted beside them, equal those counted from the full rebuild in Python
        when: dict[str, Any] = {"today": day, "window": 14}
        for filters in (Filters(review=["accepted"]), Filters(report="b", include_retired=False)):
            expected = figures(
                count_rows(filter_actions(undone, filters, prefixes), day, 14), **when
            )
            counted, awaiting = store.progress_counts_awaiting(
                filters,
                cutoff=cutoff_utc(day),
                today=day.isoformat(),
                amber_until=(day + dt.timedelta(days=14)).isoformat(),
                soon_until=(day + dt.timedelta(days=30)).isoformat(),
            )
            assert figures(counted_in_sql(counted), **when) == expected, (day, filters)
            waiting = filters.replace(review=["awaiting"], include_retired=False)
            assert awaiting == len(filter_actions(undone, waiting, prefixes)), (day, filters)
        day += dt.timedelta(days=1)


def _period_rows(store: Store) -> list[tuple[Any, ...]]:
    rows = store.conn.execute(
        "SELECT action_id, field, old, from_key, until_key FROM field_periods"
    ).fetchall()
    return sorted((tuple(r) for r in rows), key=repr)


def _rebuilt_period_rows(store: Store) -> list[tuple[Any, ...]]:
    """The rows m012's back-fill makes from the trail as it is now (then rolled back)."""
    from cpft_tracker.store import periods

    store.end_snapshot()  # the reads before left their snapshot open
    store.conn.execute("BEGIN")
    try:
        periods.rebuild(store.conn)
        return _period_rows(store)
    finally:
        store.conn.execute("ROLLBACK")


def _reads_at(store: Store, day: dt.date, from_periods: bool) -> list[Any]:
    """What progress, list and the counts read of the plan at ``day``, from the periods or the trail."""
    store.periods_read = from_periods
    try:
        cutoff = cutoff_utc(day)
        fields = ["ref", "owner", "due", "status", "evidence", "retired", "title"]
        fields += ["quality_statement", "review", "in_source"]
        views = [None, Filters(review=["accepted"]), Filters(status=["blocked", "complete"])]
        plans = [list(plan_actions(store, f, day, columns=fields)) for f in views]
        counted, awaiting = store.progress_counts_awaiting(
            Filters(review=["accepted"], include_retired=False),
            cutoff=cutoff,
            today=day.isoformat(),
            amber_until=(day + dt.timedelta(days=14)).isoformat(),
            soon_until=(day + dt.timedelta(days=30)).isoformat(),
        )
        return [plans, sorted(map(repr, counted)), awaiting, store.count_plan(cutoff=cutoff)]
    finally:
        del store.periods_read


def _agree_every_day(store: Store, first: dt.date, last: dt.date) -> int:
    """Every day from ``first`` to ``last``: the periods give what the trail gives; how many days."""
    from cpft_tracker.store import periods

    days = 0
    day = first
    while day <= last:
        assert periods.usable(store.conn, cutoff_utc(day)), day
        assert _reads_at(store, day, True) == _reads_at(store, day, False), day
        day += dt.timedelta(days=1)
        days += 1
    return days


def test_field_periods_back_filled_then_kept_agree_with_the_trail(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, local_tz: Any
) -> None:
    """A plan written by the schema before ``field_periods`` (m001-m011), with changes recorded
    ``--on`` earlier days in a zone with summer time, gets the table on opening (m012's
    back-fill), and ``--as-of`` read from it equals the rebuild from the trail on every day;
    so it does after a change recorded ``--on`` an earlier day since; what the writes kept
    equals what the back-fill makes; and a change recorded ``--on`` in another zone sends the
    reads back to the trail (still right)."""
    from cpft_tracker.store import connection, periods, postgres
    from cpft_tracker.store.sqlite_dialect import MIGRATIONS

    local_tz("Europe/London")
    every_pg = postgres.PG_MIGRATIONS
    monkeypatch.setattr(connection, "MIGRATIONS", MIGRATIONS[:-1])
    monkeypatch.setattr(postgres, "PG_MIGRATIONS", postgres.PG_MIGRATIONS[:-1])
    record = periods.record
    monkeypatch.setattr(periods, "record", lambda conn, **event: None)  # as the last release wrote
    store = open_store(db_path)
    clock, refs = random_history(store, monkeypatch, 8, True, steps=120)
    assert "m012_field_periods" not in store.applied_migrations()
    dated = store.conn.execute("SELECT count(*) FROM events WHERE occurred_on IS NOT NULL")
    assert dated.fetchone()[0] > 0
    store.close()
    monkeypatch.setattr(connection, "MIGRATIONS", MIGRATIONS)
    monkeypatch.setattr(postgres, "PG_MIGRATIONS", every_pg)
    monkeypatch.setattr(periods, "record", record)

    store = open_store(db_path)
    assert store.applied_migrations()[-1] == "m012_field_periods"
    assert len(_period_rows(store)) > 100
    first, last = dt.date(2025, 12, 31), clock.date() + dt.timedelta(days=2)
    assert _agree_every_day(store, first, last) > 30

    # a change recorded now, said to have happened on an earlier day (--on), and one today
    ref, status = store.conn.execute(
        "SELECT ref, status FROM actions WHERE retired IS NULL ORDER BY id LIMIT 1"
    ).fetchone()
    now = (clock + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    at(monkeypatch, now)
    row = store.conn.execute(
        "SELECT e.at, e.occurred_on FROM events e JOIN actions a ON a.id = e.action_id"
        " WHERE a.ref = ? AND e.field IN ('status', 'evidence', 'created') ORDER BY e.id DESC LIMIT 1",
        [ref],
    ).fetchone()
    from cpft_tracker.store.values import local_day

    on = row[1] or local_day(row[0])
    again = "blocked" if status != "blocked" else "in-progress"
    store.set_status([ref], again, by="t", occurred_on=on)
    store.set_status([ref], "complete", evidence="minutes", by="t", occurred_on=None)
    assert _agree_every_day(store, first, last + dt.timedelta(days=3)) > 30
    assert _period_rows(store) == _rebuilt_period_rows(store)
    assert store.conn.execute("SELECT zone FROM field_periods_zone").fetchone()[0] == periods.zone()

    # the same change recorded --on in another zone: its day's key is another zone's; from
    # then on every --as-of read is rebuilt from the trail, and still equals the undo
    local_tz("America/New_York")
    store.set_status([ref], "in-progress", by="t", occurred_on=local_day(now))
    assert store.conn.execute("SELECT zone FROM field_periods_zone").fetchone()[0] == ""
    for day in (first, clock.date(), last):
        assert not periods.usable(store.conn, cutoff_utc(day))
        assert _reads_at(store, day, True) == _reads_at(store, day, False)


@pytest.mark.parametrize(
    ("zone", "day", "key"),
    [
        ("UTC", "2026-03-10", "2026-03-10T00:00:00.000000Z"),
        ("Europe/London", "2026-07-01", "2026-06-30T23:00:00.000000Z"),
        (
            "Europe/London",
            "2026-03-29",
            "2026-03-29T00:00:00.000000Z",
        ),  # clocks go forward at 01:00
        ("America/Sao_Paulo", "2018-11-04", "2018-11-04T03:00:00.000000Z"),  # midnight skipped
    ],
)
def test_a_days_key_is_when_it_starts_and_says_what_happened_after_says(
    local_tz: Any, zone: str, day: str, key: str
) -> None:
    """An event recorded ``--on DAY`` happened after a cut-off exactly when the cut-off is at or
    before the instant DAY starts locally (its key in ``field_periods``), even where the zone
    skips that midnight."""
    from cpft_tracker.store.periods import KEY_FORMAT, day_key
    from cpft_tracker.store.values import day_ending_at

    local_tz(zone)
    assert day_key(day) == key
    start = dt.datetime.strptime(key, KEY_FORMAT).replace(tzinfo=dt.UTC)
    for minutes in (-1500, -60, -1, 0, 1, 60, 1500):
        for micro in (-1, 0, 1):
            cutoff = (start + dt.timedelta(minutes=minutes, microseconds=micro)).strftime(
                KEY_FORMAT
            )
            assert (cutoff <= key) == (day > day_ending_at(cutoff)), (cutoff, key)
    assert day_key("2026-02-30") is None


def test_a_created_at_other_than_its_created_event_sends_as_of_back_to_the_trail(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, local_tz: Any
) -> None:
    """The periods leave out the actions created after a cut-off by ``created_at`` alone, which
    equals the trail's rule only while each action's created event is at its ``created_at``:
    rebuilt over a plan where one is not, the table is not read, and ``--as-of`` is still right."""
    from cpft_tracker.store import periods

    store = open_store(db_path)
    random_history(store, monkeypatch, 3, False, steps=40)
    assert periods.usable(store.conn, cutoff_utc(dt.date(2026, 1, 5)))
    with store.write():
        store.conn.execute(
            "UPDATE actions SET created_at = '2025-12-01T00:00:00.000000Z' WHERE id = 1"
        )
        periods.rebuild(store.conn)
    day = dt.date(2025, 12, 15)
    assert not periods.usable(store.conn, cutoff_utc(day))
    assert _reads_at(store, day, True) == _reads_at(store, day, False)
    assert [a["ref"] for a in actions_as_of(store, day)] == []  # its created event is later
