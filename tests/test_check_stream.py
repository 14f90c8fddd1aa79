"""check replays the plan one action at a time (issue 10): it names what the whole replay names.

``check`` walks the hash chain in event order, then replays each action's own events beside its
row, streamed (``Store.action_histories``), holding the first lines it finds and counting the
rest. What a governance lead reads must not move: the same lines, in the same order, the same
counts, the same verdict and exit code. The golden here is the construction check used before:
every event read at once, fed oldest first to one :class:`~cpft_tracker.replay.Replay`, and
``Replay.disagreements`` over every row of the plan (read field by field here, with its own SQL),
with the chain verified over the same list.

The plan has a few hundred actions in three reports with real history (owners with and without
an address, dates, statuses, evidence, retired actions, notes), then problems planted behind
the tool's back: rows edited directly (fewer, then more, than the report lists), dates changed
directly and later overwritten by real changes made in the reverse order of the actions (so the
breaks are found in an order that is not their events'), an event for an action that is not
there, an action with no 'created' event, an owner's address, a setting, a report's source
file and a rewritten event. On SQLite and (``make test-postgresql``) PostgreSQL: ``db_path``.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from cpft_tracker.extract import Requirement
from cpft_tracker.maintenance import LISTED
from cpft_tracker.replay import Replay
from cpft_tracker.store import Store, chain
from tests.conftest import db_dicts, db_rows, db_write_behind_the_tools_back, is_pg
from tests.robustness_support import base_env, cli

OWNERS = [("Alice Smith", "alice@nhs.net"), ("Bob Jones", None), ("Siân Evans", "sian@nhs.net")]


def _requirements(prefix: str, n: int) -> list[Requirement]:
    return [
        Requirement(
            text=f"The trust must improve item {i} ({prefix}).",
            context=f"Context for {prefix} {i}",
            section="Safe",
            line=i,
            position=i,
            keyword="must",
            matched="must",
            title=f"Improve item {i} of {prefix}",
            quality_statement=None,
        )
        for i in range(1, n + 1)
    ]


@pytest.fixture
def plan(db_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Three reports (A, B, C: 300 actions) with a history of real changes; check says OK."""
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2026-03-01T09:00:00Z")
    rnd = random.Random(10)
    store = Store.open(db_path, create=True)
    try:
        refs: list[str] = []
        for prefix, n in (("A", 120), ("B", 100), ("C", 80)):
            result = store.import_report(
                name=f"Report {prefix}",
                requirements=_requirements(prefix, n),
                source_file=f"{prefix}.txt",
                source_sha256=prefix * 64,
                by="Test Lead",
                prefix=prefix,
            )
            refs += [a["ref"] for a in result.added]
        for ref in rnd.sample(refs, 200):
            name, email = rnd.choice(OWNERS)
            store.assign([ref], name, email=email, by="Test Lead", new_owner=True)
        for ref in rnd.sample(refs, 150):
            store.set_due([ref], f"2026-0{rnd.randint(4, 9)}-1{rnd.randint(0, 9)}", by="Test Lead")
        for ref in rnd.sample(refs, 120):
            status = rnd.choice(["in-progress", "blocked", "complete"])
            evidence = "Audit report" if status == "complete" else None
            store.set_status([ref], status, by="Test Lead", evidence=evidence)
        for ref in rnd.sample(refs, 80):
            store.add_note(ref, "Discussed at the huddle", by="Matron")
        store.retire(rnd.sample(refs, 10), "Duplicate of another action", by="Test Lead")
    finally:
        store.close()
    monkeypatch.delenv("CPFT_TRACKER_NOW")
    return db_path


