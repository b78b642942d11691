"""`dtkg add` and `dtkg remove`: change data/records and the store together, all or nothing.

add: every file is validated (both stages, against the graph and the other files of the same
call); on any problem nothing changes. Otherwise the store is changed in one transaction (the
records' named graphs in, the derived search labels and the dataset description recomputed), then
each record file is written by temporary file and rename; if a file cannot be written, the files
already written are put back and the store is restored. Last, the store's fingerprint is updated so
the next command does not rebuild. A record already present with the same content is a no-op with
a notice; the same id with other content needs `--replace` (or `dtkg remove ID` first).

remove: the same, the other way: the record's graph out of the store, then its file out of
data/records. A record another record depends on (it implements one of its documents) is refused.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pyoxigraph import BlankNode, NamedNode, Quad, Store

from kg.graph.build import dataset_description, derived_quads, ensure_built
from kg.base.errors import InputError, RecordError, UsageError
from kg.base.files import replace_file
from kg.base.namespaces import DCT, DERIVED_GRAPH, DTKG, ELI, GRAPH, ID, META_GRAPH, OWL, RDF, UNION_GRAPH, record_graph
from kg.base.paths import records_dir
from kg.graph.provinces import Gazetteer, default_gazetteer
from kg.store.local import begin_change, content_hash, end_change, fingerprint, open_writable, union_quads, write_fingerprint
from kg.store.lock import crash_point, writer_lock
from kg.validation.incremental import StoreContext
from kg.curation.validate import Checked, check_record, load_record
from kg.validation.checks import is_record
from kg.validation.report import Finding, Report, input_error

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_LINKS = (ELI.ensures_implementation_of, ELI.based_on, OWL.sameAs)


@dataclass
class Outcome:
    """What add/remove did: the validation report, and the ids added, replaced, unchanged, removed."""

    report: Report = field(default_factory=Report)
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    quads: int = 0

    @property
    def exit_code(self) -> int:
        return self.report.exit_code


# ==================================================================================================
# The store: one transaction for every change, and the way back
# ==================================================================================================


def _term(term: Any) -> str:
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)  # N-Triples form, which SPARQL accepts as is


def _update_text(drop: Iterable[str], insert: Iterable[Quad], delete: Iterable[Quad] = ()) -> str:
    """One SPARQL update: DROP the graphs, DELETE and INSERT the quads. Oxigraph runs it as one
    transaction."""
    parts = [f"DROP SILENT GRAPH <{g}>" for g in sorted(set(drop))]
    gone = [q for q in delete if not any(isinstance(t, BlankNode) for t in (q.subject, q.object))]
    if gone:
        parts.append("DELETE DATA {\n" + "\n".join(
            f"GRAPH <{q.graph_name.value}> {{ {_term(q.subject)} {_term(q.predicate)} {_term(q.object)} }}" for q in gone) + "\n}")
    by_graph: dict[str, list[str]] = {}
    for q in insert:
        by_graph.setdefault(q.graph_name.value, []).append(f"{_term(q.subject)} {_term(q.predicate)} {_term(q.object)} .")
    if by_graph:
        body = "\n".join(f"GRAPH <{g}> {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
        parts.append("INSERT DATA {\n" + body + "\n}")
    return " ;\n".join(parts)


def _graph(store: Store, graph: str) -> list[Quad]:
    return list(store.quads_for_pattern(None, None, None, NamedNode(graph)))


def _apply(store: Store, drop: Iterable[str], insert: list[Quad], delete: Iterable[Quad] = ()) -> None:
    text = _update_text(drop, insert, delete)
    if text:
        try:
            store.update(text)
        except (SyntaxError, OSError, ValueError) as exc:
            raise InputError(f"the store refused the change, nothing was changed: {exc}") from None


def _summaries(quads: list[Quad], gazetteer: Gazetteer) -> list[Quad]:
    """The derived labels and the dataset description for a graph whose records are `quads`.
    Recomputed from the whole graph, as `dtkg build` makes them, so the store after `add` is the
    store a rebuild would give."""
    base = [q for q in quads if q.graph_name.value not in (DERIVED_GRAPH, META_GRAPH)]
    derived = derived_quads(base, gazetteer)
    issued = [{"source": {"published": q.object.value}} for q in base
              if q.predicate.value == DCT.issued and q.graph_name.value.startswith(GRAPH + "record/")
              and q.subject.value.startswith(ID + "source/")]
    return derived + dataset_description(base + derived, issued)


@dataclass
class _Undo:
    """What `_change` replaced: the graphs it swapped whole, and the union graph's delta (undone
    as a delta too: re-inserting its blank nodes by SPARQL would give them new identities)."""

    old: list[Quad]
    union_added: list[Quad]
    union_removed: list[Quad]


def _change(store: Store, remove_graphs: list[str], add_quads: list[Quad], gazetteer: Gazetteer) -> _Undo:
    """Swap record graphs in one transaction; returns what to put back to undo it."""
    union = NamedNode(UNION_GRAPH)
    everything = list(store.quads_for_pattern(None, None, None, None))
    current = [q for q in everything if q.graph_name != union]
    removed = set(remove_graphs)
    kept = [q for q in current if q.graph_name.value not in removed]
    new_summaries = _summaries(kept + add_quads, gazetteer)
    old = [q for q in everything if q.graph_name.value in removed | {DERIVED_GRAPH, META_GRAPH}]
    touched = removed | {q.graph_name.value for q in add_quads} | {DERIVED_GRAPH, META_GRAPH}
    # The union graph changes by what the swap adds and takes away, not whole: a rewrite of every
    # triple would make one `add` cost as much as a build.
    before = {q.triple for q in everything if q.graph_name == union}
    stay = {q.triple for q in kept if q.graph_name.value not in (DERIVED_GRAPH, META_GRAPH)}
    after = stay | {q.triple for q in add_quads + new_summaries}
    if before:
        delete, insert = union_quads(before - after), union_quads(after - before)
    else:  # a store without a union graph (written by hand): leave it so
        delete, insert = [], []
    _apply(store, touched, add_quads + new_summaries + insert, delete)
    return _Undo(old, insert, delete)


def _undo(store: Store, touched: Iterable[str], undo: _Undo) -> None:
    _apply(store, set(touched) | {DERIVED_GRAPH, META_GRAPH}, undo.old + undo.union_removed, undo.union_added)


# ==================================================================================================
# Files: temporary file and rename
# ==================================================================================================


def _write(path: Path, content: str | bytes) -> None:
    replace_file(path, content.encode("utf-8") if isinstance(content, str) else content)


def _restore(path: Path, previous: bytes | None) -> None:
    try:
        if previous is None:
            path.unlink(missing_ok=True)
        else:
            _write(path, previous)
    except OSError:
        pass  # best effort: the error that got us here is the one reported


# ==================================================================================================
# add
# ==================================================================================================


def add(paths: Iterable[Path | str], root: Path, store_dir: Path, replace: bool = False,
        corpus: Path | None = None) -> Outcome:
    """Validate `paths` (their quotes too, against `corpus` when given) and add them to
    data/records and the store, all or nothing; one writer at a time (kg.store.lock)."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise UsageError("give at least one record file to add")
    with writer_lock(store_dir, "dtkg add"):
        return _add(paths, root, store_dir, replace, corpus)  # returns with the store closed


