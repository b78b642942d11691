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
    message_vi: str = ""  # when empty, the rule's general Vietnamese text is shown


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
        line, column, reason = yaml_culprit(text, exc)
        where = f"{path}:{line}:{column}" if line else str(path)
        raise InputError(f"not valid YAML: {reason}", where) from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__.replace("str", "a string").replace("list", "a list")
        raise InputError(f"the top level is {kind}; expected a mapping (a record)", f"{path}:1")
    return data


_OPENERS = {'"': "double quote", "'": "single quote", "[": "bracket [", "{": "brace {"}


def yaml_culprit(text: str, exc: Any) -> tuple[int | None, int | None, str]:
    """(line, column, what is wrong) for a YAML error, at the construct that broke rather than
    where the parser gave up: a quote or bracket opened on an earlier line and never closed is
    reported on its own line ("unclosed double quote"), which is where a clerk must look."""
    mark = getattr(exc, "problem_mark", None)
    started = getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    for opener, name in _OPENERS.items():
        if started is not None and context.startswith(("while scanning a quoted", "while parsing a flow")) \
                and text.splitlines()[started.line][started.column:started.column + 1] == opener:
            return started.line + 1, started.column + 1, f"unclosed {name} (opened here, never closed)"
    lines = text.splitlines()
    upto = mark.line if mark else len(lines)
    for number, line in enumerate(lines[: upto + 1]):
        value = _value_part(line)
        if value and value[0] in _OPENERS and not _closes(value) and not _continued(lines, number):
            return number + 1, len(line) - len(value) + 1, f"unclosed {_OPENERS[value[0]]} (opened here, not closed on this line)"
    if mark and "\t" in (lines[mark.line] if mark.line < len(lines) else ""):
        return mark.line + 1, lines[mark.line].index("\t") + 1, "a tab; YAML indents with spaces only"
    plain = next((said for cue, said in _PLAIN_YAML.items() if reason.startswith(cue)), reason)
    return (mark.line + 1, mark.column + 1, plain) if mark else (None, None, plain)


# PyYAML's words for the common slips, said as what to do about them.
_PLAIN_YAML = {
    "mapping values are not allowed": "a `key: value` where a plain value was expected: a colon and space "
                                      "inside an unquoted value (put the value in quotes) or a line indented too deeply",
    "did not find expected key": "this line does not line up with the keys above it (check its indentation)",
    "expected <block end>": "this line does not line up with the entries above it (check its indentation)",
}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _continued(lines: list[str], number: int) -> bool:
    """A flow value may go on over lines more indented than its own (legal YAML); a next line at
    the same or a lesser indent is a new entry, so the value was left open by mistake."""
    following = next((line for line in lines[number + 1:] if line.strip()), None)
    return following is not None and _indent(following) > _indent(lines[number])


def _value_part(line: str) -> str:
    """What follows `key:` or `- ` on a YAML line (comments and blank lines give "")."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return ""
    if stripped.startswith("- "):
        stripped = stripped[2:].lstrip()
    if stripped[:1] in _OPENERS:
        return stripped
    key, sep, rest = stripped.partition(": ")
    return rest.strip() if sep and not key[:1] in _OPENERS else ""


def _closes(value: str) -> bool:
    """Does a flow value that starts with a quote or bracket end on the same line?"""
    opener = value[0]
    if opener in "\"'":
        body = value[1:].replace(opener * 2, "") if opener == "'" else value[1:].replace('\\\\', "").replace('\\"', "")
        return opener in body
    depth, quote = 0, ""
    for char in value:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return True
    return depth == 0


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
        english, vietnamese = _schema_message(error)
        yield Problem(tuple(error.absolute_path), english, message_vi=vietnamese)


_PRUNABLE_RULES = ("DateShape", "EvidenceShape", "PeriodShape")


def readable_part(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A record with format problems, less the fields they are in, when what is left is still a
    whole record (so the shapes can be checked in the same run: one round of errors, not two),
    and the rule problems found on it (the rules run only once the schema holds). None when a
    required field or a list item is wrong: then nothing more can be read."""
    import copy

    data, found = copy.deepcopy(data), []
    for _ in range(5):
        errors = list(_validator().iter_errors(data)) if not _schema_ok()(data) else []
        if not errors:
            rules = [p for p in check_rules(data) if p not in found]
            found += rules
            if not rules:
                return data, found
            if any(p.rule not in _PRUNABLE_RULES for p in rules):
                return None, found
            for problem in rules:
                _node(data, problem.path[:-1]).pop(problem.path[-1], None)
            continue
        for error in errors:
            path = tuple(error.absolute_path)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                node = _node(data, path)
                for key in set(error.instance) - set(error.schema.get("properties", {})):
                    node.pop(key, None)
            elif error.validator == "required" or not path or not isinstance(_node(data, path[:-1]), dict):
                return None, found
            else:
                _node(data, path[:-1]).pop(path[-1], None)
    return None, found


