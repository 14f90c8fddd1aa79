"""Several people and a cron job on one database at once: nothing lost, nobody sees 'locked'.

Issue 6. Four writer processes drive the Store API (hundreds of audited changes each)
while real ``cpft-tracker`` subprocesses import a second report, add notes and statuses,
send reminders to a local SMTP server and read the plan. Afterwards every change is
there, every one is in the audit trail, and no process saw an error.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import begin_write, db_count, db_rows, is_pg, raw_connection
from tests.robustness_support import (
    base_env,
    big_report,
    cli,
    count,
    free_port,
    integrity,
    reader_worker,
    writer_worker,
)

WORKERS = 4
OPS_PER_WORKER = 200
REFS_PER_WORKER = 8


def _refs(env: dict[str, str]) -> list[str]:
    out = cli(["list", "--format", "json"], env)
    assert out.returncode == 0, out.stderr
    return [a["ref"] for a in json.loads(out.stdout)["actions"]]


def _clean(proc: subprocess.CompletedProcess[str], what: str) -> None:
    assert proc.returncode == 0, (what, proc.returncode, proc.stderr)
    lowered = proc.stderr.lower()
    for bad in ("database is locked", "is busy", "error:", "traceback"):
        assert bad not in lowered, (what, proc.stderr)


class _Sink:
    """An SMTP handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.mark.slow
