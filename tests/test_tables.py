"""Tables that fit the terminal they are on (issue 13): ``list`` and ``progress`` at 80 and 60
columns through a pipe and in a real terminal (tmux), ``--wide``, the pager, and ``list
--sort/--limit/--search``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli, setup_cli

REPORT = ROOT / "tests" / "corpus" / "acute-trust-core-services-2021.txt"
LONG_OWNER = "Director of Nursing, Midwifery and Allied Health Professionals"


@pytest.fixture
def plan(db_path: Path) -> list[dict[str, Any]]:
    """A plan of 12 actions with long titles, a long owner name, due dates and a note."""
    env = {"CPFT_TRACKER_TODAY": "2026-03-01", "CPFT_TRACKER_NOW": "2026-02-20T10:00:00.000000Z"}
    for args in (
        ["init"],
        ["import", str(REPORT)],
        ["assign", "RHFT-01", "RHFT-02", "RHFT-03", LONG_OWNER],
        ["assign", "RHFT-04", "Zoë Strasse"],
        ["due", "RHFT-01", "01/04/2026"],
        ["due", "RHFT-04", "01/02/2026"],
        ["due", "RHFT-05", "10/03/2026"],
        ["status", "RHFT-06", "blocked"],
        ["note", "RHFT-07", "Chased the Estates team about the FIRE doors"],
    ):
        if args[0] == "note":
            env["CPFT_TRACKER_NOW"] = "2026-02-25T10:00:00.000000Z"
        setup_cli(*args, env=env)
    return list(json.loads(setup_cli("export", env=env))["actions"])


def words(text: str) -> str:
    return " ".join(text.split())


def cli(*args: str, columns: int = 80, **env: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env={"COLUMNS": str(columns), "CPFT_TRACKER_TODAY": "2026-03-01", **env})


@pytest.mark.parametrize("columns", [80, 60])
def test_list_through_a_pipe_shows_every_column_and_whole_titles(
    plan: list[dict[str, Any]], columns: int
) -> None:
    done = cli("list", columns=columns)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    head = " ".join(lines[:3])
    for header in ("Ref", "BRAG", "Status", "Due", "Owner", "Title"):
        assert header in head
    assert max(len(line) for line in lines) <= columns
    assert "…" not in done.stdout and "..." not in done.stdout
    text = words(done.stdout)
    for action in plan:
        assert words(action["title"]) in text  # wrapped on word boundaries, never cut
        assert action["ref"] in text
    assert words(LONG_OWNER) in text
    assert done.stderr == "12 actions.\n"


def test_list_in_columns_wraps_titles_within_their_column(plan: list[dict[str, Any]]) -> None:
    done = cli("list", columns=140)
    lines = done.stdout.splitlines()
    start = lines[0].index("Title")
    assert max(len(line.rstrip()) for line in lines) <= 140
    titles = words(" ".join(line[start:] for line in lines[1:]))
    for action in plan:
        assert words(action["title"]) in titles


def test_list_wide_puts_each_action_on_one_line(plan: list[dict[str, Any]]) -> None:
    done = cli("list", "--wide", columns=60)
    lines = done.stdout.splitlines()
    assert len(lines) == 1 + len(plan)
    for action, line in zip(plan, lines[1:], strict=True):
        assert line.startswith(action["ref"]) and words(action["title"]) in line
    assert any(len(line) > 60 for line in lines)  # wider than the terminal, on purpose


@pytest.mark.parametrize("columns", [80, 60])
def test_progress_shows_every_column_and_whole_names(
    plan: list[dict[str, Any]], columns: int
) -> None:
    done = cli("progress", columns=columns)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= columns
    assert "…" not in done.stdout
    if columns == 80:
        headers = ["Actions", "Done", "% done", "Blue", "Green", "Amber", "Red", "Overdue"]
    else:  # short headings, explained
        headers = ["Total", "Done", "%", "B", "G", "A", "R", "Late"]
        assert "B G A R: Blue, Green, Amber, Red. Late: overdue." in done.stdout
    heading = next(line for line in lines if line.startswith("Name"))
    assert heading.split()[1:] == " ".join(headers).split()
    names = words(" ".join(re.sub(r"(\s+[\d.]+)+\s*$", "", line) for line in lines))
    for name in (LONG_OWNER, "Zoë Strasse", "Governance, management and sustainability"):
        assert words(name) in names  # wrapped within the name column, never cut


def test_progress_wide_keeps_names_on_one_line(plan: list[dict[str, Any]]) -> None:
    done = cli("progress", "--wide", "--by", "owner", columns=60)
    assert any(line.startswith(LONG_OWNER + "  ") for line in done.stdout.splitlines())


def order(*args: str) -> list[dict[str, Any]]:
    done = cli("list", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout)["actions"])


def test_list_sort_limit_and_search(plan: list[dict[str, Any]]) -> None:
    by_due = order("--sort", "due")
    assert [a["due"] for a in by_due[:3]] == ["2026-02-01", "2026-03-10", "2026-04-01"]
    assert all(a["due"] is None for a in by_due[3:])  # no due date last
    assert [a["ref"] for a in order("--sort", "due", "--limit", "2")] == ["RHFT-04", "RHFT-05"]
    rag = [a["rag"] for a in order("--sort", "rag")]
    assert rag == sorted(rag, key=["red", "amber", "green", "blue"].index)
    assert rag[0] == "red"
    owners = [a["owner"] for a in order("--sort", "owner")]
    assert owners[:4] == [LONG_OWNER] * 3 + ["Zoë Strasse"] and owners[4:] == [None] * 8
    statuses = [a["status"] for a in order("--sort", "status")]
    assert statuses[-1] == "blocked"
    assert order("--sort", "updated")[0]["ref"] == "RHFT-07"  # the last one changed
    refs = [a["ref"] for a in order("--sort", "ref")]
    assert refs == sorted(refs)
    # search: any case, in the title, the requirement (words not in the title) or a note
    assert [a["ref"] for a in order("--search", "FIRE DOORS")] == ["RHFT-07"]
    assert [a["ref"] for a in order("--search", "MENTAL capacity")] == ["RHFT-03", "RHFT-10"]
    requirement_only = next(
        w
        for a in plan
        for w in a["requirement"].split()
        if len(w) > 6 and w.isalpha() and all(w.lower() not in b["title"].lower() for b in plan)
    )
    found = order("--search", requirement_only.upper())
    assert found and all(requirement_only.lower() in a["requirement"].lower() for a in found)
    none = cli("list", "--search", "no such words here")
    assert none.returncode == 0 and none.stdout == ""
    assert none.stderr.startswith("No actions match.")


def test_list_sort_and_limit_refuse_bad_values(plan: list[dict[str, Any]]) -> None:
    bad = cli("list", "--sort", "colour")
    assert bad.returncode == 2
    assert bad.stderr == (
        "Error: 'colour' cannot be used with --sort. Use one of: ref, due, status, owner, rag, "
        "updated.\n"
    )
    zero = cli("list", "--limit", "0")
    assert zero.returncode == 2
    assert zero.stderr == "Error: --limit must be 1 or more actions, e.g. --limit 20 (not 0).\n"


def test_search_as_of_a_date_reads_the_plan_then(plan: list[dict[str, Any]]) -> None:
    def found(day: str) -> list[str]:
        done = cli("list", "--format", "json", "--search", "fire doors", "--as-of", day)
        return [a["ref"] for a in json.loads(done.stdout)["actions"]]

    assert found("26/02/2026") == ["RHFT-07"]
    assert found("22/02/2026") == []  # the note was written on the 25th


def test_no_pager_when_piped(plan: list[dict[str, Any]], tmp_path: Path) -> None:
    marker = tmp_path / "paged.txt"
    done = cli("list", columns=60, PAGER=f"cat > {shlex.quote(str(marker))}", LINES="5")
    assert done.returncode == 0 and "RHFT-11" in done.stdout
    assert not marker.exists()


@pytest.mark.parametrize(
    ("args", "columns"),
    [
        (["list"], 80),
        (["list"], 40),  # titles under their actions
        (["list", "--wide"], 80),
        (["owners"], 80),
        (["progress"], 80),
        (["progress"], 50),  # short headings, a key
        (["progress", "--wide", "--since", "2026-02-01"], 80),
        (["history"], 80),
        (["show", "RHFT-07"], 80),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_in_a_pipe_no_line_ends_in_spaces(
    plan: list[dict[str, Any]], args: list[str], columns: int
) -> None:
    """`list --wide | grep`, a table saved and diffed: the cells' padding is not kept at the
    end of a line (on a terminal rich's layout is unchanged)."""
    done = cli(*args, columns=columns)
    assert done.returncode == 0, done.stderr
    padded = [line for line in done.stdout.splitlines() if line != line.rstrip()]
    assert padded == [], padded
    assert len(done.stdout.splitlines()) >= 2
    coloured = cli(*args, columns=columns, FORCE_COLOR="1")
    assert "\x1b[" in coloured.stdout or args[0] in ("owners", "history", "show")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured.stdout)
    assert [line for line in plain.splitlines() if line != line.rstrip()] == []


