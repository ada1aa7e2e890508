"""The domain: problem data, the week grid, schedules, coverage, KPIs, the greedy scheduler and the checker (no solver)."""
