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

. "$(dirname "$0")/tui_lib.sh"

echo "1..17"

# --- the lost update, by hand ------------------------------------------
start_tui 100 30 "" --lesson race
check "the race lesson opens (its page counter: only the lesson screen draws it)" \
    "Race conditions: the lost update  -  page 1/[0-9]+"

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
start_tui 100 30 ""
check "the lesson browser lists the race lesson" "Race conditions"
resize 60 20
check "at 60x20 the UI asks for a larger window" "make the window larger"
resize 100 30
check "back at 100x30 the browser layout returns" "choose a lesson"
keys q
wait_for "tui-exit=0" || not_ok "quit after resizing" "$SCREEN"

# --- the browser at 80x24: the entries that do not fit are announced ------
start_tui 80 24 ""
check "80x24: the browser says how many entries are below" "[0-9]+ more below \(Down\)"
for k in 1 2 3 4 5 6; do
    keys Down
done
check "80x24: scrolled down, it says how many are above" "[0-9]+ more above \(Up\)"
keys q
wait_for "tui-exit=0" || not_ok "quit the browser at 80x24" "$SCREEN"

# --- smoke: --max-ticks ----------------------------------------------------
start_tui 100 30 "" --max-ticks 50
check "--max-ticks 50 ends the UI with status 0" "tui-exit=0"

[ $FAILED -eq 0 ]
