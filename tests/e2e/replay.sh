#!/bin/sh
# replay.sh - the race demo replayed from schedules, read back as JSON.
#
# The three cases the course promises, the round-robin fill-in, the same
# schedule from a file, and the same result on every repetition.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 19

il run race threads=2 iterations=1 variant=unsafe --schedule 'A B A B A B' --format json
check "A B A B A B: exit 0" rc_is 0
check "A B A B A B: final 1, lost 1" json \
    'd["verdict"] == "completed" and d["results"] == {"expected": 2, "final": 1, "lost": 1}'
check "A B A B A B: mode, schedule, params, steps" json \
    'd["mode"] == "replay" and d["schedule"] == "A B A B A B" and d["steps"] == 6
     and d["params"] == {"threads": 2, "iterations": 1, "variant": "unsafe", "lanes": "threads"}
     and d["bad_token"] is None'
check "A B A B A B: per-lane summaries" json \
    '[(l["name"], l["state"], l["ops"], l["steps"]) for l in d["lanes"]]
     == [("A", "finished", 3, 3), ("B", "finished", 3, 3)]
     and d["events"]["dropped"] == 0 and d["events"]["recorded"] == 10'

il run race threads=2 iterations=1 variant=unsafe --schedule 'A3 B3' --format json
check "A3 B3: exit 0" rc_is 0
check "A3 B3: final 2, lost 0" json \
    'd["verdict"] == "completed" and d["results"]["final"] == 2 and d["results"]["lost"] == 0'

il run race threads=2 iterations=1 variant=mutex --schedule 'A B' --format json
check "mutex A B: exit 3" rc_is 3
check "mutex A B: bad token 2, B blocked on m held by A" json \
    'd["verdict"] == "bad_schedule" and d["bad_token"] == 2
     and "B" in d["message"] and "blocked" in d["message"]
     and "mutex m" in d["message"] and "held by A" in d["message"]'
check "mutex A B: lane states at the refusal" json \
    '[l["state"] for l in d["lanes"]] == ["ready", "blocked"]'
check "mutex A B: one line on stderr" err_one_line

# a token left over once every lane finished is a step for a finished
# lane: refused (it was ignored, verdict completed, exit 0)
il run race threads=2 iterations=1 --schedule 'A3 B3 A' --format json
check "A3 B3 A: exit 3, one line" sh -c \
    '[ "$1" -eq 3 ] && [ "$(cat "$2")" = "interleave: bad_schedule: token 3 '"'A'"': lane A has finished" ]' \
    sh "$RC" "$WORK/err"
check "A3 B3 A: verdict bad_schedule at token 3 of the schedule given" json \
    'd["verdict"] == "bad_schedule" and d["bad_token"] == 3 and d["schedule"] == "A3 B3 A"
     and d["results"]["final"] == 2'

# the schedule runs out at once: round-robin from A is A B A B A B
il run race threads=2 iterations=1 --mode replay --format json
check "empty schedule: round-robin gives final 1, lost 1" json \
    'd["verdict"] == "completed" and d["results"]["final"] == 1 and d["results"]["lost"] == 1
     and d["steps"] == 6 and d["schedule"] == ""'

# "A" then round-robin from A: A adds, B loads 0, A stores 1, B adds, B stores 1
il run race threads=2 iterations=1 --schedule 'A' --format json
check "schedule A then round-robin: final 1" json 'd["results"]["final"] == 1'
il run race threads=2 iterations=1 --schedule 'A2' --format json
check "schedule A2 then round-robin: final 2" json 'd["results"]["final"] == 2'

cat >"$WORK/lost.sched" <<'SCHED'
# the lost update, one step per line
A   # A loads 0
B   # B loads 0
A,B # both add
A B # both store 1
SCHED
il run race threads=2 iterations=1 --schedule-file "$WORK/lost.sched" --format json
check "--schedule-file with comments: final 1, lost 1" json \
    'd["verdict"] == "completed" and d["results"]["lost"] == 1 and d["schedule"] == "A B A B A B"'

il run race threads=3 iterations=2 variant=atomic --schedule 'C2 A B*' --format json
check "atomic C2 A B*: final 6, lost 0" json \
    'd["results"] == {"expected": 6, "final": 6, "lost": 0} and d["steps"] == 6'

# determinism: ten repetitions of a long schedule give one outcome
sched='A B2 C A2 B C3 A* B'
outcomes=""
i=0
while [ $i -lt 10 ]; do
    il run race threads=3 iterations=3 --schedule "$sched" --format json
    outcomes="$outcomes$("$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["results"]["final"], d["steps"], [l["steps"] for l in d["lanes"]])' "$WORK/out")
"
    i=$((i + 1))
done
if [ "$(printf '%s' "$outcomes" | sort -u | wc -l)" -eq 1 ]; then
    ok "same schedule, same result 10 times"
else
    fail "same schedule, same result 10 times" "$outcomes"
fi

il run race threads=2 iterations=1 --schedule 'A B A B A B'
check "text format: results and a timeline" sh -c \
    'grep -q "^final *1\$" "$1" && grep -q "^lost *1\$" "$1" && grep -q "^A  |l.+.s" "$1"' \
    sh "$WORK/out"

done_testing
