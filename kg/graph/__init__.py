"""Records to RDF: IRIs (iris), the province gazetteer across 2025 (provinces), the mapper from a
checked record to its quads (mapping), the build of the whole graph into the store (build,
including the freshness check that rebuilds), and synthetic records for benchmarks (synth).
May import kg.records, kg.store and kg.base."""
