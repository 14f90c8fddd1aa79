"""``review`` on a real terminal: the installed console script run on a pseudo-terminal (the
``pty`` module), answered as a person would type, and the database checked afterwards."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_REPORT, run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

PROMPT = "[a]ccept  [r]eject  re[t]itle  [s]kip  [q]uit > "
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WAIT_S = 60  # how long to wait for the program to answer before the test gives up


def console_script() -> list[str]:
    script = Path(sys.executable).parent / "cpft-tracker"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cpft_tracker"]


class Terminal:
    """A program running on a pseudo-terminal: read what it shows, type answers."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
        os.close(slave)
        self.seen = ""  # everything shown so far (ANSI codes kept)
        self._pending = ""

    def _read(self, deadline: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the program ended and closed the terminal
            return False
        if not chunk:
            return False
        text = chunk.decode("utf-8", errors="replace")
        self.seen += text
        self._pending += text
        return True

    def expect(self, text: str) -> str:
        """Wait until ``text`` has been shown; what was shown up to it (ANSI codes kept)."""
        deadline = time.monotonic() + WAIT_S
        while text not in self._pending:
            if not self._read(deadline):
                raise AssertionError(f"never showed {text!r}; it showed:\n{self.seen}")
        at = self._pending.index(text) + len(text)
        shown, self._pending = self._pending[:at], self._pending[at:]
        return shown

    def type(self, line: str) -> None:
        os.write(self.master, line.encode("utf-8") + b"\n")

    def finish(self) -> int:
        """Read until the program ends; its exit code."""
        deadline = time.monotonic() + WAIT_S
        while self._read(deadline):
            pass
        code = self.proc.wait(timeout=WAIT_S)
        os.close(self.master)
        return code


@pytest.fixture
def imported(db_path: Path) -> dict[str, str]:
    assert run_cli("import", str(BUNDLED_REPORT)).returncode == 0
    return {**os.environ, "CPFT_TRACKER_DB": str(db_path), "COLUMNS": "120"}


@pytest.fixture
def terminal(imported: dict[str, str]) -> Iterator[Terminal]:
    term = Terminal([*console_script(), "review", "--by", "Jo Lead"], imported)
    yield term
    if term.proc.poll() is None:
        term.proc.kill()
        term.proc.wait()


def actions() -> dict[str, dict]:
    result = run_cli("list", "--format", "json")
    return {a["ref"]: a for a in json.loads(result.stdout)["actions"]}


def test_retitle_accept_and_reject_on_a_terminal(terminal: Terminal) -> None:
    first = terminal.expect(PROMPT)
    plain = ANSI.sub("", first)
    assert "1 of 2  CPFT-10  Further develop co-production across the organisation" in plain
    assert "Co-production with people who use services and carers was at an early stage" in plain
    assert "Taken because: 'needing': '<something> needing <something>' (medium confidence)" in (
        plain
    )
    assert "Worth a look:  may state the same thing as CPFT-14" in plain
    # the requirement sentence is highlighted inside its paragraph, its trigger word more so
    sentence = "The lead made good use of the resources available, but this is an area "
    assert re.search(r"\x1b\[[0-9;]*m" + re.escape(sentence), first), first
    assert re.search(r"\x1b\[[0-9;]*7[0-9;]*mneeding", first), first

    terminal.type("t")
    terminal.expect("New title (Enter keeps it) > ")
    terminal.type("Co-production: develop it further across the organisation")
    terminal.expect(PROMPT)
    terminal.type("a")
    second = ANSI.sub("", terminal.expect(PROMPT))
    assert "CPFT-10: accepted: tracked and counted in progress." in second
    assert "2 of 2  CPFT-14" in second
    terminal.type("r")
    terminal.expect("Why is it not a requirement? (Enter to go back) > ")
    terminal.type("the same finding as CPFT-10")
    assert terminal.finish() == 0
    assert (
        "Reviewed: 1 accepted, 1 rejected, 1 retitled, 0 skipped. Nothing else awaits review."
        in ANSI.sub("", terminal.seen)
    )

    plan = actions()
    assert plan["CPFT-10"]["review"] == "accepted"
    assert plan["CPFT-10"]["title"] == "Co-production: develop it further across the organisation"
    assert plan["CPFT-14"]["review"] == "rejected"
    assert plan["CPFT-14"]["retired"] == "not a requirement: the same finding as CPFT-10"
    history = json.loads(run_cli("history", "--format", "json").stdout)["events"]
    mine = [(e["ref"], e["field"], e["new"]) for e in history if e["by"] == "Jo Lead"]
    assert mine[::-1] == [
        ("CPFT-10", "title", "Co-production: develop it further across the organisation"),
        ("CPFT-10", "review", "accepted"),
        ("CPFT-14", "review", "rejected"),
        ("CPFT-14", "retired", "not a requirement: the same finding as CPFT-10"),
    ]


def test_skip_a_wrong_key_and_quit_change_nothing(terminal: Terminal) -> None:
    before = actions()
    terminal.expect(PROMPT)
    terminal.type("x")
    assert "Type a, r, t, s or q (and Enter)." in terminal.expect(PROMPT)
    terminal.type("s")
    terminal.expect("2 of 2")
    terminal.expect(PROMPT)
    terminal.type("r")
    terminal.expect("Why is it not a requirement? (Enter to go back) > ")
    terminal.type("")  # changed their mind: back to the question
    terminal.expect(PROMPT)
    terminal.type("q")
    assert terminal.finish() == 0
    assert "Reviewed: 0 accepted, 0 rejected, 0 retitled, 1 skipped. 2 still await review" in (
        ANSI.sub("", terminal.seen)
    )
    assert actions() == before


def test_end_of_input_stops_and_keeps_what_was_decided(terminal: Terminal) -> None:
    terminal.expect(PROMPT)
    terminal.type("a")
    terminal.expect(PROMPT)
    os.write(terminal.master, b"\x04")  # Ctrl-D
    assert terminal.finish() == 0
    plan = actions()
    assert (plan["CPFT-10"]["review"], plan["CPFT-14"]["review"]) == ("accepted", "awaiting")
    assert "1 still awaits review" in ANSI.sub("", terminal.seen)


def test_nothing_to_review(imported: dict[str, str]) -> None:
    assert run_cli("accept", "CPFT-10", "CPFT-14").returncode == 0
    term = Terminal([*console_script(), "review"], imported)
    assert term.finish() == 0
    assert "Nothing awaits review." in term.seen


def test_a_possible_duplicate_says_how_to_merge_it(terminal: Terminal) -> None:
    # review offers no merge: the candidate says which command makes the two one action
    shown = ANSI.sub("", terminal.expect(PROMPT))
    assert "may state the same thing as CPFT-14" in shown
    assert "merge CPFT-14 INTO CPFT-10" in shown
    terminal.type("q")
    assert terminal.finish() == 0


def test_a_merged_action_no_longer_sends_you_to_review(imported: dict[str, str]) -> None:
    assert run_cli("merge", "CPFT-14", "INTO", "CPFT-10").returncode == 0
    shown = run_cli("show", "CPFT-14").stdout
    assert "not reviewed: retired first (merged into CPFT-10)" in shown
    assert "run cpft-tracker review" not in shown
