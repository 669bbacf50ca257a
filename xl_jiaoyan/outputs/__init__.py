"""Describe: computed tables -> output-sheet descriptions (plain data, no I/O)."""
