"""A remote SPARQL 1.1 endpoint: queries with SPARQLWrapper, `dtkg push` with the Graph Store
Protocol, and the same small interface over the embedded store (`Local`), so a command or a
test runs one bound query text on either and gets the same rows (pyoxigraph terms).

The default graph
-----------------
The embedded store answers over the union of its named graphs (one per record, plus ontology,
vocabularies, reference, derived, meta). Servers differ: Virtuoso, GraphDB and Oxigraph started
with `--union-default-graph` query the union by default; Oxigraph (by default) and Fuseki keep the
default graph separate and empty. The stored queries are plain SPARQL over the default graph, so
`Endpoint` decides once per process how to ask for the union, by probing for a term every dtkg
graph set has (`?p a dtkg:Province`):

1. ``server``: the default graph already sees the data → queries go as they are.
2. ``union-param``: Oxigraph's own `union-default-graph` request parameter makes the default
   graph the union (servers that ignore or reject the parameter fail this probe).
3. ``explicit``: the SPARQL 1.1 Protocol's dataset parameters, `default-graph-uri` and
   `named-graph-uri` for every `https://w3id.org/dtkg/graph/…` graph on the endpoint — standard on
   every conforming server, so it is the fallback; it is last because stores evaluate a dataset of
   many graphs graph by graph (Oxigraph: ~6 s for 2,000 graphs, against 10 ms for the union).

Query text is never rewritten; only request parameters differ. The tests run every stored query
against a real Oxigraph server in both conventions (and with `explicit` forced) and compare the
rows with the embedded store's. `DTKG_ENDPOINT_DATASET` (auto, server, union-param, explicit)
overrides the probe.

Pushing
-------
`push` PUTs each named graph of the embedded store to the Graph Store Protocol service
(`?graph=IRI`, N-Triples), so each graph is replaced whole by one request: a push that fails half
way leaves every graph either as it was or as it is here, never a mix inside one graph. Graphs
under the dtkg prefix that the endpoint holds but the store no longer has (a deleted record) are
then deleted, and the triple count of every graph is checked against the store's.

The Graph Store URL comes from `--graph-store`, else from the query URL's layout: Oxigraph
`…/query` → `…/store`; Fuseki `/DS/query` or `/DS/sparql` → `/DS/data`; Virtuoso `/sparql` →
`/sparql-graph-crud` (`/sparql-graph-crud-auth` with credentials). Updates (`dtkg sparql
--update`) go to `…/update` for `…/query` URLs, else to the URL itself.

Credentials: HTTP Basic, from `--user NAME` or $DTKG_ENDPOINT_USER, the password from
$DTKG_ENDPOINT_PASSWORD or typed at a prompt that does not echo. Neither is ever printed; URLs
in messages lose any `user:password@`.

Every failure — refused connection, timeout, an HTTP error, an answer that is not SPARQL — is an
`EndpointError`: one line naming the endpoint and what to do (exit status 2).
"""

from __future__ import annotations

import base64
import getpass
import http.client
import json
import os
import re
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple, parse, serialize

from kg import __version__
from kg.base.errors import EndpointError, UsageError, one_line
from kg.base.namespaces import DTKG, GRAPH, RDF
from kg.store.sparql import Answer, query_form

ENV_USER = "DTKG_ENDPOINT_USER"
ENV_PASSWORD = "DTKG_ENDPOINT_PASSWORD"
ENV_TIMEOUT = "DTKG_ENDPOINT_TIMEOUT"
ENV_DATASET = "DTKG_ENDPOINT_DATASET"
DEFAULT_TIMEOUT = 30.0
DATASET_MODES = ("auto", "server", "union-param", "explicit")
GRAPH_PREFIX = str(GRAPH)
AGENT = f"dtkg/{__version__}"

_PROBE = f"ASK {{ ?unit <{RDF.type}> <{DTKG.Province}> }}"
_LIST_GRAPHS = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{}} FILTER(STRSTARTS(STR(?g), "{GRAPH_PREFIX}")) }}'
_RESULT_TYPES = ("application/sparql-results+json", "application/json")
_GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "text/n3", "application/x-turtle")


# -- credentials and URLs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")


def credentials(user: str | None, prompt: Callable[[str], str] | None = None) -> Credentials | None:
    """HTTP Basic credentials: `--user NAME` or $DTKG_ENDPOINT_USER; the password from
    $DTKG_ENDPOINT_PASSWORD, else typed at a terminal (not echoed). None without a user."""
    user = user or os.environ.get(ENV_USER)
    if not user:
        return None
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if prompt is None and sys.stdin.isatty():
            prompt = getpass.getpass
        if prompt is None:
            raise UsageError(f"user {user!r} needs a password: set ${ENV_PASSWORD} (it is never printed)")
        password = prompt(f"password for {user}: ")
    return Credentials(user, password)


