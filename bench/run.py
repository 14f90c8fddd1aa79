"""Benchmark cpft-tracker at the size of a whole trust, against Taskwarrior (issue 7).

    .venv/bin/python bench/run.py               # full run: 1,000 / 10,000 / 100,000 actions
    .venv/bin/python bench/run.py --quick       # smoke run: 300 actions, 3 runs, a few seconds
    .venv/bin/python bench/run.py --sizes 1000 10000 --runs 7

What it does (see bench/README.md):

1. Builds (or re-uses, from ``bench/work/``) a database per size THROUGH THE TOOL'S OWN CODE:
   generated CQC-style report text per report -> ``extract_requirements`` ->
   ``Store.import_report``; then, in date order, ``Store.assign`` / ``set_due`` /
   ``set_status`` / ``add_evidence`` / ``add_note`` with ``CPFT_TRACKER_NOW`` set to the day
   the change happened, so the audit trail spans ~18 months and ``--as-of`` has real
   history to undo. 50 actions a report, ~10 audit events an action, about a fifth overdue
   on the run date.
2. Times each command as a whole process (the console script ``.venv/bin/cpft-tracker``,
   which is what a user runs), a warm-up and then ``--runs`` runs; median, min and max;
   peak RSS of that very process (``os.wait4`` rusage).
3. Loads the same tasks into Taskwarrior (throw-away TASKDATA/TASKRC in bench/work) and
   times its equivalents interleaved with ours (ours, theirs, ours, theirs, ...).
4. Writes ``bench/RESULTS.md`` (``--quick`` writes ``bench/work/RESULTS-quick.md``).

A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import platform
import pty
import random
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
BUILDER_VERSION = 3  # bump when the generated data changes shape (invalidates the cache)
ACTIONS_PER_REPORT = 50
HISTORY_DAYS = 540  # the oldest report was imported this many days before the run date
AS_OF_DAYS_AGO = 180  # `progress --as-of` looks at the plan as it stood this long ago

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# ---------------------------------------------------------------------------
# Realistic text
# ---------------------------------------------------------------------------

SERVICES = [
    "acute wards for adults of working age",
    "psychiatric intensive care units",
    "community mental health services for adults",
    "child and adolescent mental health wards",
    "wards for older people with mental health problems",
    "community health services for children and young people",
    "specialist community mental health services for children",
    "mental health crisis services and health-based places of safety",
    "community-based mental health services for older people",
    "long stay or rehabilitation mental health wards",
    "community health inpatient services",
    "urgent care and minor injury units",
]
WARDS = [
    "Mulberry 1",
    "Mulberry 2",
    "Mulberry 3",
    "Oak ward",
    "Cedar ward",
    "Willow ward",
    "Holly ward",
    "Hawthorn ward",
    "Poplar ward",
    "Maple ward",
    "Springbank ward",
    "the Cavell Centre",
    "Fulbourn Hospital",
    "Hinchingbrooke",
    "Doddington Court",
    "the Peterborough hub",
    "the Huntingdon team",
    "the Fenland team",
    "the Ely team",
    "the Cambridge South team",
    "the crisis resolution team",
    "the first response service",
]
DUTIES = [
    "staff receive mandatory training in basic and immediate life support",
    "ligature risk assessments are completed, reviewed and acted on",
    "patients have a current risk assessment and risk management plan",
    "medicines are stored at the correct temperature and fridge checks are recorded",
    "there are enough suitably qualified staff on every shift",
    "clinical supervision takes place and is recorded in line with policy",
    "blanket restrictions are reviewed and justified for each patient",
    "seclusion records are complete and reviews take place within the required times",
    "care plans are personalised, holistic and reflect the views of patients",
    "physical health monitoring is carried out after rapid tranquillisation",
    "patients on the waiting list are monitored for changes in their level of risk",
    "incidents are reported, investigated and lessons are shared with staff",
    "the environment is clean, well maintained and fit for purpose",
    "carers are involved in care planning where patients agree to this",
    "staff understand and apply the Mental Capacity Act",
    "governance processes identify and address risks to the quality of care",
    "the board receives accurate information about waiting times",
    "Freedom to Speak Up concerns are acted on and the outcome is fed back",
    "complaints are responded to within the timescales in the trust policy",
    "equipment used in emergencies is checked and in date",
]
OPENERS = [
    "The trust must ensure that {duty} on {ward} ({n}).",
    "The service must make sure that {duty} at {ward} ({n}).",
    "The trust needs to ensure that {duty} across {ward} ({n}).",
    "Leaders must assure themselves that {duty} on {ward} ({n}).",
    "The provider must take action so that {duty} in {ward} ({n}).",
]
FILLER = [
    "We visited the service over two days and spoke with patients, carers and staff.",
    "Staff were kind and caring and treated patients with dignity and respect.",
    "Managers had a good understanding of the risks on the ward.",
    "We reviewed care records, medicines charts and the minutes of governance meetings.",
    "Patients told us they felt safe and that staff listened to them.",
    "The ward was busy and staffing levels varied from shift to shift.",
    "Some records were incomplete and did not reflect recent changes in risk.",
    "Leaders were visible and approachable and staff spoke positively about them.",
    "Waiting times for assessment had grown since our last inspection.",
    "The trust had an action plan in place following the previous inspection.",
]
HEADINGS = [
    "Is the service safe?",
    "Is the service effective?",
    "Is the service caring?",
    "Is the service responsive?",
    "Is the service well-led?",
]
OWNERS = [
    "Director of Nursing",
    "Chief Operating Officer",
    "Medical Director",
    "Director of Workforce",
    "Director of Governance",
    "Company Secretary",
    "Chief Pharmacist",
    "Head of Patient Safety",
    "Head of Estates",
    "Freedom to Speak Up Guardian",
    "Deputy Director of Nursing",
    "Associate Director of Quality",
    "Head of Learning and Development",
    "Safeguarding Lead",
]
FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Femi",
    "Grace",
    "Hamid",
    "Isla",
    "Jack",
    "Kiran",
    "Laura",
    "Mo",
    "Nadia",
    "Owen",
    "Priya",
    "Rhys",
    "Sofia",
    "Tom",
    "Zara",
]
LAST = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Das",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Patel",
    "Roberts",
    "Shah",
    "Taylor",
]
NOTES = [
    "Discussed at the quality and safety committee; update due next month.",
    "Audit of the last 30 records shows improvement but not yet sustained.",
    "Paper to the board on progress; assurance rated partial.",
    "Training trajectory agreed with the ward managers.",
    "Awaiting estates work; contractor booked.",
    "Spot check on the ward found the new process in place.",
    "Risk added to the divisional risk register.",
    "Policy revised and out for consultation.",
]


def report_text(
    rng: random.Random, index: int, n_requirements: int, *, extra_filler: int = 3
) -> str:
    """A CQC-style report with exactly ``n_requirements`` unique must/needs sentences."""
    service = SERVICES[index % len(SERVICES)]
    lines = [
        "SERVICE PROVIDER",
        "Cambridgeshire and Peterborough NHS Foundation Trust",
        f"Inspection report {index + 1}: {service}",
        "",
        "Our view of the service",
        " ".join(rng.sample(FILLER, 4)),
        "",
        "Areas for improvement",
    ]
    per_heading = max(1, -(-n_requirements // len(HEADINGS)))
    made = 0
    while made < n_requirements:
        lines.append("")
        lines.append(HEADINGS[(made // per_heading) % len(HEADINGS)])
        for _ in range(min(per_heading, n_requirements - made)):
            made += 1
            sentence = rng.choice(OPENERS).format(
                duty=rng.choice(DUTIES),
                ward=rng.choice(WARDS),
                n=f"report {index + 1}, item {made}",
            )
            before = " ".join(rng.sample(FILLER, extra_filler))
            lines.append(f"{before} {sentence} {rng.choice(FILLER)}")
    return "\n".join(lines) + "\n"


def big_report_text(target_bytes: int = 1_000_000, seed: int = 7) -> str:
    """About ``target_bytes`` of report text (a big multi-service inspection), ~1 requirement a paragraph."""
    rng = random.Random(seed)
    parts = []
    size = 0
    index = 0
    while size < target_bytes:
        part = report_text(rng, 10_000 + index, 40, extra_filler=6)
        parts.append(part if index == 0 else part.split("\n", 2)[2])
        size += len(part.encode("utf-8"))
        index += 1
    return "".join(parts)


# ---------------------------------------------------------------------------
# Building the database through the tool's own code
# ---------------------------------------------------------------------------


@dataclass
class Built:
    path: Path
    actions: int
    reports: int
    events: int
    overdue: int
    seconds: float
    show_ref: str
    write_ref: str
    note_ref: str
    build_date: str
    extra: dict[str, Any] = field(default_factory=dict)


def _now(day: dt.date, tick: int) -> str:
    """CPFT_TRACKER_NOW for a change made on ``day`` (seconds after 08:00 UTC keep the order)."""
    moment = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(seconds=tick)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def build_database(
    path: Path,
    n_actions: int,
    *,
    today: dt.date | None = None,
    seed: int = 2025,
    per_report: int = ACTIONS_PER_REPORT,
    progress: Callable[[str], None] | None = None,
) -> Built:
    """Build a plan of ``n_actions`` actions through Store, with ~10 audit events an action.

    Every change goes through the same Store methods the CLI calls (import_report, assign,
    set_due, set_status, add_evidence, add_note), in date order, one transaction per call
    (batched by day and value, as a governance lead changes many refs at once).
    """
    from cpft_tracker.extract import extract_requirements
    from cpft_tracker.store import Store

    say = progress or (lambda _t: None)
    today = today or dt.date.today()
    rng = random.Random(seed)
    started = time.perf_counter()
    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved_now = os.environ.get("CPFT_TRACKER_NOW")
    store = Store.open(path, create=True)
    # Builder only: no fsync per commit (the data is identical; the build is ~10x faster).
    store.conn.execute("PRAGMA synchronous = OFF")
    n_reports = max(1, -(-n_actions // per_report))
    owners = OWNERS + [f"{f} {last}" for f in FIRST for last in LAST][: max(0, n_reports // 4)]
    emails = {o: o.lower().replace(" ", ".") + "@cpft.nhs.uk" for o in owners}
    # report i is imported on day d_i, spread over the history, oldest first
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    span = HISTORY_DAYS - 45
    ops: list[tuple[dt.date, int, str, Any, str]] = []  # (day, order, kind, value, ref)
    tick = 0
    made = 0
    for i in range(n_reports):
        want = min(per_report, n_actions - made)
        day = first_day + dt.timedelta(days=(span * i) // n_reports)
        text = report_text(rng, i, want)
        requirements = extract_requirements(text)[:want]
        os.environ["CPFT_TRACKER_NOW"] = _now(day, 0)
        result = store.import_report(
            name=f"Inspection report {i + 1}: {SERVICES[i % len(SERVICES)]}",
            requirements=requirements,
            source_file=f"report-{i + 1:04d}.txt",
            source_sha256=f"{i:064x}",
            by="CQC import",
        )
        made += len(result.added)
        for item in result.added:
            _plan_history(rng, ops, item["ref"], day, today, owners)
        if (i + 1) % 50 == 0:
            say(f"  imported {i + 1}/{n_reports} reports")
    # Replay the history in date order, batching same-day same-value changes into one call.
    ops.sort(key=lambda o: (o[0], o[1]))
    batches: dict[tuple[dt.date, int, str, Any], list[str]] = defaultdict(list)
    for day, order, kind, value, ref in ops:
        batches[(day, order, kind, value)].append(ref)
    keys = sorted(batches, key=lambda k: (k[0], k[1], k[2], str(k[3])))
    for n, key in enumerate(keys):
        day, _order, kind, value = key
        refs = batches[key]
        tick += 1
        os.environ["CPFT_TRACKER_NOW"] = _now(day, tick % 30_000)
        for chunk in (refs[j : j + 500] for j in range(0, len(refs), 500)):
            if kind == "assign":
                store.assign(
                    chunk, value, email=emails[value], by="Governance Lead", new_owner=True
                )
            elif kind == "due":
                store.set_due(chunk, value, by="Governance Lead")
            elif kind == "status":
                store.set_status(chunk, value, by="Governance Lead")
            elif kind == "complete":
                store.set_status(chunk, "complete", evidence=value, by="Governance Lead")
            elif kind == "note":
                for ref in chunk:
                    store.add_note(ref, value, by="Governance Lead")
        if (n + 1) % 2000 == 0:
            say(f"  replayed {n + 1}/{len(keys)} batches of changes")
    if saved_now is None:
        os.environ.pop("CPFT_TRACKER_NOW", None)
    else:
        os.environ["CPFT_TRACKER_NOW"] = saved_now
    counts = store.counts()
    overdue = store.conn.execute(
        "SELECT count(*) FROM actions WHERE due < ? AND status != 'complete' AND retired IS NULL",
        [today.isoformat()],
    ).fetchone()[0]
    # the action with the longest history for `show`; open actions for the writes
    show_ref = store.conn.execute(
        "SELECT a.ref FROM events e JOIN actions a ON a.id = e.action_id"
        " GROUP BY e.action_id ORDER BY count(*) DESC, a.id LIMIT 1"
    ).fetchone()[0]
    open_refs = [
        r[0]
        for r in store.conn.execute(
            "SELECT ref FROM actions WHERE status IN ('in-progress', 'not-started') AND retired IS NULL"
            " ORDER BY id LIMIT 2"
        )
    ]
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no ANALYZE: the tool never runs it
    store.close()
    return Built(
        path=path,
        actions=counts["actions"],
        reports=counts["reports"],
        events=counts["events"],
        overdue=overdue,
        seconds=time.perf_counter() - started,
        show_ref=show_ref,
        write_ref=open_refs[0],
        note_ref=open_refs[-1],
        build_date=today.isoformat(),
    )


def _plan_history(
    rng: random.Random,
    ops: list[tuple[dt.date, int, str, Any, str]],
    ref: str,
    imported: dt.date,
    today: dt.date,
    owners: Sequence[str],
) -> None:
    """One action's life: owner and due date, status moves, notes; ~9 events after 'created'.

    Outcomes: 30% complete; ~20% of all overdue on the run date; 3% left unassigned; the
    rest open with a due date ahead.
    """
    last = today - dt.timedelta(days=1)

    def on(days: int) -> dt.date:
        return min(last, imported + dt.timedelta(days=days))

    fate = rng.random()
    assigned = on(rng.randint(1, 14))
    if fate < 0.03:  # still unassigned, no due date
        for _ in range(rng.randint(1, 3)):
            ops.append((on(rng.randint(2, 200)), 4, "note", rng.choice(NOTES), ref))
        return
    ops.append((assigned, 0, "assign", rng.choice(owners), ref))
    age = (last - assigned).days
    if fate < 0.33:  # complete
        due = assigned + dt.timedelta(days=rng.randint(30, 300))
    elif fate < 0.55:  # overdue on the run date (about a fifth of all actions)
        due = today - dt.timedelta(days=rng.randint(1, max(1, min(age, 200))))
        due = max(due, assigned + dt.timedelta(days=1))
    else:  # open, due ahead
        due = today + dt.timedelta(days=rng.randint(1, 365))
    ops.append((assigned, 1, "due", due.isoformat(), ref))
    if rng.random() < 0.3:  # the date moved once
        moved = on(rng.randint(20, 120))
        first = (due - dt.timedelta(days=rng.randint(14, 60))).isoformat()
        ops[-1] = (assigned, 1, "due", first, ref)
        ops.append((moved, 1, "due", due.isoformat(), ref))
    started = on(rng.randint(15, 90))
    if rng.random() < 0.85:
        ops.append((started, 2, "status", "in-progress", ref))
        if rng.random() < 0.12:
            ops.append((on(rng.randint(91, 150)), 2, "status", "blocked", ref))
            if rng.random() < 0.5 or fate < 0.33:
                ops.append((on(rng.randint(151, 200)), 2, "status", "in-progress", ref))
    if fate < 0.33:
        ops.append((on(rng.randint(201, 400)), 3, "complete", rng.choice(NOTES), ref))
    for _ in range(rng.randint(2, 8)):
        ops.append((on(rng.randint(15, 500)), 4, "note", rng.choice(NOTES), ref))


def cached_database(n_actions: int, *, log: Callable[[str], None], today: dt.date) -> Built:
    """The database for ``n_actions``, built once per day (overdue is relative to the run date)."""
    WORK.mkdir(parents=True, exist_ok=True)
    stem = f"plan-{n_actions}-v{BUILDER_VERSION}-{today.isoformat()}"
    path = WORK / f"{stem}.db"
    meta = WORK / f"{stem}.json"
    if path.exists() and meta.exists():
        data = json.loads(meta.read_text())
        data["path"] = Path(data["path"])
        data["seconds"] = data.get("seconds", 0.0)
        log(
            f"Using the cached {n_actions:,}-action database {path.name} (built in {data['seconds']:.0f} s)."
        )
        return Built(**data)
    for old in WORK.glob(f"plan-{n_actions}-v*.*"):
        old.unlink()
    log(f"Building the {n_actions:,}-action database through Store (cached in bench/work/) ...")
    built = build_database(path, n_actions, today=today, progress=log)
    data = {**built.__dict__, "path": str(built.path)}
    meta.write_text(json.dumps(data, indent=2))
    log(
        f"  {built.actions:,} actions, {built.reports:,} reports, {built.events:,} events, "
        f"{built.overdue:,} overdue ({100 * built.overdue / max(1, built.actions):.0f}%), {built.seconds:.0f} s"
    )
    return built


# ---------------------------------------------------------------------------
# Running a command as a whole process
# ---------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float  # wall clock
    max_rss_kb: int
    cpu: float  # user + system CPU seconds of the process: less sensitive to a busy machine
    code: int
    out_bytes: int
    err: str


def run_process(
    argv: Sequence[str], env: dict[str, str], *, tty: bool = False, cols: int = 120
) -> Sample:
    """Run argv to completion; wall time, peak RSS (this child only, via wait4) and exit code.

    ``tty``: stdout is a pseudo-terminal of ``cols`` columns (rich draws as for a person);
    else stdout is a pipe (what a script or `| less` sees).
    """
    chunks: list[int] = [0]
    err_chunks: list[bytes] = []

    def drain(fd: int, sink: Callable[[bytes], None]) -> None:
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO on a pty when the child exits
                break
            if not data:
                break
            sink(data)

    if tty:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
        stdout: Any = slave
    else:
        stdout = subprocess.PIPE
    # Peak RSS through /usr/bin/time (a small C program): the kernel hands a process the peak
    # RSS of the memory it replaced at exec, so a child forked from this (large) Python
    # process would report this process's peak, not its own.
    rss_file = None
    if TIME_BIN:
        rss_file = WORK / f".rss-{os.getpid()}"
        argv = [TIME_BIN, "-f", "%M", "-o", str(rss_file), *argv]
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE, env=env
    )
    if tty:
        os.close(slave)
        out_fd = master
    else:
        out_fd = proc.stdout.fileno()  # type: ignore[union-attr]
    t_out = threading.Thread(
        target=drain, args=(out_fd, lambda d: chunks.__setitem__(0, chunks[0] + len(d)))
    )
    t_err = threading.Thread(target=drain, args=(proc.stderr.fileno(), err_chunks.append))  # type: ignore[union-attr]
    t_out.start()
    t_err.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    t_out.join()
    t_err.join()
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if tty:
        os.close(master)
    else:
        proc.stdout.close()  # type: ignore[union-attr]
    proc.stderr.close()  # type: ignore[union-attr]
    cpu = usage.ru_utime + usage.ru_stime  # includes the command, waited for by `time`
    rss = usage.ru_maxrss
    if rss_file is not None:
        try:
            rss = int(rss_file.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            rss = 0
    return Sample(
        elapsed,
        rss,
        cpu,
        proc.returncode,
        chunks[0],
        b"".join(err_chunks).decode("utf-8", "replace"),
    )


TIME_BIN = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def cpft_argv() -> list[str]:
    """The console script a user runs (falls back to `python -m cpft_tracker`)."""
    script = Path(sys.executable).parent / "cpft-tracker"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "cpft_tracker"]


def base_env(db: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPFT_TRACKER_")}
    # PYTHONDONTWRITEBYTECODE is set in some sandboxes: without .pyc files every run recompiles
    # the package (~50 ms). pip writes them at install, so users never pay that: drop it.
    for k in (
        "COLUMNS",
        "LINES",
        "NO_COLOR",
        "FORCE_COLOR",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(k, None)
    env["CPFT_TRACKER_USER"] = "Benchmark"
    env["TERM"] = env.get("TERM") or "xterm-256color"
    if db is not None:
        env["CPFT_TRACKER_DB"] = str(db)
    return env


def command_names() -> list[str]:
    """The commands this build of cpft-tracker has, from its table (``cli.COMMANDS``), asked of
    the interpreter the console script runs (nothing of the command line is imported but the
    table). A build without the table falls back to the Commands section of ``--help``, where a
    name is the first word of a line indented by exactly two spaces (the lines of a summary
    wrapped onto the next line are indented further and are not names)."""
    env = base_env()
    interpreter = Path(sys.executable)
    script = [str(interpreter), "-c", "from cpft_tracker.cli import COMMANDS; print(*COMMANDS)"]
    asked = subprocess.run(script, capture_output=True, text=True, env=env)
    if asked.returncode == 0 and asked.stdout.split():
        return asked.stdout.split()
    out = subprocess.run([*cpft_argv(), "--help"], capture_output=True, text=True, env=env).stdout
    names: list[str] = []
    in_commands = False
    for line in out.splitlines():
        if line.strip() == "Commands:":
            in_commands = True
            continue
        if in_commands and re.match(r"  [a-z][a-z0-9-]*( |$)", line):
            names.append(line.split()[0])
    return names


def available_commands() -> dict[str, str]:
    """Command name -> its --help text, for the commands this build of cpft-tracker has."""
    env = base_env()
    helps = {}
    for name in command_names():
        helps[name] = subprocess.run(
            [*cpft_argv(), name, "--help"], capture_output=True, text=True, env=env
        ).stdout
    return helps


# ---------------------------------------------------------------------------
# Taskwarrior
# ---------------------------------------------------------------------------


def task_binary() -> str | None:
    return shutil.which("task")


def taskwarrior_version() -> str:
    tw = task_binary()
    if not tw:
        return "not installed"
    return subprocess.run([tw, "--version"], capture_output=True, text=True).stdout.strip()


TW_RC = ["rc.confirmation=no", "rc.verbose=nothing", "rc.hooks=off"]


def tw_env(home: Path) -> dict[str, str]:
    env = base_env()
    env["TASKDATA"] = str(home / "data")
    env["TASKRC"] = str(home / "taskrc")
    return env


def load_taskwarrior(built: Built, *, log: Callable[[str], None]) -> Path | None:
    """The same tasks in Taskwarrior: report prefix -> project, owner -> tag, notes -> annotations."""
    tw = task_binary()
    if not tw:
        return None
    home = WORK / f"taskwarrior-{built.actions}-{built.build_date}"
    if (home / "data" / "pending.data").exists() and (home / "loaded").exists():
        log(f"Using the cached Taskwarrior data in {home.name}.")
        return home
    shutil.rmtree(home, ignore_errors=True)
    (home / "data").mkdir(parents=True)
    (home / "taskrc").write_text("# throw-away benchmark taskrc\n")
    conn = sqlite3.connect(built.path)
    conn.row_factory = sqlite3.Row
    notes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for e in conn.execute("SELECT action_id, at, new FROM events WHERE field = 'note' ORDER BY id"):
        notes[e["action_id"]].append((e["at"], e["new"]))
    tasks = []
    for a in conn.execute(
        "SELECT a.id, a.ref, a.title, a.due, a.status, a.created_at, a.updated_at, r.prefix, o.name AS owner"
        " FROM actions a JOIN reports r ON r.id = a.report_id LEFT JOIN owners o ON o.id = a.owner_id"
        " ORDER BY a.id"
    ):
        task: dict[str, Any] = {
            "description": f"{a['ref']} {a['title']}",
            "entry": _tw_time(a["created_at"]),
            "modified": _tw_time(a["updated_at"]),
            "project": a["prefix"],
            "status": "completed" if a["status"] == "complete" else "pending",
        }
        if a["owner"]:
            task["tags"] = ["".join(ch for ch in a["owner"].title() if ch.isalnum())]
        if a["status"] in ("in-progress", "blocked"):
            task.setdefault("tags", []).append(a["status"].replace("-", ""))
        if a["due"]:
            task["due"] = a["due"].replace("-", "") + "T000000Z"
        if a["status"] == "complete":
            task["end"] = _tw_time(a["updated_at"])
        if notes.get(a["id"]):
            task["annotations"] = [
                {"entry": _tw_time(at), "description": text} for at, text in notes[a["id"]]
            ]
        tasks.append(task)
    conn.close()
    source = home / "tasks.json"
    source.write_text("\n".join(json.dumps(t) for t in tasks) + "\n")
    log(f"Loading {len(tasks):,} tasks into Taskwarrior ({taskwarrior_version()}) ...")
    started = time.perf_counter()
    proc = subprocess.run(
        [tw, *TW_RC, "import", str(source)], capture_output=True, text=True, env=tw_env(home)
    )
    if proc.returncode != 0:
        log(f"  task import failed ({proc.returncode}): {proc.stderr.strip()[:300]}")
        return None
    (home / "loaded").write_text("ok\n")
    log(f"  loaded in {time.perf_counter() - started:.0f} s")
    return home


def _tw_time(iso: str) -> str:
    """Our ISO UTC text -> Taskwarrior's 20250101T080000Z."""
    return iso[:19].replace("-", "").replace(":", "") + "Z"


