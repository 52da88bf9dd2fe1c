"""REFI-QDA exchange: the codebook (`.qdc`, in `analysis.codebook`) and the project (`.qdpx`,
in `project`), checked against the standard's schemas (`schema`, with `Codebook.xsd` and
`Project.xsd` beside it; where they come from and their license are in README.md here)."""
