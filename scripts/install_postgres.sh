#!/usr/bin/env bash
# Make sure the PostgreSQL server binaries (initdb, pg_ctl) are on this machine, installing them
# from the distribution's packages when they are missing. The adapter tests start and stop
# their own throwaway cluster with them (tests/adapters/conftest.py); nothing is started here.
set -euo pipefail

found() {
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if found; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install_postgres.sh: no PostgreSQL server binaries, and no root apt-get to install" \
         "them: install the 'postgresql' package (or set ITSM_TEST_POSTGRES_DSN)" >&2
    exit 1
fi
echo "install_postgres.sh: installing PostgreSQL from the distribution's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
found
