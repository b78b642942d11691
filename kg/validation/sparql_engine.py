"""The shapes as SPARQL: the constraints of each shape in shapes/ become a few queries over all its
focus nodes (one for its value tests, one for its counts, one per SPARQL constraint), answered by
Oxigraph's indexes.

pySHACL, the reference validator, walks the focus nodes in Python and runs each SPARQL constraint
once per node through rdflib: half a minute at 10k triples, hours at a million. Here a node
shape's targets become a sub-select (`?this a C`, C and its subclasses) that each constraint
joins, so one query finds every violating node. The results are pySHACL's (same shape, focus,
path, value, severity and message); tests/test_engines.py checks that on every shape example,
the bad-input corpus and synthetic graphs. `dtkg validate --engine pyshacl` runs the reference.

Only the part of SHACL that shapes/ uses is compiled (listed in `_CORE`, plus sh:sparql and
SPARQL-based constraint components); a shape using anything else is refused when the shapes are
read, never skipped. Where pySHACL departs from the SHACL spec, this follows pySHACL: sh:datatype
checks the lexical form only of the types rdflib parses (xsd:date, xsd:integer…; an ill-formed
xsd:gYear passes both), sh:lessThanOrEquals compares IRIs and strings as text.

On the built store the data graph is the union graph the build keeps (each distinct triple
once), as for the stored queries; a store without one falls back to Oxigraph's union of the named
graphs, a bag in which a triple stated by m records is seen m times (results are deduplicated,
and the shapes that walk from a directive to its body take the body's facts from a DISTINCT
sub-select).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, parse

from kg.base.errors import InputError

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Datatypes whose lexical form pySHACL (through rdflib) checks; others match on the datatype alone.
_CHECKED_TYPES = {XSD + t for t in ("date", "dateTime", "time", "integer", "decimal", "float", "boolean")}
# Literals rdflib reads as Python strings: sh:lessThanOrEquals compares these as text.
_STRING_TYPES = {XSD + "string", LANG_STRING, XSD + "normalizedString", XSD + "token", XSD + "language",
                 XSD + "Name", XSD + "NCName", XSD + "NMTOKEN"}
_NODE_KINDS = {
    "IRI": "isIRI(?value)", "BlankNode": "isBlank(?value)", "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "(isBlank(?value) || isIRI(?value))", "BlankNodeOrLiteral": "(isBlank(?value) || isLiteral(?value))",
    "IRIOrLiteral": "(isIRI(?value) || isLiteral(?value))",
}
# sh: properties a shape may carry: constraints compiled below, and what only describes it.
_CORE = {"minCount", "maxCount", "nodeKind", "class", "datatype", "in", "minLength", "maxLength", "pattern", "flags",
         "lessThanOrEquals", "uniqueLang"}
_DESCRIPTIVE = {"path", "property", "severity", "message", "name", "description", "targetClass", "targetSubjectsOf",
                "targetObjectsOf", "targetNode", "sparql", "deactivated", "order", "group", "declare", "prefixes"}


@dataclass
class Check:
    """One constraint as one query. `query` has `{TARGET}` where the focus-node sub-select goes;
    `rows_to_results` turns its solutions into (focus, path, value, bindings) tuples."""

    shape: str
    severity: str
    messages: dict[str, str]
    targets: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[Any, ...]]
    query: str
    path: str | None = None
    kind: str = "value"  # value | focus | sparql | pattern | ltoe | lang
    pattern: re.Pattern[str] | None = None
    fixed: dict[str, Any] = field(default_factory=dict)  # parameters bound in messages ($inScheme)


# ==================================================================================================
# Reading the shapes graph
# ==================================================================================================


class _Shapes:
    """The shapes graph (every shapes/*.ttl) in an in-memory Oxigraph store, read with helpers."""

    def __init__(self, files: Iterable[str]):
        self.store = Store()
        for path in files:
            try:
                self.store.bulk_extend(parse(path=path, format=RdfFormat.TURTLE))
            except (OSError, SyntaxError, ValueError) as exc:
                raise InputError(f"cannot read the shapes: {exc}", path) from None

    def objects(self, subject: Any, predicate: str) -> list[Any]:
        return [q.object for q in self.store.quads_for_pattern(subject, NamedNode(predicate), None, None)]

    def value(self, subject: Any, predicate: str) -> Any:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def subjects(self, predicate: str, obj: Any = None) -> list[Any]:
        return list(dict.fromkeys(q.subject for q in self.store.quads_for_pattern(None, NamedNode(predicate), obj, None)))

    def items(self, head: Any) -> list[Any]:
        out = []
        while head is not None and not (isinstance(head, NamedNode) and head.value == RDF_NIL):
            out.append(self.value(head, RDF_FIRST))
            head = self.value(head, RDF_REST)
        return out

    def messages(self, node: Any) -> dict[str, str]:
        return {(m.language or "en"): m.value for m in self.objects(node, SH + "message") if isinstance(m, Literal)}

    def severity(self, node: Any) -> str:
        found = self.value(node, SH + "severity")
        return found.value.rsplit("#", 1)[-1].lower() if found is not None else "violation"

    def prefixes(self) -> str:
        lines = []
        for declaration in self.subjects(SH + "prefix"):
            prefix, namespace = self.value(declaration, SH + "prefix"), self.value(declaration, SH + "namespace")
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix.value}: <{namespace.value}>")
        return "\n".join(sorted(set(lines))) + "\n"


def _term(node: Any) -> str:
    return str(node)  # N-Triples form: <iri>, "literal"@lang, "x"^^<dt>


def _name(node: Any) -> str:
    return node.value if isinstance(node, NamedNode) else f"_:{node.value}"


# ==================================================================================================
# Compiling
# ==================================================================================================


@lru_cache(maxsize=2)
def compile_files(files: tuple[tuple[str, int], ...]) -> tuple[str, tuple[Check, ...]]:
    """Shapes files (path, mtime) → (the prefix header, the checks). Cached per process."""
    g = _Shapes(path for path, _ in files)
    header = g.prefixes()
    components = _components(g)
    checks: list[Check] = []
    node_shapes = set(g.subjects(RDF_TYPE, NamedNode(SH + "NodeShape")))
    for predicate in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"):
        node_shapes |= set(g.subjects(SH + predicate))
    for shape in sorted(node_shapes, key=str):
        if _deactivated(g, shape):
            continue
        targets = (tuple(sorted(n.value for n in g.objects(shape, SH + "targetClass"))),
                   tuple(sorted(n.value for n in g.objects(shape, SH + "targetSubjectsOf"))),
                   tuple(sorted(n.value for n in g.objects(shape, SH + "targetObjectsOf"))),
                   tuple(g.objects(shape, SH + "targetNode")))
        if not any(targets):
            continue  # no focus nodes: pySHACL checks nothing either
        if g.value(shape, SH + "path") is not None:
            raise InputError(f"{_name(shape)}: a property shape with its own targets is not supported by the "
                             "SPARQL engine; use --engine pyshacl", "shapes/")
        checks += _shape_checks(g, shape, shape, None, targets, components)
        for prop in g.objects(shape, SH + "property"):
            if _deactivated(g, prop):
                continue
            path = _path(g, prop)
            name = prop if isinstance(prop, NamedNode) else shape  # a blank property shape reports its owner
            checks += _shape_checks(g, prop, name, path, targets, components)
    return header, tuple(checks)


def _deactivated(g: _Shapes, shape: Any) -> bool:
    flag = g.value(shape, SH + "deactivated")
    return flag is not None and flag.value == "true"


def _path(g: _Shapes, prop: Any) -> str:
    """A property shape's sh:path as a SPARQL path: <P> or ^<P> (what shapes/ uses)."""
    path = g.value(prop, SH + "path")
    if isinstance(path, NamedNode):
        return f"<{path.value}>"
    inverse = g.value(path, SH + "inversePath") if path is not None else None
    if isinstance(inverse, NamedNode):
        return f"^<{inverse.value}>"
    raise InputError(f"{_name(prop)}: only an IRI or an sh:inversePath is supported as sh:path by the SPARQL "
                     "engine; use --engine pyshacl", "shapes/")


def _components(g: _Shapes) -> dict[str, tuple[str, Any]]:
    """SPARQL-based constraint components: parameter path → (parameter name, validator query)."""
    out: dict[str, tuple[str, Any]] = {}
    for component in g.subjects(RDF_TYPE, NamedNode(SH + "ConstraintComponent")):
        parameters = [g.value(p, SH + "path") for p in g.objects(component, SH + "parameter")]
        if len(parameters) != 1:
            raise InputError(f"{_name(component)}: the SPARQL engine supports components with one parameter",
                             "shapes/")
        validator = g.value(component, SH + "propertyValidator") or g.value(component, SH + "validator")
        if validator is None or g.value(validator, SH + "select") is None:
            raise InputError(f"{_name(component)}: only SPARQL SELECT validators are supported", "shapes/")
        name = re.split(r"[#/]", parameters[0].value)[-1]
        out[parameters[0].value] = (name, validator)
    return out


def _shape_checks(g: _Shapes, node: Any, name: Any, path: str | None, targets: tuple, components: dict) -> list[Check]:
    shape, severity, messages = _name(name), g.severity(node), g.messages(name)

    def check(query: str, kind: str = "value", **more: Any) -> Check:
        return Check(shape, severity, messages, targets, query, path.replace(">", "").replace("<", "") if path else None,
                     kind, **more)

    value_of = f"?this {path} ?value ." if path else "BIND (?this AS ?value)"
    values = "SELECT DISTINCT ?this ?value WHERE { {TARGET} " + value_of + " FILTER (%s) }"
    out: list[Check] = []
    used = {q.predicate.value for q in g.store.quads_for_pattern(node, None, None, None)}
    for predicate in sorted(used):
        local = predicate[len(SH):] if predicate.startswith(SH) else None
        if predicate in components:
            parameter, validator = components[predicate]
            argument = g.value(node, predicate)
            text = g.value(validator, SH + "select").value
            text = re.sub(r"\$PATH\b", path or "", text)
            text = re.sub(r"\$" + re.escape(parameter) + r"\b", _term(argument), text)
            out.append(check(_rewrite(text), "sparql", fixed={parameter: argument}))
        elif local is None or local in _DESCRIPTIVE:
            continue
        elif local not in _CORE:
            raise InputError(f"{shape}: sh:{local} is not supported by the SPARQL engine; use --engine pyshacl",
                             "shapes/")
    if path is None and g.value(node, SH + "minCount") is not None:
        raise InputError(f"{shape}: sh:minCount needs sh:path", "shapes/")
    # sh:minCount and sh:maxCount of a shape share one count of each focus node's values.
    mins = [n for n in (int(c.value) for c in g.objects(node, SH + "minCount")) if n > 0]
    maxes = [int(c.value) for c in g.objects(node, SH + "maxCount")]
    counts = " || ".join([f"COUNT(DISTINCT ?value) < {n}" for n in mins] + [f"COUNT(DISTINCT ?value) > {n}" for n in maxes])
    if mins == [1] and not maxes:  # the common case, without a count
        out.append(check("SELECT ?this WHERE { {TARGET} FILTER NOT EXISTS { ?this " + path + " ?value } }", "focus"))
    elif mins:  # a node with no value must be counted too
        out.append(check("SELECT ?this WHERE { {TARGET} OPTIONAL { ?this " + path + " ?value } } GROUP BY ?this "
                         f"HAVING ({counts})", "focus"))
    elif maxes:
        out.append(check("SELECT ?this WHERE { {TARGET} ?this " + path + " ?value } GROUP BY ?this "
                         f"HAVING ({counts})", "focus"))
    # The value constraints of a shape share one scan: a value breaking any of them is one result,
    # as it is once results are told apart by shape, focus, path and value. An error in one test
    # drops the row only where no other test holds, as it would in a query of its own.
    failing = [f"!{_NODE_KINDS[kind.value[len(SH):]]}" for kind in g.objects(node, SH + "nodeKind")]
    failing += ["NOT EXISTS { VALUES ?class { {CLASSES:" + cls.value + "} } ?value a ?class }"
                for cls in g.objects(node, SH + "class")]
    failing += [_datatype_test(datatype.value) for datatype in g.objects(node, SH + "datatype")]
    for head in g.objects(node, SH + "in"):
        members = " || ".join(f"sameTerm(?value, {_term(m)})" for m in g.items(head)) or "false"
        failing.append(f"!({members})")
    failing += [f"isBlank(?value) || STRLEN(STR(?value)) < {int(n.value)}" for n in g.objects(node, SH + "minLength")]
    failing += [f"isBlank(?value) || STRLEN(STR(?value)) > {int(n.value)}" for n in g.objects(node, SH + "maxLength")]
    if failing:
        out.append(check(values % " || ".join(f"({test})" for test in failing)))
    for pattern in g.objects(node, SH + "pattern"):
        flags = g.value(node, SH + "flags")
        out.append(check("SELECT DISTINCT ?this ?value WHERE { {TARGET} " + value_of + " }", "pattern",
                         pattern=re.compile(pattern.value, _re_flags(flags.value if flags else ""))))
    for other in g.objects(node, SH + "lessThanOrEquals"):
        out.append(check("SELECT DISTINCT ?this ?value ?other WHERE { {TARGET} " + value_of + f" ?this <{other.value}> "
                         "?other FILTER (!COALESCE(?value <= ?other, false)) }", "ltoe"))
    for unique in g.objects(node, SH + "uniqueLang"):
        if unique.value == "true":
            out.append(check("SELECT ?this ?lang WHERE { {TARGET} " + value_of + " BIND (LCASE(LANG(?value)) AS ?lang) "
                             'FILTER (?lang != "") } GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)', "lang"))
    for constraint in g.objects(node, SH + "sparql"):
        if _deactivated(g, constraint):
            continue
        text = g.value(constraint, SH + "select")
        if text is None:
            raise InputError(f"{shape}: only SELECT-based SPARQL constraints are supported", "shapes/")
        out.append(check(_rewrite(text.value), "sparql"))
    return out


def _datatype_test(datatype: str) -> str:
    """The FILTER that a value fails sh:datatype with, as pySHACL decides it."""
    if datatype == XSD + "string":
        return f"!isLiteral(?value) || datatype(?value) != <{datatype}>"
    if datatype in _CHECKED_TYPES:  # well-typed: the cast to its own type succeeds
        return (f"!isLiteral(?value) || datatype(?value) != <{datatype}> || "
                f"!COALESCE(sameTerm(datatype(<{datatype}>(?value)), <{datatype}>), false)")
    return f"!isLiteral(?value) || datatype(?value) != <{datatype}>"


def _re_flags(flags: str) -> int:
    table = {"i": re.I, "m": re.M, "s": re.S, "x": re.X}
    out = 0
    for letter in flags:
        out |= table.get(letter, 0)
    return out


def _rewrite(select: str) -> str:
    """A SPARQL constraint's SELECT with $this pre-bound by joining the focus-node sub-select at
    the start of its WHERE group (so its FILTERs and OPTIONALs see ?this bound, as they would with
    $this substituted)."""
    text = re.sub(r"\$this\b", "?this", select)
    match = re.search(r"\bWHERE\s*\{", text, re.I)
    if match is None:
        raise InputError("a SPARQL constraint without WHERE { … } is not supported", "shapes/")
    return text[: match.end()] + " {TARGET} " + text[match.end():]


# ==================================================================================================
# Running
# ==================================================================================================


def shapes_files(root: Path) -> tuple[tuple[str, int], ...]:
    files = sorted((root / "shapes").glob("*.ttl"))
    if not files:
        raise InputError("no SHACL shapes found (expected shapes/*.ttl)", str(root / "shapes"))
    return tuple((str(p), p.stat().st_mtime_ns) for p in files)


class Plan:
    """The checks of shapes/ as runnable queries over one store: the focus-node sub-select and the
    subclasses of each target class filled in (asked of the store once per class)."""

    def __init__(self, store: Store, root: Path, focus: list[str] | None = None, union: bool = False):
        self.store, self.root, self.union = store, root, union
        self.header, checks = compile_files(shapes_files(root))
        self._subclasses: dict[str, str] = {}
        restrict = ("VALUES ?this { " + " ".join(f"<{f}>" for f in focus) + " } ") if focus else ""
        targets: dict[tuple, str] = {}
        self.queries: list[tuple[Check, str]] = []
        for check in checks:
            if check.targets not in targets:
                targets[check.targets] = _target(check.targets, self.classes, restrict)
            query = re.sub(r"\{CLASSES:([^}]*)\}", lambda m: self.classes(m[1]), check.query)
            self.queries.append((check, query.replace("{TARGET}", targets[check.targets])))

    def select(self, query: str) -> Any:
        try:
            if self.union:  # the union graph the build keeps: each distinct triple once; Oxigraph's
                # bag union counted every triple twice (once more in the union graph itself)
                from kg.store.local import query as union_query
                return union_query(self.store, self.header + query)
            return self.store.query(self.header + query)
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(f"SHACL check failed: {exc}", str(self.root / "shapes")) from None

    def classes(self, iri: str) -> str:
        """A class and its subclasses in the data (what sh:targetClass and sh:class take in)."""
        if iri not in self._subclasses:
            rows = self.select(f"SELECT DISTINCT ?c WHERE {{ ?c <{SUBCLASS}>+ <{iri}> }}")
            self._subclasses[iri] = " ".join(f"<{c}>" for c in sorted({iri} | {r["c"].value for r in rows}))
        return self._subclasses[iri]

    def run(self, item: tuple[Check, str]) -> list[dict[str, Any]]:
        return _results(item[0], self.select(item[1]))


MAX_VALUES_FOCUS = 200  # focus nodes written into the queries; more: filtered afterwards


def validate(store: Store, root: Path, focus: list[str] | None = None, union: bool = False) -> list[dict[str, Any]]:
    """Every check over `store` (the named graphs' union when `union`), or over the given focus
    nodes only (pySHACL's focus_nodes: each shape's targets that are among them). Results as
    kg.validation.shacl.run_shacl gives them."""
    if focus is not None and not focus:
        compile_files(shapes_files(root))  # a broken shape is reported even when nothing is checked
        return []
    # A few focus nodes go into the queries as VALUES; Oxigraph's cost for that grows with the
    # square of their number (10,857 nodes: 29 s against 0.4 s), so for many the checks run over
    # the whole store (an entry's neighbourhood) and the results are kept for the focus nodes only:
    # the same results, as the VALUES only narrow ?this.
    keep = set(focus) if focus is not None and len(focus) > MAX_VALUES_FOCUS else None
    plan = Plan(store, root, None if keep else focus, union)
    # Oxigraph releases the GIL while it evaluates: on a large graph, one check per core.
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 4)
    if (focus and not keep) or workers < 2:
        found = list(map(plan.run, plan.queries))
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            found = list(pool.map(plan.run, plan.queries))
    results = [r for part in found for r in part
               if keep is None or isinstance(r["focus"], NamedNode) and r["focus"].value in keep]
    unique = {(r["shape"], _key(r["focus"]), r["path"], _key(r["value"]), r["message_en"], r["message_vi"]): r
              for r in results}
    return sorted(unique.values(), key=lambda r: (_key(r["focus"]), r["shape"], _key(r["value"])))


def _key(term: Any) -> str:
    return "" if term is None else str(term)


def _target(targets: tuple, classes: Callable[[str], str], restrict: str) -> str:
    """The focus nodes of a shape as a sub-select binding ?this, each node once."""
    by_class, subjects_of, objects_of, nodes = targets
    parts = []
    wanted = " ".join(classes(c) for c in by_class)
    if wanted:
        parts.append("{ VALUES ?type { " + wanted + " } ?this a ?type }")
    parts += [f"{{ ?this <{p}> ?any }}" for p in subjects_of]
    parts += [f"{{ ?any <{p}> ?this }}" for p in objects_of]
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(map(_term, nodes)) + " } }")
    return "{ SELECT DISTINCT ?this WHERE { " + restrict + " UNION ".join(parts) + " } } "


def _results(check: Check, rows: Any) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        focus = row["this"]
        value: Any = None
        path = check.path
        bindings: dict[str, Any] = {}
        if check.kind == "value":
            value = row["value"]
        elif check.kind == "pattern":
            value = row["value"]
            if not isinstance(value, BlankNode) and check.pattern.search(value.value):
                continue
        elif check.kind == "ltoe":
            value = row["value"]
            if _less_or_equal(value, row["other"]):
                continue
        elif check.kind == "sparql":
            bindings = {**check.fixed, **{v.value: row[v.value] for v in rows.variables if row[v.value] is not None}}
            value = bindings.get("value")
            found_path = bindings.get("path")
            if isinstance(found_path, NamedNode):
                path = found_path.value
        if focus is None:
            continue
        out.append(_result(check, focus, path, value, {**bindings, "this": focus}))
    return out


def _less_or_equal(value: Any, other: Any) -> bool:
    """pySHACL's sh:lessThanOrEquals for a pair SPARQL did not find in order: IRIs and string
    literals compare as text; a string against a non-string, or two other values, fail."""
    a, b = _as_text(value), _as_text(other)
    return a is not None and b is not None and a <= b


def _as_text(term: Any) -> str | None:
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, Literal) and (term.language or term.datatype is None or term.datatype.value in _STRING_TYPES):
        return term.value
    return None


def _result(check: Check, focus: Any, path: str | None, value: Any, bindings: dict[str, Any]) -> dict[str, Any]:
    from kg.validation.shacl import fill_message

    texts = {lang: fill_message(template, bindings, value, check.kind == "sparql")
             for lang, template in check.messages.items()}
    return {"shape": check.shape, "severity": check.severity, "focus": focus, "path": path, "value": value,
            "message_en": texts.get("en", ""), "message_vi": texts.get("vi", "")}
