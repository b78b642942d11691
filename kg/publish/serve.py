"""`dtkg serve`: the built graph, read-only, over the SPARQL 1.1 protocol on 127.0.0.1, with the
site's pages by content negotiation.

A front (`kg.publish.site.front`, run by uvicorn) checks each query and passes it to Oxigraph's
own server (`oxigraph serve-read-only`, from the PyPI package `oxigraph`) on an internal port. That
server reads a *snapshot* of the embedded store, not the store itself: Oxigraph warns that reading
a database another process writes is undefined behaviour, and `dtkg build` swaps the store whole.
The snapshot is a RocksDB checkpoint (`Store.backup`: hard links, milliseconds). When the store
changes (`dtkg add`, `remove`, `build`) a new snapshot and server take new queries within about a
second, then the pages follow; the old server is retired after the query timeout. A server whose
query outlived the timeout is replaced by a fresh one over the same snapshot, since Oxigraph goes
on computing it.

The default graph is the union of the named graphs, as in the embedded store, so stored queries
give the same answers here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from kg.base.errors import InputError, UsageError
from kg.base.namespaces import UNION_GRAPH

if TYPE_CHECKING:
    from kg.publish.site.front import Backend

DEFAULT_PORT = 7878
HOST = "127.0.0.1"


def oxigraph_command() -> str:
    """The `oxigraph` server next to this Python (a venv), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise InputError("the Oxigraph server is not installed; `pip install oxigraph` (a dependency of dtkg: reinstall with `make demo`)")
    return found


def port_in_use(port: int, host: str = HOST) -> bool:
    """Whether something listens on (or holds) host:port. SO_REUSEADDR as Oxigraph sets it, so a
    port left in TIME_WAIT by a server that just stopped does not count as taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the server gets SIGTERM if dtkg dies, even by SIGKILL, so none is left behind."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001
        pass


def start_oxigraph(args: Sequence[str], port: int, host: str = HOST, wait: float = 15.0,
                   log: Path | None = None) -> subprocess.Popen:
    """Starts `oxigraph ARGS --bind host:port` and waits until it accepts connections."""
    if port_in_use(port, host):
        raise UsageError(f"port {port} on {host} is already in use; choose another with --port N")
    err = open(log, "ab") if log else subprocess.DEVNULL
    try:
        proc = subprocess.Popen([oxigraph_command(), *args, "--bind", f"{host}:{port}"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    finally:
        if log:
            err.close()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text("utf-8", "replace").strip().splitlines()[-1:] if log and log.exists() else []
            if port_in_use(port, host):
                raise UsageError(f"port {port} on {host} is already in use; choose another with --port N")
            raise InputError(f"the Oxigraph server stopped at start (exit {proc.returncode})" + (f": {tail[0]}" if tail else ""))
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.05)
    stop(proc)
    raise InputError(f"the Oxigraph server did not start listening on {host}:{port} within {wait:g} s")


def stop(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def snapshot(store_dir: Path, parent: Path) -> Path:
    """A consistent, independent copy of the store (a RocksDB checkpoint) under `parent`."""
    from kg.store.local import open_read_only
    from kg.store.lock import writer_lock
    target = Path(tempfile.mkdtemp(prefix="snapshot-", dir=parent)) / "store"
    # shared: waits for a writer (add, remove) to finish and close the store, so the snapshot
    # holds its change (a store still open for writing showed the graph one change behind)
    with writer_lock(store_dir, "dtkg serve", say=lambda _: None, exclusive=False):
        store = open_read_only(store_dir)
        try:
            store.backup(str(target))
        except OSError as exc:
            raise InputError(f"cannot snapshot the store: {exc}", str(store_dir)) from None
        finally:
            del store
    return target


def _store_key(store_dir: Path) -> tuple[int, int]:
    """Changes when the store folder is swapped (build) or its fingerprint rewritten (add)."""
    from kg.store.local import FINGERPRINT_FILE
    try:
        return store_dir.stat().st_ino, (store_dir / FINGERPRINT_FILE).stat().st_mtime_ns
    except OSError:
        return -1, -1


@dataclass(eq=False)
class Inner:
    """One Oxigraph server the front sends queries to: its process, its snapshot's folder, and the
    front's account of the queries on it."""

    proc: subprocess.Popen
    folder: Path
    backend: Backend


