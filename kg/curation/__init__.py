"""Curation workflows that change data/: add and remove records as all-or-nothing steps (add:
read the record, map it, validate it, then commit to the store and data/records).
May import kg.validation, kg.graph, kg.store, kg.records and kg.base."""
