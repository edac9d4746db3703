#!/bin/bash
# ui_cost.sh - what the terminal UI costs while a 64-lane free run goes.
#
# Runs the real TUI in a detached tmux pane (100x30), opens the race
# lesson, sets 64 threads and starts a free run, then measures:
#   - CPU seconds of the UI process per wall second, from utime + stime in
#     /proc/PID/stat (the run's sandbox is a separate process and is not
#     counted: this is the cost of watching, not of racing), sampled every
#     0.1 s while the screen says the run is running, for SECONDS at most:
#     only the run's live part is measured, and the output says whether
#     the run was live the whole window;
#   - frames per second and time per frame, which the UI writes at exit
#     when INTERLEAVE_UI_STATS=FILE is set (the time to draw a frame into
#     the cell grid and copy it to curses), and the longest tick (polling
#     the run, taking in its events, drawing: the longest the UI left a
#     key unanswered).
# Three cases: the run at full speed (10,000,000 increments per lane, so
# the run outlasts the window; the UI takes in at most 32,768 events a
# tick), in slow motion (s: 200 us per step, the pace a student watches),
# and a full-speed run of 1,000,000 increments that ends: the UI's CPU
# from the start of the run until every event it recorded is taken in
# (the status line says "N of M events" until then), the share of that
# wall time after the end, and the longest tick.
#
# usage: bench/ui_cost.sh [BUILD_DIR] [SECONDS]
#   BUILD_DIR  where `interleave` was built (default: $top_builddir or .)
#   SECONDS    measuring time per case (default 4)
# The aim: at full speed under 5% of one core, at 20 frames/s or more.

BUILD=${1:-${top_builddir:-.}}
SECS=${2:-4}
BIN="$BUILD/interleave"
SRC=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v tmux >/dev/null 2>&1; then
    echo "ui_cost: tmux is needed" >&2
    exit 77
fi
if [ ! -x "$BIN" ]; then
    echo "ui_cost: $BIN not found (give the build directory)" >&2
    exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/interleave-uicost.XXXXXX") || exit 1
# a private tmux server whose socket lives (and is removed) with WORK
T="tmux -S $WORK/tmux.sock -f /dev/null"
HZ=$(getconf CLK_TCK)
trap '$T kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT

cpu_ticks() {
    # fields 14 and 15 of /proc/PID/stat; the command name (field 2) may
    # hold spaces, so cut after its closing parenthesis
    sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

wait_screen() {
    local end=$((SECONDS + 15))
    while ! $T capture-pane -p -t b | grep -Eq -- "$1"; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.05
    done
}

# open the race lesson in a fresh UI, 64 threads, ITERS iterations, slow
# motion when SLOW is 1; then start the run.  Sets pid.
open_run() {
    local name=$1 iters=$2 slow=$3
    rm -f "$WORK/pid" "$WORK/stats"
    $T kill-session -t b >/dev/null 2>&1
    $T new-session -d -s b -x 100 -y 30 \
        "echo \$\$ > '$WORK/pid'; exec env INTERLEAVE_LESSON_DIR='$SRC/lessons' \
XDG_STATE_HOME='$WORK/state' INTERLEAVE_UI_STATS='$WORK/stats' '$BIN' --lesson race" || return 1
    wait_screen "Race conditions" || { echo "$name: the lesson did not open"; return 1; }
    pid=$(cat "$WORK/pid")
    $T send-keys -t b e 6 4 Down
    for ((i = 0; i < ${#iters}; i++)); do
        $T send-keys -t b "${iters:$i:1}"
    done
    $T send-keys -t b Down u Enter
    wait_screen "threads=64" || { echo "$name: parameters not set"; return 1; }
    if [ "$slow" = 1 ]; then
        $T send-keys -t b s
    fi
    $T send-keys -t b Space
    wait_screen "FREE RUN RUNNING" || { echo "$name: the run did not start"; return 1; }
}

# quit the UI (which kills its run) and print its frame statistics
close_run() {
    local name=$1 end
    $T send-keys -t b q
    end=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $end ]; do
        sleep 0.05
    done
    if [ -f "$WORK/stats" ]; then
        awk -v n="$name" '{ v[$1] = $2 } END {
            printf "%-28s %s frames/s while running, frame mean %s ms, p50 %s ms, p95 %s ms, max %s ms\n",
                   n, v["live_frames_per_s"], v["frame_ms_mean"], v["frame_ms_p50"],
                   v["frame_ms_p95"], v["frame_ms_max"]
            if ("tick_ms_max" in v)
                printf "%-28s longest tick %s ms (p95 %s ms): the longest the UI left a key unanswered\n",
                       n, v["tick_ms_max"], v["tick_ms_p95"] }' "$WORK/stats"
    fi
}

# cpu_rate NAME C0 C1 T0 T1 WHAT: the UI's CPU between two samples
cpu_rate() {
    awk -v n="$1" -v c0="$2" -v c1="$3" -v t0="$4" -v t1="$5" -v hz="$HZ" -v what="$6" 'BEGIN {
        wall = t1 - t0; cpu = (c1 - c0) / hz;
        printf "%-28s cpu %.3f s / wall %.2f s = %.1f%% of a core%s\n", n, cpu, wall,
               (wall > 0 ? 100 * cpu / wall : 0), what }'
}

# run_case NAME ITERATIONS SLOW(0/1): the UI's CPU while the run is live.
# The UI's CPU time is sampled every 0.1 s while the screen says the run
# is running, for SECONDS at most: a run that ends inside the window is
# measured up to its last sample while running (the output says so), so
# the figure never mixes watching with the idle screen after the end.
run_case() {
    local name=$1 iters=$2 slow=$3 c0 t0 c t cl tl live=1
    open_run "$name" "$iters" "$slow" || return 1
    c0=$(cpu_ticks "$pid")
    t0=$(date +%s.%N)
    cl=$c0
    tl=$t0
    while :; do
        sleep 0.1
        c=$(cpu_ticks "$pid")
        t=$(date +%s.%N)
        if ! $T capture-pane -p -t b | grep -q "FREE RUN RUNNING"; then
            live=0
            break
        fi
        cl=$c
        tl=$t
        awk -v t0="$t0" -v t="$t" -v s="$SECS" 'BEGIN { exit !(t - t0 >= s) }' && break
    done
    if [ "$live" = 1 ]; then
        cpu_rate "$name" "$c0" "$cl" "$t0" "$tl" " (the run was live the whole window)"
    else
        cpu_rate "$name" "$c0" "$cl" "$t0" "$tl" " (the run ended: only its live part)"
    fi
    close_run "$name"
}

# end_case NAME ITERATIONS: a run that ends at full speed.  The UI's CPU
# from the start of the run until every event the run recorded is taken
# in (the status line no longer says "N of M events"; 30 s at most after
# the end), and how much of that wall time came after the end.
end_case() {
    local name=$1 iters=$2 c0 t0 c1 t1 te end
    open_run "$name" "$iters" 0 || return 1
    c0=$(cpu_ticks "$pid")
    t0=$(date +%s.%N)
    end=$((SECONDS + 60))
    while $T capture-pane -p -t b | grep -q "FREE RUN RUNNING" && [ $SECONDS -lt $end ]; do
        sleep 0.05
    done
    te=$(date +%s.%N)
    end=$((SECONDS + 30))
    while $T capture-pane -p -t b | grep -Eq "[0-9] of [0-9]+ events" && [ $SECONDS -lt $end ]; do
        sleep 0.05
    done
    c1=$(cpu_ticks "$pid")
    t1=$(date +%s.%N)
    cpu_rate "$name" "$c0" "$c1" "$t0" "$t1" \
        "$(awk -v t0="$t0" -v te="$te" -v t1="$t1" 'BEGIN {
            printf " (live %.2f s, then %.2f s until every event was taken in)", te - t0, t1 - te }')"
    close_run "$name"
}

echo "# interleave TUI cost, 64 lanes, race unsafe, ${SECS}s per case, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# aim: full speed under 5% of a core, at 20 frames/s or more"
run_case "full speed (10000000 iter)" 10000000 0
run_case "slow motion 200us (100000)" 100000 1
end_case "run end (1000000 iter)" 1000000
