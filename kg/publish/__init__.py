"""Publishing the graph: exports in every RDF format (export), the static linked-data site and the
release (site), and `dtkg serve`, which serves both by content negotiation with SPARQL behind a
checking front (serve). May import kg.queries, kg.graph, kg.store, kg.records and kg.base."""
