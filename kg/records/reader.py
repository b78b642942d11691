"""Reading a record: bytes → normalised text → YAML → schema → rules, each failure one line.

The record format is `kg/records/record.schema.json`. Problems are reported as `FILE:LINE: message`;
the line is found only when there is a problem (a second, line-tracking parse), so the normal
path uses libyaml's C loader and stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from kg.base.errors import InputError
from kg.base.files import read_utf8
from kg.base.text import normalize


# Evidence is required for each of these fields when the field is present.
EVIDENCED_FIELDS = (
    "number", "type", "title", "issuer", "date", "meeting_date", "planned_date", "year",
    "status", "period", "implements", "same_as",
)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RecordLoader(_Loader):  # type: ignore[misc, valid-type]
    """Safe YAML with dates left as text: `2021-02-31` must reach our own check, not crash."""


_RecordLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Loader.yaml_implicit_resolvers.items()
}


@dataclass
class Problem:
    """One finding about a record: where (a JSON path inside it) and what."""

    path: tuple[Any, ...]
    message: str
    severity: str = "violation"
    rule: str = "RecordSchema"


@dataclass
class Record:
    path: Path
    text: str
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.data["id"]

    def line_of(self, json_path: tuple[Any, ...]) -> int | None:
        return line_of(self.text, json_path)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads((Path(__file__).with_name("record.schema.json")).read_text("utf-8"))


def read_text(path: Path) -> str:
    """A record file as normalised text."""
    return normalize(read_utf8(path, "a YAML record"))


def _refuse_aliases(path: Path, text: str) -> None:
    """A record is plain data: anchors and aliases (`&a` / `*a`) could expand a small file into
    an exponential tree ("billion laughs"), so they are refused before anything walks it."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise InputError("YAML aliases (*name) are not allowed in a record; write the value out",
                             f"{path}:{event.start_mark.line + 1}")


def parse(path: Path, text: str) -> dict[str, Any]:
    try:
        _refuse_aliases(path, text)
        data = yaml.load(text, Loader=_RecordLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"not valid YAML: {reason}", where) from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__.replace("str", "a string").replace("list", "a list")
        raise InputError(f"the top level is {kind}; expected a mapping (a record)", f"{path}:1")
    return data


def load(path: Path | str) -> Record:
    """Read, parse and check one record. Raises InputError if it cannot be read; returns the
    record with its `problems` (schema and rule violations) otherwise."""
    path = Path(path)
    text = read_text(path)
    record = Record(path, text, parse(path, text))
    record.problems = list(check_schema(record.data))
    if not record.problems:
        record.problems = list(check_rules(record.data))
    return record


def load_or_none(path: Path | str) -> Record | None:
    """`load`, or None when it raises: for worker processes, where an error would lose its
    `where` on the way back (kg.graph.build.load_many loads such a file again in the parent)."""
    try:
        return load(path)
    except Exception:
        return None


def check_schema(data: dict[str, Any]) -> Iterator[Problem]:
    if _schema_ok()(data):  # the common case, in ~0.1 ms; see kg/schemacheck.py
        return
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        yield Problem(tuple(error.absolute_path), _schema_message(error))


@lru_cache(maxsize=1)
def _schema_ok() -> Any:
    """A compiled yes/no check that implies jsonschema finds no error; always "no" (so every
    record goes to jsonschema) if the schema uses a keyword the compiler does not know."""
    from kg.records.schemacheck import Unsupported, compile_schema
    try:
        return compile_schema(schema())
    except Unsupported:
        return lambda data: False


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # imported here: only records with a problem need it

    return jsonschema.Draft202012Validator(schema())


def _schema_message(error: Any) -> str:
    where = ".".join(str(p) for p in error.absolute_path) or "record"
    if error.validator == "required":
        return f"{where}: {error.message}"
    if error.validator == "additionalProperties":
        return f"{where}: {error.message} (see kg/records/record.schema.json for the fields)"
    if error.validator == "maxLength":
        return f"{where}: {len(error.instance):,} characters, expected at most {error.validator_value}"
    value = repr(error.instance)
    if len(value) > 60:
        value = value[:57] + "..."
    wanted = error.validator_value
    expected = {  # only the failing keyword's text is made: its value has that keyword's type
        "pattern": lambda: f"a value matching {wanted}",
        "enum": lambda: f"one of {', '.join(map(str, wanted))}",
        "type": lambda: f"a {' or '.join(wanted) if isinstance(wanted, list) else wanted}",
        "minLength": lambda: "a non-empty value",
        "const": lambda: f"{wanted!r}",
        "minimum": lambda: f"at least {wanted}",
        "maximum": lambda: f"at most {wanted}",
        "minItems": lambda: f"at least {wanted} item(s)",
    }.get(error.validator, lambda: error.message)()
    return f"{where}: found {value}, expected {expected}"


