"""SMTP delivery for reminders: one connection per run, one message per recipient, plain errors.

The password is read only from ``CPFT_TRACKER_SMTP_PASSWORD`` (never an option, never printed,
never part of an error message). A login is refused over an unencrypted connection to any
host but this machine. Every error is turned into one plain sentence naming the server and
what to check.

Deadlines: ``timeout`` is not a per-read limit. Opening the conversation (connecting, the
greeting, EHLO, STARTTLS and login) must finish within ``timeout`` seconds in total, and so
must each message (MAIL, RCPT, DATA and the server's answer). A server that drips its
greeting one byte at a time is cut off when the deadline passes: a watchdog shuts the
socket down, which wakes the blocked read at once.

Headers: names typed by people reach the From/To headers only through ``display_name``,
which keeps letters, digits, spaces and ``- ' &``. Such a name never needs quoting and can
never decode to address syntax (an RFC 2047 encoded word such as ``=?utf-8?q?Bcc=3A...?=``
loses its ``=`` and ``?``); ``Mailer.send`` re-reads the finished message as a mail client
would and refuses to send one whose To header does not hold exactly the one recipient.

Sending outside the database lock: ``send_claimed`` takes messages that were composed from
a read, asks ``claim`` (a short write transaction) before each one, sends with no lock
held, then calls ``record`` (another short transaction) or ``release`` on failure.
"""

from __future__ import annotations

import math
import os
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from cpft_tracker.errors import DeliveryFailed, UsageProblem
from cpft_tracker.records import FrozenRecord

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    import smtplib
    import socket
    from email.headerregistry import Address
    from email.message import EmailMessage
    from typing import Any

PASSWORD_ENV = "CPFT_TRACKER_SMTP_PASSWORD"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
MAX_TIMEOUT = 3600.0
# Longest display name put in a header (the full name stays in the message body).
MAX_DISPLAY_NAME = 64
# Characters a display name may keep besides letters, digits and spaces. None of them is
# special in an address header, and none can start an RFC 2047 encoded word.
_NAME_EXTRA = frozenset("-'&")


def display_name(name: str | None) -> str:
    """A person's name made safe for a From/To display name.

    Keeps letters, marks, digits, spaces and ``- ' &``; everything else (line breaks,
    control characters, ``" ( ) , . : ; < > @ [ \\ ]``, ``=`` and ``?``) becomes a space.
    The result never needs quoting and never decodes to address syntax, whatever Python's
    email package does to encode or fold it.
    """
    if not name:
        return ""
    kept = []
    for ch in str(name):
        cat = unicodedata.category(ch)
        if cat[0] in "LMN" or ch in _NAME_EXTRA:
            kept.append(ch)
        else:
            kept.append(" ")
    return " ".join("".join(kept).split())[:MAX_DISPLAY_NAME].strip()


def address(name: str | None, addr: str) -> Address:
    """An ``email.headerregistry.Address`` for ``addr`` (already checked) with a safe display name."""
    from email.headerregistry import Address

    username, domain = addr.rsplit("@", 1)
    return Address(display_name=display_name(name), username=username, domain=domain)


def header_recipients(msg: EmailMessage) -> list[str]:
    """The addresses a mail client finds in ``msg``'s To, Cc and Bcc once it is sent.

    The message is rendered to bytes and parsed back with ``email.policy.default``, exactly
    as a receiving client would.
    """
    import email
    import email.policy

    back = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    found: list[str] = []
    for field in ("To", "Cc", "Bcc"):
        for value in back.get_all(field) or []:
            found.extend(a.addr_spec for a in getattr(value, "addresses", ()))
    return found


