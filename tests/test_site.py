"""The published site (`dtkg site`, `dtkg release`) and IRIs that dereference (`dtkg serve`'s
content negotiation, and the w3id.org rules in deploy/w3id/.htaccess), on the seed graph."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from helpers import REPO, SEED, Lines

BASE = "https://w3id.org/dtkg/"


@pytest.fixture(scope="module")
def site(graph, tmp_path_factory) -> Path:
    from kg.publish.site import write_site

    return write_site(graph.quads_for_pattern(None, None, None, None), tmp_path_factory.mktemp("site") / "site").out


def _page_paths(graph) -> set[str]:
    from kg.publish.site.model import page_path

    return {page_path(q.subject.value) for q in graph.quads_for_pattern(None, None, None, None)
            if hasattr(q.subject, "value") and q.subject.value.startswith(BASE)}


def test_every_resource_has_a_page_and_three_descriptions(site, graph):
    paths = _page_paths(graph) - {"index"}
    assert len(paths) > 400
    for path in paths:
        for ext in (".html", ".ttl", ".nt", ".jsonld"):
            assert (site / (path + ext)).is_file(), path + ext


def test_a_percent_encoded_iri_is_filed_under_its_decoded_name(site):
    assert (site / "id/act/vn/2025/19_2025_QĐ-TTg.html").is_file()
    assert not list(site.rglob("*%C4%90*"))


def test_a_description_holds_the_resource_and_the_labels_it_links_to(site, graph):
    from pyoxigraph import NamedNode

    act = "https://w3id.org/dtkg/id/act/08-tuyen-quang/2022/55_KH-UBND"
    turtle = rdflib.Graph().parse(site / "id/act/08-tuyen-quang/2022/55_KH-UBND.ttl", format="turtle")
    own = {(str(q.predicate.value), str(q.object.value)) for q in graph.quads_for_pattern(NamedNode(act), None, None, None)}
    assert own == {(str(p), str(o)) for p, o in turtle.predicate_objects(rdflib.URIRef(act))}
    resolution = rdflib.URIRef("https://w3id.org/dtkg/id/act/08-tuyen-quang/2021/48-NQ_TU")
    assert (resolution, rdflib.URIRef("http://data.europa.eu/eli/ontology#date_document"), None) not in turtle
    assert list(turtle.objects(resolution, None))  # its label comes along
    as_jsonld = rdflib.Graph().parse(site / "id/act/08-tuyen-quang/2022/55_KH-UBND.jsonld", format="json-ld")
    as_nt = rdflib.Graph().parse(site / "id/act/08-tuyen-quang/2022/55_KH-UBND.nt", format="nt")
    assert isomorphic(turtle, as_jsonld) and isomorphic(turtle, as_nt)
    document = json.loads((site / "id/act/08-tuyen-quang/2022/55_KH-UBND.jsonld").read_text("utf-8"))
    assert document["@context"]["eli"] == "http://data.europa.eu/eli/ontology#"
    assert "eli:date_document" in document["@graph"][0]


def test_every_page_embeds_its_json_ld_and_an_act_page_speaks_schema_org(site):
    page = (site / "id/act/08-tuyen-quang/2022/55_KH-UBND.html").read_text("utf-8")
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    node = json.loads(embedded)["@graph"][0]
    assert "schema:Legislation" in node["@type"] and node["schema:legislationIdentifier"] == "55/KH-UBND"
    assert node["schema:legislationDate"] == "2022-04-12"
    for html in site.rglob("*.html"):
        text = html.read_text("utf-8")
        assert text.count('<script type="application/ld+json">') == 1, html
        json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))


def test_nothing_is_loaded_from_another_host_and_no_link_is_broken(site):
    loaded = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]+)"')
    linked = re.compile(r'<a\b[^>]*\bhref="([^"#]*)(?:#[^"]*)?"')
    checked = 0
    for html in site.rglob("*.html"):
        text = html.read_text("utf-8")
        for url in loaded.findall(text):
            assert "://" not in url and not url.startswith("//"), f"{html}: loads {url}"
        for url in linked.findall(text):
            if not url or "://" in url:
                continue
            assert (html.parent / urllib.parse.unquote(url)).resolve().is_file(), f"{html}: broken link {url}"
            checked += 1
    assert checked > 2000


def test_the_home_page_has_its_charts_with_tables(site):
    home = (site / "index.html").read_text("utf-8")
    assert home.count('<figure class="tilemap"') == 2
    tiles = [len(re.findall(r"<rect ", block)) for block in re.findall(r'<figure class="tilemap".*?</figure>', home, re.S)]
    assert tiles == [63, 34]
    assert 'id="heat-title"' in home and 'id="time-title"' in home
    assert home.count('class="tilemap-table"') == 2 and home.count("<details>") == 2  # a table beside each chart
    quang_ngai = re.search(r"<title>Quảng Ngãi: (\d+)</title>", home).group(1)
    assert quang_ngai == "2"


def test_search_is_folded_like_the_graph(site):
    from kg.base.text import fold

    index = json.loads((site / "search.json").read_text("utf-8"))
    def find(text):
        words = fold(text).split()
        return [e["l"] for e in index if all(w in e["f"] for w in words)]
    assert "Hà Tĩnh" in find("ha tinh")
    assert "52-NQ/TW" in find("52")
    script = (site / "search-index.js").read_text("utf-8")
    assert script.startswith("window.DTKG_SEARCH = ") and json.loads(script[len("window.DTKG_SEARCH = "):-2]) == index


def test_a_central_act_page_lists_who_implements_it_and_who_has_not(site):
    page = (site / "id/act/vn/2019/52-NQ_TW.html").read_text("utf-8")
    assert "271-KH/TU" in page and "Quảng Ngãi" in page
    assert re.search(r"No implementing act in the graph yet</span> \(62\)", page)  # of the 63, Quảng Ngãi has one


def test_two_sites_of_one_graph_are_the_same_bytes_and_a_foreign_folder_is_refused(graph, site, tmp_path):
    from kg.base.errors import UsageError
    from kg.publish.site import write_site

    again = write_site(graph.quads_for_pattern(None, None, None, None), tmp_path / "again").out
    assert _tree(again) == _tree(site)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not written by `dtkg site`"):
        write_site(graph.quads_for_pattern(None, None, None, None), foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- release ------------------------------------------------------------------------------------


def test_a_release_describes_each_file_and_is_reproducible(graph, tmp_path):
    from kg.publish.release import write_release

    quads = list(graph.quads_for_pattern(None, None, None, None))
    one = write_release(quads, tmp_path / "one", "1.2.3").out
    two = write_release(quads, tmp_path / "two", "1.2.3").out
    assert _tree(one) == _tree(two)
    sums = dict(reversed(line.split("  ")) for line in (one / "SHA256SUMS").read_text().splitlines())
    assert len(sums) == 6
    for name, digest in sums.items():
        assert hashlib.sha256((one / name).read_bytes()).hexdigest() == digest
    dcat = rdflib.Graph().parse(one / "dtkg-1.2.3.dcat.ttl", format="turtle")
    DCAT, SPDX = rdflib.Namespace("http://www.w3.org/ns/dcat#"), rdflib.Namespace("http://spdx.org/rdf/terms#")
    dists = list(dcat.objects(rdflib.URIRef(BASE + "id/dataset/dtkg"), DCAT.distribution))
    assert len(dists) == 6
    for dist in dists:
        name = str(dcat.value(dist, DCAT.downloadURL)).rsplit("/", 1)[1]
        assert int(dcat.value(dist, DCAT.byteSize)) == (one / name).stat().st_size
        assert str(dcat.value(dcat.value(dist, SPDX.checksum), SPDX.checksumValue)) == sums[name]
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    for term in (VOID.sparqlEndpoint, VOID.uriSpace, VOID.dataDump, rdflib.namespace.DCTERMS.spatial,
                 rdflib.namespace.DCTERMS.temporal, DCAT.keyword, DCAT.contactPoint, rdflib.namespace.DCTERMS.modified):
        assert dcat.value(rdflib.URIRef(BASE + "id/dataset/dtkg"), term) is not None, term
    # every dump holds the graph
    expected = rdflib.Dataset()
    expected.parse(data=gzip.decompress((one / "dtkg-1.2.3.nq.gz").read_bytes()), format="nquads")
    triples = set((s, p, o) for s, p, o, _ in expected.quads())
    for name, fmt in (("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml")):
        g = rdflib.Graph().parse(data=gzip.decompress((one / f"dtkg-1.2.3.{name}.gz").read_bytes()), format=fmt)
        assert len(g) == len(triples), name
    for name, fmt in (("trig", "trig"), ("jsonld", "json-ld")):
        d = rdflib.Dataset()
        d.parse(data=gzip.decompress((one / f"dtkg-1.2.3.{name}.gz").read_bytes()), format=fmt)
        assert len(list(d.quads())) == len(list(expected.quads())), name
    # the site's dataset page names the distributions
    assert "dtkg-1.2.3.ttl.gz" in (one / "site" / "id/dataset/dtkg.html").read_text("utf-8")


# -- content negotiation and the w3id rules ------------------------------------------------------


@pytest.fixture(scope="module")
def served(built_store, tmp_path_factory):
    from kg.publish.serve import free_port

    store = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(built_store, store)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port), "--store", str(store),
                             "--timeout", "5"], cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "DTKG_ROOT": str(SEED)})
    Lines(proc.stderr).wait_for("the pages are ready", timeout=120)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def _get(url: str, accept: str | None = None, data: bytes | None = None, kind: str | None = None):
    request = urllib.request.Request(url, data=data)
    if accept is not None:
        request.add_header("Accept", accept)
    if kind:
        request.add_header("Content-Type", kind)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


VOCABULARIES = "https://w3id.org/dtkg/graph/vocabularies"


def test_served_queries_see_the_union_by_default_and_each_graph_by_name(served, built_store):
    import pyoxigraph

    from kg.base.namespaces import UNION_GRAPH
    store = pyoxigraph.Store.read_only(str(built_store))
    graphs = sum(1 for g in store.named_graphs() if g.value != UNION_GRAPH)
    triples = sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(UNION_GRAPH)))
    del store

    def count(query: str) -> int:
        status, _, body = _get(f"{served}/query", "application/sparql-results+json", urllib.parse.urlencode(
            {"query": query}).encode(), "application/x-www-form-urlencoded")
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    # with default-graph-uri alone the protocol leaves no named graph: GRAPH ?g found none
    assert count("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == graphs > 5
    assert count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == triples  # each triple once
    # a query's own dataset (Oxigraph's --union-default-graph ignored FROM: 76,730 for 952)
    store = pyoxigraph.Store.read_only(str(built_store))
    vocabularies = sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(VOCABULARIES)))
    del store
    assert count(f"SELECT (COUNT(*) AS ?n) FROM <{VOCABULARIES}> WHERE {{ ?s ?p ?o }}") == vocabularies < triples
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{VOCABULARIES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == vocabularies


def test_a_query_that_is_not_utf8_is_a_bad_request(served):
    for data, kind in ((b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }", "application/sparql-query"),
                       (b"query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D", "application/x-www-form-urlencoded")):
        status, _, body = _get(f"{served}/query", data=data, kind=kind)
        assert (status, body) == (400, b"the query is not UTF-8 text (SPARQL 1.1 protocol)\n")


def test_pages_answer_503_with_retry_after_until_they_are_made():
    import asyncio

    from kg.publish.site.front import Front

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/id/province/42-ha-tinh", "headers": [], "query_string": b""}
    asyncio.run(Front(None, None)(scope, receive, send))
    assert sent[0]["status"] == 503 and (b"retry-after", b"5") in sent[0]["headers"]
    assert b"pages are being made" in sent[1]["body"]


ACCEPTS = {
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8": ".html",  # a browser
    "*/*": ".html", None: ".html", "text/turtle": ".ttl", "text/turtle;q=0.9, application/rdf+xml": ".ttl",
    "application/ld+json": ".jsonld", "application/json": ".jsonld", "application/n-triples": ".nt",
    "image/png": None, "application/rdf+xml": None,
}
IRIS = ["id/act/vn/2019/52-NQ_TW", "id/province/42-ha-tinh", "vocab/sector/logistics", "vocab/sector", "ontology",
        "id/act/vn/2025/19_2025_Q%C4%90-TTg"]


@pytest.mark.parametrize("accept", list(ACCEPTS), ids=str)
def test_an_iri_answers_by_content_negotiation(served, accept):
    for iri in IRIS:
        status, headers, body = _get(f"{served}/{iri}", accept)
        wanted = ACCEPTS[accept]
        if wanted is None:
            assert status == 406, iri
            continue
        assert status == 200 and headers["Vary"] == "Accept", (iri, status)
        assert headers["Content-Location"].endswith(wanted)
        if wanted == ".html":
            assert b"<!doctype html>" in body
        else:
            fmt = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}[wanted]
            subject = rdflib.URIRef(BASE + iri.split("#")[0]) if iri != "ontology" else rdflib.URIRef(BASE + "ontology")
            assert (subject, None, None) in rdflib.Graph().parse(data=body, format=fmt), iri


def _htaccess_answer(path: str, accept: str | None) -> tuple[int, str | None]:
    """deploy/w3id/.htaccess, evaluated as Apache's mod_rewrite would for the rules it uses."""
    env: dict[str, str] = {}
    conds: list[tuple[str, str, bool]] = []
    for line in (REPO / "deploy" / "w3id" / ".htaccess").read_text("utf-8").splitlines():
        line = line.strip()
        if line.startswith("RewriteCond"):
            _, variable, pattern, *flags = line.split()
            conds.append((pattern, variable, "[OR]" in flags))
        elif line.startswith("RewriteRule"):
            _, pattern, target, flags = line.split()
            ok, pending_or = True, False
            for cond_pattern, _, is_or in conds:
                negate = cond_pattern.startswith("!")
                hit = bool(re.search(cond_pattern.lstrip("!"), accept or "")) != negate
                if pending_or:
                    ok = ok or hit
                else:
                    ok = ok and hit if conds.index((cond_pattern, _, is_or)) else hit
                pending_or = is_or
            conds = []
            match = re.search(pattern, path)
            if not (ok and match):
                continue
            if flags.startswith("[E="):
                name, value = flags[3:-1].split(":", 1)
                env[name] = value
                continue
            status = int(re.search(r"R=(\d+)", flags).group(1))
            if target == "-":
                return status, None
            target = target.replace("%{ENV:SITE}", env["SITE"])
            return status, re.sub(r"\$(\d)", lambda m: match.group(int(m.group(1))), target)
    return 404, None


