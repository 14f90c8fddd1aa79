"""Issue 14, finding 3, through the command cron runs: ``remind --send`` holds no lock while it talks
to the mail server, and two overlapping runs send each message once.

Before: each reminder was sent inside the write transaction; a server that sent its greeting one
byte every 20 s held the lock, and a colleague's ``note`` failed after 60 s with "busy with another
long-running change". Real subprocesses, real servers on loopback (a dripping socket server, and
aiosmtpd).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import db_rows
from tests.remind_helpers import Row, make_plan, start_smtp
from tests.test_security_mail import BusySink, DrippingServer

TODAY = "2026-03-10"


def _env(port: int, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "CPFT_TRACKER_TODAY": TODAY,
        "CPFT_TRACKER_SMTP_HOST": "127.0.0.1",
        "CPFT_TRACKER_SMTP_PORT": str(port),
        "CPFT_TRACKER_SMTP_FROM": "Governance Team <governance@example.nhs.uk>",
        **extra,
    }


def _remind(port: int, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cpft_tracker", "remind", "--send", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(port),
    )


def _rows(db: Path, sql: str) -> list[Any]:
    return db_rows(db, sql)


@pytest.fixture
def slow_server() -> Iterator[DrippingServer]:
    # one byte a second, each well within any per-read timeout: only the deadline ends it
    server = DrippingServer(interval=1.0, lifetime=120)
    try:
        yield server
    finally:
        server.close()


def test_a_colleague_can_write_while_remind_waits_on_a_stalling_mail_server(
    db_path: Path, slow_server: DrippingServer
) -> None:
    make_plan(
        db_path, [Row("Review ligature risk assessments", "Owner", "o@example.org", "2026-03-01")]
    )
    remind = _remind(slow_server.port, "--smtp-timeout", "100")
    try:
        for _ in range(600):  # until the server has accepted the connection and is dripping
            if slow_server.bytes_sent >= 2 or remind.poll() is not None:
                break
            time.sleep(0.1)
        assert remind.poll() is None, remind.communicate()
        note = subprocess.run(
            [sys.executable, "-m", "cpft_tracker", "note", "T-01", "Chased at the ward meeting"],
            capture_output=True,
            text=True,
            env=_env(slow_server.port),
            timeout=120,
        )
        assert note.returncode == 0, note.stderr
        # the note went through while remind was still stuck on the server (no lock held)
        assert remind.poll() is None
        # a claim was taken in its own short transaction, and committed
        assert _rows(db_path, "SELECT recipient, state FROM reminder_claims") == [
            ("o@example.org", "sending")
        ]
        remind.send_signal(signal.SIGINT)  # Ctrl-C: the run gives up and releases its claim
        out, err = remind.communicate(timeout=60)
    finally:
        if remind.poll() is None:
            remind.kill()
            remind.wait()
    assert remind.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "Error: Stopped. Nothing was half-saved: each change is saved whole or not at all."
    )
    assert _rows(db_path, "SELECT count(*) FROM reminders") == [(0,)]
    assert _rows(db_path, "SELECT state FROM reminder_claims") == [("released",)]
    notes = _rows(db_path, "SELECT new FROM events WHERE field = 'note'")
    assert notes == [("Chased at the ward meeting",)]


def test_a_mail_server_that_stalls_past_the_deadline_fails_in_one_line(
    db_path: Path, slow_server: DrippingServer
) -> None:
    make_plan(
        db_path, [Row("Review ligature risk assessments", "Owner", "o@example.org", "2026-03-01")]
    )
    proc = subprocess.run(
        [sys.executable, "-m", "cpft_tracker", "remind", "--send", "--smtp-timeout", "2"],
        capture_output=True,
        text=True,
        env=_env(slow_server.port),
        timeout=120,
    )
    assert proc.returncode == 3
    assert "did not finish answering within 2 seconds" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert _rows(db_path, "SELECT state FROM reminder_claims") == [("released",)]
    assert _rows(db_path, "SELECT count(*) FROM reminders") == [(0,)]


def test_two_overlapping_runs_send_each_reminder_once(db_path: Path) -> None:
    owners = [f"owner{i}@example.org" for i in range(8)]
    make_plan(
        db_path,
        [Row(f"Action for owner {i}", f"Owner {i}", a, "2026-03-01") for i, a in enumerate(owners)],
    )
    sink = BusySink()
    sink.during_data = lambda: time.sleep(0.3)  # the server takes its time over each message
    for port in start_smtp(sink):
        runs = [_remind(port, "--format", "json") for _ in range(2)]
        results = [run.communicate(timeout=120) for run in runs]
        for run, (_, err) in zip(runs, results, strict=True):
            assert run.returncode == 0, err
        assert sorted(rc for got in sink.received for rc in got.rcpt_tos) == owners
        again = _remind(port)
        _, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        assert len(sink.received) == len(owners)  # a third run finds them all recorded
    assert sorted(r[0] for r in _rows(db_path, "SELECT recipient FROM reminders")) == owners
    assert _rows(db_path, "SELECT DISTINCT state FROM reminder_claims") == [("sent",)]


# ---------------------------------------------------------------------------
# Issue 13, 'Time': the reminder's words follow the schedule it knows, never "tomorrow"
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "words"),
    [
        ("1", "You will be reminded again at the next reminder run while these stay open."),
        (
            "3",
            "You will be reminded again at the first reminder run from Friday 13 March 2026 "
            "while these stay open.",
        ),
    ],
)
def test_a_reminder_never_promises_tomorrow(db_path: Path, every: str, words: str) -> None:
    """Before: a reminder sent on a Friday (by a weekday cron job) said "reminded again tomorrow"."""
    make_plan(
        db_path, [Row("Review ligature risk assessments", "Owner", "o@example.org", "2026-03-01")]
    )
    sink = BusySink()
    for port in start_smtp(sink):
        proc = _remind(port, "--every", every)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    (got,) = sink.received
    plain = got.part("plain")
    assert words in " ".join(plain.split())
    assert "tomorrow" not in plain and "tomorrow" not in got.part("html")
    assert words.split(" while")[0] in " ".join(got.part("html").split())
