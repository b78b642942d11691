"""The published site: a static, browsable linked-data site of the graph.

For every resource IRI `https://w3id.org/dtkg/X` it writes `X.html` (a page for people), `X.ttl`,
`X.nt` and `X.jsonld` (its description for machines), so any static host, or `dtkg serve` by content
negotiation, answers the IRI. Pages are Jinja2 templates (autoescaped); charts are inline SVG made
here, each with a table beside it; search runs in the browser over `search.json`. Nothing is
loaded from another host, and nothing comes from the clock: the same graph gives the same bytes.

Uses the graph's quads only (model, charts, describe); knows nothing of records or the store.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from pyoxigraph import NamedNode, Quad

from kg.base.errors import UsageError
from kg.base.namespaces import BASE, DCT, DTKG, ELI, ORG, PROV, SCHEMA, SKOS
from kg.base.text import fold
from kg.publish.site import charts
from kg.publish.site import describe
from kg.publish.site.model import (
    LEVELS, Graph, acts, chain_up, holdings, implementers, lineage, local_name, mentions, page_path, units,
)

MARKER = ".dtkg-site"
STATIC = Path(__file__).parent / "static"
LEVEL_LABELS = {
    "central": {"vi": "Trung ương", "en": "Central"},
    "party": {"vi": "Cấp ủy Đảng tỉnh", "en": "Provincial Party"},
    "peoples-committee": {"vi": "UBND tỉnh", "en": "People's Committee"},
    "peoples-council": {"vi": "HĐND tỉnh", "en": "People's Council"},
    "other": {"vi": "Khác", "en": "Other"},
}


@dataclass
class SiteReport:
    pages: int
    files: int
    out: Path


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    return env


class Site:
    def __init__(self, quads: Iterable[Quad]):
        self.graph = Graph(quads)
        self.acts = acts(self.graph)
        self.units = units(self.graph)
        self.env = _environment()
        self.env.globals.update(LEVELS=LEVELS, LEVEL_LABELS=LEVEL_LABELS, is_iri=lambda o: isinstance(o, NamedNode),
                                lang_of=lambda o: getattr(o, "language", None))

    # -- helpers the templates call -------------------------------------------------------------

    def context(self, path: str) -> dict[str, Any]:
        depth = path.count("/")
        up = "../" * depth

        def href(iri: str, ext: str = ".html") -> str | None:
            """A relative link to the IRI's page; None when the site has none (an IRI only named)."""
            target = page_path(iri)
            if target is None:
                return iri
            if iri not in self.graph.resources and BASE + target not in self.graph.resources:
                return None
            anchor = "#" + iri.split("#", 1)[1] if "#" in iri else ""
            return up + target + ext + anchor

        g = self.graph
        return {"up": up, "href": href, "label": g.label, "both": g.both, "graph": g, "acts": self.acts,
                "units": self.units, "local": local_name,
                "path": path, "BASE": BASE, "P": _Predicates}

    # -- the pages ------------------------------------------------------------------------------

    def pages(self) -> dict[str, list[str]]:
        """Page path → the IRIs it describes (hash IRIs share their document's page)."""
        out: dict[str, list[str]] = defaultdict(list)
        for iri in sorted(self.graph.resources):
            path = page_path(iri)
            if path is not None:
                out[path].append(iri)
        return dict(sorted(out.items()))

    def render_page(self, path: str, iris: list[str]) -> tuple[str, dict[str, Any]]:
        main = path_iri = BASE + path
        if path_iri not in iris:
            main = iris[0]
        res = self.graph.get(main)
        types = res.types()
        data = describe.triples(self.graph, iris)
        extra = None
        ctx = self.context(path)
        if DTKG.Directive in types:
            template, view = "act.html", self._act_view(main)
            extra = _legislation(view["act"], self.graph)
        elif DTKG.Province in types:
            template, view = "province.html", self._province_view(main)
        elif SKOS.ConceptScheme in types:
            template, view = "scheme.html", self._scheme_view(main)
        elif SKOS.Concept in types:
            template, view = "concept.html", self._concept_view(main)
        elif DTKG.Evidence in types:  # most pages: kept light
            template, view = "evidence.html", {}
        elif path == "ontology":
            template, view = "ontology.html", {"terms": [self.graph.get(i) for i in iris if "#" in i]}
        else:
            template, view = "resource.html", {}
        document = describe.jsonld(data)  # the file: exactly the Turtle's triples
        embedded = describe.jsonld(data, extra) if extra else document  # the page: with schema.org's terms
        html = self.env.get_template(template).render(
            **ctx, res=res, iris=iris, view=view, title=self.graph.both(main),
            jsonld=json.dumps(embedded, ensure_ascii=False, sort_keys=False).replace("</", "<\\/"),
            alternates={"text/turtle": _file(path) + ".ttl", "application/ld+json": _file(path) + ".jsonld"},
        )
        return html, {"ttl": describe.turtle(data), "nt": describe.ntriples(data), "jsonld": describe.dumps(document)}

    def _act_view(self, iri: str) -> dict[str, Any]:
        act = self.acts[iri]
        view: dict[str, Any] = {"act": act, "chains": chain_up(iri, self.acts),
                                "evidence": mentions(self.graph, iri), "targets": [self.graph.get(t) for t in act.targets],
                                "implemented_by": sorted((self.acts[a] for a in act.implemented_by if a in self.acts), key=_act_order)}
        if act.level == "central":
            deep = implementers(iri, self.acts)
            places = {self.acts[a].province for a in deep if self.acts[a].province}
            view["implementers"] = [self.acts[a] for a in deep]
            for key, after in (("current", True), ("earlier", False)):
                chosen = [u for u in self.units.values() if (u.after_2025 if after else u.before_2025)]
                done = [u for u in chosen if set(lineage(u.iri, self.units) if after else [u.iri]) & places]
                view[key] = {"done": sorted(done, key=lambda u: u.code),
                             "missing": sorted((u for u in chosen if u not in done), key=lambda u: u.code)}
        return view

    def _province_view(self, iri: str) -> dict[str, Any]:
        unit = self.units[iri]
        places = lineage(iri, self.units)
        own = sorted((a for a in self.acts.values() if a.province == iri), key=_act_order)
        earlier = sorted((a for a in self.acts.values() if a.province in places and a.province != iri), key=_act_order)
        by_issuer: dict[str, list] = defaultdict(list)
        for act in own + earlier:
            by_issuer[act.level].append(act)
        sectors: dict[str, int] = defaultdict(int)
        for act in own + earlier:
            for s in act.sectors:
                sectors[s] += 1
        sources = sorted({s for a in own + earlier for s in a.sources})
        return {"unit": unit, "own": own, "earlier": earlier,
                "by_level": [(lv, by_issuer[lv]) for lv in LEVELS if by_issuer.get(lv)],
                "sectors": sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])),
                "targets": [(a, self.graph.get(t)) for a in own + earlier for t in a.targets],
                "holdings": holdings(self.graph, places), "sources": [self.graph.get(s) for s in sources]}

    def _scheme_view(self, iri: str) -> dict[str, Any]:
        concepts = sorted(self.graph.referrers(iri, SKOS.inScheme))
        return {"concepts": [self.graph.get(c) for c in concepts]}

    def _concept_view(self, iri: str) -> dict[str, Any]:
        about = sorted((a for a in self.acts.values() if iri in a.sectors), key=_act_order)
        typed = sorted((a for a in self.acts.values() if iri in (a.type, a.status)), key=_act_order)
        return {"acts": about or typed}

    def home(self) -> str:
        after = {key: charts.counts_by_unit(self.units, self.acts, key == "34") for key in ("63", "34")}
        maps = {key: charts.tile_map(self.units, after[key], key == "34") for key in ("63", "34")}
        numbered = [a for a in self.acts.values() if a.number]
        provincial = [a for a in numbered if a.level != "central"]
        figures = {
            "units63": sum(1 for v in after["63"].values() if v), "units34": sum(1 for v in after["34"].values() if v),
            "provincial": len(provincial), "central": sum(1 for a in numbered if a.level == "central"),
            "links": sum(1 for a in provincial for c in a.implements if self.acts.get(c) and self.acts[c].level == "central"),
            "records": len(self.graph.of_type(DTKG.Record)),
        }
        central = sorted((a for a in numbered if a.level == "central"), key=_act_order)
        return self.env.get_template("home.html").render(
            **self.context("index"), maps=maps, tile=charts.TILE, heat=charts.heatmap(self.units, self.acts),
            timeline=charts.timeline(self.acts), figures=figures, central=central,
            shade=charts.shade, shades=charts.SHADES, title={"vi": "dtkg — chuyển đổi số các tỉnh", "en": "dtkg — provincial digital transformation"},
            jsonld=json.dumps(_dataset_jsonld(self.graph), ensure_ascii=False).replace("</", "<\\/"),
            alternates={}, res=None, view={},
        )

    def search_index(self) -> list[dict[str, str]]:
        entries = []
        for unit in self.units.values():
            entries.append({"l": unit.name["vi"], "e": unit.name["en"], "k": "province", "h": page_path(unit.iri) + ".html",
                            "d": unit.code + (" · 2025" if not unit.before_2025 else "")})
        for act in self.acts.values():
            label = act.number or act.title or ""
            place = self.graph.label(act.province) if act.province else ""
            entries.append({"l": label, "e": label, "k": "act", "h": page_path(act.iri) + ".html",
                            "d": " · ".join(x for x in (act.date, place, (act.title or "")[:90] if act.number else "") if x)})
        for concept in self.graph.of_type(SKOS.Concept):
            if "/vocab/sector/" in concept.iri:
                entries.append({"l": self.graph.label(concept.iri, "vi"), "e": self.graph.label(concept.iri, "en"),
                                "k": "sector", "h": page_path(concept.iri) + ".html", "d": ""})
        for entry in entries:
            entry["f"] = fold(" ".join((entry["l"], entry["e"], entry["d"])))
        return sorted(entries, key=lambda e: (e["k"], e["h"]))


