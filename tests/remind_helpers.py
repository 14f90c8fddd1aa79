"""Shared helpers for the remind tests: build a small plan through the Store, and a real SMTP sink."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from cpft_tracker.extract import Requirement
from cpft_tracker.store import Store


@dataclass
class Row:
    """One action to create: title, owner (and email), due date (ISO) and status."""

    title: str
    owner: str | None = None
    email: str | None = None
    due: str | None = None
    status: str = "not-started"


def make_plan(
    db: Path, rows: Sequence[Row], *, prefix: str = "T", window: int | None = None
) -> list[str]:
    """Create one report with an action per row; return the references (T-01, T-02, ...).

    ``window``: set the look-ahead window (``settings window N``) as a trust would, once."""
    reqs = [
        Requirement(
            text=f"The trust must do thing {i}: {r.title}",
            context=r.title,
            section=None,
            line=i,
            position=i,
            keyword="must",
            matched="must",
            title=r.title,
            quality_statement=None,
        )
        for i, r in enumerate(rows, start=1)
    ]
    store = Store.open(db, create=True)
    try:
        result = store.import_report(
            name="Test report",
            requirements=reqs,
            source_file="test.txt",
            source_sha256="0" * 64,
            by="Test Lead",
            prefix=prefix,
        )
        refs = [a["ref"] for a in result.added]
        for ref, r in zip(refs, rows, strict=True):
            if r.owner:
                store.assign([ref], r.owner, email=r.email, by="Test Lead")
            if r.due:
                store.set_due([ref], r.due, by="Test Lead")
            if r.status == "complete":
                store.set_status([ref], "complete", evidence="Board minutes", by="Test Lead")
            elif r.status != "not-started":
                store.set_status([ref], r.status, by="Test Lead")
        if window is not None:
            store.set_setting("warning_window_days", str(window), by="Test Lead")
    finally:
        store.close()
    return refs


def raw_sql(db: Path, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """Run SQL straight on the database (to plant data the CLI would refuse, as an old or edited database might)."""
    from tests.conftest import db_execute

    return db_execute(db, sql, params)


def free_port() -> int:
    """A TCP port on 127.0.0.1 with nothing listening (at the moment of asking)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        """The message parsed back."""
        msg = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        return msg

    def part(self, subtype: str) -> str:
        """The text/<subtype> part's content."""
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype
        return str(body.get_content()).replace("\r\n", "\n")


@dataclass
class Sink:
    """An aiosmtpd handler that keeps every message and can refuse chosen recipients with a 550."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self,
        server: Any,
        session: Any,
        envelope: Any,
        address: str,  # noqa: N802
        rcpt_options: Any,
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        """The messages whose envelope includes ``address``."""
        return [r for r in self.received if address in r.rcpt_tos]


def start_smtp(sink: Sink, **options: Any) -> Iterator[int]:
    """Run a real SMTP server for ``sink`` on 127.0.0.1; yield its port; stop it afterwards."""
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
