# tui_lib.sh - helpers for the end-to-end tests of the terminal UI.
# Sourced (bash) by tests/e2e/tui*.sh.
#
# The TUI runs inside a detached tmux session on a private tmux server (its
# own socket in a scratch directory, no user config), under a shell, so
# after quitting we see the shell again and the UI's exit status.  Keys go
# in with `tmux send-keys`; the screen comes back with `tmux capture-pane`.
# Every wait polls the screen until a pattern shows up (or is gone) or a
# deadline passes; nothing sleeps for a fixed time to make a check pass.
#
# Exits 77 (skip) when tmux is missing, 99 when the build facts are.

top_builddir=${top_builddir:-.}
if [ ! -f "$top_builddir/tests/test_vars.sh" ]; then
    echo "Bail out! $top_builddir/tests/test_vars.sh not found (run from the build directory)"
    exit 99
fi
. "$top_builddir/tests/test_vars.sh"

if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed"
    exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/interleave-tui.XXXXXX") || exit 99
# a private tmux server whose socket lives (and is removed) with WORK
T="tmux -S $WORK/tmux.sock -f /dev/null"
DEADLINE_S=${TUI_DEADLINE_S:-15}
N=0
FAILED=0
TUI_SESSION=""
TUI_STARTS=0

cleanup() {
    $T kill-server >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

ok() {
    N=$((N + 1))
    echo "ok $N - $1"
}

not_ok() {
    N=$((N + 1))
    FAILED=$((FAILED + 1))
    echo "not ok $N - $1"
    if [ -n "$2" ]; then
        echo "# screen was:"
        printf '%s\n' "$2" | sed 's/^/#   /'
    fi
}

screen() {
    $T capture-pane -p -t "$TUI_SESSION" 2>/dev/null
}

# wait_for REGEX: poll the screen until it matches (extended regex) or the
# deadline passes.  Returns 0 when it matched; SCREEN holds the last capture.
wait_for() {
    local end=$((SECONDS + DEADLINE_S))
    while :; do
        SCREEN=$(screen)
        if printf '%s\n' "$SCREEN" | grep -Eq -- "$1"; then
            return 0
        fi
        if [ $SECONDS -ge $end ]; then
            return 1
        fi
        sleep 0.05 # poll interval, not a wait for the result
    done
}

# wait_gone REGEX1 REGEX2: poll until the screen matches REGEX2 and no
# longer matches REGEX1.
wait_gone() {
    local end=$((SECONDS + DEADLINE_S))
    while :; do
        SCREEN=$(screen)
        if ! printf '%s\n' "$SCREEN" | grep -Eq -- "$1" &&
            printf '%s\n' "$SCREEN" | grep -Eq -- "$2"; then
            return 0
        fi
        if [ $SECONDS -ge $end ]; then
            return 1
        fi
        sleep 0.05 # poll interval
    done
}

# check NAME REGEX: one TAP line from wait_for.
check() {
    if wait_for "$2"; then
        ok "$1"
    else
        not_ok "$1" "$SCREEN"
    fi
}

# check_gone NAME REGEX_GONE REGEX_THERE: one TAP line from wait_gone.
check_gone() {
    if wait_gone "$2" "$3"; then
        ok "$1"
    else
        not_ok "$1" "$SCREEN"
    fi
}

keys() {
    $T send-keys -t "$TUI_SESSION" "$@"
}

# resize COLS ROWS: resize the UI's window.
resize() {
    $T resize-window -t "$TUI_SESSION" -x "$1" -y "$2"
}

# start_tui COLS ROWS ENV ARGS...: start the TUI in a new session of
# COLSxROWS, with environment ENV (assignments, may be empty) and ARGS.
# The new session is made before the old one is killed, so the private
# server never runs out of sessions (and exits) between two tests.
start_tui() {
    local cols=$1 rows=$2 env=$3 old=$TUI_SESSION
    shift 3
    TUI_STARTS=$((TUI_STARTS + 1))
    TUI_SESSION="tui$TUI_STARTS"
    $T new-session -d -s "$TUI_SESSION" -x "$cols" -y "$rows" \
        "env -u NO_COLOR PS1='tui-shell\$ ' sh" || return 1
    $T set-option -t "$TUI_SESSION" status off >/dev/null
    if [ -n "$old" ]; then
        $T kill-session -t "$old" >/dev/null 2>&1
    fi
    keys "INTERLEAVE_LESSON_DIR='$SRCDIR/lessons' XDG_STATE_HOME='$WORK/state'" \
        " LANG=C.UTF-8 $env '$INTERLEAVE' $*; echo tui-exit=\$?" Enter
}
