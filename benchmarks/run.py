"""Benchmarks: dtkg beside the straightforward rdflib + pySHACL way, at 10k, 100k and 1M triples.

    python benchmarks/run.py [--sizes 10k,100k,1M] [--runs 5] [--quick] [--output FILE] [--work DIR]
                             [--timeout 1800] [--slow 120] [--slow-timeout 600] [--no-baseline]
    python benchmarks/run.py --from-raw WORK/results-raw.json [--output FILE]

For each size: synthetic records (`dtkg synth`, seed 0) in WORK/synth-SIZE, then each measure
in a new process (its wall time and peak RSS from wait4). A figure is the median of the runs:
RUNS runs of every dtkg measure; RUNS runs of each rdflib + pySHACL baseline, but min(RUNS, 3)
at 1M and above, or once one of its runs took longer than --slow seconds:

    build       `dtkg build --force` | the same records, checks and mapping into an rdflib Dataset,
                                       written as N-Quads (rdflib's way to persist)
    first query `dtkg query` right after each fresh build | (rdflib has no build: its cold query)
    cold query  `dtkg query provinces-by-sector sector=logistics` | parse the N-Triples file, query
    warm query  the same query again in a process that has the store open | the graph parsed
    load        1M quads of N-Quads into an Oxigraph store (in memory) | into an rdflib Dataset
    full valid. `dtkg validate` (every record, then the shapes on the whole built graph, whatever
                engine kg/validate.py uses) | parse the N-Triples file, pySHACL as it comes
    one entry   `dtkg validate ENTRY.yaml` (a new record) | parse, add the entry, pySHACL on all
                (not run when the full baseline was stopped: it is the same run plus the entry)
    export      `dtkg export -f nquads` | parse the N-Quads file, serialise it

Time limits: any run is stopped after --timeout seconds; the pySHACL baseline runs (full and
one-entry validation) at 100k and above after --slow-timeout seconds (default 600: pySHACL as it
comes takes ~7 min at 100k and hours at 1M). A stopped measure is reported as "> 600 s (stopped)"
and its ratio as a bound computed from the cap ("> N×"), never from a missing figure.

Nothing is lost when a run stops or crashes: after every run of every measure the raw results so
far are saved as JSON (WORK/results-raw.json; WORK/results-quick-raw.json with --quick) and the
report is rewritten from them, sizes and measures not reached marked "not measured". `--from-raw
FILE` rewrites the report from such a file without measuring. At the end, a profile of where the
time goes at the largest size (which fails soft, "profile unavailable: reason", if the internals it
times have changed). The log (stderr) gives the plan first, then one timestamped line per run.

Writes benchmarks/results.md (with the machine, versions, the commit measured, the profile and the
goals of issue 7). Generated data goes to benchmarks/out/ (gitignored). `--quick` is a smoke run
(one small size, one run) that tests/test_benchmarks.py runs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUERY = ["provinces-by-sector", "sector=logistics"]
SECTOR = "https://w3id.org/dtkg/vocab/sector/logistics"
MEASURES = [  # key, label
    ("build", "build from records"),
    ("first_query", "first query after a fresh build"),
    ("cold_query", "cold query (new process)"),
    ("warm_query", "warm query (store open / graph parsed)"),
    ("load", "load 1 file of N-Quads"),
    ("validate_full", "full validation"),
    ("validate_entry", "one-entry validation"),
    ("export", "export (N-Quads)"),
]
CAPPED_FROM = 100_000  # triples: from this size the pySHACL baseline runs are capped by --slow-timeout
MANY_FROM = 1_000_000  # triples: from this size the baselines are run min(RUNS, 3) times


# ==================================================================================================
# Running and measuring a child process
# ==================================================================================================


@dataclass
class Run:
    seconds: float | None  # None: failed or stopped
    peak_mb: float
    note: str = ""
    detail: dict = field(default_factory=dict)
    limit: float | None = None  # the cap, when the run was stopped at it

    @property
    def stopped(self) -> bool:
        return self.seconds is None and self.limit is not None

    @classmethod
    def from_json(cls, data: dict) -> Run:
        return cls(data.get("seconds"), data.get("peak_mb") or 0.0, data.get("note", ""), data.get("detail") or {},
                   data.get("limit"))


class Stop(BaseException):
    """Raised in the main process by SIGTERM or SIGHUP, as KeyboardInterrupt is by Ctrl-C."""


def _kill(proc: subprocess.Popen) -> None:
    """Kill a child started by run_child and everything it started (its own process group: the
    --wrap process, the measured command under it, any workers of that)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe:
            pipe.close()


def run_child(argv: list[str], env: dict[str, str], timeout: float) -> Run:
    """Run a process that prints one JSON line last: its `seconds` (the measure) and `peak_mb`.
    It runs in a process group of its own, so that stopping it stops the measured command too."""
    proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        return Run(None, 0.0, f"stopped after {timeout:.0f} s", limit=timeout)
    except BaseException:  # Ctrl-C, SIGTERM: leave nothing running
        _kill(proc)
        raise
    try:
        detail = json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = (err or b"").decode("utf-8", "replace").strip().splitlines()[-2:]
        return Run(None, 0.0, f"failed (exit {proc.returncode}): {' | '.join(tail)}"[:300])
    seconds = detail.get("seconds")
    if proc.returncode not in (0, 1):
        seconds = None
    return Run(seconds, detail.get("peak_mb", 0.0), "" if seconds is not None else f"exit {proc.returncode}", detail)


def wrapped(argv: list[str]) -> list[str]:
    """`argv` run by this script's --wrap, a small process that forks it, waits with os.wait4 and
    prints its own peak RSS (a child started by this large process would inherit its RSS figure)."""
    return [sys.executable, str(Path(__file__).resolve()), "--wrap", "--", *argv]