def _node(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


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


# What a pattern of the schema means, said to a person (English, Vietnamese).
_PATTERNS = {
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": ("YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2022-11-09",
                                          "YYYY-MM-DD, YYYY-MM hoặc YYYY, ví dụ 2022-11-09"),
    "^[a-z0-9][a-z0-9-]{0,99}$": ("a key of lower-case letters, digits and hyphens, e.g. logistics",
                                  "một khóa gồm chữ thường, chữ số và dấu gạch nối, ví dụ logistics"),
    "^[a-z_]+$": ("a field name of lower-case letters and _", "tên trường gồm chữ thường và _"),
    "^[^/\\\\]{1,200}$": ("a file name without folders, e.g. ha-tinh-2021-09-19.txt",
                         "tên tệp không kèm thư mục, ví dụ ha-tinh-2021-09-19.txt"),
}
_TYPES_VI = {"string": "văn bản", "integer": "số nguyên", "number": "số", "object": "một mục key: value",
             "array": "một danh sách", "boolean": "true hoặc false", "null": "null"}


def _schema_message(error: Any) -> tuple[str, str]:
    """(English, Vietnamese) for one schema error: where, what was found, what is expected."""
    where = ".".join(str(p) for p in error.absolute_path) or "record"
    wanted = error.validator_value
    if error.validator == "required":
        missing = next((name for name in wanted if isinstance(error.instance, dict) and name not in error.instance), "?")
        return f"{where}: {error.message}", f"{where}: thiếu trường bắt buộc '{missing}'"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {}))) if isinstance(error.instance, dict) else []
        listed = ", ".join(map(repr, extra))
        if extra and all(error.instance[k] is None for k in extra):  # `{as_written: du lịch, dịch vụ}`
            return (f"{where}: {listed} is not a field, and has no value: inside {{…}} a comma in an unquoted value "
                    "starts a new key, so put that value in quotes (as_written: \"du lịch, dịch vụ\")",
                    f"{where}: {listed} không phải là trường và không có giá trị: trong {{…}} dấu phẩy trong giá trị "
                    "không có ngoặc kép tách thành khóa mới; đặt giá trị đó trong ngoặc kép")
        return (f"{where}: {error.message} (see kg/records/record.schema.json for the fields)",
                f"{where}: trường {listed} không có trong định dạng bản ghi (xem kg/records/record.schema.json)")
    if error.validator == "maxLength":
        return (f"{where}: {len(error.instance):,} characters, expected at most {wanted}",
                f"{where}: dài {len(error.instance):,} ký tự, tối đa {wanted}")
    if error.validator == "oneOf" and isinstance(error.instance, dict) and "quote" in error.instance:
        extra = ", ".join(repr(k) for k in error.instance if k not in ("quote", "start", "end", "note"))
        return (f"{where}: a quote with the unknown key(s) {extra}; expected a text, or quote (and start, end, note). "
                "A comma inside an unquoted {quote: …} starts a new key: put the quote in quotes",
                f"{where}: đoạn trích có khóa lạ {extra}; dấu phẩy trong {{quote: …}} không có ngoặc kép "
                "sẽ tách thành khóa mới: đặt đoạn trích trong ngoặc kép")
    value = repr(error.instance)
    if len(value) > 60:
        value = value[:57] + "..."
    plain = _PATTERNS.get(wanted) if error.validator == "pattern" else None
    kinds = wanted if isinstance(wanted, list) else [wanted]
    expected = {  # only the failing keyword's text is made: its value has that keyword's type
        "pattern": lambda: (plain or (f"a value matching {wanted}", f"một giá trị khớp mẫu {wanted}")),
        "enum": lambda: (f"one of {', '.join(map(str, wanted))}", f"một trong {', '.join(map(str, wanted))}"),
        "type": lambda: (f"a {' or '.join(kinds)}", " hoặc ".join(_TYPES_VI.get(k, k) for k in kinds)),
        "minLength": lambda: ("a non-empty value", "một giá trị không rỗng"),
        "const": lambda: (f"{wanted!r}", f"{wanted!r}"),
        "minimum": lambda: (f"at least {wanted}", f"ít nhất {wanted}"),
        "maximum": lambda: (f"at most {wanted}", f"nhiều nhất {wanted}"),
        "minItems": lambda: (f"at least {wanted} item(s)", f"ít nhất {wanted} mục"),
    }.get(error.validator, lambda: (error.message, "giá trị không đúng định dạng bản ghi"))()
    return f"{where}: found {value}, expected {expected[0]}", f"{where}: giá trị {value}, cần {expected[1]}"


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
