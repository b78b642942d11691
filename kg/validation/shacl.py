"""pySHACL, the reference validator: the shapes graph (shapes/*.ttl), a run over a data graph, and
the messages of a result filled in both languages, shared with the SPARQL engine."""


from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from kg.base.errors import InputError
from kg.base.namespaces import (
    PREFIXES,
)

SHAPES = "https://w3id.org/dtkg/shapes#"
SH = "http://www.w3.org/ns/shacl#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# ==================================================================================================
# SHACL
# ==================================================================================================


def shapes_dir(root: Path) -> Path:
    return root / "shapes"


def shapes_graph(root: Path) -> Any:
    """Every shapes/*.ttl as one rdflib graph, parsed once per process (again if a file changes)."""
    files = sorted(shapes_dir(root).glob("*.ttl"))
    if not files:
        raise InputError("no SHACL shapes found (expected shapes/*.ttl)", str(shapes_dir(root)))
    return _shapes_graph(tuple((str(p), p.stat().st_mtime_ns) for p in files))


@lru_cache(maxsize=2)
def _shapes_graph(files: tuple[tuple[str, int], ...]) -> Any:
    import rdflib

    graph = rdflib.Graph()
    for path, _ in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types for a bad file
            raise InputError(f"cannot read the shapes: {exc}", path) from None
    return graph


@lru_cache(maxsize=2)
def _messages(shapes: Any) -> dict[str, dict[str, str]]:
    """shape IRI → {language: sh:message}, for results pySHACL leaves without a message."""
    import rdflib

    out: dict[str, dict[str, str]] = {}
    for shape, message in shapes.subject_objects(rdflib.URIRef(SH + "message")):
        out.setdefault(str(shape), {})[message.language or "en"] = str(message)
    return out


def _quiet_libraries() -> None:
    """rdflib logs a traceback for an ill-typed literal (2021-02-31); the shapes report it."""
    for name in ("rdflib", "rdflib.term", "pyshacl"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def run_shacl(data_graph: Any, root: Path, focus: list[str] | None = None) -> list[dict[str, Any]]:
    """pySHACL's results as dicts: shape, severity, focus, path, value, message_en, message_vi."""
    import pyshacl
    import rdflib

    _quiet_libraries()
    shapes = shapes_graph(root)
    if focus is not None and not focus:
        return []
    try:
        _, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes, inference="none", allow_warnings=True,
                                        allow_infos=True, focus_nodes=focus or None)
    except Exception as exc:  # a broken shape or query is the tool's fault, not the user's
        raise InputError(f"SHACL validation failed: {type(exc).__name__}: {exc}", str(shapes_dir(root))) from None
    sh = rdflib.Namespace(SH)
    messages = _messages(shapes)
    results = {}
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        one = lambda p: report.value(result, p)  # noqa: E731
        shape = one(sh.sourceShape)
        # a blank property shape has no name: report its node shape's
        name = str(shape) if isinstance(shape, rdflib.URIRef) else _owner(shapes, shape)
        value = _from_rdflib(one(sh.value))
        texts = _by_language(messages.get(name, {}), [str(m) for m in report.objects(result, sh.resultMessage)], value)
        path = one(sh.resultPath)
        if isinstance(path, rdflib.BNode):  # [ sh:inversePath P ]
            path = "^" + str(shapes.value(path, sh.inversePath))
        found = {
            "shape": name,
            "severity": str(one(sh.resultSeverity)).rsplit("#", 1)[-1].lower(),
            "focus": _from_rdflib(one(sh.focusNode)),
            "path": str(path) if path is not None else None,
            "value": value,
            "message_en": texts.get("en", ""),
            "message_vi": texts.get("vi", ""),
        }
        results[tuple(str(v) for v in found.values())] = found
    return sorted(results.values(), key=lambda r: (str(r["focus"]), r["shape"], _key(r["value"])))


def _key(term: Any) -> str:
    return "" if term is None else str(term)


def _plain(term: Any) -> str | None:
    """A result term's IRI, blank node id or lexical form (None stays None)."""
    return None if term is None else term.value


def _from_rdflib(term: Any) -> Any:
    """An rdflib term as pyoxigraph's: one kind of term in results, whichever engine made them."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    return Literal(str(term), datatype=NamedNode(str(term.datatype)) if term.datatype else None)


def _owner(shapes: Any, shape: Any) -> str:
    import rdflib

    parent = shapes.value(None, rdflib.URIRef(SH + "property"), shape)
    return str(parent) if parent is not None else str(shape)


def _by_language(templates: dict[str, str], filled: list[str], value: Any) -> dict[str, str]:
    """pySHACL fills {?var} in every sh:message of a SPARQL result but drops the language tags:
    give each language the filled text its template matches (else the template, {?value} filled)."""
    out = {}
    for language, template in templates.items():
        pattern = re.compile(re.sub(r"\\\{\\[?$]\w+\\\}", "(.*?)", re.escape(template)), re.S)
        text = next((t for t in filled if pattern.fullmatch(t)), None)
        if text is None:
            text = template.replace("{?value}", _show(value)) if value is not None else template
        out[language] = _IRI.sub(lambda m: compact(m.group(0)), text)
    return out


def fill_message(template: str, bindings: dict[str, Any], value: Any, sparql: bool) -> str:
    """A sh:message as pySHACL words it: a SPARQL result's {?var} and {$var} replaced by the
    bound terms (an IRI then shortened to a prefixed name), a core constraint's left as written."""
    text = template
    if sparql:
        for name, term in bindings.items():
            text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _: term.value, text)
    return _IRI.sub(lambda m: compact(m.group(0)), text)


_IRI = re.compile(r"https?://[^\s,;()<>\"]+")


def _show(term: Any, limit: int = 80) -> str:
    """A term for a report line: a prefixed name where one fits, a literal quoted and cut short;
    a result path `^P` (inverse) stays marked."""
    if term is None:
        return ""
    if isinstance(term, str):
        return "^" + compact(term[1:]) if term.startswith("^") else compact(term)
    if isinstance(term, Literal):
        text = term.value
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return compact(term.value)


_PREFIXES = sorted(((iri, name) for name, iri in {**PREFIXES, "shapes": SHAPES}.items()), key=lambda p: -len(p[0]))


def compact(iri: str) -> str:
    for base, name in _PREFIXES:
        if iri.startswith(base) and len(iri) > len(base):
            return f"{name}:{iri[len(base):]}"
    return f"<{iri}>"


def _shape_name(iri: str) -> str:
    return iri[len(SHAPES):] if iri.startswith(SHAPES) else compact(iri)

