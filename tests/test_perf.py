"""The fast paths give the same answers as the plain ones: the CLI's own parsing of a common
`dtkg query`, the freshness fingerprint, the derived labels and the dataset description."""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg import __version__


def _typer_kwargs(argv: list[str]) -> dict:
    """What typer passes to `query` for these arguments."""
    from kg.cli import commands as cli

    seen: dict = {}
    command = next(c for c in cli.app.registered_commands if c.callback is cli.query)
    original = command.callback
    command.callback = functools.wraps(original)(lambda **kwargs: seen.update(kwargs) or 0)
    try:
        cli.app(argv, standalone_mode=False)
    finally:
        command.callback = original
    return seen


@pytest.mark.parametrize("argv", [
    ["query", "provinces-by-sector", "sector=logistics"],
    ["query", "provinces-by-sector", "sector=logistics", "-f", "csv"],
    ["query", "provinces-by-sector", "sector=giao thong", "--format", "json", "--store", "some/dir"],
    ["query", "-f", "md", "provinces-by-sector", "sector=logistics"],
    ["query", "provinces-by-sector", "--format=csv", "sector=logistics", "--store=/tmp/x"],
    ["query", "provinces-by-sector", "-f", "csv", "-f", "json"],
    ["query", "provinces-by-sector", "a=1", "b=2", "c"],
    ["query", "no-such-query"],
    ["query", "provinces-by-sector", ""],
])
def test_plain_query_parses_as_typer_does(argv):
    from kg.cli.main import _plain_query

    mine = _plain_query(argv)
    assert mine is not None
    theirs = _typer_kwargs(argv)
    for key in ("name", "fmt", "store"):
        assert mine[key] == theirs[key]
    assert list(mine["params"] or []) == list(theirs["params"] or [])
    assert all(theirs.get(k) is None for k in ("endpoint", "user", "timeout"))


@pytest.mark.parametrize("argv", [
    ["query"], ["query", "--help"], ["query", "x", "-h"], ["query", "x", "--endpoint", "http://e/q"],
    ["query", "x", "-fcsv"], ["query", "x", "-f=csv"], ["query", "x", "--", "a=b"], ["query", "x", "-f"],
    ["query", "x", "--store", "-d"], ["query", "x", "--version"], ["queries"], ["build"], [],
    ["query", "x", "--format="],
])
def test_anything_else_goes_to_typer(argv):
    from kg.cli.main import _plain_query

    assert _plain_query(argv) is None


def test_the_plain_path_and_typer_print_the_same(built_store, repo):
    env = {**os.environ, "DTKG_STORE": str(built_store)}
    run = lambda *a: subprocess.run([sys.executable, "-m", "kg.cli", *a], cwd=repo, env=env,  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    plain = run("query", "provinces-by-sector", "sector=logistics", "-f", "csv")
    via_typer = run("query", "provinces-by-sector", "sector=logistics", "-f", "csv", "--timeout", "30")
    assert plain.returncode == via_typer.returncode == 0
    assert plain.stdout == via_typer.stdout and "Hà Tĩnh" in plain.stdout
    bad = run("query", "provinces-by-sector", "sector=basket weaving")
    assert bad.returncode == 2 and "matches no sector concept" in bad.stderr


def test_a_fresh_query_imports_no_build_machinery(built_store, repo):
    env = {**os.environ, "DTKG_STORE": str(built_store)}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg.cli", "query", "provinces-by-sector",
                           "sector=logistics"], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    for module in ("rdflib", "pyshacl", "jsonschema", "kg.graph.build", "kg.graph.mapping", "kg.records.reader", "pydantic", "typer",
                   "kg.cli.commands", "importlib.metadata"):
        assert module not in imported, module


