"""Helpers several test modules share (imported as `helpers`: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import atexit
import queue
import shutil
import tempfile
import threading
import time
from pathlib import Path

from kg.base.errors import InputError

REPO = Path(__file__).resolve().parents[1]


def _seed_root() -> Path:
    """A repository whose data is the five seed articles (tests/seed/) with the real ontology,
    shapes, queries and reference data. Tests pin answers on it, so they hold while data/ grows;
    tests of the real data read REPO."""
    root = Path(tempfile.mkdtemp(prefix="dtkg-seed-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for folder in ("ontology", "shapes", "queries", "data/reference"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "data" / "records").mkdir()
    for record in sorted((REPO / "tests" / "seed").glob("*.yaml")):
        shutil.copy(record, root / "data" / "records" / record.name)
    return root


SEED = _seed_root()


def built_copy(base: Path, source: Path = SEED) -> tuple[Path, Path]:
    """A copy of `source`'s ontology, shapes and data in base/repo, and its store built in base/store."""
    from kg.graph.build import build

    root = base / "repo"
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(source / folder, root / folder)
    store = base / "store"
    build(root, store, force=True)
    return root, store


def findings(path: Path, context, root: Path, engine: str = "sparql") -> list[str]:
    """`dtkg validate FILE`'s lines for one record or RDF file against `context`."""
    from kg.curation.validate import check_record
    from kg.validation.checks import check_rdf, is_record

    try:
        if is_record(path):
            found = check_record(path, context, root, display=path.name, engine=engine).findings
        else:
            found = check_rdf(path, context, root, display=path.name, engine=engine)
    except InputError as exc:
        return [f"InputError {exc}"]
    return [f.format() for f in found]


class Lines:
    """A process's stderr, line by line, with a timeout."""

    def __init__(self, stream):
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in stream], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout} s")


def cli_runner(store: Path, repo: Path):
    """run(*args, cwd=repo): `dtkg ARGS` as a new process on its own store, never a traceback."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DTKG_STORE": str(store)}

    def run(*args, cwd=repo):
        done = subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in done.stderr, done.stderr
        return done
    return run
