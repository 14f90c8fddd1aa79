"""remind --send through a real SMTP server on 127.0.0.1 (aiosmtpd), and through failing ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from tests.conftest import run_cli
from tests.remind_helpers import Row, Sink, free_port, make_plan, raw_sql, start_smtp

TODAY = "2026-03-10"
DN = "dn@example.nhs.uk"
BOB = "bob@example.nhs.uk"
LEAD = "lead@example.nhs.uk"


@pytest.fixture
def sink() -> Sink:
    return Sink()


@pytest.fixture
def smtp_port(sink: Sink, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A real SMTP server for this test; the CPFT_TRACKER_SMTP_* settings point at it."""
    for port in start_smtp(sink):
        monkeypatch.setenv("CPFT_TRACKER_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CPFT_TRACKER_SMTP_PORT", str(port))
        monkeypatch.setenv("CPFT_TRACKER_SMTP_FROM", "Governance Team <governance@example.nhs.uk>")
        yield port


@pytest.fixture
def plan(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    monkeypatch.setenv("CPFT_TRACKER_NOW", f"{TODAY}T07:30:00Z")
    return make_plan(
        db_path,
        [
            Row(
                "Review ligature risk assessments", "Director of Nursing", DN, "2026-03-01"
            ),  # T-01, 9 overdue
            Row(
                "Publish the <clinical> strategy & plan", "Director of Nursing", DN, "2026-03-13"
            ),  # T-02, 3 left
            Row(
                "Reset stakeholder relationships", "Chief Executive", None, "2026-02-20"
            ),  # T-03, no address
            Row(
                "Fix the board assurance framework", "Bob <b>&co", BOB, "2026-02-25"
            ),  # T-04, 13 overdue
            Row("Corporate services support", None, None, "2026-03-09"),  # T-05, unassigned
        ],
    )


def send(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["remind", "--send", *args])
    return result.exit_code, result.stdout, result.stderr


def recorded(db: Path) -> list[tuple[str, str, str, str]]:
    return raw_sql(
        db,
        "SELECT a.ref, m.recipient, m.kind, m.sent_on FROM reminders m"
        " JOIN actions a ON a.id = m.action_id ORDER BY m.id",
    )


def test_each_owner_gets_their_own_list(
    plan: list[str], sink: Sink, smtp_port: int, runner: CliRunner, db_path: Path
) -> None:
    code, out, err = send(runner)
    assert code == 0
    assert out.startswith(
        "CQC improvement actions overdue or due in the next 14 days"
    )  # the digest for MAILTO
    assert "Sent 2 reminders: bob@example.nhs.uk, dn@example.nhs.uk." in err
    assert "No email address for Chief Executive (1 action)" in err
    assert "1 action with no owner, so no one was reminded: T-05." in err
    assert [r.rcpt_tos for r in sink.received] == [[BOB], [DN]]  # exactly the owner each time
    assert {r.mail_from for r in sink.received} == {"governance@example.nhs.uk"}

    (dn,) = sink.to(DN)
    msg = dn.message
    assert msg["To"] == f"Director of Nursing <{DN}>"
    assert msg["From"] == "Governance Team <governance@example.nhs.uk>"
    assert msg["Subject"] == "CQC improvement actions: 1 overdue, 1 due in the next 14 days"
    assert msg["Bcc"] is None and msg["Cc"] is None
    text = dn.part("plain")
    assert "Dear Director of Nursing," in text
    assert (
        "  T-01  9 days overdue (due 1 Mar 2026), not-started\n    Review ligature risk assessments"
        in text
    )
    assert (
        "  T-02  3 days left (due 13 Mar 2026), not-started\n    Publish the <clinical> strategy & plan"
        in text
    )
    assert "T-04" not in text and "T-03" not in text  # only their own actions
    html = dn.part("html")
    assert "Publish the &lt;clinical&gt; strategy &amp; plan" in html and "<clinical>" not in html

    (bob,) = sink.to(BOB)
    # the header keeps the name without address syntax; the body keeps it as typed
    assert bob.message["To"].addresses[0].display_name == "Bob b &co"
    assert "Dear Bob <b>&co," in bob.part("plain")
    assert "Dear Bob &lt;b&gt;&amp;co," in bob.part("html")
    assert recorded(db_path) == [
        ("T-04", BOB, "owner", TODAY),
        ("T-01", DN, "owner", TODAY),
        ("T-02", DN, "owner", TODAY),
    ]


def test_second_run_the_same_day_sends_nothing(
    plan: list[str], sink: Sink, smtp_port: int, runner: CliRunner, db_path: Path
) -> None:
    assert send(runner)[0] == 0
    assert len(sink.received) == 2
    code, out, err = send(runner)
    assert code == 0 and len(sink.received) == 2
    assert "Sent" not in err
    assert len(recorded(db_path)) == 3


def test_every_3_repeats_on_the_third_day(
    plan: list[str], sink: Sink, smtp_port: int, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def day(d: str) -> list[list[str]]:
        monkeypatch.setenv("CPFT_TRACKER_TODAY", d)
        monkeypatch.setenv("CPFT_TRACKER_NOW", f"{d}T07:30:00Z")
        before = len(sink.received)
        assert send(runner, "--every", "3")[0] == 0
        return [r.rcpt_tos for r in sink.received[before:]]

    assert day("2026-03-10") == [[BOB], [DN]]
    assert day("2026-03-11") == []
    assert day("2026-03-12") == []
    assert day("2026-03-13") == [[BOB], [DN]]
    assert day("2026-03-14") == []


def test_a_new_action_is_sent_even_when_others_were_sent_today(
    plan: list[str], sink: Sink, smtp_port: int, runner: CliRunner
) -> None:
    assert send(runner)[0] == 0
    assert runner.invoke(app, ["due", "T-03", "2026-03-11"]).exit_code == 0
    assert runner.invoke(app, ["assign", "T-03", "Director of Nursing"]).exit_code == 0
    assert send(runner)[0] == 0
    (_, second) = sink.to(DN)
    text = second.part("plain")
    assert "T-03" in text and "T-01" not in text  # only what they have not heard about today
    assert second.message["Subject"] == "CQC improvement actions: 1 due in the next 14 days"


def test_escalation_summary_goes_to_the_lead(
    plan: list[str], sink: Sink, smtp_port: int, runner: CliRunner, db_path: Path
) -> None:
    code, _, err = send(runner, "--escalate-after", "8", "--escalate-to", LEAD)
    assert code == 0 and "Sent 3 reminders" in err
    (lead,) = sink.to(LEAD)
    assert lead.rcpt_tos == [LEAD]
    assert (
        lead.message["Subject"]
        == "Escalation: 3 CQC improvement actions overdue by more than 8 days"
    )
    text = lead.part("plain")
    assert (
        text.index("Chief Executive (no email address)\n  T-03  18 days overdue")
        < text.index("Bob <b>&co <bob@example.nhs.uk>\n  T-04  13 days overdue")
        < text.index("Director of Nursing <dn@example.nhs.uk>\n  T-01  9 days overdue")
    )
    assert "T-02" not in text and "T-05" not in text
    assert "<h3>Bob &lt;b&gt;&amp;co &lt;bob@example.nhs.uk&gt;</h3>" in lead.part("html")
    assert [row for row in recorded(db_path) if row[2] == "escalation"] == [
        ("T-03", LEAD, "escalation", TODAY),
        ("T-04", LEAD, "escalation", TODAY),
        ("T-01", LEAD, "escalation", TODAY),
    ]
    send(runner, "--escalate-after", "8", "--escalate-to", LEAD)
    assert len(sink.to(LEAD)) == 1  # idempotent too


def test_injection_in_names_titles_and_addresses_never_adds_a_recipient(
    db_path: Path, sink: Sink, smtp_port: int, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    make_plan(
        db_path,
        [
            Row("Title\r\nBcc: evil@x.com\r\n\r\nbody", "Bob", BOB, "2026-03-01"),
            Row("Other", "Mallory", "mallory@example.nhs.uk", "2026-03-01"),
        ],
    )
    # plant what the CLI would refuse, as an old or hand-edited database might hold
    raw_sql(db_path, "UPDATE owners SET name = ? WHERE name = 'Bob'", ["Bob\r\nBcc: evil@x.com"])
    raw_sql(
        db_path,
        "UPDATE owners SET email = ? WHERE name = 'Mallory'",
        ["m@example.nhs.uk\r\nBcc: evil@x.com"],
    )
    code, _, err = send(runner)
    assert code == 3
    assert [r.rcpt_tos for r in sink.received] == [[BOB]]
    msg = sink.received[0].message
    assert msg["Bcc"] is None and [a.addr_spec for a in msg["To"].addresses] == [BOB]
    assert msg["To"].addresses[0].display_name == "Bob Bcc evil x com"
    assert "evil" not in msg["Subject"]
    assert "Title Bcc: evil@x.com body" in sink.received[0].part("plain")
    assert "the stored address is not one cpft-tracker can send to" in err
    assert "Error: 1 reminder could not be sent" in err


def test_connection_refused_exits_3_and_names_the_server(
    plan: list[str], runner: CliRunner, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("CPFT_TRACKER_SMTP_FROM", "governance@example.nhs.uk")
    code, out, err = send(runner, "--smtp-host", "127.0.0.1", "--smtp-port", str(port))
    assert code == 3
    assert out.startswith("CQC improvement actions")  # the digest still reaches MAILTO
    assert (
        f"Error: Cannot connect to the mail server at 127.0.0.1:{port}: connection refused. Check --smtp-host"
        in err
    )
    assert "Not sent to dn@example.nhs.uk (Director of Nursing)" in err
    assert recorded(db_path) == []


def test_a_refused_recipient_does_not_stop_the_others_and_is_retried(
    plan: list[str], sink: Sink, smtp_port: int, runner: CliRunner, db_path: Path
) -> None:
    sink.refuse.add(BOB)
    code, _, err = send(runner, "--escalate-after", "8", "--escalate-to", LEAD)
    assert code == 3
    assert sorted(r.rcpt_tos[0] for r in sink.received) == [DN, LEAD]
    assert (
        "Not sent to bob@example.nhs.uk (Bob <b>&co): the mail server refused the address "
        "(550 5.1.1 No such mailbox here)."
    ) in err
    assert "Error: 1 reminder could not be sent (listed above). They were not recorded" in err
    assert BOB not in {row[1] for row in recorded(db_path)}
    sink.refuse.clear()
    code, _, err = send(
        runner, "--escalate-after", "8", "--escalate-to", LEAD
    )  # the next run retries
    assert code == 0 and "Sent 1 reminder: bob@example.nhs.uk." in err
    assert [r.rcpt_tos for r in sink.received[2:]] == [[BOB]]


def test_dry_run_sends_and_records_nothing(
    plan: list[str], sink: Sink, smtp_port: int, runner: CliRunner, db_path: Path
) -> None:
    result = runner.invoke(app, ["remind", "--send", "--dry-run"])
    assert result.exit_code == 0
    assert "To: dn@example.nhs.uk\n" in result.stdout
    assert sink.received == [] and recorded(db_path) == []


def test_json_reports_delivery(
    plan: list[str], sink: Sink, smtp_port: int, runner: CliRunner
) -> None:
    import json

    sink.refuse.add(BOB)
    result = runner.invoke(app, ["remind", "--send", "--format", "json"])
    assert result.exit_code == 3
    delivery = json.loads(result.stdout)["delivery"]
    assert [(d["recipient"], d["status"], d["refs"]) for d in delivery] == [
        (BOB, "failed", ["T-04"]),
        (DN, "sent", ["T-01", "T-02"]),
    ]


def test_cron_runs_it_as_a_subprocess(
    plan: list[str], sink: Sink, smtp_port: int, db_path: Path
) -> None:
    done = run_cli("--db", str(db_path), "remind", "--send", "--fail-if-overdue")
    assert done.returncode == 1  # sent fine, and something is overdue
    assert done.stdout.startswith(
        "CQC improvement actions overdue or due in the next 14 days, as of Tuesday 10 March 2026"
    )
    assert "Sent 2 reminders" in done.stderr and done.stderr.endswith("4 actions overdue.\n")
    assert len(sink.received) == 2
    again = run_cli("--db", str(db_path), "remind", "--send")
    assert again.returncode == 0 and len(sink.received) == 2 and "Sent" not in again.stderr


def test_login_password_only_from_the_environment_and_never_shown(
    plan: list[str], sink: Sink, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(
        server: object, session: object, envelope: object, mechanism: str, data: object
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and [
            v.decode() if isinstance(v, bytes) else v for v in (data.login, data.password)
        ] == ["gov", "hunter2-right"]
        return AuthResult(success=ok, handled=False)

    for port in start_smtp(sink, authenticator=check, auth_require_tls=False):
        args = ["--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--from", "g@example.nhs.uk"]
        monkeypatch.setenv("CPFT_TRACKER_SMTP_USER", "gov")
        monkeypatch.setenv("CPFT_TRACKER_SMTP_PASSWORD", "hunter2-wrong")
        code, out, err = send(runner, *args)
        assert code == 3 and sink.received == []
        assert f"The mail server at 127.0.0.1:{port} refused the login for user 'gov'" in err
        assert "hunter2" not in out + err
        monkeypatch.setenv("CPFT_TRACKER_SMTP_PASSWORD", "hunter2-right")
        code, out, err = send(runner, *args)
        assert code == 0 and len(sink.received) == 2 and "hunter2" not in out + err
