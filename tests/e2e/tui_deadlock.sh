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

. "$(dirname "$0")/tui_lib.sh"

BANNER='DEADLOCK (after [0-9.]+ m?s|at step [0-9]+): A holds acct1, waits acct2; B holds acct2, waits acct1'

echo "1..21"

# --- free mode: the naive demo deadlocks --------------------------------
start_tui 100 30 "" --lesson deadlock
check "the deadlock lesson opens (its page counter: only the lesson screen draws it)" \
    "Deadlocks: two locks, opposite orders  -  page 1/[0-9]+"

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