@pytest.mark.parametrize("accept", list(ACCEPTS), ids=str)
def test_the_w3id_rules_answer_as_dtkg_serve_does(served, accept):
    for iri in IRIS:
        status, headers, _ = _get(f"{served}/{iri}", accept)
        rule_status, target = _htaccess_answer(iri, accept)
        if status == 406:
            assert rule_status == 406, (iri, accept)
        else:
            assert rule_status == 303 and target.endswith(iri + Path(headers["Content-Location"]).suffix), (iri, target)


def test_the_endpoint_checks_queries_before_they_run(served):
    ok = _get(f"{served}/query?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
              "application/sparql-results+json")
    assert ok[0] == 200 and int(json.loads(ok[2])["results"]["bindings"][0]["n"]["value"]) > 4000
    deep = "SELECT * WHERE " + "{" * 2500 + " ?s ?p ?o " + "}" * 2500
    status, _, body = _get(f"{served}/query", data=deep.encode(), kind="application/sparql-query")
    assert status == 400 and b"nests brackets 2500 deep" in body
    status, _, body = _get(f"{served}/query", data=b"SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                           kind="application/sparql-query")
    assert status == 403 and b"SERVICE is refused" in body
    status, _, body = _get(f"{served}/query", data=b"x" * 1_100_000, kind="application/sparql-query")
    assert status == 413
    status, _, _ = _get(f"{served}/update", data=b"update=DROP ALL", kind="application/x-www-form-urlencoded")
    assert status == 403
    after = _get(f"{served}/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), "application/sparql-results+json")
    assert after[0] == 200  # still up


def test_a_query_over_its_time_is_stopped(served):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    status, _, body = _get(f"{served}/query", data=heavy.encode(), kind="application/sparql-query")
    assert status == 503 and b"ran over 5 s" in body


@pytest.mark.parametrize("text, error", [
    ("SELECT * WHERE { ?s ?p '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{' }", None),
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE in a comment", None),
    ("SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }", None),
    ("select * where { service <http://x/> { ?s ?p ?o } }", "SERVICE is refused"),
    ("SELECT * WHERE {" + "{" * 70 + "}" * 71, "nests brackets 71 deep"),
])
def test_query_checks_read_sparql_not_text(text, error):
    from kg.store.sparql import QueryRefused, check_query

    if error is None:
        check_query(text)
    else:
        with pytest.raises(QueryRefused, match=error):
            check_query(text)
