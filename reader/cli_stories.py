"""The `newsroom stories`, `story`, `trail` and `actor` commands, and `quotes --json` with trails."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from reader.cli import EXIT_OK, EXIT_USAGE, _print_json, _read_library, error


def add_story_commands(sub: argparse._SubParsersAction) -> None:
    stories = sub.add_parser("stories", help="articles grouped into stories (same event)")
    stories.add_argument("--all", action="store_true", help="single-article stories too")
    stories.add_argument("--json", action="store_true", help="a JSON list")
    story = sub.add_parser("story", help="one story: its articles and what each added")
    story.add_argument("id", metavar="ID")
    story.add_argument("--json", action="store_true", help="one JSON object")
    trail = sub.add_parser("trail", help="one quotation across the library: who carried it, when")
    trail.add_argument("id", metavar="ID")
    trail.add_argument("--json", action="store_true", help="one JSON object")
    actor = sub.add_parser("actor", help="an actor's record: what they said, coverage, associates")
    actor.add_argument("name", nargs="+", metavar="NAME")
    actor.add_argument("--json", action="store_true", help="one JSON object")


def _guarded(args: argparse.Namespace, read: Callable[[Any], Any]) -> tuple[bool, Any]:
    """(ok, value) of `read` on the library; stories errors become one line."""
    from index.library import StoriesError

    failed: list[str] = []

    def run(lib: Any) -> Any:
        seen = len(lib.notices)
        try:
            return read(lib)
        except StoriesError as exc:
            failed.append(str(exc))
            return None
        finally:
            for notice in lib.notices[seen:]:  # a stories file rebuilt while reading
                error(notice)

    value = _read_library(args, run)
    if failed:
        error(failed[0])
        return False, None
    return value is not None or not failed, value


def _day(ts: int | None) -> str:
    if ts is None:
        return "undated"
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%d %b %Y")


def cmd_stories(args: argparse.Namespace) -> int:
    from index.textsafe import one_line

    ok, found = _guarded(args, lambda lib: lib.stories(1 if args.all else 2))
    if not ok or found is None:
        return EXIT_USAGE
    if args.json:
        _print_json([s.to_json() for s in found])
        return EXIT_OK
    if not found:
        print("no stories yet: no two articles cover the same event")
    for s in found:
        outlets = len(s.outlets)
        print(
            f"{s.id}  {_day(s.last)}  {s.size} articles · {outlets} outlet{'s' * (outlets != 1)}"
            f"  {one_line(s.title, 100)}"
        )
    return EXIT_OK


def cmd_story(args: argparse.Namespace) -> int:
    from index.textsafe import one_line

    def read(lib: Any) -> Any:
        detail = lib.story(args.id)
        if detail is None:
            detail = _by_article(lib, args.id)
        return detail if detail is not None else False

    ok, detail = _guarded(args, read)
    if not ok or detail is None:
        return EXIT_USAGE
    if detail is False:
        error(f"{args.id}: no such story (see `newsroom stories`)")
        return EXIT_USAGE
    if args.json:
        _print_json(detail.to_json())
        return EXIT_OK
    s = detail.story
    print(
        f"{one_line(s.title, 200)}\n{s.size} articles · {', '.join(s.outlets) or 'no outlet'}"
        f" · {_day(s.first)} to {_day(s.last)}"
    )
    if s.actors:
        print(f"actors: {', '.join(s.actors)}")
    added = {a.article_id: a for a in detail.added}
    for art in detail.articles:
        when = art.published.strftime("%d %b %Y") if art.published else "undated"
        print(
            f"\n[{art.id}] {when} · {one_line(art.source or '(unknown outlet)', 60)} · "
            f"{one_line(art.title, 120)}"
        )
        add = added.get(art.id)
        if add is None:
            continue
        print(
            f"  added {len(add.sentences)} sentence(s), {len(add.actors)} actor(s), "
            f"{len(add.statements)} statement(s); {len(add.carried)} sentence(s) carried"
        )
        for start, end in add.sentences[:3]:
            print(f"  + {one_line(art.body[start:end], 160)}")
        if add.actors:
            print(f"  new actors: {one_line(', '.join(add.actors), 200)}")
    if detail.quoted:
        print("\nquoted:")
        for speaker, outlets in detail.quoted[:20]:
            print(f"  {one_line(speaker, 50)}: {one_line(', '.join(outlets), 150)}")
    return EXIT_OK


def _by_article(lib: Any, article_id: str) -> Any:
    """`newsroom story ARTICLE-ID` opens the story the article belongs to."""
    sid = lib.story_of(article_id)
    return lib.story(sid) if sid else None


def cmd_trail(args: argparse.Namespace) -> int:
    from index.library import trail_json
    from index.textsafe import one_line

    try:
        trail_id = int(args.id.lstrip("t"))
    except ValueError:
        error(f"{args.id}: a trail id is a number (see `newsroom quotes --json`)")
        return EXIT_USAGE
    ok, trail = _guarded(args, lambda lib: lib.trail(trail_id) or False)
    if not ok or trail is None:
        return EXIT_USAGE
    if trail is False:
        error(f"{args.id}: no such trail")
        return EXIT_USAGE
    if args.json:
        _print_json(trail_json(trail))
        return EXIT_OK
    print(f"“{one_line(trail.text, 300)}”")
    print(
        f"carried by {len(trail.carriers)} article(s), {len(trail.outlets)} outlet(s); first: "
        + (
            f"{trail.first.source or '(unknown outlet)'}, {_day(trail.first.ts)}"
            if trail.first
            else "unknown (no carrier gives its own date)"
        )
    )
    if trail.disagreement:
        print(f"speakers disagree: {', '.join(trail.speakers)}")
    for c in trail.carriers:
        when = _day(c.ts) + (" (inferred)" if c.inferred and c.ts is not None else "")
        print(
            f"  {when} · {one_line(c.source or '(unknown outlet)', 40)} · "
            f"{one_line(c.speaker or '(unattributed)', 40)} · {one_line(c.title, 80)} "
            f"[{c.article_id}]"
        )
    return EXIT_OK


def cmd_actor(args: argparse.Namespace) -> int:
    from index.textsafe import one_line

    name = " ".join(args.name)
    ok, rec = _guarded(args, lambda lib: lib.actor_record(name) or False)
    if not ok or rec is None:
        return EXIT_USAGE
    if rec is False:
        error(f"{name}: no such actor in the library (see `newsroom actors`)")
        return EXIT_USAGE
    if args.json:
        _print_json(rec.to_json())
        return EXIT_OK
    print(f"{rec.name}: named in {rec.articles} article(s), {len(rec.statements)} statement(s)")
    if rec.per_day:
        print(f"mentions per day from {rec.first_day}: {_spark(rec.per_day)}")
    for e in rec.statements:
        more = (
            f" (carried by {e.carriers} articles, first in {e.source or '?'})"
            if e.carriers > 1
            else ""
        )
        print(
            f"  {_day(e.ts)} · {one_line(e.source or '(unknown outlet)', 40)}: "
            f"“{one_line(e.text, 200)}”{more}"
        )
    if rec.associates:
        print("appears with: " + ", ".join(f"{a.name} ({a.together})" for a in rec.associates))
    return EXIT_OK


def _spark(values: tuple[int, ...], width: int = 60) -> str:
    bars = "▁▂▃▄▅▆▇█"
    vals = list(values[-width:])
    top = max(vals) or 1
    return "".join(bars[min(7, v * 7 // top)] if v else " " for v in vals)


def cmd_quotes(args: argparse.Namespace) -> int:
    """`quotes`, with each statement's trail id and citation in the JSON."""
    from reader.cli import cmd_quotes as plain

    if not args.json or (args.limit is not None and args.limit < 1):
        return plain(args)
    from index.library import cite_statement
    from reader.cli_reader import statement_json

    def read(lib: Any) -> Any:
        statements = lib.statements(speaker=args.speaker)[: args.limit]
        try:
            trails = lib.trail_ids({s.article_id for s in statements}) if statements else {}
        except Exception:  # stories unreadable: the quotes still list, without trails
            trails = {}
        meta = {f.id: f for f in lib.feed_items({s.article_id for s in statements})}
        rows = []
        for s in statements:
            m = meta.get(s.article_id)
            row = statement_json(s, m)
            row["trail"] = trails.get((s.article_id, s.start, s.end))
            row["citation"] = cite_statement(
                s.text,
                s.speaker,
                m.source if m else None,
                m.published if m else None,
                m.title if m else "",
            )
            rows.append(row)
        return rows

    rows = _read_library(args, read)
    if rows is None:
        return EXIT_USAGE
    _print_json(rows)
    return EXIT_OK


STORY_COMMANDS = {
    "stories": cmd_stories,
    "story": cmd_story,
    "trail": cmd_trail,
    "actor": cmd_actor,
    "quotes": cmd_quotes,
}
