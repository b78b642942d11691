"""Stored questions: `queries/*.rq`, each valid SPARQL with a grlc-style header.

    #+ summary: Provinces whose directives prioritise a sector
    #+ params:
    #+   - {name: sector, type: sector, required: true, example: logistics}
    #+ columns: [province, province_iri, directive, directive_iri, sector]

Parameters are resolved to RDF terms (a sector name to its concept IRI, a province name to the
unit, a year to an integer literal) and bound with a VALUES block made from those terms, placed
at the top of the outer WHERE — the same text runs on the embedded store and on any SPARQL 1.1
endpoint. User input is never pasted into query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml
from pyoxigraph import Literal, NamedNode

from kg.store.binding import bind  # noqa: F401 (part of this module's API)
from kg.base.errors import UsageError
from kg.base.namespaces import PREFIXES, XSD, concept, scheme
from kg.base.text import closest, did_you_mean, fold, normalize, slug

CONCEPT_TYPES = {"sector": "sector", "type": "document-type", "status": "status", "role": "role",
                 "metric": "metric", "scope": "scope", "body": "body-type"}
PARAM_TYPES = {*CONCEPT_TYPES, "province", "year", "text", "document", "number", "units", "iri"}


@dataclass
class Param:
    name: str
    type: str
    required: bool = False
    example: Any = None
    default: Any = None
    description: str = ""
    choices: list[str] = field(default_factory=list)
    var: str = ""  # the SPARQL variable it binds; the parameter's name when empty

    def __post_init__(self) -> None:
        self.var = self.var or self.name


@dataclass
class StoredQuery:
    name: str
    path: Path
    summary: str
    params: list[Param]
    columns: list[str]
    text: str
    # {rows, key, columns, value}: the long answer is a matrix to read (table, CSV, MD), e.g.
    # province × sector; JSON keeps the long form, one object per non-empty cell
    matrix: dict[str, str] | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        names = [p.name for p in self.params]
        raise UsageError(f"query {self.name!r} has no parameter {name!r}{did_you_mean(name, names)}; "
                         f"its parameters: {', '.join(names) or 'none'}")


def parse_header(path: Path) -> StoredQuery:
    text = path.read_text("utf-8")
    header = "\n".join(line[3:] if line.startswith("#+ ") else line[2:]
                       for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise UsageError(f"bad #+ header: {exc}", str(path)) from None
    params = []
    for raw in meta.get("params") or []:
        param = Param(**raw)
        if param.type not in PARAM_TYPES:
            raise UsageError(f"parameter {param.name!r} has unknown type {param.type!r}", str(path))
        params.append(param)
    matrix = meta.get("matrix")
    if matrix is not None and (not isinstance(matrix, dict) or set(matrix) != {"rows", "key", "columns", "value"}):
        raise UsageError("#+ matrix: expected {rows, key, columns, value}", str(path))
    return StoredQuery(path.stem, path, meta.get("summary", ""), params, list(meta.get("columns") or []), text, matrix)


def catalogue(root: Path) -> dict[str, StoredQuery]:
    return {p.stem: parse_header(p) for p in sorted((root / "queries").glob("*.rq"))}


def get(root: Path, name: str) -> StoredQuery:
    queries = catalogue(root)
    if name not in queries:
        raise UsageError(f"no stored query {name!r}{did_you_mean(name, queries)}; known: {', '.join(queries)} (see `dtkg queries`)")
    return queries[name]


def parse_args(pairs: Iterable[str]) -> dict[str, str]:
    """`key=value` words from the command line (values normalised to NFC)."""
    args: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"parameter {pair!r} is not key=value")
        if key in args:
            raise UsageError(f"parameter {key!r} given twice")
        args[key.strip()] = normalize(value.strip())
    return args


Select = Callable[[str], list[dict[str, Any]]]  # runs a SELECT, returns rows of pyoxigraph terms


class Resolver:
    """Turns a parameter value as a person types it into the RDF term the query needs.
    Names are matched on their folded form (skos:hiddenLabel), so this works on any endpoint."""

    def __init__(self, select: Select):
        self.select = select

    def _by_label(self, value: str, where: str) -> list[str]:
        rows = self.select(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dtkg: <https://w3id.org/dtkg/ontology#>\n"
            "SELECT DISTINCT ?x ?until WHERE { VALUES ?key { " + str(Literal(fold(value))) + " } " + where +
            " ?x skos:hiddenLabel ?key . OPTIONAL { ?x dtkg:validUntil ?until } }"
        )
        return [r["x"].value for r in rows if r.get("until") is None] or [r["x"].value for r in rows]

    def concept(self, param: Param, value: str) -> NamedNode:
        scheme_name = CONCEPT_TYPES[param.type]
        found = self._by_label(value, "?x <http://www.w3.org/2004/02/skos/core#inScheme> " + str(NamedNode(scheme(scheme_name))) + " .")
        if not found and slug(value):  # the concept's key itself, e.g. `logistics`
            iri = concept(scheme_name, slug(value))
            if self.select("SELECT ?p WHERE { " + str(NamedNode(iri)) + " ?p ?o } LIMIT 1"):
                found = [iri]
        if len(found) != 1:
            keys = [iri.rsplit("/", 1)[-1] for iri in found]
            listed = f"(the list: `dtkg vocab {scheme_name}`)"
            what = (f"matches no {scheme_name} concept {listed}{self._near_concept(scheme_name, value)}" if not found
                    else f"matches more than one {scheme_name} concept ({', '.join(sorted(keys))}) {listed}")
            raise UsageError(f"{param.name}={value!r} {what}")
        return NamedNode(found[0])

    def _near_concept(self, scheme_name: str, value: str) -> str:
        """`; did you mean KEY?` for the concepts whose key or label is near the value."""
        rows = self.select(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "SELECT ?x ?label WHERE { ?x skos:inScheme " + str(NamedNode(scheme(scheme_name))) +
            " . OPTIONAL { ?x skos:prefLabel|skos:altLabel ?label } }")
        key_of: dict[str, str] = {}
        for r in rows:
            key = r["x"].value.rsplit("/", 1)[-1]
            key_of.setdefault(key, key)
            if r.get("label") is not None:
                key_of.setdefault(r["label"].value, key)
        near = list(dict.fromkeys(key_of[name] for name in closest(value, key_of)))
        return f"; did you mean {' or '.join(near)}?" if near else ""

    # "giao thông vận tải và logistics": one phrase naming several concepts of one scheme.
    _PARTS = re.compile(r"\s*(?:,|;|&|\bva\b|\band\b)\s*")

    def concepts(self, param: Param, value: str) -> list[NamedNode]:
        """One concept, or — when the whole phrase names none — the concepts its parts name.

        Official texts list sectors in pairs: "giao thông vận tải và logistics" is one priority
        sector of Quyết định 749/QĐ-TTg, which the vocabulary keeps as two concepts (transport,
        logistics). Such a phrase means either of them: the query gets one VALUES row per concept.
        Every part must name exactly one concept, else the phrase's own error stands."""
        try:
            return [self.concept(param, value)]
        except UsageError as whole:
            parts = [p for p in self._PARTS.split(fold(value)) if p]
            if len(parts) < 2:
                raise
            found: list[NamedNode] = []
            for part in parts:
                try:
                    term = self.concept(param, part)
                except UsageError:
                    raise whole from None
                if term not in found:
                    found.append(term)
            return found

    def province(self, param: Param, value: str) -> NamedNode:
        bare = re.sub(r"^(tinh|thanh pho|tp\.?)\s+", "", fold(value))
        found = self._by_label(value, "?x a dtkg:Province .") or self._by_label(bare, "?x a dtkg:Province .")
        if len(found) != 1:
            expected = "(expected a province name such as 'Hà Tĩnh' or 'Ha Tinh')"
            what = f"matches no province {expected}{self._near_province(value)}" if not found else f"matches {len(found)} provinces {expected}"
            raise UsageError(f"{param.name}={value!r} {what}")
        return NamedNode(found[0])

    def _near_province(self, value: str) -> str:
        rows = self.select("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dtkg: <https://w3id.org/dtkg/ontology#>\n"
                           "SELECT DISTINCT ?label WHERE { ?x a dtkg:Province ; skos:prefLabel ?label . FILTER(LANG(?label) = 'vi') }")
        return did_you_mean(value, {r["label"].value for r in rows})

    def term(self, param: Param, value: str) -> NamedNode | Literal:
        if param.type in CONCEPT_TYPES:
            return self.concept(param, value)
        if param.type == "province":
            return self.province(param, value)
        if param.type == "year":
            if not re.fullmatch(r"\d{4}", value):
                raise UsageError(f"{param.name}={value!r} is not a year; expected four digits such as 2025")
            return Literal(value, datatype=NamedNode(XSD.integer))
        if param.type == "units":
            if value not in (param.choices or ["34", "63"]):
                raise UsageError(f"{param.name}={value!r}; expected one of {', '.join(param.choices or ['34', '63'])}")
            return Literal(value, datatype=NamedNode(XSD.integer))
        if param.type in ("text", "document"):  # a document: its number or title, as a folded key
            if not fold(value):
                raise UsageError(f"{param.name} is empty; expected some text to search for")
            return Literal(fold(value))
        if param.type == "iri":
            if not re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+", value):
                raise UsageError(f"{param.name}={value!r} is not an IRI")
            return NamedNode(value)
        return Literal(value)  # number: as written


