"""cpft-tracker against Taskwarrior on the same 10,000 actions, paired (issue 10's targets).

    .venv/bin/python bench/vs_taskwarrior.py [--size 10000] [--pairs 11] [--install] [--output FILE]

The issue's targets, at 10,000 actions: every write at most 1.0x the CPU of Taskwarrior's
``task <id> modify``, every read at most 1.0x the CPU of Taskwarrior's equivalent, in the same
run. Taskwarrior is optional: without ``task`` on the PATH this says so and stops (exit 0);
``--install`` first runs ``apt-get install -y taskwarrior`` (as root, where apt-get exists).

The plan is bench/run.py's (built through the tool, cached in bench/work/), and the tasks are
the same actions loaded into a throw-away Taskwarrior (``run.load_taskwarrior``: report prefix
-> project, owner -> tag, in-progress/blocked -> tag, due date, completed with an end date, each
note an annotation). Both sides write to copies (a copy of the plan, a copy of TASKDATA), so
the caches never change. Each pair is one run of ours then one of theirs, whole processes
(start-up included), one warm-up pair first; the ratio is taken pair by pair (ours / theirs)
and its median reported, so a machine whose speed drifts during the run moves both sides of
a pair alike. CPU = user + system of the process (``os.wait4``), the issue's measure; wall
time and peak memory are shown too. ``PYTHONDONTWRITEBYTECODE`` is removed (bench/NOTES.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402


@dataclass
class Pair:
    """One comparison: our arguments and Taskwarrior's (lists alternate run by run)."""

    label: str
    ours: list[list[str]]
    theirs: list[list[str]]
    theirs_label: str
    kind: str = "read"  # or "write"
    ours_runs: list[bench.Sample] = field(default_factory=list)
    theirs_runs: list[bench.Sample] = field(default_factory=list)


NOTE = "Benchmark note: spot check on the ward"


def pairs() -> list[Pair]:
    """What is compared (``{write}``/``{note}``: our refs; Taskwarrior's ids 2 and 3)."""
    return [
        Pair(
            "status REF blocked / in-progress",
            [["status", "{write}", "blocked"], ["status", "{write}", "in-progress"]],
            [["2", "modify", "priority:H"], ["2", "modify", "priority:L"]],
            "task 2 modify priority:H / priority:L",
            "write",
        ),
        Pair(
            "assign REF OWNER (two existing owners in turn)",
            [["assign", "{write}", "Amira Ahmed"], ["assign", "{write}", "Ben Baker"]],
            [
                ["2", "modify", "+AmiraAhmed", "-BenBaker"],
                ["2", "modify", "+BenBaker", "-AmiraAhmed"],
            ],
            "task 2 modify +OwnerA -OwnerB (in turn)",
            "write",
        ),
        Pair(
            "note REF TEXT",
            [["note", "{note}", NOTE]],
            [["3", "annotate", NOTE]],
            "task 3 annotate TEXT (modify has no notes)",
            "write",
        ),
        Pair(
            "note REF TEXT (vs modify)",
            [["note", "{note}", NOTE]],
            [["3", "modify", "priority:H"], ["3", "modify", "priority:L"]],
            "task 3 modify priority:H / priority:L",
            "write",
        ),
        Pair("list --overdue (pipe)", [["list", "--overdue"]], [["overdue"]], "task overdue"),
        Pair(
            "list --overdue --format json",
            [["list", "--overdue", "--format", "json"]],
            [["+OVERDUE", "export"]],
            "task +OVERDUE export",
        ),
        Pair("export --format json", [["export", "--format", "json"]], [["export"]], "task export"),
        Pair("export --format csv", [["export", "--format", "csv"]], [["export"]], "task export"),
        Pair(
            "remind --format json",
            [["remind", "--format", "json"]],
            [["status:pending", "(", "+OVERDUE", "or", "due.before:now+7d", ")", "export"]],
            "task status:pending ( +OVERDUE or due.before:now+7d ) export",
        ),
        Pair("progress", [["progress"]], [["summary"]], "task summary"),
        Pair("show REF", [["show", "{show}"]], [["1", "info"]], "task 1 info"),
    ]


