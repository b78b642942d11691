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
