"""The application layer: what a user asks for (solve, resolve, check...), built from the domain
(`parasched.scheduler`) and the solver (`parasched.solver`). The CLI and the web page call these;
nothing below this package imports it."""
