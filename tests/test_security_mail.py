"""Issue 14, findings 3 and 4: mail headers that a name cannot add a recipient to, and an SMTP
conversation with one deadline that a dripping server cannot stretch.

Real servers on loopback: aiosmtpd for delivery, and a tiny socket thread that drips its greeting.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from cpft_tracker import remind as r
from cpft_tracker.errors import DeliveryFailed, UsageProblem
from cpft_tracker.mailer import (
    Job,
    Mailer,
    SendFailed,
    SmtpSettings,
    address,
    display_name,
    header_recipients,
)
from tests.conftest import run_cli
from tests.remind_helpers import Row, Sink, make_plan, raw_sql, start_smtp

TODAY = "2026-03-10"
OWNER = "owner@example.org"
ENCODED_BCC = "=?utf-8?q?Bcc=3A_attacker=40evil=2Eexample=2C?="
HOSTILE_NAMES = [
    ENCODED_BCC,
    "=?UTF-8?B?QmNjOiBhdHRhY2tlckBldmlsLmV4YW1wbGUs?=",  # the same words, base64-encoded
    "Eve, attacker@evil.example; <x@evil.example>: group:",
    "Mallory\r\nBcc: attacker@evil.example\r\n",
    '"quoted, name" <attacker@evil.example>',
    "Zoë =?utf-8?q?=3Cattacker=40evil=2Eexample=3E?= Ørsted",
]


class BusySink(Sink):
    """The test's SMTP server; ``during_data`` runs while it holds each message, before it answers."""

    during_data: Callable[[], None] | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.during_data is not None:
            self.during_data()
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def sink() -> BusySink:
    return BusySink()


@pytest.fixture
def smtp_port(sink: Sink) -> Iterator[int]:
    yield from start_smtp(sink)


