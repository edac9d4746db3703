#!/bin/bash
# tui_deadlock.sh - the deadlock lesson in the real terminal UI, in tmux.
#
# The TUI runs inside a detached tmux session on a private tmux server
# (its own socket in the scratch directory, no user config), under a
# shell, so after quitting we see the shell again and the UI's exit
# status.  Every wait polls `tmux capture-pane` until a pattern shows up
# (or is gone) or a deadline passes; nothing sleeps for a fixed time to
# make a check pass.
#
# Checks, free mode: the naive demo deadlocks with its default hold time;
# the DEADLOCK banner names the cycle and the wait-for graph marks it;
# the lanes panel says who is blocked on what, held by whom; reset clears
# the banner at once and starts a new run (slow motion and a pause keep
# that run from deadlocking before the screen is read), which deadlocks
# again when resumed.  Step mode: A B gives the banner at step 2 with the
# same cycle; undo takes it away; the ordered variant, chosen in the
# parameters dialog, replays A B and stops where B cannot move.  Then q
# gives the shell back with status 0.  The same at 80x24 with TERM=vt100
# and NO_COLOR: the banner and the '*' marks of the cycle.
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

WORK=$(mktemp -d "${TMPDIR:-/tmp}/interleave-tuidl.XXXXXX") || exit 99
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
    $T send-keys -t tui "$@"
}

# start the TUI in a fresh session of COLSxROWS with environment ENV
# (assignments, may be empty) and extra arguments
start_tui() {
    local cols=$1 rows=$2 env=$3
    shift 3
    $T kill-session -t tui >/dev/null 2>&1
    $T new-session -d -s tui -x "$cols" -y "$rows" \
        "env -u NO_COLOR PS1='tui-shell\$ ' sh" || return 1
    $T set-option -t tui status off >/dev/null
    keys "INTERLEAVE_LESSON_DIR='$SRCDIR/lessons' XDG_STATE_HOME='$WORK/state'" \
        " LANG=C.UTF-8 $env '$INTERLEAVE' $*; echo tui-exit=\$?" Enter
}

BANNER='DEADLOCK (after [0-9.]+ m?s|at step [0-9]+): A holds acct1, waits acct2; B holds acct2, waits acct1'

echo "1..21"

# --- free mode: the naive demo deadlocks --------------------------------
start_tui 100 30 "" --lesson deadlock
check "the deadlock lesson opens" "Deadlocks: two locks"

keys Space
check "a free run of the naive demo deadlocks: the banner names the cycle" "$BANNER"
check "the wait-for graph marks both lanes of the cycle" \
    '\*\(A\) =holds=> \[acct1\] -waits-> \[acct2\] \(held by B\)'
check "the graph spells the cycle out" "cycle: A -> acct2 -> B -> acct1 -> A"
check "the lanes panel says who is blocked on what, held by whom" \
    "B +blocked on acct1 \(held by A\)"

# slow motion (20 ms a step, from the next run), then reset and pause at
# once: the new run cannot have closed its cycle before it is stopped
keys s s s
check "slow motion is set for the next run" "slow motion: every lane pauses 20"
keys r Space
check_gone "reset clears the banner at once and starts a new run (paused)" \
    "DEADLOCK" "FREE RUN PAUSED"
keys Space
check "the new run, resumed, deadlocks again" "$BANNER"

# --- step mode: A B by hand ------------------------------------------------
keys m
check "step mode is on" "STEP MODE"
keys A B
check "A B in step mode: the banner at step 2 with the cycle" \
    "DEADLOCK at step 2: A holds acct1, waits acct2; B holds acct2, waits acct1"
check "the schedule line shows A B" "schedule: A B +step 2"
keys u
check_gone "undo takes the banner away (schedule A)" "DEADLOCK" "schedule: A +step 1"
check "the code panel shows B at 'lock from'" "B(→|>) +lock from"
check "the code panel shows A at 'lock to' (not at 'lock from')" "A(→|>) +lock to"
keys B e
check "the parameters dialog opens" "parameters of deadlock"
keys o Enter
check "the ordered variant replays A B and stops where B cannot move" \
    "variant=ordered: A B stops at token 2: lane B is blocked on mutex acct1 held by A"
if printf '%s\n' "$SCREEN" | grep -q "DEADLOCK"; then
    not_ok "no deadlock banner on the ordered variant" "$SCREEN"
else
    ok "no deadlock banner on the ordered variant"
fi

keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

# --- 80x24, TERM=vt100, NO_COLOR: still marked ---------------------------
start_tui 80 24 "TERM=vt100 NO_COLOR=1" --lesson deadlock
wait_for "Deadlocks" >/dev/null
keys m
wait_for "STEP MODE" >/dev/null
keys A B
check "80x24 ASCII: the banner at step 2" "DEADLOCK at step 2: A holds acct1"
check "80x24 ASCII: the compact graph marks the cycle with '*'" \
    "\*\(B\) =>\[acct2\] ->\[acct1\] \(A\)"
keys q
check "q quits at 80x24 too" "tui-exit=0"

[ $FAILED -eq 0 ]
