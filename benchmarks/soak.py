"""Soak test of issue 14's goals: a server that stays up, a store that never disagrees with data/,
writers that wait their turn. Every scenario runs the real `dtkg` (as a new process) on 127.0.0.1
in a temporary copy of this repository, and reports measured numbers.

    python benchmarks/soak.py [--quick] [--only NAME[,NAME]] [--out benchmarks/soak.md]

Scenarios (goal in brackets):
  hostile      nested, huge and malformed queries and requests      [0 server crashes in 1,000 tries]
  abandoned    heavy queries whose clients leave                     [CPU idle within timeout + 5 s, 100 of them]
  idle         idle and half-sent connections, then a normal client  [answered in < 1 s with 600 open]
  throughput   8 clients x 250 queries through the front             [0 errors, >= 1,000 q/s, p99 <= 20 ms]
  adds         pairs of `dtkg add` started together                  [20 of 20 land]
  rebuilds     `dtkg query` while `dtkg build --force` loops         [0 failures in 360]
  kill9        kill -9 at points through add, remove, build --force  [0 silent disagreements store/data]
  follow       `dtkg serve` while records are added and removed       [serves each change within 1 s, 0 dropped]

--quick scales every size down (a handful of tries) for tests/test_soak.py; the figures it gives
are not the goals' figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TIMEOUT = 5.0  # the server's --timeout in the soak (the goal is relative to it)
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "SELECT ?p ?o WHERE { <https://w3id.org/dtkg/id/province/01-ha-noi> ?p ?o } LIMIT 20"
RECORD_GRAPHS = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                 "FILTER (STRSTARTS(STR(?g), \"https://w3id.org/dtkg/graph/record/\")) }")


# -- a copy of the repository, and `dtkg` in it ---------------------------------------------------


class Repo:
    """A throw-away copy of ontology/, shapes/, queries/ and data/ with its own store."""

    def __init__(self, work: Path):
        self.root = work / "repo"
        for folder in ("ontology", "shapes", "queries", "data"):
            shutil.copytree(ROOT / folder, self.root / folder)
        self.records = self.root / "data" / "records"
        self.env = {k: v for k, v in os.environ.items() if k not in ("DTKG_STORE",)}
        self.env.update(DTKG_ROOT=str(self.root), PYTHONPATH=str(ROOT))

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kg.cli", *args]

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), cwd=self.root, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(self.command(*args), cwd=self.root, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def ids_on_disk(self) -> set[str]:
        return {p.stem for p in self.records.glob("*.yaml")}

    def ids_in_store(self) -> tuple[int, set[str], str]:
        done = self.run("sparql", RECORD_GRAPHS, "--format", "csv")
        ids = {line.strip().rsplit("/", 1)[-1] for line in done.stdout.splitlines()[1:] if line.strip()}
        return done.returncode, ids, last_line(done.stderr)


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


# -- the server -----------------------------------------------------------------------------------


class Server:
    """`dtkg serve --port P --timeout TIMEOUT` over the copy's store; its stderr kept."""

    def __init__(self, repo: Repo):
        with socket.socket() as s:
            s.bind((HOST, 0))
            self.port = s.getsockname()[1]
        self.proc = repo.start("serve", "--port", str(self.port), "--timeout", str(TIMEOUT))
        self.lines: list[str] = []
        ready = threading.Event()

        def read() -> None:
            for line in self.proc.stderr:
                self.lines.append(line.rstrip())
                if "the pages are ready" in line:  # SPARQL answers before, but the server is busy
                    ready.set()
        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(300):  # the pages take seconds (more on a loaded machine)
            self.stop()
            raise RuntimeError("dtkg serve did not start: " + " | ".join(self.lines[-5:]))

    def alive(self) -> bool:
        return self.proc.poll() is None

    def inner_restarts(self) -> int:
        return sum("store's server stopped" in line for line in self.lines)

    def query(self, text: str, timeout: float = 30.0) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request("POST", "/query", body=text.encode("utf-8"),
                         headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def tree_cpu(self) -> float:
        """CPU seconds used so far by the server and its children (Oxigraph)."""
        pids, total = {self.proc.pid}, 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                pids.add(int(stat.parent.name))
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                pass
        return total

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _raw(port: int, data: bytes, timeout: float = 15.0) -> str:
    """Sends raw bytes; the status line of the answer, or what happened instead."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            answer = s.recv(64)
        return answer.split(b"\r\n", 1)[0].decode("latin-1")[9:12] or "closed"
    except OSError as exc:
        return type(exc).__name__


def _post(query: bytes) -> bytes:
    return (b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nConnection: close\r\n"
            b"Content-Length: " + str(len(query)).encode() + b"\r\n\r\n" + query)


def hostile_request(i: int, rng: random.Random) -> bytes:
    kind = i % 6
    if kind == 0:  # nested groups, 100 to 20,000 deep
        depth = rng.choice((100, 1000, 2500, 5000, 20000))
        return _post(("SELECT * WHERE " + "{ " * depth + "?s ?p ?o " + "} " * depth).encode())
    if kind == 1:  # nested expressions
        depth = rng.choice((500, 2500, 10000))
        return _post(("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "?o" + ")" * depth + ") }").encode())
    if kind == 2:  # huge: 1.5 MB
        return _post(("SELECT * WHERE { ?s ?p ?o FILTER(?o = \"" + "a" * 1_500_000 + "\") }").encode())
    if kind == 3:  # a valid query cut anywhere, or random bytes
        text = LIGHT.encode()
        return _post(text[:rng.randrange(len(text))] if rng.random() < 0.5 else rng.randbytes(rng.randrange(1, 4000)))
    if kind == 4:  # a query that is not UTF-8, or SERVICE
        return _post(b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }" if rng.random() < 0.5 else
                     b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    return rng.choice((b"GARBAGE\r\n\r\n", b"POST /query HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                       b"POST /query HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\nSELECT",
                       b"GET /query?query=" + urllib.parse.quote("{" * 5000).encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                       rng.randbytes(300)))


def hostile(server: Server, quick: bool) -> dict:
    tries = 30 if quick else 1000
    rng, statuses = random.Random(14), {}
    for i in range(tries):
        status = _raw(server.port, hostile_request(i, rng))
        statuses[status] = statuses.get(status, 0) + 1
        if not server.alive():
            break
    status, _ = server.query(LIGHT) if server.alive() else (0, b"")
    crashes = (0 if server.alive() else 1) + server.inner_restarts()
    return {"tries": tries, "server crashes": crashes, "normal query after": status,
            "answers": ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())),
            "goal": crashes == 0 and status == 200}


def abandoned(server: Server, quick: bool) -> dict:
    count = 5 if quick else 100
    for _ in range(count):
        try:
            s = socket.create_connection((HOST, server.port), timeout=5)
            s.sendall(_post(HEAVY.encode()))
            time.sleep(0.05)
            s.close()  # the client leaves
        except OSError:
            pass
    left = time.monotonic()
    busy_until, previous = left, server.tree_cpu()
    while time.monotonic() - left < TIMEOUT + (7 if quick else 30):  # quick: "answered at all"
        time.sleep(1.0)
        now = server.tree_cpu()
        if now - previous > 0.10:  # more than a tenth of a core over the last second
            busy_until = time.monotonic()
        elif time.monotonic() - busy_until > 3:
            break
        previous = now
    idle_after = busy_until - left
    status, _ = server.query(LIGHT)
    return {"abandoned queries": count, "CPU idle after (s)": round(idle_after, 1), "limit (s)": TIMEOUT + 5,
            "normal query after": status, "goal": idle_after <= TIMEOUT + 5 and status == 200}


def idle(server: Server, quick: bool) -> dict:
    count = 20 if quick else 600
    sockets = []
    try:
        for i in range(count):
            s = socket.create_connection((HOST, server.port), timeout=5)
            if i % 2:
                s.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nSELECT")  # half-sent
            sockets.append(s)
        start = time.perf_counter()
        try:
            status, _ = server.query(LIGHT, timeout=30)
        except OSError as exc:
            status = type(exc).__name__
        seconds = time.perf_counter() - start
    finally:
        for s in sockets:
            s.close()
    return {"open connections": len(sockets), "normal query answered in (s)": round(seconds, 3), "status": status,
            "goal": status == 200 and seconds < 1.0}


def throughput(server: Server, quick: bool) -> dict:
    clients, each = (2, 10) if quick else (8, 250)
    latencies: list[float] = []
    errors: list[str] = []
    body = urllib.parse.urlencode({"query": LIGHT})

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
        for _ in range(each):
            start = time.perf_counter()
            try:
                conn.request("POST", "/query", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(str(response.status))
            except (OSError, http.client.HTTPException) as exc:
                errors.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
            latencies.append(time.perf_counter() - start)
        conn.close()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    rate = len(latencies) / seconds
    return {"queries": len(latencies), "errors": len(errors), "queries/s": round(rate),
            "p50 (ms)": round(statistics.median(latencies) * 1000, 1), "p99 (ms)": round(p99, 1),
            "goal": not errors and rate >= 1000 and p99 <= 20}


# -- writers --------------------------------------------------------------------------------------


def _newest(repo: Repo, count: int) -> list[Path]:
    """The `count` newest records (by the date in their name): the least likely to be implemented
    by others, so the graph builds without them."""
    return sorted(repo.records.glob("*.yaml"), key=lambda p: p.stem[-10:])[-count:]


def adds(repo: Repo, quick: bool) -> dict:
    pairs = 2 if quick else 10
    incoming = repo.root.parent / "incoming"
    incoming.mkdir(exist_ok=True)
    chosen = [Path(shutil.move(p, incoming / p.name)) for p in _newest(repo, 2 * pairs)]
    built = repo.run("build", "--force")
    if built.returncode:
        return {"goal": False, "note": "build without the records failed: " + last_line(built.stderr)}
    ok, problems = 0, []
    for a, b in zip(chosen[::2], chosen[1::2]):
        procs = [repo.start("add", str(a)), repo.start("add", str(b))]
        for path, proc in zip((a, b), procs):
            _, err = proc.communicate(timeout=600)
            if proc.returncode == 0:
                ok += 1
            else:
                problems.append(f"{path.stem}: exit {proc.returncode}: {last_line(err)}")
    code, in_store, why = repo.ids_in_store()
    landed = sum(1 for p in chosen if p.stem in in_store and (repo.records / p.name).exists())
    return {"adds": 2 * pairs, "said success": ok, "landed (file and store)": landed,
            "failures": "; ".join(problems[:3]) or "-", "goal": landed == 2 * pairs and ok == 2 * pairs}


def rebuilds(repo: Repo, quick: bool) -> dict:
    total, workers = (12, 2) if quick else (360, 3)
    stop = threading.Event()
    builds = [0]

    def rebuild() -> None:
        while not stop.is_set():
            repo.run("build", "--force")
            builds[0] += 1
    failures: list[str] = []
    counter = iter(range(total))
    lock = threading.Lock()

    def query() -> None:
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            done = repo.run("query", "provinces-by-sector", "sector=logistics", "--format", "csv")
            if done.returncode or len(done.stdout.strip().splitlines()) < 2:  # a header and its rows
                failures.append(f"exit {done.returncode}: {last_line(done.stderr)}")
    builder = threading.Thread(target=rebuild)
    builder.start()
    threads = [threading.Thread(target=query) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    builder.join()
    return {"queries": total, "failures": len(failures), "rebuilds meanwhile": builds[0],
            "first failure": failures[0] if failures else "-", "goal": not failures}


def kill9(repo: Repo, quick: bool) -> dict:
    """Each command killed at evenly spaced points of its unkilled duration; after each kill, the
    next reader (`dtkg sparql`) must either agree with data/records or say something is wrong."""
    steps = 2 if quick else 12
    victim = _newest(repo, 1)[0]
    spare = repo.root.parent / victim.name
    shutil.copy(victim, spare)
    commands = {"add": ("add", str(spare)), "remove": ("remove", victim.stem), "build": ("build", "--force")}
    trials = silent = noticed = 0
    details: list[str] = []
    for name, args in commands.items():
        def reset() -> None:
            if name == "add":
                victim.unlink(missing_ok=True)
            elif not victim.exists():
                shutil.copy(spare, victim)
            repo.run("build", "--force")
        reset()
        start = time.perf_counter()
        repo.run(*args)
        duration = time.perf_counter() - start
        for k in range(1, steps + 1):
            reset()
            proc = repo.start(*args)
            time.sleep(duration * k / (steps + 1))
            proc.kill()
            proc.wait()
            trials += 1
            code, in_store, why = repo.ids_in_store()
            on_disk = repo.ids_on_disk()
            if code != 0:
                noticed += 1
            elif in_store != on_disk:
                silent += 1
                diff = sorted(in_store ^ on_disk)
                details.append(f"{name} killed at {duration * k / (steps + 1):.2f} s: store and data/ differ on {diff[:2]}")
    return {"kills": trials, "silent disagreements": silent, "said something is wrong": noticed,
            "first": details[0] if details else "-", "goal": silent == 0}


def follow(repo: Repo, quick: bool) -> dict:
    """`dtkg add` and `dtkg remove` of one record while `dtkg serve` runs and two clients query it
    without pause: seconds from the command's exit until the server answers with the change."""
    rounds = 1 if quick else 5
    victim = _newest(repo, 1)[0]
    spare = Path(shutil.move(victim, repo.root.parent / victim.name))
    built = repo.run("build", "--force")
    if built.returncode:
        return {"goal": False, "note": "build without the record failed: " + last_line(built.stderr)}
    server = Server(repo)
    ask = f"ASK {{ GRAPH <https://w3id.org/dtkg/graph/record/{victim.stem}> {{ ?s ?p ?o }} }}"
    stop, dropped, served = threading.Event(), [], [0]

    def client() -> None:
        while not stop.is_set():
            try:
                status, _ = server.query(LIGHT, timeout=10)
            except OSError as exc:
                status = type(exc).__name__
            if status == 200:
                served[0] += 1
            else:
                dropped.append(str(status))

    def lag(present: bool) -> float:
        start = time.monotonic()
        while time.monotonic() - start < 30:
            status, body = server.query(ask)
            if status == 200 and (b"true" in body) == present:
                break
            time.sleep(0.02)
        return time.monotonic() - start
    lags: list[float] = []
    problems: list[str] = []
    clients = [threading.Thread(target=client) for _ in range(2)]
    for t in clients:
        t.start()
    try:
        for _ in range(rounds):
            for args, present in ((("add", str(spare)), True), (("remove", victim.stem), False)):
                done = repo.run(*args)
                if done.returncode:
                    problems.append(f"{args[0]}: exit {done.returncode}: {last_line(done.stderr)}")
                lags.append(lag(present))
    finally:
        stop.set()
        for t in clients:
            t.join()
        alive = server.alive()
        server.stop()
    return {"changes": len(lags), "slowest switch (s)": round(max(lags), 2),
            "median switch (s)": round(statistics.median(lags), 2), "queries meanwhile": served[0],
            "dropped": len(dropped), "failures": "; ".join(problems[:2] + dropped[:3]) or "-",
            "server alive after": alive,
            "goal": not problems and not dropped and max(lags) <= 1.0 and alive}


SERVER_SCENARIOS = {"hostile": hostile, "abandoned": abandoned, "idle": idle, "throughput": throughput}
WRITER_SCENARIOS = {"adds": adds, "rebuilds": rebuilds, "kill9": kill9, "follow": follow}


def run(names: list[str], quick: bool, work: Path) -> dict[str, dict]:
    results: dict[str, dict] = {}
    server_names = [n for n in names if n in SERVER_SCENARIOS]
    if server_names:
        repo = Repo(work / "server")
        repo.run("build", "--force")
        for name in server_names:  # a fresh server each: one scenario's leftovers must not slow the next
            server = Server(repo)
            try:
                results[name] = SERVER_SCENARIOS[name](server, quick)
                results[name]["server alive after"] = server.alive()
                print(name, results[name], flush=True)
            finally:
                server.stop()
    for name in (n for n in names if n in WRITER_SCENARIOS):
        repo = Repo(work / name)  # each writer scenario on its own copy
        results[name] = WRITER_SCENARIOS[name](repo, quick)
        print(name, results[name], flush=True)
    return results


def report(results: dict[str, dict], quick: bool, command: str) -> str:
    lines = ["# Soak test (issue 14)", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
             f"{os.cpu_count()} cores (shared with other work), Python {platform.python_version()}, by `{command}`"
             + (" (quick sizes: not the goals' figures)" if quick else "") + ".", "",
             f"The server runs `dtkg serve --timeout {TIMEOUT:g}`; writers run the CLI in a temporary copy of the "
             "repository.", ""]
    for name, figures in results.items():
        goal = figures["goal"]
        figures = {k: v for k, v in figures.items() if k != "goal"}
        lines += [f"## {name}: {'goal met' if goal else 'goal NOT met'}", "", "| measure | value |", "|---|---|"]
        lines += [f"| {k} | {str(v).replace('|', '/')} |" for k, v in figures.items()]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    every = [*SERVER_SCENARIOS, *WRITER_SCENARIOS]
    parser.add_argument("--only", default=",".join(every), help="Scenarios, comma-separated: " + ", ".join(every))
    parser.add_argument("--quick", action="store_true", help="A handful of tries per scenario.")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "soak.md")
    args = parser.parse_args()
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in every]
    if unknown:
        parser.error(f"unknown scenario {unknown[0]!r}; expected one of {', '.join(every)}")
    with tempfile.TemporaryDirectory(prefix="dtkg-soak-") as tmp:
        results = run(names, args.quick, Path(tmp))
    command = "python benchmarks/soak.py" + (" --quick" if args.quick else "") + (
        f" --only {args.only}" if names != every else "")
    args.out.write_text(report(results, args.quick, command), "utf-8")
    print(f"wrote {args.out}")
    return 0 if all(r.get("goal", True) for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
