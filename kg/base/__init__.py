"""The base every layer stands on: Vietnamese text (NFC, folding), errors with their exit codes,
where the repository and the store are, atomic file writes, and the namespaces and IRIs of the
graph. Imports nothing else of kg."""
