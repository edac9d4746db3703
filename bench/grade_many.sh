#!/bin/sh
# grade_many.sh - grading 100 answer files in a row, as a course's CI or a
# Gradescope batch would: the time per file, and proof that no process is
# left behind.
#
# usage: bench/grade_many.sh [-n FILES] [-b INTERLEAVE] [-l LESSONDIR]
#
# The answer files alternate between the full-marks and partial-marks
# samples of data/autograder/samples, each with one answer changed so no
# two files are alike; every file is graded on the race, deadlock and
# prodcons lessons (8 challenge replays and 10 questions a file).  The
# baseline, measured in the same run, is one replay of the race demo
# (`interleave run race --schedule 'A B A B A B'`): the ratio says what a
# whole file costs in replays (a file holds 8, so about 8 means grading
# adds nothing but the replays).
#
# Afterwards no process of this session may be left that runs interleave:
# every sandbox was killed and reaped.  Exit status 1 if one is.
set -u

n=100
bin=./interleave
here=$(cd "$(dirname "$0")" && pwd)
lessons=$here/../lessons
while getopts n:b:l: opt; do
    case $opt in
    n) n=$OPTARG ;;
    b) bin=$OPTARG ;;
    l) lessons=$OPTARG ;;
    *) echo "usage: $0 [-n FILES] [-b INTERLEAVE] [-l LESSONDIR]" >&2; exit 2 ;;
    esac
done
INTERLEAVE_LESSON_DIR=$lessons
export INTERLEAVE_LESSON_DIR
samples=$here/../data/autograder/samples
work=$(mktemp -d "${TMPDIR:-/tmp}/grade-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

now_ns() { date +%s%N; }

# the answer files
i=1
while [ "$i" -le "$n" ]; do
    if [ $((i % 2)) -eq 0 ]; then
        sed "s/^race-mutex-steps: .*/race-mutex-steps: $((i % 7))/" "$samples/full-marks.txt"
    else
        sed "s/^race-mutex-steps: .*/race-mutex-steps: $((i % 7))/" "$samples/partial-marks.txt"
    fi >"$work/answers-$i.txt"
    i=$((i + 1))
done

# the baseline: one replay, the median of 21
base_runs=21
: >"$work/base"
i=0
while [ "$i" -lt "$base_runs" ]; do
    t0=$(now_ns)
    "$bin" run race threads=2 iterations=1 --schedule 'A B A B A B' >/dev/null 2>&1
    t1=$(now_ns)
    echo $((t1 - t0)) >>"$work/base"
    i=$((i + 1))
done
base=$(sort -n "$work/base" | sed -n "$((base_runs / 2 + 1))p")

# the files, one after the other
: >"$work/times"
failures=0
t_start=$(now_ns)
i=1
while [ "$i" -le "$n" ]; do
    t0=$(now_ns)
    "$bin" grade --answers "$work/answers-$i.txt" --lesson race --lesson deadlock \
        --lesson prodcons --format json >"$work/report-$i.json" 2>"$work/err-$i"
    rc=$?
    t1=$(now_ns)
    echo $((t1 - t0)) >>"$work/times"
    case $rc in
    0 | 1) ;;
    *) failures=$((failures + 1)); echo "file $i: exit status $rc: $(head -c 200 "$work/err-$i")" >&2 ;;
    esac
    i=$((i + 1))
done
t_end=$(now_ns)

# nothing left: no process of this session runs interleave
sid=$(ps -o sid= -p $$ | tr -d ' ')
left=$(ps -eo sid=,pid=,comm= | awk -v s="$sid" '$1 == s && $3 ~ /^interleave/' | wc -l)

total_ms=$(((t_end - t_start) / 1000000))
sorted=$(sort -n "$work/times")
median=$(echo "$sorted" | sed -n "$((n / 2 + 1))p")
max=$(echo "$sorted" | tail -n 1)
min=$(echo "$sorted" | head -n 1)
echo "grading $n answer files in a row (8 challenges + 10 questions each):"
echo "  total        $total_ms ms"
echo "  per file     median $((median / 1000)) us, min $((min / 1000)) us, max $((max / 1000)) us"
echo "  baseline     one replay of the race demo: median $((base / 1000)) us"
awk -v m="$median" -v b="$base" 'BEGIN { printf "  ratio        a file costs %.1f replays\n", m / b }'
echo "  processes left running interleave: $left"
echo "  grade runs with an unexpected exit status: $failures"
[ "$left" -eq 0 ] && [ "$failures" -eq 0 ]