def _add(paths: list[Path], root: Path, store_dir: Path, replace: bool, corpus: Path | None) -> Outcome:
    ensure_built(root, store_dir)
    outcome = Outcome()
    store = open_writable(store_dir)
    try:
        # the part of the store each record touches, read on demand (kg/incremental.py), not the whole graph
        context = StoreContext(store, default_gazetteer(root), root)
        graphs = {g.value for g in store.named_graphs() if isinstance(g, NamedNode)}
        accepted: list[tuple[Checked, Path, bytes | None]] = []  # record, its file in data/, its old bytes
        seen: dict[str, Path] = {}
        for path in paths:
            outcome.report.files += 1
            if not is_record(path):
                outcome.report.findings.append(input_error(path, InputError(
                    "`dtkg add` takes records (YAML); an RDF file can be checked with `dtkg validate`", str(path))))
                continue
            try:
                record = load_record(path)
            except InputError as exc:
                outcome.report.findings.append(input_error(path, exc))
                continue
            name = str(path)
            if record.problems:
                outcome.report.findings += check_record(path, context, root, record=record, corpus=corpus).findings
                continue
            target = records_dir(root) / f"{record.id}.yaml"
            conflict = _conflict(record.id, path, target, seen, graphs)
            if conflict:
                outcome.report.findings.append(Finding(name, "violation", "Record-unique", conflict,
                                                       "đã có một bản ghi khác cùng mã (id)", line=record.line_of(("id",))))
                continue
            seen[record.id] = path
            previous = target.read_bytes() if target.exists() else None
            if previous is not None:
                if _same(target, record.data):
                    outcome.unchanged.append(record.id)
                    outcome.report.notices.append(
                        f"{name}: record {record.id!r} is already in the graph with the same content "
                        f"({target.relative_to(root)}); nothing added")
                    continue
                if not replace:
                    outcome.report.findings.append(Finding(
                        name, "violation", "Record-unique",
                        f"record {record.id!r} already exists ({target.relative_to(root)}) with other content; "
                        f"use `dtkg add --replace {path}` to replace it, or `dtkg remove {record.id}` first",
                        "đã có bản ghi cùng mã với nội dung khác; dùng --replace để thay thế",
                        line=record.line_of(("id",))))
                    continue
            checked = check_record(path, context, root, record=record, corpus=corpus)
            outcome.report.findings += checked.findings
            if checked.ok and checked.mapped is not None:
                accepted.append((checked, target, previous))
                # later files of this call may implement this one's documents
                context = context.without(checked.mapped.graph).with_quads(checked.mapped.quads)
        if not outcome.report.conforms or not accepted:
            return outcome
        begin_change(store_dir, "dtkg add " + " ".join(c.record.id for c, _, _ in accepted))  # type: ignore[union-attr]
        _commit(store, accepted, outcome, context.gazetteer)
        _compact(store, sum(len(checked.mapped.quads) for checked, _, _ in accepted))  # type: ignore[union-attr]
        store.flush()  # to files: a snapshot (dtkg serve's backup) of a read-only open misses the log
    finally:
        del store
    crash_point("add:after-file")
    write_fingerprint(store_dir, fingerprint(root), content_hash(root))
    end_change(store_dir)
    return outcome


