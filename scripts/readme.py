"""Regenerate the README's example answers and its "what the graph holds" table from the data.

Each generated block sits between `<!-- generated: COMMAND -->` and `<!-- end generated -->`;
COMMAND is a `dtkg …` line (run on the repository's graph), `summary` (the figures table) or
`keys` (the record fields that take a vocabulary key, with every key, from `dtkg vocab`).
`python scripts/readme.py` rewrites the README in place (atomically); `--check` only says which
blocks are stale and exits 1, so a test keeps the README true as data/ grows.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(<!-- generated: (?P<command>.+?) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S)


def run(command: str, env: dict[str, str]) -> str:
    args = shlex.split(command)
    done = subprocess.run([sys.executable, "-m", "kg.cli", *args[1:]], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"readme: `{command}` failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def summary(env: dict[str, str]) -> str:
    """The figures table: records, acts, units, from stored queries (so any endpoint agrees)."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("dtkg query coverage-summary -f csv", env))))
    counts = run("dtkg sparql --format csv 'PREFIX dtkg: <https://w3id.org/dtkg/ontology#> "
                 "SELECT (COUNT(DISTINCT ?r) AS ?records) (COUNT(DISTINCT ?a) AS ?acts) "
                 "WHERE { { ?r a dtkg:Record } UNION { ?a a dtkg:Directive } }'", env)
    records, acts = counts.strip().splitlines()[1].split(",")
    lines = ["| measure | now | goal |", "|---|---:|---:|",
             f"| records (one per source) | {records} | |", f"| acts (directives, plans, decisions…) | {acts} | |"]
    for row in rows:
        measure = row["measure"].split(" ", 1)[1]
        lines.append(f"| {measure} | {row['value']} | {row['goal']} |")
    return "\n".join(lines) + "\n"


# The record fields whose value is a key of a vocabulary scheme (kg/records/record.schema.json).
KEY_FIELDS = [("documents[].type", "document-type"), ("documents[].issuer", "body-type"),
              ("documents[].status", "status"), ("documents[].level", "level"),
              ("documents[].sectors[].key", "sector"), ("documents[].targets[].metric", "metric"),
              ("documents[].targets[].comparator", "comparator"), ("documents[].targets[].scope", "scope"),
              ("officials[].roles", "role")]


def keys(env: dict[str, str]) -> str:
    """The keys table: each field, its scheme and the scheme's keys (statuses in rank order)."""
    import csv
    import io

    by_scheme: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(run("dtkg vocab -f csv", env))):
        by_scheme.setdefault(row["scheme"], []).append(f"`{row['key']}`")
    lines = ["| field | scheme | keys |", "|---|---|---|"]
    lines += [f"| `{field}` | `dtkg vocab {scheme}` | {', '.join(by_scheme[scheme])} |" for field, scheme in KEY_FIELDS]
    return "\n".join(lines) + "\n"


def render(text: str, env: dict[str, str]) -> str:
    def block(match: re.Match) -> str:
        command = match["command"]
        if command == "summary":
            body = summary(env)
        elif command == "keys":
            body = keys(env)
        else:
            body = "```\n$ " + command + "\n" + run(command, env) + "```\n"
        return match.group(1) + body + match.group(4)
    return BLOCK.sub(block, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="say which blocks are stale; change nothing")
    parser.add_argument("--readme", type=Path, default=REPO / "README.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as store:
        env = {**os.environ, "DTKG_ROOT": str(REPO), "DTKG_STORE": os.environ.get("DTKG_STORE", store + "/store"),
               "COLUMNS": "100"}
        text = args.readme.read_text("utf-8")
        new = render(text, env)
    if args.check:
        stale = [m["command"] for m, n in zip(BLOCK.finditer(text), BLOCK.finditer(new)) if m.group(0) != n.group(0)]
        for command in stale:
            print(f"{args.readme}: the block for `{command}` is stale; run `python scripts/readme.py`", file=sys.stderr)
        return 1 if stale else 0
    if new != text:
        tmp = args.readme.with_suffix(".md.tmp")
        tmp.write_text(new, "utf-8")
        tmp.replace(args.readme)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
