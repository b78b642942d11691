"""One writer at a time: a lock file beside the store (`.dtkg-store.lock`), held by every process
that changes the store (build, add, remove, sparql --update) for the whole change.

A second writer waits its turn, saying whom it waits for, instead of failing because it came
second. The lock is `flock`'s: the kernel drops it when its holder dies (even by kill -9), so a
crash never leaves a stale lock. The file sits beside the store, not in it, because a build
replaces the store's folder. `DTKG_FAULT=STEP` makes the process die at that step (`crash_point`),
so tests can prove that every crash leaves a state the next command heals.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from kg.base.errors import InputError

LOCK_TIMEOUT_ENV = "DTKG_LOCK_TIMEOUT"
FAULT_ENV = "DTKG_FAULT"
DEFAULT_TIMEOUT = 600.0
_held: dict[str, int] = {}  # lock files this process holds, and how deep


def lock_path(store_dir: Path) -> Path:
    return store_dir.with_name(store_dir.name + ".lock")


def _say(line: str) -> None:
    print(f"dtkg: {line}", file=sys.stderr, flush=True)


@contextmanager
def writer_lock(store_dir: Path, what: str, say: Callable[[str], None] = _say,
                exclusive: bool = True) -> Iterator[None]:
    """Hold the store's lock for the block (shared, `exclusive=False`, to wait only for writers).
    Waits at most $DTKG_LOCK_TIMEOUT seconds (600), then a one-line error (exit 2)."""
    path = lock_path(store_dir)
    key = str(path.resolve())
    if _held.get(key):  # this process holds it already (add → build): flock would wait for itself
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
    except OSError as exc:
        raise InputError(f"cannot open the store's lock file: {exc.strerror}; expected a writable folder "
                         "for the store (--store DIR or $DTKG_STORE)", str(path)) from None
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        if not _try(handle, mode):
            holder = _holder(handle)
            say(f"waiting for {holder} to finish with the store ({path})…")
            limit = float(os.environ.get(LOCK_TIMEOUT_ENV) or DEFAULT_TIMEOUT)
            deadline = time.monotonic() + limit
            while not _try(handle, mode):
                if time.monotonic() > deadline:
                    raise InputError(f"{holder} still holds the store after {limit:g} s; expected it to finish "
                                     f"(raise ${LOCK_TIMEOUT_ENV} to wait longer)", str(path))
                time.sleep(0.05)
        if exclusive:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{what} (pid {os.getpid()})")
            handle.flush()
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
    finally:
        handle.close()  # releases the lock


def _try(handle, mode: int) -> bool:
    try:
        fcntl.flock(handle, mode | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(handle) -> str:
    """What the lock's holder wrote ("dtkg add (pid 123)"), or "another dtkg"."""
    try:
        handle.seek(0)
        said = handle.read(200).strip()
    except OSError:
        said = ""
    return said or "another dtkg"


def crash_point(step: str) -> None:
    """Die here, as kill -9 would, when $DTKG_FAULT names this step (fault injection in tests)."""
    if os.environ.get(FAULT_ENV) == step:
        os._exit(137)
