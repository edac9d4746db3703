#!/bin/sh
# pool_crash_stress.sh - run the process pool with a crashing worker N times
# in a row through the CLI; every run must end as a broken pool (exit
# code 0, verdict "completed", results broken 1, the dead worker named
# and reaped).  The task that crashes and the way (segv, exit, kill) go
# round.  Afterwards count what is left: processes of ours still running,
# zombies, shared memory segments (/dev/shm entries, System V segments)
# and, from this one long-lived shell, its descriptors.  Prints the
# figures; exits 1 if any run was not a broken pool or anything is left.
#
# usage: bench/pool_crash_stress.sh [RUNS] [INTERLEAVE]
#   RUNS        how many runs (default 1000)
#   INTERLEAVE  the binary (default ./interleave, run from the build tree)
set -u
runs=${1:-1000}
bin=${2:-./interleave}

if [ ! -x "$bin" ]; then
    echo "pool_crash_stress: $bin: not an executable (build first, or pass its path)" >&2
    exit 2
fi

count_procs() {
    # processes whose command line names the binary running the pool, besides us
    n=0
    for d in /proc/[0-9]*; do
        [ -r "$d/cmdline" ] || continue
        cmd=$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null) || continue
        case "$cmd" in
            *"$bin run pool"*) n=$((n + 1)) ;;
        esac
    done
    echo "$n"
}

count_zombies() {
    # zombies of the interleave binary (a machine shared with other work
    # has zombies of its own, for a moment)
    n=0
    for d in /proc/[0-9]*; do
        st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "$d/status" 2>/dev/null) || continue
        [ "$st" = Z ] && [ "$(cat "$d/comm" 2>/dev/null)" = interleave ] && n=$((n + 1))
    done
    echo "$n"
}

count_shm() {
    # POSIX shared memory objects and System V segments of anyone
    p=$(ls /dev/shm 2>/dev/null | wc -l)
    s=$(($(wc -l < /proc/sysvipc/shm 2>/dev/null || echo 1) - 1))
    echo $((p + s))
}

fdlist=$(mktemp "${TMPDIR:-/tmp}/pool-stress.XXXXXX") || exit 2
trap 'rm -f "$fdlist"' EXIT
list_fds() {
    # this shell's descriptors, listed by a child that writes a file, not
    # from inside a command substitution: its pipe would be one of them,
    # and its write end only for a moment
    ls /proc/$$/fd >"$fdlist"
}

hows="segv exit kill"
list_fds
fds_before=$(wc -l <"$fdlist")
zombies_before=$(count_zombies)
shm_before=$(count_shm)
fail=0
broken=0
start=$(date +%s%N)
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    task=$((1 + i % 8))
    how=$(echo $hows | cut -d' ' -f$((1 + i % 3)))
    out=$("$bin" run pool workers=2 tasks=8 cost_us=50 crash=$task crash_how=$how \
        --format json --timeout 30 2>/dev/null)
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "run $i: exit code $rc, expected 0 (a completed run, the pool broken)" >&2
        fail=$((fail + 1))
        continue
    fi
    case "$out" in
        *'"verdict":"completed"'*'"broken":1'*'"broken_pool":{"lane":'*'"reaped":true'*)
            broken=$((broken + 1)) ;;
        *) echo "run $i (crash=$task $how): not reported as a broken pool" >&2
           fail=$((fail + 1)) ;;
    esac
done
end=$(date +%s%N)
# let the kernel finish tearing the last process down; on a machine shared
# with other work (make -j, other users of interleave) a zombie of theirs
# may show for a moment: what is left for two seconds is left
settle=0
while :; do
    procs_after=$(count_procs)
    zombies_after=$(count_zombies)
    shm_after=$(count_shm)
    if [ "$procs_after" -eq 0 ] && [ "$zombies_after" -le "$zombies_before" ] &&
       [ "$shm_after" -le "$shm_before" ] || [ $settle -ge 20 ]; then
        break
    fi
    settle=$((settle + 1))
    sleep 0.1
done
list_fds
fds_after=$(wc -l <"$fdlist")

echo "runs:                 $runs"
echo "broken pools:         $broken"
echo "failures:             $fail"
echo "wall time:            $(( (end - start) / 1000000 )) ms ($(( (end - start) / 1000 / runs )) us per run)"
echo "leftover processes:   $procs_after"
echo "zombies:              $zombies_before before, $zombies_after after"
echo "shared memory:        $shm_before before, $shm_after after"
echo "shell descriptors:    $fds_before before, $fds_after after"
if [ "$fail" -ne 0 ] || [ "$procs_after" -ne 0 ] || [ "$zombies_after" -gt "$zombies_before" ] ||
   [ "$fds_after" -ne "$fds_before" ] || [ "$shm_after" -gt "$shm_before" ]; then
    exit 1
fi
exit 0
