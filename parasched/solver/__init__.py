"""The CP-SAT model: variables, one module per constraint family, objective tiers, extraction."""
