"""Measuring tools: percentiles, process-tree memory sampling, timed worker subprocesses."""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces or parentheses: fields start after the last ')'.
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def process_tree(root: int) -> list[int]:
    children = _children_map()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size: shared pages of forked workers counted once overall."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_memory(root: int) -> tuple[int, int, int]:
    """(summed RSS, summed PSS, process count) of `root` and all its descendants."""
    pids = process_tree(root)
    return sum(rss_bytes(p) for p in pids), sum(pss_bytes(p) for p in pids), len(pids)


@dataclass
class TreeSampler:
    """Samples a process tree's memory every `interval` seconds in a thread; keeps the peaks."""

    root: int
    interval: float = 0.2
    peak_rss: int = 0
    peak_pss: int = 0
    peak_processes: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        rss, pss, count = tree_memory(self.root)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_processes = max(self.peak_processes, count)
        self.samples += 1

    def __enter__(self) -> TreeSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


@dataclass(frozen=True)
class WorkerRun:
    """A finished worker subprocess: its JSON answer and what it cost."""

    result: dict
    wall_s: float
    peak_rss_mb: float  # summed over the process tree, sampled every 0.2 s
    peak_pss_mb: float
    peak_processes: int
    max_child_rss_mb: float  # getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest single process
    returncode: int
    stderr_tail: str


class WorkerFailed(RuntimeError):
    """A benchmark worker exited without a JSON answer."""


def run_worker(
    task: str, args: dict, timeout: float | None = None, env: dict[str, str] | None = None
) -> WorkerRun:
    """Run `python -m tests.benchmarks.worker TASK JSON` in a fresh interpreter, sampling memory."""
    command = [sys.executable, "-m", "tests.benchmarks.worker", task, json.dumps(args)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    with TreeSampler(process.pid) as sampler:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            raise WorkerFailed(f"{task}: timed out after {timeout} s; {err[-500:]}") from None
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        # The last lines of a traceback say what went wrong; the rest is noise in a report.
        tail = " | ".join(err.strip().splitlines()[-3:])
        raise WorkerFailed(f"{task}: exit {process.returncode}; {tail}")
    return WorkerRun(
        result=json.loads(lines[-1]),
        wall_s=wall,
        peak_rss_mb=sampler.peak_rss / MB,
        peak_pss_mb=sampler.peak_pss / MB,
        peak_processes=sampler.peak_processes,
        max_child_rss_mb=usage.ru_maxrss / 1024,
        returncode=process.returncode,
        stderr_tail=err.strip()[-500:],
    )


def folder_bytes(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def find_rg() -> str | None:
    """`rg` next to this interpreter (the `ripgrep` wheel installs it there), else on PATH."""
    import shutil

    beside = Path(sys.executable).parent / "rg"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("rg")


def time_rg(rg: str, words: Sequence[str], directory: Path) -> dict[str, float]:
    """Wall milliseconds of `rg -l -i WORD DIR` per word (one warm-up run first)."""
    subprocess.run(
        [rg, "-l", "-i", "warmup", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    timings: dict[str, float] = {}
    for word in words:
        started = time.perf_counter()
        subprocess.run(
            [rg, "-l", "-i", word, str(directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        timings[word] = (time.perf_counter() - started) * 1000
    return timings


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
