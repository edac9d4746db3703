#!/bin/sh
# deadlock_stress.sh - run the naive deadlock demo in free mode N times in a
# row through the CLI; every run must deadlock, be detected (exit code 4,
# verdict "deadlock", the cycle named) and be killed.  Afterwards count
# what is left: processes of ours still running, zombies, and (from one
# long-lived shell) its descriptors.  Prints the figures.
#
# usage: bench/deadlock_stress.sh [RUNS] [INTERLEAVE]
#   RUNS        how many runs (default 1000)
#   INTERLEAVE  the binary (default ./interleave, run from the build tree)
set -u
runs=${1:-1000}
bin=${2:-./interleave}
cycle='A holds acct1, waits acct2; B holds acct2, waits acct1'

if [ ! -x "$bin" ]; then
    echo "deadlock_stress: $bin: not an executable (build first, or pass its path)" >&2
    exit 2
fi

count_procs() {
    # processes of this user whose command line names the binary, besides us
    n=0
    for d in /proc/[0-9]*; do
        [ -r "$d/cmdline" ] || continue
        cmd=$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null) || continue
        case "$cmd" in
            *"$bin run deadlock"*) n=$((n + 1)) ;;
        esac
    done
    echo "$n"
}

count_zombies() {
    n=0
    for d in /proc/[0-9]*; do
        st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "$d/status" 2>/dev/null) || continue
        [ "$st" = Z ] && n=$((n + 1))
    done
    echo "$n"
}

fds_before=$(ls /proc/$$/fd | wc -l)
zombies_before=$(count_zombies)
fail=0
detected=0
lat_total=0
lat_max=0
lat_n=0
start=$(date +%s%N)
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    out=$("$bin" run deadlock variant=naive hold_us=1000 --format json --timeout 30 2>/dev/null)
    rc=$?
    if [ "$rc" -ne 4 ]; then
        echo "run $i: exit code $rc, expected 4 (deadlock)" >&2
        fail=$((fail + 1))
        continue
    fi
    case "$out" in
        *"\"verdict\":\"deadlock\""*"\"cycle\":\"$cycle\""*) detected=$((detected + 1)) ;;
        *) echo "run $i: deadlock verdict without the cycle named" >&2; fail=$((fail + 1)); continue ;;
    esac
    lat=$(printf '%s' "$out" | sed -n 's/.*"detect_latency_ns":\([0-9]*\).*/\1/p')
    if [ -n "$lat" ]; then
        lat_total=$((lat_total + lat))
        lat_n=$((lat_n + 1))
        [ "$lat" -gt "$lat_max" ] && lat_max=$lat
    fi
done
end=$(date +%s%N)
sleep 0.2 # let the kernel finish tearing the last process down
procs_after=$(count_procs)
zombies_after=$(count_zombies)
fds_after=$(ls /proc/$$/fd | wc -l)

echo "runs:                 $runs"
echo "detected and named:   $detected"
echo "failures:             $fail"
echo "wall time:            $(( (end - start) / 1000000 )) ms ($(( (end - start) / 1000 / runs )) us per run)"
if [ "$lat_n" -gt 0 ]; then
    echo "detection latency:    mean $(( lat_total / lat_n / 1000 )) us, max $(( lat_max / 1000 )) us (cycle closed -> detected)"
fi
echo "leftover processes:   $procs_after"
echo "zombies:              $zombies_before before, $zombies_after after"
echo "shell descriptors:    $fds_before before, $fds_after after"
if [ "$fail" -ne 0 ] || [ "$procs_after" -ne 0 ] || [ "$zombies_after" -gt "$zombies_before" ] ||
   [ "$fds_after" -ne "$fds_before" ]; then
    exit 1
fi
exit 0
