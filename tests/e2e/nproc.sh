#!/bin/sh
# nproc.sh - runs work for an ordinary user who already runs many threads.
#
# Linux's RLIMIT_NPROC counts every thread of the user's processes, not
# processes: a user with a 200-thread program open (a browser, an IDE) must
# still get runs whose lanes start.  The test runs as an unprivileged user
# (root does not meet the limit): as `nobody` through setpriv(1) when it
# runs as root, as the current user otherwise.  A helper process of that
# user holds 300 threads while `interleave run` starts its lanes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

HOLD="$BUILDDIR/tests/hold-threads"
if [ ! -x "$HOLD" ]; then
    echo "1..0 # SKIP tests/hold-threads not built"
    exit 77
fi

AS_USER=""
if [ "$(id -u)" -eq 0 ]; then
    if ! command -v setpriv >/dev/null 2>&1 || ! id nobody >/dev/null 2>&1; then
        echo "1..0 # SKIP running as root without setpriv or user nobody"
        exit 77
    fi
    group=$(id -gn nobody)
    AS_USER="setpriv --reuid=nobody --regid=$group --clear-groups --"
    # the binaries where nobody can reach them, whatever the build tree's modes
    chmod 755 "$WORK"
    cp "$INTERLEAVE" "$WORK/interleave"
    cp "$HOLD" "$WORK/hold-threads"
    chmod 755 "$WORK/interleave" "$WORK/hold-threads"
    INTERLEAVE="$WORK/interleave"
    HOLD="$WORK/hold-threads"
    mkdir -p "$WORK/state"
    chmod 777 "$WORK/state"
fi

plan 5

# as_user CMD...: run CMD as the unprivileged user, HOME in the scratch dir
as_user() {
    # shellcheck disable=SC2086
    $AS_USER env HOME="$WORK/state" XDG_STATE_HOME="$WORK/state" "$@"
}

hold_pid=""
stop_holder() {
    exec 3>&- 2>/dev/null
    if [ -n "$hold_pid" ]; then
        kill "$hold_pid" 2>/dev/null
        wait "$hold_pid" 2>/dev/null
        hold_pid=""
    fi
}
trap 'stop_holder; cleanup' EXIT

mkfifo "$WORK/ctl" "$WORK/ready"
chmod 666 "$WORK/ctl" "$WORK/ready"
as_user "$HOLD" 300 <"$WORK/ctl" >"$WORK/ready" &
hold_pid=$!
exec 3>"$WORK/ctl"
read -r word count <"$WORK/ready"
if [ "$word" = ready ] && [ "$count" = 300 ]; then
    ok "an unprivileged user holds 300 threads"
else
    fail "an unprivileged user holds 300 threads" "helper said: $word $count"
fi

RC=0
as_user "$INTERLEAVE" run race threads=4 iterations=1000 variant=mutex --format json \
    </dev/null >"$WORK/out" 2>"$WORK/err" || RC=$?
check "threads=4 as that user: exit 0, not 'cannot create a lane thread'" rc_is 0
check "threads=4 as that user: completed, nothing lost" json \
    'd["verdict"] == "completed" and d["results"]["lost"] == 0'

RC=0
as_user "$INTERLEAVE" run prodcons producers=16 consumers=16 items=2000 --format json \
    </dev/null >"$WORK/out" 2>"$WORK/err" || RC=$?
check "32 lanes as that user: exit 0" rc_is 0

pid=$hold_pid
stop_holder
check "the helper is gone" sh -c '! kill -0 "$1" 2>/dev/null' sh "$pid"

done_testing
