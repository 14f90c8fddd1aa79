"""The plan as one query (store/views.py): figures counted in SQL, as-of filters in SQL, one snapshot.

``progress`` no longer reads every action into Python: the store counts them in SQL. These
tests build a plan with a random history (every status, every BRAG, owners added and taken
off, due dates at the window's edges, retired and reinstated actions, later reports) and
check that what a user sees is what reading every action and counting in Python gives, now
and as the plan stood on many past days.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cpft_tracker.asof import actions_as_of, cutoff_utc, filter_actions, plan_actions
from cpft_tracker.errors import RuleBroken
from cpft_tracker.models import RAGS, STATUSES
from cpft_tracker.progress import summarise
from cpft_tracker.store import MIGRATIONS, SCHEMA_VERSION, Filters, Store
from cpft_tracker.store.sqlite_dialect import M001_INITIAL
from tests.board_helpers import FTSU, GOV, LEARN, add_report, at, open_store
from tests.conftest import is_pg

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
DAYS = [dt.date(2026, 1, 20) + dt.timedelta(days=9 * i) for i in range(12)]


@pytest.fixture(scope="module")
def built_plan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Three reports, 36 actions and ~300 random changes over four months (built once)."""
    path = tmp_path_factory.mktemp("views") / "plan.db"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CPFT_TRACKER_USER", "Test Lead")
        store = _build(path, monkeypatch)
        store.close()
    yield path


@pytest.fixture
def plan(built_plan: Path, db_path: Path) -> Iterator[Store]:
    """A copy of the built plan for one test (tests may change it): the file copied, or on
    PostgreSQL the plan copied into the test's database as ``copy --to`` does."""
    if is_pg(db_path):
        from cpft_tracker.store.copying import copy_plan

        source, target = Store.open(built_plan, readonly=True), Store.open(db_path, create=True)
        copy_plan(source, target)
        source.close()
        target.close()
    else:
        src, dst = sqlite3.connect(built_plan), sqlite3.connect(db_path)
        src.backup(dst)
        src.close()
        dst.close()
    store = Store.open(db_path)
    yield store
    store.close()


