"""Issue 14, finding 10, with the files exactly as the round built them, through the real `import`.

(The smaller versions are in test_security_documents.py and test_security_slips.py; how long
each takes is measured by bench/hostile_files.py, not here.)
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import db_snapshot, run_cli

_spec = importlib.util.spec_from_file_location(
    "bench_hostile_files", Path(__file__).resolve().parent.parent / "bench" / "hostile_files.py"
)
assert _spec is not None and _spec.loader is not None
hostile_files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile_files)  # bench/hostile_files.py builds the files


def test_a_70_kb_pdf_sharing_a_70_mb_whitespace_stream_is_refused_in_one_line(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hostile_files.pdf_bomb())
    assert path.stat().st_size < 100_000
    assert run_cli("init").returncode == 0
    before = db_snapshot(db_path)
    proc = run_cli("import", "--force", str(path))
    assert proc.returncode == 1
    (line,) = proc.stderr.splitlines()
    assert line.startswith("Error: Cannot read bomb.pdf: its pages unpack to more than 10 MB")
    assert db_snapshot(db_path) == before


def test_8000_nested_divs_import_through_the_command(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_bytes(hostile_files.nested(8_000)())
    proc = run_cli("import", "--force", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "1 added" in proc.stderr