def _parsed(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _message(owner: str) -> EmailMessage:
    today = dt.date(2026, 3, 10)
    action = {
        "id": 1,
        "ref": "T-01",
        "title": "Review ligature risk assessments",
        "due": "2026-03-01",
        "status": "not-started",
        "owner": owner,
        "owner_email": OWNER,
        "retired": None,
        "report": "Test report",
    }
    messages, _, _ = r.plan(r.select([action], as_of=today), escalate_after=None, escalate_to=None)
    return r.build_message(
        messages[0],
        sender="governance@example.nhs.uk",
        sender_name=owner,
        as_of=today,
        within=7,
        every=1,
    )


@pytest.mark.parametrize("owner", HOSTILE_NAMES)
def test_a_hostile_owner_name_gives_a_to_header_with_exactly_one_address(
    owner: str, sink: Sink, smtp_port: int
) -> None:
    """Before: the encoded name gave 'To: Bcc: attacker@evil.example, <owner@example.org>'."""
    settings = SmtpSettings(host="127.0.0.1", port=smtp_port, timeout=10)
    with Mailer(settings) as mailer:
        mailer.send(_message(owner), sender="governance@example.nhs.uk", recipient=OWNER)
    (got,) = sink.received
    assert got.rcpt_tos == [OWNER]
    back = _parsed(got.raw)
    assert [a.addr_spec for a in back["To"].addresses] == [OWNER]
    assert [a.addr_spec for a in back["From"].addresses] == ["governance@example.nhs.uk"]
    assert back["Cc"] is None and back["Bcc"] is None
    for header in (back["To"], back["From"]):
        (only,) = header.addresses
        assert not set(only.display_name) & set('@,;:<>"=?\r\n')
    raw_headers = got.raw.split(b"\r\n\r\n", 1)[0]
    assert b"attacker@evil.example" not in raw_headers


def test_an_owner_named_with_an_encoded_bcc_gets_one_address_through_remind_send(
    db_path: Path, sink: Sink, smtp_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path cron takes: a real subprocess, a real server, the name planted in the database."""
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    monkeypatch.setenv("CPFT_TRACKER_NOW", f"{TODAY}T07:30:00Z")
    make_plan(db_path, [Row("Review ligature risk assessments", "Owner", OWNER, "2026-03-01")])
    raw_sql(db_path, "UPDATE owners SET name = ? WHERE name = 'Owner'", [ENCODED_BCC])
    proc = run_cli(
        "remind",
        "--send",
        env={
            "CPFT_TRACKER_SMTP_HOST": "127.0.0.1",
            "CPFT_TRACKER_SMTP_PORT": str(smtp_port),
            "CPFT_TRACKER_SMTP_FROM": "Governance Team <governance@example.nhs.uk>",
        },
    )
    assert proc.returncode == 0, proc.stderr
    (got,) = sink.received
    assert got.rcpt_tos == [OWNER]
    assert [a.addr_spec for a in _parsed(got.raw)["To"].addresses] == [OWNER]
    assert ENCODED_BCC in got.part("plain")  # the name as stored still greets them in the body


def test_display_names_keep_ordinary_names() -> None:
    assert display_name("Director of Nursing") == "Director of Nursing"
    assert display_name("Siobhán O'Neill-Brown") == "Siobhán O'Neill-Brown"
    assert display_name(ENCODED_BCC) == "utf-8 q Bcc 3A attacker 40evil 2Eexample 2C"
    back = _parsed(_message("Zoë Ørsted").as_bytes())
    assert back["To"].addresses[0].display_name == "Zoë Ørsted"


def test_a_message_whose_to_header_holds_two_addresses_is_not_sent(
    sink: Sink, smtp_port: int
) -> None:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = address(None, "governance@example.nhs.uk")
    msg["To"] = "Bcc: attacker@evil.example, <owner@example.org>"
    msg.set_content("hello")
    assert header_recipients(msg) == ["attacker@evil.example", OWNER]
    settings = SmtpSettings(host="127.0.0.1", port=smtp_port, timeout=10)
    with Mailer(settings) as mailer, pytest.raises(SendFailed) as caught:
        mailer.send(msg, sender="governance@example.nhs.uk", recipient=OWNER)
    assert "exactly the one recipient" in caught.value.reason
    assert sink.received == []


# ---------------------------------------------------------------------------
# Finding 3: one deadline for the conversation, not per read
# ---------------------------------------------------------------------------


class DrippingServer:
    """Accepts one connection and sends an SMTP greeting one byte at a time, for a bounded time."""

    def __init__(self, interval: float, lifetime: float) -> None:
        self.interval = interval
        self.lifetime = lifetime
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.listener.settimeout(lifetime)
        self.port = int(self.listener.getsockname()[1])
        self.stop = threading.Event()
        self.bytes_sent = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        greeting = b"220 " + b"slow" * 1000 + b"\r\n"
        with conn:
            for i in range(len(greeting)):
                if self.stop.wait(self.interval if i else 0) or i * self.interval > self.lifetime:
                    break
                try:
                    conn.sendall(greeting[i : i + 1])
                except OSError:
                    break
                self.bytes_sent += 1

    def close(self) -> None:
        self.stop.set()
        self.thread.join(self.lifetime + 5)
        self.listener.close()


@pytest.fixture
def dripping() -> Iterator[DrippingServer]:
    # each byte comes well within the per-read timeout, so only an overall deadline can stop it
    server = DrippingServer(interval=0.25, lifetime=30)
    try:
        yield server
    finally:
        server.close()


def test_a_server_that_drips_its_greeting_is_given_up_on_at_the_deadline(
    dripping: DrippingServer,
) -> None:
    """Before: every byte reset the 2 s timeout, so the greeting went on for as long as the server liked
    (in the finding: forever, holding the write lock); the attempt ended only when the server hung up."""
    settings = SmtpSettings(host="127.0.0.1", port=dripping.port, timeout=2)
    settings.check()
    msg = _message("Owner")
    with Mailer(settings) as mailer, pytest.raises(DeliveryFailed) as caught:
        mailer.send(msg, sender="governance@example.nhs.uk", recipient=OWNER)
    assert caught.value.message == (
        f"The mail server at 127.0.0.1:{dripping.port} did not finish answering within 2 seconds, "
        "so cpft-tracker gave up. Check the host and port, or ask whoever runs the server why it "
        "is slow; raise --smtp-timeout only if it is known to be slow."
    )
    assert (
        not dripping.stop.is_set()
    )  # the server was still dripping: we gave up, it did not hang up
    assert dripping.bytes_sent > 1


@pytest.mark.parametrize("value", [0, 0.5, -1, float("nan"), float("inf"), 99999])
def test_an_impossible_smtp_timeout_is_a_usage_problem(value: float) -> None:
    with pytest.raises(UsageProblem) as caught:
        SmtpSettings(host="127.0.0.1", timeout=value).check()
    assert caught.value.exit_code == 2
    assert "--smtp-timeout must be a number of seconds" in caught.value.message


# ---------------------------------------------------------------------------
# Sending outside the write lock: claim, send, record; two runs never send twice
# ---------------------------------------------------------------------------


def _claims(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, timeout=30, isolation_level=None)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS claims (recipient TEXT, day TEXT, state TEXT,"
        " UNIQUE (recipient, day))"
    )
    return conn


def test_two_overlapping_runs_send_each_message_once(
    tmp_path: Path, sink: BusySink, smtp_port: int
) -> None:
    db = tmp_path / "claims.db"
    _claims(db).close()
    colleague_writes: list[str] = []

    def while_sending() -> None:
        """A colleague's change made while the server holds a message: no lock may be held."""
        other = sqlite3.connect(db, timeout=0.2)
        try:
            other.execute("CREATE TABLE IF NOT EXISTS notes (n)")
            other.execute("INSERT INTO notes VALUES ('a colleague note')")
            other.commit()
            colleague_writes.append("ok")
        except sqlite3.OperationalError as exc:
            colleague_writes.append(str(exc))
        finally:
            other.close()

    sink.during_data = while_sending
    recipients = [f"owner{i}@example.org" for i in range(12)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    outcomes: list[str] = []

    def one_run() -> None:
        conn = _claims(db)

        def claim(job: Job) -> Job | None:
            cur = conn.execute(
                "INSERT OR IGNORE INTO claims VALUES (?, ?, 'claimed')", [job.recipient, TODAY]
            )
            return job if cur.rowcount == 1 else None

        def record(job: Job) -> None:
            conn.execute(
                "UPDATE claims SET state = 'sent' WHERE recipient = ? AND day = ?",
                [job.recipient, TODAY],
            )

        def release(job: Job, reason: str) -> None:
            conn.execute(
                "DELETE FROM claims WHERE recipient = ? AND day = ?", [job.recipient, TODAY]
            )

        jobs = []
        for rcpt in recipients:
            msg = EmailMessage(policy=email.policy.SMTP)
            msg["From"] = address("Governance", "governance@example.nhs.uk")
            msg["To"] = address("Owner", rcpt)
            msg["Subject"] = "Reminder"
            msg.set_content("due")
            jobs.append(Job(msg, rcpt, key=(rcpt, TODAY)))
        try:
            start.wait(10)
            with Mailer(SmtpSettings(host="127.0.0.1", port=smtp_port, timeout=10)) as mailer:
                results = mailer.send_claimed(
                    jobs,
                    sender="governance@example.nhs.uk",
                    claim=claim,
                    record=record,
                    release=release,
                )
            outcomes.extend(o.status for o in results)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert colleague_writes == ["ok"] * len(recipients)
    assert sorted(rc for got in sink.received for rc in got.rcpt_tos) == sorted(recipients)
    assert outcomes.count("sent") == len(recipients)
    assert outcomes.count("already-claimed") == len(recipients)
    conn = _claims(db)
    assert conn.execute("SELECT count(*) FROM claims WHERE state = 'sent'").fetchone() == (12,)
    conn.close()


def test_a_failed_send_is_released_so_the_next_run_tries_again(sink: Sink, smtp_port: int) -> None:
    sink.refuse.add("gone@example.org")
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = address("Governance", "governance@example.nhs.uk")
    msg["To"] = address("Gone", "gone@example.org")
    msg.set_content("due")
    released: list[str] = []
    recorded: list[Job] = []
    with Mailer(SmtpSettings(host="127.0.0.1", port=smtp_port, timeout=10)) as mailer:
        (outcome,) = mailer.send_claimed(
            [Job(msg, "gone@example.org")],
            sender="governance@example.nhs.uk",
            claim=lambda job: job,
            record=recorded.append,
            release=lambda job, reason: released.append(reason),
        )
    assert outcome.status == "failed" and recorded == []
    assert released == ["the mail server refused the address (550 5.1.1 No such mailbox here)"]


def test_ssl_to_a_plain_server_fails_with_the_tls_message_within_the_deadline(
    sink: Sink, smtp_port: int
) -> None:
    """The --ssl path opens its socket through the watchdog too (and still says what to check)."""
    settings = SmtpSettings(host="127.0.0.1", port=smtp_port, ssl=True, timeout=5)
    with Mailer(settings) as mailer, pytest.raises(DeliveryFailed) as caught:
        mailer.send(_message("Owner"), sender="governance@example.nhs.uk", recipient=OWNER)
    assert caught.value.message.startswith(
        f"A secure connection to the mail server at 127.0.0.1:{smtp_port} failed ("
    )
    assert caught.value.message.endswith("Check --ssl (port 465) versus --starttls (port 587).")
    assert sink.received == []
