"""The ontology (ontology/dtkg.ttl) and the SKOS schemes (ontology/vocabularies.ttl).

Checks that every term `kg.base.namespaces.DTKG` names is defined, documented in both languages and
nothing more; that every concept is labelled, in one scheme, and named by its label alone within
that scheme; and the facts other modules rely on: status ranks, document-type notations, keys,
COFOG matches.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.base.namespaces import DTKG, ELI, ORG, PROV, SCHEMA, concept, scheme
from kg.base.text import fold, normalize

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
ONTOLOGY_IRI = URIRef("https://w3id.org/dtkg/ontology")
VOCAB_IRI = URIRef("https://w3id.org/dtkg/vocab")
_XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DATE, XSD_GYEAR, XSD_INTEGER = (URIRef(_XSD + t) for t in ("date", "gYear", "integer"))
DCT_TITLE, DCT_DESCRIPTION, DCT_LICENSE = (
    URIRef("http://purl.org/dc/terms/" + t) for t in ("title", "description", "license")
)
TERM_TYPES = {
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property
}

# The keys records use (kg/records/record.schema.json); adding one is a decision, so it changes this list.
KEYS = {
    "document-type": {
        "resolution", "directive", "plan", "decision", "regulation", "programme", "scheme",
        "conclusion", "guidance", "strategy", "notice", "report", "decree", "circular", "law",
        "official-letter",
    },
    "body-type": {
        "party-central-committee", "politburo", "secretariat", "national-assembly",
        "na-standing-committee", "government", "prime-minister", "ministry",
        "party-executive-committee", "party-standing-committee", "peoples-committee",
        "peoples-council", "party-inspection-committee", "steering-committee", "party-delegation",
    },
    "role": {
        "party-secretary", "standing-deputy-party-secretary", "deputy-party-secretary",
        "central-committee-member", "standing-committee-member", "executive-committee-member",
        "peoples-committee-chair", "peoples-committee-vice-chair", "peoples-council-chair",
        "na-delegation-head", "steering-committee-head", "inspection-committee-member",
        "department-head", "editor-in-chief", "business-leader", "other",
    },
    "status": {"planned", "draft-discussed", "agreed-in-principle", "adopted", "disseminated"},
    "sector": {
        "party-agencies", "public-administration", "health", "education", "culture", "tourism",
        "natural-resources-environment", "industry", "agriculture", "forestry", "energy",
        "commerce", "transport", "logistics", "finance-banking", "disaster-prevention",
        "information-communications", "services", "labour-employment", "security-defence",
        "justice", "science-technology", "urban-smart-city",
    },
    "metric": {
        "dti", "digital-government-index", "e-government-ranking", "digital-economy-grdp-share",
        "online-public-service-share", "broadband-coverage", "digital-citizens-share",
    },
    "comparator": {
        "top-n", "rank-class-at-least", "leading-group", "at-least", "at-most", "equals",
    },
    "scope": {"national", "northern-region", "central-region", "southern-region", "province"},
    "unit-kind": {"province", "centrally-run-city"},
    "level": {"provincial", "central"},
    "cofog": {
        "01.3", "02", "03", "04.1", "04.2", "04.3", "04.4", "04.5", "04.6", "04.7.3", "05", "07",
        "08.2", "09",
    },
}

STATUS_RANKS = {
    "planned": 1, "draft-discussed": 2, "agreed-in-principle": 3, "adopted": 4, "disseminated": 5,
}

COFOG_CLOSE_MATCHES = {
    "transport": "04.5", "health": "07", "education": "09", "agriculture": "04.2",
    "forestry": "04.2", "energy": "04.3", "tourism": "04.7.3",
    "natural-resources-environment": "05", "industry": "04.4", "commerce": "04.1",
    "culture": "08.2", "information-communications": "04.6", "public-administration": "01.3",
    "security-defence": "02",
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "dtkg.ttl", format="turtle")


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "vocabularies.ttl", format="turtle")


def _languages(g: Graph, s, p) -> list[str | None]:
    return sorted((o.language or "") for o in g.objects(s, p) if isinstance(o, Literal))


def _defined_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(str(DTKG))}


# --------------------------------------------------------------------------------------------------
# The ontology
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DTKG.terms)
def test_namespace_term_is_defined(onto, name):
    iri = URIRef(DTKG + name)
    types = set(onto.objects(iri, RDF.type))
    assert types & TERM_TYPES, f"dtkg:{name} is not defined as a class or property in dtkg.ttl"


def test_ontology_defines_only_namespace_terms(onto, vocab):
    listed = {URIRef(DTKG + name) for name in DTKG.terms}
    assert _defined_terms(onto) == listed
    triples = itertools.chain(onto.triples((None, None, None)), vocab.triples((None, None, None)))
    used = {
        t for triple in triples for t in triple
        if isinstance(t, URIRef) and t.startswith(str(DTKG))
    }
    assert used <= listed, f"dtkg terms used but not in kg.base.namespaces: {sorted(used - listed)}"


@pytest.mark.parametrize("name", DTKG.terms)
def test_term_is_documented(onto, name):
    iri = URIRef(DTKG + name)
    assert _languages(onto, iri, RDFS.label) == ["en", "vi"], f"dtkg:{name}: label @vi and @en"
    assert _languages(onto, iri, RDFS.comment) == ["en", "vi"], f"dtkg:{name}: comment @vi, @en"
    assert set(onto.objects(iri, RDFS.isDefinedBy)) == {ONTOLOGY_IRI}


def test_each_term_is_a_class_or_a_property_not_both(onto):
    for term in _defined_terms(onto):
        types = set(onto.objects(term, RDF.type)) & TERM_TYPES
        assert len(types) == 1, (term, types)
        assert term.split("#")[1][0].isupper() == (types == {OWL.Class}), term


def test_ontology_header(onto):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    (info,) = onto.objects(ONTOLOGY_IRI, OWL.versionInfo)
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(info))
    assert set(onto.objects(ONTOLOGY_IRI, OWL.versionIRI)) == {URIRef(f"{ONTOLOGY_IRI}/{info}")}
    assert _languages(onto, ONTOLOGY_IRI, DCT_TITLE) == ["en", "vi"]
    assert _languages(onto, ONTOLOGY_IRI, DCT_DESCRIPTION) == ["en", "vi"]
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (ONTOLOGY_IRI, DCT_LICENSE, licence) in onto


def test_reused_terms_are_not_redefined(onto):
    for s in set(onto.subjects()):
        assert isinstance(s, BNode) or s == ONTOLOGY_IRI or s.startswith(str(DTKG)), \
            f"{s} is described in dtkg.ttl: reuse it, do not redefine it"


@pytest.mark.parametrize(
    "sub, sup",
    [
        ("Directive", ELI.LegalResource),
        ("IssuingBody", ORG.Organization),
        ("Province", SCHEMA.AdministrativeArea),
        ("Official", SCHEMA.Person),
        ("PostHolding", ORG.Membership),
        ("SourceArticle", SCHEMA.NewsArticle),
        ("SourceArticle", PROV.Entity),
        ("SourceAct", PROV.Entity),
        ("Rearrangement", ORG.ChangeEvent),
        ("Rearrangement", PROV.Activity),
    ],
)
def test_alignments(onto, sub, sup):
    assert (URIRef(DTKG + sub), RDFS.subClassOf, URIRef(sup)) in onto


def test_lineage_properties(onto):
    assert (URIRef(DTKG.successor), OWL.inverseOf, URIRef(DTKG.predecessor)) in onto
    assert (URIRef(DTKG.predecessor), RDFS.subPropertyOf, URIRef(PROV.wasDerivedFrom)) in onto


@pytest.mark.parametrize(
    "name, datatype",
    [
        ("meetingDate", XSD_DATE), ("reportedOn", XSD_DATE), ("validFrom", XSD_DATE),
        ("validUntil", XSD_DATE), ("periodStart", XSD_GYEAR), ("periodEnd", XSD_GYEAR),
        ("visionYear", XSD_GYEAR), ("deadlineYear", XSD_GYEAR), ("startYear", XSD_GYEAR),
        ("start", XSD_INTEGER), ("end", XSD_INTEGER), ("rank", XSD_INTEGER),
    ],
)
def test_datatype_ranges(onto, name, datatype):
    assert set(onto.objects(URIRef(DTKG + name), RDFS.range)) == {datatype}


def test_domains_and_ranges_name_defined_classes(onto):
    for p in (RDFS.domain, RDFS.range):
        for s, o in onto.subject_objects(p):
            if isinstance(o, URIRef) and o.startswith(str(DTKG)):
                assert (o, RDF.type, OWL.Class) in onto, (s, p, o)


# --------------------------------------------------------------------------------------------------
# The vocabularies
# --------------------------------------------------------------------------------------------------


def _schemes(g: Graph) -> set[URIRef]:
    return set(g.subjects(RDF.type, SKOS.ConceptScheme))


def _concepts(g: Graph) -> set[URIRef]:
    return set(g.subjects(RDF.type, SKOS.Concept))


def test_vocabulary_header(vocab):
    assert (VOCAB_IRI, RDF.type, OWL.Ontology) in vocab
    (info,) = vocab.objects(VOCAB_IRI, OWL.versionInfo)
    assert set(vocab.objects(VOCAB_IRI, OWL.versionIRI)) == {URIRef(f"{VOCAB_IRI}/{info}")}


def test_schemes_and_keys(vocab):
    assert _schemes(vocab) == {URIRef(scheme(name)) for name in KEYS}
    for name, keys in KEYS.items():
        members = set(vocab.subjects(SKOS.inScheme, URIRef(scheme(name))))
        assert members == {URIRef(concept(name, key)) for key in keys}, name


def test_schemes_are_labelled(vocab):
    for s in _schemes(vocab):
        assert _languages(vocab, s, SKOS.prefLabel) == ["en", "vi"], s


def test_every_concept_is_labelled_and_in_one_scheme(vocab):
    schemes = _schemes(vocab)
    assert len(_concepts(vocab)) == sum(len(keys) for keys in KEYS.values())
    for c in _concepts(vocab):
        assert _languages(vocab, c, SKOS.prefLabel) == ["en", "vi"], f"{c}: prefLabel @vi, @en"
        in_scheme = set(vocab.objects(c, SKOS.inScheme))
        assert len(in_scheme) == 1 and in_scheme <= schemes, f"{c}: exactly one known scheme"
        (s,) = in_scheme
        assert c.startswith(f"{s}/") and "/" not in c[len(s) + 1:], f"{c} is not named under {s}"
        assert set(vocab.objects(c, SKOS.topConceptOf)) <= in_scheme
        alt = list(vocab.objects(c, SKOS.altLabel))
        assert all(o.language == "vi" for o in alt), f"{c}: altLabels are @vi"


def test_labels_are_nfc_with_classic_tone_marks(onto, vocab):
    """Every text is NFC. Labels use the classic tone placement (hòa, ủy); a label in the other
    placement is kept only as a spelling variant of a classic label of the same concept."""
    for g in (onto, vocab):
        for s, p, o in g:
            if isinstance(o, Literal) and isinstance(o.value, str):
                assert unicodedata.normalize("NFC", str(o)) == str(o), (s, p, o)
    for c in _concepts(vocab):
        labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in vocab.objects(c, p)}
        for label in labels:
            assert normalize(label) == label or normalize(label) in labels, (c, label)


def test_a_label_names_one_concept_within_its_scheme(vocab):
    owners: dict[tuple, set] = defaultdict(set)
    for c in _concepts(vocab):
        (s,) = vocab.objects(c, SKOS.inScheme)
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for o in vocab.objects(c, p):
                if o.language == "vi":
                    owners[(s, fold(str(o)))].add(c)
    clashes = {key: cs for key, cs in owners.items() if len(cs) > 1}
    assert not clashes, clashes


def test_status_ranks(vocab):
    ranks = {}
    for key in KEYS["status"]:
        values = list(vocab.objects(URIRef(concept("status", key)), URIRef(DTKG.rank)))
        assert len(values) == 1 and values[0].datatype == XSD_INTEGER, key
        ranks[key] = values[0].toPython()
    assert ranks == STATUS_RANKS
    assert sorted(ranks.values()) == [1, 2, 3, 4, 5]


def test_document_type_notations(vocab):
    notations = {
        key: {str(n) for n in vocab.objects(URIRef(concept("document-type", key)), SKOS.notation)}
        for key in KEYS["document-type"]
    }
    for key, notation in {
        "resolution": "NQ", "directive": "CT", "plan": "KH", "decision": "QĐ", "regulation": "QĐ",
        "programme": "CTr", "scheme": "ĐA", "conclusion": "KL", "guidance": "HD",
    }.items():
        assert notations[key] == {notation}, key
    assert {"NQ", "CT", "KH", "QĐ", "CTr", "ĐA", "KL", "HD"} <= set().union(*notations.values())


def test_body_type_notations(vocab):
    def notation(key):
        return {str(n) for n in vocab.objects(URIRef(concept("body-type", key)), SKOS.notation)}

    assert notation("party-executive-committee") == notation("party-standing-committee") == {"TU"}
    assert notation("peoples-committee") == {"UBND"}
    assert notation("prime-minister") == {"TTg"}


@pytest.mark.parametrize("sector, code", sorted(COFOG_CLOSE_MATCHES.items()))
def test_cofog_close_matches(vocab, sector, code):
    match = (URIRef(concept("sector", sector)), SKOS.closeMatch, URIRef(concept("cofog", code)))
    assert match in vocab


def test_cofog_concepts(vocab):
    for code in KEYS["cofog"]:
        c = URIRef(concept("cofog", code))
        assert {str(n) for n in vocab.objects(c, SKOS.notation)} == {code}
    for s, p, o in vocab:
        if p in (SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch,
                 SKOS.exactMatch):
            assert (o, RDF.type, SKOS.Concept) in vocab, f"{s} matches {o}, which is not defined"


def test_logistics_is_its_own_sector(vocab):
    logistics = URIRef(concept("sector", "logistics"))
    transport = URIRef(concept("sector", "transport"))
    assert (logistics, SKOS.related, transport) in vocab
    assert (transport, SKOS.related, logistics) in vocab
    assert (logistics, SKOS.broadMatch, URIRef(concept("cofog", "04.5"))) in vocab
    assert not list(vocab.objects(logistics, SKOS.closeMatch))
    both = fold("giao thông vận tải và logistics")
    for c in (logistics, transport):
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            assert all(fold(str(o)) != both for o in vocab.objects(c, p)), c


def test_concept_properties_point_into_the_right_scheme(vocab):
    """dtkg:rank is on status concepts only, the one scheme that is ordered."""
    for c in vocab.subjects(URIRef(DTKG.rank), None):
        assert (c, SKOS.inScheme, URIRef(scheme("status"))) in vocab
