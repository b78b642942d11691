"""The benchmark command cannot rot: its smoke mode runs every measure once on a tiny graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_quick_benchmark_writes_a_complete_report(tmp_path):
    output = tmp_path / "results.md"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--work", str(tmp_path / "work"),
                           "--output", str(output)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    text = output.read_text("utf-8")
    for heading in ("## Machine", "## Results", "## Goals (issue 7)", "## Where the time goes", "## Notes"):
        assert heading in text
    for label in ("build from records", "first query after a fresh build", "cold query", "warm query", "load",
                  "full validation", "one-entry validation", "export"):
        row = next(line for line in text.splitlines() if line.startswith(f"| {label}"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] != "—" and cells[3] != "—", row  # measured for dtkg and for the baseline
    assert "pyoxigraph" in text and "rdflib" in text and "pySHACL" in text
    assert "failed" not in text and "stopped" not in text
    assert not (REPO / "data" / "records" / "synth-000000-central-acts.yaml").exists()
