"""Where things are: the repository root (found from any sub-folder) and the store."""

from __future__ import annotations

import os
from pathlib import Path

from kg.base.errors import UsageError

STORE_ENV = "DTKG_STORE"
ROOT_ENV = "DTKG_ROOT"


def repo_root(start: Path | None = None) -> Path:
    """The nearest folder upwards holding `data/` and `ontology/` (or $DTKG_ROOT)."""
    if os.environ.get(ROOT_ENV):
        root = Path(os.environ[ROOT_ENV]).resolve()
        if not ((root / "ontology").is_dir() and (root / "data").is_dir()):
            raise UsageError(f"{ROOT_ENV}={os.environ[ROOT_ENV]}: not a dtkg repository (it holds no ontology/ and data/); "
                             f"expected the repository's folder, or unset {ROOT_ENV}")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "ontology").is_dir() and (folder / "data").is_dir():
            return folder
    raise UsageError(
        f"{here}: not inside a dtkg repository (no folder above holds ontology/ and data/); "
        f"run from the repository or set {ROOT_ENV}"
    )


def store_path(root: Path, override: Path | str | None = None) -> Path:
    """The embedded store: --store, else $DTKG_STORE, else .dtkg-store/ in the working copy."""
    chosen = override or os.environ.get(STORE_ENV)
    # absolute, but not resolved: the store is a link to its current version (kg.store.local)
    return Path(os.path.abspath(chosen)) if chosen else root / ".dtkg-store"


def records_dir(root: Path) -> Path:
    return root / "data" / "records"


def reference_dir(root: Path) -> Path:
    return root / "data" / "reference"


def ontology_dir(root: Path) -> Path:
    return root / "ontology"
