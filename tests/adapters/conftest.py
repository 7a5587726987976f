"""A real PostgreSQL server for the adapter tests, and a fresh schema for each test.

``postgres_dsn`` (session scope) is, in order of preference:

1. ``ITSM_TEST_POSTGRES_DSN`` when set (a server you run; each test works in its own schema
   and drops it afterwards);
2. a throwaway cluster this fixture starts: ``initdb`` in a temporary directory, run as a
   non-root user (``postgres``, or a system user it creates when the tests run as root), on a
   Unix socket in that directory (no TCP port), with ``fsync`` off, and stopped at the end of
   the session;
3. otherwise the tests skip, saying why (``pytest -rs`` prints it). Under ``CI=true`` a
   missing server is a failure, never a skip: ``.ci/run`` installs the binaries first
   (``scripts/install_postgres.sh``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

ENV_DSN = "ITSM_TEST_POSTGRES_DSN"
SERVICE_USER = "itsm-postgres"  # created only when running as root and `postgres` is absent
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: Settings for a disposable cluster: no durability, little memory, no TCP.
FAST_SETTINGS = """
listen_addresses = ''
unix_socket_directories = '{socket_dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 60
"""


def _unavailable(reason: str) -> NoReturn:
    """Skip locally; fail on CI, where the PostgreSQL tests must run."""
    if ON_CI:
        pytest.fail(f"PostgreSQL tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: on PATH, else Debian's versioned
    /usr/lib/postgresql/N/bin (the newest)."""
    initdb = shutil.which("initdb")
    if initdb is not None and shutil.which("pg_ctl") is not None:
        return Path(initdb).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def _service_account() -> pwd.struct_passwd | None:
    """Who runs the server: nobody special unless we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", SERVICE_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    subprocess.run(  # two pytest-xdist workers may race here: the loser's failure is harmless
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        check=False,
        capture_output=True,
    )
    return pwd.getpwnam(SERVICE_USER)


class Cluster:
    """A throwaway cluster in ``root``: data in ``root/data``, the socket in ``root``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.account = _service_account()
        # In /tmp: a short socket path, and a parent the server's account can traverse.
        self.root = Path(
            tempfile.mkdtemp(prefix="itsm-pg-", dir="/tmp" if Path("/tmp").is_dir() else None)
        )
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        if self.account is not None:
            os.chown(self.root, self.account.pw_uid, self.account.pw_gid)
        self.dsn = f"host={self.root} port=5432 user=itsm dbname=postgres"

    def _run(self, *command: str) -> None:
        as_user: dict[str, Any] = {}
        if self.account is not None:
            as_user = {
                "user": self.account.pw_uid,
                "group": self.account.pw_gid,
                "extra_groups": [],
            }
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env["HOME"] = str(self.root)
        result = subprocess.run(
            [str(self.bindir / command[0]), *command[1:]],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.root,
            check=False,
            **as_user,
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(
                f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}\n{log}"
            )

    def start(self) -> None:
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username=itsm",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(FAST_SETTINGS.format(socket_dir=self.root))
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log), "-w", "start")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "--pgdata", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A connection string to a running PostgreSQL server (see the module docstring)."""
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'itsm-core[postgresql]')")
    if os.environ.get(ENV_DSN):
        yield os.environ[ENV_DSN]
        return
    bindir = find_bindir()
    if bindir is None:
        _unavailable(
            f"no initdb/pg_ctl found and {ENV_DSN} is not set "
            "(install the server: scripts/install_postgres.sh, or apt-get install postgresql)"
        )
    cluster = Cluster(bindir)
    try:
        cluster.start()
        with psycopg.connect(cluster.dsn, autocommit=True) as connection:
            connection.execute("SELECT 1")
    except (OSError, RuntimeError, subprocess.CalledProcessError, psycopg.Error) as exc:
        cluster.stop()
        _unavailable(f"could not start a throwaway cluster with {bindir}: {exc}")
    try:
        yield cluster.dsn
    finally:
        cluster.stop()


@pytest.fixture
def postgres_schema(postgres_dsn: str) -> Iterator[str]:
    """A schema name no other test uses; the schema (if created) is dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"itsm_test_{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
