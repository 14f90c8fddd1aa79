"""Progress figures for the board: pure functions of action rows (no database, no terminal).

How actions count:

- **retired** actions are no longer tracked: they are left out of every total, percentage,
  BRAG count and table, and reported on their own as ``retired``;
- ``total``: tracked actions; ``complete``: those with status complete (blue);
- ``percent_complete``: complete / total x 100, one decimal place (0.0 when there are none);
- ``overdue``: past the due date and not complete;
- ``unassigned``: tracked actions with no owner;
- ``due_next_30_days``: not complete and due between today and today + 30 days, both included.

``--since`` compares the plan at the end of the since-date with the plan at the end of
the as-of date (both rebuilt the same way as ``--as-of``), so "since 1 March" means
"changes after the end of 1 March".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from cpft_tracker.models import RAGS, STATUSES, is_overdue, rag_of
from cpft_tracker.quality_statements import NAMES

PROGRESS_SCHEMA_VERSION = 1
DUE_SOON_DAYS = 30
GROUPINGS: tuple[str, ...] = ("quality-statement", "owner", "status")
# The action fields the figures are counted from (``summarise``), and those ``changes_since``
# also shows: ``progress`` reads only these (``Store.actions(columns=...)``, issue 7).
SUMMARY_FIELDS: tuple[str, ...] = ("status", "due", "owner", "retired", "quality_statement")
CHANGES_FIELDS: tuple[str, ...] = (*SUMMARY_FIELDS, "ref", "title")


def percent(part: int, whole: int) -> float:
    """part / whole as a percentage to one decimal place; 0.0 when whole is 0."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def tracked(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The actions still tracked (not retired)."""
    return [r for r in rows if not r.get("retired")]


def _empty_rag() -> dict[str, int]:
    return {name: 0 for name in RAGS}


# (rating, overdue) of one action, computed once per action by ``_rate``.
Rated = tuple[str | None, bool]


def _rate(rows: Sequence[Mapping[str, Any]], today: dt.date, window: int) -> list[Rated]:
    """Each row's BRAG rating and overdue flag, in row order, by the rules in ``models``.

    Speed (issue 7): both depend only on (retired, status, due, has an owner), and a plan has
    a few hundred distinct combinations for thousands of actions, so ``rag_of`` and
    ``is_overdue`` (which parse the due date) run once per combination, not per action and
    per table.
    """
    seen: dict[tuple[Any, ...], Rated] = {}
    out: list[Rated] = []
    for r in rows:
        key = (not r.get("retired"), r["status"], r.get("due"), not r.get("owner"))
        rated = seen.get(key)
        if rated is None:
            rated = seen[key] = (rag_of(r, today, window), is_overdue(r, today))
        out.append(rated)
    return out


def _group(
    rows: Sequence[Mapping[str, Any]],
    key: Callable[[Mapping[str, Any]], Any],
    rated: Sequence[Rated],
) -> dict[Any, dict[str, Any]]:
    """Totals, complete, overdue and BRAG counts per ``key(row)``; ``rated`` from ``_rate``."""
    groups: dict[Any, dict[str, Any]] = {}
    for r, (rating, overdue) in zip(rows, rated, strict=True):
        name = key(r)
        g = groups.get(name)
        if g is None:
            g = groups[name] = {
                "name": name,
                "total": 0,
                "complete": 0,
                "percent_complete": 0.0,
                "overdue": 0,
                "rag": _empty_rag(),
            }
        g["total"] += 1
        g["complete"] += r["status"] == "complete"
        g["overdue"] += overdue
        if rating:
            g["rag"][rating] += 1
    for g in groups.values():
        g["percent_complete"] = percent(g["complete"], g["total"])
    return groups


def by_quality_statement(
    rows: Sequence[Mapping[str, Any]],
    today: dt.date,
    window: int,
    rated: Sequence[Rated] | None = None,
) -> list[dict[str, Any]]:
    """One entry per quality statement that has actions, in CQC order; none-classified last (name null)."""
    if rated is None:
        rated = _rate(rows, today, window)
    groups = _group(rows, lambda r: r.get("quality_statement"), rated)
    order = {name: i for i, name in enumerate(NAMES)}
    return sorted(
        groups.values(),
        key=lambda g: (g["name"] is None, order.get(g["name"], len(order)), g["name"] or ""),
    )


def by_owner(
    rows: Sequence[Mapping[str, Any]],
    today: dt.date,
    window: int,
    rated: Sequence[Rated] | None = None,
) -> list[dict[str, Any]]:
    """One entry per owner, by name (case ignored); unassigned actions last (name null)."""
    if rated is None:
        rated = _rate(rows, today, window)
    groups = _group(rows, lambda r: r.get("owner"), rated)
    return sorted(groups.values(), key=lambda g: (g["name"] is None, (g["name"] or "").casefold()))