class _Predicates:
    """Predicate IRIs the templates name."""
    DCT, DTKG, ELI, ORG, PROV, SCHEMA, SKOS = DCT, DTKG, ELI, ORG, PROV, SCHEMA, SKOS


def _act_order(act: Any) -> tuple:
    return (act.date or "9999", act.number or "", act.iri)


def _file(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _legislation(act: Any, graph: Graph) -> dict[str, Any]:
    """schema.org's Legislation terms for an act, beside its ELI description."""
    return {
        "@type": "schema:Legislation",
        "schema:legislationIdentifier": act.number,
        "schema:name": act.title or act.number,
        "schema:legislationDate": act.date if act.date and len(act.date) == 10 else None,
        "schema:legislationType": graph.label(act.type, "en") if act.type else None,
        "schema:legislationPassedBy": {"@id": act.issuer} if act.issuer else None,
        "schema:legislationJurisdiction": graph.label(act.province) if act.province else "Việt Nam",
    }


def _dataset_jsonld(graph: Graph) -> dict[str, Any]:
    from kg.base.namespaces import DATASET_IRI

    data = describe.triples(graph, [DATASET_IRI]) if DATASET_IRI in graph.resources else []
    return describe.jsonld(data)


def published_folder(parent: Path, prefix: str) -> Path:
    """A new temporary folder under `parent`, readable as a published folder is (mkdtemp's is 0700)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)
    return tmp


def write_site(quads: Iterable[Quad], out: Path, fork: bool = True) -> SiteReport:
    """Writes the site into `out` (a new folder, or one an earlier `dtkg site` wrote), all at once:
    the pages go to a temporary folder beside it, which then takes its place. `fork=False` renders
    in this process only: forking a process that runs other threads (a server) can deadlock."""
    with replaced_folder(out.resolve(), MARKER, "dtkg site") as tmp:
        report = _write(Site(quads), tmp, fork)
    return SiteReport(report.pages, report.files, out.resolve())


@contextmanager
def replaced_folder(out: Path, marker: str, command: str) -> Iterator[Path]:
    """A folder written whole, then swapped in: yields a new temporary folder beside `out`, which
    takes `out`'s place when the block ends (or is removed if it fails). `out` must be new, empty
    or an earlier output of `command` (it holds `marker`): nothing else is ever replaced."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / marker).exists())):
        raise UsageError(f"{out}: exists and was not written by `{command}`; expected a new or earlier output folder of it")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = published_folder(out.parent, f".{command.replace(' ', '-')}-")
    try:
        yield tmp
        (tmp / marker).write_text(f"written by {command}\n", "utf-8")
        if out.exists():
            old = out.with_name(out.name + ".old-" + str(os.getpid()))
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_FORKED: tuple["Site", Path] | None = None  # what a forked worker renders from


class _Writer:
    """Writes files in a few threads: on a slow disk, opening thousands of files costs as much as
    rendering them, and the threads overlap that wait."""

    def __init__(self, root: Path):
        from concurrent.futures import ThreadPoolExecutor

        self.root, self.files, self.folders = root, 0, set()
        self.pool = ThreadPoolExecutor(max_workers=8)
        self.pending: list = []

    def put(self, rel: str, data: str | bytes) -> None:
        target = self.root / rel
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        self.pending.append(self.pool.submit(target.write_bytes, data.encode("utf-8") if isinstance(data, str) else data))
        self.files += 1

    def close(self) -> int:
        self.pool.shutdown(wait=True)
        for job in self.pending:
            job.result()  # a write that failed fails the site (it is then removed whole)
        return self.files


def _render_share(share: int, shares: int) -> int:
    """Renders and writes every `shares`-th page, starting at `share`; the number of files."""
    site, root = _FORKED
    writer = _Writer(root)
    for i, (path, iris) in enumerate(site.pages().items()):
        if i % shares != share or path == "index":
            continue
        html, machine = site.render_page(path, iris)
        writer.put(path + ".html", html)
        for ext, data in machine.items():
            writer.put(f"{path}.{ext}", data)
    return writer.close()


def _write(site: Site, root: Path, fork: bool = True) -> SiteReport:
    """The pages are shared among forked processes, one per core (each with the whole model,
    copied on write), so a large graph renders in about half the time on two cores."""
    global _FORKED
    import multiprocessing

    pages = [p for p in site.pages() if p != "index"]
    forkable = fork and "fork" in multiprocessing.get_all_start_methods()
    shares = min(os.cpu_count() or 1, 4) if len(pages) > 400 and forkable else 1
    _FORKED = (site, root)
    try:
        if shares > 1:
            with multiprocessing.get_context("fork").Pool(shares) as pool:
                files = sum(pool.starmap(_render_share, [(i, shares) for i in range(shares)]))
        else:
            files = _render_share(0, 1)
    finally:
        _FORKED = None
    writer = _Writer(root)
    writer.put("index.html", site.home())
    entries = json.dumps(site.search_index(), ensure_ascii=False, separators=(",", ":"))
    writer.put("search.json", entries)
    writer.put("search-index.js", "window.DTKG_SEARCH = " + entries.replace("</", "<\\/") + ";\n")
    for asset in sorted(STATIC.iterdir()):
        writer.put(asset.name, asset.read_bytes())
    return SiteReport(len(pages) + 1, files + writer.close(), root)
