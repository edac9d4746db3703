# lib.sh - helpers for the end-to-end tests (sourced, not run).
#
# Each test script sources this file, declares its plan with `plan N`, and
# reports every check as one TAP line through `ok`/`fail`/`check`.  The
# built binary comes from tests/test_vars.sh in the build directory, so the
# scripts run the real `interleave` exactly as a user or CI would: headless,
# in a scratch directory that is removed on exit.  JSON output is read with
# python3's json module, never with text matching.

top_builddir=${top_builddir:-.}
if [ ! -f "$top_builddir/tests/test_vars.sh" ]; then
    echo "Bail out! $top_builddir/tests/test_vars.sh not found (run from the build directory)"
    exit 99
fi
. "$top_builddir/tests/test_vars.sh"

TAP_N=0
TAP_FAILED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/interleave-e2e.XXXXXX") || exit 99

cleanup() {
    rm -rf "$WORK"
}
trap cleanup EXIT

# Keep progress and config of the runs inside the scratch directory.
XDG_STATE_HOME="$WORK/state"
XDG_CONFIG_HOME="$WORK/config"
export XDG_STATE_HOME XDG_CONFIG_HOME

plan() {
    echo "1..$1"
}

ok() {
    TAP_N=$((TAP_N + 1))
    echo "ok $TAP_N - $1"
}

fail() {
    TAP_N=$((TAP_N + 1))
    TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok $TAP_N - $1"
    shift
    for line in "$@"; do
        printf '%s\n' "$line" | sed 's/^/# /'
    done
}

# check DESCRIPTION COMMAND...: one TAP line, ok when COMMAND succeeds.
check() {
    desc=$1
    shift
    if "$@"; then
        ok "$desc"
    else
        fail "$desc" "command: $*" "exit status: $RC" "stdout:" "$(head -c 2000 "$WORK/out")" \
            "stderr:" "$(head -c 2000 "$WORK/err")"
    fi
}

# il ARGS...: run interleave with stdin from /dev/null; output in
# $WORK/out and $WORK/err, exit status in $RC.  Never fails itself.
il() {
    RC=0
    "$INTERLEAVE" "$@" <"/dev/null" >"$WORK/out" 2>"$WORK/err" || RC=$?
}

# il_in INPUT ARGS...: the same, with INPUT (printf format) on stdin
# through a pipe.
il_in() {
    input=$1
    shift
    RC=0
    # shellcheck disable=SC2059
    printf "$input" | "$INTERLEAVE" "$@" >"$WORK/out" 2>"$WORK/err" || RC=$?
}

# rc_is N: the last run exited with N.
rc_is() {
    [ "$RC" -eq "$1" ]
}

# json EXPR: parse $WORK/out as one JSON object `d` and evaluate the
# Python expression EXPR; true when it is true.
json() {
    "$PYTHON3" - "$WORK/out" "$1" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
ok = eval("(" + sys.argv[2] + ")", {"d": d})
if not ok:
    print("# expression false: " + sys.argv[2])
    print("# " + json.dumps(d)[:1500])
sys.exit(0 if ok else 1)
PY
}

# out_has TEXT / err_has TEXT: fixed-string search in the last output.
out_has() {
    grep -F -q -- "$1" "$WORK/out"
}
err_has() {
    grep -F -q -- "$1" "$WORK/err"
}

# err_one_line: stderr is exactly one line starting with "interleave: ".
err_one_line() {
    [ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q '^interleave: ' "$WORK/err"
}

# done_testing: exit status for the harness (TAP lines decide anyway).
done_testing() {
    [ "$TAP_FAILED" -eq 0 ]
}
