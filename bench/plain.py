"""The yardstick for reads: a plain stdlib script (sqlite3 + json) running the same query.

    python bench/plain.py DB overdue-json   # = `cpft-tracker list --overdue --format json`
    python bench/plain.py DB export-json    # = `cpft-tracker export --format json`
    python bench/plain.py DB progress       # the grouped count `progress` runs, printed as JSON

No cpft_tracker import, no typer, no rich: start Python, open the file, run one SELECT, write
JSON. The two JSON modes print the same bytes as the command (the documented export document,
schema_version 1, with export's four story fields from the same two event queries) apart from ``generated_at``, which is the clock; the BRAG rating is worked out
in SQL so the script does no more per row than the tool must. ``progress`` prints only the raw
groups (the floor for the counting, not the same bytes). The difference between a command's CPU
and this script's is what the tool's start-up and layers cost (bench/NOTES.md, issue 10).
Compare CPU with any whole-process timer, e.g. ``/usr/bin/time -f %U+%S`` (A and B in turn, several pairs).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys

COLUMNS = {
    "ref": "a.ref",
    "report": "r.name",
    "requirement": "a.requirement",
    "title": "a.title",
    "context": "a.context",
    "section": "a.section",
    "keyword": "a.keyword",
    "quality_statement": "a.quality_statement",
    "owner": "o.name",
    "owner_email": "o.email",
    "due": "a.due",
    "status": "a.status",
    "rag": (
        "CASE WHEN a.retired IS NOT NULL THEN NULL WHEN a.status = 'complete' THEN 'blue'"
        " WHEN a.status = 'blocked' THEN 'red' WHEN a.due < :today THEN 'red'"
        " WHEN o.name IS NULL OR a.due IS NULL THEN 'amber' WHEN a.due <= :window THEN 'amber'"
        " ELSE 'green' END"
    ),
    "evidence": "a.evidence",
    "retired": "a.retired",
    "in_source": "a.in_source",
    "created_at": "a.created_at",
    "updated_at": "a.updated_at",
    "matched": "a.matched",
    "rule": "a.rule",
    "confidence": "a.confidence",
    "review": "coalesce(a.review, 'accepted')",
    "review_reason": "a.review_reason",
    "possible_duplicates": "a.possible_duplicates",
    "version": "(SELECT max(ev.id) FROM events ev WHERE ev.action_id = a.id)",
}
FROM = "actions a JOIN reports r ON r.id = a.report_id LEFT JOIN owners o ON o.id = a.owner_id"
OVERDUE = " WHERE a.due < :today AND a.status != 'complete' AND a.retired IS NULL"
# export's story (board.STORY_FIELDS): per action the latest note/status event, the latest
# "blocked" and the latest that carries a note -- the picks store/reads.py LatestUpdates makes
PICKS = (
    "SELECT action_id, max(id), max(CASE WHEN field = 'status' AND new = 'blocked' THEN id END),"
    " max(CASE WHEN field = 'note' OR note IS NOT NULL THEN id END) FROM events"
    " WHERE action_id IS NOT NULL AND field IN ('note', 'status') GROUP BY action_id"
)
EVENTS = (
    "SELECT id, field, new, note, by, at, occurred_on FROM events"
    " WHERE id IN (SELECT value FROM json_each(?))"
)


def story_of(conn: sqlite3.Connection) -> dict[int, tuple]:
    """{action id: (its latest event, its latest 'blocked' event, its latest noted event)}."""
    picks = conn.execute(PICKS).fetchall()
    ids = sorted({i for row in picks for i in row[1:] if i is not None})
    events = {row[0]: row for row in conn.execute(EVENTS, [json.dumps(ids)])}
    return {row[0]: tuple(events.get(i) for i in row[1:]) for row in picks}


def story_fields(record: dict, picked: tuple | None) -> dict:
    """latest_update, latest_update_on, latest_update_by, blocked_reason (board.story_fields)."""
    latest, blocked, noted = picked or (None, None, None)
    update = on = by = None
    if latest is not None:
        _, field, new, note, by, at, occurred_on = latest
        if field == "note":
            update = new or ""
        else:
            update = f"Status changed to {new}: {note}" if note else f"Status changed to {new}."
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
        on = occurred_on or moment.astimezone().date().isoformat()
    reason = None
    if record["status"] == "blocked" and not record["retired"]:
        if blocked is not None and blocked[3]:
            reason = blocked[3]
        elif noted is not None:
            reason = (noted[2] if noted[1] == "note" else noted[3] or "") or None
        else:
            reason = "no reason recorded"
    return {
        "latest_update": update,
        "latest_update_on": on,
        "latest_update_by": by,
        "blocked_reason": reason,
    }


def main(db: str, what: str) -> None:
    today = dt.date.today()
    params = {"today": today.isoformat(), "window": (today + dt.timedelta(days=14)).isoformat()}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = sys.stdout
    if what == "progress":
        rows = conn.execute(
            "SELECT quality_statement, status, owner_id, retired IS NOT NULL, count(*),"
            " count(CASE WHEN due < :today THEN 1 END) FROM actions"
            " GROUP BY quality_statement, status, owner_id, retired",
            params,
        ).fetchall()
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if what not in ("overdue-json", "export-json"):
        raise SystemExit(f"unknown mode {what!r}: overdue-json, export-json or progress")
    where = OVERDUE if what == "overdue-json" else ""
    select = ", ".join(COLUMNS.values())
    story = story_of(conn) if what == "export-json" else None  # export adds each one's story
    cur = conn.execute(
        f"SELECT a.id, {select} FROM {FROM}{where} ORDER BY a.report_id, a.position, a.id",  # noqa: S608
        params,
    )
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    head = {"schema_version": 1, "generated_at": now, "as_of": params["today"]}
    out.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "actions": [')
    sep = "\n    "
    names = list(COLUMNS)
    for action_id, *row in cur:
        record = dict(zip(names, row, strict=True))
        record["in_source"] = bool(record["in_source"])
        dups = record["possible_duplicates"]
        record["possible_duplicates"] = json.loads(dups) if dups else []
        if story is not None:
            record.update(story_fields(record, story.get(action_id)))
        out.write(sep + json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    "))
        sep = ",\n    "
    out.write("\n  ]\n}\n" if sep != "\n    " else "]\n}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
