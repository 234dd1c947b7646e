"""Actor and statement extraction: a pure-Python rule-and-lexicon pipeline."""

from __future__ import annotations

from collections.abc import Sequence

from index.extract.frozen import build
from index.records import Actor, Article, Statement


def find_statements(body: str, actors: Sequence[Actor]) -> tuple[Statement, ...]:
    """The statements stages: quotes -> sentences -> attribution with coreference."""
    return find_statements_noted(body, actors)[0]


def find_statements_noted(
    body: str, actors: Sequence[Actor]
) -> tuple[tuple[Statement, ...], list[str]]:
    """`find_statements` within the work budget, with a line for each cut it made."""
    from index.extract import budget
    from index.extract.attribution import attribute
    from index.extract.coref import Resolver
    from index.extract.quotes import find_quotes
    from index.extract.sentences import split_sentences

    notes: list[str] = []
    text = body
    cut = budget.mark_cut(body)
    if cut is not None:
        text = budget.mask(body, [(cut, len(body))])
        notes.append(
            f"more than {budget.MAX_QUOTE_MARKS:,} quote marks; statements looked for "
            f"in the first {cut:,} characters only"
        )
    for attempt in range(3):  # again after blanking what the budget leaves out
        quotes = find_quotes(text)
        # Closed quotes inside one paragraph are kept whole by the sentence splitter, so a
        # quoted passage of several sentences stays with the sentence that attributes it.
        protected = [
            (q.start, q.end) for q in quotes if q.closed and "\n" not in text[q.start : q.end]
        ]
        sentences = split_sentences(text, protected)
        left_out, reason = budget.over_budget(sentences)
        if not left_out:
            break
        if attempt == 2:
            sentences = [s for s in sentences if s not in set(left_out)]
            break
        text = budget.mask(text, left_out)
        if reason and reason not in notes:
            notes.append(reason)
    resolver = Resolver(text, actors, sentences, [(q.inner_start, q.inner_end) for q in quotes])
    statements, reason = budget.cap_statements(body, attribute(text, sentences, quotes, resolver))
    if reason:
        notes.append(reason)
    return statements, notes


def extract(article: Article) -> Article:
    """Return `article` with its actors and statements filled in (pure; never raises)."""
    return extract_noted(article)[0]


def extract_noted(article: Article) -> tuple[Article, list[str]]:
    """`extract`, plus one line for each budget cut (the ingest report names the article)."""
    from index.extract.actors import find_actors

    body = article.body if isinstance(article.body, str) else ""
    notes: list[str] = []
    try:
        actors = tuple(find_actors(body))
    except Exception:  # a bug in one stage must not cost the reader the article
        actors = ()
    try:
        statements, notes = find_statements_noted(body, actors)
    except Exception:
        statements = ()
    # (`dataclasses.replace` with a dict update: it reads the class's fields and calls the
    # generated `__init__`, a setattr per field, for two fields changed)
    fields = dict(article.__dict__)
    fields["actors"] = tuple(actors)
    fields["statements"] = statements
    return build(type(article), **fields), notes
