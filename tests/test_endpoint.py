"""A real SPARQL endpoint: `dtkg push` (Graph Store Protocol, each graph replaced whole),
`--endpoint` on `query` and `sparql`, HTTP Basic auth through a small local proxy, every way an
endpoint fails (down, slow, an HTTP error, not SPARQL) as one line and exit 2, and `dtkg serve`.
Real Oxigraph servers throughout, no mocks."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pyoxigraph import RdfFormat, parse

from kg.store.endpoint import Endpoint, credentials, graph_store_url, redact, update_url

from kg.store.sparql import Local, query_form
from kg.base.errors import EndpointError, UsageError
from kg.publish.serve import free_port, port_in_use

from helpers import SEED as REPO  # the seed data: answers stay pinned
from helpers import Lines as _Lines
GRAPH = "https://w3id.org/dtkg/graph/"
PASSWORD = "s3cret-Pa55-do-not-print"


@pytest.fixture
def cli(capsys, monkeypatch):
    """`dtkg ARGS` in this process → (exit code, stdout, stderr)."""
    from kg.cli.main import main

    monkeypatch.setenv("DTKG_ROOT", str(REPO))

    def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setattr(sys, "argv", ["dtkg", *args])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        assert "Traceback" not in err, err
        return code, out, err
    return run


@pytest.fixture(scope="module")
def fresh_server(oxigraph_factory, tmp_path_factory):
    """A throw-away read-write Oxigraph server (separate default graph): its query URL."""
    def start() -> str:
        location = tmp_path_factory.mktemp("oxigraph-fresh") / "db"
        _, base = oxigraph_factory(["serve", "--location", str(location)])
        return base + "/query"
    return start


def remote_counts(url: str) -> dict[str, int]:
    _, rows = Endpoint(url, dataset="server").select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in rows}


def local_counts(graph) -> dict[str, int]:
    """Each named graph's size, but the union graph, which push leaves to the remote store."""
    from kg.base.namespaces import UNION_GRAPH

    return {g.value: len(list(graph.quads_for_pattern(None, None, None, g))) for g in graph.named_graphs()
            if g.value != UNION_GRAPH}