def _death_signal():
    """A function that makes the calling process be killed when its parent dies (Linux prctl
    PR_SET_PDEATHSIG), so that a benchmark killed outright (kill -9, out of memory) leaves no
    pySHACL run behind for hours; elsewhere a no-op."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return lambda: None
    return lambda: prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG


def wrap_main(argv: list[str]) -> int:
    """Run argv; print {"seconds", "peak_mb", "exit"}: seconds from the child's own last JSON
    line if it prints one (a task timing a section of its work), else its wall time."""
    die_with_parent = _death_signal()
    die_with_parent()  # this wrap, with the benchmark; the measured command, with this wrap
    read, write = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        die_with_parent()
        os.close(read)
        os.dup2(write, 1)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        out = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    report = {"seconds": wall}
    try:
        report.update(json.loads(out.decode().strip().splitlines()[-1]))
    except (ValueError, IndexError, UnicodeDecodeError):
        pass
    report.update(peak_mb=usage.ru_maxrss / 1024, exit=code, wall=wall)
    print(json.dumps(report))
    return code


def measure(argv: list[str], env: dict[str, str], timeout: float) -> Run:
    """One run of a measure in a new process, through --wrap (its own wall time and peak memory;
    a task of this script reports the time of the section it measures instead)."""
    return run_child(wrapped(argv), env, timeout)


def dtkg(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("dtkg")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "kg.cli", *args]


def task(name: str, size: str, work: Path, *extra: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--task", name, "--size", size, "--work", str(work), *extra]


# ==================================================================================================
# Tasks that run in a child process (--task NAME): each prints one JSON line
# ==================================================================================================


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _report(seconds: float, **more) -> None:
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), **more}))


def _bound_query(root: Path) -> str:
    from pyoxigraph import NamedNode

    from kg.queries import catalogue as queries

    stored = queries.get(root, QUERY[0])
    return queries.bind(stored.text, {"sector_iri": NamedNode(SECTOR)})


def _to_rdflib(term):
    import rdflib
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    return None  # the default graph


def run_task(args: argparse.Namespace) -> int:
    work = Path(args.work)
    size = args.size
    root = work / f"synth-{size}"
    store_dir = work / f"store-{size}"
    nq, nt = work / f"graph-{size}.nq", work / f"graph-{size}.nt"
    entry_nt = work / f"entry-{size}.nt"
    reps = args.reps
    name = args.task
    t0 = time.perf_counter()

    if name == "warm-ours":
        from kg.store.local import open_read_only, select

        text = _bound_query(root)
        store = open_read_only(store_dir)
        rows = len(select(store, text)[1])
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            select(store, text)
            times.append(time.perf_counter() - t)
        _report(statistics.median(times), rows=rows)
    elif name == "load-ours":
        from pyoxigraph import RdfFormat, Store

        store = Store()
        store.load(path=str(nq), format=RdfFormat.N_QUADS)
        _report(time.perf_counter() - t0, quads=len(store))
    elif name == "build-rdflib":
        import gc

        import rdflib

        from kg.graph.build import all_quads

        gc.disable()  # as kg.graph.build does: the same records, checks and mapping
        quads, _ = all_quads(root)
        ds = rdflib.Dataset()
        for q in quads:
            ds.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object), _to_rdflib(q.graph_name)))
        ds.serialize(destination=str(work / f"rdflib-{size}.nq"), format="nquads")
        _report(time.perf_counter() - t0, quads=len(quads))
    elif name == "load-rdflib":
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(str(nq), format="nquads")
        _report(time.perf_counter() - t0, quads=len(ds))
    elif name in ("cold-rdflib", "warm-rdflib"):
        import rdflib

        text = _bound_query(root)
        graph = rdflib.Graph()
        graph.parse(str(nt), format="nt")
        rows = len(list(graph.query(text)))
        if name == "cold-rdflib":
            _report(time.perf_counter() - t0, rows=rows)
        else:
            times = []
            for _ in range(reps):
                t = time.perf_counter()
                list(graph.query(text))
                times.append(time.perf_counter() - t)
            _report(statistics.median(times), rows=rows)
    elif name in ("validate-rdflib", "entry-rdflib"):
        import logging

        import pyshacl
        import rdflib

        for logger in ("rdflib", "rdflib.term", "pyshacl"):
            logging.getLogger(logger).setLevel(logging.CRITICAL)
        graph = rdflib.Graph()
        graph.parse(str(nt), format="nt")
        if name == "entry-rdflib":
            graph.parse(str(entry_nt), format="nt")
        shapes = rdflib.Graph()
        for path in sorted((root / "shapes").glob("*.ttl")):
            shapes.parse(str(path), format="turtle")
        conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True)
        results = len(list(report.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
        _report(time.perf_counter() - t0, results=results, conforms=bool(conforms))
    elif name == "export-rdflib":
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(str(nq), format="nquads")
        ds.serialize(destination=str(work / f"rdflib-export-{size}.nq"), format="nquads")
        _report(time.perf_counter() - t0)
    elif name in ("profile-build", "profile-entry", "profile-full"):
        # Fail soft: these time internal steps of kg.graph.build, kg.validation.incremental and kg.validation.checks, which
        # may change under them; a missing step makes the profile unavailable, not the run fail.
        try:
            if name == "profile-build":
                phases = profile_build(root)
            elif name == "profile-full":
                phases = profile_full(root, store_dir)
            else:
                phases = profile_entry(root, store_dir, work / f"entry-{size}.yaml")
        except Exception as exc:  # noqa: BLE001
            _report(0.0, phases={}, error=f"{type(exc).__name__}: {exc}"[:300])
        else:
            _report(0.0, phases=phases)
    else:
        raise SystemExit(f"unknown task {name}")
    return 0


def profile_build(root: Path) -> dict[str, float]:
    """kg.graph.build.build's steps, timed one by one (wall, in this process)."""
    import gc
    import tempfile

    from pyoxigraph import Store

    import kg.graph.build as b
    from kg.graph.provinces import default_gazetteer

    gc.disable()
    phases: dict[str, float] = {}
    t = time.perf_counter()
    gazetteer = default_gazetteer(root)
    static = b.static_quads(root)
    index = b.NumberIndex()
    index.add_graph_quads(static)
    phases["static graphs (Turtle)"] = time.perf_counter() - t
    t = time.perf_counter()
    records = [r.data for r in b.load_records(root)]
    phases["records: read, YAML, checks (worker processes from 500 files)"] = time.perf_counter() - t
    t = time.perf_counter()
    quads = static[:]
    for mapped in b.map_records(records, gazetteer, index):
        quads += mapped.quads
    phases["mapping to quads"] = time.perf_counter() - t
    t = time.perf_counter()
    quads += b.derived_quads(quads, gazetteer)
    phases["derived labels"] = time.perf_counter() - t
    t = time.perf_counter()
    quads += b.dataset_description(quads, records)
    phases["DCAT/VoID description"] = time.perf_counter() - t
    with tempfile.TemporaryDirectory(dir=root.parent) as tmp:
        t = time.perf_counter()
        store = Store(tmp)
        store.bulk_extend(quads)
        store.flush()
        phases["Oxigraph bulk_extend (Rust, holds the GIL)"] = time.perf_counter() - t
        del store
    return phases


