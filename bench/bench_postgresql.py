"""Time the main commands on both backends: the same plan in SQLite and (copied) in PostgreSQL.

    .venv/bin/python bench/bench_postgresql.py [--runs 3] [N_ACTIONS ...]     (default 10000 100000)

For each size: builds (or reuses) bench/run.py's plan of N actions (built through the tool,
cached in bench/work/), works on a copy of it (the writes never touch the cache), starts a
private PostgreSQL 15 server (tests/pg_server.py: a non-root user, fsync off, a test server),
copies the plan there with ``copy --to`` (timed), runs ``VACUUM ANALYZE`` (what autovacuum
does within a minute of a big load), then runs each command as a whole process, one warm-up
and ``--runs`` timed runs on each backend, interleaved. It reports the medians of wall and CPU
time (user + system) of the client, the client's peak memory (``/usr/bin/time -f %M``), and the
PostgreSQL server's CPU for the command: the CPU of the server processes that served it (each
connection's backend process is a child of the postmaster; when it exits its CPU is added to
the postmaster's ``cutime``/``cstime`` in /proc, read before and after). Statements that took
over 200 ms on the server are logged (``log_min_duration_statement``) and the slowest are
listed. The machine's load average is recorded before and after. Results go to
bench/RESULTS-postgresql.md (``--output`` to write elsewhere); what follows ANALYSIS_MARKER
there (the reading of the figures, by hand) is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import run as bench  # noqa: E402

from tests import pg_server  # noqa: E402

COMMANDS = [
    ("list", ["list"]),
    ("list --overdue --format json", ["list", "--overdue", "--format", "json"]),
    ("export --format json", ["export", "--format", "json"]),
    ("export --format csv", ["export", "--format", "csv"]),
    ("export --format html (board page)", ["export", "--format", "html"]),
    ("remind --format json", ["remind", "--format", "json"]),
    ("export --format json --as-of", ["export", "--format", "json", "--as-of", "{asof}"]),
    ("progress", ["progress"]),
    ("progress --as-of", ["progress", "--as-of", "{asof}"]),
    ("show REF", ["show", "{show}"]),
    ("history REF", ["history", "{show}"]),
    ("note REF (a write)", ["note", "{note}", "bench note"]),
    ("status REF (a write)", ["status", "{note}", "{status}"]),
    ("check", ["check"]),
]
SLOW_MS = 200
# Everything from this line on in the results file is written by a person, and kept on a re-run.
ANALYSIS_MARKER = "<!-- reading of the figures: kept when the bench is re-run -->"


@dataclass
class Timing:
    wall: float
    cpu: float
    rss_mb: float
    server_cpu: float | None


def server_cpu_s(server: pg_server.PgServer) -> float:
    """CPU seconds of the server's postmaster and its exited children (backends, autovacuum)."""
    pid = int((server.data / "postmaster.pid").read_text().split()[0])
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # after the ')': state is field 3, utime 14, stime 15, cutime 16, cstime 17 (man 5 proc)
    ticks = sum(int(fields[i - 3]) for i in (14, 15, 16, 17))
    return ticks / os.sysconf("SC_CLK_TCK")


