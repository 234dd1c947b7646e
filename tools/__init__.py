"""Maintenance scripts: lexicon builders and the size check of `make lint`."""
