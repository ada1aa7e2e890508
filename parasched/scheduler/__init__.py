"""The domain: problem data, the week grid, schedules, and the workflows (solve, resolve, check)."""
