"""`python -m reportgen.cli`: the `reportgen` command."""

from reportgen.cli import main

main()
