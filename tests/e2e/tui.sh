#!/bin/bash
# tui.sh - drive the real terminal UI in tmux and read its screen.
#
# The TUI runs inside a detached tmux session on a private tmux server
# (its own socket, no user config), under a shell, so after quitting we
# can see the shell again and the UI's exit status.  Keys go in with
# `tmux send-keys`; the screen comes back with `tmux capture-pane -p`.
# Every wait polls the screen until a pattern shows up or a deadline
# passes; nothing sleeps for a fixed time to make a check pass.
#
# Checks: the race lesson opens; the parameters dialog sets 2 threads,
# 1 iteration, unsafe; step mode builds the lost update with the keys
# A B A B A B (counter 1, 1 lost, the schedule on screen); undo goes back
# exactly one step; q restores the terminal (the shell prints the exit
# status); a pane of 60x20 shows the "larger" notice and 100x30 brings
# the layout back; --max-ticks ends the UI by itself with status 0.
#
# Exit 77 (skip) when tmux is missing.

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
    $T capture-pane -p -t tui 2>/dev/null
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

# check NAME REGEX: one TAP line from wait_for.
check() {
    if wait_for "$2"; then
        ok "$1"
    else
        not_ok "$1" "$SCREEN"
    fi
}

keys() {
    $T send-keys -t tui "$@"
}

# start the TUI in a fresh session of COLSxROWS, with extra arguments
start_tui() {
    local cols=$1 rows=$2
    shift 2
    $T kill-session -t tui >/dev/null 2>&1
    $T new-session -d -s tui -x "$cols" -y "$rows" \
        "env -u NO_COLOR PS1='tui-shell\$ ' sh" || return 1
    $T set-option -t tui status off >/dev/null
    keys "INTERLEAVE_LESSON_DIR='$SRCDIR/lessons' XDG_STATE_HOME='$WORK/state'" \
        " LANG=C.UTF-8 '$INTERLEAVE' $*; echo tui-exit=\$?" Enter
}

echo "1..15"

# --- the lost update, by hand ------------------------------------------
start_tui 100 30 --lesson race
check "the race lesson opens" "Race conditions"

keys e
check "the parameters dialog opens" "parameters of race"
keys 2 Down 1 Down u Enter
check "parameters set: 2 threads, 1 iteration, unsafe" \
    "threads=2 iterations=1 variant=unsafe"

keys m
check "step mode is on" "STEP MODE"
keys a
check "a lower-case lane letter says lanes are capital letters" "lanes are capital letters"

for lane in A B A B A B; do
    keys "$lane"
done
check "the schedule line shows A B A B A B" "schedule: A B A B A B( |$)"
check "the counter ends at 1" "counter = 1( |$)"
check "one update is lost" "lost 1( |$)"

keys u
check "undo: the schedule is A B A B A" "schedule: A B A B A +step 5"
check "undo: lane B is ready and its next step is the store" \
    " B +ready +reg=1 +(→|>) store counter"

keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

# --- resizing ------------------------------------------------------------
start_tui 100 30
check "the lesson browser lists the race lesson" "Race conditions"
$T resize-window -t tui -x 60 -y 20
check "at 60x20 the UI asks for a larger window" "make the window larger"
$T resize-window -t tui -x 100 -y 30
check "back at 100x30 the browser layout returns" "choose a lesson"
keys q
wait_for "tui-exit=0" || not_ok "quit after resizing" "$SCREEN"

# --- smoke: --max-ticks ----------------------------------------------------
start_tui 100 30 --max-ticks 50
check "--max-ticks 50 ends the UI with status 0" "tui-exit=0"

[ $FAILED -eq 0 ]
