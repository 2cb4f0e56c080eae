#!/usr/bin/env bash
# Stops, starts or restarts the throwaway cluster that scripts/test.sh made, for tests of reconnection.
#
#   "$BATON_TEST_PG_RESTART" restart|stop|start|status
#
# Reads BATON_TEST_PGDATA, BATON_TEST_PGBIN and BATON_TEST_PGLOG (exported by scripts/test.sh). Runs pg_ctl
# as the owner of the data directory when called as root (the server refuses to run as root). Waits until
# the server is up (start, restart) or down (stop). `stop` is a fast shutdown: clients see their connections
# terminated, as in a real restart.
set -euo pipefail

: "${BATON_TEST_PGDATA:?run under scripts/test.sh (BATON_TEST_PGDATA is not set)}"
: "${BATON_TEST_PGBIN:?run under scripts/test.sh (BATON_TEST_PGBIN is not set)}"
PGLOG="${BATON_TEST_PGLOG:-$BATON_TEST_PGDATA/../server.log}"
action="${1:-restart}"

if [[ $(id -u) -eq 0 ]]; then
    owner="$(stat -c %U "$BATON_TEST_PGDATA")"
    as_pg() { runuser -u "$owner" -- "$@"; }
else
    as_pg() { "$@"; }
fi

pg_ctl=("$BATON_TEST_PGBIN/pg_ctl" -D "$BATON_TEST_PGDATA")
case "$action" in
    # -l again: otherwise the restarted server would write its log to (and hold open) our stdout.
    restart) as_pg "${pg_ctl[@]}" -l "$PGLOG" -m fast -w -t 60 restart >/dev/null ;;
    start)   as_pg "${pg_ctl[@]}" -l "$PGLOG" -w -t 60 start >/dev/null ;;
    stop)    as_pg "${pg_ctl[@]}" -m fast -w -t 60 stop >/dev/null ;;
    status)  as_pg "${pg_ctl[@]}" status ;;
    *) echo "usage: $0 restart|stop|start|status" >&2; exit 2 ;;
esac
