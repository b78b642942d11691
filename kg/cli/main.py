"""The `dtkg` command's entry point.

The common question, `dtkg query NAME [key=value…] [-f FMT] [--store DIR]`, is answered here
without importing typer (its import and parsing are ~0.1 s of a cold answer that otherwise takes
~0.2 s); everything else is parsed by typer in kg.cli.commands, imported only then.

Exit codes: 0 fine, 1 the data breaks a rule, 2 the input cannot be read or the command is
misused (unknown query, bad parameter, unreachable endpoint).
"""

from __future__ import annotations

import sys
from pathlib import Path


from kg.cli.common import _check_format, _fresh_store, answer, os_error_line, quiet_stdout


_QUERY_OPTIONS = {"-f": "fmt", "--format": "fmt", "--store": "store", "--lang": "lang"}


def _plain_query(argv: list[str]) -> dict | None:
    """`query NAME [key=value…] [-f FMT|--format[=]FMT] [--store[=]DIR] [--lang[=]LANG] [--iri]` as keyword arguments
    for `query`, or None for anything else (--help, --endpoint, any other or odd-looking option),
    which typer then parses. The common question skips typer's parsing: typer ≥ 0.20 builds a
    pydantic adapter per parameter, ~0.15 s of a cold answer that otherwise takes ~0.25 s. The
    arguments accepted here are exactly those click would parse the same way."""
    if not argv or argv[0] != "query":
        return None
    name, params, options = None, [], {}
    i = 1
    while i < len(argv):
        token = argv[i]
        if token == "--iri":
            options["iri"] = True
        elif token.startswith("-"):
            key, eq, value = token.partition("=")
            if key not in _QUERY_OPTIONS or (eq and not key.startswith("--")):
                return None
            if not eq:
                i += 1
                if i == len(argv):
                    return None
                value = argv[i]
            if not value or value.startswith("-"):
                return None
            options[_QUERY_OPTIONS[key]] = value
        elif name is None:
            name = token
        else:
            params.append(token)
        i += 1
    if name is None:
        return None
    return {"name": name, "params": params or None, "fmt": options.get("fmt", "table"),
            "store": Path(options["store"]) if "store" in options else None, "iri": options.get("iri", False),
            "lang": options.get("lang")}


def main() -> None:
    """Entry point of `dtkg`."""
    plain = _plain_query(sys.argv[1:])
    if plain is None:
        from kg.cli.commands import run
        run()
        return
    from kg.base.errors import DtkgError
    from kg.store.local import select
    try:
        fmt = _check_format(plain["fmt"])
        root, store = _fresh_store(plain["store"])
        sys.stdout.write(answer(root, plain["name"], plain["params"], fmt, lambda text: select(store, text),
                                iri=plain["iri"], lang=plain["lang"]))
        sys.stdout.flush()
    except DtkgError as exc:
        print(f"dtkg: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("dtkg: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        quiet_stdout()
        sys.exit(0)
    except OSError as exc:  # a full disk under standard output
        print(f"dtkg: error: {os_error_line(exc)}", file=sys.stderr)
        quiet_stdout()
        sys.exit(2)
    sys.exit(0)


if __name__ == "__main__":
    main()