def profile_entry(root: Path, store_dir: Path, entry: Path) -> dict[str, float]:
    """`dtkg validate ENTRY` step by step, in a fresh process."""
    phases: dict[str, float] = {}
    t = time.perf_counter()
    from kg.validation.incremental import StoreContext
    from kg.base.namespaces import record_graph
    from kg.graph.provinces import default_gazetteer
    from kg.store.local import open_read_only
    from kg.curation.validate import load_record, map_entry
    from kg.validation.context import data_store_for, focus_nodes
    from kg.validation import sparql_engine as shacl_sparql
    phases["import kg (no rdflib, no pySHACL)"] = time.perf_counter() - t
    t = time.perf_counter()
    store = open_read_only(store_dir)
    context = StoreContext(store, default_gazetteer(root), root)
    record = load_record(entry)
    context = context.without(record_graph(record.id))
    mapped = map_entry(record.data, context)
    focus = focus_nodes(mapped.quads)
    phases["open store, read and map the entry"] = time.perf_counter() - t
    t = time.perf_counter()
    with data_store_for(mapped.quads, context) as data:
        phases[f"neighbourhood from the store, into an in-memory store ({len(data)} triples)"] = time.perf_counter() - t
        t = time.perf_counter()
        shacl_sparql.validate(data, root, focus)
        phases["the shapes as SPARQL on its focus nodes (first run: reads the shapes)"] = time.perf_counter() - t
        t = time.perf_counter()
        shacl_sparql.validate(data, root, focus)
        phases["the same, second run"] = time.perf_counter() - t
    return phases


def profile_full(root: Path, store_dir: Path) -> dict[str, float]:
    """`dtkg validate` (the whole graph) constraint by constraint: the ten slowest queries, each
    run alone in this process (the command runs them two at a time, one per core)."""
    from kg.validation import sparql_engine as shacl_sparql
    from kg.store.local import open_read_only

    plan = shacl_sparql.Plan(open_read_only(store_dir), root, union=True)
    timed = []
    total = time.perf_counter()
    for item in plan.queries:
        t = time.perf_counter()
        plan.run(item)
        timed.append((time.perf_counter() - t, f"{item[0].shape.rsplit('#', 1)[-1]} ({item[0].kind})"))
    phases = {f"{len(plan.queries)} queries, one after another": time.perf_counter() - total}
    for seconds, name in sorted(timed, reverse=True)[:10]:
        phases[name] = seconds
    return phases


# ==================================================================================================
# The benchmark
# ==================================================================================================


def parse_sizes(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def _git(*argv: str) -> str:
    try:
        return subprocess.run(["git", *argv], cwd=REPO, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, str]:
    info = {"python": platform.python_version(), "os": f"{platform.system()} {platform.release()}"}
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown"
    info["cpu"] = cpu
    info["cores"] = str(os.cpu_count())
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        info["ram"] = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, TypeError):
        info["ram"] = "unknown"
    from importlib.metadata import version

    for package in ("pyoxigraph", "rdflib", "pyshacl", "PyYAML", "typer", "dtkg"):
        try:
            info[package] = version(package)
        except Exception:
            info[package] = "?"
    head = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--", "kg", "shapes", "ontology", "queries")
    info["commit"] = (head or "?") + (" with uncommitted changes to kg/, shapes/, ontology/ or queries/" if dirty else "")
    return info


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


