"""From paths to articles: walk folders, parse and extract each file, infer years over a batch."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from index.files import iter_files
from index.parse import ParseError, infer_years, parse_file
from index.records import Article, Problem

# Real articles are far shorter; past this, extraction (rule passes over every sentence)
# would make one pathological file stall a whole ingest.
EXTRACT_LIMIT = 100_000


def process_file(path: str) -> tuple[list[Article], list[Problem]]:
    """Parse and extract one file; never raises (a top-level function, for process pools)."""
    from index.extract import extract_noted

    problems: list[Problem] = []
    try:
        parsed = parse_file(Path(path))
    except ParseError as exc:
        return [], [Problem(path, str(exc))]
    except RecursionError:
        return [], [Problem(path, "file is nested too deeply to parse")]
    except MemoryError:
        return [], [Problem(path, "file is too large to parse")]
    except Exception as exc:  # a parser bug must not stop the run
        detail = " ".join(str(exc).split())[:200]
        return [], [Problem(path, f"could not parse ({type(exc).__name__}: {detail})")]
    problems.extend(Problem(path, note) for note in parsed.problems)
    articles: list[Article] = []
    for article in parsed.articles:
        try:
            done, notes = _extract(article, extract_noted)
            articles.append(done)
        except Exception as exc:  # keep the article, unextracted
            articles.append(article)
            detail = " ".join(str(exc).split())[:200]
            problems.append(
                Problem(path, f"actors/quotes not extracted ({type(exc).__name__}: {detail})")
            )
        else:
            # the work budget's cuts, named once per article
            problems.extend(Problem(path, f"{_label(article)}{note}") for note in notes)
            if len(article.body) > EXTRACT_LIMIT:
                problems.append(
                    Problem(
                        path,
                        f"article is {len(article.body):,} characters; actors and quotes were "
                        f"looked for in the first {EXTRACT_LIMIT:,} only",
                    )
                )
    return articles, problems


def _label(article: Article) -> str:
    """`article "Title": ` for a file of several articles (a feed), else nothing."""
    if "#" not in article.path:
        return ""
    title = " ".join(article.title.split())
    return f'article "{title[:60]}": ' if title else ""


def _extract(
    article: Article, extract: Callable[[Article], tuple[Article, list[str]]]
) -> tuple[Article, list[str]]:
    """Extract on at most EXTRACT_LIMIT characters; offsets into a prefix stay valid."""
    if len(article.body) <= EXTRACT_LIMIT:
        return extract(article)
    cut = article.body.rfind("\n\n", 0, EXTRACT_LIMIT)
    cut = cut if cut > EXTRACT_LIMIT // 2 else EXTRACT_LIMIT
    done, notes = extract(dataclasses.replace(article, body=article.body[:cut]))
    return dataclasses.replace(done, body=article.body), notes


def load(paths: Iterable[Path | str]) -> Iterator[Article | Problem]:
    """Every article and problem under `paths`, in argument order, years inferred over the batch."""
    items: list[Article | Problem] = []
    for found in iter_files(paths):
        if isinstance(found, Problem):
            items.append(found)
            continue
        articles, problems = process_file(str(found))
        items.extend(articles)
        items.extend(problems)
    articles = [item for item in items if isinstance(item, Article)]
    fixed = iter(infer_years(articles))
    for item in items:
        yield next(fixed) if isinstance(item, Article) else item
