#!/bin/sh
# litmus_sb.sh - the store-buffering litmus test on this machine's cores:
# data/scenarios/store-buffering.scn in free mode, RUNS times with plain
# accesses (memory plain) and RUNS times with sequentially consistent ones
# (memory fenced), 20000 rounds each, without tracing.  Prints, per way,
# the rounds in which both lanes read 0 (both_zero) in each run.  x86-TSO
# allows it with plain accesses; never with fences.  A property of the
# hardware, measured, not a timed test.
#
# Usage: litmus_sb.sh [-n RUNS] [-b INTERLEAVE] [-s SRCDIR]
set -eu

runs=5
bin=${INTERLEAVE:-./interleave}
src=$(dirname "$0")/..
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs=$2; shift 2 ;;
    -b) bin=$2; shift 2 ;;
    -s) src=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "litmus_sb.sh: unknown argument '$1' (try -h)" >&2; exit 2 ;;
    esac
done
work=$(mktemp -d "${TMPDIR:-/tmp}/litmus.XXXXXX")
trap 'rm -rf "$work"' EXIT
sed 's/^memory plain/memory fenced/' "$src/data/scenarios/store-buffering.scn" >"$work/fenced.scn"
echo "litmus_sb: $runs runs each, 20000 rounds; load $(cut -d' ' -f1-3 /proc/loadavg)"
for way in plain fenced; do
    f="$src/data/scenarios/store-buffering.scn"
    [ "$way" = fenced ] && f="$work/fenced.scn"
    line=""
    hit=0
    i=0
    while [ "$i" -lt "$runs" ]; do
        z=$("$bin" run "$f" --no-trace --format json 2>/dev/null | tr ',' '\n' |
            awk -F: '/"both_zero"/ { gsub(/[^0-9]/, "", $2); print $2; exit }')
        line="$line $z"
        [ "${z:-0}" -gt 0 ] && hit=$((hit + 1))
        i=$((i + 1))
    done
    echo "$way: both reads 0 in $hit of $runs runs; rounds per run:$line"
done