# -- in a real terminal ----------------------------------------------------------------


def in_tmux(
    tmp_path: Path, args: list[str], *, columns: int, lines: int, env: dict[str, str]
) -> str:
    """Run cpft-tracker in a tmux terminal of that size; the screen as it was left."""
    socket = f"cpft-tables-{os.getpid()}-{time.monotonic_ns()}"
    script = tmp_path / "run.sh"
    exports = "".join(
        f"export {k}={shlex.quote(v)}\n"
        for k, v in {**env, "CPFT_TRACKER_DB": os.environ["CPFT_TRACKER_DB"]}.items()
    )
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "cpft_tracker", *args])
    script.write_text(
        f"unset COLUMNS LINES NO_COLOR\n{exports}cd {shlex.quote(str(ROOT))}\n"
        f"{command} 2>/dev/null; echo EXIT=$?; sleep 60\n"
    )
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-x", str(columns), "-y", str(lines)]
        + ["sh", str(script)],
        check=True,
    )
    try:
        for _ in range(300):
            screen = subprocess.run(
                ["tmux", "-L", socket, "capture-pane", "-p", "-S", "-200"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if "EXIT=" in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"cpft-tracker did not finish in tmux: {screen}")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], check=False)


needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)"
)


@needs_tmux
@pytest.mark.parametrize("columns", [80, 60])
def test_list_and_progress_fit_a_real_terminal(
    plan: list[dict[str, Any]], tmp_path: Path, columns: int
) -> None:
    env = {"PAGER": "cat", "CPFT_TRACKER_TODAY": "2026-03-01", "TERM": "xterm-256color"}
    screen = in_tmux(tmp_path, ["list"], columns=columns, lines=60, env=env)
    assert "EXIT=0" in screen
    text = words(screen)
    for header in ("Ref", "BRAG", "Status", "Due", "Owner", "Title"):
        assert header in text
    for action in plan:
        assert words(action["title"]) in text
    assert "…" not in screen
    screen = in_tmux(tmp_path, ["progress"], columns=columns, lines=60, env=env)
    assert "EXIT=0" in screen and "…" not in screen
    names = words(" ".join(re.sub(r"(\s+[\d.]+)+\s*$", "", line) for line in screen.splitlines()))
    assert words(LONG_OWNER) in names


@needs_tmux
def test_pager_on_a_terminal_only_for_long_output(
    plan: list[dict[str, Any]], tmp_path: Path
) -> None:
    marker = tmp_path / "paged.txt"
    env = {"PAGER": f"cat > {shlex.quote(str(marker))}", "CPFT_TRACKER_TODAY": "2026-03-01"}
    screen = in_tmux(tmp_path, ["list"], columns=60, lines=15, env=env)
    assert "EXIT=0" in screen
    paged = marker.read_text(encoding="utf-8")
    assert "RHFT-01" in paged and "RHFT-11" in paged  # the whole list went to the pager
    marker.unlink()
    in_tmux(tmp_path, ["list", "--no-pager"], columns=60, lines=15, env=env)
    assert not marker.exists()
    in_tmux(tmp_path, ["list", "--limit", "1"], columns=60, lines=15, env=env)
    assert not marker.exists()  # fits the screen: printed as it is
