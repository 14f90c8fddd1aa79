"""The JSON and CSV exports' fast path writes the bytes an independent, slower construction writes.

``export --format json|csv`` builds each record from one dict display and checks a CSV row
whole (render.export_records, _record_json, _export_csv_line; issue 10's speed work), and the
board story's latest updates come from two grouped queries (store/reads.py LatestUpdates).
The documented output must not move by a byte, so this builds a plan of a few hundred actions
with everything that changes a record (notes with commas, quotes, line breaks, control and
bidi characters, text that starts like a spreadsheet formula, evidence, every status, blocked
with and without a reason, owners with and without email, possible duplicates, merged,
rejected and retired actions, dates moved) and compares the command's stdout with:

* JSON: ``json.dumps(doc, ensure_ascii=False, indent=2)`` of records made field by field
  (``render.export_record``) with each action's story from walking the audit trail oldest
  first (not the store's grouped queries);
* CSV: ``csv.writer`` of the same records, each text cell made visible and neutralised cell
  by cell (``textsafe.visible``, ``render.neutralise_cell``).

On SQLite each record is made by SQLite in the plan's query (store/exporting.py); rows it
cannot write as Python does (a hand-edited database) and other time zones are checked at the
end. On SQLite and (``make test-postgresql``) PostgreSQL: the ``db_path`` fixture.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from typing import Any

import pytest
from click.testing import CliRunner

from cpft_tracker import render
from cpft_tracker.asof import cutoff_utc, plan_actions
from cpft_tracker.board import STORY_FIELDS, BoardStory
from cpft_tracker.errors import NotFound, RuleBroken, UsageProblem
from cpft_tracker.extract import Requirement
from cpft_tracker.store import Store
from cpft_tracker.textsafe import visible
from tests.board_helpers import at

TODAY = dt.date(2026, 6, 30)
NOTES = [
    "Spot check on the ward, all fine",
    'Chair said "not yet"; back in July',
    "Two lines:\nfirst, then second",
    "=SUM(A1:A9) looks like a formula",
    "-5 beds short",
    "+ more to do",
    "@matron to follow up",
    "\tstarts with a tab",
    "carriage\r\nreturn inside",
    "bell \x07 and escape \x1b[2J",
    "right-to-left \u202e override",
    "Siân’s note — ünïcödé, 日本語",
    "a \\u0000 typed literally",
]


def _requirements(prefix: str, n: int, rnd: random.Random) -> list[Requirement]:
    reqs = []
    for i in range(1, n + 1):
        dups = sorted({rnd.randint(1, n) for _ in range(rnd.choice([0, 0, 1, 2]))} - {i})
        reqs.append(
            Requirement(
                text=f"The trust must {rnd.choice(NOTES)} improve item {i}, with care ({prefix}).",
                context=f"Context for {prefix} {i}: {rnd.choice(NOTES)}",
                section=rnd.choice(["Well-led", "Safe", "=Effective"]),
                line=i,
                position=i,
                keyword=rnd.choice(["must", "should"]),
                matched=rnd.choice(["must", "should ensure"]),
                title=f"Item {i} {rnd.choice(NOTES)[:20]}",
                quality_statement=rnd.choice(["Freedom to speak up", None, "Safe, effective"]),
                possible_duplicates=dups,
            )
        )
    return reqs


def _build(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(2026)
    clock = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)

    def tick() -> None:
        nonlocal clock
        clock += dt.timedelta(hours=rnd.choice([1, 5, 26]))
        at(monkeypatch, clock.strftime("%Y-%m-%dT%H:%M:%SZ"))

    refs: list[str] = []
    for prefix, n in (("A", 120), ("B", 100), ("C", 80)):
        tick()
        result = store.import_report(
            name=f"Trust — Report {prefix}",
            requirements=_requirements(prefix, n, rnd),
            source_file=f"{prefix}.txt",
            source_sha256=prefix,
            by="Test Lead",
            prefix=prefix,
        )
        refs += [item["ref"] for item in result.added]
    owners = ["Alice Smith", "Bob Jones", "Siân Evans", "=Director"]
    for step in range(900):
        tick()
        ref = rnd.choice(refs)
        op = rnd.randrange(12)
        day = (clock.date() + dt.timedelta(days=rnd.choice([-30, -1, 0, 10, 40]))).isoformat()
        try:
            if op == 0:
                email = rnd.choice([None, f"o{step % 3}@nhs.net"])
                store.assign([ref], rnd.choice(owners), by="t", email=email, new_owner=True)
            elif op == 1:
                store.set_due([ref], rnd.choice([day, None]), by="t")
            elif op in (2, 3, 4):
                store.add_note(ref, rnd.choice(NOTES), by=rnd.choice(["t", "Matron"]))
            elif op == 5:
                store.add_note(ref, rnd.choice(NOTES), by="t", occurred_on=day)
            elif op in (6, 7):
                status = rnd.choice(
                    ["in-progress", "blocked", "blocked", "complete", "not-started"]
                )
                store.set_status(
                    [ref],
                    status,
                    by="t",
                    note=rnd.choice([None, rnd.choice(NOTES)]),
                    evidence=rnd.choice(NOTES) if status == "complete" else None,
                )
            elif op == 8:
                store.retire([ref], rnd.choice(NOTES), by="t")
            elif op == 9:
                store.merge(ref, rnd.choice(refs), by="t", note=rnd.choice([None, "same thing"]))
            elif op == 10:
                store.accept([ref], by="t")
            else:
                store.reject([ref], rnd.choice(NOTES), by="t")
        except (RuleBroken, UsageProblem, NotFound):  # a change the rules refuse: skipped
            pass
    # blocked with no reason given, after a note and then a status change that gave one: the
    # blocked reason is that status change's note (the newest event carrying a note)
    for ref, extra in (("A-07", "A note first"), ("B-08", None)):
        if store.action(ref)["retired"]:
            store.reinstate([ref], by="t")
        if extra:
            tick()
            store.add_note(ref, extra, by="t")
        for status, note in (
            ("in-progress", "Waiting on estates, said at the huddle"),
            ("blocked", None),
        ):
            tick()
            store.set_status([ref], status, by="t", note=note)


@pytest.fixture
def plan(db_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The plan above in the test's database (either backend); today is fixed."""
    store = Store.open(db_path, create=True)
    try:
        _build(store, monkeypatch)
    finally:
        store.close()
    monkeypatch.delenv("CPFT_TRACKER_NOW", raising=False)
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY.isoformat())
    return db_path


