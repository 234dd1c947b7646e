"""`newsroom ingest --jobs N`: the option, and the bound it puts on the ingest's parse workers."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        default=None,
        metavar="N",
        help="parse with at most N processes (default: `jobs` in the config, else one per core)",
    )


@contextmanager
def limited(args: argparse.Namespace) -> Iterator[None]:
    """Bound the ingests inside by `--jobs`, else the `jobs` setting; LibraryError when bad."""
    from index.library import LibraryError
    from index.library import parse_jobs as jobs
    from reader import cli_reader

    value = args.jobs if args.jobs is not None else cli_reader.load_config().get("jobs")
    try:
        n = jobs.check(value)
    except ValueError as exc:
        raise LibraryError(f"--jobs: {exc}") from None
    with jobs.limited(n):
        yield
