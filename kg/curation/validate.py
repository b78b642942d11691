"""Checking records before they go in (`dtkg validate FILE`, `dtkg add`) and the whole graph
(`dtkg validate`), in one pass down the flow: the record is read (kg.records), mapped (kg.graph),
its quads handed to validation with a way to put each finding on its line (kg.validation), and
only then, for `add`, committed (kg.curation.add). Validation itself neither reads nor maps
records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from kg.base.errors import DtkgError, InputError, RecordError
from kg.base.namespaces import record_graph
from kg.curation.locate import Locator, _mapping_path
from kg.curation.lookalikes import lookalikes
from kg.graph.build import NumberIndex, index_records, map_records
from kg.graph.mapping import MappedRecord, map_record
from kg.graph.provinces import Gazetteer, default_gazetteer
from kg.base.text import closest
from kg.records.reader import Record, load, readable_part
from kg.records.vocabulary import VOCAB_FILE, read_schemes
from kg.validation.checks import DEFAULT_ENGINE, check_entry, check_rdf, graph_results, is_record, place_results
from kg.validation.context import Context
from kg.validation.incremental import StoreContext
from kg.validation.report import _VI, Finding, Report, input_error

# ==================================================================================================
# One record, one RDF file, the whole graph
# ==================================================================================================


def load_record(path: Path | str) -> Record:
    """One record through the record stage (kg.records.reader.load)."""
    return load(path)


@dataclass
class Checked:
    """A record after validation: its findings, and (when it maps) its quads."""

    record: Record | None
    findings: list[Finding]
    mapped: MappedRecord | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity in ("violation", "error") for f in self.findings)


def _home(data: dict[str, Any], gazetteer: Gazetteer) -> str:
    """The province a record's `implements` prefer (as the build does)."""
    try:
        return gazetteer.resolve(data["province"]).iri if data["documents"] and data.get("province") else ""
    except DtkgError:
        return ""


def map_entry(data: dict[str, Any], context: Context) -> MappedRecord:
    """A checked record → its quads, `implements` resolved against the context (RecordError)."""
    return map_record(data, context.gazetteer, context.index.lookup_for(_home(data, context.gazetteer)))


def check_record(path: Path | str, context: Context, root: Path, record: Record | None = None,
                 display: str | None = None, engine: str = DEFAULT_ENGINE, corpus: Path | None = None) -> Checked:
    """Both stages for one record file, and its quotes when `corpus` holds its source text.
    InputError (unreadable) is raised, not returned."""
    record = record or load_record(path)
    name = display or str(path)
    checked = _check_record(record, name, context, root, engine)
    if corpus is not None:
        checked.findings += quote_findings(name, record, corpus)
    return checked


def quote_findings(name: str, record: Record, corpus: Path) -> list[Finding]:
    """`dtkg check-quotes` for one record, as findings: each quote not verbatim in its source
    text is a violation; a source that is not in the corpus (or a web page) is said, not failed."""
    from kg.records.quotes import check

    source = record.data.get("source") or {} if isinstance(record.data, dict) else {}
    if source.get("kind") != "web" and source.get("file") and not (corpus / str(source["file"])).is_file():
        return [Finding(name, "info", "Quote", f"quotes not checked: the source file {source['file']} is not in {corpus}",
                        f"chưa kiểm tra trích dẫn: không có tệp nguồn {source['file']} trong {corpus}",
                        line=record.line_of(("source", "file")))]
    try:
        problems = check(record, corpus)
    except (InputError, KeyError, TypeError, AttributeError):  # a record whose format is broken: reported above
        return []
    return [Finding(name, "violation" if p.severity == "violation" else "info", "Quote", p.message,
                    "đoạn trích không có nguyên văn trong văn bản nguồn" if p.severity == "violation" else "",
                    line=record.line_of(p.path)) for p in problems]


def _check_record(record: Record, name: str, context: Context, root: Path, engine: str) -> Checked:
    findings = [Finding(name, p.severity, p.rule, p.message, p.message_vi or _VI.get(p.rule, ""), line=record.line_of(p.path))
                for p in record.problems]
    data = record.data
    if findings:  # the rest of the record may still be read: check it too, in the same run
        data, more = readable_part(record.data)
        findings += [Finding(name, p.severity, p.rule, p.message, p.message_vi or _VI.get(p.rule, ""),
                             line=record.line_of(p.path)) for p in more]
        if data is None:
            return Checked(record, findings)
    context = context.without(record_graph(data["id"]))
    try:
        mapped = map_entry(data, context)
    except RecordError as exc:
        json_path, rule = _mapping_path(data, exc.message)
        return Checked(record, findings + [Finding(name, "violation", rule, exc.message, _VI.get(rule, _VI["RecordMapping"]),
                                                   line=record.line_of(json_path))])
    shapes = check_entry(name, mapped.quads, context, root, _line_finder(record, Locator(data, mapped)), engine)
    if findings:  # format problems were found: keep shapes' findings on other lines, and do not commit
        reported = {f.line for f in findings}
        return Checked(record, _with_vocabulary_hints(findings + [f for f in shapes if f.line not in reported], root))
    shapes += lookalikes(name, record, data, mapped.quads, context.index, root)
    return Checked(record, _with_vocabulary_hints(findings + shapes, root), mapped)


def _with_vocabulary_hints(findings: list[Finding], root: Path) -> list[Finding]:
    """A value that names no concept of its scheme (`vocab:sector/logistic`) gets the nearest
    keys and the command that lists them."""
    schemes = None
    for finding in findings:
        scheme_name, _, key = (finding.value or "").removeprefix("vocab:").partition("/")
        if not finding.value or not finding.value.startswith("vocab:") or not key:
            continue
        schemes = schemes or read_schemes(root / VOCAB_FILE)
        keys = [c.key for c in schemes[scheme_name].concepts] if scheme_name in schemes else []
        if key not in keys:
            near = closest(key, keys)
            finding.hint = (f"did you mean {' or '.join(near)}? " if near else "") + f"(all keys: `dtkg vocab {scheme_name}`)"
    return findings