def whole_replay(db: Any) -> tuple[chain.ChainVerdict, list[str], int]:
    """The chain verdict, every disagreement and the number of actions: the trail read whole."""
    events = db_dicts(db, "SELECT * FROM events ORDER BY id")
    replay = Replay()
    for event in events:
        replay.feed(event)
    state = {
        "actions": [
            {
                "id": a["id"],
                "ref": a["ref"],
                "status": a["status"],
                "owner": None
                if a["owner_id"] is None
                else db_rows(db, "SELECT name FROM owners WHERE id = ?", (a["owner_id"],))[0][0],
                "due": a["due"],
                "evidence": a["evidence"],
                "retired": a["retired"],
                "in_source": a["in_source"],
                "title": a["title"],
                "quality_statement": a["quality_statement"],
            }
            for a in db_dicts(db, "SELECT * FROM actions ORDER BY id")
        ],
        "owners": db_dicts(db, "SELECT name, email FROM owners ORDER BY id"),
        "settings": db_dicts(db, "SELECT key, value FROM settings ORDER BY key"),
        "reports": db_dicts(db, "SELECT id, name, source_file FROM reports ORDER BY id"),
    }
    return chain.verify(events, keep=LISTED), replay.disagreements(state), len(state["actions"])


def check_json(db: Any) -> tuple[int, dict[str, Any], str]:
    proc = cli(["check", "--format", "json"], base_env(db))
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def assert_as_the_whole_replay(db: Any) -> list[str]:
    """check (JSON and table) says what the whole replay says; every disagreement returned."""
    verdict, found, actions = whole_replay(db)
    code, data, _ = check_json(db)
    history = next(c for c in data["checks"] if c["name"] == "history")
    assert data["disagreements"] == found[:LISTED]
    if found:
        more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
        assert history == {"name": "history", "ok": False, "detail": "; ".join(found[:5]) + more}
    else:
        assert history["detail"] == f"{actions} action(s) agree with their history"
    assert data["events"] == verdict.events
    assert data["broken_links"] == verdict.broken
    assert data["chain_head"] == {"event": verdict.head_id, "hash": verdict.head_hash}
    assert code == (0 if data["ok"] else 1)
    table = cli(["check"], base_env(db))
    assert table.returncode == code
    assert f"History: {'PROBLEM: ' if found else ''}{history['detail']}" in " ".join(
        table.stdout.split()
    )
    return found


def test_a_plan_with_a_real_history_agrees(plan: Any) -> None:
    assert assert_as_the_whole_replay(plan) == []
    code, data, _ = check_json(plan)
    assert code == 0 and data["ok"]
    assert "300 action(s) agree with their history" in json.dumps(data)


def refs_by_id(db: Any) -> dict[int, str]:
    return {int(i): str(r) for i, r in db_rows(db, "SELECT id, ref FROM actions ORDER BY id")}


def test_breaks_found_out_of_event_order_are_listed_by_event(plan: Any) -> None:
    """More breaks than are listed, found action by action but made in the reverse order."""
    refs = refs_by_id(plan)
    ids = sorted(refs)[::4]  # 75 actions
    db_write_behind_the_tools_back(
        plan,
        "UPDATE actions SET due = '2099-12-31' WHERE id IN (" + ",".join(map(str, ids)) + ")",  # noqa: S608
        f"UPDATE actions SET status = 'complete' WHERE id = {ids[1] + 1}",  # noqa: S608
    )
    store = Store.open(plan)
    try:
        for action_id in reversed(ids):  # the last action's break is the first event
            store.set_due([refs[action_id]], "2026-12-01", by="Test Lead")
    finally:
        store.close()
    found = assert_as_the_whole_replay(plan)
    assert len(found) == 76
    assert found[0].startswith(f"{refs[ids[1] + 1]}'s status is 'complete' but its history says")
    assert found[1].startswith(f"{refs[ids[-1]]}'s due date was '2099-12-31' when event ")
    assert found[-1].startswith(f"{refs[ids[0]]}'s due date was '2099-12-31' when event ")


