"""A bigger plan made by copying a built one's rows in SQL (for the 1,000,000-action bench).

    .venv/bin/python bench/replicate.py bench/work/plan-100000-v3-DATE.db bench/work/plan-1000000-sql.db --times 10

Building 1,000,000 actions through the tool's own code (``bench/run.py``'s builder: ~9.8 million
audited changes, one transaction each batch) would take hours on this machine, so this copies
the reports, actions and audit events of a plan built through the tool ``--times`` times over,
each copy with its own report names, prefixes, refs and ids (report ``ACT`` becomes ``C2ACT`` in
copy 2, ``ACT-01`` becomes ``C2ACT-01``). Owners and settings are shared. The copies' events
keep the hashes of the events they copy, so the copies' audit chain does NOT verify
(``cpft-tracker check`` says so); every other command reads the plan as usual. Not a test and not
the tool's code path: a way to see how reads grow to a national scale. Only the benchmark uses it.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import time
from pathlib import Path


def replicate(src: Path, dst: Path, times: int) -> dict[str, int]:
    """Copy ``src`` to ``dst`` and append ``times - 1`` copies of its reports/actions/events."""
    if dst.exists():
        dst.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    check = sqlite3.connect(src)
    check.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    check.close()
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    r_max = conn.execute("SELECT max(id) FROM reports").fetchone()[0]
    a_max = conn.execute("SELECT max(id) FROM actions").fetchone()[0]
    e_max = conn.execute("SELECT max(id) FROM events").fetchone()[0]
    cols = {
        t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
        for t in ("reports", "actions", "events")
    }
    has_periods = bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'field_periods'"
        ).fetchone()
    )
    for k in range(2, times + 1):
        conn.execute("BEGIN")
        r_off, a_off, e_off = (k - 1) * r_max, (k - 1) * a_max, (k - 1) * e_max
        tag = f"'C{k}'"
        rep = {c: c for c in cols["reports"]} | {
            "id": f"id + {r_off}",
            "name": f"name || ' (copy {k})'",
            "prefix": f"{tag} || prefix",
        }
        conn.execute(
            f"INSERT INTO reports ({', '.join(cols['reports'])}) "  # noqa: S608 - bench only
            f"SELECT {', '.join(rep[c] for c in cols['reports'])} FROM reports WHERE id <= {r_max}"
        )
        act = {c: c for c in cols["actions"]} | {
            "id": f"id + {a_off}",
            "ref": f"{tag} || ref",
            "report_id": f"report_id + {r_off}",
            "merged_into": f"CASE WHEN merged_into IS NULL THEN NULL ELSE {tag} || merged_into END",
        }
        conn.execute(
            f"INSERT INTO actions ({', '.join(cols['actions'])}) "  # noqa: S608
            f"SELECT {', '.join(act[c] for c in cols['actions'])} FROM actions WHERE id <= {a_max}"
        )
        ev = {c: c for c in cols["events"]} | {
            "id": f"id + {e_off}",
            "action_id": f"CASE WHEN action_id IS NULL THEN NULL ELSE action_id + {a_off} END",
            "report_id": f"CASE WHEN report_id IS NULL THEN NULL ELSE report_id + {r_off} END",
        }
        conn.execute(
            f"INSERT INTO events ({', '.join(cols['events'])}) "  # noqa: S608
            f"SELECT {', '.join(ev[c] for c in cols['events'])} FROM events WHERE id <= {e_max}"
        )
        if has_periods:  # m012's derived table: the copies' periods, with their action ids
            conn.execute(
                "INSERT INTO field_periods (action_id, field, old, from_key, until_key)"  # noqa: S608
                f" SELECT action_id + {a_off}, field, old, from_key, until_key FROM field_periods"
                f" WHERE action_id <= {a_max}"
            )
        conn.execute("COMMIT")
        print(f"  copy {k}/{times} done", flush=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in ("reports", "actions", "events")
    }
    conn.close()
    return counts


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("src", type=Path)
    p.add_argument("dst", type=Path)
    p.add_argument("--times", type=int, default=10)
    a = p.parse_args()
    started = time.perf_counter()
    counts = replicate(a.src, a.dst, a.times)
    print(f"{counts} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