def _stories(store: Store, cutoff: str | None) -> dict[int, dict[str, Any]]:
    """Each action's latest update, blocked and noted events, walking every event oldest first."""
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


def _slow_records(location: Any, as_of: dt.date | None, overdue: bool) -> list[dict[str, Any]]:
    from cpft_tracker.store.interface import Filters

    today = as_of or TODAY
    store = Store.open(location, readonly=True)
    try:
        cutoff = cutoff_utc(as_of) if as_of is not None else None
        story = BoardStory(updates=_stories(store, cutoff))
        filters = Filters(overdue_on=today.isoformat()) if overdue else None
        rows = list(plan_actions(store, filters, as_of))
        return [render.export_record(dict(a), today, 14, story) for a in rows]
    finally:
        store.close()


def _slow_csv(records: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    fields = render.EXPORT_FIELDS + STORY_FIELDS
    writer.writerow(fields)
    for r in records:
        cells = []
        for f in fields:
            value = "; ".join(r[f]) if f == "possible_duplicates" else r[f]
            if isinstance(value, str):  # shown, CR by CR, as the CSV cell shows it
                value = "\r".join(visible(p, multiline=True) for p in value.split("\r"))
            cells.append(render.neutralise_cell(value))
        writer.writerow(cells)
    return buf.getvalue()


def _export(*args: str) -> str:
    from cpft_tracker.cli import app

    result = CliRunner().invoke(app, ["export", *args])
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result.stdout_bytes.decode("utf-8")  # bytes as written (CRLF kept)


@pytest.mark.parametrize(
    ("as_of", "overdue"), [(None, False), (None, True), (dt.date(2026, 3, 15), False)]
)
def test_export_json_and_csv_are_the_bytes_of_a_field_by_field_construction(
    plan: Any, as_of: dt.date | None, overdue: bool
) -> None:
    """Every record, every key in its documented order and every byte of JSON and CSV."""
    extra = [
        *(["--as-of", as_of.isoformat()] if as_of else []),
        *(["--overdue"] if overdue else []),
    ]
    records = _slow_records(plan, as_of, overdue)
    assert len(records) > (5 if overdue else 250)

    shown = _export("--format", "json", *extra)
    doc = json.loads(shown)
    want = {
        "schema_version": render.EXPORT_SCHEMA_VERSION,
        "generated_at": doc["generated_at"],
        "as_of": (as_of or TODAY).isoformat(),
        "actions": records,
    }
    assert shown == json.dumps(want, ensure_ascii=False, indent=2) + "\n"
    assert shown.encode("utf-8") == (json.dumps(want, ensure_ascii=False, indent=2) + "\n").encode()

    assert _export("--format", "csv", *extra) == _slow_csv(records)


def test_the_plan_has_what_the_fast_path_must_get_right(plan: Any) -> None:
    """The comparison above is a fair one: the plan has each kind of record in it."""
    records = _slow_records(plan, None, False)
    seen = {
        "retired": any(r["retired"] for r in records),
        "merged": any((r["retired"] or "").startswith("merged into") for r in records),
        "rejected": any(r["review"] == "rejected" for r in records),
        "awaiting": any(r["review"] == "awaiting" for r in records),
        "blocked with a reason": any(
            r["blocked_reason"] not in (None, "no reason recorded") for r in records
        ),
        "blocked, reason from a status change": any(
            r["blocked_reason"] == "Waiting on estates, said at the huddle" for r in records
        ),
        "blocked without": any(r["blocked_reason"] == "no reason recorded" for r in records),
        "duplicates": any(len(r["possible_duplicates"]) > 1 for r in records),
        "evidence": any(r["evidence"] for r in records),
        "owner email": any(r["owner_email"] for r in records),
        "a note dated --on": any(
            r["latest_update_on"] and r["latest_update_on"] != r["updated_at"][:10] for r in records
        ),
        "every BRAG": {r["rag"] for r in records} == {"blue", "green", "amber", "red", None},
        "control characters": any("\x1b" in (r["latest_update"] or "") for r in records),
        "formula starts": any((r["latest_update"] or "")[:1] in "=+-@\t" for r in records),
    }
    assert all(seen.values()), [k for k, v in seen.items() if not v]


@pytest.fixture
def time_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The process's local time zone set to ``request.param`` for the test (then put back)."""
    import time

    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    "time_zone", ["Pacific/Chatham", "Asia/Kolkata", "America/St_Johns"], indirect=True
)
def test_the_latest_update_is_dated_by_the_local_day_in_any_time_zone(
    plan: Any, time_zone: str
) -> None:
    """``latest_update_on`` is the local day the update was recorded (offsets of :30 and :45
    and summer time too): the SQLite export works it out once a minute, which must not move it."""
    records = _slow_records(plan, None, False)
    shown = json.loads(_export("--format", "json"))
    assert shown["actions"] == records
    assert _export("--format", "csv") == _slow_csv(records)


