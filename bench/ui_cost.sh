#!/bin/bash
# ui_cost.sh - what the terminal UI costs while a 64-lane free run goes.
#
# Runs the real TUI in a detached tmux pane (100x30), opens the race
# lesson, sets 64 threads and starts a free run, then measures for a few
# seconds of wall time:
#   - CPU seconds of the UI process per wall second, from utime + stime in
#     /proc/PID/stat (the run's sandbox is a separate process and is not
#     counted: this is the cost of watching, not of racing);
#   - frames per second and time per frame, which the UI writes at exit
#     when INTERLEAVE_UI_STATS=FILE is set (the time to draw a frame into
#     the cell grid and copy it to curses).
# Two cases: the run at full speed (the UI copies up to 256k events a
# tick), and in slow motion (s: 200 us per step, the pace a student
# watches).
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

# run_case NAME ITERATIONS SLOW(0/1)
run_case() {
    local name=$1 iters=$2 slow=$3 pid t0 t1 c0 c1
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
    c0=$(cpu_ticks "$pid")
    t0=$(date +%s.%N)
    sleep "$SECS" # the measuring window
    c1=$(cpu_ticks "$pid")
    t1=$(date +%s.%N)
    if ! $T capture-pane -p -t b | grep -q "FREE RUN RUNNING"; then
        echo "# $name: note: the run ended inside the window"
    fi
    $T send-keys -t b q
    local end=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $end ]; do
        sleep 0.05
    done
    awk -v n="$name" -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$HZ" 'BEGIN {
        wall = t1 - t0; cpu = (c1 - c0) / hz;
        printf "%-28s cpu %.3f s / wall %.2f s = %.1f%% of a core\n", n, cpu, wall, 100 * cpu / wall }'
    if [ -f "$WORK/stats" ]; then
        awk -v n="$name" '{ v[$1] = $2 } END {
            printf "%-28s %s frames/s while running, frame mean %s ms, p50 %s ms, p95 %s ms, max %s ms\n",
                   n, v["live_frames_per_s"], v["frame_ms_mean"], v["frame_ms_p50"],
                   v["frame_ms_p95"], v["frame_ms_max"] }' "$WORK/stats"
    fi
}

echo "# interleave TUI cost, 64 lanes, race unsafe, ${SECS}s per case, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# aim: full speed under 5% of a core, at 20 frames/s or more"
run_case "full speed (1000000 iter)" 1000000 0
run_case "slow motion 200us (100000)" 100000 1
