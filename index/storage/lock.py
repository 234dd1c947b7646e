"""The library's single-writer lock (an flock on `writer.lock`) and cleaning up after killed writers."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from index.storage.schema import _storage, has_toc, index_path
from index.storage.whoosh_private import unreferenced_files

LOCK_FILE = "writer.lock"
WRITER_WAIT_S = 5.0  # how long a second writer waits for the first before giving up


class WriterBusy(Exception):
    """Another live process holds the library's writer lock; `holder` says which."""

    def __init__(self, message: str, holder: str = "another process") -> None:
        super().__init__(message)
        self.holder = holder


@dataclass
class WriterLock:
    """An exclusive flock on `writer.lock`, holding the writer's PID for messages.

    flock is released by the kernel when its holder dies, so a kill -9 never
    leaves a stale lock behind; the PID inside is only informative.
    """

    path: Path
    fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.fsync(fd)
        self.fd = fd
        return True

    def holder(self) -> str:
        try:
            pid = self.path.read_text().strip()
        except OSError:
            return "another process"
        return f"process {pid}" if pid.isdigit() else "another process"

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


@contextlib.contextmanager
def writer_lock(library: Path, wait_s: float | None = None) -> Iterator[WriterLock]:
    """Hold the library's single-writer lock, waiting with backoff up to `wait_s`."""
    if wait_s is None:
        wait_s = WRITER_WAIT_S
    lock = WriterLock(library / LOCK_FILE)
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while not lock.try_acquire():
        if time.monotonic() >= deadline:
            holder = lock.holder()
            raise WriterBusy(
                f"{library}: the library is being written by {holder}; "
                f"gave up after {wait_s:g} s, try again when it has finished",
                holder,
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    try:
        clear_stale_whoosh_lock(library)
        yield lock
    finally:
        lock.release()


@contextlib.contextmanager
def try_writer_lock(library: Path) -> Iterator[bool]:
    """The writer lock if it is free right now (True), else nothing (False); never waits."""
    lock = WriterLock(library / LOCK_FILE)
    try:
        got = lock.try_acquire()
    except OSError:  # a read-only library: nobody can write it
        got = False
    try:
        yield got
    finally:
        if got:
            lock.release()


def clear_stale_whoosh_lock(library: Path) -> None:
    """Remove Whoosh's WRITELOCK and temporary folders a killed writer left (we hold the lock)."""
    for temp in index_path(library).glob("*.tmp"):
        if temp.is_dir():
            shutil.rmtree(temp, ignore_errors=True)
    stale = index_path(library) / "MAIN_WRITELOCK"  # whoosh names it <indexname>_WRITELOCK
    if not stale.exists():
        return
    fd = os.open(stale, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return  # held by a live process: leave it alone
    try:
        stale.unlink()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def clean_leftovers(library: Path) -> int:
    """Remove what failed or killed writers left in `whoosh/` (we hold the writer lock).

    Temporary folders, Whoosh's stale lock, and segment files and old TOCs that
    the current TOC does not reference (a full disk stops a writer half way
    through a segment). Returns the number of files and folders removed.
    """
    folder = index_path(library)
    removed = 0
    if not folder.is_dir():
        return 0
    for temp in folder.glob("*.tmp"):
        if temp.is_dir():
            shutil.rmtree(temp, ignore_errors=True)
            removed += 1
    clear_stale_whoosh_lock(library)
    if not has_toc(library):
        return removed
    try:
        ix = _storage(folder).open_index()
        doomed = unreferenced_files(ix, os.listdir(folder))
    except Exception:  # an unreadable TOC: nothing can be told apart, leave it to --rebuild
        return removed
    for name in doomed:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
            removed += 1
    return removed