def run_once(argv: list[str], env: dict[str, str], server: pg_server.PgServer | None) -> Timing:
    before = server_cpu_s(server) if server else 0.0
    sample = bench.run_process(argv, env)
    if sample.code != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({sample.code}): {sample.err.strip()[-400:]}")
    after = server_cpu_s(server) if server else 0.0
    return Timing(
        sample.seconds, sample.cpu, sample.max_rss_kb / 1024, (after - before) if server else None
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def slow_statements(log: Path, since: int) -> list[tuple[float, str]]:
    """(ms, statement) for each statement the server logged as slow after byte ``since``."""
    text = log.read_bytes()[since:].decode("utf-8", "replace")
    found = []
    for m in re.finditer(
        r"duration: ([\d.]+) ms\s+(?:statement|execute [^:]*): (.*?)(?=\n\S|\Z)", text, re.S
    ):
        found.append((float(m.group(1)), " ".join(m.group(2).split())))
    return found


def working_copy(built: bench.Built) -> Path:
    """A copy of the cached plan to time against (writes must not change the cache)."""
    dst = bench.WORK / f"pg-bench-{built.actions}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(built.path)
    out = sqlite3.connect(dst)
    src.backup(out)
    out.close()
    src.close()
    return dst


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--output", type=Path, default=HERE / "RESULTS-postgresql.md")
    p.add_argument(
        "--only",
        nargs="+",
        metavar="LABEL",
        help="time only the commands whose label starts with one of these (e.g. list export)",
    )
    args = p.parse_args()
    commands = [
        (label, cmd)
        for label, cmd in COMMANDS
        if not args.only or any(label.startswith(prefix) for prefix in args.only)
    ]
    today = dt.date.today()
    server = pg_server.start()
    server.sql(f"ALTER SYSTEM SET log_min_duration_statement = {SLOW_MS}")
    server.sql("SELECT pg_reload_conf()")
    version = subprocess_out([str(server.bin / "postgres"), "--version"])
    lines = [
        "# SQLite and PostgreSQL, the same plan (bench/bench_postgresql.py)",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on a {os.cpu_count()}-core machine shared "
        "with other work. Each command is a whole process (startup included), one warm-up then "
        f"{args.runs} runs per backend, interleaved; medians. {version.strip()}, local (TCP to "
        "127.0.0.1), fsync off (a test server: a networked server adds a round trip per query).",
        "",
        "Columns: wall and CPU (user + system) seconds of the client process; the client's peak "
        "memory (MB); the PostgreSQL server's CPU seconds for the command (its backend process).",
        "",
    ]
    try:
        for n in args.sizes:
            built = bench.cached_database(n, log=print, today=today)
            db = working_copy(built)
            url = server.new_database("bench")
            env = bench.base_env(db)
            made = (built.extra or {}).get("replicated")
            lines += [
                f"## {built.actions:,} actions, {built.events:,} audit events",
                "",
                *(
                    [
                        f"The plan is a copy made in SQL ({made}): its audit chain does not verify.",
                        "",
                    ]
                    if made
                    else []
                ),
                f"Load average (1 / 5 / 15 min) before: {load()}.",
                "",
            ]
            copied = run_once(
                [*bench.cpft_argv(), "--db", str(db), "copy", "--to", url], env, server
            )
            start = time.perf_counter()
            server.sql("VACUUM ANALYZE", url.rsplit("/", 1)[1])
            vacuum_s = time.perf_counter() - start
            lines += [
                f"`copy --to postgresql://…` (SQLite -> PostgreSQL, whole history): {copied.wall:.1f} s "
                f"wall, {copied.cpu:.1f} s client CPU, {copied.rss_mb:.0f} MB client peak, "
                f"{copied.server_cpu:.1f} s server CPU; then `VACUUM ANALYZE` {vacuum_s:.1f} s.",
                "",
                "| command | SQLite wall | PG wall | SQLite CPU | PG client CPU | PG server CPU "
                "| SQLite MB | PG MB |",
                "|---|---|---|---|---|---|---|---|",
            ]
            log_from = (server.data.parent / "log").stat().st_size
            for label, cmd in commands:
                results: dict[str, list[Timing]] = {"sqlite": [], "pg": []}
                for i in range(args.runs + 1):
                    for kind, target in (("sqlite", str(db)), ("pg", url)):
                        values = {
                            "asof": (today - dt.timedelta(days=30)).isoformat(),
                            "show": built.show_ref,
                            "note": built.note_ref,
                            "status": ("blocked", "in-progress")[i % 2],  # every run writes
                        }
                        argv = [
                            *bench.cpft_argv(),
                            "--db",
                            target,
                            *(a.format(**values) for a in cmd),
                        ]
                        t = run_once(argv, env, server if kind == "pg" else None)
                        if i:  # the first is the warm-up
                            results[kind].append(t)
                s, g = results["sqlite"], results["pg"]
                row = (
                    f"| `{label}` | {median([t.wall for t in s]):.2f} | {median([t.wall for t in g]):.2f} "
                    f"| {median([t.cpu for t in s]):.2f} | {median([t.cpu for t in g]):.2f} "
                    f"| {median([t.server_cpu or 0.0 for t in g]):.2f} "
                    f"| {max(t.rss_mb for t in s):.0f} | {max(t.rss_mb for t in g):.0f} |"
                )
                lines.append(row)
                print(row, flush=True)
            slow = slow_statements(server.data.parent / "log", log_from)
            lines += ["", f"Load average after: {load()}.", ""]
            if slow:
                worst: dict[str, float] = {}
                for ms, statement in slow:
                    worst[statement] = max(ms, worst.get(statement, 0.0))
                lines += [
                    f"Statements over {SLOW_MS} ms on the server (the slowest run of each, first 160 characters):",
                    "",
                    "| ms | statement |",
                    "|---|---|",
                ]
                for statement, ms in sorted(worst.items(), key=lambda kv: -kv[1])[:10]:
                    shown = statement[:160].replace("|", "\\|")
                    lines.append(f"| {ms:.0f} | `{shown}` |")
                lines.append("")
    finally:
        server.stop()
    text = "\n".join(lines) + "\n"
    if args.output.exists():  # the written reading of the figures is kept below the marker
        kept = args.output.read_text(encoding="utf-8")
        if ANALYSIS_MARKER in kept:
            text += "\n" + kept[kept.index(ANALYSIS_MARKER) :]
    args.output.write_text(text, encoding="utf-8")
    print(text)


def subprocess_out(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=False).stdout


if __name__ == "__main__":
    main()
