#!/bin/bash
# tui_models.sh - the models lesson (breakfast, CPU- and I/O-bound work)
# in the real terminal UI, in tmux.
#
# The TUI runs inside a detached tmux session on a private tmux server
# (tui_lib.sh); every wait polls the screen until a pattern shows up or a
# deadline passes; nothing sleeps for a fixed time to make a check pass.
#
# Checks at 100x30: the lesson opens; the breakfast with threads (page 3,
# run 1) completes and its figures are on the screen (14 minutes of tasks,
# 280 ms, and the speed-up); the cooks' rows wait; four I/O waits with a
# thread each and the global lock (page 4, run 2) finish with a speed-up
# on the screen, their waits overlapping.  q gives the shell back with
# status 0.  At 80x24 with TERM=vt100 and NO_COLOR: the breakfast on the
# event loop (page 3, run 2), its figure read off the screen.
#
# The figures are timings of a real run: the checks read them, they do
# not hold them to a value.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..9"

start_tui 100 30 "" --lesson models
check "the models lesson opens (its page counter)" "Choosing a model: .*  -  page 1/8"

keys n n g
check "page 3, run 1: breakfast with threads, the figures on the screen" \
    "completed +total [0-9.]+ ms +work 280 ms +speedup [0-9.]+x"
check "the summary: the breakfast's time for 280 ms of tasks" \
    "breakfast in [0-9.]+ ms for 280 ms of tasks: [0-9.]+x"
check "a cook's row waits for the pan" "^D +\| *┈{8}"

keys n 2
check "page 4, run 2: four waits with the global lock, a speed-up on the screen" \
    "400 ms of work in [0-9.]+ ms on [0-9]+ CPUs?: speed-up [0-9.]+x"
check "their rows wait for I/O at the same time" "^D +\|┈{8}"
keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

start_tui 80 24 "TERM=vt100 NO_COLOR=1 XDG_STATE_HOME='$WORK/state80'" --lesson models
wait_for "page 1/8" >/dev/null
keys n n 2
check "80x24: the breakfast on the event loop, its speed-up read off the screen" \
    "speedup [0-9.]+x"
keys q
check "q quits at 80x24 too" "tui-exit=0"

[ $FAILED -eq 0 ]
