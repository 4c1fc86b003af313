"""The web service (`reportgen serve`): officers write, check, preview and download their
papers in a browser. Django, over reportgen's public API only (never the CLI); the project
folder stays the source of truth, the database holds users, versions, the audit log."""