def redact(url: str) -> str:
    """The URL without any `user:password@`, for messages."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # not a URL at all: nothing to take out
        return url
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _check_url(url: str, option: str = "--endpoint") -> str:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise UsageError(f"{option} {redact(url)!r} is not a URL ({exc}); e.g. http://127.0.0.1:7878/query") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} {redact(url)!r} is not an http(s) URL; e.g. http://127.0.0.1:7878/query")
    if parts.username is not None or parts.password is not None:
        raise UsageError(f"{option} {redact(url)}: keep credentials out of the URL; give --user NAME and set ${ENV_PASSWORD}")
    try:
        parts.port
    except ValueError:
        raise UsageError(f"{option} {redact(url)!r} has a bad port") from None
    return url


def _sibling(url: str, rules: Iterable[tuple[str, str]]) -> str | None:
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    for pattern, replacement in rules:
        if re.fullmatch(pattern, path):
            new = re.sub(pattern, replacement, path)
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))
    return None


def graph_store_url(endpoint: str, with_credentials: bool = False) -> str:
    """The Graph Store Protocol URL next to a query URL (see the module's docstring)."""
    found = _sibling(endpoint, [
        (r"/query", "/store"),                                      # Oxigraph
        (r"(/[^/]+)/(?:query|sparql)", r"\1/data"),                 # Fuseki
        (r"/sparql", "/sparql-graph-crud-auth" if with_credentials else "/sparql-graph-crud"),  # Virtuoso
    ])
    if found is None:
        raise UsageError(f"cannot tell the Graph Store Protocol URL of {redact(endpoint)}; give it with --graph-store URL")
    return found


def update_url(endpoint: str) -> str:
    return _sibling(endpoint, [(r"(.*)/query", r"\1/update")]) or endpoint


def _server_message(text: str) -> str:
    """The server's own words from a SPARQLWrapper exception ("…Response:\nb'…'")."""
    import ast
    _, sep, raw = text.partition("Response:\n")
    if not sep:
        return ""
    try:
        value = ast.literal_eval(raw.strip())
    except (ValueError, SyntaxError):
        return raw
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)



# -- the remote endpoint ----------------------------------------------------------------------------


@dataclass
class PushReport:
    graphs: list[tuple[str, int]] = field(default_factory=list)  # (graph, triples) pushed
    deleted: list[str] = field(default_factory=list)