BIG_CHANGE = 50_000  # quads: past this, an add or remove compacts the store so cold queries stay fast


def _compact(store: Store, changed: int) -> None:
    """Compact after a big change (`changed` quads), so cold queries stay fast."""
    if changed > BIG_CHANGE:
        store.optimize()


def _same(target: Path, data: dict[str, Any]) -> bool:
    try:
        return load_record(target).data == data
    except InputError:
        return False


def _conflict(record_id: str, path: Path, target: Path, seen: dict[str, Path], graphs: set[str]) -> str | None:
    if record_id in seen:
        return f"record {record_id!r} is also in {seen[record_id]}; give each record once"
    if not target.exists() and record_graph(record_id) in graphs:
        return (f"the graph already has a record {record_id!r} from a file not named {target.name}; "
                "rename that file to its id, or give this record another id")
    return None


def _commit(store: Store, accepted: list[tuple[Checked, Path, bytes | None]], outcome: Outcome,
            gazetteer: Gazetteer) -> None:
    new_quads = [q for checked, _, _ in accepted for q in checked.mapped.quads]  # type: ignore[union-attr]
    graphs = [checked.mapped.graph for checked, _, _ in accepted]  # type: ignore[union-attr]
    old = _change(store, graphs, new_quads, gazetteer)
    crash_point("add:after-store")
    written: list[tuple[Path, bytes | None]] = []
    try:
        for checked, target, previous in accepted:
            _write(target, checked.record.text)  # type: ignore[union-attr]
            written.append((target, previous))
    except OSError as exc:
        for target, previous in reversed(written):
            _restore(target, previous)
        _undo(store, graphs, old)
        raise InputError(f"cannot write the record file, nothing was added: {exc.strerror or exc}",
                         str(exc.filename or target)) from None
    for checked, _, previous in accepted:
        (outcome.replaced if previous is not None else outcome.added).append(checked.record.id)  # type: ignore[union-attr]
    outcome.quads = len(new_quads)


