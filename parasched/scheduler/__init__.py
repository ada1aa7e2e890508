"""The domain: problem data, week grid, schedules, coverage, KPIs, the greedy scheduler, the checker (no solver)."""
