#!/bin/bash
# tui_pool.sh - the processes lesson in the real terminal UI, in tmux.
#
# Checks at 120x36: the processes lesson opens; on its broken-pool page
# the replayed run (the worker running task 2 dies) finished with c ends
# in the BROKEN POOL banner at step 7, naming worker C, its pid, the
# signal, the task and the failed tasks; the timeline has one row per
# process with its pid (the parent first), the same pid as the banner's
# for C, C's row marks where it died and its zombie time until the parent
# reaps it; the task panel says the pool broke.  Reset takes the banner
# away; a free run of the page's first run (task 5's worker segfaults)
# breaks the pool for real; q gives the shell back with status 0.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

echo "1..12"

start_tui 120 36 "" --lesson processes
check "the processes lesson opens" "Processes and process pools  -  page 1/[0-9]+"

# the broken-pool page: next, a page at a time (each move waits for the
# page counter to show the new page), until its heading shows
for k in 2 3 4 5 6 7 8 9; do
    if printf '%s\n' "$SCREEN" | grep -q "^ A broken pool"; then
        break
    fi
    keys n
    wait_for "page $k/[0-9]+" >/dev/null
done
check "the broken-pool page" "^ A broken pool"

# its second run: the replay in which the worker running task 2 dies
keys 2
wait_for "schedule: A3" >/dev/null
keys c
check "the BROKEN POOL banner: worker C, its pid, the signal, the task, the failed tasks" \
    "BROKEN POOL at step 7: worker C \(pid [0-9]+\) died of signal 11 \(Segmentation fault\)"
# (where the banner wraps depends on the pid's digits: "failed:" may end
# the line above)
check "the banner names the failed tasks and the reaping" \
    "(failed: |^ *)1, 2, 3, 4; the dead worker was reaped"
check "the parent's row first, with its pid" "^A [0-9]+\|>>>"
check "worker B's row with its pid" "^B [0-9]+\|"
pid=$(printf '%s\n' "$SCREEN" | sed -n 's/.*worker C (pid \([0-9]*\)).*/\1/p' | head -1)
check "C's row has the pid of the banner, marks its death and its zombie time" \
    "^C $pid\|.*(✗|X)z{12}"
check "the task panel says the pool broke" "BROKEN: worker C died"
check "the end-of-run line names the failed tasks" \
    "broken pool: worker C \(pid $pid\) died of signal 11 .*running task 2; 4 pending tasks failed"

keys r
check_gone "reset takes the banner away" "BROKEN POOL" "A broken pool"

# the page's first run (1 loads and starts it), free: task 5's worker
# segfaults for real
keys 1
check "a free run breaks the pool for real" \
    "BROKEN POOL after [0-9.]+ ms: worker [B-C] \(pid [0-9]+\) died of signal 11 .*running task 5"

keys q
check "q quits, and the shell shows exit status 0" "tui-exit=0"

[ $FAILED -eq 0 ]
