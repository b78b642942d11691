"""What the fast `dtkg query` path (kg.cli.main) and the typer commands (kg.cli.commands) share:
the repository and store of a command, a fresh store, the output format, a stored question
answered and rendered. Imports nothing heavy at module level."""

from __future__ import annotations

from pathlib import Path
from typing import Callable


def _context(store: Path | None) -> tuple[Path, Path]:
    from kg.base.paths import repo_root, store_path
    root = repo_root()
    return root, store_path(root, store)


def _fresh_store(store: Path | None):
    """The store, rebuilt first if data/ changed since it was built; opened read-only."""
    from kg.store.local import is_fresh, open_read_only
    root, store_dir = _context(store)
    if not is_fresh(root, store_dir):  # the build machinery (YAML, mapping...) only when needed
        from kg.graph.build import ensure_built
        ensure_built(root, store_dir)
    return root, open_read_only(store_dir)


def _check_format(fmt: str) -> str:
    from kg.base.errors import UsageError
    from kg.cli.output import FORMATS
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def _notice(message: str) -> None:
    import sys
    print(f"dtkg: notice: {message}", file=sys.stderr)


def answer(root: Path, name: str, params: list[str] | None, fmt: str, select: Callable,
           iri: bool = False, lang: str | None = None) -> str:
    """A stored question answered through `select` (the store's or an endpoint's), rendered."""
    from kg.queries import catalogue as q
    from kg.cli.output import MATRIX_FORMATS, matrix, render
    stored = q.get(root, name)
    import os
    lang = lang or os.environ.get("DTKG_LANG") or "vi"
    columns, rows = q.answer(stored, q.parse_args(params or []), select, notify=_notice, lang=lang)
    if stored.matrix and fmt in MATRIX_FORMATS:
        columns, rows = matrix(rows, stored.matrix)
    return render(rows, columns, fmt, iri=iri)


_FULL = {"ENOSPC": "the disk is full (no space left on device); free some space and run the command again",
         "EDQUOT": "the disk quota is used up; free some space and run the command again",
         "EFBIG": "the file is larger than this system allows (the file-size limit, `ulimit -f`); "
                  "raise the limit or write somewhere else, and run the command again"}


def os_error_line(exc: OSError) -> str:
    """An OSError that reached the command line (a full disk, a file-size limit, a folder that
    cannot be written) as one line: the file, what happened, what to do. RocksDB reports these
    without an errno, in its message: the file is found there."""
    import errno
    import re

    from kg.base.errors import one_line

    text = str(exc)
    name = errno.errorcode.get(exc.errno or 0, "")
    if not name:
        name = next((n for n, words in (("ENOSPC", "No space left"), ("EDQUOT", "quota exceeded"),
                                        ("EFBIG", "File too large")) if words.lower() in text.lower()), "")
    found = re.search(r"(?:file|File|path):? (/[^\s:]+)", text)
    where = exc.filename or (found[1] if found else None) or "the output (standard output or a file being written)"
    if name in _FULL:
        return f"{where}: cannot write: {_FULL[name]}"
    return f"{where}: {one_line(exc.strerror or text)}; check that it exists and can be read or written"


def quiet_stdout() -> None:
    """Standard output pointed at /dev/null: after a write to it failed, Python's own flush at
    exit would fail again with its own message."""
    import os
    import sys
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