def gsp(url: str, method: str, graph: str, body: bytes | None = None) -> None:
    request = urllib.request.Request(f"{graph_store_url(url)}?graph={urllib.request.quote(graph, safe='')}", data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/n-triples")
    urllib.request.urlopen(request, timeout=10).read()


# -- pushing --------------------------------------------------------------------------------------


def test_push_puts_every_graph_and_the_counts_agree(fresh_server, graph):
    url = fresh_server()
    report = Endpoint(url).push(graph)
    assert len(report.graphs) == len(local_counts(graph)) == 10
    assert remote_counts(url) == local_counts(graph)


def test_a_second_push_replaces_each_graph_whole_and_drops_stale_ones(fresh_server, graph):
    url = fresh_server()
    remote = Endpoint(url)
    remote.push(graph)
    record = GRAPH + "record/tuyen-quang-2022-04-22"
    gsp(url, "POST", record, b"<http://example.org/s> <http://example.org/p> \"stale\" .\n")  # a stray triple
    gsp(url, "PUT", GRAPH + "record/deleted-record", b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    gsp(url, "PUT", "http://example.org/another-agency", b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    assert remote_counts(url)[record] == local_counts(graph)[record] + 1
    report = remote.push(graph)
    assert report.deleted == [GRAPH + "record/deleted-record"]
    counts = remote_counts(url)
    assert {g: n for g, n in counts.items() if g.startswith(GRAPH)} == local_counts(graph)
    assert counts["http://example.org/another-agency"] == 1  # not ours: left alone


def test_a_failed_push_says_how_far_it_got(fresh_server, graph):
    url = fresh_server()
    with pytest.raises(EndpointError, match=r"while pushing graph <.*>; 0 of 10 graphs were replaced"):
        Endpoint(url).push(graph, url.replace("/query", "/no-graph-store-here"))


def test_push_command(cli, fresh_server, built_store):
    url = fresh_server()
    code, out, err = cli("push", "--endpoint", url, "--store", str(built_store))
    assert code == 0 and out == ""
    assert err.strip().splitlines()[-2].startswith("pushed 10 graphs (") and url in err
    # a stock Oxigraph keeps the default graph apart: the user is told how other clients see the data
    assert err.strip().splitlines()[-1].startswith("dtkg: notice: the graph is in named graphs;")
    assert "GRAPH ?g" in err and "--union-default-graph" in err


def test_push_to_a_union_default_graph_server_needs_no_notice(cli, oxigraph_factory, built_store, tmp_path):
    _, base = oxigraph_factory(["serve", "--location", str(tmp_path / "db"), "--union-default-graph"])
    code, _, err = cli("push", "--endpoint", base + "/query", "--store", str(built_store))
    assert code == 0 and "notice" not in err and err.strip().startswith("pushed 10 graphs")


def test_push_to_a_read_only_server_says_so_and_not_to_try_again(cli, oxigraph_factory, built_store, tmp_path):
    from pyoxigraph import Store
    Store(str(tmp_path / "db")).flush()  # an existing, empty database to serve read-only
    _, base = oxigraph_factory(["serve-read-only", "--location", str(tmp_path / "db")])
    code, out, err = cli("push", "--endpoint", base + "/query", "--store", str(built_store))
    assert (code, out) == (2, "") and len(err.strip().splitlines()) == 1
    assert "the server refused the update (403): it is read-only or needs credentials" in err
    assert "again" not in err
    with pytest.raises(EndpointError, match=r"refused the update \(403\): it is read-only"):
        Endpoint(base + "/query").update("INSERT DATA { <http://x> <http://y> <http://z> }")


def test_graph_store_and_update_urls():
    assert graph_store_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    assert graph_store_url("http://h:3030/ds/query") == "http://h:3030/ds/data"
    assert graph_store_url("http://h:3030/ds/sparql") == "http://h:3030/ds/data"
    assert graph_store_url("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud"
    assert graph_store_url("http://h:8890/sparql", with_credentials=True) == "http://h:8890/sparql-graph-crud-auth"
    with pytest.raises(UsageError, match="--graph-store"):
        graph_store_url("http://h/some/deep/path/endpoint")
    assert update_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/update"
    assert update_url("http://h:8890/sparql") == "http://h:8890/sparql"


# -- queries and updates --------------------------------------------------------------------------


@pytest.mark.parametrize("text, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# a comment with INSERT\nPREFIX ex: <http://example.org/>\nBASE <http://b/>\n  select ?x { }", "SELECT"),
    ("PREFIX : <http://x/> ASK { :a :b :c }", "ASK"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://x>", "DESCRIBE"),
    ("INSERT DATA { <http://x> <http://y> \"SELECT\" }", None),
    ("# SELECT\nDROP ALL", None),
    ("PREFIX select: <http://x/> DELETE WHERE { ?s select:p ?o }", None),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", None),
    ("", None),
])
def test_query_form(text, form):
    assert query_form(text) == form


def test_query_on_the_endpoint_prints_what_the_embedded_store_prints(cli, oxigraph_servers, built_store):
    for url in oxigraph_servers.values():
        for args in (["provinces-by-sector", "sector=Logistics"], ["targets", "year=2025"], ["sector-coverage"]):
            here = cli("query", *args, "--format", "csv", "--store", str(built_store))
            there = cli("query", *args, "--format", "csv", "--endpoint", url)
            assert here[0] == there[0] == 0 and here[1] == there[1] and here[1].count("\n") > 1


def test_sparql_command(cli, oxigraph_servers, built_store):
    url = oxigraph_servers["separate"]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/dtkg/ontology#Directive> }"
    assert cli("sparql", count, "--format", "csv", "--store", str(built_store))[1] == "n\n14\n"
    assert cli("sparql", count, "--format", "csv", "--endpoint", url)[1] == "n\n14\n"
    assert cli("sparql", "ASK { ?s ?p ?o }", "--endpoint", url)[1] == "true\n"
    assert json.loads(cli("sparql", "ASK { ?s ?p ?o }", "--format", "sparql-json", "--store", str(built_store))[1]) == {"head": {}, "boolean": True}
    code, out, _ = cli("sparql", "CONSTRUCT { ?p a ?c } WHERE { ?p a ?c } LIMIT 3", "--endpoint", url)
    assert code == 0 and len(list(parse(out.encode(), format=RdfFormat.TURTLE))) == 3
    # SPARQLWrapper alone read the comment's "address" as ADD and sent an update
    commented = "PREFIX dtkg: <https://w3id.org/dtkg/ontology#>  # acts that address logistics\n" + count.replace(
        "<https://w3id.org/dtkg/ontology#Directive>", "dtkg:Directive")
    assert cli("sparql", commented, "--format", "csv", "--endpoint", url)[1] == "n\n14\n"


def test_sparql_from_a_file(cli, built_store, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("# how many provinces?\nSELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/dtkg/ontology#Province> }\n")
    assert cli("sparql", "--file", str(query), "--format", "csv", "--store", str(built_store))[1] == "n\n86\n"
    code, _, err = cli("sparql", "--file", str(tmp_path / "missing.rq"), "--store", str(built_store))
    assert code == 2 and "missing.rq: cannot read: No such file" in err


def test_sparql_f_is_the_format_and_a_path_given_to_it_points_to_file(cli, built_store, tmp_path):
    """-f means the output format in every command; the old `sparql -f FILE` gets one clear line."""
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/dtkg/ontology#Province> }\n")
    assert cli("sparql", "--file", str(query), "-f", "csv", "--store", str(built_store))[1] == "n\n86\n"
    for path in (str(query), "my.rq"):
        code, out, err = cli("sparql", "-f", path, "--store", str(built_store))
        assert (code, out) == (2, "") and err.strip().endswith("-f is the output format now; use --file PATH")
        assert len(err.strip().splitlines()) == 1
    code, _, err = cli("sparql", "ASK {}", "-f", "xml", "--store", str(built_store))
    assert code == 2 and "unknown format 'xml'" in err


@pytest.mark.parametrize("update", ["DROP ALL", "INSERT DATA { <http://x> <http://y> <http://z> }",
                                    "# looks like a comment\nCLEAR DEFAULT", "DELETE WHERE { ?s ?p ?o }"])
def test_updates_are_refused_without_the_flag(update, cli, oxigraph_servers, built_store):
    before = remote_counts(oxigraph_servers["union"])
    for where in (["--store", str(built_store)], ["--endpoint", oxigraph_servers["union"]]):
        code, out, err = cli("sparql", update, *where)
        assert code == 2 and out == "" and "updates are refused unless --update" in err
        assert len(err.strip().splitlines()) == 1
    assert remote_counts(oxigraph_servers["union"]) == before
    assert len(Local(__import__("kg.store.local", fromlist=["x"]).open_read_only(built_store)).select(
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/dtkg/graph/union>) }")[1]) == sum(before.values())


def test_updates_with_the_flag(cli, fresh_server, built_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    insert = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
    code, _, err = cli("sparql", insert, "--update", "--store", str(store))
    assert code == 0 and "updated the embedded store" in err
    ask = "ASK { <http://example.org/s> <http://example.org/p> 1 }"
    assert cli("sparql", ask, "--store", str(store))[1] == "true\n"
    url = fresh_server()
    Endpoint(url).push(Local(__import__("kg.store.local", fromlist=["x"]).open_read_only(built_store)).store)
    assert cli("sparql", insert, "--update", "--endpoint", url)[0] == 0
    assert cli("sparql", ask, "--endpoint", url)[1] == "true\n"
    code, _, err = cli("sparql", "SELECT * WHERE { ?s ?p ?o }", "--update", "--endpoint", url)
    assert code == 0  # a query with --update is still just a query


# -- failures: one line, exit 2 -----------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _reply(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        path = self.path.split("?")[0]
        if path == "/slow":
            time.sleep(3)
            status, ctype, body = 200, "application/sparql-results+json", b'{"head": {"vars": []}, "results": {"bindings": []}}'
        elif path == "/html":
            status, ctype, body = 200, "text/html", b"<html><body>Welcome to our portal</body></html>"
        elif path == "/error":
            status, ctype, body = 500, "text/plain", b"internal trouble\nat line 2"
        elif path == "/json":
            status, ctype, body = 200, "application/json", b'{"hello": "world"}'
        elif path == "/broken-json":
            status, ctype, body = 200, "application/sparql-results+json", b'{"head": {"vars": ["x"]'
        elif path == "/teapot":
            status, ctype, body = 418, "text/plain", b"I am a teapot"
        else:
            status, ctype, body = 404, "text/plain", b"nothing here"
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = _reply


@pytest.fixture(scope="module")
def odd_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path, message", [
    ("/html", "answered text/html, not SPARQL JSON results"),
    ("/error", "failed (HTTP 500): internal trouble at line 2"),
    ("/json", "answered JSON that is not SPARQL results"),
    ("/broken-json", "that is not valid JSON"),
    ("/teapot", "answered HTTP 418"),
    ("/missing", "has no SPARQL service at this URL (HTTP 404)"),
])
def test_endpoint_failures(path, message, odd_server, cli):
    with pytest.raises(EndpointError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Endpoint(odd_server + path, dataset="server").select("SELECT * WHERE { ?s ?p ?o }")
    code, out, err = cli("query", "provinces-by-sector", "sector=logistics", "--endpoint", odd_server + path)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and message in err


def test_slow_endpoint_times_out(odd_server, cli):
    started = time.monotonic()
    code, _, err = cli("sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", odd_server + "/slow", "--timeout", "0.5")
    assert code == 2 and "did not answer within 0.5 s" in err and len(err.strip().splitlines()) == 1
    assert time.monotonic() - started < 2.5


def test_endpoint_down(cli):
    port = free_port()
    code, _, err = cli("query", "search", "text=logistics", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert code == 2 and f"cannot reach http://127.0.0.1:{port}/query" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("push", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert code == 2 and "cannot reach" in err


def test_empty_endpoint_asks_for_a_push(fresh_server, cli):
    code, _, err = cli("query", "provinces-by-sector", "sector=logistics", "--endpoint", fresh_server())
    assert code == 2 and "holds no dtkg graphs; load them with `dtkg push" in err


@pytest.mark.parametrize("url, message", [
    ("ftp://example.org/sparql", "is not an http(s) URL"),
    ("not a url", "is not an http(s) URL"),
    (f"http://alice:{PASSWORD}@127.0.0.1:7878/query", "keep credentials out of the URL"),
])
def test_bad_endpoint_urls(url, message, cli):
    code, out, err = cli("query", "search", "text=x", "--endpoint", url)
    assert code == 2 and message in err and PASSWORD not in out + err


# -- HTTP Basic auth, through a small proxy in front of Oxigraph ---------------------------------------


@pytest.fixture(scope="module")
def auth_proxy(oxigraph_servers):
    """Forwards to the 'union' Oxigraph server, after checking HTTP Basic alice/PASSWORD."""
    upstream = oxigraph_servers["union"].rsplit("/", 1)[0]
    expected = "Basic " + base64.b64encode(f"alice:{PASSWORD}".encode()).decode()

    class Proxy(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="dtkg test"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            request = urllib.request.Request(upstream + self.path, data=body, method=self.command)
            for name in ("Content-Type", "Accept"):
                if self.headers.get(name):
                    request.add_header(name, self.headers[name])
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    status, headers, payload = response.status, response.headers, response.read()
            except urllib.error.HTTPError as exc:
                status, headers, payload = exc.code, exc.headers, exc.read()
            self.send_response(status)
            if headers.get("Content-Type"):
                self.send_header("Content-Type", headers["Content-Type"])
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query"
    server.shutdown()
    server.server_close()


def test_auth_needed_refused_and_accepted(auth_proxy, cli, built_store, monkeypatch):
    monkeypatch.delenv("DTKG_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("DTKG_ENDPOINT_PASSWORD", raising=False)
    args = ("query", "provinces-by-sector", "sector=logistics", "--format", "csv")
    code, out, err = cli(*args, "--endpoint", auth_proxy)
    assert code == 2 and "needs credentials (HTTP 401)" in err
    code, out, err = cli(*args, "--endpoint", auth_proxy, "--user", "alice", env={"DTKG_ENDPOINT_PASSWORD": "wrong"})
    assert code == 2 and "refused the credentials of user 'alice'" in err and "wrong" not in err
    code, out, err = cli(*args, "--endpoint", auth_proxy, "--user", "alice", env={"DTKG_ENDPOINT_PASSWORD": PASSWORD})
    assert code == 0 and out == cli(*args, "--store", str(built_store))[1]
    assert PASSWORD not in out + err


def test_auth_from_the_environment_and_push_through_it(auth_proxy, cli, built_store, monkeypatch):
    monkeypatch.setenv("DTKG_ENDPOINT_USER", "alice")
    monkeypatch.setenv("DTKG_ENDPOINT_PASSWORD", PASSWORD)
    code, out, err = cli("push", "--endpoint", auth_proxy, "--store", str(built_store))
    assert code == 0 and "pushed 10 graphs" in err and PASSWORD not in out + err
    code, out, err = cli("sparql", "ASK { ?s ?p ?o }", "--endpoint", auth_proxy)
    assert (code, out) == (0, "true\n")


def test_a_user_without_a_password_is_a_usage_error(monkeypatch):
    monkeypatch.delenv("DTKG_ENDPOINT_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(UsageError, match="needs a password: set \\$DTKG_ENDPOINT_PASSWORD"):
        credentials("alice")
    typed = credentials("alice", prompt=lambda _: PASSWORD)
    assert typed.password == PASSWORD and PASSWORD not in repr(typed)
    assert redact(f"http://alice:{PASSWORD}@h:1/query") == "http://h:1/query"


# -- dtkg serve -------------------------------------------------------------------------------------


def test_serve_read_only_follows_the_store_and_says_when_the_port_is_taken(built_store, graph, tmp_path, cli):
    from kg.graph.build import build
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port), "--store", str(store)],
                            cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        lines = _Lines(proc.stderr)
        assert f"http://127.0.0.1:{port}/query" in lines.wait_for("serving the graph read-only")
        url = f"http://127.0.0.1:{port}/query"
        from kg.queries.catalogue import answer, catalogue
        stored = catalogue(REPO)["provinces-by-sector"]
        expected = answer(stored, {"sector": "logistics"}, Local(graph).select)
        assert answer(stored, {"sector": "logistics"}, Endpoint(url).select) == expected
        assert Endpoint(url).dataset_mode() == "server"  # the union, as in the embedded store
        # read-only
        with pytest.raises(EndpointError, match=r"refused the update \(403\): it is read-only"):
            Endpoint(url).update("INSERT DATA { <http://x> <http://y> <http://z> }")
        # the store is rebuilt (as `dtkg add` does) while serving: the server follows
        build(REPO, store, force=True)
        lines.wait_for("the store changed")
        assert answer(stored, {"sector": "logistics"}, Endpoint(url).select) == expected
        # a second server on the same port
        code, _, err = cli("serve", "--port", str(port), "--store", str(store))
        assert code == 2 and f"port {port} on 127.0.0.1 is already in use" in err
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.returncode == 0
    deadline = time.monotonic() + 5
    while port_in_use(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not port_in_use(port)  # the Oxigraph server went with it
