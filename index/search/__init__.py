"""Searching a library: the query language, dates, the engine, vocabulary, highlights."""