def test_four_writers_cli_commands_remind_and_readers_lose_nothing(
    tmp_path: Path, db_path: Path
) -> None:
    from aiosmtpd.controller import Controller

    env = base_env(db_path)
    report = big_report(tmp_path / "load-test-report.txt", 48, title="Load test assessment")
    _clean(cli(["import", str(report), "--report", "Load test"], env), "seed import")
    refs = _refs(env)
    assert len(refs) >= WORKERS * REFS_PER_WORKER + 12, len(refs)
    own = {w: refs[w * REFS_PER_WORKER : (w + 1) * REFS_PER_WORKER] for w in range(WORKERS)}
    shared = refs[WORKERS * REFS_PER_WORKER : WORKERS * REFS_PER_WORKER + 8]
    cli_refs = refs[WORKERS * REFS_PER_WORKER + 8 : WORKERS * REFS_PER_WORKER + 10]
    remind_refs = refs[-2:]
    _clean(cli(["assign", remind_refs[0], "Jane Smith", "--email", "jane.smith@nhs.net"], env), "a")
    _clean(cli(["assign", remind_refs[1], "Raj Patel", "--email", "raj.patel@nhs.net"], env), "a")
    _clean(cli(["due", *remind_refs, "2020-01-31"], env), "due")
    second = big_report(tmp_path / "second-report.txt", 120, title="Second assessment")

    sink = _Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_env = {
        **env,
        "CPFT_TRACKER_SMTP_HOST": "127.0.0.1",
        "CPFT_TRACKER_SMTP_PORT": str(port),
        "CPFT_TRACKER_SMTP_FROM": "Governance Team <governance@trust.nhs.uk>",
    }

    cli_results: list[tuple[str, subprocess.CompletedProcess[str]]] = []
    lock = threading.Lock()

    def run_sequence(name: str, commands: list[list[str]], run_env: dict[str, str]) -> None:
        for args in commands:
            proc = cli(args, run_env)
            with lock:
                cli_results.append((f"{name}: {' '.join(args)}", proc))

    cli_notes = [["note", cli_refs[i % 2], f"cli note {i}"] for i in range(10)]
    cli_statuses = [
        ["status", *cli_refs, s, "--note", f"cli status {i}"]
        for i, s in enumerate(["in-progress", "blocked"] * 5)
    ]
    sequences = [
        ("importer", [["import", str(second), "--report", "Second"]] * 2, env),
        (
            "reminder",
            [["remind", "--send"], ["remind", "--dry-run"], ["remind", "--send"]],
            smtp_env,
        ),
        (
            "cli-writer",
            [x for pair in zip(cli_notes, cli_statuses, strict=True) for x in pair],
            env,
        ),
        (
            "cli-reader",
            [["list", "--format", "json"], ["export", "--format", "csv"], ["history", "-n", "5"]]
            * 3,
            env,
        ),
    ]

    ctx = multiprocessing.get_context("spawn")
    try:
        with ctx.Manager() as manager, ProcessPoolExecutor(WORKERS + 1, mp_context=ctx) as pool:
            start = manager.Event()
            first_write_done = manager.Barrier(WORKERS)
            writers = [
                pool.submit(
                    writer_worker,
                    str(db_path),
                    w,
                    own[w],
                    shared,
                    OPS_PER_WORKER,
                    start,
                    first_write_done,
                )
                for w in range(WORKERS)
            ]
            reader = pool.submit(reader_worker, str(db_path), 150, start)
            threads = [
                threading.Thread(target=run_sequence, args=seq, daemon=True) for seq in sequences
            ]
            start.set()
            for t in threads:
                t.start()
            results = [f.result(timeout=600) for f in writers]
            read_result = reader.result(timeout=600)
            for t in threads:
                t.join(timeout=600)
                assert not t.is_alive(), "a CLI sequence never finished"
    finally:
        controller.stop()

    # No process saw an error.
    for r in results:
        assert r["errors"] == [], r["errors"]
        assert sum(r["done"].values()) == OPS_PER_WORKER
    assert read_result["errors"] == [], read_result["errors"]
    assert read_result["ok"] == 150
    assert len(cli_results) == sum(len(s[1]) for s in sequences)
    for what, proc in cli_results:
        _clean(proc, what)

    # Every worker update is present, and each one is in the audit trail once.
    conn = raw_connection(db_path)
    try:
        per_kind = Counter(
            (row["by"], row["field"])
            for row in conn.execute("SELECT by, field FROM events WHERE by LIKE 'worker-%'")
        )
        for r in results:
            by = f"worker-{r['worker']}"
            for kind, n in r["done"].items():
                assert per_kind[(by, kind)] == n, (by, kind, per_kind[(by, kind)], n)
            for ref, fields in r["last"].items():
                row = conn.execute(
                    "SELECT a.status, a.due, o.name AS owner FROM actions a"
                    " LEFT JOIN owners o ON o.id = a.owner_id WHERE a.ref = ?",
                    [ref],
                ).fetchone()
                for column, value in fields.items():
                    assert row[column] == value, (ref, column, row[column], value)
        notes = {
            row[0]
            for row in conn.execute("SELECT new FROM events WHERE field = 'note' AND by LIKE 'w%'")
        }
        expected_notes = {
            f"worker-{r['worker']} note {i}"
            for r in results
            for i in range(OPS_PER_WORKER)
            if i % 4 == 1
        }
        assert expected_notes <= notes

        # The workers really did write at the same time: their changes interleave
        # (each waits, after its first write, until all have written once).
        spans = [
            conn.execute(
                "SELECT min(id), max(id) FROM events WHERE by = ?", [f"worker-{w}"]
            ).fetchone()
            for w in range(WORKERS)
        ]
        assert any(
            a[0] < b[1] and b[0] < a[1] for i, a in enumerate(spans) for b in spans[i + 1 :]
        ), spans

        # The CLI writers' changes too.
        cli_note_count = conn.execute(
            "SELECT count(*) FROM events WHERE field = 'note' AND new LIKE 'cli note %'"
        ).fetchone()[0]
        assert cli_note_count == 10
        cli_status_count = conn.execute(
            "SELECT count(*) FROM events WHERE field = 'status' AND note LIKE 'cli status %'"
        ).fetchone()[0]
        assert cli_status_count == 10 * len(cli_refs)

        # The second report went in whole, once.
        second_actions = conn.execute(
            "SELECT count(*) FROM actions a JOIN reports r ON r.id = a.report_id"
            " WHERE r.name = 'Second'"
        ).fetchone()[0]
        created = conn.execute(
            "SELECT count(*) FROM events e JOIN actions a ON a.id = e.action_id"
            " JOIN reports r ON r.id = a.report_id WHERE r.name = 'Second' AND e.field = 'created'"
        ).fetchone()[0]
        assert second_actions >= 100
        assert created == second_actions

        # Reminders: each owner with an address got their list, and it was recorded once.
        recipients = sorted(rcpt for m in sink.messages for rcpt in m.rcpt_tos)
        assert recipients == ["jane.smith@nhs.net", "raj.patel@nhs.net"], recipients
        recorded = conn.execute("SELECT count(*) FROM reminders").fetchone()[0]
        assert recorded == 2
    finally:
        conn.close()

    assert integrity(db_path) == ("ok", [])
    # Every writer chained its events onto the one before, none onto the same event twice,
    # and every action's row agrees with its history (issue 14).
    checked = cli(["check", "--format", "json"], base_env(db_path))
    report = json.loads(checked.stdout)
    assert checked.returncode == 0, report
    assert report["broken_links"] == [] and report["disagreements"] == []


