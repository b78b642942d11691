"""Where the graph lives: the embedded Oxigraph store (local: open, bulk-load, swap, freshness
fingerprint, SPARQL with bound parameters) and remote SPARQL 1.1 endpoints (endpoint: query,
update, push by the Graph Store Protocol). It neither builds nor maps: what rebuilds a stale store
sits above it, in kg.graph. May import kg.base only."""
