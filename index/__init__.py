"""Newsroom core: parsing, extraction, the Whoosh index and search (no UI code here)."""
