"""`python -m reportgen` runs the command line, as `reportgen` does."""

from reportgen.cli import main

main()
