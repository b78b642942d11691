"""A fast yes/no answer to "does this record satisfy kg/records/record.schema.json?".

jsonschema is the reference and writes the messages, but it costs about 3 ms a record (its `$ref`
resolution and error machinery run even when nothing is wrong): 11 s of a million-triple build.
This module compiles the schema once into plain Python checks that answer only yes or no, in
about 0.1 ms. `kg.records.reader.check_schema` asks it first and runs jsonschema only when the answer
is no, so the problems reported are jsonschema's, always.

Sound by construction: the compiler knows the keywords the record schema uses and raises
`Unsupported` for anything else (then every record goes to jsonschema). Each check is at least
as strict as JSON Schema 2020-12, so "yes" here implies "no errors" from jsonschema; a stricter
"no" (e.g. `1.0` where an integer is expected, which JSON Schema accepts) only costs a jsonschema
run. The one keyword where being stricter could turn into a wrong "yes" is `oneOf` (a branch
wrongly failing could leave exactly one passing), so `oneOf` is compiled only when its branches
accept disjoint JSON types, where a value can pass at most one branch in both implementations.
"""

from __future__ import annotations

import re
from typing import Any, Callable

Check = Callable[[Any], bool]

# Keywords that never change validity (annotations), and `format`, which Draft 2020-12 treats
# as an annotation unless a format checker is given (kg.records.reader gives none).
_ANNOTATIONS = {"$schema", "$id", "title", "description", "default", "examples", "$comment", "format"}

_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: type(v) is str,
    "integer": lambda v: type(v) is int,  # stricter: JSON Schema also accepts 1.0
    "number": lambda v: type(v) in (int, float),
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
}


class Unsupported(Exception):
    """The schema uses something this compiler does not know: fall back to jsonschema."""


def _types_of(schema: dict[str, Any], root: dict[str, Any]) -> set[str] | None:
    """The JSON types a schema can accept, when it says so with `type`/`const`/`enum`."""
    if "$ref" in schema:
        return _types_of(_resolve(schema["$ref"], root), root)
    if "type" in schema:
        t = schema["type"]
        found = set(t) if isinstance(t, list) else {t}
        if "integer" in found:
            found.add("number")
        return found
    return None


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise Unsupported(f"$ref {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _exact_condition(s: Any) -> Any:
    """An `if` is compiled only when its check is exact (here: properties holding a `const`):
    a stricter `if` that wrongly failed would skip its `then` and could turn into a wrong yes."""
    props = s.get("properties", {}) if isinstance(s, dict) else None
    if not isinstance(s, dict) or set(s) - {"properties", "required"} or not props \
            or any(set(sub) != {"const"} or type(sub["const"]) is not str for sub in props.values()):
        raise Unsupported("`if` other than properties with a string const")
    return s


def compile_schema(schema: dict[str, Any]) -> Check:
    """A function value → bool; raises Unsupported for keywords it does not know."""
    cache: dict[str, Check] = {}

    def compile_ref(ref: str) -> Check:
        if ref not in cache:
            cache[ref] = lambda v: compiled(v)  # placeholder for recursive schemas
            compiled = build(_resolve(ref, schema))
            cache[ref] = compiled
        return cache[ref]

    def build(s: Any) -> Check:
        if s is True:
            return lambda v: True
        if s is False:
            return lambda v: False
        if not isinstance(s, dict):
            raise Unsupported(repr(s))
        checks: list[Check] = []
        unknown = set(s) - _ANNOTATIONS - {
            "$ref", "$defs", "type", "const", "enum", "pattern", "minLength", "maxLength", "minimum",
            "maximum", "required", "properties", "additionalProperties", "propertyNames", "items",
            "minItems", "maxItems", "oneOf", "anyOf", "if", "then",
        }
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        if "$ref" in s:
            checks.append(compile_ref(s["$ref"]))
        if "type" in s:
            names = s["type"] if isinstance(s["type"], list) else [s["type"]]
            tests = [_TYPES[n] for n in names]
            checks.append(lambda v, tests=tests: any(t(v) for t in tests))
        if "const" in s:
            c = s["const"]
            checks.append(lambda v, c=c: type(v) is type(c) and v == c)
        if "enum" in s:
            options = list(s["enum"])
            checks.append(lambda v, options=options: any(type(v) is type(o) and v == o for o in options))
        if "pattern" in s:
            search = re.compile(s["pattern"]).search
            checks.append(lambda v, search=search: type(v) is not str or search(v) is not None)
        if "minLength" in s:
            n = s["minLength"]
            checks.append(lambda v, n=n: type(v) is not str or len(v) >= n)
        if "maxLength" in s:
            n = s["maxLength"]
            checks.append(lambda v, n=n: type(v) is not str or len(v) <= n)
        if "minimum" in s:
            n = s["minimum"]
            checks.append(lambda v, n=n: type(v) not in (int, float) or v >= n)
        if "maximum" in s:
            n = s["maximum"]
            checks.append(lambda v, n=n: type(v) not in (int, float) or v <= n)
        if "required" in s:
            names = tuple(s["required"])
            checks.append(lambda v, names=names: type(v) is not dict or all(k in v for k in names))
        if "properties" in s or "additionalProperties" in s:
            props = {k: build(sub) for k, sub in s.get("properties", {}).items()}
            extra = s.get("additionalProperties", True)
            extra_check = None if extra is True else build(extra)

            def check_object(v: Any, props=props, extra_check=extra_check) -> bool:
                if type(v) is not dict:
                    return True
                for k, item in v.items():
                    sub = props.get(k)
                    if sub is not None:
                        if not sub(item):
                            return False
                    elif extra_check is not None and not extra_check(item):
                        return False
                return True
            checks.append(check_object)
        if "propertyNames" in s:
            names_check = build(s["propertyNames"])
            checks.append(lambda v, c=names_check: type(v) is not dict or all(c(k) for k in v))
        if "items" in s:
            item_check = build(s["items"])
            checks.append(lambda v, c=item_check: type(v) is not list or all(c(x) for x in v))
        if "minItems" in s:
            n = s["minItems"]
            checks.append(lambda v, n=n: type(v) is not list or len(v) >= n)
        if "maxItems" in s:
            n = s["maxItems"]
            checks.append(lambda v, n=n: type(v) is not list or len(v) <= n)
        if "anyOf" in s:
            branches = [build(b) for b in s["anyOf"]]
            checks.append(lambda v, bs=branches: any(b(v) for b in bs))
        if "oneOf" in s:
            kinds = [_types_of(b, schema) for b in s["oneOf"]]
            if any(k is None for k in kinds) or sum(len(k) for k in kinds) != len(set().union(*kinds)):  # type: ignore[arg-type]
                raise Unsupported("oneOf with branches that may overlap")
            branches = [build(b) for b in s["oneOf"]]
            checks.append(lambda v, bs=branches: sum(1 for b in bs if b(v)) == 1)
        if "if" in s:
            condition = build(_exact_condition(s["if"]))
            then = build(s.get("then", True))
            checks.append(lambda v, c=condition, t=then: not c(v) or t(v))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return lambda v, checks=tuple(checks): all(c(v) for c in checks)

    return build(schema)
