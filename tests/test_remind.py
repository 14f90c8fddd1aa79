"""remind: selection, the digest, JSON, options and exit codes, cron as a subprocess, header safety."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpft_tracker import remind as r
from cpft_tracker.cli import app
from tests.conftest import run_cli
from tests.remind_helpers import Row, make_plan

TODAY = "2026-03-10"


def plan_rows() -> list[Row]:
    return [
        Row(
            "Review ligature risk assessments",
            "Director of Nursing",
            "dn@example.nhs.uk",
            "2026-03-01",
        ),  # 9 over
        Row(
            "Publish the clinical strategy",
            "Director of Nursing",
            "dn@example.nhs.uk",
            "2026-03-13",
        ),  # 3 left
        Row("Reset stakeholder relationships", "Chief Executive", None, "2026-02-20"),  # 18 over
        Row(
            "Fix the board assurance framework", "Bob <b>&co", "bob@example.nhs.uk", "2026-03-10"
        ),  # today
        Row("Support for corporate services", None, None, "2026-03-09"),  # 1 over, unassigned
        Row(
            "Due in eight days", "Director of Nursing", "dn@example.nhs.uk", "2026-03-18"
        ),  # outside 7
        Row("Already done", "Director of Nursing", "dn@example.nhs.uk", "2026-03-01", "complete"),
        Row("No due date yet", "Chief Executive", None, None),
        Row(
            "Blocked and late", "Bob <b>&co", "bob@example.nhs.uk", "2026-03-05", "blocked"
        ),  # 5 over
    ]


@pytest.fixture
def plan(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    return make_plan(db_path, plan_rows(), window=7)  # this trust looks a week ahead


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


EXPECTED_DIGEST = """\
CQC improvement actions overdue or due in the next 7 days, as of Tuesday 10 March 2026
4 overdue, 2 due soon, 3 owners, 1 unassigned

Chief Executive (no email address)
  T-03  18 days overdue (due 20 Feb 2026), not-started
    Reset stakeholder relationships

Director of Nursing <dn@example.nhs.uk>
  T-01  9 days overdue (due 1 Mar 2026), not-started
    Review ligature risk assessments
  T-02  3 days left (due 13 Mar 2026), not-started
    Publish the clinical strategy

Bob <b>&co <bob@example.nhs.uk>
  T-09  5 days overdue (due 5 Mar 2026), blocked
    Blocked and late
  T-04  due today (due 10 Mar 2026), not-started
    Fix the board assurance framework

Unassigned (no owner yet)
  T-05  1 day overdue (due 9 Mar 2026), not-started
    Support for corporate services