class SmtpSettings(FrozenRecord):
    """Where and how to send."""

    __slots__ = ("host", "port", "starttls", "ssl", "user", "timeout")
    host: str
    port: int | None  # None: 465 with ssl, 587 with starttls, else 25
    starttls: bool
    ssl: bool
    user: str | None
    timeout: float

    def __init__(
        self,
        host: str = "localhost",
        port: int | None = None,
        starttls: bool = False,
        ssl: bool = False,
        user: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._set("host", host)
        self._set("port", port)
        self._set("starttls", starttls)
        self._set("ssl", ssl)
        self._set("user", user)
        self._set("timeout", timeout)

    @property
    def effective_port(self) -> int:
        """The port to connect to."""
        if self.port:
            return self.port
        return 465 if self.ssl else 587 if self.starttls else 25

    @property
    def where(self) -> str:
        """host:port, for messages."""
        return f"{self.host}:{self.effective_port}"

    def check_timeout(self) -> None:
        """Refuse a timeout that is not a number of seconds from 1 to MAX_TIMEOUT (0, -1, nan, inf)."""
        if not (isinstance(self.timeout, int | float) and math.isfinite(self.timeout)) or not (
            1 <= self.timeout <= MAX_TIMEOUT
        ):
            raise UsageProblem(
                f"--smtp-timeout must be a number of seconds between 1 and {MAX_TIMEOUT:g} "
                "(for example 30)."
            )

    def check(self) -> None:
        """Refuse settings that cannot work or would leak the password."""
        if self.starttls and self.ssl:
            raise UsageProblem(
                "Use --starttls or --ssl, not both (--ssl is usually port 465, --starttls port 587)."
            )
        self.check_timeout()
        if not self.host.strip():
            raise UsageProblem("Give the mail server with --smtp-host or CPFT_TRACKER_SMTP_HOST.")
        if self.user:
            if not os.environ.get(PASSWORD_ENV):
                raise UsageProblem(
                    f"--smtp-user is set but {PASSWORD_ENV} is empty. Put the password in that "
                    "environment variable (for cron or systemd: in an EnvironmentFile readable only by you)."
                )
            if not (self.starttls or self.ssl) and self.host not in LOCAL_HOSTS:
                raise UsageProblem(
                    f"Refusing to send the mail password unencrypted to {self.where}. "
                    "Add --starttls (usually port 587) or --ssl (usually port 465)."
                )


class _Watchdog:
    """Shuts a socket down when a deadline passes, waking any read or write blocked on it."""

    def __init__(self) -> None:
        self.expired = False
        self._sock: socket.socket | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def start(self, seconds: float) -> None:
        self.stop()
        self.expired = False
        timer = threading.Timer(seconds, self._expire)
        timer.daemon = True
        self._timer = timer
        timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            expired = self.expired
        if expired:
            self._shutdown(sock)

    def stop(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._sock
        self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket | None) -> None:
        import socket as _socket

        if sock is not None:
            try:
                sock.shutdown(_socket.SHUT_RDWR)
            except OSError:
                pass


def _smtp_classes(watchdog: _Watchdog) -> tuple[type[smtplib.SMTP], type[smtplib.SMTP_SSL]]:
    """SMTP classes whose sockets the watchdog can cut off (for a deadline on the whole exchange)."""
    import smtplib

    class WatchedSMTP(smtplib.SMTP):
        def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
            sock = super()._get_socket(host, port, timeout)  # type: ignore[misc]
            watchdog.watch(sock)
            return sock

        def starttls(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
            reply = super().starttls(*args, **kwargs)
            watchdog.watch(self.sock)
            return reply

    class WatchedSMTPSSL(smtplib.SMTP_SSL):
        def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
            import socket as _socket

            # as SMTP_SSL does, but the plain socket is watched before the TLS handshake, so a
            # server that drips its handshake is cut off at the deadline too
            raw = _socket.create_connection((host, port), timeout, self.source_address)
            watchdog.watch(raw)
            return self.context.wrap_socket(raw, server_hostname=self._host)  # type: ignore[attr-defined]

    return WatchedSMTP, WatchedSMTPSSL


class Mailer:
    """A lazily opened SMTP connection. ``send`` raises ``SendFailed`` (one recipient) or
    ``DeliveryFailed`` (the server cannot be used at all).

    Opening the connection and each message have one deadline each (``settings.timeout``
    seconds for the whole exchange, not per read).
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._watchdog = _Watchdog()

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Say goodbye to the server (quietly, within the deadline)."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            self._watchdog.start(min(self.settings.timeout, 5.0))
            try:
                smtp.quit()
            except Exception:
                try:
                    smtp.close()
                except Exception:
                    pass
            finally:
                self._watchdog.stop()

    def _too_slow(self) -> DeliveryFailed:
        s = self.settings
        return DeliveryFailed(
            f"The mail server at {s.where} did not finish answering within {s.timeout:g} seconds, "
            "so cpft-tracker gave up. Check the host and port, or ask whoever runs the server "
            "why it is slow; raise --smtp-timeout only if it is known to be slow."
        )

    def _connect(self) -> smtplib.SMTP:
        self._watchdog.start(self.settings.timeout)
        try:
            smtp = self._open()
        except DeliveryFailed:
            if self._watchdog.expired:
                raise self._too_slow() from None
            raise
        finally:
            self._watchdog.stop()
        if self._watchdog.expired:
            _quietly_close(smtp)
            raise self._too_slow()
        return smtp

    def _open(self) -> smtplib.SMTP:
        import smtplib
        import socket
        import ssl

        s = self.settings
        where = s.where
        context = ssl.create_default_context()
        plain_cls, ssl_cls = _smtp_classes(self._watchdog)
        smtp: smtplib.SMTP | None = None
        try:
            if s.ssl:
                smtp = ssl_cls(s.host, s.effective_port, timeout=s.timeout, context=context)
            else:
                smtp = plain_cls(s.host, s.effective_port, timeout=s.timeout)
            smtp.ehlo()
            if s.starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, os.environ.get(PASSWORD_ENV, ""))
        except ConnectionRefusedError:
            raise DeliveryFailed(
                f"Cannot connect to the mail server at {where}: connection refused. Check --smtp-host and "
                "--smtp-port (or CPFT_TRACKER_SMTP_HOST / CPFT_TRACKER_SMTP_PORT) and that the server is running."
            ) from None
        except socket.gaierror:
            raise DeliveryFailed(
                f"Cannot find the mail server '{s.host}'. Check --smtp-host (or CPFT_TRACKER_SMTP_HOST) "
                "and this machine's network."
            ) from None
        except TimeoutError:
            _quietly_close(smtp)
            raise DeliveryFailed(
                f"The mail server at {where} did not answer within {s.timeout:g} seconds. Check the host, the "
                "port and any firewall between here and the server."
            ) from None
        except smtplib.SMTPAuthenticationError:
            _quietly_close(smtp)
            raise DeliveryFailed(
                f"The mail server at {where} refused the login for user '{s.user}'. Check "
                f"--smtp-user (or CPFT_TRACKER_SMTP_USER) and {PASSWORD_ENV}."
            ) from None
        except smtplib.SMTPNotSupportedError:
            _quietly_close(smtp)
            raise DeliveryFailed(
                f"The mail server at {where} does not offer "
                f"{'STARTTLS' if s.starttls and not s.user else 'STARTTLS or login'}. "
                "Check --starttls, --ssl and the port with whoever runs the server."
            ) from None
        except ssl.SSLError as exc:
            _quietly_close(smtp)
            raise DeliveryFailed(
                f"A secure connection to the mail server at {where} failed ({exc.reason or 'TLS error'}). "
                "Check --ssl (port 465) versus --starttls (port 587)."
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            _quietly_close(smtp)
            raise DeliveryFailed(
                f"Cannot use the mail server at {where}: {_reason(exc)}. Check the SMTP settings."
            ) from None
        return smtp

    def send(self, msg: EmailMessage, *, sender: str, recipient: str) -> None:
        """Send ``msg`` to exactly ``recipient`` (the envelope never comes from the headers).

        Refused (``SendFailed``) when a mail client reading the message would find any
        address but ``recipient`` in To/Cc/Bcc: a name can never add a recipient.
        """
        import smtplib

        found = header_recipients(msg)
        if [a.lower() for a in found] != [recipient.lower()]:
            raise SendFailed(
                "the message's To header would not hold exactly the one recipient, so it was not "
                "sent; correct the owner's name with cpft-tracker assign"
            )
        if self._smtp is None:
            self._smtp = self._connect()
        self._watchdog.start(self.settings.timeout)
        try:
            refused = self._smtp.send_message(msg, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (0, b""))
            raise SendFailed(
                f"the mail server refused the address ({code} {_decode(text)})"
            ) from None
        except smtplib.SMTPSenderRefused as exc:
            raise SendFailed(
                f"the mail server refused the sender {sender} ({exc.smtp_code} {_decode(exc.smtp_error)}); "
                "check --from"
            ) from None
        except smtplib.SMTPResponseException as exc:
            if self._watchdog.expired:
                self._drop()
                raise self._too_slow() from None
            raise SendFailed(
                f"the mail server refused the message ({exc.smtp_code} {_decode(exc.smtp_error)})"
            ) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()  # reconnect for the next message
            if self._watchdog.expired:
                raise self._too_slow() from None
            raise SendFailed(
                f"the connection to {self.settings.where} was lost ({_reason(exc)})"
            ) from None
        finally:
            self._watchdog.stop()
        if refused:
            code, text = next(iter(refused.values()))
            raise SendFailed(f"the mail server refused the address ({code} {_decode(text)})")

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        _quietly_close(smtp)

    def send_claimed(
        self,
        jobs: Iterable[Job],
        *,
        sender: str,
        claim: Callable[[Job], Job | None],
        record: Callable[[Job], None],
        release: Callable[[Job, str], None],
    ) -> list[Outcome]:
        """:meth:`iter_send_claimed`, every outcome in a list."""
        return list(
            self.iter_send_claimed(jobs, sender=sender, claim=claim, record=record, release=release)
        )

    def iter_send_claimed(
        self,
        jobs: Iterable[Job],
        *,
        sender: str,
        claim: Callable[[Job], Job | None],
        record: Callable[[Job], None],
        release: Callable[[Job, str], None],
    ) -> Iterator[Outcome]:
        """Send each job with no database lock held; the caller's callbacks do the short writes.

        For each job, in order:

        1. ``claim(job)`` -- a short write transaction that marks the job's actions as being
           sent by this run, idempotently (rows that a UNIQUE key or BEGIN IMMEDIATE keeps
           from being claimed twice). It returns the job to send: the same one, one composed
           again for the actions still unclaimed (another run took some), or None when
           another run has them all (reported as "already-claimed").
        2. the claimed job's message is sent, no lock held, within the deadline;
        3. ``record(job)`` -- a short write transaction that marks the claim as sent; or, when
           the send failed or was interrupted, ``release(job, reason)`` so that the next run
           tries again. If ``record`` itself fails the error propagates: the message went, the
           claim stays, and the caller's stale-claim rule decides (resending is preferred to
           never sending).

        After a fatal error (the server cannot be used at all) the remaining jobs are not
        claimed; they are reported as failed with the same reason.

        Each outcome is given as soon as its job is dealt with, and jobs are taken from
        ``jobs`` one at a time, so a caller that streams them holds one message at a time.
        """
        fatal: str | None = None
        for job in jobs:
            if fatal is not None:
                yield Outcome(job, "failed", fatal, fatal=True)
                continue
            claimed = claim(job)
            if claimed is None:
                yield Outcome(job, "already-claimed")
                continue
            job = claimed
            try:
                self.send(job.message, sender=sender, recipient=job.recipient)
            except SendFailed as exc:
                release(job, exc.reason)
                yield Outcome(job, "failed", exc.reason)
                continue
            except DeliveryFailed as exc:
                release(job, exc.message)
                fatal = exc.message
                yield Outcome(job, "failed", exc.message, fatal=True)
                continue
            except BaseException:
                release(job, "interrupted")
                raise
            record(job)
            yield Outcome(job, "sent")


class Job(FrozenRecord):
    """One composed message for ``Mailer.send_claimed``: what to send, to whom, and the caller's key.

    ``key`` is whatever the caller needs to claim and record the message (for reminders:
    the recipient, the kind, the action ids and the day).
    """

    __slots__ = ("message", "recipient", "key")
    message: EmailMessage
    recipient: str
    key: Any

    def __init__(self, message: EmailMessage, recipient: str, key: Any = None) -> None:
        self._set("message", message)
        self._set("recipient", recipient)
        self._set("key", key)


class Outcome(FrozenRecord):
    """What happened to one job: "sent", "failed" or "already-claimed" (another run has it)."""

    __slots__ = ("job", "status", "reason", "fatal")
    job: Job
    status: str
    reason: str | None
    fatal: bool

    def __init__(
        self, job: Job, status: str, reason: str | None = None, fatal: bool = False
    ) -> None:
        self._set("job", job)
        self._set("status", status)
        self._set("reason", reason)
        self._set("fatal", fatal)


class SendFailed(Exception):
    """One message could not be sent; the reason is plain English."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _decode(value: Any) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _quietly_close(smtp: Any) -> None:
    if smtp is not None:
        try:
            smtp.close()
        except Exception:
            pass
