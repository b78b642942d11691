"""Writers wait their turn and a crash at any step leaves a state the next command heals.

Fault injection: DTKG_FAULT=STEP makes `dtkg` die at that step as kill -9 would
(kg.store.lock.crash_point). After each crash, the next command must answer from a store that
agrees with data/records, and retrying must work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import REPO, built_copy

SEED = REPO / "tests" / "seed"
TQ = "tuyen-quang-2022-04-22"
VP = "vinh-phuc-2021-04-28"
QUERY = ("query", "directives-by-province", "province=Tuyên Quang", "-f", "csv")


def workspace(tmp_path: Path, without: tuple[str, ...] = (TQ,)) -> tuple[Path, Path]:
    root, store = built_copy(tmp_path)
    shutil.copytree(REPO / "queries", root / "queries")
    for record_id in without:
        (root / "data" / "records" / f"{record_id}.yaml").unlink()
    if without:
        from kg.graph.build import build
        build(root, store)
    return root, store


def dtkg(ws: tuple[Path, Path], *args: str, fault: str | None = None, **env: str) -> subprocess.CompletedProcess:
    root, store = ws
    environ = {**os.environ, "DTKG_ROOT": str(root), "DTKG_STORE": str(store), **env}
    environ.pop("DTKG_FAULT", None)
    if fault:
        environ["DTKG_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, env=environ, cwd=root)


def tuyen_quang_rows(ws) -> int:
    done = dtkg(ws, *QUERY)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return len(done.stdout.strip().splitlines()) - 1


def agrees(ws) -> bool:
    """The store answers for Tuyên Quang exactly when its record is in data/records."""
    on_disk = (ws[0] / "data" / "records" / f"{TQ}.yaml").is_file()
    return (tuyen_quang_rows(ws) > 0) == on_disk


@pytest.mark.parametrize("step", ["add:after-store", "add:after-file"])
def test_a_crash_during_add_is_healed_by_the_next_command(tmp_path, step):
    ws = workspace(tmp_path)
    crashed = dtkg(ws, "add", str(SEED / f"{TQ}.yaml"), fault=step)
    assert crashed.returncode == 137
    assert agrees(ws)  # the next command (a query) rebuilt what the crash left unsure
    again = dtkg(ws, "add", str(SEED / f"{TQ}.yaml"))
    assert again.returncode == 0, again.stderr
    assert tuyen_quang_rows(ws) == 2


@pytest.mark.parametrize("step", ["remove:after-store", "remove:after-file"])
def test_a_crash_during_remove_is_healed_by_the_next_command(tmp_path, step):
    ws = workspace(tmp_path, without=())
    crashed = dtkg(ws, "remove", TQ, fault=step)
    assert crashed.returncode == 137
    assert agrees(ws)
    if (ws[0] / "data" / "records" / f"{TQ}.yaml").is_file():
        assert dtkg(ws, "remove", TQ).returncode == 0
    assert tuyen_quang_rows(ws) == 0


@pytest.mark.parametrize("step", ["build:before-switch", "build:after-switch"])
def test_a_crash_during_build_leaves_a_whole_store(tmp_path, step):
    ws = workspace(tmp_path)
    (ws[0] / "data" / "records" / f"{TQ}.yaml").write_bytes((SEED / f"{TQ}.yaml").read_bytes())
    crashed = dtkg(ws, "build", fault=step)
    assert crashed.returncode == 137
    assert agrees(ws)
    assert tuyen_quang_rows(ws) == 2


def test_two_adds_at_once_both_land(tmp_path):
    ws = workspace(tmp_path, without=(TQ, VP))
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda rid: dtkg(ws, "add", str(SEED / f"{rid}.yaml")), [TQ, VP]))
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    assert tuyen_quang_rows(ws) == 2
    vinh_phuc = dtkg(ws, "query", "directives-by-province", "province=Vĩnh Phúc", "-f", "csv")
    assert len(vinh_phuc.stdout.strip().splitlines()) > 1


def test_a_second_writer_says_whom_it_waits_for_and_gives_up_in_one_line(tmp_path):
    from kg.store.lock import writer_lock

    ws = workspace(tmp_path)
    with writer_lock(ws[1], "a test holding the store", say=lambda _: None):
        done = dtkg(ws, "add", str(SEED / f"{TQ}.yaml"), DTKG_LOCK_TIMEOUT="0.5")
    assert done.returncode == 2
    assert "waiting for a test holding the store" in done.stderr
    assert "still holds the store after 0.5 s" in done.stderr and "Traceback" not in done.stderr
    assert not (ws[0] / "data" / "records" / f"{TQ}.yaml").exists()


def test_queries_during_rebuilds_never_fail(tmp_path):
    ws = workspace(tmp_path, without=())
    stop = time.monotonic() + 60

    def rebuild(_):
        return dtkg(ws, "build", "--force").returncode

    with ThreadPoolExecutor(4) as pool:
        builds = pool.submit(lambda: [rebuild(i) for i in range(3)])
        answers = list(pool.map(lambda _: dtkg(ws, *QUERY), range(24)))
        assert builds.result() == [0, 0, 0]
    assert time.monotonic() < stop
    failed = [a.stderr for a in answers if a.returncode != 0 or len(a.stdout.strip().splitlines()) != 3]
    assert not failed, failed[:2]


def test_leftovers_of_killed_builds_are_removed(tmp_path):
    ws = workspace(tmp_path, without=())
    store = ws[1]
    stale_new = store.with_name(store.name + ".new-99999")
    stale_new.mkdir()
    old_version = store.with_name(store.name + ".v-1-99999")
    old_version.mkdir()
    os.utime(old_version, (time.time() - 3600, time.time() - 3600))
    assert dtkg(ws, "build", "--force").returncode == 0
    assert not stale_new.exists() and not old_version.exists()
    assert store.is_symlink() and store.resolve().is_dir()


def test_serve_shows_each_add_and_remove_within_seconds(tmp_path):
    from helpers import Lines
    from kg.publish.serve import free_port
    from kg.queries.catalogue import answer, catalogue
    from kg.store.endpoint import Endpoint

    ws = workspace(tmp_path)
    root, store = ws
    port = free_port()
    env = {**os.environ, "DTKG_ROOT": str(root), "DTKG_STORE": str(store)}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port)], cwd=root, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    stored = catalogue(root)["directives-by-province"]
    endpoint = Endpoint(f"http://127.0.0.1:{port}/query")

    def rows() -> int:
        return len(answer(stored, {"province": "Tuyên Quang"}, endpoint.select)[1])

    try:
        lines = Lines(proc.stderr)
        lines.wait_for("serving the graph read-only")
        assert rows() == 0
        for command, expected in ((("add", str(SEED / f"{TQ}.yaml")), 2), (("remove", TQ), 0)):
            assert dtkg(ws, *command).returncode == 0
            lines.wait_for("the store changed")
            assert rows() == expected, command  # the change itself, not the one before it
    finally:
        proc.terminate()
        proc.wait(10)
