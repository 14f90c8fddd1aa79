"""The PostgreSQL backend (issue 12) on a real server: what only PostgreSQL has to show.

The behaviour tests marked ``@both_backends`` (the month, bad inputs, plan load conflicts) run
on both backends; here: migrations, the driver imported only when used, passwords never
shown, the audit trail protected by the database itself, a read-only board role, ``copy``
there and back, ``--as-of`` equal on both, 8 writers, and a SIGKILL mid-import.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cpft_tracker.store import postgres
from cpft_tracker.store.sqlite_dialect import MIGRATIONS
from tests.conftest import BUNDLED_REPORT, ROOT, run_cli
from tests.robustness_support import big_report

NOW = {"CPFT_TRACKER_TODAY": "2026-03-20"}


def ok(*args: str, db: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = run_cli("--db", db, *args, env={**NOW, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def export_json(db: str, *extra: str) -> dict[str, Any]:
    doc = json.loads(ok("export", "--format", "json", *extra, db=db).stdout)
    doc.pop("generated_at", None)
    return doc


def story(db: str) -> None:
    """A short history: import, owners, dates, statuses, notes, a retirement, a merge."""
    at = lambda t: {"CPFT_TRACKER_NOW": t}  # noqa: E731
    ok("import", str(BUNDLED_REPORT), db=db, env=at("2026-01-05T09:00:00Z"))
    ok(
        "assign",
        "CPFT-01",
        "CPFT-02",
        "Director of Nursing",
        "--email",
        "dn@example.nhs.uk",
        db=db,
        env=at("2026-01-06T09:00:00Z"),
    )
    ok("due", "CPFT-01", "CPFT-02", "31/03/2026", db=db, env=at("2026-01-06T09:05:00Z"))
    ok(
        "status",
        "CPFT-01",
        "in-progress",
        "--note",
        "started",
        db=db,
        env=at("2026-02-01T10:00:00Z"),
    )
    ok("note", "CPFT-02", "Paper to board", db=db, env=at("2026-02-10T10:00:00Z"))
    ok(
        "status",
        "CPFT-02",
        "complete",
        "--evidence",
        "Board minutes item 7",
        db=db,
        env=at("2026-03-01T10:00:00Z"),
    )
    ok("retire", "CPFT-03", "--reason", "covered by CPFT-01", db=db, env=at("2026-03-02T10:00:00Z"))
    ok(
        "owners",
        "email",
        "Director of Nursing",
        "nursing@example.nhs.uk",
        db=db,
        env=at("2026-03-03T10:00:00Z"),
    )


# -- no server needed ------------------------------------------------------------------


def test_every_sqlite_migration_has_a_postgresql_counterpart() -> None:
    assert [name for name, _ in postgres.PG_MIGRATIONS] == [name for name, _ in MIGRATIONS]
    assert all(statements for _, statements in postgres.PG_MIGRATIONS)


def test_every_file_with_sqlite_only_tests_is_listed_with_its_reason_in_the_docs() -> None:
    """make test-postgresql skips only the tests about the SQLite file; docs/postgresql.md says
    which and why (its Tests table names each file that has any)."""
    table = (ROOT / "docs" / "postgresql.md").read_text(encoding="utf-8").split("## Tests", 1)[1]
    mark = "mark." + "sqlite_only("
    marked = sorted(p.name for p in (ROOT / "tests").glob("test_*.py") if mark in p.read_text())
    assert marked, "no test is marked sqlite_only"
    assert [name for name in marked if f"`{name}`" not in table] == []


def test_a_sqlite_command_does_not_import_the_postgresql_driver(tmp_path: Path) -> None:
    db = tmp_path / "plan.db"
    code = (
        "import sys\n"
        "from cpft_tracker.cli import main\n"
        f"sys.argv = ['cpft-tracker', '--db', {str(db)!r}, 'import', '--example']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('psycopg' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.stdout.strip().splitlines()[-1] == "False", proc.stderr


def test_the_password_is_masked_in_every_url_shown() -> None:
    assert postgres.mask("postgresql://board:hunter2@db.example:5433/plan") == (
        "postgresql://board:***@db.example:5433/plan"
    )
    assert str(postgres.DatabaseURL("postgresql://u:pw@h/p")) == "postgresql://u:***@h/p"


# -- on the test server ----------------------------------------------------------------


@pytest.fixture
def pg(pg_server: Any) -> str:
    return str(pg_server.new_database("p"))


def test_a_wrong_password_is_one_line_without_the_password(pg_server: Any, pg: str) -> None:
    bad = pg.replace(f":{pg_server.url().split(':')[2].split('@')[0]}@", ":wrong-pw-123@")
    proc = run_cli("--db", bad, "list")
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: Cannot connect") and proc.stderr.count("\n") == 1
    assert "wrong-pw-123" not in proc.stderr and "***" in proc.stderr
    # and from PGPASSWORD, as libpq users expect: no password in the URL at all
    user_only = pg.replace(":" + pg.split(":")[2].split("@")[0] + "@", "@")
    assert ok("init", db=user_only, env={"PGPASSWORD": pg.split(":")[2].split("@")[0]})


def test_the_audit_trail_is_append_only_in_the_database_itself(pg: str) -> None:
    import psycopg

    ok("import", "--example", db=pg)
    with psycopg.connect(pg, autocommit=True) as conn:
        for statement in (
            "UPDATE events SET note = 'x'",
            "DELETE FROM events",
            "TRUNCATE events",
            "DELETE FROM actions",
            "DELETE FROM reports",
        ):
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute(statement)  # type: ignore[arg-type]
    check = ok("check", db=pg)
    assert "Result:                 OK" in check.stdout
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute("ALTER TABLE events DISABLE TRIGGER events_are_append_only_update")
    proc = run_cli("--db", pg, "check")
    assert proc.returncode != 0 and "events_are_append_only_update" in proc.stdout + proc.stderr


def test_a_board_members_read_only_role_reads_but_cannot_write(pg_server: Any, pg: str) -> None:
    ok("import", "--example", db=pg)
    database = pg.rsplit("/", 1)[1]
    role = f"board_{database}"
    for statement in (
        f"CREATE ROLE {role} LOGIN PASSWORD 'board-pw-9'",
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
    ):
        pg_server.sql(statement)
    pg_server.sql(f"GRANT USAGE ON SCHEMA public TO {role}", database)
    pg_server.sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}", database)
    board = pg_server.url(database, user=role, password="board-pw-9")
    assert "CPFT-01" in ok("list", db=board).stdout
    ok("progress", db=board)
    assert export_json(board) == export_json(pg)
    proc = run_cli("--db", board, "note", "CPFT-01", "board was here")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: You may only read")
    assert "board-pw-9" not in proc.stderr
    assert "board was here" not in ok("history", "CPFT-01", db=pg).stdout


def test_copy_there_and_back_keeps_the_plan_and_its_history(pg: str, tmp_path: Path) -> None:
    source = str(tmp_path / "plan.db")
    story(source)
    before = export_json(source)
    copied = run_cli("--db", source, "copy", "--to", pg)
    assert copied.returncode == 0, copied.stderr
    assert export_json(pg) == before
    assert "Result:                 OK" in ok("check", db=pg).stdout
    back = str(tmp_path / "back.db")
    assert run_cli("--db", pg, "copy", "--to", back).returncode == 0
    assert export_json(back) == before
    for db in (source, pg, back):  # the same history, so the same chain head
        assert json.loads(ok("history", "--format", "json", db=db).stdout) == json.loads(
            ok("history", "--format", "json", db=source).stdout
        )
    # into a database that already holds a plan: refused, nothing copied
    again = run_cli("--db", source, "copy", "--to", pg)
    assert again.returncode == 1 and "already holds a plan" in again.stderr
    # after the copy, new changes get the next ids on PostgreSQL too
    ok("note", "CPFT-04", "after the move", db=pg)


@pytest.mark.parametrize("day", ["2026-01-05", "2026-02-05", "2026-03-01", "2026-03-02"])
def test_as_of_is_the_same_on_both_backends(pg: str, tmp_path: Path, day: str) -> None:
    source = str(tmp_path / "plan.db")
    story(source)
    assert run_cli("--db", source, "copy", "--to", pg).returncode == 0
    for args in (
        ("export", "--format", "json"),
        ("export", "--format", "csv"),
        ("list",),
        ("progress",),
    ):
        a = ok(*args, "--as-of", day, db=source).stdout
        b = ok(*args, "--as-of", day, db=pg).stdout
        if args[-1] == "json":
            a, b = (
                json.dumps({k: v for k, v in json.loads(x).items() if k != "generated_at"})
                for x in (a, b)
            )
        assert a == b, args


@pytest.mark.slow
def test_eight_writers_at_once_lose_nothing_and_fail_none(pg: str) -> None:
    ok("import", "--example", db=pg)
    per_writer = 5
    script = (
        "import subprocess, sys\n"
        f"for i in range({per_writer}):\n"
        "    r = subprocess.run([sys.executable, '-m', 'cpft_tracker', '--db', sys.argv[1], 'note',"
        " 'CPFT-0' + str(1 + int(sys.argv[2]) % 9), 'writer ' + sys.argv[2] + ' note ' + str(i)],"
        " capture_output=True, text=True)\n"
        "    if r.returncode: print(r.stderr); sys.exit(1)\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, pg, str(w)], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        for w in range(8)
    ]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, outputs
    events = json.loads(ok("history", "--format", "json", db=pg).stdout)["events"]
    notes = [e for e in events if e["field"] == "note"]
    assert len(notes) == 8 * per_writer
    assert "every link intact" in ok("check", db=pg).stdout


def _holds_write_lock(pg: str) -> bool:
    import psycopg

    with psycopg.connect(pg, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = 'events' AND l.mode = 'ExclusiveLock' AND l.granted"
        ).fetchone()
        return bool(row and row[0])


def _import_sessions(pg: str) -> int:
    """The sessions cpft-tracker still has on the database (a killed command's, until the
    server has noticed and rolled its transaction back)."""
    import psycopg

    with psycopg.connect(pg, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND application_name = 'cpft-tracker'"
        ).fetchone()
        return int(row[0]) if row else 0


@pytest.mark.slow
def test_an_import_killed_midway_leaves_nothing_half_done(pg: str, tmp_path: Path) -> None:
    ok("import", "--example", db=pg)
    before = export_json(pg)
    report = big_report(tmp_path / "huge.txt", 3_000, title="Huge assessment")
    caught = False
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "cpft_tracker", "--db", pg, "import", str(report), "--report", "Huge"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env={**os.environ, **NOW},
        )  # fmt: skip
        while proc.poll() is None:
            if _holds_write_lock(pg):
                os.kill(proc.pid, signal.SIGKILL)
                caught = True
                break
            time.sleep(0.01)
        proc.wait(timeout=120)
        if caught:
            break
        assert proc.returncode == 0
        pytest.skip("the import finished before it could be caught inside its transaction")
    assert caught
    # the server notices the dead connection and rolls its transaction back: wait until the
    # killed import's session is gone (a fixed half-second sleep was too short on a busy machine
    # and too long on an idle one)
    deadline = time.monotonic() + 60
    while _import_sessions(pg) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _import_sessions(pg), "the killed import's session never ended"
    assert export_json(pg) == before  # none of it
    assert "Result:                 OK" in ok("check", db=pg).stdout
    ok("import", str(report), "--report", "Huge", db=pg)  # the next run does it whole
    assert (
        len(json.loads(ok("list", "--report", "Huge", "--format", "json", db=pg).stdout)["actions"])
        == 3_000
    )


def test_backup_and_restore_say_what_to_use_instead(pg: str, tmp_path: Path) -> None:
    ok("init", db=pg)
    for args in (("backup", str(tmp_path / "b.db")), ("restore", str(tmp_path / "b.db"))):
        proc = run_cli("--db", pg, *args)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert "pg_dump" in proc.stderr


@pytest.mark.slow
def test_copy_round_trips_a_plan_of_ten_thousand_actions(pg: str, tmp_path: Path) -> None:
    source = str(tmp_path / "big.db")
    report = big_report(tmp_path / "big.txt", 10_000, title="Big assessment")
    ok("import", str(report), "--report", "Big", db=source)
    first, second = (a["ref"] for a in export_json(source)["actions"][:2])
    ok("assign", first, second, "Chief Nurse", db=source)
    ok("status", first, "in-progress", "--note", "under way", db=source)
    before = export_json(source)
    assert len(before["actions"]) == 10_000
    assert run_cli("--db", source, "copy", "--to", pg).returncode == 0
    back = str(tmp_path / "back.db")
    assert run_cli("--db", pg, "copy", "--to", back).returncode == 0
    assert export_json(pg) == before
    assert export_json(back) == before
    heads = {
        ok("check", db=db).stdout.split("Audit chain head:")[1].split()[0]
        for db in (source, pg, back)
    }
    assert len(heads) == 1


def test_ctrl_c_while_a_query_is_in_flight_is_stopped_not_lost_connection(pg: str) -> None:
    """CI saw it once (a Ctrl-C sweep through `note`): the Ctrl-C landed while psycopg still had
    the query in flight, the ROLLBACK that followed failed with "another command is already in
    progress", and the user read "Lost the connection ... try again" with exit 1 for a Ctrl-C.

    Here the driver is put in that state on purpose (libpq's own send_query, left unanswered)
    inside a real write: the Ctrl-C is what surfaces, the note is not saved, and a command run
    straight after finds the plan as it was."""
    from cpft_tracker.cli.errors import run_safely
    from cpft_tracker.store import Store

    ok("import", str(BUNDLED_REPORT), db=pg)
    before = export_json(pg)
    store = Store.open(pg)  # type: ignore[arg-type]

    def note_then_ctrl_c() -> None:
        with store.write() as conn:
            conn.execute(
                "INSERT INTO events (id, action_id, at, by, field, old, new) "
                "SELECT (SELECT max(id) + 1 FROM events), id, '2026-03-20T09:00:00Z', 'Test Lead', 'note', NULL, 'half a note' "
                "FROM actions ORDER BY id LIMIT 1"
            )
            conn.raw.pgconn.send_query(b"SELECT pg_sleep(0.2)")  # type: ignore[attr-defined]
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        note_then_ctrl_c()
    store.close()
    assert export_json(pg) == before

    # and through the one error mapping: a cleanup error raised while a Ctrl-C is handled
    def cleanup_fails_after_ctrl_c() -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise postgres.DatabaseProblem(
                "Lost the connection to the PostgreSQL database"
            ) from None

    assert run_safely(cleanup_fails_after_ctrl_c) == 130


def test_the_plan_and_the_audit_trail_are_read_from_a_server_side_cursor(
    pg: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10: psycopg's plain cursor receives the whole result before it hands over the first
    row (320-581 MB in the client for `list`, `export` and `check` at 100,000 actions). The big
    reads (the plan: list, export, board pages, reminders; every event: check; copy's source)
    come from a server-side cursor instead: while the first rows are in use the server still
    holds the rest, and the client is sent a batch at a time. Both in the read snapshot and
    outside any transaction (then WITH HOLD), and the cursor is gone once the read ends."""
    from cpft_tracker.store import Store

    ok("import", str(BUNDLED_REPORT), db=pg)
    ok("note", "CPFT-01", "a second event", db=pg)
    expected = [a["ref"] for a in export_json(pg)["actions"]]
    monkeypatch.setattr(postgres, "STREAM_ROWS", 3)
    store = Store.open(pg)  # type: ignore[arg-type]
    cursors = "SELECT statement, is_holdable FROM pg_cursors WHERE name LIKE 'cpft_stream_%'"
    try:
        assert len(expected) > 3 * postgres.STREAM_ROWS
        for in_snapshot in (False, True):
            if in_snapshot:
                store.read_snapshot()
            rows = store.iter_plan(columns=["ref"])
            first = next(rows)
            held = store.conn.execute(cursors).fetchall()
            assert len(held) == 1 and "FROM actions" in held[0][0]
            assert held[0][1] is (not in_snapshot)
            assert [first["ref"], *(r["ref"] for r in rows)] == expected
            assert store.conn.execute(cursors).fetchall() == []
            events = store.iter_events()
            assert next(events)["id"] == 1
            held = store.conn.execute(cursors).fetchall()
            assert len(held) == 1 and "FROM events" in held[0][0]
            assert len(list(events)) >= len(expected)
            assert store.conn.execute(cursors).fetchall() == []
        # a read left half-way when its snapshot ends gives way to a write
        rows = store.iter_plan(columns=["ref"])
        next(rows)
        store.end_snapshot()
        rows.close()
        with store.write() as conn:
            conn.execute("UPDATE settings SET value = value WHERE key = 'window'")
    finally:
        store.close()
    assert ok("list", db=pg).stdout.count("CPFT-") >= len(expected)
