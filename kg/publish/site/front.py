"""The front `dtkg serve` puts before the read-only store: an ASGI app (run by uvicorn) that answers
an IRI's path by content negotiation from the site's files, and passes SPARQL queries, checked
first, to Oxigraph's server on an internal port.

Checks before a query runs: at most `max_bytes`, brackets nested at most `max_depth` deep (a
deeply nested query overflows Oxigraph's stack and kills it), no `SERVICE` unless allowed (it would
make the server send requests elsewhere), text that is not UTF-8. Each query runs under a timeout
(Oxigraph's own, plus the front's); at most `concurrency` run at once, others get 503. Oxigraph's
server does not stop a query that outlives its timeout, nor one whose client left, so the front
keeps account (`Backend.running`, `Backend.overran`) and `dtkg serve` replaces a server that
overran with a fresh one over the same snapshot. CORS is off unless an origin is given. The site
folder and the backend can be switched while the app runs (a new graph): requests in flight finish
on the old ones. Until the site's pages are made (`site` None) a page request gets 503.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Awaitable, Callable
from urllib.parse import parse_qs, urlencode

from kg.store.sparql import QueryRefused, check_query

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
                 ".jsonld": "application/ld+json", ".nt": "application/n-triples",
                 ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".json": "application/json", ".png": "image/png", ".svg": "image/svg+xml",
                 ".gz": "application/gzip", ".txt": "text/plain; charset=utf-8", ".trig": "application/trig",
                 ".nq": "application/n-quads", ".rdf": "application/rdf+xml"}
RESOURCE_PREFIXES = ("/id/", "/vocab/", "/graph/")
RESOURCE_PATHS = ("/ontology", "/vocab")


def negotiate(accept: str | None) -> str | None:
    """The file extension for an Accept header, or None (406): the rules of deploy/w3id/.htaccess,
    so an IRI answers alike here and through w3id.org. A client that lists HTML gets the page;
    others get Turtle, JSON-LD or N-Triples, in that order of preference; anything, or nothing,
    gets the page."""
    text = (accept or "").lower()
    if not text.strip():
        return ".html"
    if "text/html" not in text:
        for pattern, ext in ((r"text/turtle|application/x-turtle", ".ttl"), (r"application/ld\+json|application/json", ".jsonld"),
                             (r"application/n-triples", ".nt")):
            if re.search(pattern, text):
                return ext
    if re.search(r"text/html|application/xhtml\+xml|\*/\*|text/\*", text):
        return ".html"
    return None


@dataclass
class Backend:
    host: str
    port: int
    default_graph: str | None = None  # sent as default-graph-uri: the graph's union, each triple once
    named_graphs: tuple[str, ...] = ()  # the store's graphs, sent as named-graph-uri to a query naming GRAPH
    running: dict = field(default_factory=dict)  # query task -> [started (monotonic), its client waits]
    overran: bool = False  # a query outlived the timeout: the server may still be computing it

    def dataset(self, words: frozenset[str]) -> bytes:
        """The protocol's dataset parameters for a query with these words: none when it gives its
        own (FROM), the union as default graph, and the graphs themselves when it uses GRAPH (with
        only default-graph-uri the protocol leaves no named graph)."""
        if "FROM" in words or not self.default_graph:
            return b""
        return self._union + (self._graphs if "GRAPH" in words else b"")

    @cached_property
    def _union(self) -> bytes:
        return b"&" + urlencode({"default-graph-uri": self.default_graph}).encode()

    @cached_property
    def _graphs(self) -> bytes:
        return b"".join(b"&" + urlencode({"named-graph-uri": g}).encode() for g in self.named_graphs)

    def waiting(self) -> int:
        """Queries on this server whose client still waits for the answer."""
        return sum(1 for _, waits in self.running.values() if waits)


Send = Callable[[dict], Awaitable[None]]


class Front:
    def __init__(self, site: Path | None, backend: Backend | None, *, timeout: float = 30.0, max_bytes: int = 1_000_000,
                 max_depth: int = 64, allow_service: bool = False, cors: str | None = None, concurrency: int = 8):
        self.site, self.backend = site, backend
        self.timeout, self.max_bytes, self.max_depth = timeout, max_bytes, max_depth
        self.allow_service, self.cors = allow_service, cors
        self.slots = asyncio.Semaphore(concurrency)
        self.concurrency = concurrency

    def switch(self, site: Path | None, backend: Backend | None) -> None:
        """Serve a new graph: new requests go to the new site and backend."""
        self.site, self.backend = site, backend

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]], send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if method == "OPTIONS" and self.cors:
            return await self._respond(send, 204, b"", "text/plain")
        if path in ("/query", "/sparql"):
            return await self._sparql(scope, receive, send)
        if path == "/update":
            return await self._respond(send, 403, b"this endpoint is read-only\n", "text/plain; charset=utf-8")
        if method not in ("GET", "HEAD"):
            return await self._respond(send, 405, b"only GET and HEAD\n", "text/plain; charset=utf-8", [(b"allow", b"GET, HEAD")])
        return await self._file(scope, send, path, method == "HEAD")

    # -- files and content negotiation ----------------------------------------------------------

    async def _file(self, scope: dict, send: Send, path: str, head: bool) -> None:
        site = self.site
        if site is None:
            return await self._respond(send, 503, b"the pages are being made (SPARQL at /query answers already); "
                                       b"try again in a few seconds\n", "text/plain; charset=utf-8", [(b"retry-after", b"5")])
        if path in ("", "/"):
            path = "/index.html"
        headers = dict(scope.get("headers") or [])
        is_resource = path.startswith(RESOURCE_PREFIXES) or path in RESOURCE_PATHS
        suffix = Path(path).suffix
        extra: list[tuple[bytes, bytes]] = []
        if is_resource and suffix not in (".html", ".ttl", ".jsonld", ".nt"):
            ext = negotiate(headers.get(b"accept", b"").decode("latin-1") or None)
            if ext is None:
                return await self._respond(send, 406, b"not acceptable: this resource is text/html, text/turtle, "
                                           b"application/ld+json or application/n-triples\n", "text/plain; charset=utf-8",
                                           [(b"vary", b"Accept")])
            path = path + ext
            extra = [(b"vary", b"Accept"), (b"content-location", path.rsplit("/", 1)[-1].encode("utf-8"))]
        target = (site / path.lstrip("/")).resolve()
        if site.resolve() not in target.parents:
            return await self._respond(send, 404, b"not found\n", "text/plain; charset=utf-8")
        if not target.is_file():
            return await self._respond(send, 404, b"not found\n", "text/plain; charset=utf-8")
        body = await asyncio.to_thread(target.read_bytes)
        kind = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        await self._respond(send, 200, body, kind, extra, head)

    async def _respond(self, send: Send, status: int, body: bytes, kind: str,
                       extra: list[tuple[bytes, bytes]] | None = None, head: bool = False) -> None:
        headers = [(b"content-type", kind.encode()), (b"content-length", str(len(body)).encode())] + (extra or [])
        if self.cors:
            headers += [(b"access-control-allow-origin", self.cors.encode()),
                        (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                        (b"access-control-allow-headers", b"Content-Type, Accept")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})

    # -- SPARQL ---------------------------------------------------------------------------------

    async def _read_body(self, receive: Callable[[], Awaitable[dict]]) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ConnectionResetError
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes + 65536:
                raise QueryRefused(413, f"the request is over {self.max_bytes:,} bytes")
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)

    async def _sparql(self, scope: dict, receive: Callable[[], Awaitable[dict]], send: Send) -> None:
        plain = "text/plain; charset=utf-8"
        headers = dict(scope.get("headers") or [])
        try:
            if scope["method"] == "GET":
                params = parse_qs(_text(scope.get("query_string", b"")), errors="strict")
            elif scope["method"] == "POST":
                body = await self._read_body(receive)
                kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
                if kind == b"application/sparql-query":
                    params = {"query": [_text(body)]}
                elif kind == b"application/sparql-update":
                    raise QueryRefused(403, "this endpoint is read-only")
                else:
                    params = parse_qs(_text(body), errors="strict")
            else:
                raise QueryRefused(405, "a SPARQL query is sent with GET or POST")
            if "update" in params:
                raise QueryRefused(403, "this endpoint is read-only")
            query = (params.get("query") or [""])[0]
            if not query.strip():
                raise QueryRefused(400, "no query: send ?query=… (SPARQL 1.1 protocol)")
            words = check_query(query, self.max_bytes, self.max_depth, self.allow_service)
            if scope["method"] == "POST":  # its dataset may be in the URL (SPARQL 1.1 protocol, 2.1.3)
                params = {**parse_qs(_text(scope.get("query_string", b"")), errors="strict"), **params}
            given = [(k, v) for k in ("default-graph-uri", "named-graph-uri") for v in params.get(k, [])]
        except UnicodeDecodeError:
            return await self._respond(send, 400, b"the query is not UTF-8 text (SPARQL 1.1 protocol)\n", plain)
        except QueryRefused as refused:
            return await self._respond(send, refused.status, (str(refused) + "\n").encode(), plain)
        except ConnectionResetError:
            return
        if self.backend is None:
            return await self._respond(send, 503, b"no graph is being served\n", plain)
        if self.slots.locked():
            return await self._respond(send, 503, f"busy: {self.concurrency} queries are running; try again\n".encode(), plain,
                                       [(b"retry-after", b"1")])
        async with self.slots:
            accept = headers.get(b"accept", b"application/sparql-results+json").decode("latin-1")
            backend = self.backend
            dataset = b"&" + urlencode(given).encode() if given else backend.dataset(words)
            work = asyncio.ensure_future(_tracked(backend, query, dataset, accept, self.timeout + 1))
            gone = asyncio.ensure_future(_disconnected(receive))
            done, _ = await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
            if gone in done:
                # the client left; the server computes on regardless (closing the connection does not
                # stop it), so the query stays accounted for until it ends or overruns
                if work in backend.running:
                    backend.running[work][1] = False
                work.add_done_callback(_quietly)
                return
            gone.cancel()
            try:
                status, kind, body = work.result()
            except asyncio.TimeoutError:
                return await self._respond(send, 503, f"the query ran over {self.timeout:g} s and was stopped\n".encode(), plain)
            except OSError as exc:
                return await self._respond(send, 502, f"the store's server did not answer: {exc}\n".encode(), plain)
            if status >= 500 and b"timeout" in body.lower():
                status, body, kind = 503, f"the query ran over {self.timeout:g} s and was stopped\n".encode(), plain
            await self._respond(send, status, body, kind)


def _text(data: bytes) -> str:
    """A request's text, strictly UTF-8 (a replacement character would change the query)."""
    return data.decode("utf-8")


