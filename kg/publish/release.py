"""A release: one folder with the site, the graph in every format (gzipped, with SHA-256 sums) and a
DCAT/VoID description that names each file as a distribution.

Version and dates come from the command line or the data, never the clock, and gzip is written
with no time stamp, so two releases of the same data are the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from kg.base.errors import UsageError
from kg.base.namespaces import BASE, DATASET_IRI, DCAT, DCT, DTKG, ELI, ID, META_GRAPH, FILE_PREFIXES, RDF, VOID, XSD

MARKER = ".dtkg-release"
SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
IANA = "https://www.iana.org/assignments/media-types/"
VIETNAM = "https://sws.geonames.org/1562822/"
# name → (extension, media type, writer)
DUMPS = {
    "turtle": (".ttl", "text/turtle"),
    "trig": (".trig", "application/trig"),
    "nt": (".nt", "application/n-triples"),
    "nquads": (".nq", "application/n-quads"),
    "jsonld": (".jsonld", "application/ld+json"),
    "rdfxml": (".rdf", "application/rdf+xml"),
}


@dataclass
class ReleaseReport:
    out: Path
    files: list[str]
    pages: int


def _sorted(quads: list[Quad]) -> list[Quad]:
    return sorted(quads, key=lambda q: (q.graph_name.value if hasattr(q.graph_name, "value") else "", str(q.subject),
                                        str(q.predicate), str(q.object)))


def dump(quads: list[Quad], fmt: str) -> bytes:
    from kg.publish.export import serialise
    if fmt == "rdfxml":  # RDF/XML holds one graph: the union, each triple once
        return serialize(list(dict.fromkeys(q.triple for q in quads)), format=RdfFormat.RDF_XML,
                         prefixes=FILE_PREFIXES)
    return serialise(quads, fmt)


def gz(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(data)
    return buffer.getvalue()


def description(quads: list[Quad], version: str, files: dict[str, bytes], base_url: str, endpoint: str) -> list[Quad]:
    """DCAT/VoID for the release: the dataset with a distribution per file, its endpoint, dumps,
    URI space, coverage in space and time, keywords, languages and a contact point."""
    g = NamedNode(META_GRAPH)
    ds = NamedNode(DATASET_IRI)
    out: list[Quad] = []

    def add(s, p: str, o) -> None:
        out.append(Quad(s, NamedNode(p), o, g))

    dates = sorted(q.object.value for q in quads if q.predicate.value == ELI.date_document)
    modified = max((q.object.value for q in quads if q.predicate.value in (DCT.issued, DTKG.accessed)
                    and q.subject.value.startswith(ID + "source/")), default=None)
    if modified:
        add(ds, DCT.modified, Literal(modified, datatype=NamedNode(XSD.date)))
    add(ds, DCAT.version, Literal(version))
    add(ds, VOID.sparqlEndpoint, NamedNode(endpoint))
    add(ds, VOID.uriSpace, Literal(str(ID)))
    add(ds, DCT.spatial, NamedNode(VIETNAM))
    if dates:
        period = NamedNode(f"{DATASET_IRI}/period")
        add(ds, DCT.temporal, period)
        add(period, RDF.type, NamedNode(DCT.PeriodOfTime))
        add(period, DCAT.startDate, Literal(dates[0], datatype=NamedNode(XSD.date)))
        add(period, DCAT.endDate, Literal(dates[-1], datatype=NamedNode(XSD.date)))
    for word, lang in (("chuyển đổi số", "vi"), ("văn bản chỉ đạo", "vi"), ("digital transformation", "en"),
                       ("provincial directives", "en"), ("Vietnam", "en")):
        add(ds, DCAT.keyword, Literal(word, language=lang))
    for lang in ("vi", "en"):
        add(ds, DCT.language, NamedNode(f"http://id.loc.gov/vocabulary/iso639-1/{lang}"))
    contact = NamedNode(f"{DATASET_IRI}/contact")
    add(ds, DCAT.contactPoint, contact)
    add(contact, RDF.type, NamedNode(VCARD + "Organization"))
    add(contact, VCARD + "fn", Literal("dtkg maintainers"))
    add(contact, VCARD + "hasURL", NamedNode(BASE))
    for name, data in sorted(files.items()):
        dist = NamedNode(f"{DATASET_IRI}/distribution/{name}")
        url = NamedNode(base_url + name)
        fmt = next(k for k, (ext, _) in DUMPS.items() if name.endswith(ext + ".gz"))
        add(ds, DCAT.distribution, dist)
        add(ds, VOID.dataDump, url)
        add(dist, RDF.type, NamedNode(DCAT.Distribution))
        add(dist, DCT.title, Literal(f"dtkg {version}, {fmt}", language="en"))
        add(dist, DCAT.downloadURL, url)
        add(dist, DCAT.accessURL, url)
        add(dist, DCAT.mediaType, NamedNode(IANA + DUMPS[fmt][1]))
        add(dist, DCAT.compressFormat, NamedNode(IANA + "application/gzip"))
        add(dist, DCAT.byteSize, Literal(str(len(data)), datatype=NamedNode(XSD.nonNegativeInteger)))
        checksum = BlankNode(f"checksum{hashlib.sha256(name.encode()).hexdigest()[:16]}")
        add(dist, SPDX + "checksum", checksum)
        add(checksum, RDF.type, NamedNode(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", NamedNode(SPDX + "checksumAlgorithm_sha256"))
        add(checksum, SPDX + "checksumValue", Literal(hashlib.sha256(data).hexdigest(), datatype=NamedNode(XSD.hexBinary)))
    return out


def write_release(quads: list[Quad], out: Path, version: str, base_url: str | None = None,
                  endpoint: str = BASE + "sparql") -> ReleaseReport:
    """Writes the release into `out` (new, or an earlier release) all at once."""
    from kg.publish.site import replaced_folder, write_site

    if not version or any(c in version for c in "/\\ \t\n"):
        raise UsageError(f"--version {version!r}: expected a plain version such as 1.0.0")
    base_url = base_url or f"{BASE}release/{version}/"
    if not base_url.endswith("/"):
        base_url += "/"
    quads = _sorted(quads)
    files = {f"dtkg-{version}{ext}.gz": gz(dump(quads, fmt)) for fmt, (ext, _) in DUMPS.items()}
    described = description(quads, version, files, base_url, endpoint)
    with replaced_folder(out.resolve(), MARKER, "dtkg release") as tmp:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
        (tmp / "SHA256SUMS").write_text(sums, "utf-8")
        (tmp / f"dtkg-{version}.dcat.ttl").write_bytes(serialize(
            [q.triple for q in described], format=RdfFormat.TURTLE,
            prefixes={**FILE_PREFIXES, "spdx": SPDX, "vcard": VCARD}))
        site = write_site(quads + described, tmp / "site")
    out = out.resolve()
    names = sorted([*files, "SHA256SUMS", f"dtkg-{version}.dcat.ttl", "site/"])
    return ReleaseReport(out, names, site.pages)
