"""Helpers for the robustness tests (concurrency, crashes, damaged files, hostile input).

Worker functions live here, not in the test modules, so ``multiprocessing`` (spawn) can
import them in fresh processes.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def big_report(path: Path, n: int, *, title: str = "Generated well-led assessment") -> Path:
    """A report file in the style of a CQC report with ``n`` distinct must/needs bullets."""
    wards = ["Fulbourn", "Springbank", "Oaktree", "Mulberry", "Willow", "Denbigh", "Cavell"]
    lines = [
        f"- {title}",
        "Cambridgeshire and Peterborough NHS Foundation Trust",
        "Report from a generated assessment",
        "We identified areas for improvement. These areas were as follows:",
    ]
    for i in range(1, n + 1):
        ward = wards[i % len(wards)]
        if i % 2:
            lines.append(
                f"- The trust must ensure that {ward} ward reviews care plan audit number {i} "
                f"and reports the outcome to the quality committee."
            )
        else:
            lines.append(
                f"- Leaders on {ward} ward needed to embed the learning from incident review {i} "
                f"in team meetings."
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes ('<missing>' when there is no file)."""
    if not path.exists():
        return "<missing>"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_line_error(
    proc: subprocess.CompletedProcess[str], *phrases: str, code: int = 1
) -> str:
    """The command failed with ``code``, one 'Error: ...' line on stderr, no traceback."""
    err = proc.stderr
    assert proc.returncode == code, (proc.returncode, proc.stdout, err)
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: "), err
    for phrase in phrases:
        assert phrase.lower() in lines[0].lower(), (phrase, lines[0])
    return lines[0]


def integrity(path: Path) -> tuple[str, list[Any]]:
    """(PRAGMA integrity_check, PRAGMA foreign_key_check rows) for the database at ``path``.

    On PostgreSQL the server keeps its own pages ("ok"); the rows are those that point at
    nothing (an event's action, an action's report or owner), which no foreign key lets in.
    """
    from tests.conftest import db_rows, is_pg

    if is_pg(path):
        orphans = db_rows(
            path,
            "SELECT 'events', e.id FROM events e LEFT JOIN actions a ON a.id = e.action_id"
            " WHERE e.action_id IS NOT NULL AND a.id IS NULL"
            " UNION ALL SELECT 'actions', a.id FROM actions a LEFT JOIN reports r"
            " ON r.id = a.report_id WHERE a.report_id IS NOT NULL AND r.id IS NULL"
            " UNION ALL SELECT 'actions', a.id FROM actions a LEFT JOIN owners o"
            " ON o.id = a.owner_id WHERE a.owner_id IS NOT NULL AND o.id IS NULL",
        )
        return "ok", list(orphans)
    conn = sqlite3.connect(str(path))
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        fks = conn.execute("PRAGMA foreign_key_check").fetchall()
        return ok, fks
    finally:
        conn.close()


def count(path: Path, sql: str, params: tuple[Any, ...] = ()) -> int:
    """One integer from the database (a fresh connection, so it sees what is committed)."""
    from tests.conftest import db_count

    return db_count(path, sql, params)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody is listening on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(
    args: list[str], env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cpft_tracker`` with exactly this environment. The timeout only stops a
    hung command: on a loaded 2-core machine (the suite's other worker plus other jobs) a
    20,000-action import into PostgreSQL took over 180 s."""
    return subprocess.run(
        [sys.executable, "-m", "cpft_tracker", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
        cwd=str(ROOT),
    )


# ---------------------------------------------------------------------------
# Worker processes (multiprocessing, spawn)
# ---------------------------------------------------------------------------

STATUS_CYCLE = ("in-progress", "blocked", "not-started")
DUE_CYCLE = ("2031-01-15", "2031-02-15", "2031-03-15")


def writer_worker(
    db: str,
    worker: int,
    own_refs: list[str],
    shared_refs: list[str],
    ops: int,
    start: Any,
    first_write_done: Any = None,
) -> dict[str, Any]:
    """Hundreds of audited changes through the Store API, each in its own transaction.

    Statuses, owners and due dates change only on this worker's own references (so the
    final value is known); notes go on references every worker shares. Returns what it
    did, per kind, and the last value it set on each of its references.
    """
    from cpft_tracker.store import Store

    by = f"worker-{worker}"
    done = {"status": 0, "note": 0, "owner": 0, "due": 0}
    last: dict[str, dict[str, str]] = {ref: {} for ref in own_refs}
    errors: list[str] = []
    turns: dict[tuple[str, str], int] = {}
    start.wait()
    store = Store.open(db if db.startswith("postgresql://") else Path(db))
    try:
        for i in range(ops):
            ref = own_refs[i % len(own_refs)]
            kind = ("status", "note", "owner", "due")[i % 4]
            round_ = turns.get((ref, kind), 0)
            turns[(ref, kind)] = round_ + 1
            try:
                if kind == "status":
                    value = STATUS_CYCLE[round_ % len(STATUS_CYCLE)]
                    changes = store.set_status([ref], value, by=by, note=f"{by} op {i}")
                    assert [c.field for c in changes] == ["status"], changes
                    last[ref]["status"] = value
                elif kind == "note":
                    target = shared_refs[i % len(shared_refs)]
                    store.add_note(target, f"{by} note {i}", by=by)
                elif kind == "owner":
                    value = f"Owner {worker}-{round_ % 2}"
                    changes = store.assign([ref], value, by=by, note=f"{by} op {i}")
                    assert [c.field for c in changes] == ["owner"], changes
                    last[ref]["owner"] = value
                else:
                    value = DUE_CYCLE[round_ % len(DUE_CYCLE)]
                    changes = store.set_due([ref], value, by=by, note=f"{by} op {i}")
                    assert [c.field for c in changes] == ["due"], changes
                    last[ref]["due"] = value
                done[kind] += 1
                if i == 0 and first_write_done is not None:
                    # every worker has written once before any goes on: the writes overlap
                    # whatever the scheduler does, so the test really exercises concurrency
                    first_write_done.wait(timeout=300)
            except BaseException as exc:  # report every failure to the test, keep going
                errors.append(f"{kind} {ref} op {i}: {type(exc).__name__}: {exc}")
                if len(errors) > 20:
                    break
    finally:
        store.close()
    return {"worker": worker, "done": done, "last": last, "errors": errors}


def reader_worker(db: str, reads: int, start: Any) -> dict[str, Any]:
    """Read the whole plan repeatedly while others write; every read must succeed."""
    from cpft_tracker.store import Store

    start.wait()
    ok = 0
    errors: list[str] = []
    store = Store.open(db if db.startswith("postgresql://") else Path(db), readonly=True)
    try:
        for _ in range(reads):
            try:
                actions = store.actions()
                store.history(limit=50)
                store.counts()
                assert actions, "no actions read"
                ok += 1
            except BaseException as exc:
                errors.append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
                if len(errors) > 5:
                    break
    finally:
        store.close()
    return {"ok": ok, "errors": errors}


def base_env(db: Path) -> dict[str, str]:
    """The environment for CLI subprocesses: this database, a fixed user, no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPFT_TRACKER_")}
    env.update(
        {
            "CPFT_TRACKER_DB": str(db),
            "CPFT_TRACKER_USER": "Test Lead",
            "NO_COLOR": "1",
            "COLUMNS": "100",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env
