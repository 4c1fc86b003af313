"""Pure results: figures, year to date, RAG, direction, ranks and quartiles, changes, records."""