def _build(path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    rnd = random.Random(10)
    store = open_store(path)
    clock = START

    def tick() -> None:
        nonlocal clock
        clock += dt.timedelta(hours=rnd.choice([3, 11, 26, 40]))
        at(monkeypatch, clock.strftime("%Y-%m-%dT%H:%M:%SZ"))

    tick()
    statements = [GOV, FTSU, LEARN, None]
    refs: list[str] = []
    for prefix in "AB":
        refs += add_report(
            store, prefix, [(f"{prefix} item {i}", rnd.choice(statements)) for i in range(12)]
        )
    owners = ["Alice Smith", "Bob Jones", "Siân Evans", "Director of Nursing"]
    for step in range(300):
        tick()
        if step == 150:  # a report imported half-way through
            refs += add_report(
                store, "C", [(f"C item {i}", rnd.choice(statements)) for i in range(12)]
            )
        ref = rnd.choice(refs)
        op = rnd.randrange(9)
        day = clock.date() + dt.timedelta(
            days=rnd.choice([-20, -1, 0, 1, 13, 14, 15, 29, 30, 31, 60])
        )
        try:
            if op == 0:
                store.assign(
                    [ref], rnd.choice(owners), by="t", email=f"o{rnd.randrange(3)}@nhs.net"
                )
            elif op == 1:
                store.unassign([ref], by="t")
            elif op in (2, 3):
                store.set_due([ref], rnd.choice([day.isoformat(), None]), by="t")
            elif op in (4, 5):
                status = rnd.choice(STATUSES)
                evidence = "minutes" if status == "complete" else None
                store.set_status([ref], status, by="t", evidence=evidence)
            elif op == 6:
                store.retire([ref], "merged", by="t")
            elif op == 7:
                store.reinstate([ref], by="t")
            else:
                store.set_text_field([ref], "quality_statement", rnd.choice(statements), by="t")
        except RuleBroken:
            pass
    return store


def test_the_plan_covers_every_status_and_brag(plan: Store) -> None:
    """The generated plan is a fair test: every status and every BRAG rating occurs."""
    figures = summarise(list(plan_actions(plan)), today=DAYS[-1], window=14)
    assert all(s["total"] for s in figures["by_status"])
    assert all(figures["rag"][r] for r in RAGS)
    assert figures["retired"] and figures["unassigned"] and figures["overdue"]


@pytest.mark.parametrize("window", [0, 14, 30])
@pytest.mark.parametrize("report", [None, "A", "report c"])
def test_progress_figures_counted_in_sql_equal_counting_every_action(
    plan: Store, window: int, report: str | None
) -> None:
    """``summarise`` of a plan view counts in SQL; of a list, in Python: the same figures."""
    for day in [None, *DAYS]:
        today = day or dt.date(2026, 5, 20)
        filters = Filters(report=report) if report else None
        rows = plan_actions(
            plan, filters, day, columns=("status", "due", "owner", "retired", "quality_statement")
        )
        in_sql = summarise(rows, today=today, window=window, generated_at="t")
        every_action = summarise(list(rows), today=today, window=window, generated_at="t")
        assert in_sql == every_action, (day, window, report)
        assert len(rows) == in_sql["total"] + in_sql["retired"]


def test_progress_command_shows_the_figures_of_every_action(
    plan: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``progress --format json`` prints (counted in SQL) equals counting the exported actions."""
    import json

    from click.testing import CliRunner

    from cpft_tracker.cli import app

    monkeypatch.setenv("CPFT_TRACKER_DB", str(plan.path))
    monkeypatch.setenv("CPFT_TRACKER_TODAY", "2026-05-20")
    runner = CliRunner()
    for as_of in (None, "2026-02-14", "2026-04-01"):
        extra = ["--as-of", as_of] if as_of else []
        shown = runner.invoke(app, ["progress", "--format", "json", *extra])
        assert shown.exit_code == 0, shown.output
        figures = json.loads(shown.stdout)
        day = dt.date.fromisoformat(figures["as_of"])
        counted = summarise(
            list(plan_actions(plan, None, dt.date.fromisoformat(as_of) if as_of else None)),
            today=day,
            window=figures["window_days"],
            generated_at=figures["generated_at"],
        )
        assert figures == {**counted, "awaiting_review": 0, "since": None}, as_of


FILTERS = [
    Filters(status=["in-progress", "blocked"]),
    Filters(owner="SIÂN EVANS"),
    Filters(owner="alice smith"),
    Filters(unassigned=True),
    Filters(overdue_on="2026-03-01"),
    Filters(due_before="2026-03-15"),
    Filters(report="b"),
    Filters(quality_statement=FTSU),
    Filters(include_retired=False),
    Filters(status=["not-started"], unassigned=True, include_retired=False),
]


@pytest.mark.parametrize("filters", FILTERS)
def test_as_of_filters_in_sql_equal_filtering_the_rebuilt_plan(
    plan: Store, filters: Filters
) -> None:
    """``--as-of`` with a filter: filtered in the rebuilding query = rebuilt, then filtered in Python."""
    prefixes = {r["id"]: r["prefix"] for r in plan.reports()}
    for day in DAYS:
        rebuilt = actions_as_of(plan, day)
        expected = filter_actions(rebuilt, filters, prefixes)
        got = list(plan_actions(plan, filters, day))
        assert [{k: r[k] for k in expected[0]} for r in got] == expected if expected else not got
        assert len(plan_actions(plan, filters, day)) == len(expected)


def test_a_view_read_twice_sees_one_snapshot(plan: Store) -> None:
    """A board paper reads its actions twice (figures, then tables): a colleague's change
    committed in between does not make the two disagree; the next command sees it."""
    reader = Store.open(plan.path, readonly=True)
    try:
        rows = plan_actions(reader, Filters(include_retired=False))
        first = list(rows)
        ref = first[0]["ref"]
        plan.set_due([ref], "2031-01-01", by="Colleague")  # committed by another connection
        assert list(rows) == first
        assert summarise(rows, today=DAYS[-1], window=14) == summarise(
            first, today=DAYS[-1], window=14
        )
        reader.end_snapshot()
        assert reader.action(ref)["due"] == "2031-01-01"
    finally:
        reader.close()


def test_rows_are_streamed_not_listed(plan: Store) -> None:
    """The rows of a view come one at a time from the cursor (a generator), and a view
    behaves like the list it replaced: len, truth, indexing, equality."""
    stream = plan.iter_plan(columns=["ref"])
    assert next(stream)["ref"] == "A-01"
    stream.close()
    rows = plan_actions(plan)
    assert rows and len(rows) == len(plan.actions()) == 36
    assert rows == plan.actions() and rows[0] == plan.actions()[0]
    empty = plan_actions(plan, Filters(owner="Nobody"))
    assert not empty and len(empty) == 0 and list(empty) == []


def test_columns_unknown_are_refused_for_a_rebuilt_plan_too(plan: Store) -> None:
    with pytest.raises(ValueError, match="not action fields: 'colour'"):
        list(plan.iter_plan(cutoff="2026-02-01T00:00:00.000000Z", columns=["ref", "colour"]))


def _copy_into_the_first_schema(source: Path, target: Path) -> None:
    """Write ``source``'s plan into a new database of the first schema (m001 only), as the
    first version of the tool left it: only m001's tables and columns, m001 recorded."""
    raw = sqlite3.connect(target)
    for statement in M001_INITIAL:
        raw.execute(statement)
    raw.execute(f"ATTACH DATABASE '{source}' AS src")
    (table_sql,) = raw.execute(
        "SELECT sql FROM src.sqlite_master WHERE name = '_sqlite_migrations'"
    ).fetchone()
    raw.execute(table_sql)
    raw.execute(
        "INSERT INTO _sqlite_migrations SELECT * FROM src._sqlite_migrations"
        " WHERE name = 'm001_initial'"
    )
    tables = [
        r[0]
        for r in raw.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%'"
            " ESCAPE '\\' AND name NOT LIKE 'sqlite%'"
        )
    ]
    for table in tables:
        columns = ", ".join(r[1] for r in raw.execute(f"PRAGMA main.table_info({table})"))
        raw.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM src.{table}")  # noqa: S608
    raw.commit()
    raw.execute("DETACH DATABASE src")
    raw.close()


@pytest.mark.sqlite_only(
    reason="an SQLite file of the first schema, and SQLite's query plan for the figures"
)
def test_a_database_from_the_first_schema_gets_the_progress_index(plan: Store) -> None:
    """A plan written by the first version (schema 1) is upgraded on opening: the index
    the figures are counted from is added (m002, replaced by m003's with the review state
    in it), every action is accepted, and nothing a user sees changes."""
    before = summarise(plan_actions(plan), today=DAYS[-1], window=14)
    plan.close()
    first = plan.path.with_name("schema-1.db")
    _copy_into_the_first_schema(plan.path, first)
    old = Store.open(first)
    try:
        assert old.applied_migrations() == [name for name, _ in MIGRATIONS]
        assert old.schema_version == SCHEMA_VERSION
        indexes = {
            r[0] for r in old.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert "actions_tracked_figures" in indexes and "actions_figures" not in indexes
        assert "actions_review_figures" not in indexes
        assert {r["review"] for r in old.actions()} == {"accepted"}
        assert summarise(plan_actions(old), today=DAYS[-1], window=14) == before
        plan_sql = " ".join(
            str(r[3])
            for r in old.conn.execute(
                "EXPLAIN QUERY PLAN SELECT quality_statement, status, owner_id, retired, count(*)"
                " FROM actions WHERE review IN ('accepted')"
                " GROUP BY quality_statement, status, owner_id, retired"
            )
        )
        assert "COVERING INDEX actions_tracked_figures (review=?)" in plan_sql, plan_sql
        assert "TEMP B-TREE" not in plan_sql
    finally:
        old.close()


def test_a_limited_view_gives_the_first_actions_in_plan_order(plan: Store) -> None:
    """``limit`` (for ``list --limit``): the first N of the same order, counted the same."""
    overdue = Filters(overdue_on="2027-01-01")
    every = list(plan_actions(plan, overdue))
    assert len(every) > 3
    first = plan_actions(plan, overdue, limit=3)
    assert list(first) == every[:3] and len(first) == 3 and first
    assert len(plan_actions(plan, overdue, limit=10_000)) == len(every)
    assert not plan_actions(plan, overdue, limit=0)
    counted = summarise(first, today=dt.date(2026, 4, 1), window=14)
    assert counted == summarise(every[:3], today=dt.date(2026, 4, 1), window=14)


@pytest.mark.sqlite_only(reason="SQLite's query plan (EXPLAIN QUERY PLAN and its trace callback)")
def test_a_limited_overdue_list_walks_the_plan_order_index_and_stops(plan: Store) -> None:
    """``list --overdue --limit 50`` (m008): SQLite walks ``actions_plan_order`` in plan order
    and stops at the Nth match, sorting nothing; the rows are the first N of the plan order
    (report, place in the report, id) that a user sees without the limit."""
    today = "2027-01-01"
    overdue = Filters(overdue_on=today)
    every = list(plan.iter_plan(overdue))
    assert len(every) > 5
    assert [r["id"] for r in every] == [
        r["id"] for r in sorted(every, key=lambda r: (r["report_id"], r["position"], r["id"]))
    ]
    ran: list[str] = []
    plan.conn.set_trace_callback(ran.append)
    try:
        first = list(plan.iter_plan(overdue, limit=5))
    finally:
        plan.conn.set_trace_callback(None)
    assert first == every[:5]
    rows_sql = [s for s in ran if "a.id IN (SELECT" in s]
    assert len(rows_sql) == 1
    steps = [str(r[3]) for r in plan.conn.execute(f"EXPLAIN QUERY PLAN {rows_sql[0]}")]
    # the ids: a walk of the index in plan order, no overdue action looked up by due date;
    # the one sort left is of the N rows picked
    assert "SCAN a USING INDEX actions_plan_order" in steps, steps
    assert not any("actions_due" in step for step in steps), steps
    assert sum("TEMP B-TREE" in step for step in steps) <= 1, steps


@pytest.mark.sqlite_only(
    reason="an SQLite file from before m008 (its migrations table and index dropped by hand)"
)
def test_a_database_without_the_plan_order_index_gets_it_on_opening(plan: Store) -> None:
    """A plan written before m008 is upgraded when opened: the index is added, the
    migration recorded, and the limited list shows the same actions as before."""
    overdue = Filters(overdue_on="2027-01-01")
    before = list(plan.iter_plan(overdue, limit=7))
    plan.conn.execute("DROP INDEX actions_plan_order")
    plan.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_plan_order'")
    plan.close()
    again = Store.open(plan.path)
    try:
        assert again.applied_migrations()[-1] == "m008_plan_order"
        assert again.schema_version == SCHEMA_VERSION
        names = {
            r[0] for r in again.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert "actions_plan_order" in names
        assert list(again.iter_plan(overdue, limit=7)) == before
    finally:
        again.close()


def _latest_updates_step_by_step(store: Store, cutoff: str | None) -> dict[int, dict[str, Any]]:
    """The reference: walk every event oldest first, keeping each action's newest picks."""
    picks: dict[int, dict[str, Any]] = {}
    for row in store.conn.execute(
        "SELECT id, action_id, at, by, field, old, new, note, occurred_on FROM events ORDER BY id"
    ):
        event = dict(row)
        action_id = event.pop("action_id")
        if action_id is None or event["field"] not in ("note", "status"):
            continue
        if cutoff is not None and event["at"] >= cutoff:
            continue
        mine = picks.setdefault(action_id, {"latest": None, "blocked": None, "noted": None})
        mine["latest"] = event
        if event["field"] == "status" and event["new"] == "blocked":
            mine["blocked"] = event
        if event["field"] == "note" or event["note"] is not None:
            mine["noted"] = event
    return picks


@pytest.mark.parametrize("block", [3, 2048])
def test_latest_updates_read_in_blocks_equal_walking_every_event(
    plan: Store, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """The board paper's latest update per action, read a block of ids at a time (so a big
    plan's page never holds every action's events), is what walking the trail gives: in
    plan order, backwards and at random, now and before past cut-offs; an action with no
    update is absent."""
    from cpft_tracker.store import reads

    monkeypatch.setattr(reads, "UPDATES_BLOCK", block)
    ids = [r["id"] for r in plan.iter_plan(Filters(include_retired=True), columns=["id"])]
    rnd = random.Random(block)
    for cutoff in [None, *(cutoff_utc(day) for day in DAYS[::3])]:
        want = _latest_updates_step_by_step(plan, cutoff)
        assert want  # the random plan has updates before every cut-off taken
        got = plan.latest_updates(cutoff)
        assert len(got) == len(want) and set(got) == set(want)
        for order in (ids, ids[::-1], rnd.sample(ids, len(ids))):
            fresh = plan.latest_updates(cutoff)
            assert {i: fresh.get(i) for i in order} == {i: want.get(i) for i in order}
        assert got.get(-1) is None and got.get(max(ids) + 1) is None


@pytest.mark.sqlite_only(reason="SQLite's query plan (EXPLAIN QUERY PLAN and its trace callback)")
def test_whether_anything_is_overdue_is_asked_once_and_read_from_the_due_index(
    plan: Store,
) -> None:
    """``list --overdue`` asks whether there is anything to show before drawing: that is
    one query however often the view is asked (one snapshot, one answer), and it is
    answered from the due-date index alone (m010), never the action rows."""
    overdue = Filters(overdue_on="2027-01-01")
    ran: list[str] = []
    plan.conn.set_trace_callback(ran.append)
    try:
        view = plan_actions(plan, overdue)
        answers = [bool(view), bool(view), bool(view)]
    finally:
        plan.conn.set_trace_callback(None)
    assert answers == [True] * 3
    asked = [s for s in ran if "EXISTS" in s]
    assert len(asked) == 1
    steps = " | ".join(str(r[3]) for r in plan.conn.execute(f"EXPLAIN QUERY PLAN {asked[0]}"))
    assert "COVERING INDEX actions_due" in steps, steps
    assert not plan_actions(plan, Filters(overdue_on="2000-01-01"))
