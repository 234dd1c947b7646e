"""Where a library keeps its data: full-text index, catalog, reader state, writer lock."""
