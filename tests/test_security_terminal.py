"""Issue 14, finding 5, end to end: text from people never drives the terminal it is shown on.

A note, evidence, a retire reason and an imported report's text hold ESC[2J (clear the
screen), an OSC title with BEL, an OSC 8 hyperlink and U+202E. Every command that shows
them (show, history, list, reports, owners, progress, every text export, the change
messages on stderr), run as a real subprocess through a pipe, in colour (FORCE_COLOR) and
on a pseudo-terminal, prints no ESC, BEL or U+202E of them: the only escapes left are the
colour codes rich adds itself. JSON gives the text back exactly. ``--by`` with a control
character is a usage error.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from typing import Any

import pytest

from tests import pg_server as pgs
from tests.conftest import BUNDLED_REPORT, PG_MODE, is_pg, run_cli, setup_cli

CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;pwned\x07"
LINK = "\x1b]8;;https://evil.example\x1b\\click here\x1b]8;;\x1b\\"
RLO = "\u202e"
NOTE = f"Chased {CLEAR}again{TITLE} {LINK} invoice{RLO}gpj.exe"
EVIDENCE = f"Minutes {LINK} and {RLO}fdp.exe\x07"
REASON = f"Merged{CLEAR} with another {RLO}action"
REPORT_LINE = (
    f"The trust must review {CLEAR}{TITLE} the {RLO} ligature risk assessments on every ward."
)
# rich's own colour and style codes (SGR) are the only escapes a colour terminal may get
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _dangerous(text: str) -> list[str]:
    """Control characters (except line ends and tabs) and bidi controls left after rich's colours."""
    rest = SGR.sub("", text)
    return [
        ch
        for ch in rest
        if (ord(ch) < 32 and ch not in "\n\r\t") or 0x7F <= ord(ch) < 0xA0 or ch == RLO
    ]