# ==================================================================================================
# remove
# ==================================================================================================


def dependents(store: Store, record_id: str) -> list[tuple[str, str]]:
    """(record id, document IRI) of other records that link to a document only this record describes."""
    graph = record_graph(record_id)
    directive_graphs: dict[str, set[str]] = {}
    union = NamedNode(UNION_GRAPH)
    for q in store.quads_for_pattern(None, NamedNode(RDF.type), NamedNode(DTKG.Directive), None):
        if q.graph_name == union:
            continue
        directive_graphs.setdefault(q.subject.value, set()).add(getattr(q.graph_name, "value", ""))
    only_here = {d for d, gs in directive_graphs.items() if gs == {graph}}
    found = set()
    for link in _LINKS:
        for q in store.quads_for_pattern(None, NamedNode(link), None, None):
            other = getattr(q.graph_name, "value", "")
            if other not in (graph, UNION_GRAPH) and q.object.value in only_here:
                found.add((other.rsplit("/", 1)[-1], q.object.value))
    return sorted(found)


def remove(record_id: str, root: Path, store_dir: Path) -> Outcome:
    """Remove one record's file and its named graph, all or nothing."""
    if not _KEY.match(record_id):
        raise UsageError(f"{record_id!r} is not a record id (lower-case letters, digits and '-', as in data/records/ID.yaml)")
    target = records_dir(root) / f"{record_id}.yaml"
    if not target.is_file():
        raise UsageError(f"no record {record_id!r}: {target.relative_to(root)} does not exist")
    with writer_lock(store_dir, "dtkg remove"):
        return _remove(record_id, target, root, store_dir)  # returns with the store closed


def _remove(record_id: str, target: Path, root: Path, store_dir: Path) -> Outcome:
    ensure_built(root, store_dir)
    outcome = Outcome()
    store = open_writable(store_dir)
    try:
        needed = dependents(store, record_id)
        if needed:
            names = ", ".join(f"{rid} (implements <{iri}>)" for rid, iri in needed)
            raise RecordError(f"record {record_id!r} describes documents other records implement: {names}; "
                              "remove or change those records first", str(target.relative_to(root)))
        graph = record_graph(record_id)
        begin_change(store_dir, f"dtkg remove {record_id}")
        old = _change(store, [graph], [], default_gazetteer(root))
        _compact(store, len(old.old))
        store.flush()  # as in _add
        crash_point("remove:after-store")
        trash = target.with_name(f".{target.name}.removed-{os.getpid()}")
        try:
            os.replace(target, trash)
        except OSError as exc:
            _undo(store, [graph], old)
            raise InputError(f"cannot remove the record file, nothing was removed: {exc.strerror or exc}",
                             str(target)) from None
        trash.unlink(missing_ok=True)
        outcome.removed.append(record_id)
    finally:
        del store
    crash_point("remove:after-file")
    write_fingerprint(store_dir, fingerprint(root), content_hash(root))
    end_change(store_dir)
    return outcome