def _inner_over(snap: Path, work: Path, timeout: float) -> Inner:
    """Oxigraph's server over a snapshot, on an internal port (well under a second)."""
    from kg.publish.site.front import Backend
    from kg.store.local import open_read_only
    store = open_read_only(snap)
    try:
        graphs = tuple(sorted(g.value for g in store.named_graphs() if g.value != UNION_GRAPH))
    finally:
        del store
    port = free_port()
    # no --union-default-graph: it made Oxigraph ignore a query's FROM; the front names the union
    args = ["serve-read-only", "--location", str(snap), "--timeout-s", str(max(1, int(timeout)))]
    proc = start_oxigraph(args, port, log=work / "oxigraph.log")
    return Inner(proc, snap.parent, Backend(HOST, port, UNION_GRAPH, graphs))


def _inner_for(store_dir: Path, work: Path, timeout: float) -> tuple[Path, Inner]:
    """A snapshot of the store and a server over it."""
    snap = snapshot(store_dir, work)
    return snap, _inner_over(snap, work, timeout)


def _site_for(snap: Path) -> Path:
    """The site's pages for a snapshot (seconds on the real graph: made after the switch)."""
    from kg.publish.site import write_site
    from kg.store.local import graph_quads, open_read_only
    store = open_read_only(snap)
    try:
        return write_site(graph_quads(store), snap.parent / "site", fork=False).out
    finally:
        del store