ODD_DUPLICATES = [
    '["A-1","A-2"]',  # other spacing than json.dumps writes
    '[ "A-1" ]',
    '["A-1", "A-\\u0032"]',  # an escape
    '["Siân"]',  # not ASCII
    "[1, 2]",  # not text
    '{"a": 1}',  # not a list
    "not json",
    '["A-1", "A-2", ]',
    '[""]',
    '["", ""]',
    '["a, b", "c; d"]',
    '["A-1"]\x00, "A-2"]',  # a NUL (SQLite's GLOB and length stop there)
]


@pytest.mark.sqlite_only(reason="the SQL-made export is SQLite's; PostgreSQL's is Python's")
def test_rows_sqlite_does_not_write_as_python_does_are_written_the_python_way(
    plan: Any,
) -> None:
    """Stored values the tool itself never writes (a hand-edited database) come out as the
    field-by-field construction writes them: possible duplicates in other shapes, an
    ``in_source`` that is not a number, and a due date that is no real day."""
    store = Store.open(plan)
    try:
        ids = [row[0] for row in store.conn.execute("SELECT id FROM actions ORDER BY id")]
        for action_id, stored in zip(ids[::7], ODD_DUPLICATES, strict=False):
            store.conn.execute(
                "UPDATE actions SET possible_duplicates = ? WHERE id = ?", [stored, action_id]
            )
        store.conn.execute("UPDATE actions SET in_source = 'yes' WHERE id = ?", [ids[3]])
        store.conn.commit()
    finally:
        store.close()
    records = _slow_records(plan, None, False)
    assert json.loads(_export("--format", "json"))["actions"] == records
    assert _export("--format", "csv") == _slow_csv(records)
    shown = _export("--format", "json")
    doc = json.loads(shown)
    want = {**doc, "actions": records}
    assert shown == json.dumps(want, ensure_ascii=False, indent=2) + "\n"

    store = Store.open(plan)
    try:  # a due date that is no real day, on a complete action (BRAG does not read it)
        done = store.conn.execute("SELECT id FROM actions WHERE status = 'complete'").fetchone()[0]
        store.conn.execute("UPDATE actions SET due = '2026-02-30' WHERE id = ?", [done])
        store.conn.commit()
    finally:
        store.close()
    records = _slow_records(plan, None, False)
    assert _export("--format", "csv") == _slow_csv(records)
    shown = _export("--format", "json")
    assert (
        shown
        == json.dumps({**json.loads(shown), "actions": records}, ensure_ascii=False, indent=2)
        + "\n"
    )
