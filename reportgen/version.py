"""reportgen's version, recorded in every manifest and snapshot it writes."""

__version__ = "0.1.0"
