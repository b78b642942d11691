"""The SKOS schemes of `ontology/vocabularies.ttl`: the keys a record may use, with their labels,
notations and ranks. Read straight from the file (a few milliseconds), so `dtkg vocab`, the
README's list of keys, record hints and the extractor's gazetteers need neither a store nor a build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from kg.base.errors import InputError

VOCAB_FILE = Path("ontology") / "vocabularies.ttl"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_VOCAB = "https://w3id.org/dtkg/vocab/"
_RANK = "https://w3id.org/dtkg/ontology#rank"


@dataclass(frozen=True)
class Concept:
    key: str
    scheme: str
    labels: tuple[tuple[str, str], ...]  # (text, language): prefLabels first, then alt and hidden
    notations: tuple[str, ...] = ()
    rank: int | None = None

    def label(self, language: str) -> str:
        """The preferred label in `language` ("" when there is none)."""
        return next((text for text, lang in self.labels if lang == language), "")


@dataclass
class Scheme:
    key: str
    labels: dict[str, str]  # language → skos:prefLabel
    concepts: list[Concept]


def read_properties(path: Path | str, what: str) -> dict[str, dict[str, list]]:
    """A Turtle file as subject IRI → predicate IRI → objects: how the small reference files
    (vocabularies, provinces) are read without a store. `what` names the file in an error."""
    try:
        triples = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as exc:
        raise InputError(f"cannot read {what}: {exc}", str(path)) from None
    props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        props[t.subject.value][t.predicate.value].append(t.object)
    return props


def read_schemes(path: Path) -> dict[str, Scheme]:
    """Every scheme of the file by key (`sector`, `document-type`…), its concepts in rank order
    where the scheme ranks them (statuses), else by key."""
    props = read_properties(path, "the vocabularies")
    schemes = {iri[len(_VOCAB):]: Scheme(iri[len(_VOCAB):], {o.language: o.value for o in p[_SKOS + "prefLabel"]}, [])
               for iri, p in props.items()
               if any(o.value == _SKOS + "ConceptScheme" for o in p["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"])}
    for iri, p in props.items():
        in_scheme = [o.value[len(_VOCAB):] for o in p[_SKOS + "inScheme"] if o.value.startswith(_VOCAB)]
        if not in_scheme or not iri.startswith(_VOCAB):
            continue
        name = in_scheme[0]
        labels = [(o.value, o.language or "") for kind in ("prefLabel", "altLabel", "hiddenLabel") for o in p[_SKOS + kind]]
        rank = p.get(_RANK)
        schemes.setdefault(name, Scheme(name, {}, [])).concepts.append(Concept(
            key=iri.rsplit("/", 1)[-1], scheme=name, labels=tuple(labels),
            notations=tuple(o.value for o in p[_SKOS + "notation"]),
            rank=int(rank[0].value) if rank else None))
    for scheme in schemes.values():
        scheme.concepts.sort(key=lambda c: (c.rank is None, c.rank or 0, c.key))
    return schemes


def read_concepts(path: Path) -> dict[str, list[Concept]]:
    """The concepts of each scheme, by scheme key."""
    return {name: s.concepts for name, s in read_schemes(path).items() if s.concepts}


# Other names a person may give a scheme: the stored queries' parameter types and the field names
# of the record format.
ALIASES = {"type": "document-type", "body": "body-type", "issuer": "body-type", "roles": "role",
           "sectors": "sector", "unit": "unit-kind"}


def find_scheme(schemes: dict[str, Scheme], name: str) -> Scheme:
    """The scheme a person names by its key, an alias or a label, in any case and diacritics."""
    from kg.base.errors import UsageError
    from kg.base.text import did_you_mean, fold

    wanted = fold(name).replace(" ", "-")
    names: dict[str, str] = {**{alias: key for alias, key in ALIASES.items() if key in schemes}}
    for key, scheme in schemes.items():
        names[key] = key
        for label in scheme.labels.values():
            names[fold(label).replace(" ", "-")] = key
    if wanted in names:
        return schemes[names[wanted]]
    raise UsageError(f"no vocabulary {name!r}; the schemes: {', '.join(schemes)}"
                     f"{did_you_mean(wanted, [n for n in names if n in schemes or n in ALIASES])}")


COLUMNS = ["scheme", "key", "label_vi", "label_en", "notation", "rank"]


def rows(schemes: dict[str, Scheme], name: str | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """`dtkg vocab [SCHEME]`: one row per concept of the scheme (of every scheme when no name is
    given); the rank column only where the concepts are ranked."""
    chosen = [find_scheme(schemes, name)] if name else list(schemes.values())
    out = [{"scheme": s.key, "key": c.key, "label_vi": c.label("vi"), "label_en": c.label("en"),
            "notation": " ".join(c.notations), "rank": "" if c.rank is None else str(c.rank)}
           for s in chosen for c in s.concepts]
    columns = [c for c in COLUMNS if c != "rank" or any(r["rank"] for r in out)]
    return columns, out
