"""A private PostgreSQL server in a temporary folder (tests, CI and the benchmark): initdb, start, stop."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "newsroom"
PASSWORD = "newsroom-test"  # a throwaway server on 127.0.0.1 only
# The server refuses to run as root; when we are root it runs as the first of these.
RUN_AS = ("postgres", "nobody")


class ServerUnavailable(Exception):
    """No PostgreSQL server binaries here, or no user to run them as: the caller skips."""


def find_bindir() -> Path:
    """The folder of `initdb` and `pg_ctl` (PG_BINDIR, Debian's /usr/lib/postgresql/N/bin, PATH)."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    # The newest installed major version first.
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for c in candidates:
        if (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    raise ServerUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl): install postgresql-15 or set PG_BINDIR"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PrivateServer:
    """One throwaway server: data, socket and log under `root`, listening on 127.0.0.1:`port`."""

    root: Path
    bindir: Path
    port: int = 0
    user: str | None = None  # the OS user the server runs as (None: ourselves)
    name: str = "data"  # its data folder under `root` ("standby" for a replica)

    @property
    def data(self) -> Path:
        return self.root / self.name

    @property
    def sockets(self) -> Path:
        return self.root / "sock"

    @property
    def log(self) -> Path:
        return self.root / ("server.log" if self.name == "data" else f"{self.name}.log")

    def url(self, db: str = "postgres", password: str | None = PASSWORD) -> str:
        auth = f"{SUPERUSER}:{password}" if password is not None else SUPERUSER
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{db}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(
            cmd, capture_output=True, text=True, check=check, cwd=self.root, timeout=120
        )

    def start(self, durable: bool = False, extra: str = "") -> None:
        """initdb and start; `durable` keeps fsync and synchronous commits (benchmarks);
        `extra`: more server options (`-c name=value ...`)."""
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        self.sockets.mkdir()
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            for p in (self.root, pwfile, self.sockets):
                os.chown(p, entry.pw_uid, entry.pw_gid)
        try:
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            )
        except subprocess.CalledProcessError as exc:
            raise ServerUnavailable(f"initdb failed: {exc.stderr.strip()[-300:]}") from exc
        pwfile.unlink()
        self._launch(durable, extra)

    def _launch(self, durable: bool, extra: str = "") -> None:
        """pg_ctl start on a free port (another one when the port was taken meanwhile)."""
        # A test server: durability is the test's to fake, speed is ours to take.
        options = f"-c listen_addresses=127.0.0.1 -k {self.sockets} -c max_connections=60"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            options += " -c shared_buffers=64MB"
        for _attempt in range(5):
            self.port = _free_port()
            done = self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.port} {options} {extra}",
                "start",
                check=False,
            )
            if done.returncode == 0:
                return
            time.sleep(0.2)  # the port was taken between our probe and the server: another one
        raise ServerUnavailable(f"the server did not start: {self.log_tail()}")

    @contextlib.contextmanager
    def standby(self) -> Iterator[PrivateServer]:
        """A hot standby of this server (`pg_basebackup -R`, streaming), stopped after."""
        replica = PrivateServer(self.root, self.bindir, user=self.user, name="standby")
        try:
            self._run(
                str(self.bindir / "pg_basebackup"),
                "-h",
                str(self.sockets),
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-D",
                str(replica.data),
                "-R",
                "-X",
                "stream",
                "--checkpoint=fast",  # not a spread checkpoint: minutes on a busy server
                "--no-sync",
            )
        except subprocess.CalledProcessError as exc:
            raise ServerUnavailable(f"pg_basebackup failed: {exc.stderr.strip()[-300:]}") from exc
        try:
            replica._launch(durable=False, extra="-c hot_standby=on")
            yield replica
        finally:
            replica.stop()

    def log_tail(self) -> str:
        try:
            return " | ".join(self.log.read_text().strip().splitlines()[-5:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.data.is_dir():
            self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "stop",
                check=False,
            )


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in RUN_AS:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise ServerUnavailable(
        "running as root and no unprivileged user (postgres, nobody) to run the server as"
    )


@contextlib.contextmanager
def private_server(
    durable: bool = False, extra: str = "", keep: Path | None = None
) -> Iterator[PrivateServer]:
    """Start a throwaway server (ServerUnavailable when it cannot be), stop and remove it after.

    With `keep` (a benchmark's big database) the server lives in that folder and
    is left there, stopped: the same folder starts it again, data and all.
    """
    bindir = find_bindir()
    user = _run_as()
    # Not under pytest's tmp folders: those are private to root, the server user must enter.
    root = keep if keep is not None else Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
    server = PrivateServer(root, bindir, user=user)
    try:
        if keep is not None and server.data.is_dir():
            server._launch(durable, extra)
        else:
            root.mkdir(parents=True, exist_ok=True)
            server.start(durable, extra)
        yield server
    finally:
        server.stop()
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