# ---------------------------------------------------------------------------
# The measurements
# ---------------------------------------------------------------------------


@dataclass
class Case:
    key: str  # what the table shows
    args: list[str]  # after the console script; may contain {show}, {write}, {note}, {asof}
    needs: str | None = None  # the command (and option) that must exist, e.g. "progress --as-of"
    tty: bool = False
    columns: int | None = None  # COLUMNS env (fake terminal width on a pipe)
    write: bool = False
    alternate: list[list[str]] | None = None  # for writes: successive argument lists
    tw: list[str] | None = None  # the Taskwarrior equivalent
    tw_alternate: list[list[str]] | None = None
    tw_note: str = ""
    fresh_db: bool = False  # import: each run into a fresh copy of the db
    kind: str = "read"


def cases(big_report: Path) -> list[Case]:
    return [
        Case("--help", ["--help"], kind="start-up"),
        Case("list --overdue (pipe)", ["list", "--overdue"], tw=["+OVERDUE", "list"]),
        Case(
            "list --overdue (pipe, COLUMNS=160)",
            ["list", "--overdue"],
            columns=160,
            tw=["rc.defaultwidth=160", "+OVERDUE", "list"],
        ),
        Case(
            "list --overdue (terminal 120 cols)",
            ["list", "--overdue"],
            tty=True,
            tw=["+OVERDUE", "list"],
        ),
        Case(
            "list --overdue --format json",
            ["list", "--overdue", "--format", "json"],
            tw=["+OVERDUE", "export"],
        ),
        Case(
            "list --overdue --limit 50",
            ["list", "--overdue", "--limit", "50"],
            needs="list --limit",
            tw=["+OVERDUE", "limit:50", "list"],
        ),
        Case("show REF", ["show", "{show}"], tw=["{tw_show}", "info"], tw_note="task N info"),
        Case("progress", ["progress"], needs="progress", tw=["summary"]),
        Case(
            "progress --as-of",
            ["progress", "--as-of", "{asof}"],
            needs="progress --as-of",
            tw=["summary"],
            tw_note="no as-of in Taskwarrior: vs summary",
        ),
        Case("export --format json", ["export", "--format", "json"], needs="export", tw=["export"]),
        Case("export --format csv", ["export", "--format", "csv"], needs="export", tw=["export"]),
        Case(
            "export --format markdown", ["export", "--format", "markdown"], needs="export --format"
        ),
        Case("export --format html", ["export", "--format", "html"], needs="export --format"),
        Case("export --format xlsx", ["export", "--format", "xlsx"], needs="export --format"),
        Case(
            "remind --format json",
            ["remind", "--format", "json"],
            needs="remind --format",
            tw=["status:pending", "(", "+OVERDUE", "or", "due.before:now+7d", ")", "export"],
            tw_note="overdue or due in 7 days, export",
        ),
        Case(
            "status REF blocked/in-progress (write)",
            [],
            alternate=[["status", "{write}", "blocked"], ["status", "{write}", "in-progress"]],
            write=True,
            kind="write",
            tw=[],
            tw_alternate=[
                ["{tw_write}", "modify", "priority:H"],
                ["{tw_write}", "modify", "priority:L"],
            ],
        ),
        Case(
            "note REF TEXT (write)",
            ["note", "{note}", "Benchmark note: spot check on the ward"],
            write=True,
            kind="write",
            tw=["{tw_note}", "annotate", "Benchmark note: spot check on the ward"],
            tw_note="task N annotate",
        ),
        Case(
            f"import 1 MB report ({big_report.stat().st_size / 1e6:.1f} MB)",
            ["import", str(big_report), "--report", "Benchmark large report", "--force"],
            write=True,
            fresh_db=True,
            kind="import",
        ),
    ]


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


