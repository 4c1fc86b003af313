"""The public API's implementation: `Workspace` (api.workspace) and its parts, the value
types its methods return (api.results), and checks of files outside any project
(api.files). Callers import these from `reportgen` itself, which lists every name."""