def by_status(
    rows: Sequence[Mapping[str, Any]],
    today: dt.date,
    window: int,
    rated: Sequence[Rated] | None = None,
) -> list[dict[str, Any]]:
    """One entry per status, every status listed (zero counts included), in workflow order."""
    if rated is None:
        rated = _rate(rows, today, window)
    groups = _group(rows, lambda r: r["status"], rated)
    out = []
    for status in STATUSES:
        out.append(
            groups.get(status)
            or {
                "name": status,
                "total": 0,
                "complete": 0,
                "percent_complete": 0.0,
                "overdue": 0,
                "rag": _empty_rag(),
            }
        )
    return out


def summarise(
    rows: Iterable[Mapping[str, Any]],
    *,
    today: dt.date,
    window: int,
    generated_at: str | None = None,
) -> dict[str, Any]:
    """The progress figures (the documented ``progress --format json`` object, without ``since``).

    Each action is rated (BRAG, overdue) once, and every total and table is counted from that.
    """
    all_rows = list(rows)
    live = tracked(all_rows)
    rated = _rate(live, today, window)
    total = len(live)
    complete = 0
    overdue = 0
    unassigned = 0
    due_soon = 0
    rag_counts = _empty_rag()
    today_iso = today.isoformat()
    soon_iso = (today + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    for r, (rating, late) in zip(live, rated, strict=True):
        done = r["status"] == "complete"
        complete += done
        overdue += late
        if rating:
            rag_counts[rating] += 1
        if not r.get("owner"):
            unassigned += 1
        due = r.get("due")
        if not done and due and today_iso <= due <= soon_iso:
            due_soon += 1
    return {
        "schema_version": PROGRESS_SCHEMA_VERSION,
        "generated_at": generated_at,
        "as_of": today_iso,
        "window_days": window,
        "total": total,
        "complete": complete,
        "percent_complete": percent(complete, total),
        "rag": rag_counts,
        "overdue": overdue,
        "unassigned": unassigned,
        "due_next_30_days": due_soon,
        "retired": len(all_rows) - total,
        "by_quality_statement": by_quality_statement(live, today, window, rated),
        "by_owner": by_owner(live, today, window, rated),
        "by_status": by_status(live, today, window, rated),
    }


def _brief(r: Mapping[str, Any]) -> dict[str, Any]:
    return {"ref": r["ref"], "title": r["title"], "owner": r.get("owner")}


def changes_since(
    before: Iterable[Mapping[str, Any]],
    after: Iterable[Mapping[str, Any]],
    notes: Iterable[Mapping[str, Any]],
    *,
    since: dt.date,
    today: dt.date,
) -> dict[str, Any]:
    """What moved between the plan at the end of ``since`` and the plan at the end of ``today``.

    ``before``/``after`` are the two rebuilt plans; ``notes`` the note events in between
    (dicts with ref, at, by, field, new, note). Lists, each in plan order:
    ``added`` (actions that did not exist yet), ``completed``, ``newly_overdue`` (overdue on
    ``today`` but not on ``since``), ``new_owners`` (owner set or changed; old may be null),
    ``due_changes`` (due date set, moved or cleared), ``notes`` (progress notes and notes
    given with a status change, oldest first).
    """
    then = {r["ref"]: r for r in before}
    out: dict[str, Any] = {
        "since": since.isoformat(),
        "added": [],
        "completed": [],
        "newly_overdue": [],
        "new_owners": [],
        "due_changes": [],
        "notes": [],
    }
    for r in after:
        old = then.get(r["ref"])
        if old is None:
            out["added"].append(_brief(r))
        if r.get("retired"):
            continue
        if r["status"] == "complete" and (old is None or old["status"] != "complete"):
            out["completed"].append(_brief(r))
        if is_overdue(r, today) and (
            old is None or old.get("retired") or not is_overdue(old, since)
        ):
            out["newly_overdue"].append({**_brief(r), "due": r["due"]})
        if old is not None and r.get("owner") != old.get("owner") and r.get("owner"):
            out["new_owners"].append(
                {"ref": r["ref"], "title": r["title"], "old": old.get("owner"), "new": r["owner"]}
            )
        if old is not None and r.get("due") != old.get("due"):
            out["due_changes"].append(
                {"ref": r["ref"], "title": r["title"], "old": old.get("due"), "new": r.get("due")}
            )
    for e in notes:
        text = e["new"] if e["field"] == "note" else e.get("note")
        if text:
            out["notes"].append({"ref": e["ref"], "at": e["at"], "by": e["by"], "text": text})
    return out
