"""The audit trail's hash chain: each event's hash covers the one before it (issue 14).

Pure functions, no database: every backend computes the same hashes. An event's hash is
``sha256`` of a canonical encoding (below) of the previous event's hash and every column of
the event except ``hash`` itself: id, action, report, subject, when, who, field, old, new,
note. So changing, removing, reordering or inserting any event breaks every link after it,
and ``check`` names the first event whose hash no longer matches.

The canonical encoding (version 1) is the UTF-8 of::

    cpft-tracker audit chain v1\\n<JSON object>

where the JSON object has the key ``prev`` (the previous event's hash; 64 zeros before the
first event) and one key per column, sorted by key, no spaces (``separators=(",", ":")``),
non-ASCII kept as is (``ensure_ascii=False``). Values keep their type: integers as JSON
numbers, text as strings, NULL as ``null``, bytes as ``{"$bytes": "<hex>"}``. The ten
columns of ``EVENT_COLUMNS`` are always present (``null`` when empty). A column added to
``events`` later is covered when it holds a value and left out when NULL, so adding a
nullable column does not change the hashes already written.

What the chain does NOT do: someone who can rewrite the file can also recompute every hash
from the changed event onwards. A chain head (the last event's id and hash) published
somewhere the plan's keeper cannot rewrite (the board paper, an email) catches that too:
the published event must still be there with the same hash. See docs/faults.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from cpft_tracker.records import Record

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

GENESIS = "0" * 64
PREFIX = b"cpft-tracker audit chain v1\n"

# The columns of events (m001), always part of the encoding.
EVENT_COLUMNS = (
    "id",
    "action_id",
    "report_id",
    "subject",
    "at",
    "by",
    "field",
    "old",
    "new",
    "note",
)
HASH_COLUMN = "hash"


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": bytes(value).hex()}
    return value


def canonical(prev: str, event: Mapping[str, Any]) -> bytes:
    """The bytes hashed for ``event`` (a mapping of column -> value) after ``prev``."""
    payload: dict[str, Any] = {"prev": prev}
    for column in EVENT_COLUMNS:
        payload[column] = _plain(event.get(column))
    for column, value in event.items():
        if column not in payload and column != HASH_COLUMN and value is not None:
            payload[column] = _plain(value)
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return PREFIX + text.encode("utf-8")


def event_hash(prev: str | None, event: Mapping[str, Any]) -> str:
    """The hash of ``event`` chained after the event whose hash is ``prev`` (None: the first)."""
    import hashlib  # here: loading OpenSSL's is ~3 ms of every command, and reads never hash

    return hashlib.sha256(canonical(prev or GENESIS, event)).hexdigest()


class ChainVerdict(Record):
    """What walking the chain found: its head and each event whose link is broken.

    ``broken``: event ids, oldest first (``keep`` at most); ``broken_count``: every broken
    link, listed or not.
    """

    __slots__ = ("events", "head_id", "head_hash", "broken", "broken_count")

    def __init__(
        self,
        events: int = 0,
        head_id: int | None = None,
        head_hash: str | None = None,
        broken: list[int] | None = None,
        broken_count: int = 0,
    ) -> None:
        self.events = events
        self.head_id = head_id
        self.head_hash = head_hash
        self.broken: list[int] = [] if broken is None else broken
        self.broken_count = broken_count

    @property
    def ok(self) -> bool:
        """True when every event's hash matches."""
        return not self.broken


def verify(events: Iterable[Mapping[str, Any]], *, keep: int = 1000) -> ChainVerdict:
    """Walk events in id order, recomputing each hash from the STORED hash of the one before.

    Recomputing from the stored previous hash (not the recomputed one) names each event that
    was itself changed, not every event after it. An event with no hash is broken too.
    At most ``keep`` broken ids are listed (the count in ``events`` is always complete).
    """
    verdict = ChainVerdict()
    prev: str | None = None
    broken = 0
    for event in events:
        verdict.events += 1
        stored = event.get(HASH_COLUMN)
        if stored != event_hash(prev, event):
            broken += 1
            verdict.broken_count = broken
            if len(verdict.broken) < keep:
                verdict.broken.append(int(event["id"]))
        prev = stored if isinstance(stored, str) else None
        verdict.head_id = int(event["id"])
        verdict.head_hash = stored if isinstance(stored, str) else None
    return verdict