Term = NamedNode | Literal


def bindings(query: StoredQuery, args: dict[str, str], resolver: Resolver) -> dict[str, Term | tuple[Term, ...]]:
    """Checks the arguments against the header and resolves each one to an RDF term (a tuple of
    terms when a phrase names several concepts, see `Resolver.concepts`)."""
    for name in args:
        query.param(name)
    bound: dict[str, Term | tuple[Term, ...]] = {}
    for param in query.params:
        value = args.get(param.name, param.default)
        if value is None:
            if param.required:
                raise UsageError(f"query {query.name!r} needs {param.name}=… (e.g. {param.name}={param.example})")
            continue
        if param.type in CONCEPT_TYPES:
            terms = resolver.concepts(param, str(value))
            bound[param.var] = terms[0] if len(terms) == 1 else tuple(terms)
        else:
            bound[param.var] = resolver.term(param, str(value))
    return bound


Run = Callable[[str], "tuple[list[str], list[dict[str, Any]]]"]  # a SELECT → (variables, rows)


LANGUAGES = ("vi", "en")


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise UsageError(f"language {lang!r}; expected one of {', '.join(LANGUAGES)} (--lang or $DTKG_LANG)")
    return lang


def answer(query: StoredQuery, args: dict[str, str], run: Run,
           notify: Callable[[str], None] | None = None, lang: str = "vi") -> tuple[list[str], list[dict[str, Any]]]:
    """Resolves the arguments, binds them and runs the query with `run` — the embedded store's
    `select` or a remote endpoint's; the same bound text goes to either. Returns the header's
    columns (else the query's variables) and the rows. `notify` hears why an answer may be empty
    (a document that is not in the graph). Labels are in `lang` where the graph has them, else in
    the other language: the queries compare with ?lang, bound here like any parameter."""
    resolver = Resolver(lambda text: run(text)[1])
    bound = bindings(query, args, resolver)
    if "?lang" in query.text:
        bound["lang"] = Literal(check_lang(lang))
    variables, rows = run(bind(query.text, bound))
    if not rows and notify:  # only an empty answer costs the look-up
        for param in query.params:
            if param.type == "document" and param.name in args:
                notice = unknown_document(resolver.select, param, args[param.name])
                if notice:
                    notify(notice)
    return query.columns or variables, rows


def _form(number: str) -> str:
    """A number without its punctuation: `52/NQ-TW` and `52-NQ/TW` share the form `52nqtw`."""
    return re.sub(r"[^a-z0-9]", "", fold(number))


def unknown_document(select: Select, param: Param, value: str) -> str | None:
    """A notice when no act has this number or title (None when one has, though nothing may
    implement it), naming the acts whose number differs from it only in its punctuation."""
    key = str(Literal(fold(value)))
    if select("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dtkg: <https://w3id.org/dtkg/ontology#>\n"
              "SELECT ?x WHERE { ?x a dtkg:Directive ; skos:hiddenLabel " + key + " } LIMIT 1"):
        return None
    rows = select("PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX dtkg: <https://w3id.org/dtkg/ontology#>\n"
                  "SELECT DISTINCT ?number WHERE { ?x a dtkg:Directive ; eli:id_local ?number }")
    same_form = sorted({r["number"].value for r in rows if _form(r["number"].value) == _form(value)})
    hint = f"; did you mean {' or '.join(same_form)}?" if same_form else ""
    return f"{param.name}={value!r}: no act in the graph has this number or title{hint}"


def prefixes_block() -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
