"""The benchmark command cannot rot: its smoke mode runs every measure once on a tiny graph; a
stopped run keeps what it measured; stopped measures are reported as bounds, never as figures."""

from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "benchmarks" / "run.py"


def _bench():
    if "dtkg_bench_run" not in sys.modules:
        spec = importlib.util.spec_from_file_location("dtkg_bench_run", SCRIPT)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["dtkg_bench_run"]


def _row(text: str, label: str) -> list[str]:
    row = next(line for line in text.splitlines() if line.startswith(f"| {label}"))
    return [c.strip() for c in row.strip("|").split("|")]


def test_quick_benchmark_writes_a_complete_report(tmp_path):
    output, work = tmp_path / "results.md", tmp_path / "work"
    done = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--work", str(work), "--output", str(output)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.splitlines()[0].split(" ", 1)[1].startswith("plan: sizes 5k")
    text = output.read_text("utf-8")
    for heading in ("## Machine", "## Results", "## Goals (issue 7)", "## Where the time goes", "## Notes"):
        assert heading in text
    for label in ("build from records", "first query after a fresh build", "cold query", "warm query", "load",
                  "full validation", "one-entry validation", "export"):
        cells = _row(text, label)
        assert cells[1] != "—" and cells[3] != "—", cells  # measured for dtkg and for the baseline
    assert "pyoxigraph" in text and "rdflib" in text and "pySHACL" in text
    table = "\n".join(line for line in text.splitlines() if line.startswith("|"))
    assert "failed" not in table and "stopped" not in table and "not measured yet" not in table
    assert "Partial" not in text
    assert "profile unavailable" not in text
    assert not (REPO / "data" / "records" / "synth-000000-central-acts.yaml").exists()
    # the raw results, and the same report regenerated from them without measuring
    raw = work / "results-quick-raw.json"
    assert json.loads(raw.read_text("utf-8"))["status"] == "complete"
    again = tmp_path / "again.md"
    done = subprocess.run([sys.executable, str(SCRIPT), "--from-raw", str(raw), "--output", str(again)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert again.read_text("utf-8") == text


def test_a_stopped_run_keeps_what_it_measured(tmp_path):
    output, work = tmp_path / "results.md", tmp_path / "work"
    raw = work / "results-quick-raw.json"
    proc = subprocess.Popen([sys.executable, str(SCRIPT), "--quick", "--no-baseline", "--work", str(work),
                             "--output", str(output)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if raw.exists() and '"cold_query"' in raw.read_text("utf-8"):
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:  # it finished first: nothing to test
        return
    assert proc.returncode == 130, err.decode()[-3000:]
    state = json.loads(raw.read_text("utf-8"))
    assert state["status"] == "was stopped (SIGTERM)"
    text = output.read_text("utf-8")
    assert text.startswith("# Benchmarks") and "**Partial results.**" in text and "stopped (SIGTERM)" in text
    assert _row(text, "build from records")[1].endswith(("ms", " s"))  # measured before the stop
    assert "## Where the time goes" not in text  # the profile comes at the end of a whole run


def _state(bench, status: str = "running"):
    Cell, Run = bench.Cell, bench.Run

    def ok(*seconds, peak=100.0):
        return bench.Cell([Run(s, peak) for s in seconds], planned=len(seconds))

    def capped(*seconds, cap=600.0):
        return Cell([Run(s, 200.0) for s in seconds] + [Run(None, 0.0, f"stopped after {cap:.0f} s", limit=cap)],
                    planned=3)

    ours = {key: ok(2.0) for key, _ in bench.MEASURES}
    base = {key: ok(8.0) for key, _ in bench.MEASURES}
    base["validate_full"] = capped()
    base["validate_entry"] = Cell(skipped="not run: the same pySHACL run as full validation, which was stopped")
    ours_1m = {"build": ok(26.6, 24.0, 30.0, peak=1655.0), "load": ok(4.8, 5.0, 4.0, peak=381.0),
               "cold_query": ok(0.42), "validate_full": capped(cap=1800.0)}
    state = bench.State(argv=["--sizes", "100k,1M"], sizes=["100k", "1M", "10M"], runs=5, started="2026-01-01 00:00 UTC",
                        info={k: "x" for k in ("cpu", "cores", "ram", "os", "python", "pyoxigraph", "rdflib", "pyshacl",
                                               "PyYAML", "typer", "dtkg", "commit")},
                        limits={"timeout": 1800, "slow": 120, "slow_timeout": 600}, status=status,
                        saved_at="2026-01-01 01:00 UTC", elapsed=3600, loads=["1", "1"], real=ok(0.25))
    state.results = [
        {"size": "100k", "records": 400, "quads": 100_000, "runs": 5, "base_runs": 5, "done": True,
         "cells": {"ours": ours, "base": base}},
        {"size": "1M", "records": 3900, "quads": 1_000_000, "runs": 5, "base_runs": 3, "done": False,
         "cells": {"ours": ours_1m, "base": {}}},
    ]
    return state


def test_medians_of_stopped_runs_are_bounds():
    bench = _bench()
    Cell, Run = bench.Cell, bench.Run
    stop = Run(None, 0.0, "stopped after 600 s", limit=600.0)
    assert Cell([Run(420.0, 1), Run(430.0, 1), stop]).estimate() == ("=", 430.0)
    assert Cell([stop]).estimate() == (">", 600.0)
    assert Cell([Run(420.0, 1), stop]).estimate() == (">", 510.0)
    assert Cell([Run(None, 0.0, "failed (exit 2)")]).estimate() is None
    assert bench.show_ratio(Cell([Run(2.0, 1)]), Cell([stop])) == "> 300×"
    assert bench.show_ratio(Cell([Run(7.0, 1)]), Cell([stop])) == "> 85×"  # 85.7: rounded down
    assert bench.show_ratio(Cell([stop]), Cell([Run(1200.0, 1)])) == "< 2.0×"
    assert bench.show_ratio(Cell([stop]), Cell([stop])) == "—"
    assert bench.show_ratio(Cell([Run(2.0, 1)]), Cell(skipped="not run")) == "—"
    assert bench.show_ratio(Cell([Run(2.0, 1)]), None) == "—"


def test_a_partial_report_marks_what_is_missing_and_never_invents_a_ratio(tmp_path):
    bench = _bench()
    state = _state(bench)
    text = "\n".join(bench.report_lines(state))
    assert "**Partial results.**" in text and "had not finished" in text
    full = _row(text, "full validation")
    assert full[3] == "> 600 s (stopped)" and full[5].startswith("> 300×"), full
    entry = _row(text, "one-entry validation")
    assert entry[3] == "not run" and entry[5].startswith("—"), entry
    assert "### 10M: not measured yet" in text and "### 1M:" in text and "unfinished" in text
    goals = {c[0]: c for c in (_row(text, what) for what, *_ in bench.GOALS)}
    assert goals["build 1M triples from records"][2:] == ["26.6 s", "yes"]
    assert goals["load 1M triples, memory"][2:] == ["381 MB", "yes"]
    assert goals["full validation of 1M"][2:] == ["> 1800 s (stopped)", "**no**"]
    assert goals["one-entry validation at 1M"][2:] == ["not measured yet", ""]
    assert goals["cold CLI answer, real graph"][2:] == ["250 ms", "yes"]
    assert "recorded by hand" not in text and "## Where the time goes" not in text
    # the raw round trip gives the same report; a finished run says so and shows its profile
    again = bench.State.from_json(json.loads(json.dumps(state.to_json())))
    assert bench.report_lines(again) == bench.report_lines(state)
    done = _state(bench, "complete")
    done.prof = {"build": {"mapping to quads": 1.5}, "entry": {}, "entry_error": "ImportError: no run_shacl",
                 "imports": [("kg.cli", 0.1)]}
    text = "\n".join(bench.report_lines(done))
    assert "Partial" not in text and "Made by `python benchmarks/run.py --sizes 100k,1M`" in text
    assert "- mapping to quads: 1.5 s" in text and "- profile unavailable: ImportError: no run_shacl" in text
    assert "### 10M: not measured\n" in text


def test_a_stopped_run_leaves_no_process_behind():
    bench = _bench()
    start = time.monotonic()
    run = bench.run_child(bench.wrapped([sys.executable, "-c", "import time; time.sleep(30)"]), None, 1)
    assert run.stopped and run.limit == 1
    assert time.monotonic() - start < 10  # the measured command was killed with its --wrap parent
