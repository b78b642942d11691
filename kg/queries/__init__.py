"""Questions: the stored-query catalogue (queries/*.rq with their #+ headers), parameters resolved
to RDF terms and bound, never spliced (catalogue), and counts of the graph (stats).
May import kg.graph, kg.store, kg.records and kg.base."""
