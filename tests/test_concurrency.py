"""Several processes on one library: two ingests and a reader at once, reader state from two users."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from index.ingest.worker import POOL_MIN_FILES
from index.library import Library
from tests.test_crash import write_corpus

ROOT = Path(__file__).resolve().parent.parent
# Enough files that each writer parses in worker processes (more would only cost time).
N = max(50, POOL_MIN_FILES)

WRITER = """
import sys
from pathlib import Path
from index.storage import lock
from index.library import Library
lock.WRITER_WAIT_S = 120  # this test is about both finishing, not about giving up
lib = Library.open(sys.argv[1])
report = lib.ingest([Path(sys.argv[2])])
for aid in [f.id for f in lib.feed()][:5]:
    lib.set_starred(aid, True)
print(report.added, flush=True)
"""

READER = """
import json, sys, time
from pathlib import Path
from index.library import Library
lib = Library.open(sys.argv[1])
stop = Path(sys.argv[2])
counts, marked = [], set()
while not stop.exists():
    lib.refresh()
    result = lib.search("council OR harbour")
    counts.append(lib.count())
    for hit in result.hits[:3]:
        lib.set_read(hit.id)
        marked.add(hit.id)
    time.sleep(0.05)
lib.refresh()
counts.append(lib.count())
print(json.dumps({"counts": counts, "marked": sorted(marked),
                  "total": lib.search("council OR harbour").total}), flush=True)
"""


def test_two_writers_and_a_reader(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_corpus(a, 0, N)
    write_corpus(b, N, N)
    lib = tmp_path / "lib"
    Library.open(lib).close()
    stop = tmp_path / "stop"

    def spawn(code: str, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    reader = spawn(READER, str(lib), str(stop))
    writers = [spawn(WRITER, str(lib), str(a)), spawn(WRITER, str(lib), str(b))]
    try:
        outs = [w.communicate(timeout=180) for w in writers]
    finally:
        stop.touch()
    out, err = reader.communicate(timeout=60)
    for (w_out, w_err), w in zip(outs, writers, strict=True):
        assert w.returncode == 0, w_err
        assert int(w_out) == N
    assert reader.returncode == 0, err
    seen = json.loads(out)

    # the reader never failed, saw the library grow and never shrink, ended with all 2N
    assert seen["counts"] == sorted(seen["counts"])
    assert seen["counts"][-1] == 2 * N
    # each generated article draws 320 words from 22, so it holds one of the two
    assert seen["total"] == 2 * N
    with Library.open(lib) as final:
        assert final.count() == 2 * N
        assert final._get_searcher().doc_count() == 2 * N
        # reader state written by three processes survives
        assert set(seen["marked"]) <= final.read_ids()
        assert len(final.starred_ids()) >= 5