@pytest.fixture(scope="module")
def plan(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> dict[str, str]:
    """A plan holding the hostile text in every place people can put it (a file, or with
    CPFT_TEST_BACKEND=postgresql a database of its own)."""
    folder = tmp_path_factory.mktemp("terminal")
    report = folder / "report.txt"
    report.write_text(BUNDLED_REPORT.read_text(encoding="utf-8") + "\n" + REPORT_LINE + "\n")
    where = str(folder / "plan.db")
    extra = {}
    if PG_MODE:
        server = request.getfixturevalue("pg_server")
        where, extra = (
            server.new_database("terminal", password=False),
            {"PGPASSWORD": server.password},
        )
    env = {
        **extra,
        "CPFT_TRACKER_DB": where,
        "CPFT_TRACKER_USER": "Test Lead",
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    steps = [
        ("import", str(report)),
        ("assign", "CPFT-01", "CPFT-15", "Director of Nursing", "--email", "don@example.org"),
        ("due", "CPFT-01", "2020-01-31"),
        ("note", "--", "CPFT-01", NOTE),
        ("status", "CPFT-02", "complete", "--evidence", EVIDENCE),
        ("retire", "CPFT-03", "--reason", REASON),
    ]
    for step in steps:
        proc = run_cli(*step, env=env)
        assert proc.returncode == 0, (step, proc.stderr)
        if step[0] == "retire":
            env["RETIRE_MESSAGE"] = proc.stderr
    return env


SHOWN = [
    ("show", "CPFT-01"),
    ("show", "CPFT-02"),
    ("show", "CPFT-03"),
    ("show", "CPFT-15"),
    ("history",),
    ("history", "CPFT-01"),
    ("list",),
    ("list", "--overdue"),
    ("reports",),
    ("owners",),
    ("progress", "--by", "owner"),
    ("export", "--format", "markdown"),
    ("export", "--format", "csv"),
    ("export", "--format", "html"),
    ("remind",),
]


@pytest.mark.parametrize("args", SHOWN, ids=lambda a: " ".join(a))
def test_nothing_shown_through_a_pipe_or_in_colour_obeys_the_text(
    plan: dict[str, str], args: tuple[str, ...]
) -> None:
    for extra in ({}, {"FORCE_COLOR": "1", "NO_COLOR": ""}):
        env = {**plan, **extra}
        if not env["NO_COLOR"]:
            del env["NO_COLOR"]
        proc = run_cli(*args, env=env)
        assert proc.returncode == 0, proc.stderr
        assert _dangerous(proc.stdout) == [], (extra, proc.stdout)
        assert _dangerous(proc.stderr) == [], (extra, proc.stderr)


def test_what_was_there_is_shown_as_text(plan: dict[str, str]) -> None:
    shown = run_cli("show", "CPFT-01", env=plan).stdout
    assert "\\x1b[2J" in shown and "\\x1b]0;pwned\\x07" in shown and "<U+202E>" in shown
    assert "\\x1b[2J" in run_cli("show", "CPFT-15", env=plan).stdout  # the report's own text
    assert "<U+202E>" in run_cli("show", "CPFT-02", env=plan).stdout  # evidence
    assert "\\x1b[2J" in run_cli("history", "CPFT-03", env=plan).stdout  # the retire reason


def test_the_change_message_on_stderr_shows_the_reason_as_text(plan: dict[str, str]) -> None:
    message = plan["RETIRE_MESSAGE"]
    assert message.startswith("CPFT-03: retired: Merged\\x1b[2J\\x1b[H with another <U+202E>")
    assert _dangerous(message) == []


def test_json_keeps_the_text_exactly(plan: dict[str, str]) -> None:
    events = json.loads(run_cli("history", "--format", "json", env=plan).stdout)["events"]
    assert NOTE in [e["new"] for e in events]
    assert REASON in [e["new"] for e in events]
    actions = {
        a["ref"]: a
        for a in json.loads(run_cli("export", "--format", "json", env=plan).stdout)["actions"]
    }
    assert actions["CPFT-02"]["evidence"] == EVIDENCE
    assert CLEAR in actions["CPFT-15"]["requirement"] and RLO in actions["CPFT-15"]["requirement"]


def _on_a_terminal(args: tuple[str, ...], env: dict[str, str]) -> str:
    """Run the CLI with stdout and stderr on a pseudo-terminal; everything it wrote."""
    leader, follower = pty.openpty()
    # the pager is cat: long output on a terminal goes through it (issue 13), and what the
    # pager is given must be as safe as what is printed
    full = {
        **os.environ,
        **env,
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "CPFT_TRACKER_PAGER": "cat",
    }
    full.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cpft_tracker", *args],
        stdout=follower,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env=full,
    )
    os.close(follower)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the follower side closed: the command is done
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(leader)
        proc.wait(60)
    assert proc.returncode == 0, out
    return out.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args", [("show", "CPFT-01"), ("history",), ("list",), ("reports",)], ids=" ".join
)
def test_nothing_shown_on_a_real_terminal_obeys_the_text(
    plan: dict[str, str], args: tuple[str, ...]
) -> None:
    out = _on_a_terminal(args, plan)
    assert "CPFT" in out
    assert _dangerous(out) == [], out


@pytest.mark.parametrize(
    "by", ["mallory\x1b[2K\rAlice", "Eve\x07", f"Bob{RLO}ecilA", "Sam\nJones"], ids=repr
)
def test_a_by_with_a_control_character_is_a_usage_error(plan: dict[str, str], by: str) -> None:
    before = run_cli("history", "--format", "json", env=plan).stdout
    proc = run_cli("note", "CPFT-01", "a note", "--by", by, env=plan)
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("Error: --by holds a control character")
    assert _dangerous(line) == []
    assert run_cli("history", "--format", "json", env=plan).stdout == before


# ---------------------------------------------------------------------------
# The commands added since (issues 12 and 13): each run once, on its own copy of a hostile
# plan (they change it), with hostile text in what they print: the messages they give on
# stderr, the screens review shows, the completions offered, the check report restore prints.
# ---------------------------------------------------------------------------

OWNER = f"Deputy{CLEAR}{RLO} Director"  # stored as "Deputy [2J [H Director": controls become spaces
STORED_OWNER = "Deputy [2J [H Director"


