"""The JSON and CSV exports' fields made by SQLite in the plan's query (issue 10, speed).

``export --format json|csv`` of the plan now spent most of its time in Python building one
dict per action, then its record, then writing each value (``render.export_records``,
``render._record_json``, ``render.actions_csv_lines``). Here each field of a record is an
SQL expression over the plan's query (``views.ACTION_FROM``) plus the action's latest note
or status change (``le``), the same definitions as ``render.export_record``,
``board.story_fields`` and ``Store.latest_updates`` (cut-off: none):

- JSON: each value as ``json.dumps(ensure_ascii=False)`` writes it (``json_quote`` escapes
  exactly as the json module's C string encoder: ``\\"``, ``\\\\``, ``\\b \\f \\n \\r \\t``,
  other characters below U+0020 as ``\\u00xx``; nothing else);
- CSV: each field's text ('' for none; ``true``/``false``, the version, the refs joined by
  "; "), which ``render`` makes cells (visible text, formulas neutralised, quoted) as it
  does for every export.

``latest_update_on`` is left to the caller (the local day of a UTC timestamp is Python's
``astimezone``): each row gives the update's ``occurred_on`` and ``at``.

What SQLite could not reproduce byte for byte is left to Python: a row whose stored list of
possible duplicates is not plainly as the tool writes it, or whose ``in_source`` is not an
integer, comes with ``ok`` = 0 (``ROW_OK``) and is written from its dict; a plan with a due
date that is not a plain ISO date (BRAG compares them as text here) is exported the Python
way (``PlanViews.export_rows``), as it is on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

# The action's latest update: its newest note or status change (Store.latest_updates' "latest").
LATEST_JOIN = (
    " LEFT JOIN events le ON le.id = (SELECT max(e.id) FROM events e"
    " WHERE e.action_id = a.id AND e.field IN ('note', 'status'))"
)

_DUPES = "a.possible_duplicates"
# A stored list of possible duplicates as the tool writes it (json.dumps of a list of refs):
# '["ACT-04", "ACT-12"]'. Written here only when it is plainly that: printable ASCII, no
# backslash or NUL, and no quote but those around each ref; then the refs are the text between
# '", "'. Any other text (other spacing, escapes, not a list) is left to Python.
_DUPES_INNER = f"substr({_DUPES}, 3, length({_DUPES}) - 4)"
_DUPES_PLAIN = (  # (GLOB and length stop at a NUL; instr does not)
    f"(instr({_DUPES}, char(0)) = 0 AND {_DUPES} GLOB '[[]\"*\"[]]' AND NOT {_DUPES} GLOB '*[^ -~]*'"
    f" AND instr({_DUPES}, '\\') = 0"
    f" AND instr(replace({_DUPES_INNER}, '\", \"', ''), '\"') = 0)"
)
_NO_DUPES = f"({_DUPES} IS NULL OR {_DUPES} = '' OR {_DUPES} = '[]')"
# 1 for a row the SQL below writes as render.py does; 0: the caller writes it the Python way.
ROW_OK = f"(typeof(a.in_source) = 'integer' AND ({_NO_DUPES} OR {_DUPES_PLAIN}))"

_NOT_RETIRED = "(a.retired IS NULL OR a.retired = '')"
# models.rag: retired -> none; complete blue; blocked red; past due red; no owner or due
# date amber; due within the window amber; else green. Parameters: today, amber_until.
_RAG = (
    f"CASE WHEN NOT {_NOT_RETIRED} THEN NULL WHEN a.status = 'complete' THEN 'blue'"
    " WHEN a.status = 'blocked' THEN 'red'"
    " WHEN a.due IS NOT NULL AND a.due != '' AND a.due < :today THEN 'red'"
    " WHEN o.name IS NULL OR o.name = '' OR a.due IS NULL OR a.due = '' THEN 'amber'"
    " WHEN a.due <= :amber_until THEN 'amber' ELSE 'green' END"
)
# board.update_text of the latest event (f"{None}" is "None", as Python writes it).
_LATEST_TEXT = (
    "CASE WHEN le.id IS NULL THEN NULL WHEN le.field = 'note' THEN coalesce(le.new, '')"
    " WHEN le.note IS NOT NULL AND le.note != ''"
    " THEN 'Status changed to ' || coalesce(le.new, 'None') || ': ' || le.note"
    " ELSE 'Status changed to ' || coalesce(le.new, 'None') || '.' END"
)
# board.blocked_reason (or None): the note given when it was blocked, else its newest note
# (a progress note, or a note given with a status change), else "no reason recorded".
_BLOCKED_REASON = (
    f"CASE WHEN a.status = 'blocked' AND {_NOT_RETIRED} THEN nullif(coalesce("  # noqa: S608
    "(SELECT nullif(b.note, '') FROM events b WHERE b.id = (SELECT max(e.id) FROM events e"
    " WHERE e.action_id = a.id AND e.field = 'status' AND e.new = 'blocked')),"
    " (SELECT CASE WHEN n.field = 'note' THEN coalesce(n.new, 'None') ELSE coalesce(n.note, '')"
    " END FROM events n WHERE n.id = (SELECT max(e.id) FROM events e WHERE e.action_id = a.id"
    " AND (e.field = 'note' OR (e.field = 'status' AND e.note IS NOT NULL)))),"
    " 'no reason recorded'), '') END"
)
_REVIEW = "CASE WHEN a.review IS NULL OR a.review = '' THEN 'accepted' ELSE a.review END"
_VERSION = "(SELECT max(ev.id) FROM events ev WHERE ev.action_id = a.id)"

_JSON_PLAIN = {
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
    "rag": _RAG,
    "evidence": "a.evidence",
    "retired": "a.retired",
    "created_at": "a.created_at",
    "updated_at": "a.updated_at",
    "matched": "a.matched",
    "rule": "a.rule",
    "confidence": "a.confidence",
    "review": _REVIEW,
    "review_reason": "a.review_reason",
    "latest_update": _LATEST_TEXT,
    "latest_update_by": "le.by",
    "blocked_reason": _BLOCKED_REASON,
}


def _json_value(name: str) -> str | None:
    """SQL giving field ``name``'s JSON text (``render._record_json``'s), or None if unknown."""
    if name in _JSON_PLAIN:
        return f"json_quote({_JSON_PLAIN[name]})"
    if name == "in_source":
        return "CASE WHEN a.in_source THEN 'true' ELSE 'false' END"
    if name == "version":
        return f"coalesce({_VERSION}, 'null')"
    if name == "possible_duplicates":  # render._str_list_json at the record's indent
        item = "char(10) || '        '"
        return (
            f"CASE WHEN {_NO_DUPES} THEN '[]' ELSE '[' || {item} || '\"' || replace("
            f"{_DUPES_INNER}, '\", \"', '\",' || {item} || '\"') || '\"' || char(10) || '      ]' END"
        )
    return None


def _csv_raw(name: str) -> str | None:
    """SQL giving field ``name``'s text before it is made a cell, or None if unknown."""
    if name in _JSON_PLAIN:
        return _JSON_PLAIN[name]
    if name == "in_source":
        return "CASE WHEN a.in_source THEN 'true' ELSE 'false' END"
    if name == "version":
        return f"CAST({_VERSION} AS TEXT)"
    if name == "possible_duplicates":  # "; ".join(refs)
        return f"CASE WHEN {_NO_DUPES} THEN NULL ELSE replace({_DUPES_INNER}, '\", \"', '; ') END"
    return None


