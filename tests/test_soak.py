"""The soak test's server part, quick: a handful of nested, huge and malformed requests, abandoned
heavy queries, idle connections and a few clients against a real `dtkg serve`. No timing is
asserted (benchmarks/soak.py measures that): only that the server answers and never dies."""

from __future__ import annotations

import importlib.util
import sys
import time

import pytest
from helpers import REPO


@pytest.fixture(scope="module")
def soak():
    spec = importlib.util.spec_from_file_location("dtkg_soak", REPO / "benchmarks" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def server(soak, tmp_path_factory):
    repo = soak.Repo(tmp_path_factory.mktemp("soak"))
    assert repo.run("build", "--force").returncode == 0
    server = soak.Server(repo)
    yield server
    server.stop()


def test_hostile_requests_never_bring_the_server_down(soak, server):
    found = soak.hostile(server, quick=True)
    assert found["server crashes"] == 0 and server.alive(), server.lines[-5:]
    assert found["normal query after"] == 200


@pytest.mark.parametrize("name", ["abandoned", "idle", "throughput"])
def test_abandoned_queries_idle_connections_and_clients_leave_it_answering(soak, server, name):
    found = getattr(soak, name)(server, quick=True)
    assert server.alive(), server.lines[-5:]
    assert found.get("normal query after", found.get("status", 200)) == 200, found
    assert found.get("errors", 0) == 0, found


def test_a_query_over_the_timeout_has_its_server_replaced_and_stopped(soak, server):
    """Oxigraph computes on past its timeout: the front gives up (503) and `dtkg serve` replaces the
    server, killing the old one, so the cores are freed; the next query answers."""
    status, body = server.query(soak.HEAVY, timeout=60)
    assert status == 503 and b"ran over" in body
    deadline = time.monotonic() + 30
    while not any("its server was replaced" in line for line in server.lines) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any("its server was replaced" in line for line in server.lines), server.lines[-5:]
    assert server.query(soak.LIGHT)[0] == 200
