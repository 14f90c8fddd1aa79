"""Issue 14, finding 4, as the round found it: an owner named with an encoded 'Bcc:' must not give
a raw To header that a mail client reads as two recipients.

The name is given the way a user gives it (`assign ... --email`), the reminder goes out with
`remind --send` as a real subprocess to a real SMTP server on loopback (aiosmtpd), and the
bytes the server received are read as the crudest client would: unfold the headers, decode
every encoded word first, then split the To header into addresses.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.remind_helpers import Row, Sink, make_plan, start_smtp

TODAY = "2026-03-10"
OWNER = "owner@example.org"
NAMES = [
    "=?utf-8?q?Bcc=3A_attacker=40evil=2Eexample=2C?=",
    "=?UTF-8?B?QmNjOiBhdHRhY2tlckBldmlsLmV4YW1wbGUs?=",
    "Zoë =?utf-8?q?=3Cattacker=40evil=2Eexample=3E?= Ørsted",
    "Eve, attacker@evil.example; <x@evil.example>: group:",
]


@pytest.fixture
def sink() -> Sink:
    return Sink()


@pytest.fixture
def smtp_port(sink: Sink) -> Iterator[int]:
    yield from start_smtp(sink)


def _headers(raw: bytes) -> dict[bytes, list[bytes]]:
    block = raw.split(b"\r\n\r\n", 1)[0]
    unfolded = re.sub(rb"\r\n[ \t]+", b" ", block)
    out: dict[bytes, list[bytes]] = {}
    for line in unfolded.split(b"\r\n"):
        name, _, value = line.partition(b":")
        out.setdefault(name.strip().lower(), []).append(value.strip())
    return out


def _decoded(value: bytes) -> str:
    """Every encoded word decoded, as a careless client does before it looks for addresses."""
    return "".join(
        part.decode(charset or "ascii", "replace") if isinstance(part, bytes) else part
        for part, charset in email.header.decode_header(value.decode("ascii"))
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_raw_to_header_holds_exactly_the_owner(
    db_path: Path, sink: Sink, smtp_port: int, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("CPFT_TRACKER_TODAY", TODAY)
    monkeypatch.setenv("CPFT_TRACKER_NOW", f"{TODAY}T07:30:00Z")
    [ref] = make_plan(db_path, [Row("Review ligature risk assessments", due="2026-03-01")])
    done = run_cli("assign", ref, "--email", OWNER, "--", name)
    assert done.returncode == 0, done.stderr
    proc = run_cli(
        "remind",
        "--send",
        env={
            "CPFT_TRACKER_SMTP_HOST": "127.0.0.1",
            "CPFT_TRACKER_SMTP_PORT": str(smtp_port),
            "CPFT_TRACKER_SMTP_FROM": "Governance Team <governance@example.nhs.uk>",
        },
    )
    assert proc.returncode == 0, proc.stderr
    (got,) = sink.received
    assert got.rcpt_tos == [OWNER]  # the envelope
    headers = _headers(got.raw)
    [to] = headers[b"to"]  # one To header
    assert b"bcc" not in headers and b"cc" not in headers
    # one '@' (the owner's); the name, even with its encoded words decoded (a non-ASCII name
    # is sent RFC 2047-encoded, as it must be), holds no address syntax
    assert to.count(b"@") == 1 and to.endswith(b" <" + OWNER.encode() + b">"), to
    shown = _decoded(to)
    assert shown.endswith(f" <{OWNER}>"), shown
    assert not set(shown[: -len(OWNER) - 3]) & set(',;:<>@"=?'), shown
    assert b"attacker@evil.example" not in got.raw.split(b"\r\n\r\n", 1)[0]
    # read as a client reads it: decoded first, then split into addresses
    for reading in (to.decode("ascii"), _decoded(to)):
        assert [addr for _, addr in email.utils.getaddresses([reading])] == [OWNER], reading
    parsed = email.message_from_bytes(got.raw, policy=email.policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == [OWNER]
