"""Issue 14, finding 11 (Ctrl-C): SIGINT at several points of a write, through a real subprocess.

Inside the write transaction (the moment another connection finds the database locked) of an
import, a plan load and a note, and at a sweep of moments through a note from start to finish:
the command ends with exit 130 and the one line "Stopped. Nothing was half-saved", or (if it
had already finished) exit 0; never a traceback once cpft-tracker's code runs; the database
holds all of the change or none of it, and `check` (integrity, audit chain, history) passes.

The one window not covered is Python's own start-up (``site`` and the interpreter, before
``cpft_tracker/__main__.py`` runs, under 50 ms): a Ctrl-C there prints Python's traceback, as
for any Python program (docs/faults.md says so).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import WriteLockProbe, db_rows, db_snapshot
from tests.robustness_support import base_env, big_report, cli, count, integrity

STOPPED = "Error: Stopped. Nothing was half-saved: each change is saved whole or not at all."
ATTEMPTS = 4


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cpft_tracker", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _interrupt_inside_write(args: list[str], env: dict[str, str], db: Path) -> tuple[bool, str]:
    """Run the command; SIGINT it while it holds the write lock. (caught inside?, its stderr)."""
    proc = _start(args, env)
    probe = WriteLockProbe(db)
    sent = False
    try:
        while proc.poll() is None:
            if probe.held():
                proc.send_signal(signal.SIGINT)
                sent = True
                break
            time.sleep(0.002)
        _, err = proc.communicate(timeout=120)
    finally:
        probe.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in err, err
    if sent and proc.returncode == 130:
        assert err.splitlines()[-1] == STOPPED, err
        return True, err
    assert proc.returncode == 0, err  # it finished before the signal landed: try again
    return False, err


def _check_passes(db: Path) -> None:
    assert integrity(db) == ("ok", [])
    proc = cli(["check"], base_env(db))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ctrl_c_inside_an_imports_transaction_saves_none_of_it(
    db_path: Path, tmp_path: Path
) -> None:
    env = base_env(db_path)
    assert cli(["init"], env).returncode == 0
    report = big_report(tmp_path / "many.txt", 3_000)
    caught = 0
    for _ in range(ATTEMPTS):
        before = db_snapshot(db_path)
        inside, _ = _interrupt_inside_write(["import", str(report)], env, db_path)
        _check_passes(db_path)
        if inside:
            caught += 1
            assert count(db_path, "SELECT count(*) FROM actions") == 0
            assert db_snapshot(db_path) == before
            break
    assert caught, "never caught the import inside its transaction"
    assert cli(["import", str(report)], env).returncode == 0  # and it can simply be run again
    assert count(db_path, "SELECT count(*) FROM actions") == 3_000


def test_ctrl_c_inside_a_plan_loads_transaction_saves_none_of_it(
    db_path: Path, tmp_path: Path
) -> None:
    env = base_env(db_path)
    report = big_report(tmp_path / "many.txt", 3_000)
    assert cli(["import", str(report)], env).returncode == 0
    refs = [r[0] for r in db_rows(db_path, "SELECT ref FROM actions ORDER BY id")]
    caught = 0
    for attempt in range(ATTEMPTS):
        owner = f"Plan Owner {attempt}"
        plan = tmp_path / f"plan-{attempt}.csv"
        rows = ["ref,owner,due,status"] + [f"{ref},{owner},30/06/2031,in-progress" for ref in refs]
        plan.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
        before = db_snapshot(db_path)
        inside, _ = _interrupt_inside_write(["plan", "load", str(plan)], env, db_path)
        _check_passes(db_path)
        if inside:
            caught += 1
            assert db_snapshot(db_path) == before
            break
    assert caught, "never caught plan load inside its transaction"


def test_ctrl_c_at_every_moment_of_a_note_is_the_one_line_and_all_or_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    env = base_env(db_path)
    assert cli(["import", str(big_report(tmp_path / "r.txt", 20))], env).returncode == 0
    [(ref,)] = db_rows(db_path, "SELECT ref FROM actions ORDER BY id LIMIT 1")
    outcomes: dict[str, int] = {}
    for step in range(16):
        text = f"Chased estates, attempt {step}"
        proc = _start(["note", ref, text], env)
        time.sleep(0.035 * step)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        saved = count(
            db_path, "SELECT count(*) FROM events WHERE field = 'note' AND new = ?", (text,)
        )
        assert saved in (0, 1)
        if "Traceback" in err:
            # only Python's own start-up (site, the editable install's path finder): no frame
            # of cpft-tracker's package or of a library it imports
            assert "cpft_tracker/" not in err and "typer" not in err, err
            assert saved == 0
            kind = "python start-up"
        elif proc.returncode == 130:
            assert err.splitlines() == [STOPPED], err
            kind = "stopped, saved" if saved else "stopped, nothing saved"
        elif proc.returncode == 0:
            assert saved == 1, err
            kind = "finished"
        else:  # killed by SIGINT (the shell shows $? = 130 as for exit 130): never after a
            # finished note; seen rarely at start-up with the "Stopped" line already printed
            assert proc.returncode == -signal.SIGINT, (proc.returncode, err)
            assert saved == 0 and err in ("", STOPPED + "\n"), err
            kind = "killed by SIGINT while Python started"
        outcomes[kind] = outcomes.get(kind, 0) + 1
    _check_passes(db_path)
    assert "stopped, nothing saved" in outcomes, outcomes
