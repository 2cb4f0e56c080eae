#!/usr/bin/env bash
# Runs every Baton test against a throwaway PostgreSQL 15 cluster.
#
#   scripts/test.sh [swift test arguments…]      e.g. scripts/test.sh --filter BatonSchemaTests
#
# How: install what is missing (postgresql, libpq-dev, pkg-config) with apt-get, create a cluster in a fresh
# temporary directory listening on a free loopback port (and a unix socket inside that directory, so two runs
# never share /var/run/postgresql), export where it is, run `swift build` and `swift test`, and always stop and
# delete the cluster on exit, whatever happened. The exit code is swift test's (or the first failing step's).
# Two runs at once are safe: each has its own directory and port; SwiftPM serialises access to .build itself.
#
# Exported to the tests:
#   BATON_TEST_DATABASE_URL  postgresql://postgres@127.0.0.1:PORT/postgres   (superuser, trust on loopback)
#   BATON_TEST_PASSWORD_URL  postgresql://baton_password_test:PASSWORD@127.0.0.1:PORT/postgres
#                            (the only role that must authenticate, with scram-sha-256, so wrong-password
#                            tests have something to fail against)
#   BATON_TEST_PGHOST / BATON_TEST_PGPORT   127.0.0.1 and the port
#   BATON_TEST_PGDATA / BATON_TEST_PGBIN / BATON_TEST_PGLOG   the data directory, the server binaries, the
#                            server log: tests that stop or restart the server use scripts/pg-restart.sh
#   BATON_TEST_PG_RESTART    the absolute path of scripts/pg-restart.sh (`"$BATON_TEST_PG_RESTART" restart`)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGBIN="${BATON_PGBIN:-/usr/lib/postgresql/15/bin}"

log() { printf 'test.sh: %s\n' "$*" >&2; }

# --- 1. Install what is missing (apt-get update only when something is) -----------------------------------
missing=()
[[ -x "$PGBIN/pg_ctl" && -x "$PGBIN/initdb" && -x "$PGBIN/psql" ]] || missing+=(postgresql)
dpkg -s libpq-dev >/dev/null 2>&1 || missing+=(libpq-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        log "missing packages: ${missing[*]}; run as root or install them with apt-get"
        exit 1
    fi
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The Debian package starts its own cluster on port 5432; we neither need nor touch it.
fi

# --- 2. A throwaway cluster ---------------------------------------------------------------------------------
# PostgreSQL refuses to run as root, so as root everything server-side runs as the `postgres` OS user.
if [[ $(id -u) -eq 0 ]]; then
    PGUSER_OS=postgres
    as_pg() { runuser -u "$PGUSER_OS" -- "$@"; }
else
    PGUSER_OS="$(id -un)"
    as_pg() { "$@"; }
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/baton-test-pg.XXXXXX")"
chmod 700 "$WORK"
if [[ $(id -u) -eq 0 ]]; then chown "$PGUSER_OS": "$WORK"; fi
PGDATA="$WORK/data"
PGLOG="$WORK/server.log"

cleanup() {
    local rc=$?
    if [[ -f "$PGDATA/postmaster.pid" ]]; then
        # Immediate: the cluster is thrown away, so there is nothing worth a clean shutdown.
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [[ $rc -ne 0 && -s "$PGLOG" && -z "${BATON_TEST_QUIET_LOG:-}" ]]; then
        log "exit code $rc; last lines of the PostgreSQL log:"
        tail -n 20 "$PGLOG" >&2 || true
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null

# Only the password-test role authenticates; first matching line wins, so it precedes the trust lines.
cat >"$PGDATA/pg_hba.conf" <<HBA
# TYPE  DATABASE  USER                 ADDRESS        METHOD
local   all       all                                 trust
host    all       baton_password_test  127.0.0.1/32   scram-sha-256
host    all       baton_password_test  ::1/128        scram-sha-256
host    all       all                  127.0.0.1/32   trust
host    all       all                  ::1/128        trust
HBA

# A free port: pick one at random that nothing listens on, then let the server's own bind be the final
# judge (another run may take the same port between our check and the start): retry a few times.
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

PORT=""
for attempt in 1 2 3 4 5; do
    candidate="$(free_port)"
    # Test-only settings. fsync/full_page_writes off make the suite fast and are safe because the data is
    # thrown away; they are NOT acceptable for benchmarks (issue 4 measures with synchronous commit on, on
    # a real cluster). synchronous_commit stays on so commit ordering behaves as in production.
    cat >"$PGDATA/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $candidate
unix_socket_directories = '$WORK'
max_connections = 300
fsync = off
full_page_writes = off
password_encryption = 'scram-sha-256'
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
CONF
    chown "$PGUSER_OS": "$PGDATA/postgresql.auto.conf" 2>/dev/null || true
    if as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 start >/dev/null; then
        PORT="$candidate"
        break
    fi
    log "could not start PostgreSQL on port $candidate (attempt $attempt); retrying on another port"
done
[[ -n "$PORT" ]] || { log "PostgreSQL would not start; see the log above"; exit 1; }

PASSWORD="baton-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"   # hex only: safe inside a URL
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
    -c "CREATE ROLE baton_password_test LOGIN PASSWORD '$PASSWORD'" >/dev/null

export BATON_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
export BATON_TEST_PASSWORD_URL="postgresql://baton_password_test:$PASSWORD@127.0.0.1:$PORT/postgres"
export BATON_TEST_PGHOST=127.0.0.1
export BATON_TEST_PGPORT="$PORT"
export BATON_TEST_PGDATA="$PGDATA"
export BATON_TEST_PGBIN="$PGBIN"
export BATON_TEST_PGLOG="$PGLOG"
export BATON_TEST_PG_RESTART="$ROOT/scripts/pg-restart.sh"
log "PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$PORT (data in $PGDATA)"

# --- 3. Build and test --------------------------------------------------------------------------------------
cd "$ROOT"
# One build, in the configuration `swift test` uses (a plain `swift build` first would compile the whole
# package a second time with other settings). It includes the `baton` executable that end-to-end tests run.
swift build --build-tests
set +e
swift test --skip-build "$@"
rc=$?
set -e
exit $rc