@dataclass
class Result:
    case: Case
    size: int
    ours: list[Sample] = field(default_factory=list)
    theirs: list[Sample] = field(default_factory=list)
    skipped: str = ""
    error: str = ""

    def t(self) -> float:
        return median([s.seconds for s in self.ours])

    def tw_t(self) -> float:
        return median([s.seconds for s in self.theirs])

    def cpu(self) -> float:
        return median([s.cpu for s in self.ours])

    def tw_cpu(self) -> float:
        return median([s.cpu for s in self.theirs])

    def rss_mb(self) -> float:
        return max((s.max_rss_kb for s in self.ours), default=0) / 1024


def fill(args: Sequence[str], values: dict[str, str]) -> list[str]:
    return [a.format(**values) if "{" in a else a for a in args]


def measure(
    built: Built,
    case_list: list[Case],
    helps: dict[str, str],
    *,
    runs: int,
    tw_home: Path | None,
    log: Callable[[str], None],
) -> list[Result]:
    """Each case: a warm-up, then ``runs`` runs, ours and Taskwarrior's interleaved."""
    run_db = WORK / f"run-{built.actions}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(run_db) + suffix).unlink(missing_ok=True)
    shutil.copyfile(built.path, run_db)  # writes change this copy, never the cache
    values = {
        "show": built.show_ref,
        "write": built.write_ref,
        "note": built.note_ref,
        "asof": (
            dt.date.fromisoformat(built.build_date) - dt.timedelta(days=AS_OF_DAYS_AGO)
        ).isoformat(),
        "tw_show": "1",
        "tw_write": "2",
        "tw_note": "3",
    }
    tw = task_binary()
    results = []
    for case in case_list:
        res = Result(case, built.actions)
        results.append(res)
        if case.needs:
            name, _, option = case.needs.partition(" ")
            if name not in helps:
                res.skipped = f"`{name}` does not exist yet in this build"
                log(f"  {case.key}: skipped ({res.skipped})")
                continue
            if option and option not in helps[name]:
                res.skipped = f"`{name}` has no `{option}` yet in this build"
                log(f"  {case.key}: skipped ({res.skipped})")
                continue
        env = base_env(run_db)
        if case.columns:
            env["COLUMNS"] = str(case.columns)
        arg_lists = case.alternate or [case.args]
        tw_lists = case.tw_alternate or ([case.tw] if case.tw else [])
        with_tw = bool(tw and tw_home and tw_lists)
        for i in range(runs + 1):  # run 0 is the warm-up
            args = fill(arg_lists[i % len(arg_lists)], values)
            if case.fresh_db:
                fresh = WORK / f"import-{built.actions}.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(str(fresh) + suffix).unlink(missing_ok=True)
                shutil.copyfile(built.path, fresh)
                env = base_env(fresh)
            sample = run_process([*cpft_argv(), *args], env, tty=case.tty)
            if sample.code != 0:
                res.error = f"exit {sample.code}: {sample.err.strip()[:300]}"
                log(f"  {case.key}: FAILED {res.error}")
                break
            if i > 0:
                res.ours.append(sample)
            if with_tw:
                targs = fill(tw_lists[i % len(tw_lists)], values)
                tenv = tw_env(tw_home)  # type: ignore[arg-type]
                tsample = run_process([tw, *TW_RC, *targs], tenv, tty=case.tty)  # type: ignore[list-item]
                if i > 0:
                    res.theirs.append(tsample)
        if res.ours:
            line = f"  {case.key}: {res.t() * 1000:.0f} ms median (CPU {res.cpu() * 1000:.0f} ms), {res.rss_mb():.0f} MB"
            if res.theirs:
                line += (
                    f"; Taskwarrior {res.tw_t() * 1000:.0f} ms (CPU {res.tw_cpu() * 1000:.0f} ms);"
                    f" ratio {res.t() / res.tw_t():.2f}"
                )
            log(line)
    return results