def parse_date(value: Any) -> tuple[str, str] | None:
    """`2021-11-15` → ("2021-11-15", "date"); `2021-11` → gYearMonth; `2021` → gYear.
    Raises ValueError for a date that does not exist (2021-02-31, 2021-13-01)."""
    if value is None:
        return None
    text = str(value)
    if len(text) == 10:
        dt.date.fromisoformat(text)
        return text, "date"
    if len(text) == 7:
        dt.date.fromisoformat(text + "-01")
        return text, "gYearMonth"
    return text, "gYear"


# A web page's text stays outside the repository: a quote shows a fact, it never copies prose.
MAX_WEB_QUOTE = 160

DATE_FIELDS = ("date", "meeting_date", "planned_date")


def check_rules(data: dict[str, Any], today: dt.date | None = None) -> Iterator[Problem]:
    """Rules the schema cannot say: real dates, not in the future, evidence for each fact,
    unique refs, local `implements` that point somewhere, periods in order."""
    today = today or dt.date.today()

    def check_date(path: tuple[Any, ...], value: Any) -> None:
        if value is None:
            return
        try:
            text, kind = parse_date(value)  # type: ignore[misc]
        except ValueError:
            problems.append(Problem(path, f"{path[-1]}: {value!r} is not a real date; expected YYYY-MM-DD, YYYY-MM or YYYY", rule="DateShape"))
            return
        first_day = dt.date.fromisoformat((text + "-01-01")[:10]) if kind != "date" else dt.date.fromisoformat(text)
        if kind == "gYearMonth":
            first_day = dt.date.fromisoformat(text + "-01")
        if first_day > today:
            problems.append(Problem(path, f"{path[-1]}: {value!r} is in the future; expected a date on or before {today}", rule="DateShape"))

    problems: list[Problem] = []
    source = data.get("source", {})
    check_date(("source", "published"), source.get("published"))
    refs: dict[str, int] = {}
    for i, doc in enumerate(data.get("documents", [])):
        base = ("documents", i)
        if doc["ref"] in refs:
            problems.append(Problem(base + ("ref",), f"ref {doc['ref']!r} is used twice; expected each document's ref to be unique"))
        refs[doc["ref"]] = i
        for name in DATE_FIELDS:
            check_date(base + (name,), doc.get(name))
        period = doc.get("period") or {}
        if period.get("start") and period.get("end") and period["end"] < period["start"]:
            problems.append(Problem(base + ("period",), f"period ends ({period['end']}) before it starts ({period['start']}); expected end ≥ start", rule="PeriodShape"))
        if period.get("vision") and period.get("end") and period["vision"] < period["end"]:
            problems.append(Problem(base + ("period", "vision"), f"vision year {period['vision']} is before the period's end {period['end']}", rule="PeriodShape"))
        evidence = doc.get("evidence", {})
        for name in EVIDENCED_FIELDS:
            if doc.get(name) not in (None, [], {}) and name not in evidence:
                problems.append(Problem(base + (name,), f"{name} has no evidence; expected evidence.{name}: the quote from the source that supports it", rule="EvidenceShape"))
    if source.get("kind") == "web":
        for path, entry in quotes(data):
            if len(entry["quote"]) > MAX_WEB_QUOTE:
                problems.append(Problem(path, f"quote of {len(entry['quote'])} characters from a web page; expected at most {MAX_WEB_QUOTE}: the shortest part that shows the fact", rule="QuoteShape"))
    for i, doc in enumerate(data.get("documents", [])):
        for j, target in enumerate(doc.get("implements", [])):
            if target == doc["ref"]:
                problems.append(Problem(("documents", i, "implements", j), f"document {doc['ref']!r} implements itself"))
    return iter(problems)


def quotes(data: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every quote in a record with its place: (json path, {quote, start?, end?})."""
    def walk(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "quote":
                    yield path + (key,), value if isinstance(value, dict) else {"quote": value}
                elif key == "evidence" and isinstance(value, dict):
                    for name, quote in value.items():
                        yield path + (key, name), quote if isinstance(quote, dict) else {"quote": quote}
                else:
                    yield from walk(value, path + (key,))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, path + (i,))
    yield from walk(data, ())


def line_of(text: str, json_path: tuple[Any, ...]) -> int | None:
    """The 1-based line of the node at `json_path`, or of its nearest existing parent."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node else None
    for step in json_path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == step), None)
            key = next((k for k, v in node.value if k.value == step), None)
            if match is None:
                break
            line = key.start_mark.line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line
