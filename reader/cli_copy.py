"""`newsroom copy SRC DEST`: copy a library between backends (folder <-> postgresql://)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_copy_command(sub: Any) -> None:
    copy = sub.add_parser(
        "copy", help="copy a library (articles, extraction, sources, your marks) to another"
    )
    copy.add_argument("src", type=str, metavar="SRC", help="library folder or postgresql:// URL")
    copy.add_argument("dest", type=str, metavar="DEST", help="library folder or postgresql:// URL")


def _where(lib: Any, target: str) -> str:
    return str(getattr(lib, "where", target))


def cmd_copy(args: argparse.Namespace) -> int:
    from index.library import Library, LibraryError, copy_library
    from reader.cli import EXIT_OK, EXIT_USAGE, error, has_library

    src_target = args.src if "://" in args.src else str(Path(args.src).expanduser())
    dest_target = args.dest if "://" in args.dest else str(Path(args.dest).expanduser())
    if not has_library(Path(src_target)):
        error(f"{src_target}: no library here")
        return EXIT_USAGE
    try:
        with Library.open(src_target) as src, Library.open(dest_target, check=False) as dest:
            if _where(src, src_target) == _where(dest, dest_target):
                error("SRC and DEST are the same library")
                return EXIT_USAGE
            report = copy_library(src, dest)
            where = (_where(src, src_target), _where(dest, dest_target))
    except LibraryError as exc:
        error(str(exc))
        return EXIT_USAGE
    print(
        f"copied {report.articles} articles of {report.files} file(s), {report.read} read and "
        f"{report.starred} starred mark(s): {where[0]} -> {where[1]}"
    )
    return EXIT_OK


COPY_COMMANDS = {"copy": cmd_copy}
