"""The `newsroom` command line: the TUI by default, and show/ingest/search/actors/quotes."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from index.textsafe import json_line
from reader import cli_jobs, cli_reader

if TYPE_CHECKING:  # the CLI imports these lazily: `newsroom --help` stays fast
    from datetime import datetime

    from rich.console import Console
    from rich.text import Text

    from index.library import Library
    from index.records import IngestReport, SearchResult
    from reader.app import NewsroomApp

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
T = TypeVar("T")


def data_dir() -> Path:
    """Newsroom's folder under the XDG data dir (~/.local/share/newsroom)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsroom"


def default_library() -> Path:
    """The library used without `--library`: $NEWSROOM_LIBRARY, else the config file's,
    else in the data dir."""
    env = os.environ.get("NEWSROOM_LIBRARY")
    if env:
        return Path(env).expanduser()
    return cli_reader.load_config().library or data_dir() / "library"


def error(message: str) -> None:
    """One line on stderr, never a traceback."""
    from index.textsafe import one_line

    print(f"newsroom: {one_line(message, 400)}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsroom",
        description="A terminal newsroom reader: search articles, see who said what.",
    )
    parser.add_argument(
        "--library",
        type=Path,
        default=None,
        help="library folder (default: $NEWSROOM_LIBRARY or ~/.local/share/newsroom/library)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    show = sub.add_parser("show", help="parse article files without a library")
    show.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    show.add_argument("--json", action="store_true", help="one JSON object per article")
    show.add_argument(
        "--explain",
        action="store_true",
        help="for each statement, the rule that made it and the rule that chose its speaker",
    )
    add_library_commands(sub)
    cli_reader.add_reader_commands(sub)
    cli_reader.add_global_options(parser, sub)  # last: --library goes on every subcommand
    from reader.cli_stories import add_story_commands  # stories (issue 12)

    add_story_commands(sub)  # stories (issue 12)
    from reader.cli_copy import add_copy_command  # copy (issue 14)

    add_copy_command(sub)
    return parser


def cmd_show(args: argparse.Namespace) -> int:
    from index.pipeline import load
    from index.records import Problem

    skipped = 0
    produced = 0
    for item in load(args.paths):
        if isinstance(item, (Problem, str)):
            skipped += 1
            error(str(item))
            continue
        produced += 1
        if args.json:
            print(json_line(item.to_json()))
        elif args.explain:
            from reader.explain import explain_lines

            print("\n".join(explain_lines(item)))
        else:
            from reader.render import article_summary

            print(article_summary(item))
    if produced == 0:
        return EXIT_USAGE
    return EXIT_PARTIAL if skipped else EXIT_OK


def has_library(path: Path) -> bool:
    from index.library import is_url  # a postgresql:// URL: the server says (issue 14)

    return is_url(path) or (path / "catalog.sqlite").exists()


def tui_app(args: argparse.Namespace) -> NewsroomApp | None:
    """The reader for `args`, or None (after one error line) when `--library` holds none.

    Only the default library is created on first use, and only a new one gets the
    bundled seeds (demo articles, removable with `newsroom sources --remove`).
    """
    from reader.app import create_app

    path = _library_path(args)
    explicit = args.library is not None
    if explicit and not has_library(path):
        error(f"{path}: no library here; `newsroom --library {path} ingest PATH...` creates one")
        return None
    return create_app(library_path=path, ingest_seeds_if_empty=not has_library(path))


def cmd_tui(args: argparse.Namespace) -> int:
    app = tui_app(args)
    if app is None:
        return EXIT_USAGE
    app.run()
    return EXIT_OK


# --- library commands: ingest, search, actors, quotes ------------------------


def add_library_commands(sub: argparse._SubParsersAction) -> None:
    ingest = sub.add_parser("ingest", help="add files or folders to the library (incremental)")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument(
        "--rebuild", action="store_true", help="rebuild the index from scratch (keeps read/star)"
    )
    ingest.add_argument(
        "--follow-links",
        action="store_true",
        help="follow symbolic links that lead out of the source folders",
    )
    cli_jobs.add_argument(ingest)
    search = sub.add_parser("search", help="search the library (see the query language)")
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="hits to show (20)")
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument("--json", action="store_true", help="one JSON object")
    actors = sub.add_parser("actors", help="people, organizations and places across the library")
    actors.add_argument(
        "--kind", choices=("person", "organization", "country", "place"), default=None
    )
    actors.add_argument("--json", action="store_true", help="a JSON list")
    actors.add_argument("--limit", type=int, default=None, metavar="N", help="at most N actors")
    quotes = sub.add_parser("quotes", help="who said what across the library")
    quotes.add_argument("--speaker", default=None, metavar="NAME", help="any name or alias")
    quotes.add_argument(
        "--json",
        action="store_true",
        help="a JSON list (with each article's title, date and outlet)",
    )
    quotes.add_argument("--limit", type=int, default=None, metavar="N", help="at most N statements")
    sources = sub.add_parser("sources", help="the watched folders and files, with article counts")
    sources.add_argument(
        "--remove",
        type=Path,
        default=None,
        metavar="PATH",
        help="stop watching PATH; its articles leave the library",
    )
    sources.add_argument("--json", action="store_true", help="a JSON list")


