#!/bin/bash
# tui_futures.sh - the thread-pool lesson in the real terminal UI, in tmux.
#
# The TUI runs inside a detached tmux session on a private tmux server
# (tui_lib.sh); every wait polls the screen until a pattern shows up or a
# deadline passes; nothing sleeps for a fixed time to make a check pass.
#
# Checks at 100x30: the lesson opens; map (page 2, run 1) completes with
# the results in submission order on the screen (order 12345), main's row
# waits in result(), the workers' lanes are named in the lanes table; the
# replay of as_completed (page 4, run 2), finished round-robin (c), gives
# order 213; the daemon run
# (page 7, run 1) cuts the daemon off (cut_off 1) and marks its row K.
# q gives the shell back with status 0.  At 80x24 with TERM=vt100 and
# NO_COLOR: the daemon replay (page 7, run 2), its figures read off the
# screen.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..12"

start_tui 100 30 "" --lesson futures
check "the thread-pool lesson opens (its page counter)" "Thread pools and futures  -  page 1/9"

keys n g
check "page 2, run 1: map completes, the results in submission order" \
    "completed +order 12345 +completion [1-5]{5}"
# (a column or two of main submitting may come first on a busy machine)
check "main's row waits in result()" "^A +\|.{0,3}┄{8}"
check "the summary says both orders" "main got the results as 1 2 3 4 5; the tasks finished as"

keys n n 2
wait_for "schedule: A3 B C C2 B2  step 9" >/dev/null
keys c
check "page 4, run 2: the as_completed replay, finished (c), gives 2, 1, 3" \
    "order 213 +completion 213"

keys n n n g
check "page 7, run 1: the daemon thread is cut off" "writer_lines 3 +daemon_lines [0-9] +cut_off 1"
check "the daemon's row ends in K" "^C +\|.*K *$"
keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

start_tui 80 24 "TERM=vt100 NO_COLOR=1 XDG_STATE_HOME='$WORK/state80'" --lesson futures
wait_for "page 1/9" >/dev/null
keys n n n n n n 2
check "80x24: the daemon replay, read off the screen" "daemon_lines 3"
check "80x24: the daemon was cut off" "cut_off 1"
check "80x24 ASCII: the daemon's row ends in K" "^C +\|.*K *$"
keys q
check "q quits at 80x24 too" "tui-exit=0"

[ $FAILED -eq 0 ]
