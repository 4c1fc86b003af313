"""The paper as plain data: words, tables, chart specifications and the template context (pure)."""
