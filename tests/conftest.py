"""Shared fixtures. Tests never touch the working copy's store, nor read ../shared. The graph they
build is the seed repository (helpers.SEED: the five seed articles), so pinned answers hold while
data/ grows; test_data.py checks the real data."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SEED


@pytest.fixture(scope="session")
def repo() -> Path:
    return SEED


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """The five seed records built once into a temporary store."""
    from kg.graph.build import build

    store_dir = tmp_path_factory.mktemp("store") / "store"
    build(SEED, store_dir, force=True)
    return store_dir


@pytest.fixture(scope="session")
def graph(built_store):
    from kg.store.local import open_read_only

    return open_read_only(built_store)


@pytest.fixture(scope="session")
def quads():
    """All quads of the graph, in memory."""
    from kg.graph.build import all_quads

    return all_quads(SEED)[0]


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A throw-away copy of the repository's data, ontology and queries, to change freely."""
    import shutil

    for folder in ("ontology", "data", "queries", "shapes"):
        if (SEED / folder).is_dir():
            shutil.copytree(SEED / folder, tmp_path / folder)
    return tmp_path


# -- real SPARQL servers (queries-endpoint) -----------------------------------------------------


@pytest.fixture(scope="session")
def oxigraph_factory(tmp_path_factory):
    """Starts real Oxigraph servers (`oxigraph ARGS --bind 127.0.0.1:PORT` on a free port) and
    stops them all at the end of the session. factory(args) → (process, base URL)."""
    from kg.base.errors import UsageError
    from kg.publish.serve import free_port, start_oxigraph, stop

    started = []

    def factory(args: list[str]):
        log = tmp_path_factory.mktemp("oxigraph-log") / "oxigraph.log"
        for attempt in range(5):  # a free port can be taken between the probe and the bind
            port = free_port()
            try:
                proc = start_oxigraph(args, port, log=log)
            except UsageError:
                if attempt == 4:
                    raise
                continue
            started.append(proc)
            return proc, f"http://127.0.0.1:{port}"

    yield factory
    for proc in started:
        stop(proc)


@pytest.fixture(scope="session")
def oxigraph_servers(tmp_path_factory, oxigraph_factory, graph) -> dict[str, str]:
    """One Oxigraph server per default-graph convention, each loaded once with `dtkg push`'s
    code: 'separate' (Oxigraph's default: the default graph is its own, empty graph) and 'union'
    (--union-default-graph: the default graph is the union, as in Virtuoso). {convention: query URL}."""
    from kg.store.endpoint import Endpoint

    urls = {}
    for convention, extra in (("separate", []), ("union", ["--union-default-graph"])):
        location = tmp_path_factory.mktemp(f"oxigraph-{convention}") / "db"
        _, base = oxigraph_factory(["serve", "--location", str(location), *extra])
        Endpoint(base + "/query").push(graph)
        urls[convention] = base + "/query"
    return urls


@pytest.fixture(scope="session")
def remote_endpoints(oxigraph_servers) -> dict:
    """Endpoints over the two servers, plus the SPARQL Protocol's explicit dataset forced on the
    'separate' one: {'separate', 'union', 'explicit'} → kg.store.endpoint.Endpoint."""
    from kg.store.endpoint import Endpoint

    return {"separate": Endpoint(oxigraph_servers["separate"]),
            "union": Endpoint(oxigraph_servers["union"]),
            "explicit": Endpoint(oxigraph_servers["separate"], dataset="explicit")}
