"""Reading and writing workbooks (xlsx and csv). Knows nothing of the solver."""