# ---------------------------------------------------------------------------
# Targets and the report
# ---------------------------------------------------------------------------


def target(res: Result, by_key: dict[tuple[str, int], Result]) -> str:
    """Which target of issue 7 applies to this row, and whether it is met (at 10,000 actions)."""
    if not res.ours:
        return "-"
    t = res.t()
    checks = []
    if res.size >= 10_000 and res.rss_mb() >= 100:
        checks.append(f"no: {res.rss_mb():.0f} MB >= 100 MB")
    key = res.case.key
    if key == "--help":
        checks.insert(0, "yes (< 150 ms)" if t < 0.150 else "no (>= 150 ms)")
    elif key.startswith("import"):
        checks.insert(0, "yes (< 2 s)" if t < 2.0 else "no (>= 2 s)")
    elif key == "progress --as-of" and res.size >= 100_000:
        checks.insert(0, "yes (< 0.5 s)" if t < 0.5 else "no (>= 0.5 s)")
    elif "terminal" in key:
        checks.insert(0, "yes (< 0.5 s)" if t < 0.5 else "no (>= 0.5 s)")
        if res.theirs:
            checks.append(
                "and <= Taskwarrior" if t <= res.tw_t() else "but slower than Taskwarrior"
            )
    elif res.case.kind == "write" and res.theirs:
        checks.insert(0, "yes (< 2x)" if t < 2 * res.tw_t() else "no (>= 2x Taskwarrior)")
    elif res.case.kind == "read" and res.theirs:
        checks.insert(
            0, "yes (<= Taskwarrior)" if t <= res.tw_t() else "no (slower than Taskwarrior)"
        )
    return "; ".join(checks) if checks else "-"


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    from importlib.metadata import PackageNotFoundError, version

    for pkg in ("cpft-tracker", "typer", "click", "rich", "sqlite-utils", "python-dateutil"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = "-"
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(),
        "packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "taskwarrior": taskwarrior_version(),
    }


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"


