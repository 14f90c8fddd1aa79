"""What commands tell the person (stderr) and how data is written (stdout or -o FILE)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cpft_tracker.errors import (
    FileExists,
    TrackerError,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any


def say(text: str) -> None:
    """A message for the person at the terminal (stderr).

    Messages often quote people's text (a note, a name, a reason): control characters and bidi
    overrides in it are shown, never obeyed by the terminal (issue 14, finding 5).
    """
    from cpft_tracker.textsafe import visible

    print(visible(text, multiline=True), file=sys.stderr)


def show_line(text: str) -> None:
    """One line of data for people on stdout (owners, reports), made terminal-safe."""
    from cpft_tracker.textsafe import visible

    print(visible(text))


def report_changes(changes: list[Any], nothing: str) -> None:
    """Tell the user what changed, one line per change (stderr)."""
    from cpft_tracker.render import describe_event

    if not changes:
        say(nothing)
        return
    for c in changes:
        say(f"{c.ref}: {describe_event({'field': c.field, 'old': c.old, 'new': c.new})}")


def check_output(output: str | None, *, force: bool) -> None:
    """Refuse an -o file that is already there (unless --force), before any work is done."""
    if output is None or output == "-":
        return
    target = Path(output)
    if target.is_symlink():  # refused whatever --force says, with where it points
        from cpft_tracker.safefiles import refuse_odd_target

        refuse_odd_target(target)
    if target.is_dir():
        raise TrackerError(
            f"{target} is a folder. Give a file name, e.g. -o {target / 'plan.csv'}."
        )
    if not force and (target.exists() or target.is_symlink()):
        raise FileExists(
            f"{target} already exists, so it was not replaced. Give a new file name, "
            "or add --force to replace it."
        )


def write_output(
    text: str | bytes | Iterable[str], output: str | None, *, force: bool = True
) -> None:
    """Data to stdout, or to a file with -o (written whole, then moved into place).

    ``text`` may be the pieces of the data as they are produced (an export): they are
    written as they come, so the whole document is never held at once. ``bytes`` (an
    .xlsx workbook) are written as they are. A file goes through ``safefiles`` (issue 14,
    findings 7 and 8): a private temporary file created with O_EXCL|O_NOFOLLOW in the
    target's folder, mode 0600 whatever the umask, never widening an existing file's mode,
    renamed into place; a target that is a link, a folder or a device is refused.
    ``force=False`` refuses to replace an existing file.
    """
    from cpft_tracker.render import write_stdout, write_stdout_chunks
    from cpft_tracker.safefiles import output_file

    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        elif isinstance(text, str):
            write_stdout(text)
        else:
            write_stdout_chunks(text)
        return
    check_output(output, force=force)
    target = Path(output)
    with output_file(target, force=force, text=not isinstance(text, bytes)) as fh:
        if isinstance(text, str | bytes):
            fh.write(text)
        else:
            for piece in text:
                fh.write(piece)
    say(f"Wrote {target}.")


class _ScreenBuffer(io.StringIO):
    """What a command writes for the terminal, held to be paged: it is drawn as for a terminal."""

    def isatty(self) -> bool:
        return True


def _pager_command() -> str | None:
    """$CPFT_TRACKER_PAGER, else $PAGER, else less (if installed); None when paging is off ('' or cat)."""
    import shutil

    command = os.environ.get("CPFT_TRACKER_PAGER", os.environ.get("PAGER"))
    if command is None:
        return "less" if shutil.which("less") else None
    return command if command.strip() not in ("", "cat") else None


@contextmanager
def paged(enabled: bool = True, *, wide: bool = False) -> Iterator[None]:
    """Show what is written to stdout inside through a pager when it is longer than the screen.

    Only on a terminal (never when stdout is a pipe or a file) and only when the text has
    more lines than the terminal: it is drawn in full first (as for the terminal: its width
    and colours), then handed to the pager. less gets ``LESS=FRX`` (and ``S`` for --wide,
    so long lines scroll sideways) unless ``$LESS`` is set, as git does.
    """
    import shutil

    real = sys.stdout
    command = _pager_command() if enabled else None
    if command is None or not real.isatty():
        yield
        return
    screen = _ScreenBuffer()
    sys.stdout = screen
    try:
        yield
    except BaseException:
        sys.stdout = real
        real.write(screen.getvalue())
        raise
    sys.stdout = real
    text = screen.getvalue()
    if text.count("\n") < shutil.get_terminal_size().lines - 1:
        real.write(text)
        real.flush()
        return
    _run_pager(command, text, wide=wide, fallback=real)


def _run_pager(command: str, text: str, *, wide: bool, fallback: Any) -> None:
    """Pipe ``text`` into the pager (a shell command, as $PAGER is); print it if that cannot start."""
    import signal
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX" + ("S" if wide else ""))
    encoding = getattr(fallback, "encoding", None) or "utf-8"
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's to handle
    try:
        done = subprocess.run(  # noqa: S602 - $PAGER is a shell command line, as for git and man
            command, shell=True, input=text.encode(encoding, "replace"), env=env, check=False
        )
    except OSError:
        done = None
    finally:
        signal.signal(signal.SIGINT, previous)
    if done is None or done.returncode in (126, 127):  # the pager could not be started
        fallback.write(text)
        fallback.flush()
