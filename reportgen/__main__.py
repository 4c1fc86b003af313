"""`python -m reportgen` runs the command line, as `reportgen` does."""

from reportgen.cli import main

if __name__ == "__main__":  # not again in a worker process that imports this module
    main()
