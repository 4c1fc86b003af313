"""The PDF edge: LibreOffice conversion and joining PDFs into agenda packs."""
