"""How long `dtkg site` takes, and its peak memory, on the real graph and on a synthetic one.

    python benchmarks/site.py [--sizes real,100k] [--out benchmarks/site.md]

Each size: the store is built first (not timed), then `dtkg site -o DIR` runs as a new process
three times; the median wall time and the largest peak RSS are reported with the page count.
Goals (issue 16): the real graph in ≤ 10 s; 100k triples in ≤ 60 s and ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"real": (10.0, None), "100k": (60.0, 1024)}


def dtkg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True)


def measure(size: str, work: Path, runs: int) -> dict:
    env = {**os.environ, "DTKG_STORE": str(work / f"store-{size}")}
    if size != "real":
        root = work / f"synth-{size}"  # synth writes a whole repository: ontology, shapes, data
        dtkg("synth", "--triples", size, "-o", str(root), env=env)
        env["DTKG_ROOT"] = str(root)
    dtkg("build", "--force", env=env)
    times, peaks, pages = [], [], ""
    for i in range(runs):
        out = work / f"site-{size}-{i}"
        start = time.perf_counter()
        done = dtkg("site", "-o", str(out), env=env)
        times.append(time.perf_counter() - start)
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        pages = done.stderr.strip()
        shutil.rmtree(out)
    quads = dtkg("sparql", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", env=env).stdout.split()[-1]
    return {"size": size, "quads": int(quads), "median": statistics.median(times), "runs": times,
            "peak_mb": max(peaks) / 1024, "pages": pages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,100k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "site.md")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            result = measure(size, Path(tmp), args.runs)
            goal_s, goal_mb = GOALS.get(size, (None, None))
            met = (goal_s is None or result["median"] <= goal_s) and (goal_mb is None or result["peak_mb"] <= goal_mb)
            rows.append(f"| {size} | {result['quads']:,} | {result['median']:.1f} s | {result['peak_mb']:.0f} MB "
                        f"| {' / '.join(f'{t:.1f}' for t in result['runs'])} | {goal_s or '—'} s"
                        f"{f', {goal_mb} MB' if goal_mb else ''} | {'yes' if met else 'no'} | {result['pages']} |")
            print(rows[-1], flush=True)
    table = "\n".join(["| graph | quads | median | peak RSS | runs (s) | goal | met | output |", "|---|---:|---:|---:|---|---|---|---|", *rows])
    args.out.write_text(f"""# `dtkg site`: time and memory

Made by `python benchmarks/site.py --sizes {args.sizes} --runs {args.runs}` on {platform.node() and 'this machine'}
({os.cpu_count()} cores, Python {platform.python_version()}). Each run is a new process writing the
whole site (pages, Turtle, N-Triples, JSON-LD, search index); the store is built before and not timed.
Peak RSS is the largest of any child process so far (the build included), so it is an upper bound.

{table}
""", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
