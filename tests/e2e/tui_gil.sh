#!/bin/bash
# tui_gil.sh - the GIL lesson in the real terminal UI, in tmux.
#
# The TUI runs in a detached tmux session on a private server (tui_lib.sh);
# every wait polls the screen until a pattern shows up or a deadline
# passes.  At 100x30: the lesson opens, its convoy page loads the mixed
# workload's run (one CPU lane beside an I/O lane) and runs it; the GIL
# lane under the timeline says who holds the lock (A, the CPU lane), the
# I/O lane's row carries the drop-request marks, the results show the I/O
# overshoot in milliseconds and the summary line says it.  Then the step
# run of the be-the-scheduler page: B's interval passes (a drop request),
# and a step for B is refused, naming the holder.  The same convoy run at
# 80x24 with TERM=vt100 and NO_COLOR, in ASCII.  q gives the shell back
# with status 0.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..15"

# --- 100x30: the convoy ------------------------------------------------------
start_tui 100 30 "" --lesson gil
check "the GIL lesson opens" "The GIL: one lock for every thread  -  page 1/[0-9]+"
keys n n n n n n
check "page 7 is the convoy" "page 7/[0-9]+.*|The convoy effect"
keys 1
check "the mixed run completes: the summary gives the I/O overshoot" \
    "completed: 2 threads, new GIL: I/O overshoot [0-9.]+ ms \(median\)"
check "the GIL lane under the lanes: A, the CPU lane, holds it" "^GIL\|A{20}"
check "the drop requests on the I/O lane's row" "^B +\|.*▼"
check "the results: the overshoot in ms" "overshoot_p50 [0-9.]+ ms"
check "the legend names the GIL's waits" "░ waits: GIL +┈ in I/O"

# --- 100x30: be the scheduler -----------------------------------------------
keys p p p
check "page 4 is the scheduler's" "page 4/[0-9]+.*|Be the scheduler"
keys 1
check "the step run is loaded" "STEP MODE"
keys A B
check "B's interval passes: a drop request mark on B's row" "^B +\|.▼"
keys B
check "a step for B is refused, naming the holder" "lane B waits for the GIL held by A"
keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

# --- 80x24, TERM=vt100, NO_COLOR: the convoy in ASCII -------------------------
start_tui 80 24 "TERM=vt100 NO_COLOR=1 XDG_STATE_HOME='$WORK/state80'" --lesson gil
check "80x24: the lesson opens at its first page (a state directory of its own)" \
    "The GIL: one lock for every thread  -  page 1/"
keys n n n n n n
wait_for "The convoy effect" >/dev/null
keys 1
check "80x24 ASCII: the GIL lane and the overshoot" \
    "completed: 2 threads, new GIL: I/O overshoot [0-9.]+ ms"
if printf '%s\n' "$SCREEN" | grep -Eq '^GIL\|A{20}' &&
    printf '%s\n' "$SCREEN" | grep -Eq '^B +\|.*v' &&
    printf '%s\n' "$SCREEN" | grep -Eq 'overshoot_p50 [0-9.]+ ms'; then
    ok "80x24 ASCII: GIL|AAA..., v marks on B's row, overshoot_p50 in ms"
else
    not_ok "80x24 ASCII: GIL|AAA..., v marks on B's row, overshoot_p50 in ms" "$SCREEN"
fi

[ $FAILED -eq 0 ]
