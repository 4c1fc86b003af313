"""The jobs: check, build, publish, pack and history. Each takes a loaded project and
returns values and bytes; none writes (the store does)."""