@dataclass
class Cell:
    """The runs of one measure; `done` False while runs are still to come, `skipped` why it was not run."""

    runs: list[Run] = field(default_factory=list)
    planned: int = 0
    done: bool = True
    skipped: str = ""

    @property
    def ok(self) -> list[Run]:
        return [r for r in self.runs if r.seconds is not None]

    @property
    def stopped(self) -> list[Run]:
        return [r for r in self.runs if r.stopped]

    @property
    def failed(self) -> list[Run]:
        return [r for r in self.runs if r.seconds is None and not r.stopped]

    def estimate(self) -> tuple[str, float] | None:
        """("=", the median) when the runs give it; (">", a lower bound) when the median falls on
        runs that were stopped at their cap (each longer than the cap, so longer than any finished
        run); None when nothing finished or was stopped (failed, not run, not yet measured)."""
        if not self.ok and not self.stopped:
            return None
        values = sorted(r.seconds for r in self.ok) + [math.inf] * len(self.stopped)
        cap = min(r.limit for r in self.stopped) if self.stopped else math.inf
        n = len(values)
        middle = values[(n - 1) // 2: n // 2 + 1]
        if all(math.isfinite(v) for v in middle):
            return "=", statistics.fmean(middle)
        return ">", statistics.fmean(v if math.isfinite(v) else cap for v in middle)

    @property
    def median(self) -> float | None:
        found = self.estimate()
        return found[1] if found and found[0] == "=" else None

    @property
    def peak(self) -> float | None:
        return max(r.peak_mb for r in self.ok) if self.ok else None

    @property
    def note(self) -> str:
        notes = sorted({f"{len(self.stopped)} of {len(self.runs)} runs {r.note}" if r.stopped and self.ok else r.note
                        for r in self.runs if r.note})
        if not self.done and self.runs:
            notes.append(f"unfinished: {len(self.runs)} of {self.planned} runs")
        if self.skipped:
            notes.append(self.skipped)
        return "; ".join(notes)

    def to_json(self) -> dict:
        return {"runs": [asdict(r) for r in self.runs], "planned": self.planned, "done": self.done,
                "skipped": self.skipped}

    @classmethod
    def from_json(cls, data: dict) -> Cell:
        return cls([Run.from_json(r) for r in data.get("runs", [])], data.get("planned", 0), data.get("done", True),
                   data.get("skipped", ""))


def fmt_s(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


# --------------------------------------------------------------------------------------------------
# The state of a run, saved as JSON after every run of a measure
# --------------------------------------------------------------------------------------------------


@dataclass
class State:
    argv: list[str]
    sizes: list[str]
    runs: int
    started: str
    info: dict
    limits: dict  # timeout, slow, slow_timeout (seconds)
    baseline: bool = True
    status: str = "running"  # running | complete | stopped (why) | crashed (why)
    saved_at: str = ""
    elapsed: float = 0.0
    loads: list[str] = field(default_factory=list)  # at the start, at the last save
    real: Cell | None = None
    results: list[dict] = field(default_factory=list)  # one a size begun: size, records, quads, cells, done
    prof: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if k not in ("real", "results")}
        out["real"] = self.real.to_json() if self.real else None
        out["results"] = [{**r, "cells": {side: {k: c.to_json() for k, c in cells.items()}
                                          for side, cells in r["cells"].items()}} for r in self.results]
        return out

    @classmethod
    def from_json(cls, data: dict) -> State:
        state = cls(**{k: v for k, v in data.items() if k not in ("real", "results")})
        state.real = Cell.from_json(data["real"]) if data.get("real") else None
        state.results = [{**r, "cells": {side: {k: Cell.from_json(c) for k, c in cells.items()}
                                         for side, cells in r["cells"].items()}} for r in data.get("results", [])]
        return state


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


class Recorder:
    """Saves the raw results and rewrites the report: after every run, so a stopped run keeps its figures."""

    def __init__(self, state: State, raw: Path, output: Path, t0: float):
        self.state, self.raw, self.output, self.t0 = state, raw, output, t0

    def save(self) -> None:
        state = self.state
        state.saved_at = now_utc()
        state.elapsed = time.perf_counter() - self.t0
        state.loads = state.loads[:1] + [load_average()]
        _write_atomically(self.raw, json.dumps(state.to_json(), indent=1, ensure_ascii=False) + "\n")
        write_results(self.output, state)


# --------------------------------------------------------------------------------------------------
# Measuring one size
# --------------------------------------------------------------------------------------------------


def benchmark_size(size: str, args: argparse.Namespace, env0: dict[str, str], log, rec: Recorder) -> dict:
    from kg.graph import synth

    work = Path(args.work)
    root, store_dir = work / f"synth-{size}", work / f"store-{size}"
    env = {**env0, "DTKG_ROOT": str(root), "DTKG_STORE": str(store_dir)}
    triples = synth.parse_size(size)
    runs = args.runs
    base_runs = 0 if not args.baseline else min(runs, 3) if triples >= MANY_FROM else runs
    timeout = args.timeout
    result = {"size": size, "records": None, "quads": None, "synth_seconds": None, "runs": runs,
              "base_runs": base_runs, "done": False, "cells": {"ours": {}, "base": {}}}
    rec.state.results.append(result)
    cells: dict[str, dict[str, Cell]] = result["cells"]
    rec.save()

    log(f"[{size}] synthetic records")
    t = time.perf_counter()
    count, _ = synth.write(root, triples, seed=0, source_root=REPO)
    result["records"], result["synth_seconds"] = count, time.perf_counter() - t
    entry = work / f"entry-{size}.yaml"
    data = synth.records(count + 1, seed=0)[-1]  # the next record of the sequence: new to the graph
    entry.write_text(synth._dump(data), "utf-8")

    def line(side: str, key: str, i: int, n: int, run: Run, more: str = "") -> None:
        log(f"[{size}] {side} {key} {i}/{n}: {fmt_s(run.seconds)} {run.peak_mb:.0f} MB{more} {run.note}".rstrip())

    def ours(key: str, argv: list[str], n: int = runs) -> Cell:
        cell = cells["ours"][key] = Cell(planned=n, done=False)
        for i in range(n):
            run = measure(argv, env, timeout)
            cell.runs.append(run)
            line("dtkg", key, i + 1, n, run)
            if run.seconds is None:
                break
            rec.save()
        cell.done = True
        rec.save()
        return cell

    def base(key: str, name: str, n: int = base_runs, limit: float = timeout) -> Cell:
        cell = cells["base"][key] = Cell(planned=n, done=False)
        i = 0
        while i < n:
            run = measure(task(name, size, work, "--reps", str(args.reps)), env, limit)
            cell.runs.append(run)
            i += 1
            if run.seconds is not None and run.seconds > args.slow:  # the slowest baselines: 3 runs
                n = cell.planned = min(n, 3)
            line("rdflib", key, i, n, run)
            if run.seconds is None:
                break
            rec.save()
        cell.done = True
        rec.save()
        return cell

    # dtkg: build (each followed by the first query on the fresh store), then the rest
    builds = cells["ours"]["build"] = Cell(planned=runs, done=False)
    firsts = cells["ours"]["first_query"] = Cell(planned=runs, done=False)
    for i in range(runs):
        shutil.rmtree(store_dir, ignore_errors=True)
        run = measure(dtkg("build", "--force"), env, timeout)
        builds.runs.append(run)
        if run.seconds is None:
            line("dtkg", "build", i + 1, runs, run)
            break
        first = measure(dtkg("query", *QUERY, "-f", "csv"), env, timeout)
        firsts.runs.append(first)
        line("dtkg", "build", i + 1, runs, run, f"; first query {fmt_s(first.seconds)} {first.note}".rstrip())
        rec.save()
    builds.done = firsts.done = True
    result["quads"] = _store_size(store_dir)
    rec.save()
    ours("cold_query", dtkg("query", *QUERY, "-f", "csv"))
    ours("warm_query", task("warm-ours", size, work, "--reps", str(args.reps)))
    ours("export", dtkg("export", "-f", "nquads", "-o", str(work / f"graph-{size}.nq")))
    subprocess.run(dtkg("export", "-f", "nt", "-o", str(work / f"graph-{size}.nt")), env=env, cwd=REPO, check=True,
                   capture_output=True)
    entry_nt = work / f"entry-{size}.nt"
    entry_nt.unlink(missing_ok=True)
    try:
        _entry_triples(root, store_dir, entry, entry_nt)
        no_entry = ""
    except Exception as exc:  # noqa: BLE001 — kg.validation.checks's API may change; the baseline then goes without
        no_entry = f"not run: the entry's triples could not be mapped ({type(exc).__name__}: {exc})"[:300]
        log(f"[{size}] {no_entry}")
    ours("load", task("load-ours", size, work))
    ours("validate_entry", dtkg("validate", str(entry)))
    ours("validate_full", dtkg("validate"))

    if args.baseline:
        base("build", "build-rdflib")
        cells["base"]["first_query"] = base("cold_query", "cold-rdflib")
        base("warm_query", "warm-rdflib")
        base("load", "load-rdflib")
        base("export", "export-rdflib")
        # pySHACL as it comes re-parses each SPARQL constraint for each focus node: ~7 min at
        # 100k, hours at 1M. From 100k its runs are capped (--slow-timeout); the one-entry run is
        # the same work plus the entry's triples, so it is run once when a full run is that slow,
        # and not at all when the full run was stopped.
        limit = args.slow_timeout if triples >= CAPPED_FROM else timeout
        full = base("validate_full", "validate-rdflib", limit=limit)
        if no_entry:
            cells["base"]["validate_entry"] = Cell(skipped=no_entry)
        elif full.median is None:
            why = "was stopped" if full.stopped else "failed"
            cells["base"]["validate_entry"] = Cell(skipped=f"not run: the same pySHACL run over the whole graph as "
                                                           f"full validation, which {why}")
        else:
            base("validate_entry", "entry-rdflib", n=1 if full.median > args.slow else base_runs, limit=limit)
    result["done"] = True
    rec.save()
    return result


def _store_size(store_dir: Path) -> int | None:
    from kg.store.local import open_read_only

    try:
        store = open_read_only(store_dir)
    except Exception:  # noqa: BLE001 — every build failed: no store to count
        return None
    try:
        return len(store)
    finally:
        del store


def _entry_triples(root: Path, store_dir: Path, entry: Path, out: Path) -> None:
    """The entry's triples as dtkg maps them (for the baseline, which adds them to its graph)."""
    from pyoxigraph import RdfFormat, serialize

    from kg.validation.incremental import StoreContext
    from kg.graph.provinces import default_gazetteer
    from kg.store.local import open_read_only
    from kg.curation.validate import load_record, map_entry

    store = open_read_only(store_dir)
    record = load_record(entry)
    mapped = map_entry(record.data, StoreContext(store, default_gazetteer(root), root))
    out.write_bytes(serialize([q.triple for q in mapped.quads], format=RdfFormat.N_TRIPLES))
    del store


def profiles(size: str, args: argparse.Namespace, env0: dict[str, str]) -> dict:
    """Where the time goes at `size`: each part fails soft (its reason kept, shown in the report)."""
    work = Path(args.work)
    env = {**env0, "DTKG_ROOT": str(work / f"synth-{size}"), "DTKG_STORE": str(work / f"store-{size}")}
    out: dict = {}
    for key, name in (("build", "profile-build"), ("entry", "profile-entry"), ("full", "profile-full")):
        run = run_child(task(name, size, work), env, args.timeout)
        out[key] = run.detail.get("phases") or {}
        error = run.detail.get("error") or (run.note if run.seconds is None else "")
        if error:
            out[f"{key}_error"] = error
    try:
        done = subprocess.run(dtkg("query", *QUERY, "-f", "csv"), env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
                              cwd=REPO, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        out["imports_error"] = f"`dtkg query` stopped after {args.timeout:.0f} s"
        return out
    imports = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m and len(m[2]) <= 1:  # top-level imports only
            imports.append((m[3], int(m[1]) / 1e6))
    out["imports"] = sorted(imports, key=lambda x: -x[1])[:8]
    if not imports:
        out["imports_error"] = f"`dtkg query` printed no import times (exit {done.returncode})"
    return out


GOALS = [  # (what, measure key, size, limit in seconds or MB, kind)
    ("cold CLI answer, real graph", "real_cold", None, 0.3, "s"),
    ("cold CLI answer at 1M", "cold_query", "1M", 0.6, "s"),
    ("load 1M triples", "load", "1M", 5.0, "s"),
    ("load 1M triples, memory", "load", "1M", 600, "MB"),
    ("build 1M triples from records", "build", "1M", 30.0, "s"),
    ("full validation of 1M", "validate_full", "1M", 20.0, "s"),
    ("one-entry validation at 1M", "validate_entry", "1M", 1.0, "s"),
]


def real_graph_cold(args: argparse.Namespace, env0: dict[str, str]) -> Cell:
    """`dtkg query` on the repository's own five records, in a store built in WORK."""
    store = Path(args.work) / "store-real"
    env = {**env0, "DTKG_ROOT": str(REPO), "DTKG_STORE": str(store)}
    subprocess.run(dtkg("build", "--force"), env=env, cwd=REPO, check=True, capture_output=True)
    return Cell([measure(dtkg("query", *QUERY, "-f", "csv"), env, args.timeout) for _ in range(args.runs)],
                planned=args.runs)


# ==================================================================================================
# The report, from the state (during the run, at its end, or from a saved raw file)
# ==================================================================================================


def _pending(state: State) -> str:
    return "not measured yet" if state.status == "running" else "not measured"


def show_time(cell: Cell | None, missing: str) -> str:
    """A cell's figure: its median, "> N s (stopped)" when its median falls on stopped runs,
    "not run" / "failed" / `missing` (no cell: not measured) otherwise."""
    if cell is None:
        return missing
    if cell.skipped:
        return "not run"
    found = cell.estimate()
    if found is None:
        return "failed" if cell.failed else ("—" if cell.done else missing)
    kind, value = found
    return fmt_s(value) if kind == "=" else f"> {fmt_s(value)} (stopped)"


def _times(x: float, rounding) -> str:
    if x >= 10:
        return f"{rounding(x):,.0f}×"
    return f"{rounding(x * 10) / 10:.1f}×"


def show_ratio(mine: Cell | None, theirs: Cell | None) -> str:
    """baseline ÷ dtkg: exact when both are medians; a bound when one side was stopped at its cap
    ("> N×" from the baseline's cap, "< N×" from dtkg's); "—" when either side has no figure."""
    m = mine.estimate() if mine else None
    b = theirs.estimate() if theirs else None
    if not m or not b or m[1] <= 0:
        return "—"
    if m[0] == "=" and b[0] == "=":
        return _times(b[1] / m[1], round)
    if m[0] == "=" and b[0] == ">":
        return "> " + _times(b[1] / m[1], math.floor)
    if m[0] == ">" and b[0] == "=":
        return "< " + _times(b[1] / m[1], math.ceil)
    return "—"  # both stopped: no bound either way


def _mb(cell: Cell | None) -> str:
    return f"{cell.peak:,.0f} MB" if cell and cell.peak is not None else "—"


def write_results(path: Path, state: State) -> None:
    _write_atomically(path, "\n".join(report_lines(state)) + "\n")


def report_lines(state: State) -> list[str]:
    info, lim = state.info, state.limits
    command = "`" + " ".join(["python benchmarks/run.py", *state.argv]) + "`"
    minutes = f"{state.elapsed / 60:.0f} min"
    if state.status == "complete":
        made = [f"Made by {command} on {state.started} in {minutes}."]
    else:
        if state.status == "running":
            why = f"the run had not finished when these results were saved ({state.saved_at}, after {minutes})"
        else:
            why = f"the run {state.status} at {state.saved_at}, after {minutes}"
        made = [f"**Partial results.** Made by {command}, started {state.started}; {why}.",
                "Sizes and measures marked \"not measured\" were not reached."]
    end = "at the end" if state.status == "complete" else "at the last save"
    loads = state.loads + ["?"] * (2 - len(state.loads))
    lines = [
        "# Benchmarks: dtkg beside rdflib + pySHACL",
        "",
        *made,
        "Each figure is the median of the runs shown, each run a new process; peak is the largest resident",
        "memory of one run. The baseline is the straightforward way: rdflib for the graph (parsed from a",
        "file on every start, since it has no store), pySHACL for validation. ratio = baseline ÷ dtkg.",
        f"A run is stopped after {lim['timeout']:.0f} s, a pySHACL validation baseline run at "
        f"{_size_name(CAPPED_FROM)} and above after {lim['slow_timeout']:.0f} s; a measure",
        "stopped so shows \"> N s (stopped)\" and its ratio a bound from that cap (\"> N×\"), never a figure",
        "it does not have.",
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; RAM {info['ram']}; {info['os']}",
        f"- Python {info['python']}; pyoxigraph {info['pyoxigraph']}, rdflib {info['rdflib']}, pySHACL {info['pyshacl']},"
        f" PyYAML {info['PyYAML']}, typer {info['typer']}; dtkg {info['dtkg']} at commit {info.get('commit', '?')}",
        f"- load average (1, 5, 15 min) at the start: {loads[0]}; {end}: {loads[1]} — the machine is shared,",
        "  so figures taken while other work ran are slower than an idle machine's",
        "",
        "## Results",
        "",
    ]
    by_size = {r["size"]: r for r in state.results}
    for size in state.sizes:
        r = by_size.get(size)
        if r is None:
            lines += [f"### {size}: {_pending(state)}", ""]
            continue
        c = r["cells"]
        if r.get("quads"):
            graph = f"{r['quads']:,} quads from {r['records']:,} synthetic records"
        elif r.get("records"):
            graph = f"{r['records']:,} synthetic records, quads not counted"
        else:
            graph = "synthetic records not written"
        unfinished = "" if r.get("done") else f" — unfinished, {_pending(state)} where so marked"
        base = f"baseline {r['base_runs']}" if r["base_runs"] else "no baseline"
        lines += [f"### {size}: {graph} (dtkg {r['runs']} runs, {base}){unfinished}",
                  "", "| measure | dtkg | peak | rdflib + pySHACL | peak | ratio |", "|---|---:|---:|---:|---:|---:|"]
        missing = _pending(state) if not r.get("done") else "—"
        base_missing = missing if state.baseline else "not run (--no-baseline)"
        for key, label in MEASURES:
            mine, theirs = c["ours"].get(key), c["base"].get(key)
            shown_b = show_time(theirs, base_missing)
            if key == "first_query" and theirs and theirs.estimate():
                shown_b += " (its cold query)"
            notes = "; ".join(x for x in ((mine.note if mine else ""),
                                          (theirs.note if theirs and key != "first_query" else "")) if x)
            lines.append(f"| {label} | {show_time(mine, missing)} | {_mb(mine)} | {shown_b} | {_mb(theirs)} "
                         f"| {show_ratio(mine, theirs)}{f' ({notes})' if notes else ''} |")
        rows = [_rows(c[side].get("warm_query")) for side in ("ours", "base")]
        if rows[0] is not None and rows[1] is not None:
            same = "the same number of rows" if rows[0] == rows[1] else "DIFFERENT numbers of rows"
            lines += ["", f"Both answer the query with {same} ({rows[0]} and {rows[1]})."]
        lines.append("")
    lines += ["### The repository's own graph", ""]
    if state.real is None:
        lines += [f"Cold `dtkg query {' '.join(QUERY)}` on the five curated records: {_pending(state)}.", ""]
    else:
        lines += [f"Cold `dtkg query {' '.join(QUERY)}` on the five curated records: **{show_time(state.real, '—')}** "
                  f"(median of {len(state.real.ok)}), peak {_mb(state.real)}.", ""]
    lines += goals_section(state)
    if state.status == "complete":
        last = state.results[-1]["size"] if state.results else ""
        lines += profile_section(state.prof, last)
    lines += NOTES.replace("{slow_timeout}", f"{lim['slow_timeout']:.0f}").replace(
        "{capped_from}", _size_name(CAPPED_FROM)).splitlines()
    return lines


def _size_name(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def _rows(cell: Cell | None):
    return cell.ok[0].detail.get("rows") if cell and cell.ok else None


def goals_section(state: State) -> list[str]:
    """The goals of issue 7, each figure from this run (its median, or the bound of a stopped measure)."""
    by_size = {r["size"]: r for r in state.results}
    lines = ["## Goals (issue 7)", "", "Each figure is this run's (the tables above).", "",
             "| goal | limit | measured | met |", "|---|---:|---:|:---:|"]
    for what, key, size, limit, unit in GOALS:
        if key == "real_cold":
            cell = state.real
            pending = _pending(state)
        elif size not in state.sizes:
            lines.append(f"| {what} | {limit:g} {unit} | not measured (size not in this run) | |")
            continue
        else:
            cell = by_size[size]["cells"]["ours"].get(key) if size in by_size else None
            pending = _pending(state)
        if cell is None:
            lines.append(f"| {what} | {limit:g} {unit} | {pending} | |")
            continue
        if unit == "MB":
            value = cell.peak
            if value is None:
                why = "failed" if cell.failed else ("stopped: no finished run" if cell.stopped else pending)
                lines.append(f"| {what} | {limit:g} {unit} | {why} | {'**no**' if cell.failed else ''} |")
            else:
                lines.append(f"| {what} | {limit:g} {unit} | {value:,.0f} MB | {'yes' if value <= limit else '**no**'} |")
            continue
        found = cell.estimate()
        if found is None:
            shown = "failed" if cell.failed else pending
            met = "**no**" if cell.failed else ""
        elif found[0] == "=":
            shown, met = fmt_s(found[1]), ("yes" if found[1] <= limit else "**no**")
        else:
            shown, met = f"> {fmt_s(found[1])} (stopped)", ("**no**" if found[1] >= limit else "unknown")
        lines.append(f"| {what} | {limit:g} {unit} | {shown} | {met} |")
    return lines + [""]


def profile_section(prof: dict, size: str) -> list[str]:
    if not prof:
        return []
    lines = [f"## Where the time goes ({size})", ""]
    if prof.get("error"):
        return lines + [f"- profile unavailable: {prof['error']}", ""]

    def part(key: str, title: str, items: list[str]) -> list[str]:
        body = items or ([f"- profile unavailable: {prof[key + '_error']}"] if prof.get(key + "_error") else
                         ["- profile unavailable: no steps were reported"])
        return [title, "", *body, ""]

    lines += part("build", "`dtkg build`, step by step (one run, wall time):",
                  [f"- {k}: {fmt_s(v)}" for k, v in prof.get("build", {}).items()])
    lines += part("entry", "`dtkg validate ENTRY.yaml`, step by step (a fresh process):",
                  [f"- {k}: {fmt_s(v)}" for k, v in prof.get("entry", {}).items()])
    lines += part("full", "`dtkg validate` (the whole graph), its SPARQL checks timed one by one (the ten slowest):",
                  [f"- {k}: {fmt_s(v)}" for k, v in prof.get("full", {}).items()])
    lines += part("imports", "Cold `dtkg query`: the largest top-level imports (`python -X importtime`):",
                  [f"- {name}: {fmt_s(sec)}" for name, sec in prof.get("imports", [])])
    return lines


NOTES = """## Notes

- **What each baseline does.** build: the same records, checks and mapping (`kg.graph.build.all_quads`),
  then each quad added to an `rdflib.Dataset`, written as N-Quads. first/cold query: parse the
  N-Triples export into an `rdflib.Graph` and run the same SPARQL text (the sector bound by VALUES,
  as `dtkg query` binds it); rdflib has no build, so its "first query" is its cold query. warm
  query: the same query again on the parsed graph. load: the N-Quads export into an
  `rdflib.Dataset`, against `pyoxigraph.Store().load` (in memory). full validation: pySHACL with
  the shapes on the parsed graph; one entry: the same with the entry's triples added (the
  straightforward way re-validates everything). export: parse, then serialise N-Quads.
- **Full validation.** The baseline is pySHACL as it comes, which re-parses each SPARQL constraint
  for every focus node: minutes at 100k, hours at 1M. From {capped_from} its runs are stopped after
  {slow_timeout} s ("> {slow_timeout} s (stopped)", the ratio then a lower bound from that cap), and
  when the full run was stopped the one-entry baseline, the same run plus the entry, is not run.
  `dtkg validate` runs the same shapes compiled to SPARQL (kg/shacl_sparql.py): a few queries per
  shape over all its focus nodes (its value tests, its counts, each SPARQL constraint), in the
  built store, two at a time (one per core). It reports
  what pySHACL reports (tests/test_engines.py: every shape example, the bad-input corpus, broken
  whole graphs); `dtkg validate --engine pyshacl` runs the reference. A store built from the
  records as they are has passed the record stage already, so only the shapes run.
- **One-entry validation** uses kg/incremental.py: the static graphs, the entry and the part of
  the store it touches (a few thousand triples at any size) go into an in-memory Oxigraph store,
  and the same SPARQL checks run on the entry's focus nodes; the same findings as on the whole
  graph (tests/test_incremental.py, tests/test_engines.py). Its cost does not grow with the graph;
  its floor is a cold Python process (see the profile).
- **Build** is bounded by Oxigraph's bulk loader (`Store.bulk_extend`), which is single-threaded
  and holds the GIL, so nothing overlaps it; the Python side (records read in worker processes,
  mapping, derived labels, the DCAT counts) is the rest (see the profile). With another process
  busy on the second core, the record reading cannot use it and the build is slower.
- **Export** is bounded by reading every quad back out of RocksDB (each term decoded from its id),
  as fast through `Store.dump` as through Python.
- **Cold query** is mostly Python start-up and imports (pyoxigraph, the stored queries' YAML
  headers; typer is not imported on this path; see the profile); the query itself is the warm
  figure.
"""


def main(argv: list[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    if raw[:1] == ["--wrap"]:
        return wrap_main(raw[2:] if raw[1:2] == ["--"] else raw[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reps", type=int, default=20, help="queries per warm-query run")
    parser.add_argument("--quick", action="store_true", help="a smoke run: one small size, one run")
    parser.add_argument("--output", default=None,
                        help="results file (default benchmarks/results.md; with --quick, WORK/results-quick.md)")
    parser.add_argument("--work", default=str(HERE / "out"))
    parser.add_argument("--from-raw", metavar="FILE", default=None,
                        help="rewrite the results file from a saved WORK/results-raw.json, without measuring")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds a run may take before it is stopped")
    parser.add_argument("--slow", type=float, default=120,
                        help="a baseline run longer than this many seconds is run 3 times, not --runs")
    parser.add_argument("--slow-timeout", type=float, default=600,
                        help=f"seconds a pySHACL baseline run (full or one-entry validation) at "
                             f"{_size_name(CAPPED_FROM)} and above may take (it takes hours at 1M)")
    parser.add_argument("--no-baseline", action="store_true", help="measure dtkg only")
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    args = parser.parse_args(raw)
    if args.task:
        return run_task(args)
    log = lambda text: print(f"{datetime.now():%H:%M:%S} {text}", file=sys.stderr, flush=True)  # noqa: E731
    if args.from_raw:
        state = State.from_json(json.loads(Path(args.from_raw).read_text("utf-8")))
        output = Path(args.output) if args.output else HERE / "results.md"
        write_results(output, state)
        log(f"wrote {output} from {args.from_raw} (status: {state.status})")
        return 0
    if args.quick:
        args.sizes, args.runs, args.reps = "5k", 1, 3
    args.baseline = not args.no_baseline
    work = Path(args.work).resolve()
    args.work = str(work)
    work.mkdir(parents=True, exist_ok=True)
    output = Path(args.output) if args.output else (work / "results-quick.md" if args.quick else HERE / "results.md")
    raw_path = work / ("results-quick-raw.json" if args.quick else "results-raw.json")
    sys.path.insert(0, str(REPO))
    from kg.graph import synth

    sizes = parse_sizes(args.sizes)
    env0 = {**os.environ, "PYTHONPATH": str(REPO)}
    env0.pop("PYTHONPROFILEIMPORTTIME", None)
    capped = [s for s in sizes if synth.parse_size(s) >= CAPPED_FROM]
    few = [s for s in sizes if synth.parse_size(s) >= MANY_FROM]
    plan = [f"sizes {', '.join(sizes)}", f"dtkg: {args.runs} runs of each measure"]
    if args.baseline:
        plan.append(f"baselines: {args.runs} runs of each" + (f", {min(args.runs, 3)} at {', '.join(few)}" if few else "")
                    + f", at most 3 once a run takes over {args.slow:.0f} s")
        if capped:
            plan.append(f"pySHACL baseline runs stopped after {args.slow_timeout:.0f} s at {', '.join(capped)}")
    else:
        plan.append("no baselines")
    plan += [f"any other run stopped after {args.timeout:.0f} s", f"raw results {raw_path}", f"report {output}"]
    log("plan: " + "; ".join(plan))
    t0 = time.perf_counter()
    state = State(argv=raw, sizes=sizes, runs=args.runs, started=now_utc(), info=machine(),
                  limits={"timeout": args.timeout, "slow": args.slow, "slow_timeout": args.slow_timeout},
                  baseline=args.baseline, loads=[load_average()])
    rec = Recorder(state, raw_path, output, t0)

    def stop(signum, _frame):
        raise Stop(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is not signal.SIG_IGN:  # under nohup, SIGHUP stays ignored
            signal.signal(sig, stop)
    code = 0
    try:
        rec.save()
        log("the repository's own graph: cold query")
        state.real = real_graph_cold(args, env0)
        rec.save()
        for size in sizes:
            benchmark_size(size, args, env0, log, rec)
        if state.results:
            log(f"[{state.results[-1]['size']}] profile")
            try:
                state.prof = profiles(state.results[-1]["size"], args, env0)
            except Exception as exc:  # noqa: BLE001 — a profile never costs the run
                state.prof = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        state.status = "complete"
    except (KeyboardInterrupt, Stop) as exc:
        state.status = f"was stopped ({'Ctrl-C' if isinstance(exc, KeyboardInterrupt) else exc})"
        code = 130
    except Exception as exc:
        state.status = f"crashed ({type(exc).__name__}: {exc})"[:300]
        try:
            rec.save()
            log(f"saved what was measured: {raw_path}, {output}")
        except Exception as again:  # noqa: BLE001 — the first error is the one to see
            log(f"could not save the results: {again}")
        raise
    rec.save()
    log(f"wrote {output}; the run {state.status}; raw results {raw_path}")
    return code


if __name__ == "__main__":
    sys.exit(main())
