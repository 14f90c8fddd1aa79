"""The yardstick for ``cpft-tracker list --overdue --format json``: a plain stdlib script.

It runs the same query on the same database and prints the same bytes (the documented
export document; only ``generated_at`` differs, by the clock), with nothing but sqlite3
and json: no typer, no click, no rich, no package import. The difference between the two
commands' CPU is what the tool's start-up and layers cost. Usage:

    python bench/plain_list_overdue.py DATABASE
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys

FIELDS = (
    "ref",
    "report",
    "requirement",
    "title",
    "context",
    "section",
    "keyword",
    "quality_statement",
    "owner",
    "owner_email",
    "due",
    "status",
    "rag",
    "evidence",
    "retired",
    "in_source",
    "created_at",
    "updated_at",
)
SQL = {
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
    "rag": "'red'",  # every overdue action is Red (models.rag)
    "evidence": "a.evidence",
    "retired": "a.retired",
    "in_source": "a.in_source",
    "created_at": "a.created_at",
    "updated_at": "a.updated_at",
}


def main(path: str) -> None:
    today = dt.date.today().isoformat()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    select = ", ".join(SQL[name] for name in FIELDS)
    rows = conn.execute(
        f"SELECT {select} FROM actions a JOIN reports r ON r.id = a.report_id "  # noqa: S608
        "LEFT JOIN owners o ON o.id = a.owner_id "
        "WHERE a.due < ? AND a.status != 'complete' AND a.retired IS NULL "
        "ORDER BY a.report_id, a.position, a.id",
        (today,),
    )
    actions = []
    for row in rows:
        record = dict(zip(FIELDS, row, strict=True))
        record["in_source"] = bool(record["in_source"])
        actions.append(record)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    doc = {"schema_version": 1, "generated_at": now, "as_of": today, "actions": actions}
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