async def _tracked(backend: Backend, query: str, dataset: bytes, accept: str, limit: float) -> tuple[int, str, bytes]:
    """`_forward`, counted in `backend.running` while it runs; past `limit` it is given up and the
    backend marked as overrun (its server may still be computing it)."""
    task = asyncio.current_task()
    backend.running[task] = [time.monotonic(), True]
    try:
        return await asyncio.wait_for(_forward(backend, query, dataset, accept), limit)
    except asyncio.TimeoutError:
        backend.overran = True
        raise
    finally:
        backend.running.pop(task, None)


def _quietly(task: asyncio.Task) -> None:
    """Collects the end of a query nobody waits for (no 'exception never retrieved' warnings)."""
    if not task.cancelled():
        task.exception()


async def _disconnected(receive: Callable[[], Awaitable[dict]]) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


async def _forward(backend: Backend, query: str, dataset: bytes, accept: str) -> tuple[int, str, bytes]:
    """POSTs the query, with its dataset parameters, to Oxigraph's server; (status, content type, body)."""
    body = urlencode({"query": query}).encode() + dataset
    reader, writer = await asyncio.open_connection(backend.host, backend.port)
    try:
        writer.write(b"POST /query HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Accept: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                     % (backend.host.encode(), backend.port, accept.encode("latin-1"), len(body)) + body)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 502
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:])}
    if fields.get(b"transfer-encoding", b"").lower() == b"chunked":
        payload = _unchunk(payload)
    return status, fields.get(b"content-type", b"application/octet-stream").decode("latin-1"), payload


def _unchunk(data: bytes) -> bytes:
    out, i = [], 0
    while i < len(data):
        end = data.find(b"\r\n", i)
        if end < 0:
            break
        size = int(data[i:end].split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out.append(data[end + 2:end + 2 + size])
        i = end + 2 + size + 2
    return b"".join(out)
