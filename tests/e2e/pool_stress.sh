#!/bin/sh
# pool_stress.sh - the crash stress of the process pool, a smaller count
# (bench/pool_crash_stress.sh runs 1000): every run a broken pool, nothing
# left afterwards (processes, zombies, shared memory, descriptors).
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
echo "1..1"
if out=$(sh "$top_srcdir/bench/pool_crash_stress.sh" 50 "$top_builddir/interleave" 2>&1); then
    echo "ok 1 - 50 crashing pools: each broken, nothing left"
else
    echo "not ok 1 - 50 crashing pools: each broken, nothing left"
    printf '%s\n' "$out" | sed 's/^/# /'
    exit 1
fi
