"""`dtkg serve`: the built graph, read-only, over the SPARQL 1.1 protocol on 127.0.0.1.

Oxigraph's own server (`oxigraph serve-read-only`, from the PyPI package `oxigraph`) answers
over a *snapshot* of the embedded store, not the store itself: Oxigraph warns that reading a
database another process writes is undefined behaviour, and `dtkg build` swaps the store folder
whole. The snapshot is a RocksDB checkpoint (`Store.backup`: hard links on the same file system,
so it costs milliseconds). When the store changes — `dtkg add` or `dtkg build` — the server is
restarted on the same port over a fresh snapshot, so clients see the new graph after a pause of
well under a second.

The default graph is the union of the named graphs, as in the embedded store, so stored queries
pasted into YASGUI (Oxigraph serves one at http://127.0.0.1:PORT/) give the same answers; CORS is
on so a YASGUI page elsewhere can query it too.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

from .errors import InputError, UsageError

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
    from .store import open_read_only
    target = Path(tempfile.mkdtemp(prefix="snapshot-", dir=parent)) / "store"
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
    from .store import FINGERPRINT_FILE
    try:
        return store_dir.stat().st_ino, (store_dir / FINGERPRINT_FILE).stat().st_mtime_ns
    except OSError:
        return -1, -1


def serve(store_dir: Path, port: int = DEFAULT_PORT, say: Callable[[str], None] = print,
          poll: float = 1.0, stop_after: float | None = None) -> None:
    """Serves the store read-only until interrupted (Ctrl-C or SIGTERM), following its changes."""
    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: expected 1-65535")
    if port_in_use(port):
        raise UsageError(f"port {port} on {HOST} is already in use; choose another with --port N")
    work = Path(tempfile.mkdtemp(prefix="dtkg-serve-"))
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    proc = None
    try:
        key = _store_key(store_dir)
        snap = snapshot(store_dir, work)
        args = ["serve-read-only", "--location", str(snap), "--union-default-graph", "--cors"]
        proc = start_oxigraph(args, port, log=work / "oxigraph.log")
        say(f"serving the graph read-only at http://{HOST}:{port}/query (SPARQL 1.1; YASGUI at http://{HOST}:{port}/); Ctrl-C stops")
        started = time.monotonic()
        while stop_after is None or time.monotonic() - started < stop_after:
            try:
                proc.wait(poll)
                log = (work / "oxigraph.log").read_text("utf-8", "replace").strip().splitlines()[-1:]
                raise InputError(f"the Oxigraph server stopped (exit {proc.returncode})" + (f": {log[0]}" if log else ""))
            except subprocess.TimeoutExpired:
                pass
            now = _store_key(store_dir)
            if now != key and now[0] != -1:
                fresh = snapshot(store_dir, work)
                stop(proc)
                shutil.rmtree(snap.parent, ignore_errors=True)
                snap, key = fresh, now
                args[2] = str(snap)
                proc = start_oxigraph(args, port, log=work / "oxigraph.log")
                say("the store changed: now serving the new graph")
    except KeyboardInterrupt:
        say("stopped")
    finally:
        if proc is not None:
            stop(proc)
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(work, ignore_errors=True)


def _raise_interrupt(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt
