"""Newsroom's user interfaces: the Textual reader and the `newsroom` CLI."""
