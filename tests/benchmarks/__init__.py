"""Newsroom's performance benchmark (run with `python -m tests.benchmarks`; not collected by pytest)."""
