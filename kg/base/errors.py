"""Errors a person can act on. Each carries a stable code and the exit status the CLI uses:
1 when the data breaks a rule, 2 when the input cannot be read or the command is misused."""

from __future__ import annotations


class DtkgError(Exception):
    """Base class; `where` is a file, file:line or node, `str()` is the one-line message."""

    code = "DTKG000"
    exit_code = 2

    def __init__(self, message: str, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(DtkgError):
    """The command was called wrongly (unknown query, missing parameter, bad option)."""

    code = "DTKG001"


class InputError(DtkgError):
    """A file cannot be read or parsed (not YAML, wrong encoding, RDF syntax error)."""

    code = "DTKG002"


class EndpointError(DtkgError):
    """A remote SPARQL endpoint is down, slow, or answered something that is not SPARQL."""

    code = "DTKG003"


class RecordError(DtkgError):
    """A record is readable but breaks the record format or a rule."""

    code = "DTKG010"
    exit_code = 1


def one_line(text: str, limit: int = 300) -> str:
    """A library's message (RocksDB's, a parser's) folded onto one line, cut at `limit`."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
