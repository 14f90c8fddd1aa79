"""SMTP delivery for reminders: one connection per run, one message per recipient, plain errors.

The password is read only from ``CPFT_TRACKER_SMTP_PASSWORD`` (never an option, never printed,
never part of an error message). A login is refused over an unencrypted connection to any
host but this machine. Every error is turned into one plain sentence naming the server and
what to check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cpft_tracker.errors import DeliveryFailed, UsageProblem

if TYPE_CHECKING:
    import smtplib
    from email.message import EmailMessage

PASSWORD_ENV = "CPFT_TRACKER_SMTP_PASSWORD"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send."""

    host: str = "localhost"
    port: int | None = None  # None: 465 with ssl, 587 with starttls, else 25
    starttls: bool = False
    ssl: bool = False
    user: str | None = None
    timeout: float = 30.0

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

    def check(self) -> None:
        """Refuse settings that cannot work or would leak the password."""
        if self.starttls and self.ssl:
            raise UsageProblem(
                "Use --starttls or --ssl, not both (--ssl is usually port 465, --starttls port 587)."
            )
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


class Mailer:
    """A lazily opened SMTP connection. ``send`` raises ``SendFailed`` (one recipient) or
    ``DeliveryFailed`` (the server cannot be used at all)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Say goodbye to the server (quietly)."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except Exception:
                try:
                    smtp.close()
                except Exception:
                    pass

    def _connect(self) -> smtplib.SMTP:
        import smtplib
        import socket
        import ssl

        s = self.settings
        where = s.where
        context = ssl.create_default_context()
        smtp: smtplib.SMTP | None = None
        try:
            if s.ssl:
                smtp = smtplib.SMTP_SSL(
                    s.host, s.effective_port, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout)
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
        """Send ``msg`` to exactly ``recipient`` (the envelope never comes from the headers)."""
        import smtplib

        if self._smtp is None:
            self._smtp = self._connect()
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
            raise SendFailed(
                f"the mail server refused the message ({exc.smtp_code} {_decode(exc.smtp_error)})"
            ) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._smtp = None  # reconnect for the next message
            raise SendFailed(
                f"the connection to {self.settings.where} was lost ({_reason(exc)})"
            ) from None
        if refused:
            code, text = next(iter(refused.values()))
            raise SendFailed(f"the mail server refused the address ({code} {_decode(text)})")


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
