"""``import``: CQC report files (or the bundled example) into actions."""

from __future__ import annotations

from pathlib import Path

from cpft_tracker.cli.options import db_path, open_store
from cpft_tracker.cli.output import say
from cpft_tracker.errors import (
    BadDocument,
    UsageProblem,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated, Any

    import typer

    from cpft_tracker.cli.declarations import By


def bundled_report() -> Path:
    """The CQC report shipped with cpft-tracker (the 17 July 2025 well-led assessment of CPFT)."""
    name = "cqc-cpft-well-led-assessment-2025-07-17.txt"
    try:
        from importlib.resources import files

        candidate = Path(str(files("cpft_tracker.bundled").joinpath(name)))
        if candidate.exists():
            return candidate
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "data" / name


def _name_refs(reason: str, refs: dict[int, str]) -> str:
    """A review reason with the positions it names ("#14") given as refs ("CPFT-14")."""
    import re

    return re.sub(r"#(\d+)", lambda m: refs.get(int(m.group(1)), m.group(0)), reason)


def import_(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE...", help="Report files: .txt, .html or .pdf.", show_default=False
        ),
    ] = None,
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            metavar="NAME",
            help="Name of the report (default: its title, else the file name).",
        ),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix",
            metavar="LETTERS",
            help="Reference prefix for new reports, e.g. WL gives WL-01.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; change nothing.")
    ] = False,
    include_should: Annotated[
        bool,
        typer.Option("--include-should", help="Also import advisory 'should' recommendations."),
    ] = False,
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            help="Import the bundled example: CQC's 17 July 2025 well-led report on CPFT.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Import a file even if it does not look like a CQC report."),
    ] = False,
    by: By = None,
) -> None:
    """Extract every must/needs requirement from CQC report files and add each as an action.

    Importing the same file again adds nothing and keeps owners, dates, statuses and notes;
    a revised report adds only its new requirements and flags the ones it no longer has.
    A file that does not look like a CQC report (a licence, a page about something else,
    this tool's own board report) is refused unless --force is given.

    Example: cpft-tracker import report.pdf --dry-run
    """
    import hashlib  # here, not at the top: only import needs it (start-up, issue 7)
    import re

    from cpft_tracker.documents import read_document
    from cpft_tracker.extract import document_title, extract_requirements, looks_like_cqc_report
    from cpft_tracker.store import who

    paths = list(files or [])
    if example:
        paths.insert(0, bundled_report())
    if not paths:
        raise UsageProblem(
            "Give a report file to import, e.g. cpft-tracker import report.txt (or --example)."
        )
    if report and len(paths) > 1:
        raise UsageProblem("--report names one report: import one file at a time when you use it.")
    if prefix is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,7}", prefix):
        raise UsageProblem(
            "--prefix takes 1 to 8 letters or digits starting with a letter, e.g. --prefix WL."
        )
    documents = [
        read_document(Path(p)) for p in paths
    ]  # read them all first: a bad file changes nothing
    forced: dict[Path, str] = {}
    for doc in documents:  # and refuse any that is not a report before anything changes
        ok, why = looks_like_cqc_report(doc.text)
        if ok:
            continue
        if not force:
            said = why.removesuffix(", not a CQC report")  # "…: it is a job advert."
            raise BadDocument(
                f"{doc.path.name} does not look like a CQC report: {said}. Nothing was "
                "imported; if it is one, import it anyway with --force."
            )
        forced[doc.path] = f"imported with --force: {why}"
    from cpft_tracker.store.connection import is_postgres

    new_plan = not db_path().exists()
    store = None if dry_run and new_plan else open_store(create=not dry_run)

    added_any = False
    to_review: list[dict[str, Any]] = []
    for doc in documents:
        requirements = extract_requirements(doc.text, include_should=include_should)
        name = " ".join((report or document_title(doc.text) or doc.path.stem).split())
        sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        if store is None:
            from cpft_tracker.extract import needs_review
            from cpft_tracker.store import ImportResult, derive_prefix

            result = ImportResult(report=name, report_created=True)
            refs = {
                r.position: f"{prefix or derive_prefix(name)}-{i:02d}"
                for i, r in enumerate(requirements, start=1)
            }
            flagged = {
                position: _name_refs(reason, refs)
                for position, reason in needs_review(requirements)
            }
            for i, req in enumerate(requirements, start=1):
                result.added.append(
                    {
                        "review": "awaiting" if req.position in flagged else "accepted",
                        "review_reason": flagged.get(req.position),
                        "ref": f"{prefix or derive_prefix(name)}-{i:02d}",
                        "requirement": req.text,
                        "keyword": req.keyword,
                        "matched": req.matched,
                        "title": req.title,
                        "section": req.section,
                        "quality_statement": req.quality_statement,
                        "line": req.line,
                    }
                )
            result.possible_duplicates = [
                (result.added[req.position - 1]["ref"], result.added[pos - 1]["ref"])
                for req in requirements
                for pos in req.possible_duplicates
                if pos < req.position
            ]
        else:
            result = store.import_report(
                name=name,
                requirements=requirements,
                source_file=doc.path.name,
                source_sha256=sha,
                by=who(by),
                prefix=prefix,
                dry_run=dry_run,
                note=forced.get(doc.path),
            )
        added_any = added_any or bool(result.added)
        if dry_run:
            from cpft_tracker.render import print_import_preview

            print_import_preview(result)
        if not requirements and not result.no_longer_in_source:
            say(
                f"Found no must/needs requirements in {doc.path.name}, so nothing was imported. "
                "Check it is the full text of a CQC report."
            )
            continue
        summary = (
            f"{'Would import' if dry_run else 'Imported'} '{name}' from {doc.path.name}: "
            f"{len(result.added)} {'would be ' if dry_run else ''}added, {len(result.already_there)} already there"
        )
        if result.back_in_source:
            summary += f", {len(result.back_in_source)} back in the report"
        if result.no_longer_in_source:
            summary += (
                f", {len(result.no_longer_in_source)} no longer in the report (kept, flagged)"
            )
        say(summary + ".")
        for later, earlier in result.possible_duplicates:
            say(
                f"{later} may repeat {earlier}: check, then "
                f"'cpft-tracker merge {later} INTO {earlier}'."
            )
        to_review += [item for item in result.added if item.get("review") == "awaiting"]
    if to_review:
        n = len(to_review)
        say(
            f"{n} {'would need' if dry_run else 'need'} a human look before "
            f"{'they count' if n != 1 else 'it counts'} in progress:"
        )
        for item in to_review:
            say(f"  {item['ref']}: {item['review_reason']}")
    elif store is not None and not dry_run:
        from cpft_tracker.store import Filters

        waiting = store.count_plan(Filters(review=["awaiting"], include_retired=False))
        if waiting:
            s = "s" if waiting != 1 else ""
            say(
                f"{waiting} action{s} still await{'' if s else 's'} review: run cpft-tracker review."
            )
    if store is not None and new_plan and not dry_run and not is_postgres(db_path()):
        # a mistyped --db or CPFT_TRACKER_DB starts a plan of its own: say where (once the
        # import is saved; a Ctrl-C before that says only "Stopped")
        say(f"This is a new plan, at {db_path()}.")
    if dry_run:
        say("Dry run: nothing was changed.")
    elif store is not None and added_any:
        if to_review:
            say(
                "Next: run cpft-tracker review to accept or reject "
                f"{'them' if len(to_review) != 1 else 'it'} (in scripts: cpft-tracker accept "
                'REF... or cpft-tracker reject REF... --reason "why").'
            )
        say(
            "Then: give each action an owner (cpft-tracker assign REF... OWNER) and a due date (cpft-tracker due REF... DATE)."
            if to_review
            else "Next: give each action an owner (cpft-tracker assign REF... OWNER) and a due date (cpft-tracker due REF... DATE)."
        )