def test_more_rows_than_listed_and_every_other_kind_of_problem(plan: Any) -> None:
    refs = refs_by_id(plan)
    first = min(refs)
    [(last_event,)] = db_rows(plan, "SELECT max(id) FROM events")
    [(noted,)] = db_rows(plan, "SELECT min(id) FROM events WHERE field = 'note'")
    action_cols = [c for c in db_dicts(plan, "SELECT * FROM actions ORDER BY id")[0] if c != "id"]
    copied = ", ".join(
        "'Z-1'" if c == "ref" else "'fingerprint-z'" if c == "fingerprint" else c
        for c in action_cols
    )
    rewrite = f"UPDATE events SET by = 'Somebody Else' WHERE id = {noted}"  # noqa: S608
    statements = [
        "UPDATE actions SET evidence = 'Nothing here' WHERE id % 3 = 0",
        "UPDATE owners SET email = 'attacker@evil.example' WHERE name = 'Alice Smith'",
        "UPDATE settings SET value = '99' WHERE key = 'warning_window_days'",
        "INSERT INTO settings (key, value) SELECT 'warning_window_days', '99' WHERE NOT EXISTS"
        " (SELECT 1 FROM settings WHERE key = 'warning_window_days')",
        "UPDATE reports SET source_file = 'other.txt' WHERE prefix = 'B'",
        f"INSERT INTO events (id, action_id, at, by, field, old, new, hash) VALUES ({last_event + 1},"  # noqa: S608
        " 999999, '2026-03-02T00:00:00Z', 'x', 'status', 'in-progress', 'complete', 'x')",
        f"INSERT INTO actions ({', '.join(action_cols)}) SELECT {copied}"  # noqa: S608
        f" FROM actions WHERE id = {first}",
    ]
    if is_pg(plan):
        statements.append(rewrite)
    else:
        from cpft_tracker.store.sqlite_dialect import PROTECTIVE_TRIGGERS

        guard = "events_are_append_only_update"
        statements += [f"DROP TRIGGER {guard}", rewrite, PROTECTIVE_TRIGGERS[guard]]
    db_write_behind_the_tools_back(plan, *statements)
    found = assert_as_the_whole_replay(plan)
    assert len(found) > LISTED
    code, data, err = check_json(plan)
    assert code == 1 and "failed its check" in err
    assert data["broken_links"] == [noted, last_event + 1]
    for line in (
        "Z-1 has no 'created' event: it was added outside cpft-tracker",
        "action 999999's status was 'in-progress' when event "
        f"{last_event + 1} changed it, but its history before says 'not-started'",
        "owner 'Alice Smith''s email is 'attacker@evil.example' but its history says "
        "'alice@nhs.net'",
        "report 'Report B''s source file is 'other.txt' but its history says 'B.txt'",
    ):
        assert line in found


def test_more_broken_links_than_listed_are_counted_whole(plan: Any) -> None:
    """The chain line counts every broken link, not only the 50 it lists (it said "and 40
    more" for any number over 50)."""
    ids = [int(i) for (i,) in db_rows(plan, "SELECT id FROM events ORDER BY id LIMIT 200")]
    rewritten = ids[10::2][:60]  # 60 events, none of them the first
    rewrite = (
        "UPDATE events SET by = 'Somebody Else' WHERE id IN ("  # noqa: S608
        + ",".join(map(str, rewritten))
        + ")"
    )
    if is_pg(plan):
        db_write_behind_the_tools_back(plan, rewrite)
    else:
        from cpft_tracker.store.sqlite_dialect import PROTECTIVE_TRIGGERS

        guard = "events_are_append_only_update"
        db_write_behind_the_tools_back(
            plan, f"DROP TRIGGER {guard}", rewrite, PROTECTIVE_TRIGGERS[guard]
        )
    code, data, _ = check_json(plan)
    chain_line = next(c for c in data["checks"] if c["name"] == "audit chain")
    assert code == 1 and not chain_line["ok"]
    assert data["broken_links"] == rewritten[:LISTED]
    listed = ", ".join(map(str, rewritten[:10]))
    assert chain_line["detail"] == (
        f"broken at event(s) {listed} and 50 more: changed, inserted or re-hashed outside "
        "cpft-tracker"
    )
