"""Validation: SHACL on an entry with the part of the graph it touches, or on the whole graph, by
the shapes compiled to SPARQL (sparql_engine, the default) or by pySHACL (the reference); reports
in one line per finding, each placed on its record's line (checks, incremental).
May import kg.graph, kg.store, kg.records and kg.base."""
