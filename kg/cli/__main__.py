"""`python -m kg.cli`: the dtkg command."""

from kg.cli.main import main

main()
