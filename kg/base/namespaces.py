"""Every IRI prefix and every ontology term, named once.

Plain strings, so that modules on the query path need neither rdflib nor pyoxigraph to name a
term. `DTKG.terms` lists what `ontology/dtkg.ttl` must define; a test checks that it does, so a
misspelt term fails a test instead of minting a new IRI silently.
"""

from __future__ import annotations

BASE = "https://w3id.org/dtkg/"


class Namespace:
    """A prefix whose attributes are IRIs: `ELI.passed_by` → the full IRI string.

    Not a str subclass: `DCT.title` must be the IRI, not `str.title`."""

    __slots__ = ("_iri", "terms")

    def __init__(self, iri: str, terms: tuple[str, ...] = ()):
        self._iri = iri
        self.terms = terms

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        if self.terms and name not in self.terms:
            raise AttributeError(f"{name} is not a term of {self._iri}")
        return self._iri + name

    def __getitem__(self, name: str) -> str:  # for names that are not identifiers
        return self._iri + name

    def __str__(self) -> str:
        return self._iri

    __format__ = lambda self, spec: format(self._iri, spec)  # noqa: E731

    def __add__(self, other: str) -> str:
        return self._iri + other


DTKG = Namespace(
    BASE + "ontology#",
    (
        # classes
        "Directive", "IssuingBody", "Province", "Target", "Official", "PostHolding",
        "SourceArticle", "SourceAct", "SourceWebPage", "Evidence", "Record", "Rearrangement",
        # directives
        "status", "meetingDate", "documentDatePartial", "meetingDatePartial", "plannedDate",
        "periodStart", "periodEnd", "visionYear", "hasTarget", "titleAsWritten", "issuerAsWritten",
        "level", "yearOfNumber",
        # targets
        "metric", "comparator", "targetValue", "unit", "deadlineYear", "startYear", "scope",
        "statement",
        # officials
        "reportedOn",
        # sources and evidence
        "fileName", "accessed", "supports", "field", "quote", "start", "end", "asWritten", "note",
        # provinces
        "code", "validFrom", "validUntil", "successor", "predecessor", "seat", "unitKind",
        "bodyType", "rank", "seatIn",
    ),
)
ID = Namespace(BASE + "id/")
VOCAB = Namespace(BASE + "vocab/")
GRAPH = Namespace(BASE + "graph/")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SCHEMA = Namespace("https://schema.org/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SH = Namespace("http://www.w3.org/ns/shacl#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

PREFIXES = {
    "dtkg": str(DTKG), "id": str(ID), "vocab": str(VOCAB), "eli": str(ELI), "org": str(ORG),
    "skos": str(SKOS), "prov": str(PROV), "dcterms": str(DCT), "dcat": str(DCAT),
    "void": str(VOID), "schema": str(SCHEMA), "rdf": str(RDF), "rdfs": str(RDFS),
    "owl": str(OWL), "xsd": str(XSD), "sh": str(SH), "foaf": str(FOAF),
}

# The prefixes files are written with: id: and vocab: are left out, as their local names hold
# slashes, which Turtle must escape.
FILE_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("id", "vocab")}

# Named graphs that are not records.
ONTOLOGY_GRAPH = GRAPH + "ontology"
VOCABULARY_GRAPH = GRAPH + "vocabularies"
REFERENCE_GRAPH = GRAPH + "reference"
META_GRAPH = GRAPH + "meta"
DERIVED_GRAPH = GRAPH + "derived"
# Every distinct triple once: the default graph of every query. An act that several records
# describe is stated in each of their graphs; over a plain union of the graphs a query would join
# every copy with every other (48 records name 52-NQ/TW) and run into the gigabytes.
UNION_GRAPH = GRAPH + "union"

# The dataset as a whole (DCAT/VoID) and the licence its data carries.
DATASET_IRI = ID + "dataset/dtkg"
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def record_graph(record_id: str) -> str:
    return GRAPH + "record/" + record_id


def concept(scheme: str, key: str) -> str:
    """`concept("sector", "logistics")` → the IRI of that SKOS concept."""
    return f"{VOCAB}{scheme}/{key}"


def scheme(name: str) -> str:
    return f"{VOCAB}{name}"
