#!/bin/sh
# exit_codes.sh - every documented exit status, with its one-line error.
#
#   0 success, 2 usage, 3 bad schedule, 5 timed out (see interleave(1)).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 29

il run race threads=2 iterations=10 variant=mutex
check "completed run: exit 0" rc_is 0
check "completed run: nothing on stderr" test ! -s "$WORK/err"

# ---- 2: usage ----
il run race threads=0
check "threads=0: exit 2" rc_is 2
check "threads=0: one line naming threads and 1..64" sh -c \
    'grep -q "^interleave: threads: .*1\.\.64" "$1" && [ "$(wc -l <"$1")" -eq 1 ]' sh "$WORK/err"
il run race threads=65
check "threads=65: exit 2" rc_is 2
il run race iterations=0
check "iterations=0: exit 2, names iterations" sh -c \
    '[ "$1" -eq 2 ] && grep -q "iterations" "$2"' sh "$RC" "$WORK/err"
il run race variant=bogus
check "variant=bogus: exit 2, lists the variants" sh -c \
    '[ "$1" -eq 2 ] && grep -q "unsafe|mutex|atomic" "$2"' sh "$RC" "$WORK/err"
il run race colour=red
check "unknown parameter: exit 2" rc_is 2
il run nosuchdemo
check "unknown demo: exit 2" rc_is 2
check "unknown demo: one line naming it" sh -c \
    'grep -q "nosuchdemo" "$1" && [ "$(wc -l <"$1")" -eq 1 ]' sh "$WORK/err"
il run race --mode sideways
check "bad --mode: exit 2" rc_is 2
check "bad --mode: one line naming --mode" sh -c \
    'grep -q "^interleave: --mode" "$1" && [ "$(wc -l <"$1")" -eq 1 ]' sh "$WORK/err"
il run race --format yaml
check "bad --format: exit 2" rc_is 2
il run race --timeout -1
check "bad --timeout: exit 2" rc_is 2
il run race --mode free --schedule 'A B'
check "a schedule in free mode: exit 2" rc_is 2
il run race --schedule-file "$WORK/does-not-exist"
check "missing schedule file: exit 2, names the file" sh -c \
    '[ "$1" -eq 2 ] && grep -q "does-not-exist" "$2"' sh "$RC" "$WORK/err"
il run
check "run without a demo: exit 2" rc_is 2
il frobnicate
check "unknown command: exit 2" rc_is 2

# ---- 3: bad schedule ----
il run race threads=2 iterations=1 --schedule 'A B A0'
check "malformed schedule A0: exit 3" rc_is 3
check "malformed schedule: one line naming token 3" sh -c \
    'grep -q "token 3 .A0." "$1" && [ "$(wc -l <"$1")" -eq 1 ]' sh "$WORK/err"
il run race threads=2 iterations=1 --schedule 'A C'
check "lane beyond the run: exit 3" rc_is 3
cat >"$WORK/bad.sched" <<'SCHED'
A B
B**
SCHED
il run race threads=2 iterations=1 --schedule-file "$WORK/bad.sched"
check "malformed schedule file: exit 3, names the file" sh -c \
    '[ "$1" -eq 3 ] && grep -q "bad.sched" "$2" && grep -q "token 3" "$2"' sh "$RC" "$WORK/err"
il run race threads=2 iterations=1 variant=mutex --schedule 'A B'
check "grant to a blocked lane: exit 3" rc_is 3
il run race threads=2 iterations=1 --schedule 'A3 A'
check "grant to a finished lane: exit 3" rc_is 3
check "finished lane: stderr says so" err_has "lane A has finished"

# ---- 5: timed out ----
il run race threads=4 iterations=10000000 variant=mutex --no-trace --timeout 0.2 --format json
check "run past its --timeout: exit 5" rc_is 5
check "timeout: JSON verdict timeout" json 'd["verdict"] == "timeout" and "time limit" in d["message"]'
check "timeout: stderr says timeout" err_has "timeout"

# step mode whose input stays open and silent: the timeout still holds
step_timeout() {
    "$PYTHON3" - "$INTERLEAVE" <<'PY'
import subprocess, sys
p = subprocess.Popen([sys.argv[1], "run", "race", "threads=2", "iterations=1",
                      "--mode", "step", "--timeout", "0.3"],
                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
try:
    rc = p.wait(timeout=30)
except subprocess.TimeoutExpired:
    p.kill()
    print("# still running after 30 s")
    sys.exit(1)
p.stdin.close()
print("# exit status %d" % rc)
sys.exit(0 if rc == 5 else 1)
PY
}
check "step mode idle on open stdin past --timeout: exit 5" step_timeout

done_testing
