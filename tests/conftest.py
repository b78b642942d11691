"""Shared fixtures. Tests never touch the working copy's store, nor read ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """The five curated records built once into a temporary store."""
    from kg.build import build

    store_dir = tmp_path_factory.mktemp("store") / "store"
    build(REPO, store_dir, force=True)
    return store_dir


@pytest.fixture(scope="session")
def graph(built_store):
    from kg.store import open_read_only

    return open_read_only(built_store)


@pytest.fixture(scope="session")
def quads():
    """All quads of the graph, in memory."""
    from kg.build import all_quads

    return all_quads(REPO)[0]


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A throw-away copy of the repository's data, ontology and queries, to change freely."""
    import shutil

    for folder in ("ontology", "data", "queries", "shapes"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path