class Endpoint:
    """A SPARQL 1.1 endpoint by its query URL. `select`/`run` return pyoxigraph terms, like the
    embedded store, so rows compare equal whichever answered."""

    def __init__(self, url: str, creds: Credentials | None = None, timeout: float | None = None,
                 dataset: str | None = None):
        self.url = _check_url(url)
        self.creds = creds
        given = timeout if timeout is not None else os.environ.get(ENV_TIMEOUT) or DEFAULT_TIMEOUT
        try:
            self.timeout = float(given)
        except ValueError:
            raise UsageError(f"timeout {given!r} (from ${ENV_TIMEOUT}): expected a number of seconds") from None
        if not self.timeout > 0:
            raise UsageError(f"--timeout {self.timeout:g}: expected a number of seconds above 0")
        mode = dataset or os.environ.get(ENV_DATASET) or "auto"
        if mode not in DATASET_MODES:
            raise UsageError(f"dataset mode {mode!r}; expected one of {', '.join(DATASET_MODES)}")
        self.mode: str | None = None if mode == "auto" else mode
        self._graphs: list[str] | None = None

    def __repr__(self) -> str:
        return f"Endpoint({redact(self.url)!r}, mode={self.mode})"

    # .. HTTP through SPARQLWrapper ..

    def _wrapper(self, text: str, accept: str, params: list[tuple[str, str]], url: str | None = None):
        from SPARQLWrapper import BASIC, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
        wrapper = SPARQLWrapper(url or self.url, updateEndpoint=url or self.url, agent=AGENT)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)
        wrapper.setReturnFormat(TURTLE if accept == "graph" else JSON)
        wrapper.setQuery(text)
        # our reading of the form (past comments, strings and IRIs), not SPARQLWrapper's regex,
        # which took "PREFIX … # acts that address logistics\nSELECT" for an ADD update
        wrapper.queryType = query_form(text) or "INSERT"  # any update form: only the request's shape depends on it
        wrapper.timeout = self.timeout  # seconds, a float (setTimeout would truncate to int)
        for name, value in params:
            if name == "default-graph-uri":
                wrapper.addDefaultGraph(value)
            elif name == "named-graph-uri":
                wrapper.addNamedGraph(value)
            else:
                wrapper.addParameter(name, value)
        if self.creds:
            wrapper.setHTTPAuth(BASIC)
            wrapper.setCredentials(self.creds.user, self.creds.password)
        return wrapper

    def _send(self, text: str, accept: str = "results", params: list[tuple[str, str]] | None = None,
              url: str | None = None, update: bool = False) -> tuple[str, bytes]:
        """POSTs a query (or an update to `url`); (content type, body). Errors → EndpointError."""
        where = redact(url or self.url)
        try:
            response = self._wrapper(text, accept, params or [], url).query().response
            body = response.read()
            ctype = response.headers.get_content_type() if response.headers else ""
            return ctype, body
        except Exception as exc:  # noqa: BLE001 — every way a request can fail becomes one line
            raise self._error(exc, where, update) from None

    def _error(self, exc: BaseException, where: str, update: bool = False) -> EndpointError:
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException, Unauthorized
        if update and isinstance(exc, urllib.error.HTTPError) and exc.code == 403:
            refused = EndpointError(f"{where}: the server refused the update (403): it is read-only or needs credentials")
            refused.refused = True  # type: ignore[attr-defined]  # trying again would not help
            return refused
        if isinstance(exc, Unauthorized) or (isinstance(exc, urllib.error.HTTPError) and exc.code == 401):
            if self.creds:
                return EndpointError(f"{where} refused the credentials of user {self.creds.user!r} (HTTP 401)")
            return EndpointError(f"{where} needs credentials (HTTP 401): give --user NAME and set ${ENV_PASSWORD}")
        if isinstance(exc, SPARQLWrapperException):
            code = {"QueryBadFormed": 400, "EndPointNotFound": 404, "URITooLong": 414,
                    "EndPointInternalError": 500}.get(type(exc).__name__, "")
            detail = one_line(_server_message(str(exc)) or type(exc).__name__)
            what = {400: "rejected the request", 404: "has no SPARQL service at this URL",
                    414: "found the request too long", 500: "failed"}.get(code, "failed")
            return EndpointError(f"{where} {what} (HTTP {code}): {detail}")
        if isinstance(exc, urllib.error.HTTPError):
            detail = ""
            try:
                detail = one_line(exc.read().decode("utf-8", "replace"))
            except Exception:  # noqa: BLE001
                pass
            return EndpointError(f"{where} answered HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else ""))
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return EndpointError(f"{where} did not answer within {self.timeout:g} s; try again or raise --timeout")
        if isinstance(exc, (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError)):
            return EndpointError(f"cannot reach {where}: {one_line(str(reason)) or type(exc).__name__}")
        return EndpointError(f"{where}: {type(exc).__name__}: {one_line(str(exc))}")

    def _results(self, ctype: str, body: bytes) -> dict[str, Any]:
        where = redact(self.url)
        if ctype not in _RESULT_TYPES:
            raise EndpointError(f"{where} answered {ctype or 'no content type'}, not SPARQL JSON results; "
                                "is this the endpoint's query URL (Oxigraph: http://HOST:PORT/query)?")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise EndpointError(f"{where} answered {ctype} that is not valid JSON") from None
        ok = isinstance(data, dict) and (
            isinstance(data.get("boolean"), bool)
            or (isinstance(data.get("head"), dict) and isinstance(data.get("results"), dict)
                and isinstance(data["results"].get("bindings"), list)))
        if not ok:
            raise EndpointError(f"{where} answered JSON that is not SPARQL results (no head/results or boolean)")
        return data

    # .. the dataset ..

    def graphs(self, refresh: bool = False) -> list[str]:
        """The dtkg graphs (https://w3id.org/dtkg/graph/…) the endpoint holds, as it holds them."""
        if self._graphs is None or refresh:
            data = self._results(*self._send(_LIST_GRAPHS))
            self._graphs = sorted(b["g"]["value"] for b in data["results"]["bindings"] if "g" in b)
        return self._graphs

    def _probe(self, params: list[tuple[str, str]]) -> bool:
        try:
            return bool(self._results(*self._send(_PROBE, params=params)).get("boolean"))
        except EndpointError:
            if params:  # a server that rejects an unknown parameter just lacks that convention
                return False
            raise

    def dataset_mode(self) -> str:
        """How this endpoint is asked for the union of the dtkg graphs (see the module's docstring)."""
        if self.mode is None:
            if self._probe([]):
                self.mode = "server"
            elif self._probe([("union-default-graph", "true")]):
                self.mode = "union-param"
            elif self.graphs():
                self.mode = "explicit"
            else:
                raise EndpointError(f"{redact(self.url)} holds no dtkg graphs; load them with "
                                    f"`dtkg push --endpoint {redact(self.url)}`")
        return self.mode

    def _dataset_params(self) -> list[tuple[str, str]]:
        mode = self.dataset_mode()
        if mode == "union-param":
            return [("union-default-graph", "true")]
        if mode == "explicit":
            graphs = self.graphs()
            return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
        return []

    # .. queries ..

    def select(self, text: str) -> tuple[list[str], list[dict[str, Any]]]:
        answer = self.run(text)
        if answer.form != "SELECT":
            raise UsageError(f"expected a SELECT query, got {answer.form}")
        return answer.variables, answer.rows

    def run(self, text: str) -> Answer:
        form = query_form(text)
        if form is None:
            raise UsageError("this is an update, not a query; give --update to change the endpoint's data")
        params = self._dataset_params()
        if form in ("CONSTRUCT", "DESCRIBE"):
            ctype, body = self._send(text, "graph", params)
            try:
                fmt = RdfFormat.from_media_type(ctype) if ctype in _GRAPH_TYPES else None
                if fmt is None:
                    raise ValueError(ctype)
                return Answer(form, triples=list(parse(body, format=fmt)))
            except (SyntaxError, ValueError):
                raise EndpointError(f"{redact(self.url)} answered {ctype or 'no content type'}, not RDF") from None
        data = self._results(*self._send(text, "results", params))
        if "boolean" in data:
            return Answer("ASK", boolean=data["boolean"])
        names = [str(v) for v in data["head"].get("vars", [])]
        try:
            rows = [{n: _term(b[n]) if n in b else None for n in names} for b in data["results"]["bindings"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise EndpointError(f"{redact(self.url)} answered a malformed SPARQL JSON binding: {one_line(str(exc))}") from None
        return Answer("SELECT", names, rows)

    def update(self, text: str) -> None:
        if query_form(text) is not None:
            raise UsageError("this is a query, not an update; leave out --update")
        self._send(text, url=update_url(self.url), update=True)

    # .. the Graph Store Protocol ..

    def _gsp(self, method: str, url: str, graph: str, body: bytes | None = None) -> int:
        target = f"{url}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(target, data=body, method=method)
        request.add_header("User-Agent", AGENT)
        if body is not None:
            request.add_header("Content-Type", "application/n-triples")
        if self.creds:
            request.add_header("Authorization", self.creds.header())
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
                return response.status
        except Exception as exc:  # noqa: BLE001
            raise self._error(exc, redact(url), update=method in ("PUT", "DELETE")) from None

    def push(self, store: Store, store_url: str | None = None,
             progress: Callable[[str, int], None] | None = None) -> PushReport:
        """Replaces each named graph of `store` at the endpoint (HTTP PUT), deletes dtkg graphs the
        store no longer has, then checks every graph's triple count."""
        url = _check_url(store_url, "--graph-store") if store_url else graph_store_url(self.url, self.creds is not None)
        from kg.base.namespaces import UNION_GRAPH
        local = sorted(g.value for g in store.named_graphs() if isinstance(g, NamedNode) and g.value != UNION_GRAPH)
        report = PushReport()
        for done, graph in enumerate(local):
            triples = [Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, NamedNode(graph))]
            body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
            try:
                self._gsp("PUT", url, graph, body)
            except EndpointError as exc:
                again = "" if getattr(exc, "refused", False) else "; run `dtkg push` again"
                raise EndpointError(f"{exc.message} — while pushing graph <{graph}>; {done} of {len(local)} graphs "
                                    f"were replaced, the others are as they were{again}") from None
            report.graphs.append((graph, len(triples)))
            if progress:
                progress(graph, len(triples))
        for graph in sorted(set(self.graphs(refresh=True)) - set(local)):
            self._gsp("DELETE", url, graph)
            report.deleted.append(graph)
        self._graphs = None
        self.verify(dict(report.graphs))
        return report

    def verify(self, expected: dict[str, int]) -> None:
        """Each graph at the endpoint holds as many triples as `expected` says."""
        text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        data = self._results(*self._send(text))  # the service's own dataset: all its named graphs
        found = {b["g"]["value"]: int(b["n"]["value"]) for b in data["results"]["bindings"] if "g" in b and "n" in b}
        wrong = [(g, n, found.get(g, 0)) for g, n in expected.items() if found.get(g, 0) != n]
        if wrong:
            g, n, m = wrong[0]
            raise EndpointError(f"after the push, <{g}> holds {m} triples at {redact(self.url)} but {n} here"
                                f"{f' (and {len(wrong) - 1} more graphs differ)' if len(wrong) > 1 else ''}; run `dtkg push` again")


def _term(binding: dict[str, str]) -> NamedNode | BlankNode | Literal:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        try:
            return BlankNode(value)
        except ValueError:
            return BlankNode()
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return Literal(value, language=binding["xml:lang"])
        if binding.get("datatype"):
            return Literal(value, datatype=NamedNode(binding["datatype"]))
        return Literal(value)
    raise ValueError(f"unknown term type {kind!r}")
