"""Helpers several test modules share (imported as `helpers`: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.errors import InputError

REPO = Path(__file__).resolve().parents[1]


def built_copy(base: Path, source: Path = REPO) -> tuple[Path, Path]:
    """A copy of `source`'s ontology, shapes and data in base/repo, and its store built in base/store."""
    from kg.build import build

    root = base / "repo"
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(source / folder, root / folder)
    store = base / "store"
    build(root, store, force=True)
    return root, store


def findings(path: Path, context, root: Path, engine: str = "sparql") -> list[str]:
    """`dtkg validate FILE`'s lines for one record or RDF file against `context`."""
    from kg.validate import check_rdf, check_record, is_record

    try:
        if is_record(path):
            found = check_record(path, context, root, display=path.name, engine=engine).findings
        else:
            found = check_rdf(path, context, root, display=path.name, engine=engine)
    except InputError as exc:
        return [f"InputError {exc}"]
    return [f.format() for f in found]
