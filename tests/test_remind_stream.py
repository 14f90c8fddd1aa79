"""remind streams from the store (issue 10): the bytes it prints equal what the in-memory code printed.

The command reads the actions grouped by owner in SQL and writes the digest, the JSON and
the dry-run emails as they come (``remind.Selected``). The golden here is rebuilt from the same
database by the code the command used before: ``remind.select`` over every action, then
``digest_text`` / ``selection_json`` / ``plan`` + ``deliver`` over the whole ``Selection``.
The plan has a few hundred actions: owners of every size, an owner spelt two ways (one
group), owners without an address, unassigned actions, ties on due dates, complete,
retired and undated actions, two reports; and a past date (``--as-of``) after changes.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cpft_tracker import remind as r
from cpft_tracker.cli import app
from cpft_tracker.extract import Requirement
from cpft_tracker.store import Store
from tests.conftest import both_backends
from tests.remind_helpers import Row, make_plan

TODAY = "2026-03-10"
EARLIER = "2026-03-03"  # the --as-of date: the plan as it stood before the later changes
OWNERS = [
    ("Director of Nursing", "dn@example.nhs.uk"),
    ("Chief Executive", None),  # no address: told on stderr, no email
    ("Bob <b>&co", "bob@example.nhs.uk"),
    ("Émile Durand", "emile@example.nhs.uk"),
    ("émile durand", "emile2@example.nhs.uk"),  # the same person by casefold: one group
    ("Zoë Ward", "zoe@example.nhs.uk"),
    ("aaron Quick", "aaron@example.nhs.uk"),
    ("Medical Director", "md@example.nhs.uk"),
]


def rows(seed: int, n: int) -> list[Row]:
    rnd = random.Random(seed)
    start = dt.date.fromisoformat(TODAY)
    out = []
    for i in range(n):
        owner = rnd.choice([*OWNERS, (None, None), (None, None)])
        due = (
            None
            if rnd.random() < 0.1
            else (start + dt.timedelta(days=rnd.randint(-60, 25))).isoformat()
        )
        status = rnd.choice(["not-started", "not-started", "in-progress", "blocked", "complete"])
        out.append(
            Row(f"Action {seed}-{i}: line\ttabbed «quoted»", owner[0], owner[1], due, status)
        )
    return out


@pytest.fixture
def plan(db_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Two reports (T, U) built before EARLIER; then, after it, owners and dates changed and some retired."""
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2026-03-01T09:00:00Z")
    t_refs = _report(db_path, rows(1, 150), prefix="T", name="First report")
    u_refs = _report(db_path, rows(2, 150), prefix="U", name="Second report")
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2026-03-08T09:00:00Z")
    store = Store.open(db_path)
    try:
        rnd = random.Random(3)
        refs = t_refs + u_refs
        for ref in rnd.sample(refs, 30):
            name, email = rnd.choice(OWNERS)
            store.assign([ref], name, email=email, by="Test Lead", new_owner=True)
        for ref in rnd.sample(refs, 30):
            store.set_due(
                [ref],
                (dt.date(2026, 3, 10) - dt.timedelta(days=rnd.randint(-20, 40))).isoformat(),
                by="Test Lead",
            )
        store.retire(rnd.sample(refs, 10), "Duplicate of another action", by="Test Lead")
        store.set_owner_email("Medical Director", "medical.director@example.nhs.uk", by="Test Lead")
    finally:
        store.close()
    monkeypatch.delenv("CPFT_TRACKER_NOW")
    return db_path


def _report(db: Any, plan_rows: list[Row], *, prefix: str, name: str) -> list[str]:
    """One report's actions with these owners, dates and statuses (owners spelt as given)."""
    reqs = [
        Requirement(
            text=f"The provider must do thing {i}: {row.title}",
            context=row.title,
            section=None,
            line=i,
            position=i,
            keyword="must",
            matched="must",
            title=row.title,
            quality_statement=None,
        )
        for i, row in enumerate(plan_rows, start=1)
    ]
    store = Store.open(db, create=True)
    try:
        result = store.import_report(
            name=name,
            requirements=reqs,
            source_file=f"{prefix}.txt",
            source_sha256=prefix * 64,
            by="Test Lead",
            prefix=prefix,
        )
        refs = [a["ref"] for a in result.added]
        for ref, row in zip(refs, plan_rows, strict=True):
            if row.owner:
                store.assign([ref], row.owner, email=row.email, by="Test Lead", new_owner=True)
            if row.due:
                store.set_due([ref], row.due, by="Test Lead")
            if row.status == "complete":
                store.set_status([ref], "complete", evidence="Board minutes", by="Test Lead")
            elif row.status != "not-started":
                store.set_status([ref], row.status, by="Test Lead")
    finally:
        store.close()
    return refs


