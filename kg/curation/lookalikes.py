"""Warnings for a record that repeats, in another form, what the graph already holds: a number
written differently from an act of the same province and year (`09/NQ-TU` beside `09-NQ/TU`), a
Party act numbered in the State form or the other way round, and a source already recorded
under another id. None breaks a rule, so they warn; each names what it looks like."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from kg.base.namespaces import ELI, GRAPH, UNION_GRAPH, record_graph
from kg.base.text import fold
from kg.records.reader import Record, parse, read_text
from kg.validation.report import Finding

PARTY_ISSUERS = {"party-central-committee", "politburo", "secretariat", "party-executive-committee",
                 "party-standing-committee", "party-inspection-committee", "party-delegation"}
STATE_ISSUERS = {"national-assembly", "na-standing-committee", "government", "prime-minister", "ministry",
                 "peoples-committee", "peoples-council"}
STATE_FORM = re.compile(r"^(\d+)/(?:(\d{4})/)?([^-/\s]+)-([^/\s]+)$")   # 55/KH-UBND, 09/2021/NQ-HĐND
PARTY_FORM = re.compile(r"^(\d+)-([^/\s]+)/([^-/\s]+)$")               # 48-NQ/TU


def number_key(number: str) -> str:
    """A number without case, diacritics, spaces or punctuation: `09/NQ-TU` and `09-NQ/TU` meet."""
    return re.sub(r"[^0-9a-z]", "", fold(number))


def lookalikes(name: str, record: Record, data: dict[str, Any], quads: Iterable[Any], index: Any,
               root: Path) -> list[Finding]:
    """The warnings for one mapped record (`data` is what was mapped; `index` the context's
    number index, with `under(prefix)`)."""
    findings = []
    acts = {q.object.value: q.subject.value for q in quads if q.predicate.value == ELI.id_local}
    graph = record_graph(str(data.get("id")))
    near: dict[str, list[tuple[str, str, str]]] = {}
    for i, doc in enumerate(data.get("documents", [])):
        number = doc.get("number")
        if not number:
            continue
        where = ("documents", i, "number")  # its line is found only for a warning: each look-up parses the file
        form = _form_warning(number, doc.get("issuer"))
        if form:
            findings.append(Finding(name, "warning", "Number-form", form[0], form[1], line=record.line_of(where)))
        iri = acts.get(number)
        if not iri:
            continue
        prefix = iri.rsplit("/", 1)[0] + "/"
        if prefix not in near:  # one look-up per province and year, however many acts
            near[prefix] = index.under(prefix)
        seen = set()
        for other, _, other_graph in near[prefix]:
            if other_graph in (graph, UNION_GRAPH) or (other, other_graph) in seen:
                continue
            seen.add((other, other_graph))
            if other != number and number_key(other) == number_key(number):
                held = other_graph.removeprefix(GRAPH + "record/") if other_graph else "the graph"
                findings.append(Finding(
                    name, "warning", "Number-lookalike",
                    f"number {number} differs only in its form from {other}, an act of the same province and year "
                    f"already in the graph (record {held}); write it as {other} if it is the same act",
                    f"số hiệu {number} chỉ khác cách viết so với {other} đã có trong đồ thị (bản ghi {held}); "
                    f"nếu là cùng một văn bản, hãy viết {other}", line=record.line_of(where)))
    findings += _same_source(name, record, data, root)
    return findings


def _form_warning(number: str, issuer: str | None) -> tuple[str, str] | None:
    state, party = STATE_FORM.match(number), PARTY_FORM.match(number)
    suffix = (state.group(4) if state else party.group(3) if party else "").upper()
    is_party = issuer in PARTY_ISSUERS or (issuer is None and suffix in ("TU", "TW", "ĐU"))
    if state and is_party and not state.group(2):
        fixed = f"{state.group(1)}-{state.group(3)}/{state.group(4)}"
        return (f"number {number} is in the State form (N/XX-YY) but its issuer is a Party body, whose acts are "
                f"numbered N-XX/YY: {fixed}?",
                f"số hiệu {number} viết theo kiểu văn bản nhà nước (N/XX-YY) nhưng cơ quan ban hành là cơ quan Đảng "
                f"(số hiệu dạng N-XX/YY): {fixed}?")
    if party and issuer in STATE_ISSUERS:
        fixed = f"{party.group(1)}/{party.group(2)}-{party.group(3)}"
        return (f"number {number} is in the Party form (N-XX/YY) but its issuer is a State body, whose acts are "
                f"numbered N/XX-YY: {fixed}?",
                f"số hiệu {number} viết theo kiểu văn bản của Đảng (N-XX/YY) nhưng cơ quan ban hành là cơ quan nhà nước "
                f"(số hiệu dạng N/XX-YY): {fixed}?")
    return None


_TEXTS: dict[Path, tuple[int, int, str]] = {}


def _text_of(path: Path) -> str:
    """A record file's text, read again only when it changed: validating 218 records read every
    record once per record (47,524 reads, half of `dtkg validate data/records/*.yaml`)."""
    stat = path.stat()
    cached = _TEXTS.get(path)
    if cached is None or cached[:2] != (stat.st_mtime_ns, stat.st_size):
        cached = _TEXTS[path] = (stat.st_mtime_ns, stat.st_size, read_text(path))
    return cached[2]


def _same_source(name: str, record: Record, data: dict[str, Any], root: Path) -> list[Finding]:
    """The record's source (file or URL) already recorded under another id in data/records."""
    source = data.get("source") or {}
    key, value = next(((k, source[k]) for k in ("file", "url") if source.get(k)), (None, None))
    if not value:
        return []
    found = []
    for path in sorted((root / "data" / "records").glob("*.yaml")):
        if path.stem == data.get("id"):
            continue
        text = _text_of(path)
        if value not in text:  # cheap test first: most records do not mention it at all
            continue
        other = (parse(path, text).get("source") or {})
        if other.get(key) == value:
            rel = path.relative_to(root)
            found.append(Finding(
                name, "warning", "Source-duplicate",
                f"the same source ({key} {value}) is already recorded as {path.stem} ({rel}); "
                "add to that record, or keep both only if they are about different acts",
                f"nguồn này ({value}) đã được ghi trong bản ghi {path.stem} ({rel})",
                line=record.line_of(("source", key))))
    return found