def _library_path(args: argparse.Namespace) -> Path:
    return Path(args.library).expanduser() if args.library else default_library()


def _read_library(args: argparse.Namespace, read: Callable[[Any], T]) -> T | None:
    """Run `read` on the existing library; None (after one error line) when it cannot."""
    from index.library import Library, LibraryError

    path = _library_path(args)
    if not has_library(path):
        error(f"{path}: no library here; run `newsroom ingest PATH...` first")
        return None
    try:
        with Library.open(path) as lib:
            for notice in lib.notices:
                error(notice)
            return read(lib)
    except LibraryError as exc:
        error(str(exc))
        return None
    except sqlite3.DatabaseError as exc:  # a catalog damaged where open did not look
        error(f"{path}: the library's catalog is damaged ({exc}); run `newsroom ingest PATH...`")
        return None


def _print_json(obj: object) -> None:
    print(json_line(obj))


def cmd_ingest(args: argparse.Namespace) -> int:
    from index.library import IngestInterrupted, Library, LibraryError

    path = _library_path(args)
    try:
        # check=False: a damaged index or catalog is repaired by the ingest.
        with cli_jobs.limited(args), Library.open(path, check=False) as lib:
            for notice in lib.notices:
                error(notice)
            report = _ingest_with_progress(lib, args.paths, args.rebuild, args.follow_links)
            count, where = lib.count(), getattr(lib, "where", path)  # a URL without its password
    except IngestInterrupted as exc:
        error(str(exc))
        return 130
    except LibraryError as exc:
        error(str(exc))
        return EXIT_USAGE
    for note in report.notes:
        error(note)
    for problem in report.skipped:
        error(str(problem))
    print(
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"removed {report.removed}, skipped {len(report.skipped)} file(s) "
        f"in {report.took_s:.1f} s; the library holds {count} articles ({where})"
    )
    return EXIT_PARTIAL if report.skipped else EXIT_OK


