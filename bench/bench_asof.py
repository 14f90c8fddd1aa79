"""Time ``--as-of`` at scale: 10,000 actions and 100,000 events (issue 4 asks for < 0.5 s).

    .venv/bin/python bench/bench_asof.py [DB]

Builds the database once (direct inserts, about 10 s), then times actions_as_of at an
early, middle and recent date, and plan_actions with and without filters.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

from cpft_tracker.asof import actions_as_of, plan_actions
from cpft_tracker.store import Filters, Store

N_ACTIONS = 10_000
N_EVENTS = 100_000
START = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)


def stamp(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build(path: Path) -> Store:
    store = Store.open(path, create=True)
    if store.counts()["actions"]:
        return store
    rnd = random.Random(4)
    conn = store.conn
    with store.write():
        conn.execute(
            "INSERT INTO reports (id, name, prefix, source_file, source_sha256, imported_at, updated_at)"
            " VALUES (1, 'Bench', 'BE', 'bench.txt', 'x', ?, ?)",
            [stamp(START), stamp(START)],
        )
        owners = [f"Owner {i}" for i in range(200)]
        for i, name in enumerate(owners, start=1):
            conn.execute(
                "INSERT INTO owners (id, name, email, created_at) VALUES (?, ?, ?, ?)",
                [i, name, f"owner{i}@nhs.net", stamp(START)],
            )
        per_action = N_EVENTS // N_ACTIONS
        events = []
        for a in range(1, N_ACTIONS + 1):
            t = START + dt.timedelta(minutes=a)
            conn.execute(
                "INSERT INTO actions (id, ref, report_id, fingerprint, requirement, title, context, position,"
                " keyword, status, created_at, updated_at) VALUES (?, ?, 1, ?, 'r', 't', 'c', ?, 'must',"
                " 'not-started', ?, ?)",
                [a, f"BE-{a:05d}", f"fp{a}", a, stamp(t), stamp(t)],
            )
            events.append((a, stamp(t), "created", None, f"BE-{a:05d}"))
            owner, due, status = None, None, "not-started"
            for _ in range(per_action - 1):
                t += dt.timedelta(hours=rnd.randint(1, 400))
                kind = rnd.choice(["owner", "due", "status", "note"])
                if kind == "owner":
                    new = rnd.choice(owners)
                    events.append((a, stamp(t), "owner", owner, new))
                    owner = new
                elif kind == "due":
                    new = (dt.date(2025, 3, 1) + dt.timedelta(days=rnd.randint(0, 700))).isoformat()
                    events.append((a, stamp(t), "due", due, new))
                    due = new
                elif kind == "status":
                    new = rnd.choice(["in-progress", "blocked", "not-started"])
                    events.append((a, stamp(t), "status", status, new))
                    status = new
                else:
                    events.append((a, stamp(t), "note", None, "progress"))
            owner_id = owners.index(owner) + 1 if owner else None
            conn.execute(
                "UPDATE actions SET owner_id = ?, due = ?, status = ? WHERE id = ?",
                [owner_id, due, status, a],
            )
        events.sort(key=lambda e: e[1])
        conn.executemany(
            "INSERT INTO events (action_id, at, by, field, old, new) VALUES (?, ?, 'bench', ?, ?, ?)",
            events,
        )
    return store


def timed(label: str, fn: object) -> None:
    best = min(_once(fn) for _ in range(3))
    print(f"{label:<48} {best * 1000:7.1f} ms")


def _once(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cpft-bench-asof.db")
    store = build(path)
    print(store.counts())
    for day in (dt.date(2025, 1, 5), dt.date(2025, 9, 1), dt.date(2026, 6, 1), dt.date(2030, 1, 1)):
        rows = actions_as_of(store, day)
        timed(f"actions_as_of {day} ({len(rows)} actions)", lambda d=day: actions_as_of(store, d))
    timed("store.actions() (SQL, no filter)", store.actions)
    timed("store.actions(owner=...) (SQL filter)", lambda: store.actions(Filters(owner="Owner 7")))
    timed(
        "plan_actions(owner=...) (Python filter)",
        lambda: plan_actions(store, Filters(owner="Owner 7")),
    )
    timed(
        "plan_actions(owner=..., as_of=2025-09-01)",
        lambda: plan_actions(store, Filters(owner="Owner 7"), dt.date(2025, 9, 1)),
    )


if __name__ == "__main__":
    main()
