"""Planning an ingest: walk the given paths and diff them against the catalog."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from index.files import Change, diff, iter_files, resolved, under
from index.records import Problem
from index.storage.catalog import Catalog

LINK_OUT = "skipped: symbolic link to"  # how index.files reports a link out of its folder
LINKS_REPORTED = "links_reported"  # catalog meta: links out of their folder already reported


@dataclass
class Plan:
    """What an ingest has to do: files to parse, files gone, and what it skips."""

    tasks: list[tuple[str, str | None]] = field(default_factory=list)  # (path, old hash)
    gone: list[str] = field(default_factory=list)  # catalogued files to drop
    unchanged: int = 0  # articles of files whose mtime and size did not change
    skipped: list[Problem] = field(default_factory=list)


def plan(
    cat: Catalog,
    paths: list[Path],
    follow_links: bool,
    extra_roots: list[str] | None,
    ids_by_file: dict[str, list[str]],
) -> Plan:
    """Walk `paths`, record them (and `extra_roots`) as sources, and diff against `cat`.

    Files of the catalog that are gone, or no longer under any source (a link
    that left its folder, a file outside that was only reached through one),
    leave the library; a file that cannot be read now keeps what it had.
    """
    out = Plan()
    files: list[Path] = []
    unreadable: set[str] = set()
    reported = set(json.loads(cat.get_meta(LINKS_REPORTED) or "[]"))
    links_out: list[str] = []
    for item in iter_files(paths, follow_links=follow_links):
        if isinstance(item, Problem):
            # An unreadable file keeps what the library had; a link that is
            # no longer followed does not keep the file it led to, and is
            # reported once, not at every ingest of its folder.
            if item.reason.startswith(LINK_OUT):
                links_out.append(item.path)
                if item.path in reported:
                    continue
            else:
                unreadable.add(resolved(item.path))
            out.skipped.append(item)
        else:
            files.append(item)
    roots = [str(p.resolve()) for p in paths if p.exists()]
    with cat.transaction():
        cat.add_sources(roots)
        # Links under the folders walked now, plus those reported elsewhere.
        keep = [r for r in reported if not any(under(r, str(p)) for p in paths)]
        cat.set_meta(LINKS_REPORTED, json.dumps(sorted({*keep, *links_out})))
        if extra_roots:
            cat.add_sources(extra_roots)
    sources = [str(p) for p in cat.sources()]

    known = cat.files()
    seen: set[str] = set()
    for change in diff(files, known, seen):
        if isinstance(change, Change):
            out.tasks.append((change.path, change.old_hash))
        else:
            out.unchanged += len(ids_by_file.get(change, ()))
    out.gone = [
        f
        for f in known
        if f not in seen
        and f not in unreadable
        and (any(under(f, r) for r in roots) or not any(under(f, r) for r in sources))
    ]
    return out