def _ingest_with_progress(
    lib: Library, paths: list[Path], rebuild: bool, follow: bool = False
) -> IngestReport:
    if not sys.stderr.isatty():
        return lib.ingest(paths, rebuild=rebuild, follow_links=follow or None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("ingesting files", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        def phase(name: str) -> None:
            bar.update(task, description=name)

        return lib.ingest(
            paths, progress=progress, rebuild=rebuild, phase=phase, follow_links=follow or None
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def cmd_search(args: argparse.Namespace) -> int:

    query = " ".join(args.query)
    if args.limit < 1:
        error("--limit must be at least 1")
        return EXIT_USAGE
    result = _read_library(args, lambda lib: lib.search(query, limit=args.limit, sort=args.sort))
    if result is None:
        return EXIT_USAGE
    if args.json:
        _print_json(
            {
                "query": result.query,
                "total": result.total,
                "total_exact": result.total_exact,
                "took_ms": result.took_ms,
                "suggestion": result.suggestion,
                "error": result.error,
                "hits": [
                    {
                        "id": h.id,
                        "title": h.title,
                        "published": _iso(h.published),
                        "source": h.source,
                        "score": round(h.score, 4),
                        "snippet": h.snippet,
                        "path": h.path,
                    }
                    for h in result.hits
                ],
            }
        )
        return EXIT_OK
    _print_hits(result)
    return EXIT_OK


def _print_hits(result: SearchResult) -> None:
    from rich.text import Text

    from index.textsafe import one_line, visible
    from reader.render import about

    console = _pipe_console(highlight=False, soft_wrap=True)
    if result.error:
        error(f"query: {result.error}")
    shown = len(result.hits)
    total = f"{result.total:,}" if result.total_exact else f"about {about(result.total):,}"
    console.print(
        Text(
            f"{total} match(es) for {one_line(result.query, 120)}, "
            f"showing {shown} ({result.took_ms:.0f} ms)"
        )
    )
    if result.suggestion:
        console.print(Text(f"did you mean: {one_line(result.suggestion, 120)}", style="yellow"))
    for n, hit in enumerate(result.hits, 1):
        meta = " · ".join(
            x
            for x in (
                hit.published.date().isoformat() if hit.published else None,
                one_line(hit.source, 60) if hit.source else None,
            )
            if x
        )
        # visible() keeps lengths, so the spans still point at the right characters
        title = Text(f"{n:>2}. ")
        title.append(_spanned(visible(hit.title).replace("\n", " "), hit.title_spans, "bold"))
        if meta:
            title.append(f"  ({meta})", style="dim")
        console.print(title)
        console.print(Text("    ").append(_spanned(visible(hit.snippet), hit.snippet_spans)))
        console.print(Text(f"    {one_line(hit.path, 200)}  [{hit.id}]", style="dim"))


def _pipe_console(**kwargs: Any) -> Console:
    """A Rich console whose closed pipe is the BrokenPipeError `main` handles (Rich exits 1)."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return PipeConsole(**kwargs)


def _spanned(text: str, spans: Sequence[tuple[int, int]], base: str = "") -> Text:
    from rich.text import Text

    out = Text(text, style=base)
    for start, end in spans:
        out.stylize("bold reverse", start, end)
    return out


def cmd_actors(args: argparse.Namespace) -> int:
    from index.textsafe import one_line

    if args.limit is not None and args.limit < 1:
        error("--limit must be at least 1")
        return EXIT_USAGE
    actors = _read_library(args, lambda lib: lib.actors(kind=args.kind))
    if actors is None:
        return EXIT_USAGE
    actors = actors[: args.limit]
    if args.json:
        _print_json([asdict(a) for a in actors])
        return EXIT_OK
    for a in actors:
        aka = f"  aka {one_line(', '.join(a.aliases), 120)}" if a.aliases else ""
        print(
            f"{one_line(a.name, 60)} ({a.kind}): {a.mentions} mention(s) "
            f"in {len(a.article_ids)} article(s){aka}"
        )
    return EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:
    from index.textsafe import one_line

    if args.limit is not None and args.limit < 1:
        error("--limit must be at least 1")
        return EXIT_USAGE
    found = _read_library(args, lambda lib: cli_reader.quoted(lib, args.speaker, args.limit))
    if found is None:
        return EXIT_USAGE
    statements, items = found[0][: args.limit], found[1]
    if args.json:
        _print_json([cli_reader.statement_json(s, items.get(s.article_id)) for s in statements])
        return EXIT_OK
    for s in statements:
        who = one_line(s.speaker, 60) if s.speaker else "(unattributed)"
        mark = "“{}”" if s.kind == "direct" else "{}"
        print(f"{who}: {mark.format(one_line(s.text, 300))}  [{s.article_id}]")
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    from index.textsafe import one_line
    from reader.bundled import seeds_path

    if args.remove is not None:
        removed = _read_library(args, lambda lib: lib.remove_source(args.remove))
        if removed is None:
            return EXIT_USAGE
        print(f"removed {one_line(str(args.remove), 200)}: {removed} article(s) left the library")
        return EXIT_OK
    listing = _read_library(args, lambda lib: lib.source_counts())
    if listing is None:
        return EXIT_USAGE
    seeds = seeds_path().resolve()
    if args.json:
        _print_json(
            [
                {
                    "path": str(path),
                    "articles": count,
                    "exists": path.exists(),
                    "bundled_seeds": path == seeds,
                }
                for path, count in listing
            ]
        )
        return EXIT_OK
    if not listing:
        print("no sources yet: `newsroom ingest PATH...` adds one")
    for path, count in listing:
        notes = [
            n
            for n, on in (
                ("missing", not path.exists()),
                ("the bundled demo articles", path == seeds),
            )
            if on
        ]
        note = f"  ({', '.join(notes)})" if notes else ""
        print(f"{one_line(str(path), 200)}: {count} article(s){note}")
    return EXIT_OK


COMMANDS = {
    "show": cmd_show,
    "ingest": cmd_ingest,
    "search": cmd_search,
    "actors": cmd_actors,
    "quotes": cmd_quotes,
    "sources": cmd_sources,
    "config": cli_reader.cmd_config,
    "article": cli_reader.cmd_article,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from reader.cli_copy import COPY_COMMANDS  # copy (issue 14)
    from reader.cli_stories import STORY_COMMANDS  # stories (issue 12)

    handler = (
        {**COMMANDS, **STORY_COMMANDS, **COPY_COMMANDS}.get(args.command, cmd_tui)
        if args.command
        else cmd_tui
    )
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `newsroom search ... | head` closes the pipe early; that is not an error. Later
        # writes (the interpreter's own flush at exit) go to /dev/null instead of failing.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