def test_a_reader_is_not_blocked_by_a_writer_holding_the_lock(
    db_path: Path, tmp_path: Path
) -> None:
    """`list` answers from the last committed state while another change is in progress."""
    env = base_env(db_path)
    _clean(cli(["import", str(big_report(tmp_path / "r.txt", 5)), "--report", "R"], env), "seed")
    ref = _refs(env)[0]
    holder = raw_connection(db_path)
    try:
        begin_write(holder)
        holder.execute("UPDATE actions SET status = 'blocked' WHERE ref = ?", [ref])
        proc = cli(["list", "--format", "json"], env, timeout=45)
        _clean(proc, "list while a write is open")
        statuses = {a["ref"]: a["status"] for a in json.loads(proc.stdout)["actions"]}
        assert statuses[ref] == "not-started"  # the uncommitted change is not seen
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_writer_waits_for_another_writer_instead_of_failing(
    db_path: Path, tmp_path: Path
) -> None:
    """A second change queues behind the first and then succeeds; both are kept."""
    env = base_env(db_path)
    _clean(cli(["import", str(big_report(tmp_path / "r.txt", 5)), "--report", "R"], env), "seed")
    ref = _refs(env)[0]
    holder = raw_connection(db_path)
    begin_write(holder)
    holder.execute(
        # the next id, as the tool gives it (PostgreSQL's identity does not follow given ids)
        "INSERT INTO events (id, at, by, field, new)"
        " SELECT max(id) + 1, '2025-01-01T00:00:00Z', 'holder', 'note', 'x' FROM events"
    )
    waiting = subprocess.Popen(
        [sys.executable, "-m", "cpft_tracker", "note", ref, "queued behind another change"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_queued_on_the_lock(waiting, db_path)
        assert waiting.poll() is None, waiting.communicate()
        committed_at = _utc_iso_now()
        holder.execute("COMMIT")
        out, err = waiting.communicate(timeout=60)
    finally:
        holder.close()
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 0, err
    assert "database is locked" not in err.lower()
    assert count(db_path, "SELECT count(*) FROM events WHERE by = 'holder'") == 1
    assert (
        count(db_path, "SELECT count(*) FROM events WHERE new = 'queued behind another change'")
        == 1
    )
    # the note took its time stamp before the holder committed (so it really was queued),
    # and it was saved after: it waited instead of failing
    [(noted_at,)] = db_rows(
        db_path, "SELECT at FROM events WHERE new = 'queued behind another change'"
    )
    assert noted_at < committed_at, (noted_at, committed_at)


def _utc_iso_now() -> str:
    """Now in UTC as the audit trail writes it (ISO 8601, microseconds, Z): comparable as text."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _wait_until_queued_on_the_lock(proc: subprocess.Popen[str], db: Path) -> None:
    """Return once ``proc`` has the database open and sleeps in SQLite's busy handler.

    A fixed sleep (1.5 s) used to stand in for this: on a loaded 2-core machine the command
    could still be starting Python when the lock was released, and the test then passed
    without anything having waited. On Linux, /proc shows the open database and the
    nanosleep of the busy handler; elsewhere, fall back to a generous sleep.
    """
    if is_pg(db):  # on PostgreSQL: its session waits for the lock (pg_stat_activity)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if db_count(
                db,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = 'cpft-tracker' AND wait_event_type = 'Lock'",
            ):
                return
            time.sleep(0.01)
        raise AssertionError(f"the note command never queued on the lock: {proc.poll()=}")
    proc_dir = Path(f"/proc/{proc.pid}")
    if not (proc_dir / "wchan").exists():
        time.sleep(3)
        return
    target = os.path.realpath(db)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            has_db = any(os.readlink(fd) == target for fd in (proc_dir / "fd").iterdir())
            sleeping = "nanosleep" in (proc_dir / "wchan").read_text()
        except OSError:  # the process is between states, or gone: look again
            has_db = sleeping = False
        if has_db and sleeping:
            return
        time.sleep(0.01)
    raise AssertionError(f"the note command never queued on the lock: {proc.poll()=}")
