"""reportgen: committee papers on children's social care performance, from data to Word."""

__version__ = "0.1.0"
