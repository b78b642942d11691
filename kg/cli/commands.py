"""The `dtkg` commands (typer). Each command parses its arguments, calls the library and prints;
results go to stdout, diagnostics to stderr.

Exit codes: 0 fine, 1 the data breaks a rule, 2 the input cannot be read or the command is
misused (unknown query, bad parameter, unreachable endpoint).
"""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from kg import __version__
from kg.cli.common import _check_format, _context, _fresh_store, _notice, answer
from kg.base.errors import DtkgError

HELP = """dtkg — a knowledge graph of Vietnam's provincial digital-transformation directives.

Records in data/ (one YAML file per source) are the truth; `dtkg build` makes the graph in an
embedded on-disk store, and the other commands read it (rebuilding first when data/ changed).

Examples:

  dtkg build

  dtkg query provinces-by-sector sector=logistics

  dtkg export -o dtkg.ttl

  dtkg push --endpoint http://127.0.0.1:7878/query

  dtkg serve --port 7878

Exit codes: 0 fine, 1 the data breaks a rule, 2 unreadable input or misuse.
"""

app = typer.Typer(help=HELP, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]})

IriOption = Annotated[bool, typer.Option("--iri", help="Show IRI columns in the table (hidden by default; CSV, JSON and MD keep them).")]
StoreOption = Annotated[Optional[Path], typer.Option("--store", help="Store folder (default: .dtkg-store/ in the repository, or $DTKG_STORE).", show_default=False)]


def _err(message: str) -> None:
    typer.echo(f"dtkg: {message}", err=True)


