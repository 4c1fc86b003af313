"""Reading inputs: YAML, data files, DfE files, snapshots, and loading a project."""
