"""The kit pipeline: spec -> disclosure control -> CSV/Parquet -> Frictionless package -> zip."""
