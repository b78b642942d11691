"""The command line: the entry point (main), which answers the common `dtkg query` without loading
typer, the typer commands (commands) and table output (output). Parses arguments and prints; the
logic lives below. May import every other package of kg."""

from kg.cli.main import main

__all__ = ["main"]