@pytest.fixture
def fresh(tmp_path: pytest.TempPathFactory, plan: dict[str, str]) -> dict[str, str]:
    """A copy of the hostile plan, plus an awaiting candidate and an owner named with U+202E."""
    from pathlib import Path

    if is_pg(plan["CPFT_TRACKER_DB"]):  # a copy of the database (CREATE DATABASE ... TEMPLATE)
        db: Any = pgs.shared().copy_database(plan["CPFT_TRACKER_DB"])
    else:
        db = Path(str(tmp_path)) / "plan.db"
        setup_cli("backup", str(db), env=plan)
    env = {**plan, "CPFT_TRACKER_DB": str(db)}
    env.pop("RETIRE_MESSAGE", None)
    for step in (("assign", "CPFT-04", OWNER), ("note", "--", "CPFT-10", NOTE)):
        setup_cli(*step, env=env)
    return env


NEW_COMMANDS: list[tuple[tuple[str, ...], str]] = [
    (("merge", "CPFT-15", "INTO", "CPFT-01"), ""),
    (("accept", "CPFT-10"), ""),
    (("reject", "CPFT-14", "--reason", REASON), ""),
    (("owners", "rename", "Director of Nursing", f"Chief {RLO}Nurse{CLEAR}"), ""),
    (("owners", "merge", STORED_OWNER, "INTO", "Director of Nursing"), ""),
    (("owners", "merge", OWNER, "INTO", "Director of Nursing"), ""),
    (("owners", "email", STORED_OWNER, "don2@example.org"), ""),
    (("owners", "email", "Director of Nursing", f"x{CLEAR}@example.org"), ""),  # refused
    (("completion", "bash"), ""),
    (("__complete", "bash", "cpft-tracker", "assign", "CPFT-01", "Dir"), ""),
    (("__complete", "bash", "cpft-tracker", "show", "CPFT-1"), ""),
]


@pytest.mark.parametrize(("args", "typed"), NEW_COMMANDS, ids=lambda a: " ".join(a) or "-")
def test_the_newer_commands_do_not_obey_the_text_either(
    fresh: dict[str, str], args: tuple[str, ...], typed: str
) -> None:
    import shutil

    for n, extra in enumerate(({}, {"FORCE_COLOR": "1", "NO_COLOR": ""})):
        if is_pg(fresh["CPFT_TRACKER_DB"]):  # each run on its own copy: these change the plan
            db = pgs.shared().copy_database(fresh["CPFT_TRACKER_DB"])
        else:
            db = f"{fresh['CPFT_TRACKER_DB']}.{n}"
            shutil.copy(fresh["CPFT_TRACKER_DB"], db)
        env = {**fresh, **extra, "CPFT_TRACKER_DB": db}
        if not env["NO_COLOR"]:
            del env["NO_COLOR"]
        proc = subprocess.run(
            [sys.executable, "-m", "cpft_tracker", *args],
            input=typed,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, **env},
            timeout=120,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        assert _dangerous(proc.stdout) == [], (args, extra, proc.stdout)
        assert _dangerous(proc.stderr) == [], (args, extra, proc.stderr)
        if "x\x1b" not in " ".join(args) and args[-3:-2] != (OWNER,):
            assert proc.returncode == 0, (args, proc.stderr)


@pytest.mark.sqlite_only(reason="backup and restore of the SQLite file")
def test_restore_prints_a_hostile_backup_name_and_plan_as_text(
    fresh: dict[str, str], tmp_path: pytest.TempPathFactory
) -> None:
    from pathlib import Path

    backup = Path(str(tmp_path)) / f"bk{CLEAR}{RLO}.db"
    assert run_cli("backup", str(backup), env=fresh).returncode == 0
    proc = run_cli("restore", str(backup), env=fresh)
    assert proc.returncode == 0, proc.stderr
    assert _dangerous(proc.stdout) == [] and _dangerous(proc.stderr) == []
    refused = run_cli("restore", str(backup) + "-missing", env=fresh)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert _dangerous(refused.stderr) == []


def test_review_on_a_terminal_shows_the_text_as_text(fresh: dict[str, str]) -> None:
    from tests.test_review_terminal import PROMPT, Terminal

    env = {**os.environ, **fresh, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    term = Terminal([sys.executable, "-m", "cpft_tracker", "review"], env)
    try:
        term.expect(PROMPT)
        term.type("s")
        term.expect(PROMPT)
        term.type("q")
        assert term.finish() == 0, term.seen
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
            term.proc.wait()
    assert "CPFT-10" in term.seen
    assert _dangerous(term.seen) == [], term.seen