def golden_selection(db: Any, day: dt.date | None, within: int) -> r.Selection:
    """What the command selected before it streamed: every action through ``select``."""
    store = Store.open(db, readonly=True)
    try:
        return r.select(
            list(r.actions_as_of(store, day)),
            as_of=day or dt.date.fromisoformat(TODAY),
            within=within,
        )
    finally:
        store.close()


def run(*args: str) -> bytes:
    result = CliRunner().invoke(app, ["remind", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


CASES = [
    ([], None, 14),
    (["--within", "3"], None, 3),
    (["--as-of", EARLIER], dt.date.fromisoformat(EARLIER), 14),
]


@both_backends
@pytest.mark.parametrize(("args", "day", "within"), CASES)
def test_digest_is_byte_for_byte_what_the_whole_selection_gave(
    plan: Any, args: list[str], day: dt.date | None, within: int
) -> None:
    sel = golden_selection(plan, day, within)
    assert len(sel.groups) >= 5 and sel.unassigned() is not None  # the plan exercises grouping
    escalation = ["--escalate-after", "20", "--escalate-to", "lead@example.nhs.uk"]
    assert run(*args) == r.digest_text(sel).encode()
    assert (
        run(*args, *escalation)
        == r.digest_text(sel, escalate_after=20, escalate_to="lead@example.nhs.uk").encode()
    )


@both_backends
@pytest.mark.parametrize(("args", "day", "within"), CASES)
def test_json_is_byte_for_byte_what_the_whole_selection_gave(
    plan: Any, args: list[str], day: dt.date | None, within: int
) -> None:
    sel = golden_selection(plan, day, within)
    for extra, after, to in (
        ([], None, None),
        (
            ["--escalate-after", "20", "--escalate-to", "lead@example.nhs.uk"],
            20,
            "lead@example.nhs.uk",
        ),
        (
            ["--escalate-after", "0", "--escalate-to", "lead@example.nhs.uk"],
            0,
            "lead@example.nhs.uk",
        ),
    ):
        out = run(*args, "--format", "json", *extra)
        doc = json.loads(out)
        golden = r.selection_json(
            sel, generated_at=doc["generated_at"], escalate_after=after, escalate_to=to
        )
        assert out == (json.dumps(golden, ensure_ascii=False, indent=2) + "\n").encode()
        assert doc["counts"]["owners"] == len(sel.owner_groups())


@both_backends
def test_dry_run_emails_and_delivery_json_are_what_the_whole_selection_gave(plan: Any) -> None:
    today = dt.date.fromisoformat(TODAY)
    sel = golden_selection(plan, None, 14)
    messages, no_address, _ = r.plan(sel, escalate_after=10, escalate_to="lead@example.nhs.uk")
    assert no_address  # Chief Executive has no address
    store = Store.open(plan, readonly=True)
    try:
        deliveries, _ = r.deliver(
            store,
            messages,
            mailer=None,
            sender="governance@example.nhs.uk",
            sender_name="Governance Team",
            today=today,
            within=14,
            every=1,
            after_days=10,
            dry_run=True,
        )
    finally:
        store.close()
    sender = ["--from", "Governance Team <governance@example.nhs.uk>"]
    escalation = ["--escalate-after", "10", "--escalate-to", "lead@example.nhs.uk"]
    out = run("--dry-run", *sender, *escalation)
    previews = [d.preview for d in deliveries if d.preview]
    assert len(previews) >= 5
    # the Date and Message-ID headers are not shown in a preview, so the text is fixed
    assert out == ("\n" + "-" * 72 + "\n\n").join(previews).encode()
    out = run("--dry-run", "--format", "json", *sender, *escalation)
    doc = json.loads(out)
    golden = r.selection_json(
        sel,
        generated_at=doc["generated_at"],
        escalate_after=10,
        escalate_to="lead@example.nhs.uk",
        delivery=[d.as_json() for d in deliveries],
    )
    assert out == (json.dumps(golden, ensure_ascii=False, indent=2) + "\n").encode()


def test_nothing_to_report_prints_nothing_and_json_keeps_its_shape(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    make_plan(db_path, [Row("Far off", "Director of Nursing", None, "2027-01-01")])
    assert run() == b""
    out = run("--format", "json")
    doc = json.loads(out)
    golden = r.selection_json(
        r.Selection(dt.date.fromisoformat(TODAY), 14, []), generated_at=doc["generated_at"]
    )
    assert out == (json.dumps(golden, ensure_ascii=False, indent=2) + "\n").encode()
