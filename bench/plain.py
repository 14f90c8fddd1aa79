"""The yardstick for reads: a plain stdlib script (sqlite3 + json) running the same query.

    python bench/plain.py DB overdue-json   # what `list --overdue --format json` reads and prints
    python bench/plain.py DB export-json    # what `export --format json` reads and prints
    python bench/plain.py DB progress       # the grouped count `progress` runs, printed as JSON

No cpft_tracker import, no typer, no rich: start Python, open the file, run one SELECT,
write JSON. The BRAG rating is worked out in SQL here, so the script does no more per row
than the tool must. It prints a document of the same shape and about the same size as the
command (not byte for byte: no generated_at clock, no days-overdue arithmetic in Python).
Compare CPU time with `/usr/bin/time -v` (or any whole-process timer) on both.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys

FIELDS = (
    "a.ref, r.name, a.requirement, a.title, a.context, a.section, a.keyword,"
    " a.quality_statement, o.name, o.email, a.due, a.status, a.evidence, a.retired,"
    " a.in_source, a.created_at, a.updated_at"
)
NAMES = (
    "ref report requirement title context section keyword quality_statement owner owner_email"
    " due status evidence retired in_source created_at updated_at rag"
).split()
RAG = (
    "CASE WHEN a.retired IS NOT NULL THEN NULL WHEN a.status = 'complete' THEN 'blue'"
    " WHEN a.status = 'blocked' THEN 'red' WHEN a.due < :today THEN 'red'"
    " WHEN o.name IS NULL OR a.due IS NULL THEN 'amber' WHEN a.due <= :window THEN 'amber'"
    " ELSE 'green' END"
)
FROM = "actions a JOIN reports r ON r.id = a.report_id LEFT JOIN owners o ON o.id = a.owner_id"


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
    where = (
        " WHERE a.due < :today AND a.status != 'complete' AND a.retired IS NULL"
        if what == "overdue-json"
        else ""
    )
    cur = conn.execute(
        f"SELECT {FIELDS}, {RAG} FROM {FROM}{where} ORDER BY a.report_id, a.position, a.id",  # noqa: S608
        params,
    )
    out.write('{\n  "schema_version": 1,\n  "actions": [')
    sep = "\n    "
    for row in cur:
        record = dict(zip(NAMES, row, strict=True))
        record["in_source"] = bool(record["in_source"])
        out.write(sep + json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    "))
        sep = ",\n    "
    out.write("\n  ]\n}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