def fmt_ms(x: float) -> str:
    return "-" if x != x else (f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s")


def write_report(
    path: Path,
    *,
    results: list[Result],
    built: dict[int, Built],
    main_size: int,
    runs: int,
    load_before: str,
    load_after: str,
    command: str,
    started: str,
    elapsed: float,
) -> None:
    info = machine_info()
    by_key = {(r.case.key, r.size): r for r in results}
    lines = [
        "# Benchmark results (issue 7)",
        "",
        "Generated by `bench/run.py`; see `bench/README.md` for what is measured and how.",
        "",
        f"- Run: {started}, {elapsed / 60:.1f} min; `{command}`",
        f"- Machine: {info['nproc']} cores, {info['cpu']}; {info['os']}",
        f"- Python {info['python']}, SQLite {info['sqlite']}; {info['packages']}",
        f"- Taskwarrior: {info['taskwarrior']}",
        f"- Load before: `{load_before}`",
        f"- Load after: `{load_after}`",
        "- Timed: the console script `.venv/bin/cpft-tracker` as a whole process (start-up included), "
        f"1 warm-up + {runs} runs each, ours and Taskwarrior's interleaved; median and [min-max]. "
        "CPU: user+system seconds of the process (`os.wait4`), steadier than wall time on a busy machine. "
        "Peak RSS: `/usr/bin/time -f %M` around the process, worst run.",
        "",
    ]
    for size in sorted(built):
        b = built[size]
        lines.append(
            f"- Database {size:,}: {b.actions:,} actions in {b.reports:,} reports, {b.events:,} audit events, "
            f"{b.overdue:,} overdue ({100 * b.overdue / max(1, b.actions):.0f}%); built through Store in {b.seconds:.0f} s"
        )
    lines += [
        "",
        f"## At {main_size:,} actions, against Taskwarrior",
        "",
        "| command | median | spread [min-max] | CPU | peak RSS | Taskwarrior equivalent | TW median | TW CPU | ratio (wall) | ratio (CPU) | target met? |",
        "|---|---:|---|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if r.size != main_size:
            continue
        tw_cmd = " ".join(r.case.tw_alternate[0] if r.case.tw_alternate else (r.case.tw or []))
        tw_cmd = (
            tw_cmd.replace("{tw_show}", "1").replace("{tw_write}", "2").replace("{tw_note}", "3")
        )
        tw_cmd = f"`task {tw_cmd}`" if r.case.tw is not None else "-"
        if r.case.tw_note:
            tw_cmd += f" ({r.case.tw_note})"
        if r.skipped or r.error:
            lines.append(f"| `{r.case.key}` | {r.skipped or r.error} | | | | {tw_cmd} | | | | | |")
            continue
        s = [x.seconds for x in r.ours]
        tw_med = fmt_ms(r.tw_t()) if r.theirs else "-"
        tw_cpu = fmt_ms(r.tw_cpu()) if r.theirs else "-"
        ratio = f"{r.t() / r.tw_t():.2f}" if r.theirs else "-"
        ratio_cpu = f"{r.cpu() / max(r.tw_cpu(), 0.001):.2f}" if r.theirs else "-"
        lines.append(
            f"| `{r.case.key}` | {fmt_ms(r.t())} | {fmt_ms(min(s))}-{fmt_ms(max(s))} | {fmt_ms(r.cpu())}"
            f" | {r.rss_mb():.0f} MB | {tw_cmd} | {tw_med} | {tw_cpu} | {ratio} | {ratio_cpu} | {target(r, by_key)} |"
        )
    sizes = sorted(built)
    if len(sizes) > 1:
        lines += [
            "",
            "## Growth with the number of actions (median)",
            "",
            "| command | "
            + " | ".join(f"{s:,}" for s in sizes)
            + " | growth ×actions 10 (last step) |",
            "|---|" + "---:|" * len(sizes) + "---|",
        ]
        keys = []
        for r in results:
            if r.case.key not in keys:
                keys.append(r.case.key)
        for key in keys:
            cells = []
            for s in sizes:
                r = by_key.get((key, s))
                cells.append(
                    fmt_ms(r.t())
                    if r and r.ours
                    else (r.skipped and "skipped" if r else "-") or "-"
                )
            last = [by_key.get((key, s)) for s in sizes[-2:]]
            growth = "-"
            if all(x and x.ours for x in last):
                growth = f"×{last[1].t() / last[0].t():.1f}"  # type: ignore[union-attr]
            lines.append(f"| `{key}` | " + " | ".join(cells) + f" | {growth} |")
        lines += [
            "",
            "Growth: a command that does work per action grows up to ×10 when actions grow ×10 "
            "(linear); the fixed start-up (~0.1 s) makes small commands grow less.",
        ]
        lines += [
            "",
            "Peak RSS by size:",
            "",
            "| command | " + " | ".join(f"{s:,}" for s in sizes) + " |",
            "|---|" + "---:|" * len(sizes),
        ]
        for key in keys:
            cells = []
            for s in sizes:
                r = by_key.get((key, s))
                cells.append(f"{r.rss_mb():.0f} MB" if r and r.ours else "-")
            lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    skipped = sorted({f"`{r.case.key}`: {r.skipped}" for r in results if r.skipped})
    if skipped:
        lines += ["", "Skipped (picked up automatically once the command exists):", ""]
        lines += [f"- {s}" for s in skipped]
    notes_file = HERE / "NOTES.md"
    if notes_file.exists():
        lines += ["", notes_file.read_text().rstrip()]
    path.write_text("\n".join(lines) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--quick", action="store_true", help="smoke run: 300 actions, 3 runs")
    p.add_argument(
        "--sizes", type=int, nargs="+", help="numbers of actions (default 1000 10000 100000)"
    )
    p.add_argument(
        "--runs",
        type=int,
        help="timed runs per command after the warm-up (default 7; 3 at >= 100,000)",
    )
    p.add_argument(
        "--main-size", type=int, help="the size compared with Taskwarrior (default 10000)"
    )
    p.add_argument("--only", nargs="+", help="only cases whose name starts with one of these")
    p.add_argument("--no-taskwarrior", action="store_true", help="do not run Taskwarrior")
    p.add_argument("--output", type=Path, help="where to write the Markdown results")
    p.add_argument(
        "--build-only", action="store_true", help="build (and cache) the databases, time nothing"
    )
    a = p.parse_args(argv)
    sizes = a.sizes or ([300] if a.quick else [1_000, 10_000, 100_000])
    main_size = a.main_size or (10_000 if 10_000 in sizes else sizes[len(sizes) // 2])
    output = a.output or (WORK / "RESULTS-quick.md" if a.quick else HERE / "RESULTS.md")

    def log(text: str) -> None:
        print(text, flush=True)

    started_at = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    t0 = time.perf_counter()
    load_before = uptime()
    log(f"Load: {load_before}")
    today = dt.date.today()
    WORK.mkdir(parents=True, exist_ok=True)
    big = WORK / "large-report-1mb.txt"
    if not big.exists():
        big.write_text(big_report_text(), encoding="utf-8")
    helps = available_commands()
    log(f"cpft-tracker commands: {', '.join(helps)}")
    if not task_binary():
        log(
            "Taskwarrior is not installed (apt-get install taskwarrior): timing cpft-tracker alone."
        )
    results: list[Result] = []
    built: dict[int, Built] = {}
    for size in sizes:
        b = cached_database(size, log=log, today=today)
        built[size] = b
        if a.build_only:
            continue
        tw_home = None
        if size == main_size and not a.no_taskwarrior:
            tw_home = load_taskwarrior(b, log=log)
        runs = a.runs or (3 if a.quick or size >= 100_000 else 7)
        case_list = cases(big)
        if a.only:
            case_list = [c for c in case_list if any(c.key.startswith(o) for o in a.only)]
        log(f"Timing at {size:,} actions ({runs} runs each after a warm-up):")
        results += measure(b, case_list, helps, runs=runs, tw_home=tw_home, log=log)
    if a.build_only:
        return 0
    load_after = uptime()
    log(f"Load: {load_after}")
    command = (
        ".venv/bin/python bench/run.py"
        + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    )
    write_report(
        output,
        results=results,
        built=built,
        main_size=main_size,
        runs=a.runs or (3 if a.quick else 7),
        load_before=load_before,
        load_after=load_after,
        command=command.strip(),
        started=started_at,
        elapsed=time.perf_counter() - t0,
    )
    (WORK / "results.json").write_text(
        json.dumps(
            [
                {
                    "case": r.case.key,
                    "size": r.size,
                    "ours": [s.seconds for s in r.ours],
                    "ours_cpu": [s.cpu for s in r.ours],
                    "taskwarrior_cpu": [s.cpu for s in r.theirs],
                    "ours_rss_kb": [s.max_rss_kb for s in r.ours],
                    "taskwarrior": [s.seconds for s in r.theirs],
                    "skipped": r.skipped,
                    "error": r.error,
                }
                for r in results
            ],
            indent=1,
        )
    )
    log(f"Wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
