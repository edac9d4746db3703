#!/bin/bash
# tui_asyncio.sh - the event-loop lesson in the real terminal UI, in tmux.
#
# The TUI runs inside a detached tmux session on a private tmux server
# (tui_lib.sh), under a shell, so after quitting we see the shell again
# and the UI's exit status.  Every wait polls `tmux capture-pane` until a
# pattern shows up (or is gone) or a deadline passes; nothing sleeps for a
# fixed time to make a check pass.
#
# Checks at 100x30: the lesson opens; its gather run (page 2, run 1)
# completes and the figures are on the screen: total about 300 ms for
# wait_sum 600 ms, and the summary says the waits overlapped; the rows are
# the loop's thread (A) and the coroutines under it, in the waits' glyphs;
# the blocking page's replay (page 9, run 4) shows the stall, exactly:
# late_max 150 ms, block_time 200 ms.  q gives the shell back with status
# 0.  At 80x24 with TERM=vt100 and NO_COLOR: the same replay, the figure
# read off the screen, the late timer marked '!' in the tickers' rows; y
# shows the Python of the course in the code panel.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..14"

start_tui 100 30 "" --lesson asyncio
check "the event-loop lesson opens (its page counter)" \
    "The event loop: coroutines on one thread  -  page 1/10"

keys n g
check "page 2, run 1: gather completes, total and wait_sum on screen" \
    "completed +total [0-9.]+ ms +wait_sum [0-9.]+ ms"
check "the summary: the waits overlapped" \
    "completed in [0-9.]+ ms of loop time; the waits add up to [0-9.]+ ms: they overlapped"
check "row A is the loop's thread, idle in epoll_wait" "^A +\|.*▁{8}"
check "the coroutines' rows await timers" "^D +\|.*┈{8}"
check "the legend names the waits" "┈ awaits timer +┄ awaits task +▁ loop idle"

keys n n n n n n n 4
check "page 9, run 4: the blocking call replayed, the stall exact" \
    "late_max 150 ms +block_time 200 ms"
check "the summary names the stall" \
    "a blocking call held the loop 200 ms, timers fired up to 150 ms late"
keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

# --- 80x24, TERM=vt100, NO_COLOR: the same replay, the figure on screen ---
start_tui 80 24 "TERM=vt100 NO_COLOR=1 XDG_STATE_HOME='$WORK/state80'" --lesson asyncio
wait_for "page 1/10" >/dev/null
keys n n n n n n n n 4
check "80x24: the replayed stall, late_max read off the screen" "late_max 150 ms"
check "80x24 ASCII: the late timer marked in a ticker's row" "^C +\|.*!"
keys y
check "80x24: y puts the Python of the course in the code panel" "async def main\(\):"
check "80x24: ... its lines where the pseudo-code was" "await asyncio\.gather\(ticker\("
keys q
check "q quits at 80x24 too" "tui-exit=0"

[ $FAILED -eq 0 ]