def serve(store_dir: Path, port: int = DEFAULT_PORT, say: Callable[[str], None] = print,
          poll: float = 0.25, stop_after: float | None = None, timeout: float = 30.0,
          allow_service: bool = False, cors: str | None = None, concurrency: int = 8) -> None:
    """Serves the store read-only until interrupted (Ctrl-C or SIGTERM), following its changes:
    SPARQL at /query through the checking front as soon as the store's server is up, and the
    site's pages by content negotiation once they are made (seconds later)."""
    import asyncio

    import uvicorn

    from kg.publish.site.front import Front

    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: expected 1-65535")
    if timeout <= 0:
        raise UsageError(f"--timeout {timeout:g}: expected a number of seconds above 0")
    if port_in_use(port):
        raise UsageError(f"port {port} on {HOST} is already in use; choose another with --port N")
    work = Path(tempfile.mkdtemp(prefix="dtkg-serve-"))
    running: list[Inner] = []  # the newest last: the one the front sends new queries to
    retiring: list[Inner] = []
    previous: dict = {}
    try:
        key = _store_key(store_dir)
        snap, inner = _inner_for(store_dir, work, timeout)
        running.append(inner)
        front = Front(None, inner.backend, timeout=timeout, allow_service=allow_service, cors=cors,
                      concurrency=concurrency)
        config = uvicorn.Config(front, host=HOST, port=port, log_level="warning", lifespan="off",
                                timeout_keep_alive=5, limit_concurrency=1000, backlog=2048,
                                timeout_graceful_shutdown=2)
        class Server(uvicorn.Server):
            @contextlib.contextmanager
            def capture_signals(self):  # ours below: uvicorn's would re-raise the signal (exit -15)
                yield

        server = Server(config)
        for signum in (signal.SIGINT, signal.SIGTERM):  # a clean stop, exit 0 (uvicorn would re-raise them)
            previous[signum] = signal.signal(signum, lambda *_: setattr(server, "should_exit", True))

        latest: list = [snap]  # the newest snapshot served
        pages: list = [None]  # the task making its pages

        async def follow() -> None:
            nonlocal key
            while not server.started:  # say so only once clients can connect
                await asyncio.sleep(0.02)
            say(f"serving the graph read-only at http://{HOST}:{port}/query (SPARQL 1.1); its pages at "
                f"http://{HOST}:{port}/ (each IRI's path answers HTML, Turtle or JSON-LD) once made; Ctrl-C stops")
            pages[0] = asyncio.ensure_future(make_pages())
            started = time.monotonic()
            while not server.should_exit:
                await asyncio.sleep(poll)
                if stop_after is not None and time.monotonic() - started > stop_after:
                    server.should_exit = True
                    return
                current = running[-1]
                if current.proc.poll() is not None:
                    say(f"the store's server stopped (exit {current.proc.returncode}); restarting it")
                    key = (-2, -2)
                elif current.backend.overran:
                    await replace(current)
                now = _store_key(store_dir)
                if now == key or now[0] == -1:
                    continue
                try:
                    snap, inner = await asyncio.to_thread(_inner_for, store_dir, work, timeout)
                except (InputError, UsageError) as exc:
                    say(f"cannot follow the store yet: {exc}")
                    continue
                key = now
                # SPARQL first (within about a second), the pages once they are made; the old
                # graph's server and pages are retired only then, after the query timeout
                front.switch(front.site, inner.backend)
                running.append(inner)
                say("the store changed: now serving the new graph")
                latest[0] = snap
                if pages[0] is None or pages[0].done():
                    pages[0] = asyncio.ensure_future(make_pages())

        async def replace(current: Inner) -> None:
            """A query outlived the timeout and Oxigraph computes on (it does not stop it): a
            fresh server over the same snapshot takes new queries, and the old one is stopped as
            soon as no client waits on it, which frees its cores."""
            try:
                fresh = await asyncio.to_thread(_inner_over, current.folder / "store", work, timeout)
            except (InputError, UsageError) as exc:
                say(f"cannot restart the store's server: {exc}")
                return
            front.switch(front.site, fresh.backend)
            running[running.index(current)] = fresh
            retiring.append(current)
            say("a query ran over the timeout: its server was replaced by a fresh one")
            asyncio.ensure_future(drain(current))

        async def drain(old: Inner) -> None:
            end = time.monotonic() + timeout + 2
            while old.backend.waiting() and time.monotonic() < end:
                await asyncio.sleep(0.1)
            retiring.remove(old)
            _retire([old], keep=running + retiring)

        async def make_pages() -> None:
            """The newest graph's pages, made beside the serving (a change keeps SPARQL current
            meanwhile); then the older graphs' servers and pages are retired."""
            first = front.site is None
            while True:
                snap = latest[0]
                try:
                    site = await asyncio.to_thread(_site_for, snap)
                except (InputError, UsageError, OSError) as exc:
                    say(f"cannot make the new graph's pages: {exc}; the previous pages stay")
                    return
                if latest[0] is not snap:
                    continue  # a newer graph came meanwhile: make its pages instead
                front.switch(site, front.backend)
                say(f"the pages are ready at http://{HOST}:{port}/" if first else "the pages now show the new graph")
                old = [entry for entry in running if entry.folder != snap.parent]
                running[:] = [entry for entry in running if entry.folder == snap.parent]
                retiring.extend(old)
                asyncio.get_running_loop().call_later(timeout + 2, _retire, old, running + retiring)
                return

        async def main() -> None:
            watcher = asyncio.ensure_future(follow())
            try:
                await server.serve()
            finally:
                watcher.cancel()
                if pages[0] is not None:
                    pages[0].cancel()
        asyncio.run(main())
        say("stopped")
    except KeyboardInterrupt:
        say("stopped")
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _retire(running + retiring)
        shutil.rmtree(work, ignore_errors=True)


def _retire(old: list[Inner], keep: list[Inner] = ()) -> None:
    """Stops servers of graphs no longer served, and removes their snapshots unless a server in
    `keep` still reads them. They only read a snapshot, so they are killed outright: nothing of
    theirs needs saving."""
    for inner in old:
        if inner.proc.poll() is None:
            inner.proc.kill()
    in_use = {inner.folder for inner in keep if inner not in old}
    for inner in old:
        inner.proc.wait()
        if inner.folder not in in_use:
            shutil.rmtree(inner.folder, ignore_errors=True)