def _printf(fmt: str, values: Sequence[str]) -> str:
    """printf(fmt, values...): ``fmt`` holds one %s per value and any other % doubled."""
    if not values:
        return "'" + fmt.replace("%%", "%").replace("'", "''") + "'"
    return "printf('" + fmt.replace("'", "''") + "', " + ", ".join(values) + ")"


def record_sql(fields: Sequence[str], keys: Sequence[str]) -> tuple[str, str] | None:
    """JSON: the two SQL text expressions around ``latest_update_on``'s value: the record
    (``{``, each ``keys[i]`` (its ``"key": ``) then its value, ``,`` and the record's indent
    between) up to where that value goes, and from after it to the end. None when a field
    has no SQL here or ``latest_update_on`` is not among them."""
    if "latest_update_on" not in fields:
        return None
    at = fields.index("latest_update_on")
    exprs = [_json_value(f) for f in fields if f != "latest_update_on"]
    values = [e for e in exprs if e is not None]
    if len(values) != len(exprs):
        return None
    sep = ",\n      "
    pieces = [k.replace("%", "%%") + "%s" for k in keys]
    before = "{\n      " + sep.join(pieces[:at]) + sep + pieces[at][: -len("%s")]
    after = "".join(sep + p for p in pieces[at + 1 :]) + "\n    }"
    return _printf(before, values[:at]), _printf(after, values[at:])


def csv_sql(fields: Sequence[str]) -> list[str] | None:
    """CSV: each field's text ('' for none) but ``latest_update_on``'s, in order; the caller
    makes the cells (``render``: visible text, formulas neutralised, quoted). None as
    ``record_sql``."""
    if "latest_update_on" not in fields:
        return None
    raws = [_csv_raw(f) for f in fields if f != "latest_update_on"]
    cells = [f"coalesce({r}, '')" for r in raws if r is not None]
    return cells if len(cells) == len(raws) else None
