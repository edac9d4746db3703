#!/bin/sh
# crawl_table.sh - the crawler table: pages per second of each crawler at
# each response delay, interleave's next to Python's against the same
# local server, and the speed-up of each over its sequential crawler.
#
# For every DELAY (ms): `interleave run crawl variant=V pages=P workers=W
# delay_ms=DELAY --format json` RUNS times for V = sequential, threads and
# asyncio (the server runs inside each run), reading pages_per_s and
# duplicates; then bench/crawl-server (the same server code, on its own)
# with bench/crawl_py.py's sequential, threads (threading + Lock),
# futures (ThreadPoolExecutor) and asyncio crawlers RUNS times each
# (skipped without python3).  Prints the medians and, in brackets, the
# speed-up over the sequential crawler of the same side.
#
# Usage: crawl_table.sh [-n RUNS] [-p PAGES] [-w WORKERS] [-d "DELAYS"] [-b INTERLEAVE]
#   RUNS 3, PAGES 60, WORKERS 8, DELAYS "0 5 20 50"; INTERLEAVE defaults to
#   $INTERLEAVE, then ./interleave (bench/crawl-server beside it).
set -eu

runs=3
pages=60
workers=8
delays="0 5 20 50"
bin=${INTERLEAVE:-./interleave}
here=$(cd "$(dirname "$0")" && pwd)
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs=$2; shift 2 ;;
    -p) pages=$2; shift 2 ;;
    -w) workers=$2; shift 2 ;;
    -d) delays=$2; shift 2 ;;
    -b) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "crawl_table.sh: unknown argument '$1' (try -h)" >&2; exit 2 ;;
    esac
done
server=$(dirname "$bin")/bench/crawl-server
if [ ! -x "$bin" ] || [ ! -x "$server" ]; then
    echo "crawl_table.sh: need $bin and $server (make, make bench/crawl-server)" >&2
    exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "crawl_table.sh: python3 is needed to read the JSON results" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/crawl-bench.XXXXXX")
trap 'exec 3>&- 2>/dev/null; rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print v[int((NR + 1) / 2)] }'; }

# one interleave crawl: pages_per_s and duplicates
il_once() {
    "$bin" run crawl variant="$1" pages="$pages" workers="$workers" delay_ms="$2" --format json |
        python3 -c 'import json,sys; r=json.load(sys.stdin)["results"]; print(r.get("pages_per_s", 0), r["duplicates"])'
}

# one Python crawl against a fresh server: pages_per_s and duplicates
py_once() {
    rm -f "$work/in" "$work/out"
    mkfifo "$work/in"
    "$server" "$pages" 3 "$2" <"$work/in" >"$work/out" &
    exec 3>"$work/in"
    while ! grep -q '^port ' "$work/out" 2>/dev/null; do sleep 0.01; done
    port=$(awk '/^port /{print $2}' "$work/out")
    rate=$(python3 "$here/crawl_py.py" "$1" "$port" "$workers" | awk '{print $6}')
    exec 3>&-
    wait
    echo "$rate $(awk '/^requests /{print $6}' "$work/out")"
}

echo "crawl_table: $pages pages, fanout 3, $workers workers, median of $runs runs each"
echo "machine: $(getconf _NPROCESSORS_ONLN) online CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "pages/s (speed-up over the sequential crawler of the same side); dup = duplicate fetches"
printf '%-6s | %-10s %-16s %-16s | %-10s %-16s %-16s %-16s\n' delay il:seq il:threads il:asyncio \
    py:seq py:threads py:futures py:asyncio
for d in $delays; do
    line=$(printf '%-6s |' "${d}ms")
    for side in il py; do
        if [ $side = il ]; then crawlers="sequential threads asyncio"; else crawlers="sequential threads futures asyncio"; fi
        base=""
        for c in $crawlers; do
            : >"$work/r"
            dup=0
            i=0
            while [ $i -lt "$runs" ]; do
                if [ $side = il ]; then set -- $(il_once "$c" "$d"); else set -- $(py_once "$c" "$d"); fi
                echo "$1" >>"$work/r"
                dup=$((dup + ${2:-0}))
                i=$((i + 1))
            done
            m=$(median <"$work/r")
            if [ -z "$base" ]; then
                base=$m
                cell=$(printf '%.0f' "$m")
                line="$line $(printf '%-10s' "$cell")"
            else
                cell=$(awk -v m="$m" -v b="$base" 'BEGIN { printf "%.0f (%.1fx)", m, (b > 0 ? m / b : 0) }')
                [ "$dup" -gt 0 ] && cell="$cell dup$dup"
                line="$line $(printf '%-16s' "$cell")"
            fi
        done
        [ $side = il ] && line="$line |"
    done
    echo "$line"
done
