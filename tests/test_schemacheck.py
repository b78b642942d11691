"""The compiled schema check (kg/schemacheck.py) answers as jsonschema does: it may only say
"valid" when jsonschema finds no error, so the record checks keep jsonschema's outcome."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
import yaml

from kg.records.reader import _RecordLoader, _validator, check_schema, schema
from kg.records.schemacheck import Unsupported, compile_schema

REPO = Path(__file__).resolve().parents[1]


def _jsonschema_valid(data) -> bool:
    return next(iter(_validator().iter_errors(data)), None) is None


def _corpus() -> list:
    found = []
    for folder in (REPO / "data" / "records", REPO / "tests" / "bad_inputs"):
        for path in sorted(folder.glob("**/*.yaml")):
            try:
                data = yaml.load(path.read_text("utf-8"), Loader=_RecordLoader)
            except Exception:
                continue
            found.append((path.name, data))
    return found


def test_the_record_schema_compiles():
    compile_schema(schema())


@pytest.mark.parametrize("name, data", _corpus())
def test_same_answer_on_curated_and_bad_records(name, data):
    fast = compile_schema(schema())(data)
    assert fast == _jsonschema_valid(data), name


_ODD_VALUES = [None, "", "x" * 2100, 0, -1, 1.5, 2.0, True, [], {}, ["a"], {"a": 1}, "2021-02-31", 1900, 2200,
               "Bad Key", "ok-key", 1]


def _mutate(rng: random.Random, data):
    """A copy with one value replaced, one key removed or one key added, somewhere inside."""
    data = copy.deepcopy(data)
    node = data
    while True:
        if isinstance(node, dict) and node and rng.random() < 0.7:
            key = rng.choice(list(node))
            if isinstance(node[key], (dict, list)) and node[key] and rng.random() < 0.7:
                node = node[key]
                continue
            action = rng.random()
            if action < 0.6:
                node[key] = copy.deepcopy(rng.choice(_ODD_VALUES))
            elif action < 0.8:
                del node[key]
            else:
                node[rng.choice(["extra", "notes", "quote", "start", "key", "1"])] = copy.deepcopy(rng.choice(_ODD_VALUES))
            return data
        if isinstance(node, list) and node and rng.random() < 0.8:
            i = rng.randrange(len(node))
            if isinstance(node[i], (dict, list)) and rng.random() < 0.7:
                node = node[i]
                continue
            node[i] = copy.deepcopy(rng.choice(_ODD_VALUES))
            return data
        return data


def test_never_valid_where_jsonschema_finds_an_error():
    check = compile_schema(schema())
    rng = random.Random(7)
    bases = [d for _, d in _corpus() if isinstance(d, dict) and _jsonschema_valid(d)]
    assert bases
    agreed = 0
    for _ in range(3000):
        data = _mutate(rng, rng.choice(bases))
        for _ in range(rng.randint(0, 2)):
            data = _mutate(rng, data)
        fast, reference = check(data), _jsonschema_valid(data)
        if fast:
            assert reference, data  # soundness: "valid" here means valid for jsonschema
        agreed += fast == reference
    assert agreed >= 2900  # and it rarely sends a valid record to jsonschema for nothing


def test_problems_still_come_from_jsonschema():
    data = {"record": 1, "id": "Bad Id", "source": {"kind": "article"}, "province": "Hà Tĩnh", "documents": []}
    problems = list(check_schema(data))
    assert [p.path for p in problems] == [("id",)]
    assert "expected a key of lower-case letters, digits and hyphens" in problems[0].message
    assert "một khóa gồm chữ thường" in problems[0].message_vi


@pytest.mark.parametrize("schema_, reason", [
    ({"not": {"type": "string"}}, "not"),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, "overlap"),
    ({"oneOf": [{"minimum": 1}, {"type": "string"}]}, "overlap"),
    ({"$ref": "https://example.com/other.json"}, "$ref"),
])
def test_unknown_or_unsafe_keywords_are_refused(schema_, reason):
    with pytest.raises(Unsupported):
        compile_schema(schema_)
