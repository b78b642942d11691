"""Parameters into SPARQL as RDF terms: a VALUES block built from pyoxigraph terms, never text
pasted from a user. The same bound text runs on the embedded store and on any endpoint."""

from __future__ import annotations

import itertools
import re

from pyoxigraph import Literal, NamedNode

from kg.base.errors import UsageError

Term = NamedNode | Literal

_OUTER_WHERE = re.compile(r"\bWHERE\s*\{")


def bind(text: str, values: dict[str, Term | tuple[Term, ...]]) -> str:
    """The query with a VALUES block of RDF terms at the top of its outer WHERE. The terms are
    serialised by pyoxigraph (N-Triples syntax, escaped), never taken from user text. A tuple
    of terms gives one row per term (the rows are the product over the variables)."""
    if not values:
        return text
    names = " ".join(f"?{n}" for n in values)
    columns = [v if isinstance(v, tuple) else (v,) for v in values.values()]
    for terms in columns:
        for term in terms:
            if not isinstance(term, (NamedNode, Literal)):
                raise TypeError(f"only RDF terms can be bound, not {type(term).__name__}")
    rows = " ".join("(" + " ".join(str(t) for t in row) + ")" for row in itertools.product(*columns))
    offset = 0
    for line in text.splitlines(keepends=True):
        if not line.lstrip().startswith("#"):
            match = _OUTER_WHERE.search(line)
            if match:
                at = offset + match.end()
                return f"{text[:at]}\n  VALUES ({names}) {{ {rows} }}{text[at:]}"
        offset += len(line)
    raise UsageError("stored query has no WHERE { to bind parameters into")
