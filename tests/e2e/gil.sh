#!/bin/sh
# gil.sh - the GIL demo headless: the figures in text and JSON with their
# units, the exact replays (a drop request and a forced switch; the counter
# losing an update only with a switch point; an I/O lane that must wait for
# the holder), the step scheduler's refusal naming the holder, bad
# parameters, and free-run properties (never timings).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 17

# a drop request and a forced hand-off, step by step
il run gil threads=2 work=2 --schedule 'A B A A B A' --format csv
check "A B A A B A: B asks A to drop at step 2" out_has '2,step,B,drop_request,GIL,0'
check "A B A A B A: A drops on request at step 4" out_has '4,step,A,gil_drop,GIL,1'
check "A B A A B A: B takes it at step 5, A switched at step 6" \
    sh -c "grep -q '5,step,B,gil_take,GIL,0' '$WORK/out' && grep -q '6,step,A,switched,GIL,1' '$WORK/out'"
il run gil threads=2 work=2 --schedule 'A B A A B A' --format json
check "A B A A B A: completed, drop requests and forced switches counted in steps" json \
    'd["verdict"] == "completed" and d["results"]["drop_requests"] >= 1
     and d["results"]["forced_switches"] >= 1 and d["units"]["slice_p50"] == "steps"'

# once the request is out, the waiter is refused: it waits for the holder
il run gil threads=2 work=2 --schedule 'A B B'
check "A B B: exit 3 (a bad schedule)" rc_is 3
check "A B B: the refusal names the holder" err_has "token 3 'B': lane B waits for the GIL held by A"
check "A B B: one line on stderr" err_one_line
il run gil threads=2 work=2 --schedule 'A B A A A'
check "A B A A A: forced switching holds the dropper" \
    err_has "lane A waits until another lane takes the GIL (forced switching)"

# the counter: the same schedule loses an update only with a switch point
il run gil workload=counter threads=2 work=1 switch_point=1 --schedule 'A B A A A' --format json
check "counter, switch point, A B A A A: one update lost" json \
    'd["verdict"] == "completed" and d["results"]["lost"] == 1 and d["results"]["final"] == 1'
il run gil workload=counter threads=2 work=1 switch_point=0 --schedule 'A B A A A' --format json
check "counter, no switch point, A B A A A: none lost" json \
    'd["verdict"] == "completed" and d["results"]["lost"] == 0 and d["results"]["final"] == 2'

# an I/O lane back from its op waits for the CPU lane holding the GIL
il run gil workload=mixed threads=2 work=3 io_ops=1 --schedule 'B3 A B2 A2 B' --format csv
check "mixed B3 A B2 A2 B: B back from I/O at 5, asks at 6, runs at 9" \
    sh -c "grep -q '5,step,B,io_end,io,0' '$WORK/out' && grep -q '6,step,B,drop_request,GIL,0' '$WORK/out' && grep -q '9,step,B,gil_take,GIL,0' '$WORK/out'"
il run gil workload=mixed threads=2 work=3 io_ops=1 --schedule 'B3 A B3'
check "mixed B3 A B3: refused, B waits for the GIL held by A" \
    err_has "lane B waits for the GIL held by A"

# bad parameters: one line, usage exit
il run gil threads=65
check "threads=65: exit 2, one line" sh -c "[ $RC -eq 2 ] && [ \$(wc -l <'$WORK/err') -eq 1 ] && grep -q 'threads: must be an integer in 1..64' '$WORK/err'"
il run gil gil=older
check "gil=older: the choices named" err_has "gil: must be one of old|new|none"

# free runs: properties with units
il run gil threads=2 work=20000 interval_us=1000
check "free cpu: text figures with units" \
    sh -c "grep -Eq '^speedup +[0-9.]+x' '$WORK/out' && grep -Eq '^slice_p50 +[0-9.]+ (us|ms|ns)' '$WORK/out' && grep -q 'waits: the GIL' '$WORK/out'"
il run gil gil=none workload=counter threads=4 work=50000 --format json
check "free, no GIL, unprotected counter: updates lost" json \
    'd["verdict"] == "completed" and d["results"]["lost"] > 0'

# the lesson: lint replays its challenges' solutions and checks its runs
il lint "$SRCDIR/lessons/gil.md"
check "lessons/gil.md: lint clean" rc_is 0

done_testing
