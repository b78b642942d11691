"""The README's examples run (as ROBOT does with its documentation): every `dtkg …` line of its code
blocks and every example of its command table, in the README's order, by a shell in a copy of the
seed repository, each exiting as the README shows; and the example record validates.

The commands are read from the README itself, so the test follows it when a command changes.
The copy holds the seed records (tests/seed/) but the one the example record describes, so that
record can be validated, added and removed as `new-entry`, as the README's table does; `push` goes
to a server this test starts, `serve` to a free port and is stopped once it answers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from helpers import REPO, SEED

README = (REPO / "README.md").read_text("utf-8")
EXAMPLE_ID = "tuyen-quang-2022-04-22"  # the record the README's example is taken from
PORT = "7878"  # the port the README's examples use; replaced by a free one here

# Folders the examples read besides the seed repository.
EXTRA = ("tests/bad_inputs", "benchmarks/heldout")


def _fenced_commands(text: str) -> list[tuple[int, str, int]]:
    """`dtkg …` lines (or `$ dtkg …`) of fenced code blocks: (position, command, the exit status
    the block shows: 1 when its output reports violations, else 0)."""
    found = []
    for block in re.finditer(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M):
        lines = block[1].splitlines()
        for i, line in enumerate(lines):
            command = line.removeprefix("$ ").strip()
            if command.startswith("dtkg "):
                shown = re.search(r"^(\d+) violations?, \d+ warnings? in", "\n".join(lines[i + 1:]), re.M)
                found.append((block.start() + i, command, 1 if shown and int(shown[1]) else 0))
    return found


def _table_examples(text: str) -> list[tuple[int, str, int]]:
    """The example column (the last) of the command table: (position, command, 0)."""
    found = []
    for row in re.finditer(r"^\| `dtkg[^\n]*\|[ \t]*$", text, re.M):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row[0].strip().strip("|"))]
        example = cells[-1].replace("\\|", "|")
        if example.startswith("`dtkg ") and example.endswith("`"):
            found.append((row.start(), example[1:-1], 0))
    return found


def _in_order(text: str) -> list[tuple[str, int]]:
    return [(command, status) for _, command, status in sorted(_fenced_commands(text) + _table_examples(text))]


def example_record() -> dict:
    block = re.search(r"^```yaml\n(record: 1.*?)^```", README, re.S | re.M)
    assert block, "the README has no example record"
    return yaml.safe_load(block[1])


def test_the_readme_lists_its_examples():
    commands = [c for c, _ in _in_order(README)]
    for expected in ("dtkg build", "dtkg vocab sector", "dtkg validate new-entry.yaml", "dtkg add new-entry.yaml"):
        assert expected in commands
    assert not [c for c in commands if "../" in c], "an example reads outside the repository"


@pytest.fixture
def readme_repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(SEED, root)
    for folder in EXTRA:
        shutil.copytree(REPO / folder, root / folder)
    (root / "data" / "records" / f"{EXAMPLE_ID}.yaml").unlink()
    record = example_record()
    assert record["id"] == EXAMPLE_ID
    record["id"] = "new-entry"
    (root / "new-entry.yaml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
    return root


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTKG_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["DTKG_ROOT"] = str(root)
    return env


def _serve(command: str, root: Path) -> subprocess.CompletedProcess:
    """`dtkg serve` runs until stopped: started, asked for a page, stopped."""
    proc = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=root, env=_env(root),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = re.search(r"--port (\d+)", command)[1]
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/id/province/42-ha-tinh", timeout=5) as reply:
                    return subprocess.CompletedProcess(command, 0 if reply.status == 200 else 1, "", "")
            except OSError:
                time.sleep(0.3)
        return subprocess.CompletedProcess(command, proc.poll() or 1, "", "serve did not answer")
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_every_dtkg_line_of_the_readme_runs(readme_repo, oxigraph_factory, tmp_path):
    from kg.publish.serve import free_port

    location = tmp_path / "oxigraph"
    _, server = oxigraph_factory(["serve", "--location", str(location)])
    failures = []
    for command, status in _in_order(README):
        if " push " in f" {command} ":
            command = command.replace(f"http://127.0.0.1:{PORT}", server)
        elif re.match(r"dtkg serve\b", command):
            command = command.replace(f"--port {PORT}", f"--port {free_port()}")
            done = _serve(command, readme_repo)
            if done.returncode != 0:
                failures.append(f"`{command}`: {done.stderr}")
            continue
        done = subprocess.run(["bash", "-c", command], cwd=readme_repo, env=_env(readme_repo),
                              capture_output=True, text=True, timeout=600)
        if done.returncode != status:
            failures.append(f"`{command}` exited {done.returncode}, the README shows {status}: {done.stderr.strip()[-500:]}")
    assert not failures, "\n".join(failures)


def test_the_example_record_validates(readme_repo):
    """As the README shows it (its own id, so checked as a replacement of the seed record) and
    as a new record (the copy without the seed record): no violation either way."""
    shown = readme_repo / f"{EXAMPLE_ID}.yaml"
    shown.write_text(yaml.safe_dump(example_record(), allow_unicode=True, sort_keys=False), "utf-8")
    for path in (readme_repo / "new-entry.yaml", shown):
        if path == shown:
            shutil.copy(SEED / "data" / "records" / shown.name, readme_repo / "data" / "records")
        done = subprocess.run(["dtkg", "validate", path.name], cwd=readme_repo, env=_env(readme_repo),
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and "0 violations" in done.stdout, done.stdout + done.stderr