def ensure_taskwarrior(install: bool) -> str | None:
    """The ``task`` binary, installing it first if asked and possible; None (said why) if not."""
    found = bench.task_binary()
    if found or not install:
        if not found:
            print(
                "Taskwarrior is not installed, so there is nothing to compare with: skipped. "
                "Install it (apt-get install taskwarrior) or run this with --install."
            )
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(
            "Taskwarrior is not installed and --install needs root and apt-get: skipped. "
            "Install it (apt-get install taskwarrior) and run this again."
        )
        return None
    print("Installing Taskwarrior (apt-get install -y taskwarrior) ...", flush=True)
    proc = subprocess.run(
        ["apt-get", "install", "-y", "taskwarrior"], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"apt-get could not install Taskwarrior ({last}): skipped.")
        return None
    return bench.task_binary()


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def fresh_copies(built: bench.Built, tw_home: Path) -> tuple[Path, Path]:
    """A copy of the plan and of Taskwarrior's data to write to."""
    db = bench.WORK / f"vs-tw-{built.actions}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(built.path, db)
    home = bench.WORK / f"vs-tw-{built.actions}-taskwarrior"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(tw_home, home)
    return db, home


def ratio_median(p: Pair, attr: str) -> float:
    return statistics.median(
        getattr(a, attr) / getattr(b, attr)
        for a, b in zip(p.ours_runs, p.theirs_runs, strict=True)
        if getattr(b, attr) > 0
    )


def med(samples: list[bench.Sample], attr: str) -> float:
    return statistics.median(getattr(s, attr) for s in samples)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--pairs", type=int, default=11, help="timed pairs after one warm-up pair")
    ap.add_argument("--install", action="store_true", help="apt-get install taskwarrior if missing")
    ap.add_argument("--only", nargs="+", help="only the comparisons whose label starts so")
    ap.add_argument("--output", type=Path, help="also write the Markdown table here")
    args = ap.parse_args()
    tw = ensure_taskwarrior(args.install)
    if tw is None:
        return 0
    today = dt.date.today()
    built = bench.cached_database(args.size, log=print, today=today)
    tw_cached = bench.load_taskwarrior(built, log=print)
    if tw_cached is None:
        print("Taskwarrior could not load the tasks: skipped.")
        return 0
    db, home = fresh_copies(built, tw_cached)
    env = bench.base_env(db)
    tenv = bench.tw_env(home)
    values = {"write": built.write_ref, "note": built.note_ref, "show": built.show_ref}
    load_before = load()
    chosen = [p for p in pairs() if not args.only or any(p.label.startswith(o) for o in args.only)]
    for p in chosen:
        for i in range(args.pairs + 1):  # pair 0 is the warm-up
            ours = [a.format(**values) for a in p.ours[i % len(p.ours)]]
            sample = bench.run_process([*bench.cpft_argv(), *ours], env)
            if sample.code != 0:
                raise SystemExit(f"cpft-tracker {' '.join(ours)} failed: {sample.err.strip()}")
            theirs = bench.run_process([tw, *bench.TW_RC, *p.theirs[i % len(p.theirs)]], tenv)
            if theirs.code != 0:
                raise SystemExit(f"task {' '.join(p.theirs[0])} failed: {theirs.err.strip()}")
            if i:
                p.ours_runs.append(sample)
                p.theirs_runs.append(theirs)
        print(
            f"{p.label}: CPU {med(p.ours_runs, 'cpu') * 1000:.0f} vs {med(p.theirs_runs, 'cpu') * 1000:.0f} ms,"
            f" ratio {ratio_median(p, 'cpu'):.2f}",
            flush=True,
        )
    load_after = load()
    lines = [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {built.actions:,} actions "
        f"({built.overdue:,} overdue, {built.events:,} events), {bench.taskwarrior_version()}; "
        f"{args.pairs} pairs after a warm-up pair, ours then Taskwarrior's; load {load_before} "
        f"before, {load_after} after. Command: `.venv/bin/python bench/vs_taskwarrior.py "
        f"--pairs {args.pairs}`.",
        "",
        "| cpft-tracker | Taskwarrior | our CPU ms | their CPU ms | CPU ratio (median of pairs) "
        "| wall ratio | our peak MB | their peak MB | target <= 1.0x CPU |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in chosen:
        r = ratio_median(p, "cpu")
        lines.append(
            f"| `{p.label}` ({p.kind}) | `{p.theirs_label}` | {med(p.ours_runs, 'cpu') * 1000:.0f} "
            f"| {med(p.theirs_runs, 'cpu') * 1000:.0f} | **{r:.2f}x** | {ratio_median(p, 'seconds'):.2f}x "
            f"| {max(s.max_rss_kb for s in p.ours_runs) / 1024:.0f} "
            f"| {max(s.max_rss_kb for s in p.theirs_runs) / 1024:.0f} | {'met' if r <= 1.0 else 'not met'} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
