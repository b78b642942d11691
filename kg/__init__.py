"""dtkg: a knowledge graph of Vietnam's provincial digital-transformation directives."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("dtkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