def _reference_fingerprint(root: Path) -> str:
    """The fingerprint as first written: Path.glob, one stat and one digest update per file, then
    the same for the mapping code."""
    from kg.store.local import CODE, PACKAGE, input_files

    digest = hashlib.sha256(__version__.encode())
    for path in input_files(root):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for folder, suffix in CODE:
        for path in sorted((PACKAGE / folder).glob("*" + suffix)):
            stat = path.stat()
            digest.update(f"kg/{folder}/{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def test_fingerprint_is_unchanged_and_sees_every_kind_of_change(repo_copy):
    from kg.store.local import fingerprint

    assert fingerprint(repo_copy) == _reference_fingerprint(repo_copy)
    before = fingerprint(repo_copy)
    record = next((repo_copy / "data" / "records").glob("*.yaml"))
    stat = record.stat()
    with record.open("a") as handle:  # edited in place: the folder's mtime does not move
        handle.write("# touched\n")
    os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    edited = fingerprint(repo_copy)
    assert edited != before and edited == _reference_fingerprint(repo_copy)
    (repo_copy / "data" / "records" / "notes.txt").write_text("not an input")
    (repo_copy / "data" / "records" / "folder.yaml").mkdir()
    assert fingerprint(repo_copy) == edited == _reference_fingerprint(repo_copy)
    (repo_copy / "data" / "records" / "new.yaml").write_text("x: 1\n")
    assert fingerprint(repo_copy) != edited
    assert fingerprint(repo_copy) == _reference_fingerprint(repo_copy)
    assert fingerprint(repo_copy / "nowhere") == _reference_fingerprint(repo_copy / "nowhere")


def test_derived_labels_and_description_as_the_straightforward_code_makes_them(repo, quads):
    """The single-pass derived labels and string-keyed triple counts equal the plain definitions."""
    from collections import Counter

    from pyoxigraph import Literal, NamedNode, Quad

    from kg.graph.build import dataset_description, derived_quads
    from kg.graph.mapping import iter_labels
    from kg.base.namespaces import DCT, DERIVED_GRAPH, DTKG, RDF, SKOS, VOID
    from kg.graph.provinces import default_gazetteer
    from kg.base.text import fold

    base = [q for q in quads if q.graph_name.value not in (DERIVED_GRAPH, "https://w3id.org/dtkg/graph/meta")]
    graph, hidden = NamedNode(DERIVED_GRAPH), NamedNode(SKOS.hiddenLabel)
    expected = {Quad(s, hidden, Literal(fold(t)), graph) for s, t in iter_labels(base)}
    labels = {q.subject.value: q.object.value for q in base
              if q.predicate.value == SKOS.prefLabel and getattr(q.object, "language", None) == "vi"}
    body_type = {q.subject.value: q.object.value for q in base if q.predicate.value == DTKG.bodyType}
    body_place = {q.subject.value: q.object.value for q in base if q.predicate.value == DCT.spatial and q.subject.value in body_type}
    for body, kind in body_type.items():
        if body in labels:
            continue
        name = labels.get(kind, kind.rsplit("/", 1)[-1])
        if body in body_place:
            name = f"{name} – {labels.get(body_place[body], '')}".rstrip(" –")
        expected.add(Quad(NamedNode(body), NamedNode(SKOS.prefLabel), Literal(name, language="vi"), graph))
        expected.add(Quad(NamedNode(body), hidden, Literal(fold(name)), graph))
    derived = derived_quads(base, default_gazetteer(repo))
    assert derived == sorted(expected, key=str)

    whole = base + derived
    triples = {(q.subject, q.predicate, q.object) for q in whole}
    meta = {(q.predicate.value, q.object.value) for q in dataset_description(whole, [])
            if q.subject.value.endswith("/dataset/dtkg")}
    assert (VOID.triples, str(len(triples))) in meta
    assert (VOID.distinctSubjects, str(len({s for s, _, _ in triples}))) in meta
    counts = Counter(o.value for s, p, o in triples if p.value == RDF.type)
    entities = {q.subject.value: q.object.value for q in dataset_description(whole, [])
                if q.predicate.value == VOID.entities}
    classes = {q.subject.value: q.object.value for q in dataset_description(whole, [])
               if q.predicate.value == VOID["class"]}
    assert {classes[p]: int(n) for p, n in entities.items()} == dict(counts)