"""


def test_digest_is_exact_plain_text_grouped_by_owner_most_overdue_first(
    plan: list[str], runner: CliRunner
) -> None:
    code, out, err = invoke(runner, "remind")
    assert (code, err) == (0, "")
    assert out == EXPECTED_DIGEST
    assert "\x1b[" not in out  # no colour, ever


def test_within_changes_the_window(plan: list[str], runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "remind", "--within", "8")
    assert code == 0 and "Due in eight days" in out
    code, out, _ = invoke(runner, "remind", "--within", "0")
    assert "Publish the clinical strategy" not in out and "due today" in out


def test_nothing_to_report_prints_nothing(
    db_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    make_plan(
        db_path,
        [
            Row("Far away", "A", "a@example.nhs.uk", "2026-12-01"),
            Row("Done", "A", None, "2026-01-01", "complete"),
        ],
    )
    assert invoke(runner, "remind") == (0, "", "")
    assert invoke(
        runner,
        "remind",
        "--fail-if-overdue",
        "--send",
        "--from",
        "g@example.nhs.uk",
        "--smtp-port",
        "1",
    ) == (0, "", "")  # nothing due: no connection is even tried
    code, out, err = invoke(runner, "remind", "--format", "json")
    doc = json.loads(out)
    assert (code, err) == (0, "")
    assert doc["owners"] == [] and doc["unassigned"] == [] and doc["schema_version"] == 1
    assert doc["counts"] == {"overdue": 0, "due_soon": 0, "owners": 0, "unassigned": 0}


def test_json_has_the_same_selection(plan: list[str], runner: CliRunner) -> None:
    code, out, err = invoke(
        runner,
        "remind",
        "--format",
        "json",
        "--escalate-after",
        "7",
        "--escalate-to",
        "lead@example.nhs.uk",
    )
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert set(doc) == {
        "schema_version",
        "generated_at",
        "as_of",
        "within_days",
        "counts",
        "owners",
        "unassigned",
        "escalation",
        "delivery",
    }
    assert doc["as_of"] == TODAY and doc["within_days"] == 7 and doc["delivery"] is None
    assert [g["owner"] for g in doc["owners"]] == [
        "Chief Executive",
        "Director of Nursing",
        "Bob <b>&co",
    ]
    first = doc["owners"][1]["actions"][0]
    assert first == {
        "ref": "T-01",
        "title": "Review ligature risk assessments",
        "report": "Test report",
        "due": "2026-03-01",
        "status": "not-started",
        "overdue": True,
        "days_overdue": 9,
        "days_left": None,
    }
    assert doc["owners"][1]["actions"][1]["days_left"] == 3
    assert [a["ref"] for a in doc["unassigned"]] == ["T-05"]
    esc = doc["escalation"]
    assert esc["after_days"] == 7 and esc["to"] == "lead@example.nhs.uk"
    assert [(g["owner"], [a["ref"] for a in g["actions"]]) for g in esc["owners"]] == [
        ("Chief Executive", ["T-03"]),
        ("Director of Nursing", ["T-01"]),
    ]


def test_fail_if_overdue(plan: list[str], runner: CliRunner, db_path: Path) -> None:
    code, out, err = invoke(runner, "remind", "--fail-if-overdue")
    assert code == 1 and out == EXPECTED_DIGEST and err == "4 actions overdue.\n"


def test_fail_if_overdue_is_zero_when_only_due_soon(
    db_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    make_plan(db_path, [Row("Soon", "A", None, "2026-03-12")])
    code, out, _ = invoke(runner, "remind", "--fail-if-overdue")
    assert code == 0 and "2 days left" in out


def test_as_of_uses_the_plan_as_it_stood(
    db_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2026-03-01T09:00:00Z")
    monkeypatch.setenv("CPFT_TRACKER_TODAY", "2026-03-01")
    refs = make_plan(db_path, [Row("Late one", "A", "a@example.nhs.uk", "2026-03-03")])
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2026-03-08T09:00:00Z")
    assert (
        runner.invoke(app, ["status", refs[0], "complete", "--evidence", "Minutes"]).exit_code == 0
    )
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    assert invoke(runner, "remind") == (0, "", "")  # complete now
    code, out, _ = invoke(runner, "remind", "--as-of", "2026-03-05")
    assert (
        code == 0
        and "T-01  2 days overdue (due 3 Mar 2026)" in out
        and "as of Thursday 5 March 2026" in out
    )
    code, _, err = invoke(
        runner, "remind", "--as-of", "2026-03-05", "--send", "--from", "g@example.nhs.uk"
    )
    assert code == 2 and "cannot be used with --send" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--every", "0"], "--every must be a whole number of days from 1"),
        (["--within", "-1"], "--within must be a whole number of days from 0"),
        (
            ["--escalate-after", "3"],
            "Give --escalate-after DAYS and --escalate-to ADDRESS together.",
        ),
        (
            ["--escalate-after", "3", "--escalate-to", "lead\r\nBcc: x@evil.com"],
            "is not an email address",
        ),
        (["--send"], "Give the sender address with --from (or CPFT_TRACKER_SMTP_FROM)"),
        (["--send", "--from", "not an address"], "--from 'not an address' is not an email address"),
        (
            ["--send", "--from", "g@example.nhs.uk", "--ssl", "--starttls"],
            "Use --starttls or --ssl, not both",
        ),
        (
            ["--send", "--from", "g@example.nhs.uk", "--smtp-user", "gov"],
            "CPFT_TRACKER_SMTP_PASSWORD is empty",
        ),
        (["--format", "xml"], "'xml' is not a format here"),
        (["--as-of", "2099-01-01"], "is in the future"),
        (["--smtp-password", "secret"], "No such option"),
    ],
)
def test_bad_options_exit_2_with_one_plain_line(
    plan: list[str], runner: CliRunner, args: list[str], message: str
) -> None:
    code, out, err = invoke(runner, "remind", *args)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_password_goes_unencrypted_to_no_remote_host(
    plan: list[str], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_SMTP_PASSWORD", "hunter2-secret")
    code, _, err = invoke(
        runner,
        "remind",
        "--send",
        "--from",
        "g@example.nhs.uk",
        "--smtp-user",
        "gov",
        "--smtp-host",
        "mail.example.nhs.uk",
    )
    assert (
        code == 2
        and "Refusing to send the mail password unencrypted to mail.example.nhs.uk:25" in err
    )
    assert "hunter2" not in err


def test_settings_come_from_the_environment(
    plan: list[str], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_SMTP_FROM", "Governance <g@example.nhs.uk>")
    monkeypatch.setenv("CPFT_TRACKER_REMIND_WITHIN", "8")
    monkeypatch.setenv("CPFT_TRACKER_ESCALATE_AFTER", "10")
    monkeypatch.setenv("CPFT_TRACKER_ESCALATE_TO", "lead@example.nhs.uk")
    code, out, err = invoke(runner, "remind", "--dry-run")
    assert code == 0
    assert "Due in eight days" in out  # --within from the environment
    assert (
        "To: lead@example.nhs.uk\nSubject: Escalation: 1 CQC improvement action overdue by more than 10 days"
        in out
    )
    assert "Dry run: 3 emails would be sent; nothing was sent or recorded." in err


def test_dry_run_prints_messages_and_records_nothing(
    plan: list[str], runner: CliRunner, db_path: Path
) -> None:
    from tests.remind_helpers import raw_sql

    code, out, err = invoke(runner, "remind", "--dry-run")
    assert code == 0
    assert out.startswith(
        "To: dn@example.nhs.uk\n"
        "Subject: CQC improvement actions: 1 overdue, 1 due in the next 7 days\n\nDear Director of Nursing,"
    )
    assert "To: bob@example.nhs.uk\nSubject:" in out and "Dear Bob <b>&co," in out
    assert (
        "No email address for Chief Executive (1 action): add one with cpft-tracker assign T-03"
        in err
    )
    assert "1 action with no owner, so no one was reminded: T-05." in err
    assert raw_sql(db_path, "SELECT count(*) FROM reminders") == [(0,)]


def test_help_is_the_docstring(runner: CliRunner) -> None:
    result = runner.invoke(app, ["remind", "--help"])
    assert result.exit_code == 0
    assert "List overdue and soon-due actions by owner" in result.stdout
    assert "CPFT_TRACKER_SMTP_HOST" in result.stdout and "--smtp-password" not in result.stdout


# ---------------------------------------------------------------------------
# Pure selection
# ---------------------------------------------------------------------------


def _action(
    i: int,
    due: str | None,
    owner: str | None = "A",
    status: str = "not-started",
    retired: str | None = None,
) -> dict[str, object]:
    return {
        "id": i,
        "ref": f"X-{i:02d}",
        "title": f"t{i}",
        "due": due,
        "status": status,
        "owner": owner,
        "owner_email": None,
        "retired": retired,
        "report": "R",
    }


def test_select_rules() -> None:
    today = dt.date(2026, 3, 10)
    actions = [
        _action(1, "2026-03-17"),  # 7 days left: in
        _action(2, "2026-03-18"),  # 8 days left: out
        _action(3, "2026-03-09", retired="merged"),  # retired: out
        _action(4, "2026-03-01", status="complete"),  # complete: out
        _action(5, None),  # no due date: out
        _action(6, "2026-03-02", owner="b"),  # 8 overdue
        _action(7, "2026-03-05", owner="B"),  # same owner, other case: one group
        _action(8, "2026-03-10", owner=None),
    ]
    sel = r.select(actions, as_of=today, within=7)
    assert [(g.owner, [i.ref for i in g.items]) for g in sel.groups] == [
        ("b", ["X-06", "X-07"]),
        ("A", ["X-01"]),
        (None, ["X-08"]),
    ]
    assert (sel.overdue_count, sel.due_soon_count) == (2, 2)
    assert r.select([], as_of=today).groups == []


# ---------------------------------------------------------------------------
# Cron runs it as a subprocess
# ---------------------------------------------------------------------------


def test_cron_subprocess_empty_then_digest(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_plan_location: Any
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    quiet = new_plan_location("quiet.db")
    make_plan(quiet, [Row("Later", "A", "a@example.nhs.uk", "2026-06-01")])
    done = run_cli("--db", str(quiet), "remind", "--fail-if-overdue")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")  # cron mails nothing
    make_plan(db_path, plan_rows(), window=7)
    done = run_cli("--db", str(db_path), "remind")
    assert (done.returncode, done.stdout, done.stderr) == (0, EXPECTED_DIGEST, "")
    done = run_cli("--db", str(db_path), "remind", "--fail-if-overdue", "--format", "json")
    assert done.returncode == 1 and done.stderr == "4 actions overdue.\n"
    assert json.loads(done.stdout)["counts"]["overdue"] == 4
    done = run_cli("--db", str(tmp_path / "missing.db"), "remind")
    assert (
        done.returncode == 1
        and done.stdout == ""
        and done.stderr.startswith("Error: No action plan database")
    )


# ---------------------------------------------------------------------------
# Header safety: whatever people type, the message has exactly our headers and one recipient
# ---------------------------------------------------------------------------

PIECES = [
    *'ab Z\u00e9\u202e\u200f\u05d0\r\n\t:<>",;@=?\u2028\x00',
    "Bcc: evil@x.com",
    "\r\nTo: x@evil.com",
    "=?utf-8?q?x?=",
    "\r\n\r\n<script>",
]
nasty = st.lists(st.sampled_from(PIECES), max_size=12).map("".join) | st.text(max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(owner=nasty, title=nasty, title2=nasty)
def test_people_text_never_adds_a_header_or_recipient(owner: str, title: str, title2: str) -> None:
    today = dt.date(2026, 3, 10)
    actions = [
        {
            **_action(1, "2026-03-01", owner=owner or "x"),
            "title": title,
            "owner_email": "dn@example.nhs.uk",
        },
        {
            **_action(2, "2026-03-12", owner=owner or "x"),
            "title": title2,
            "owner_email": "dn@example.nhs.uk",
        },
    ]
    sel = r.select(actions, as_of=today)
    messages, _, _ = r.plan(sel, escalate_after=0, escalate_to="lead@example.nhs.uk")
    assert [m.recipient for m in messages] == ["dn@example.nhs.uk", "lead@example.nhs.uk"]
    for out in messages:
        msg = r.build_message(
            out,
            sender="g@example.nhs.uk",
            sender_name=owner,
            as_of=today,
            within=7,
            every=1,
            after_days=0,
        )
        raw = msg.as_bytes()
        back = email.message_from_bytes(raw, policy=email.policy.default)
        assert sorted(back.keys()) == sorted(
            [
                "From",
                "To",
                "Subject",
                "Date",
                "Message-ID",
                "Auto-Submitted",
                "MIME-Version",
                "Content-Type",
            ]
        )
        assert [a.addr_spec for a in back["To"].addresses] == [out.recipient]
        assert [a.addr_spec for a in back["From"].addresses] == ["g@example.nhs.uk"]
        assert "\n" not in str(back["Subject"]) and "\r" not in str(back["Subject"])
        assert back["Bcc"] is None and back["Cc"] is None
        parts = [p.get_content_type() for p in back.walk()]
        assert parts == ["multipart/alternative", "text/plain", "text/html"]
        html_part = back.get_body(preferencelist=("html",))
        assert html_part is not None
        content = html_part.get_content()
        assert "<script>" not in content
        for text in (title, title2) if out.kind == r.KIND_OWNER else (title,):
            assert html.escape(r.one_line(text)) in content


def test_a_long_name_with_header_text_cannot_become_a_recipient() -> None:
    """Found by hypothesis: a long owner name full of 'Bcc: evil@x.com' was folded by the email
    package into a To header that parsed back as a group holding evil@x.com."""
    today = dt.date(2026, 3, 10)
    owner = "aBcc: evil@x.com" + "Bcc: evil@x.com" * 4
    action = {
        **_action(1, "2026-03-01", owner=owner),
        "title": "",
        "owner_email": "dn@example.nhs.uk",
    }
    messages, _, _ = r.plan(r.select([action], as_of=today), escalate_after=None, escalate_to=None)
    msg = r.build_message(
        messages[0], sender="g@example.nhs.uk", sender_name=owner, as_of=today, within=7, every=1
    )
    back = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert [a.addr_spec for a in back["To"].addresses] == ["dn@example.nhs.uk"]
    assert [a.addr_spec for a in back["From"].addresses] == ["g@example.nhs.uk"]
    assert "evil@x.com" not in str(back["To"]) + str(back["From"])
    assert owner in msg.get_body(("plain",)).get_content()  # the name as typed stays in the body