def reports_errors(func: Callable[..., int | None]) -> Callable[..., int]:
    """A user's mistake becomes one line on stderr and an exit code, never a traceback."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> int:
        try:
            return func(*args, **kwargs) or 0
        except DtkgError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(exc.exit_code)
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130)
        except BrokenPipeError:
            raise typer.Exit(0)
        except OSError as exc:  # a full disk, a file-size limit: one line, never a traceback
            from kg.cli.common import os_error_line
            _err(f"error: {os_error_line(exc)}")
            raise typer.Exit(2)
    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dtkg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False) -> None:
    pass


@app.command()
@reports_errors
def build(store: StoreOption = None,
          force: Annotated[bool, typer.Option("--force", help="Rebuild even if data/ has not changed.")] = False) -> int:
    """Build the graph from data/ (records, reference data, ontology) into the embedded store.

    Does nothing when the store is already up to date. Example: dtkg build
    """
    from kg.graph.build import build as run_build
    root, store_dir = _context(store)
    report = run_build(root, store_dir, force=force)
    if report.skipped:
        typer.echo(f"store is up to date: {store_dir}", err=True)
    else:
        typer.echo(f"built {report.quads:,} quads from {report.records} records in {len(report.graphs)} graphs "
                   f"(and their union, {report.union:,} distinct triples) → {store_dir}", err=True)
    return 0


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nt = "nt"
    nquads = "nquads"
    jsonld = "jsonld"


@app.command()
@reports_errors
def export(output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File to write (atomically); stdout when absent.")] = None,
           fmt: Annotated[Optional[ExportFormat], typer.Option("-f", "--format", help="Default: from the file extension, else turtle.")] = None,
           province: Annotated[Optional[str], typer.Option("--province", help="Only this province (today's unit with its predecessors, or a pre-2025 unit).")] = None,
           store: StoreOption = None) -> int:
    """Export the graph (whole, with a DCAT description of itself) or one province's slice.

    Turtle and N-Triples hold the union of all graphs; TriG, N-Quads and JSON-LD keep the named
    graphs (one per record). Example: dtkg export -o dtkg.ttl --province "Hà Tĩnh"
    """
    from kg.publish import export as ex
    from kg.base.files import write_atomically
    from kg.queries.catalogue import Param, Resolver
    from kg.store.local import select
    chosen = ex.format_for(output, fmt.value if fmt else None)
    _, graph = _fresh_store(store)
    unit = None
    if province:
        unit = Resolver(lambda q: select(graph, q)[1]).province(Param("province", "province"), province).value
        if not ex.has_acts(graph, unit):
            name = ex.province_names(graph, unit).get("vi", province)
            typer.echo(f"dtkg: notice: {name} has no act in the graph; the slice holds only its reference data", err=True)
    payload = ex.export(graph, chosen, unit)
    if output:
        write_atomically(output, payload)
        typer.echo(f"wrote {len(payload):,} bytes ({chosen}) to {output}", err=True)
    else:
        sys.stdout.buffer.write(payload)
    return 0


class StatsView(str, Enum):
    totals = "totals"
    province_year = "province-year"
    graph = "graph"


@app.command()
@reports_errors
def stats(store: StoreOption = None,
          by: Annotated[StatsView, typer.Option("--by", help="totals; province-year (acts per province and year: a matrix in table, CSV and MD, the long form in JSON); graph (instances per class in each named graph).")] = StatsView.totals,
          fmt: Annotated[str, typer.Option("-f", "--format", help="table, csv, json or md.")] = "table") -> int:
    """What the graph holds: totals (records, acts, provinces, sources, targets, officials, quads),
    acts per province and year, or counts by class per named graph. Example: dtkg stats --by province-year"""
    from kg.cli.output import MATRIX_FORMATS, matrix, render
    from kg.queries import stats as st
    fmt = _check_format(fmt)
    _, graph = _fresh_store(store)
    if by is StatsView.province_year:
        rows, columns = st.by_province_year(graph), ["province", "province_iri", "year", "acts"]
        if fmt in MATRIX_FORMATS:
            columns, rows = matrix(rows, st.BY_YEAR_SHAPE)
            for row in rows:
                row["total"] = _Plain(str(sum(int(row[c].value) for c in columns[1:])))
            columns.append("total")
    else:
        found = st.totals(graph) if by is StatsView.totals else st.stats(graph)
        columns = list(found[0]) if found else ["measure", "count"]
        rows = [{k: _Plain(v) for k, v in r.items()} for r in found]
    typer.echo(render(rows, columns, fmt), nl=False)
    return 0


from kg.cli.output import Plain as _Plain  # noqa: E402  (light: csv and json)


@app.command()
@reports_errors
def vocab(scheme: Annotated[Optional[str], typer.Argument(help="A scheme: sector, document-type (type), body-type (body), role, status, metric, comparator, scope, level, unit-kind, cofog; all when absent.", show_default=False)] = None,
          fmt: Annotated[str, typer.Option("-f", "--format", help="table, csv, json or md.")] = "table") -> int:
    """List the keys records and query parameters use, with their Vietnamese and English labels,
    notations and (statuses) ranks, from ontology/vocabularies.ttl. Example: dtkg vocab sector"""
    from kg.base.paths import repo_root
    from kg.cli.output import render
    from kg.records.vocabulary import VOCAB_FILE, read_schemes, rows

    fmt = _check_format(fmt)
    columns, found = rows(read_schemes(repo_root() / VOCAB_FILE), scheme)
    typer.echo(render([{k: _Plain(v) for k, v in r.items()} for r in found], columns, fmt), nl=False)
    return 0


@app.command("queries")
@reports_errors
def list_queries() -> int:
    """List the stored questions in queries/ with their parameters. Example: dtkg queries"""
    from kg.base.paths import repo_root
    from kg.queries.catalogue import catalogue
    for name, q in catalogue(repo_root()).items():
        params = " ".join(f"{p.name}=…" if p.required else f"[{p.name}=…]" for p in q.params)
        typer.echo(f"{name} {params}".rstrip())
        typer.echo(f"    {q.summary}")
        for p in q.params:
            typer.echo(f"    {p.name} ({p.type}{', required' if p.required else ''}): {p.description or ''} e.g. {p.name}={p.example}".rstrip())
    return 0


EndpointOption = Annotated[Optional[str], typer.Option("--endpoint", help="A SPARQL 1.1 endpoint's query URL (e.g. http://127.0.0.1:7878/query) instead of the embedded store.", show_default=False)]
UserOption = Annotated[Optional[str], typer.Option("--user", help="HTTP Basic user (or $DTKG_ENDPOINT_USER); the password from $DTKG_ENDPOINT_PASSWORD or a prompt, never echoed.", show_default=False)]
TimeoutOption = Annotated[Optional[float], typer.Option("--timeout", help="Seconds to wait for the endpoint (default 30, or $DTKG_ENDPOINT_TIMEOUT).", show_default=False)]


def _endpoint(url: str, user: str | None, timeout: float | None):
    from kg.store.endpoint import Endpoint, credentials
    return Endpoint(url, credentials(user), timeout)


def _target(store: Path | None, endpoint: str | None, user: str | None, timeout: float | None):
    """The embedded store (fresh) or the remote endpoint, behind one interface; and the repo root."""
    from kg.store.sparql import Local
    from kg.base.paths import repo_root
    if endpoint:
        return repo_root(), _endpoint(endpoint, user, timeout)
    root, graph = _fresh_store(store)
    return root, Local(graph)


@app.command()
@reports_errors
def query(name: Annotated[str, typer.Argument(help="A stored query (see `dtkg queries`).")],
          params: Annotated[Optional[list[str]], typer.Argument(help="Parameters as key=value, in any spelling: province='ha tinh'.", show_default=False)] = None,
          fmt: Annotated[str, typer.Option("-f", "--format", help="table, csv, json, md or sparql-json.")] = "table",
          iri: IriOption = False,
          lang: Annotated[Optional[str], typer.Option("--lang", help="Labels in vi or en (default: $DTKG_LANG, else vi); the other language where a label is missing.", show_default=False)] = None,
          store: StoreOption = None, endpoint: EndpointOption = None, user: UserOption = None,
          timeout: TimeoutOption = None) -> int:
    """Answer a stored question. Parameters are bound as RDF terms, never pasted into the query.

    Example: dtkg query provinces-by-sector sector=logistics --format csv
    """
    fmt = _check_format(fmt)
    root, target = _target(store, endpoint, user, timeout)
    typer.echo(answer(root, name, params, fmt, target.select, iri=iri, lang=lang), nl=False)
    return 0


@app.command()
@reports_errors
def sparql(text: Annotated[Optional[str], typer.Argument(help="The query text (or give --file FILE).", show_default=False)] = None,
           file: Annotated[Optional[Path], typer.Option("--file", help="Read the query from FILE (- for stdin).", show_default=False)] = None,
           update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL update (INSERT, DELETE, DROP...); refused without it.")] = False,
           fmt: Annotated[str, typer.Option("-f", "--format", help="table, csv, json, md or sparql-json (CONSTRUCT/DESCRIBE print Turtle).")] = "table",
           iri: IriOption = False,
           store: StoreOption = None, endpoint: EndpointOption = None, user: UserOption = None,
           timeout: TimeoutOption = None) -> int:
    """Run an ad-hoc SPARQL query over the graph (the union of its named graphs), read-only.

    Example: dtkg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'

    Example: dtkg sparql --file my.rq -f csv --endpoint http://127.0.0.1:7878/query
    """
    from kg.cli import sparql as sq
    from kg.store.sparql import query_form
    sq.refuse_file_as_format(fmt)
    query_text = sq.read_query(text, file)
    fmt = _check_format(fmt)
    if query_form(query_text) is None:
        where = sq.run_update(query_text, update, store_dir=None if endpoint else _context(store),
                              remote=_endpoint(endpoint, user, timeout) if endpoint else None)
        typer.echo(f"updated {where}", err=True)
        return 0
    _, target = _target(store, endpoint, user, timeout)
    sys.stdout.buffer.write(sq.render_answer(target.run(query_text), fmt, iri=iri))
    return 0


@app.command()
@reports_errors
def push(endpoint: Annotated[str, typer.Option("--endpoint", help="The SPARQL endpoint's query URL, e.g. http://127.0.0.1:7878/query.", show_default=False)],
         graph_store: Annotated[Optional[str], typer.Option("--graph-store", help="Its Graph Store Protocol URL, when it cannot be told from --endpoint (Oxigraph, Fuseki and Virtuoso layouts are known).", show_default=False)] = None,
         store: StoreOption = None, user: UserOption = None, timeout: TimeoutOption = None) -> int:
    """Load the graph into a SPARQL 1.1 store, one named graph at a time, each replaced whole.

    Graphs the store no longer has (a deleted record) are removed from the endpoint; the triple
    count of every graph is checked afterwards. Example: dtkg push --endpoint http://127.0.0.1:7878/query
    """
    from kg.store.endpoint import redact
    remote = _endpoint(endpoint, user, timeout)
    _, graph = _fresh_store(store)
    report = remote.push(graph, graph_store)
    for name in report.deleted:
        typer.echo(f"deleted <{name}> (no longer in the graph)", err=True)
    total = sum(n for _, n in report.graphs)
    typer.echo(f"pushed {len(report.graphs)} graphs ({total:,} triples) to {redact(endpoint)}", err=True)
    if remote.dataset_mode() != "server":  # a server option, not ours to set: say how to see the data
        _notice(f"the graph is in named graphs; a client querying {redact(endpoint)} without GRAPH sees an empty "
                "default graph: use GRAPH ?g { … }, or start Oxigraph with --union-default-graph "
                "(`dtkg query --endpoint` finds the graphs itself)")
    return 0


@app.command()
@reports_errors
def serve(port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 7878,
          timeout: Annotated[float, typer.Option("--timeout", help="Seconds a query may run before it is stopped.")] = 30.0,
          allow_service: Annotated[bool, typer.Option("--allow-service", help="Allow SPARQL SERVICE (calls to other hosts).")] = False,
          cors: Annotated[Optional[str], typer.Option("--cors", help="Allow this origin (or *) to query from a browser page.")] = None,
          store: StoreOption = None) -> int:
    """Serve the graph read-only on 127.0.0.1: SPARQL 1.1 at /query, and every IRI's path
    (/id/…, /vocab/…, /ontology) as HTML, Turtle, JSON-LD or N-Triples by content negotiation.

    Queries are checked first (size, nesting, no SERVICE) and stopped after --timeout seconds.
    It serves a snapshot, so `dtkg add` and `dtkg build` keep working; when the store changes the
    server moves to the new graph. Stop with Ctrl-C. Example: dtkg serve --port 7878
    """
    from kg.publish.serve import serve as run_server
    root, store_dir = _context(store)
    from kg.graph.build import ensure_built
    ensure_built(root, store_dir)
    run_server(store_dir, port, say=lambda line: typer.echo(line, err=True), timeout=timeout,
               allow_service=allow_service, cors=cors)
    return 0


@app.command()
@reports_errors
def site(output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write (a new one, or an earlier site).")],
         store: StoreOption = None) -> int:
    """Write the graph as a static site: a page per resource (X.html) with its description
    (X.ttl, X.jsonld), a home page with a tile map, a heatmap and a timeline, and search.

    It opens from file:// and from any static host; nothing is loaded from another host.
    Example: dtkg site -o public/
    """
    from kg.publish.site import write_site
    _, graph = _fresh_store(store)
    from kg.store.local import graph_quads
    report = write_site(graph_quads(graph), output)
    typer.echo(f"wrote {report.pages:,} pages ({report.files:,} files) to {report.out}", err=True)
    return 0


@app.command()
@reports_errors
def release(output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write (a new one, or an earlier release).")],
            version: Annotated[Optional[str], typer.Option("--version", help="The release's version (default: the package's).")] = None,
            base_url: Annotated[Optional[str], typer.Option("--base-url", help="Where the files will be downloadable (default https://w3id.org/dtkg/release/VERSION/).")] = None,
            endpoint_url: Annotated[str, typer.Option("--endpoint-url", help="The public SPARQL endpoint to name (void:sparqlEndpoint).")] = "https://w3id.org/dtkg/sparql",
            store: StoreOption = None) -> int:
    """Write a release: the site, the graph in Turtle, TriG, N-Triples, N-Quads, JSON-LD and
    RDF/XML (gzipped, with SHA256SUMS), and its DCAT/VoID description naming each distribution.

    Two releases of the same data are byte-identical. Example: dtkg release -o release/ --version 1.0.0
    """
    from kg import __version__
    from kg.publish.release import write_release
    _, graph = _fresh_store(store)
    from kg.store.local import graph_quads
    report = write_release(list(graph_quads(graph)), output, version or __version__,
                           base_url, endpoint_url)
    typer.echo(f"wrote {', '.join(report.files)} ({report.pages:,} pages) to {report.out}", err=True)
    return 0


CorpusOption = Annotated[Optional[Path], typer.Option(
    "--corpus", help="Folder holding the records' source texts: their quotes are checked too (as dtkg check-quotes).",
    exists=True, file_okay=False, show_default=False)]


@app.command("check-quotes")
@reports_errors
def check_quotes(records: Annotated[list[Path], typer.Argument(help="Record files (YAML).", show_default=False)],
                 corpus: Annotated[Path, typer.Option("--corpus", help="Folder holding the source texts named by source.file.", exists=True, file_okay=False)]) -> int:
    """Check that every quote in the records stands verbatim in its source text.

    Example: dtkg check-quotes data/records/*.yaml --corpus ../shared/corpus
    """
    from kg.base.errors import RecordError
    from kg.records.quotes import check
    from kg.records.reader import check_schema, load
    failures = 0
    for path in records:
        record = load(path)
        broken = next(check_schema(record.data), None)
        if broken is not None:  # quotes are read by the format's rules: check it first
            raise RecordError(f"{broken.message}; the record format comes first: run `dtkg validate {path}`",
                              f"{path}:{record.line_of(broken.path) or 1}")
        for problem in check(record, corpus):
            failures += problem.severity == "violation"
            typer.echo(f"{path}:{record.line_of(problem.path) or 1}: {problem.severity}: [Quote] {problem.message}")
    typer.echo(f"{failures} quote problem{'s' if failures != 1 else ''} in {len(records)} file{'s' if len(records) != 1 else ''}", err=True)
    return 1 if failures else 0


class ExtractFormat(str, Enum):
    yaml = "yaml"
    json = "json"


@app.command()
@reports_errors
def extract(articles: Annotated[list[Path], typer.Argument(help="Article files: UTF-8 text, HTML remnants allowed.", show_default=False)],
            output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Folder for the draft records, one ID.yaml (or ID.json) per article; needed for yaml.", show_default=False)] = None,
            fmt: Annotated[ExtractFormat, typer.Option("-f", "--format", help="yaml (files in -o DIR) or json (to stdout, or files in -o DIR).")] = ExtractFormat.yaml) -> int:
    """Draft records from news articles: directives, sectors, targets and officials, each fact
    with its quote and offsets. Rule-based and offline. Review each draft, then `dtkg add` it.

    Exit 2 if a file cannot be read (the others are still extracted).
    Example: dtkg extract articles/*.txt -o drafts/
    """
    from kg.base.errors import UsageError
    from kg.extract.draft import dump_json, extract_files, write_records
    if fmt is ExtractFormat.yaml and output is None:
        raise UsageError("give -o DIR for the draft records (or --format json to print them)")
    if sys.stderr.isatty() and len(articles) > 1:
        with typer.progressbar(length=len(articles), label="extracting", file=sys.stderr) as bar:
            done, errors = extract_files(articles, progress=lambda _: bar.update(1))
    else:
        done, errors = extract_files(articles)
    for exc in errors:
        _err(f"error: {exc}")
    for path, result in done:
        for warning in result.warnings:
            _err(f"warning: {path}: {warning}")
    records = [result.record for _, result in done]
    if output is not None and records:
        write_records(records, output, fmt.value)
        _err(f"wrote {len(records)} draft record{'s' if len(records) != 1 else ''} to {output}")
    elif output is None and records:
        sys.stdout.write(dump_json(records))
    return 2 if errors else 0


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"


class Engine(str, Enum):
    sparql = "sparql"
    pyshacl = "pyshacl"


@app.command()
@reports_errors
def validate(files: Annotated[Optional[list[Path]], typer.Argument(help="Records (.yaml, .json) or RDF files (.ttl, .trig, .nt, .nq, .jsonld); none: the whole graph.", show_default=False)] = None,
             fmt: Annotated[ValidateFormat, typer.Option("-f", "--format", help="text (one line per problem) or json.")] = ValidateFormat.text,
             engine: Annotated[Engine, typer.Option("--engine", help="sparql: the shapes as SPARQL queries in the store (fast); pyshacl: the reference validator. The same findings.")] = Engine.sparql,
             corpus: CorpusOption = None,
             store: StoreOption = None) -> int:
    """Check records or RDF files, or the whole graph: the record format, then the SHACL shapes.

    One line per problem, FILE:LINE: SEVERITY: [SHAPE] MESSAGE (focus, path, value), then a
    summary. Exit 0 valid (warnings allowed), 1 violations, 2 unreadable input.
    Example: dtkg validate new-record.yaml
    """
    from kg.graph.build import ensure_built
    from kg.graph.provinces import default_gazetteer
    from kg.store.local import open_read_only
    from kg.validation.incremental import StoreContext
    from kg.curation.validate import validate_files, validate_graph
    root, store_dir = _context(store)
    if files:
        ensure_built(root, store_dir)
        graph = open_read_only(store_dir)
        # Each file against the part of the graph it touches, read from the store on demand
        # (kg/incremental.py): the same findings as against the whole graph, at any size.
        report = validate_files(files, root, StoreContext(graph, default_gazetteer(root), root), engine.value, corpus)
        del graph
    else:
        report = validate_graph(root, store_dir, display=lambda p: str(p.relative_to(root)), engine=engine.value)
    typer.echo(report.render(fmt.value))
    if fmt is ValidateFormat.text:
        for line in report.notices:
            _err(f"notice: {line}")
    return report.exit_code


@app.command()
@reports_errors
def add(files: Annotated[list[Path], typer.Argument(help="Record files (YAML) to add to data/records and the graph.", show_default=False)],
        replace: Annotated[bool, typer.Option("--replace", help="Replace a record of the same id that has other content.")] = False,
        corpus: CorpusOption = None,
        store: StoreOption = None) -> int:
    """Validate records and add them to data/records and the graph, all or nothing.

    On any problem nothing changes. A record already present with the same content is a no-op.
    Example: dtkg add new-record.yaml
    """
    from kg.curation.add import add as run_add
    root, store_dir = _context(store)
    outcome = run_add(files, root, store_dir, replace=replace, corpus=corpus)
    for line in outcome.report.notices:
        _err(f"notice: {line}")
    if outcome.report.findings or outcome.exit_code:
        for line in outcome.report.lines():
            typer.echo(line, err=True)
    if outcome.exit_code:
        _err("nothing was added")
    for verb, ids in (("added", outcome.added), ("replaced", outcome.replaced)):
        for record_id in ids:
            _err(f"{verb} {record_id} → data/records/{record_id}.yaml and the graph")
    return outcome.exit_code


@app.command()
@reports_errors
def remove(record_id: Annotated[str, typer.Argument(metavar="ID", help="The record's id (its file name in data/records without .yaml).", show_default=False)],
           store: StoreOption = None) -> int:
    """Remove a record (added by mistake) from data/records and the graph, all or nothing.

    Example: dtkg remove tuyen-quang-2022-04-22
    """
    from kg.curation.add import remove as run_remove
    root, store_dir = _context(store)
    run_remove(record_id, root, store_dir)
    _err(f"removed {record_id}: data/records/{record_id}.yaml and its graph")
    return 0


@app.command()
@reports_errors
def synth(triples: Annotated[str, typer.Option("--triples", help="About how many triples the built graph should have: 10k, 100k, 1M or a number.", show_default=False)],
          output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write: a repository root with copies of ontology/, data/reference/, queries/, shapes/ and data/records/synth-*.yaml.", show_default=False)],
          seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same files.")] = 0) -> int:
    """Synthetic records for benchmarks, clearly marked ("[synthetic]" headlines, publisher
    "dtkg synth"), never written into the repository's data/.

    Example: dtkg synth --triples 100k -o benchmarks/out/synth-100k, then
    DTKG_ROOT=benchmarks/out/synth-100k dtkg build
    """
    from kg.graph.synth import parse_size, write
    count, folder = write(output, parse_size(triples), seed)
    typer.echo(f"wrote {count:,} synthetic record{'s' if count != 1 else ''} to {folder}; build them with DTKG_ROOT={output} dtkg build", err=True)
    return 0


def run() -> None:
    """Everything but the common question (kg.cli.main.main answers that): typer parses, and click's
    usage errors become one line and exit 2, like every other error."""
    # typer ≥ 0.20 vendors click; find its UsageError through a public class either way.
    usage_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    try:
        code = app(standalone_mode=False, prog_name="dtkg")
    except usage_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # plain `dtkg`: the help, as it is, on stderr
            sys.stderr.write(exc.format_message().rstrip() + "\n")
            sys.exit(2)
        command = exc.ctx.command_path if exc.ctx else "dtkg"
        _err(f"usage error: {exc.format_message()} (see `{command} --help`)")
        sys.exit(2)
    except typer.Abort:
        _err("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        code = exc.exit_code
    sys.exit(_flushed(code if isinstance(code, int) else 0))


def _flushed(code: int) -> int:
    """Standard output written out now, not at exit where a full disk or a closed pipe would end
    in Python's own message: an error is one line and exit 2; a reader that left is no error."""
    from kg.cli.common import os_error_line, quiet_stdout
    try:
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        pass
    except OSError as exc:
        _err(f"error: {os_error_line(exc)}")
        code = 2
    quiet_stdout()
    return code
