"""dtkg: a knowledge graph of Vietnam's provincial digital-transformation directives."""

# The one place the version is written (pyproject.toml reads it from here). A literal rather than
# importlib.metadata, whose import costs ~50 ms of every cold `dtkg query`.
__version__ = "0.2.0"
