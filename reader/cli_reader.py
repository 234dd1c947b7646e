"""The CLI's reader-side extras: --version, help text, `config`, `article`, text of one article."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from index.textsafe import json_line, visible

EPILOG = """\
Plain `newsroom` (no command) opens the reader on the library.

query examples (the reader's search box and `newsroom search`):
  aleppo offensive                  both words (stemmed)
  "special envoy"                   the exact phrase
  hama OR idlib   -russia           either word; without a word
  actor:"Geir Pedersen"             articles naming an actor (person: org: place:)
  speaker:Pedersen  quote:terrorist quoted actor; words inside statements
  source:xinhua  title:rebels       by source; in the title only
  date:2024-12-01..2024-12-05       a range; date:>2024-12-01, date:"last 7 days"

settings: `newsroom config` shows the config file and the effective values."""


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("newsroom")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def add_global_options(parser: argparse.ArgumentParser, sub: Any) -> None:
    """--version, the help epilog, and `--library` accepted after any subcommand too."""
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--version", action="version", version=f"newsroom {version()}")
    for command in sub.choices.values():
        # SUPPRESS: without the flag here, the one given before the command stays.
        command.add_argument(
            "--library", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )


def add_reader_commands(sub: Any) -> None:
    config = sub.add_parser("config", help="the config file's path and the effective settings")
    config.add_argument("--json", action="store_true", help="one JSON object")
    article = sub.add_parser("article", help="print one article: text, fields, actors, statements")
    article.add_argument("id", metavar="ID", help="an article id (see `search --json`)")
    article.add_argument("--json", action="store_true", help="one JSON object")


def load_config(args: argparse.Namespace | None = None) -> Any:
    from index.library import load_config as load

    library = getattr(args, "library", None) if args is not None else None
    return load(flags={"library": str(library) if library else None})


def cmd_config(args: argparse.Namespace) -> int:
    from index.library import describe
    from reader.cli import EXIT_OK, default_library, error

    config = load_config(args)
    for problem in config.errors:
        error(problem)
    values = dict(config.values)
    if not values.get("library"):
        values["library"] = str(default_library())
    if args.json:
        print(
            json_line(
                {
                    "path": str(config.path),
                    "exists": config.path.exists(),
                    "settings": {
                        k: {"value": v, "origin": config.origins.get(k, "default")}
                        for k, v in values.items()
                    },
                    "keys": {
                        k: {"keys": v, "origin": config.keys_origin.get(k, "file")}
                        for k, v in config.keys.items()
                    },
                    "errors": list(config.errors),
                }
            )
        )
        return EXIT_OK
    from dataclasses import replace

    for line in describe(replace(config, values=values)):
        print(visible(line))
    return EXIT_OK


def article_text(article: Any) -> str:
    """The whole article as plain text: title, fields, body, actors, statements."""
    from index.textsafe import one_line
    from reader.render import published_label

    title = one_line(article.title, 300) or "(untitled)"
    lines = [title, "=" * min(len(title), 80)]
    for label, value in (
        ("date", published_label(article)),
        ("source", article.source),
        ("byline", article.byline),
        ("dateline", article.dateline),
        ("file", article.path),
        ("id", article.id),
    ):
        if value:
            lines.append(f"{label}: {one_line(str(value), 300)}")
    lines += ["", visible(article.body).rstrip(), ""]
    if article.actors:
        lines.append("actors:")
        for actor in sorted(article.actors, key=lambda a: (-len(a.mentions), a.name)):
            lines.append(f"  {one_line(actor.name, 80)} ({actor.kind}) ×{len(actor.mentions)}")
    if article.statements:
        lines.append("statements:")
        for s in article.statements:
            who = one_line(s.speaker, 60) if s.speaker else "(unattributed)"
            text = one_line(s.text, 400)
            lines.append(f"  {who}: " + (f"“{text}”" if s.kind == "direct" else text))
    return "\n".join(lines)


def cmd_article(args: argparse.Namespace) -> int:
    from reader.cli import EXIT_OK, EXIT_USAGE, _read_library, error

    def read(lib: Any) -> Any:
        try:
            return lib.article(args.id)
        except KeyError:
            return KeyError(args.id)

    article = _read_library(args, read)
    if article is None:
        return EXIT_USAGE
    if isinstance(article, KeyError):
        error(
            f"{args.id}: no article with this id in the library (ids: `newsroom search "
            "--json QUERY`)"
        )
        return EXIT_USAGE
    if args.json:
        print(json_line(article.to_json()))
    else:
        sys.stdout.write(article_text(article) + "\n")
    return EXIT_OK


def quoted(lib: Any, speaker: str | None, limit: int | None) -> tuple[list[Any], dict[str, Any]]:
    """`quotes`: the statements, and the feed items of the first `limit` statements'
    articles only (never the whole feed: issue 14)."""
    statements = lib.statements(speaker=speaker)
    wanted = {s.article_id for s in statements[:limit]}
    return statements, {item.id: item for item in lib.feed_items(wanted)}


def statement_json(statement: Any, item: Any) -> dict[str, Any]:
    """A library statement with its article's title, date and outlet (for `quotes --json`)."""
    from dataclasses import asdict

    out = asdict(statement)
    out["article_title"] = item.title if item is not None else None
    out["article_published"] = (
        item.published.isoformat() if item is not None and item.published else None
    )
    out["article_source"] = item.source if item is not None else None
    return out
