"""Records, the truth: the record format (record.schema.json), reading and normalising a record
file with the line of each problem (reader), the fast schema check (schemacheck), quotes against
their source text (quotes), and the vocabularies' keys with their labels (vocabulary). May import
kg.base only."""
