"""A real PostgreSQL 15 server for the tests: started once per session (once per pytest-xdist worker), as a non-root user, stopped at the end.

``start()`` makes a throw-away cluster (``initdb``) in a private folder under /tmp, listening
on a free local port and a socket folder under /tmp only, run by the ``postgres`` system user
when the tests run as root (PostgreSQL refuses to run as root), else by the current user.
It returns a :class:`PgServer` (its superuser URL; ``new_database()`` gives a test an empty
database of its own, ``fresh_database()`` the session's plan database emptied again: the
per-test plan of ``CPFT_TEST_BACKEND=postgresql``, ~5 ms where CREATE DATABASE takes ~200). When PostgreSQL cannot be started, ``start()`` raises ``Unavailable``
with the reason: the fixture skips with it, or fails when ``CI=true``.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN_GLOBS = ("/usr/lib/postgresql/*/bin",)
SUPERUSER = "cpft_super"
PASSWORD = "s3cret-pw"  # the test server's only password; tests check it is never printed


class Unavailable(Exception):
    """PostgreSQL cannot be started here (the reason is the message)."""


def find_bin() -> Path | None:
    """The PostgreSQL server's bin folder (the newest installed), or None."""
    env = os.environ.get("CPFT_PG_BIN")
    if env:
        return Path(env)
    found = sorted(
        (Path(p) for g in PG_BIN_GLOBS for p in glob.glob(g)),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    found = [p for p in found if (p / "initdb").exists()]
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A running test server."""

    bin: Path
    data: Path
    socket_dir: Path
    port: int
    run_as: list[str]
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    password: str = PASSWORD
    _plan_db: str | None = None
    _plan_conn: object = None

    def url(
        self, database: str = "postgres", user: str = SUPERUSER, password: str | None = PASSWORD
    ) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser (autocommit)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=10) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, prefix: str = "t", *, password: bool = True) -> str:
        """A new empty database; its URL (the superuser's; without the password if asked)."""
        name = f"{prefix}_{os.getpid()}_{next(self._counter)}"
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name, password=PASSWORD if password else None)

    def copy_database(self, url: str) -> str:
        """A new database made from the one at ``url`` (CREATE DATABASE ... TEMPLATE); its URL."""
        from urllib.parse import urlsplit

        name = f"copy_{os.getpid()}_{next(self._counter)}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE "{urlsplit(url).path.lstrip("/")}"')
        return self.url(name, password=None)

    def drop_database(self, url: str) -> None:
        """Drop the database at ``url`` (ending its connections)."""
        from urllib.parse import urlsplit

        self.sql(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')

    def fresh_database(self) -> str:
        """The session's plan database, as empty as a new one: made once, then each call
        ends every other connection to it and drops whatever the last test made in it (every
        schema but the system's; ``public`` made again as PostgreSQL 15 makes it). Its URL
        carries no password (PGPASSWORD gives it)."""
        import psycopg

        if self._plan_db is None:
            self._plan_db = f"plan_{os.getpid()}"
            self.sql(f'CREATE DATABASE "{self._plan_db}"')
        conn = self._plan_conn
        if conn is None or conn.closed:  # type: ignore[attr-defined]
            conn = self._plan_conn = psycopg.connect(
                self.url(self._plan_db), autocommit=True, connect_timeout=10
            )
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        schemas = [
            r[0]
            for r in conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                " AND nspname <> 'information_schema'"
            )
        ]
        used = conn.execute(
            "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname = 'public')"
            " + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
            " ON n.oid = p.pronamespace WHERE n.nspname = 'public')"
            " + (SELECT count(*) FROM pg_collation l JOIN pg_namespace n"
            " ON n.oid = l.collnamespace WHERE n.nspname = 'public')"
            " + (SELECT count(*) FROM pg_type t JOIN pg_namespace n"
            " ON n.oid = t.typnamespace WHERE n.nspname = 'public')"
        ).fetchone()[0]
        if used or schemas != ["public"]:
            with conn.transaction():
                for schema in schemas:
                    conn.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[arg-type]
                conn.execute("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
                conn.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
        return self.url(self._plan_db, password=None)

    def stop(self) -> None:
        if self._plan_conn is not None:
            self._plan_conn.close()  # type: ignore[attr-defined]
        subprocess.run(
            [
                *self.run_as,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
            check=False,
            timeout=60,
        )
        shutil.rmtree(self.data.parent, ignore_errors=True)


def start() -> PgServer:
    """Start a private PostgreSQL server (raises Unavailable with the reason when it cannot)."""
    pg_bin = find_bin()
    if pg_bin is None:
        raise Unavailable("PostgreSQL server binaries not found (apt-get install postgresql-15)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("psycopg is not installed (pip install -e '.[postgresql]')") from None
    root = Path(tempfile.mkdtemp(prefix="cpft-pg-", dir="/tmp"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable(
                "running as root and there is no 'postgres' user to run PostgreSQL as"
            ) from None
        os.chown(root, pw.pw_uid, pw.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    root.chmod(0o700)
    data, sock = root / "data", root / "sock"
    pwfile = root / "pw"
    for d in (sock,):
        d.mkdir()
    pwfile.write_text(PASSWORD + "\n")
    if run_as:
        import pwd

        pw = pwd.getpwnam("postgres")
        for p in (sock, pwfile):
            os.chown(p, pw.pw_uid, pw.pw_gid)

    def run(*cmd: str, timeout: int = 120, keep: bool = False) -> None:
        done = subprocess.run(
            [*run_as, *cmd], capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            if not keep:
                shutil.rmtree(root, ignore_errors=True)
            raise Unavailable(
                f"{Path(cmd[0]).name} failed: {(done.stderr or done.stdout).strip()[-300:]}"
            )

    run(
        str(pg_bin / "initdb"), "-D", str(data), "-U", SUPERUSER, f"--pwfile={pwfile}",
        "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
    )  # fmt: skip
    # a free port is only free when asked: another test worker (pytest-xdist runs one server
    # each) or program may take it before the server binds it, so a refused start is tried
    # again on another port
    for attempt in range(1, 4):
        port = _free_port()
        opts = (
            f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={sock} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 "
            "-c shared_buffers=64MB"
        )
        try:
            run(
                str(pg_bin / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(root / "log"),
                "-w",
                "-t",
                "60",
                "start",
                keep=attempt < 3,
            )
        except Unavailable:
            if attempt == 3:
                raise
            continue
        return PgServer(pg_bin, data, sock, port, run_as)
    raise AssertionError("unreachable")


_SHARED: list[PgServer] = []


def shared() -> PgServer:
    """The server the test session started (the ``pg_server`` fixture)."""
    if not _SHARED:
        raise Unavailable("the session's PostgreSQL server has not been started")
    return _SHARED[-1]


@contextlib.contextmanager
def running():  # type: ignore[no-untyped-def]
    server = start()
    try:
        yield server
    finally:
        server.stop()
