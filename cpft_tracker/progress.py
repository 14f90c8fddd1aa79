"""Progress figures for the board: pure functions of counted actions (no database, no terminal).

The store counts the actions in SQL (``Store.progress_counts``, via ``summarise`` of a plan
view) into a few hundred groups; ``count_rows`` counts rows the same way in Python (the
reference, and for rows from anywhere else); ``figures`` makes the documented figures.

How actions count:

- **retired** actions are no longer tracked: they are left out of every total, percentage,
  BRAG count and table, and reported on their own as ``retired``;
- ``total``: tracked actions; ``complete``: those with status complete (blue);
- ``percent_complete``: complete / total x 100, one decimal place (0.0 when there are none);
- ``overdue``: past the due date and not complete;
- ``unassigned``: tracked actions with no owner;
- ``due_within_window``: not complete and due between today and today + the look-ahead
  window (``window_days``: the ``window`` setting, else 14, or ``--window``), both included:
  the same window that makes an action amber and that ``remind`` looks ahead by;
- ``due_next_30_days`` (deprecated, kept for old scripts): the same over a fixed 30 days.

``--since`` compares the plan at the end of the since-date with the plan at the end of
the as-of date (both rebuilt the same way as ``--as-of``), so "since 1 March" means
"changes after the end of 1 March".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from cpft_tracker.models import RAGS, STATUSES, is_overdue, rag_of
from cpft_tracker.quality_statements import NAMES

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

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


def _empty_rag() -> dict[str, int]:
    return {name: 0 for name in RAGS}


# Counted actions, the figures' raw material: one per (quality_statement, owner, status,
# retired) with (total, blue, green, amber, red, overdue, unassigned, due_soon, due_in_window)
# counts (due_soon: within the deprecated fixed 30 days; due_in_window: within the window).
# A plan of any size has a few hundred: every figure and table is a sum over these.
if TYPE_CHECKING:
    CountRow = tuple[Any, ...]


def count_rows(rows: Iterable[Mapping[str, Any]], today: dt.date, window: int) -> list[CountRow]:
    """Action rows counted in Python by the rules in ``models`` (``rag_of``, ``is_overdue``).

    The reference the SQL counting (``counted_in_sql``) is tested against. Each rule runs
    once per distinct (retired, status, due, has an owner), not once per action.
    """
    today_iso = today.isoformat()
    soon_iso = (today + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    window_iso = (today + dt.timedelta(days=window)).isoformat()
    rated: dict[tuple[Any, ...], tuple[str | None, bool]] = {}
    counts: dict[tuple[Any, ...], list[int]] = {}
    slot = {name: i for i, name in enumerate(RAGS, start=1)}
    for r in rows:
        retired = r.get("retired")
        status, due, owner = r["status"], r.get("due"), r.get("owner")
        rate_key = (not retired, status, due, not owner)
        rating = rated.get(rate_key)
        if rating is None:
            rating = rated[rate_key] = (rag_of(r, today, window), is_overdue(r, today))
        c = counts.get(key := (r.get("quality_statement"), owner, status, retired or None))
        if c is None:
            c = counts[key] = [0] * 9
        c[0] += 1
        if rating[0]:
            c[slot[rating[0]]] += 1
        c[5] += rating[1]
        c[6] += not owner
        if status != "complete" and due and not retired:
            c[7] += today_iso <= due <= soon_iso
            c[8] += today_iso <= due <= window_iso
    return [(*key, *c) for key, c in counts.items()]


def counted_in_sql(sql_rows: Iterable[tuple[Any, ...]]) -> list[CountRow]:
    """``Store.progress_counts`` rows made into counted actions, by the rules of ``models.rag``.

    Each SQL row: (statement, owner, status, retired, total, no due date, past due, due
    within the warning window, due within 30 days). Not retired: complete is blue;
    blocked is red; otherwise past due is red, and of the rest, with no owner all are
    amber, with an owner those with no due date or due within the window are amber, the
    others green. Overdue: past due and not complete; due soon: within 30 days (deprecated),
    and due in the window, both not complete.
    """
    out: list[CountRow] = []
    for qs, owner, status, retired, n, no_due, past, in_window, in_30 in sql_rows:
        blue = green = amber = red = 0
        if retired:
            pass
        elif status == "complete":
            blue = n
        elif status == "blocked":
            red = n
        else:
            red = past
            amber = n - past if not owner else no_due + in_window
            green = n - red - amber
        live = status != "complete" and not retired
        out.append(
            (
                qs,
                owner,
                status,
                retired or None,
                n,
                blue,
                green,
                amber,
                red,
                past if live else 0,
                n if not owner and not retired else 0,
                in_30 if live else 0,
                in_window if live else 0,
            )
        )
    return out


def _group_entry(name: Any) -> dict[str, Any]:
    return {
        "name": name,
        "total": 0,
        "complete": 0,
        "percent_complete": 0.0,
        "overdue": 0,
        "rag": _empty_rag(),
    }


def _add(groups: dict[Any, dict[str, Any]], name: Any, row: CountRow) -> None:
    _, _, status, _, n, blue, green, amber, red, overdue, _, _, _ = row
    g = groups.get(name)
    if g is None:
        g = groups[name] = _group_entry(name)
    g["total"] += n
    g["complete"] += n if status == "complete" else 0
    g["overdue"] += overdue
    for name_, k in zip(RAGS, (blue, green, amber, red), strict=True):
        g["rag"][name_] += k


def _finish(groups: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    for g in groups.values():
        g["percent_complete"] = percent(g["complete"], g["total"])
    return list(groups.values())


def figures(
    counts: Iterable[CountRow], *, today: dt.date, window: int, generated_at: str | None = None
) -> dict[str, Any]:
    """The progress figures from counted actions (``count_rows`` or ``Store.progress_counts``).

    Tables: by quality statement in CQC order (none-classified last, name null); by owner,
    by name with case ignored (unassigned last, name null); by status, every status in
    workflow order (zero counts included).
    """
    total = complete = overdue = unassigned = due_soon = in_window = retired = 0
    rag_counts = _empty_rag()
    by_qs: dict[Any, dict[str, Any]] = {}
    by_owner: dict[Any, dict[str, Any]] = {}
    by_status: dict[Any, dict[str, Any]] = {s: _group_entry(s) for s in STATUSES}
    for row in counts:
        qs, owner, status, is_retired, n, blue, green, amber, red, late, no_owner, soon, near = row
        if is_retired:
            retired += n
            continue
        total += n
        complete += n if status == "complete" else 0
        overdue += late
        unassigned += no_owner
        due_soon += soon
        in_window += near
        for name, k in zip(RAGS, (blue, green, amber, red), strict=True):
            rag_counts[name] += k
        _add(by_qs, qs, row)
        _add(by_owner, owner, row)
        _add(by_status, status, row)
    order = {name: i for i, name in enumerate(NAMES)}
    return {
        "schema_version": PROGRESS_SCHEMA_VERSION,
        "generated_at": generated_at,
        "as_of": today.isoformat(),
        "window_days": window,
        "total": total,
        "complete": complete,
        "percent_complete": percent(complete, total),
        "rag": rag_counts,
        "overdue": overdue,
        "unassigned": unassigned,
        "due_within_window": in_window,
        "due_next_30_days": due_soon,
        "retired": retired,
        "by_quality_statement": sorted(
            _finish(by_qs),
            key=lambda g: (g["name"] is None, order.get(g["name"], len(order)), g["name"] or ""),
        ),
        "by_owner": sorted(
            _finish(by_owner),
            key=lambda g: (g["name"] is None, (g["name"] or "").casefold(), g["name"] or ""),
        ),
        "by_status": [g for g in _finish(by_status) if g["name"] in STATUSES],
    }


def summarise(
    rows: Iterable[Mapping[str, Any]],
    *,
    today: dt.date,
    window: int,
    generated_at: str | None = None,
) -> dict[str, Any]:
    """The progress figures (the documented ``progress --format json`` object, without ``since``).

    ``rows`` from ``asof.plan_actions`` (a ``PlanRows``) are counted in SQL, without
    reading each action into Python; any other rows are counted here (``count_rows``).
    The figures are the same either way (``tests/test_progress.py``).
    """
    counter = getattr(rows, "figure_counts", None)
    in_sql = counter(today, window, DUE_SOON_DAYS) if counter is not None else None
    if in_sql is not None:
        counts = counted_in_sql(in_sql)
    else:
        counts = count_rows(rows, today, window)
    return figures(counts, today=today, window=window, generated_at=generated_at)


def _brief(r: Mapping[str, Any]) -> dict[str, Any]:
    return {"ref": r["ref"], "title": r["title"], "owner": r.get("owner")}


# A retirement that records a merge ("merged into CPFT-03", as ``merge`` and the ``retire``
# hint word it): the other action it went into.
# (matched with re.match, compiled at its first use: ~0.15 ms that progress need not pay)
_MERGED_INTO = r"^\s*merged\s+(?:in)?to\s+(.+?)[.\s]*$"


def merged_into(reason: str | None) -> str | None:
    """'merged into CPFT-03' -> 'CPFT-03'; None for any other reason for retiring."""
    found = re.match(_MERGED_INTO, reason or "", re.IGNORECASE)
    return found.group(1) if found else None


def changes_since(
    before: Iterable[Mapping[str, Any]],
    after: Iterable[Mapping[str, Any]],
    notes: Iterable[Mapping[str, Any]],
    *,
    since: dt.date,
    today: dt.date,
    untracked_before: Iterable[Mapping[str, Any]] = (),
    untracked_after: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """What moved between the plan at the end of ``since`` and the plan at the end of ``today``.

    ``before``/``after`` are the two rebuilt plans; ``notes`` the note and status events in
    between (dicts with ref, at, by, field, new, note). Lists, each in plan order:
    ``added`` (actions that did not exist yet), ``completed``, ``newly_blocked`` (with the
    note given when it was blocked as ``reason``, or null), ``newly_overdue`` (overdue on
    ``today`` but not on ``since``), ``new_owners`` (owner set or changed; old may be null),
    ``due_changes`` (due date set, moved or cleared), ``retired`` (retired in the period,
    with the ``reason``), ``merged`` (retired as "merged into X": ``into`` is X), ``notes``
    (progress notes and notes given with a status change, oldest first).

    ``settled_in_review``: when ``before``/``after`` are the tracked plan only (progress and
    the board paper count accepted actions), the candidates that were awaiting review (or
    came in the period) and were rejected, merged or retired in it, so never added to the
    plan: ``untracked_before``/``untracked_after`` are the other actions (with ``review``)
    then and now. Each with ``outcome`` ("rejected", "merged" or "retired"), the ``reason``
    it was retired with and ``into`` (the action a merge went into, else null). One that
    was tracked at ``since`` and rejected after is listed under ``retired``: it left the plan.
    """
    then = {r["ref"]: r for r in before}
    events = list(notes)
    block_notes = {
        e["ref"]: e.get("note")
        for e in events
        if e["field"] == "status" and e.get("new") == "blocked"
    }
    out: dict[str, Any] = {
        "since": since.isoformat(),
        "added": [],
        "completed": [],
        "newly_blocked": [],
        "newly_overdue": [],
        "new_owners": [],
        "due_changes": [],
        "retired": [],
        "merged": [],
        "settled_in_review": [],
        "notes": [],
    }
    earlier = {r["ref"]: r for r in untracked_before}
    for r in untracked_after:
        old = earlier.get(r["ref"])
        if not r.get("retired") or (old is not None and old.get("retired")):
            continue  # still awaiting review, or settled before the period
        into = merged_into(r["retired"])
        item = {**_brief(r), "reason": r["retired"]}
        if r["ref"] in then:  # on the plan at the since-date: it has left the plan
            out["merged" if into else "retired"].append({**item, "into": into} if into else item)
            continue
        outcome = "merged" if into else "rejected" if r.get("review") == "rejected" else "retired"
        out["settled_in_review"].append({**item, "outcome": outcome, "into": into})
    for r in after:
        old = then.get(r["ref"])
        if old is None:
            out["added"].append(_brief(r))
        if r.get("retired"):
            if old is None or not old.get("retired"):
                into = merged_into(r["retired"])
                item = {**_brief(r), "reason": r["retired"]}
                if into:
                    out["merged"].append({**item, "into": into})
                else:
                    out["retired"].append(item)
            continue
        if r["status"] == "complete" and (old is None or old["status"] != "complete"):
            out["completed"].append(_brief(r))
        if r["status"] == "blocked" and (
            old is None or old.get("retired") or old["status"] != "blocked"
        ):
            out["newly_blocked"].append({**_brief(r), "reason": block_notes.get(r["ref"])})
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
    for e in events:
        text = e["new"] if e["field"] == "note" else e.get("note")
        if text:
            out["notes"].append({"ref": e["ref"], "at": e["at"], "by": e["by"], "text": text})
    return out
