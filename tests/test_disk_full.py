"""Writes that fail as they do on a real machine, made honestly: a full disk under standard
output (/dev/full gives ENOSPC), a file-size limit (RLIMIT_FSIZE, `ulimit -f`, gives EFBIG) under
`build --force` and `export -o`, a reader that leaves (EPIPE), and a `LOAD` of a file or URL that
cannot be read. Each is one line on stderr naming the file and what to do, exit 2 (0 for a
reader that left), never a traceback; the store still answers afterwards."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest

FULL = Path("/dev/full")


@pytest.fixture(scope="module")
def dtkg(tmp_path_factory, repo):
    env = {**os.environ, "DTKG_STORE": str(tmp_path_factory.mktemp("full") / "store"), "DTKG_ROOT": str(repo)}
    subprocess.run([sys.executable, "-m", "kg.cli", "build"], env=env, capture_output=True, check=True, timeout=300)

    def dtkg(*args: str, stdout=subprocess.PIPE, limit_kb: int | None = None):
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_kb * 1024, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        return subprocess.run([sys.executable, "-m", "kg.cli", *args], env=env, cwd=repo, stdout=stdout,
                              stderr=subprocess.PIPE, text=True, timeout=300,
                              preexec_fn=limit if limit_kb else None)
    dtkg.env = env
    return dtkg


def one_line_error(done: subprocess.CompletedProcess, *words: str) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dtkg: error: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")


@needs_dev_full
@pytest.mark.parametrize("args", [("export",), ("export", "-f", "nt"), ("query", "provinces-by-sector", "sector=logistics"),
                                  ("sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 5")],
                         ids=["export", "export-nt", "query-fast-path", "sparql"])
def test_a_full_disk_under_standard_output_is_one_line(dtkg, args):
    with FULL.open("w") as full:
        done = dtkg(*args, stdout=full)
    one_line_error(done, "disk is full", "free some space")


def test_a_file_size_limit_under_export_names_the_file(dtkg, tmp_path):
    out = tmp_path / "graph.ttl"
    done = dtkg("export", "-o", str(out), limit_kb=8)
    one_line_error(done, str(out))
    assert not out.exists()  # never a half-written file


def test_a_file_size_limit_under_build_force_names_the_file_and_keeps_the_store(dtkg):
    done = dtkg("build", "--force", limit_kb=200)
    line = one_line_error(done, "larger than this system allows", "ulimit -f")
    assert ".dtkg-store" in line or "store" in line
    after = dtkg("query", "provinces-by-sector", "sector=logistics")
    assert after.returncode == 0 and after.stdout.strip(), after.stderr


def test_a_reader_that_leaves_is_no_error(dtkg):
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "export", "-f", "nt"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=dtkg.env)
    process.stdout.read(10)
    process.stdout.close()  # the reader goes away: the writer gets EPIPE
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == b""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free once closed: nothing listens there


@pytest.mark.parametrize("source,words", [
    ("file:///no/such/dtkg-file.ttl", ("/no/such/dtkg-file.ttl", "no such file", "nothing was changed")),
    (f"http://127.0.0.1:{_closed_port()}/graph.ttl", ("could not be read", "expected a reachable file or URL")),
], ids=["missing-file", "unreachable-url"])
def test_a_load_that_cannot_be_read_is_one_line(dtkg, source, words):
    one_line_error(dtkg("sparql", "--update", f"LOAD <{source}>"), *words)
