"""Time a few commands on both backends: the same plan in SQLite and (copied) in PostgreSQL.

    .venv/bin/python bench/bench_postgresql.py [N_ACTIONS ...]     (default 10000)

Builds (or reuses) bench/run.py's plan of N actions, starts a private PostgreSQL server
(tests/pg_server.py), copies the plan there with ``copy --to`` (timed), then runs each command
3 times as a whole process on each backend and writes the medians to bench/RESULTS-postgresql.md.
The PostgreSQL server is local, with fsync off (a test server): a networked server adds
round trips, so read these as the tool's own cost, not a production server's.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import run as bench  # noqa: E402

from tests import pg_server  # noqa: E402

COMMANDS = [
    ("list (table)", ["list"]),
    ("export json", ["export", "--format", "json"]),
    ("export json --as-of", ["export", "--format", "json", "--as-of", "{asof}"]),
    ("progress", ["progress"]),
    ("show", ["show", "{show}"]),
    ("note (a write)", ["note", "{note}", "bench note"]),
    ("check", ["check"]),
]


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.strip()[-300:]}")
    return took


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    today = dt.date.today()
    server = pg_server.start()
    lines = [
        "# SQLite and PostgreSQL, the same plan (bench/bench_postgresql.py)",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on a 2-core machine shared with other work;",
        "median of 3 whole-process runs, seconds. PostgreSQL 15 local (TCP to 127.0.0.1, fsync off).",
        "",
    ]
    try:
        for n in sizes:
            built = bench.cached_database(n, log=print, today=today)
            url = server.new_database("bench")
            env = bench.base_env(built.path)
            start = time.perf_counter()
            timed([*bench.cpft_argv(), "--db", str(built.path), "copy", "--to", url], env)
            copy_s = time.perf_counter() - start
            lines += [
                f"## {built.actions:,} actions, {built.events:,} audit events",
                "",
                f"`copy --to postgresql://…` (SQLite -> PostgreSQL, whole history): {copy_s:.1f} s",
                "",
                "| command | SQLite | PostgreSQL |",
                "|---|---|---|",
            ]
            values = {
                "asof": (today - dt.timedelta(days=30)).isoformat(),
                "show": built.show_ref,
                "note": built.note_ref,
            }
            for _label, args in COMMANDS:
                argv = [a.format(**values) for a in args]
                row = []
                for db in (str(built.path), url):
                    runs = [timed([*bench.cpft_argv(), "--db", db, *argv], env) for _ in range(3)]
                    row.append(statistics.median(runs))
                lines.append(f"| `{' '.join(args)}` | {row[0]:.2f} | {row[1]:.2f} |")
                print(lines[-1], flush=True)
            lines.append("")
    finally:
        server.stop()
    (HERE / "RESULTS-postgresql.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
