"""The `newsroom` command line: the TUI by default, and show/ingest/search/actors/quotes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


def default_library() -> Path:
    """`--library`, else $NEWSROOM_LIBRARY, else the XDG data dir."""
    env = os.environ.get("NEWSROOM_LIBRARY")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsroom" / "library"


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
    return parser


def cmd_show(args: argparse.Namespace) -> int:
    from index.pipeline import load

    skipped = 0
    produced = 0
    for item in load(args.paths):
        if isinstance(item, str):
            skipped += 1
            error(item)
            continue
        produced += 1
        if args.json:
            print(json.dumps(item.to_json(), ensure_ascii=False))
        else:
            from reader.render import article_summary

            print(article_summary(item))
    if produced == 0:
        return EXIT_USAGE
    return EXIT_PARTIAL if skipped else EXIT_OK


def cmd_tui(args: argparse.Namespace) -> int:
    from reader.app import create_app

    app = create_app(library_path=args.library or default_library())
    app.run()
    return EXIT_OK


COMMANDS = {"show": cmd_show}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS.get(args.command, cmd_tui) if args.command else cmd_tui
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `newsroom show ... | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