def _line_finder(record: Record, locator: Locator):
    """(focus, path, value) → the record's line for a finding: what validation is handed."""
    return lambda focus, path, value: record.line_of(locator.path_of(focus, path, value))



def validate_files(paths: Iterable[Path | str], root: Path, context: Context, engine: str = DEFAULT_ENGINE,
                   corpus: Path | None = None) -> Report:
    """`dtkg validate FILE...`: each file on its own against the context (and its quotes
    against `corpus`, when given)."""
    report = Report()
    for path in map(Path, paths):
        report.files += 1
        try:
            if is_record(path):
                checked = check_record(path, context, root, engine=engine, corpus=corpus)
                report.findings += checked.findings
                report.notices += _already_there(path, checked.record, root)
            else:
                report.findings += check_rdf(path, context, root, engine=engine)
        except InputError as exc:
            report.findings.append(input_error(path, exc))
    return report


def _already_there(path: Path, record: Record | None, root: Path) -> list[str]:
    """A record checked as it would replace one already in data/records: `dtkg add` will want to
    know (same content: a no-op; other content: --replace), so the clerk learns it now."""
    record_id = record.data.get("id") if record is not None and isinstance(record.data, dict) else None
    existing = root / "data" / "records" / f"{record_id}.yaml" if isinstance(record_id, str) else None
    if existing is None or not existing.is_file() or existing.resolve() == path.resolve():
        return []
    return [f"{path}: checked as a replacement of record {record_id!r}, already in "
            f"{existing.relative_to(root)}; `dtkg add` takes it only with the same content or --replace"]



def validate_graph(root: Path, store_dir: Path, display: Callable[[Path], str] = str,
                   engine: str = DEFAULT_ENGINE) -> Report:
    """`dtkg validate`: every record (both stages, each problem on its line), then SHACL on the whole
    built graph, each result mapped back to the record (or reference file) it comes from.

    A store built from the records as they are now (kg.graph.build.is_fresh) has been through the record
    stage already (the build refuses a record with any problem), so only SHACL runs then."""
    from kg.graph.build import ensure_built
    from kg.store.local import is_fresh, open_read_only

    gazetteer = default_gazetteer(root)
    report = Report()
    paths = sorted((root / "data" / "records").glob("*.yaml"))
    report.files = len(paths)
    if not is_fresh(root, store_dir):
        _record_stage(root, paths, gazetteer, report, display)
        if report.findings:
            report.notices.append("SHACL not run on the graph: fix the records above first")
            return report
        ensure_built(root, store_dir)
    store = open_read_only(store_dir)
    try:
        results = graph_results(store, root, engine)
        files = _RecordFiles(paths)
        context = StoreContext(store, gazetteer, root)

        def locate(graph: str):
            found = _locate(files.record(graph), context)
            return (display(found[0].path), _line_finder(*found)) if found else None
        report.findings += place_results(results, store, locate)
    finally:
        del store
    return report


def _record_stage(root: Path, paths: list[Path], gazetteer: Gazetteer, report: Report,
                  display: Callable[[Path], str]) -> None:
    """Both record-stage checks and the mapping of every record, each problem on its line."""
    from kg.graph.build import load_many, static_quads

    try:
        records = load_many(paths)
    except InputError:  # one is unreadable: read them one by one to report each
        records = []
        for path in paths:
            try:
                records.append(load_record(path))
            except InputError as exc:
                report.findings.append(input_error(path, exc, display(path)))
    for record in records:
        report.findings += [Finding(display(record.path), p.severity, p.rule, p.message, p.message_vi or _VI.get(p.rule, ""),
                                    line=record.line_of(p.path)) for p in record.problems]
    if report.findings:
        return
    # Map each record on its own, so a mapping error names its file and line.
    index = NumberIndex()
    index.add_graph_quads(static_quads(root))
    index_records([record.data for record in records], gazetteer, index, skip_broken=True)  # errors: below
    for record in records:
        try:
            map_records([record.data], gazetteer, index)
        except RecordError as exc:
            json_path, rule = _mapping_path(record.data, exc.message)
            report.findings.append(Finding(display(record.path), "violation", rule, exc.message,
                                           _VI.get(rule, _VI["RecordMapping"]), line=record.line_of(json_path)))


# Where a node is described: a record if any, else the reference data, vocabularies, ontology.

class _RecordFiles:
    """Record files by the graph they make: ID.yaml by convention; when a file breaks it, every
    record is read once to find the ids."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self.by_graph = {record_graph(p.stem): p for p in paths}
        self.read_all = False

    def record(self, graph: str) -> Record | None:
        path = self.by_graph.get(graph)
        record = _readable(path) if path else None
        if record is not None and record_graph(record.id) == graph:
            return record
        if self.read_all:
            return None
        self.read_all = True
        for path in self.paths:
            found = _readable(path)
            if found is not None:
                self.by_graph[record_graph(found.id)] = path
        return self.record(graph)


def _readable(path: Path) -> Record | None:
    try:
        return load_record(path)
    except InputError:
        return None


def _locate(record: Record | None, context: Any) -> tuple[Record, Locator] | None:
    """A record with a Locator for its nodes; None if there is none or it cannot be mapped."""
    if record is None:
        return None
    try:
        return record, Locator(record.data, map_entry(record.data, context.without(record_graph(record.id))))
    except RecordError:
        return None


