"""Actor and statement extraction: a pure-Python rule-and-lexicon pipeline."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from index.article import Actor, Article, Statement


def find_statements(body: str, actors: Sequence[Actor]) -> tuple[Statement, ...]:
    """The statements stages: quotes -> sentences -> attribution with coreference."""
    from index.extract.attribution import attribute
    from index.extract.coref import Resolver
    from index.extract.quotes import find_quotes
    from index.extract.sentences import split_sentences

    quotes = find_quotes(body)
    # Closed quotes inside one paragraph are kept whole by the sentence splitter, so a
    # quoted passage of several sentences stays with the sentence that attributes it.
    protected = [(q.start, q.end) for q in quotes if q.closed and "\n" not in body[q.start : q.end]]
    sentences = split_sentences(body, protected)
    resolver = Resolver(body, actors, sentences, [(q.inner_start, q.inner_end) for q in quotes])
    return attribute(body, sentences, quotes, resolver)


def extract(article: Article) -> Article:
    """Return `article` with its actors and statements filled in (pure; never raises)."""
    from index.extract.actors import find_actors

    body = article.body if isinstance(article.body, str) else ""
    try:
        actors = tuple(find_actors(body))
    except Exception:  # a bug in one stage must not cost the reader the article
        actors = ()
    try:
        statements = find_statements(body, actors)
    except Exception:
        statements = ()
    return dataclasses.replace(article, actors=tuple(actors), statements=statements)
