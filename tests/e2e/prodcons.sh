#!/bin/sh
# prodcons.sh - the producer-consumer demo headless, read back as JSON.
#
# The failing schedule of each broken variant (verdict, message, exit
# status), the correct variants completing in free mode with every item
# taken once, the figures and the depth series in the JSON report, the
# spurious-wakeup token's errors, `list`, and the lesson file's lint.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 22

# if_wait, a spurious wakeup: B sleeps on the empty buffer, ~B wakes it,
# B takes from the empty buffer at step 7 (lock, count, wait; wake, count, head, slot)
il run prodcons variant=if_wait capacity=2 items=4 --schedule 'B* ~B B*' --format json
check "if_wait B* ~B B*: exit 1 (a check failed)" rc_is 1
check "if_wait B* ~B B*: B took from an empty buffer at step 7" json \
    'd["verdict"] == "invariant" and d["schedule"] == "B* ~B B*"
     and d["invariant"] == {"name": "depth within 0..capacity",
                            "what": "took from an empty buffer: slot 0 holds no item",
                            "lane": "B", "at": 7, "unit": "steps"}
     and d["message"].startswith("invariant \x27depth within 0..capacity\x27 broken at step 7 by lane B")
     and d["results"]["lost"] == 0 and d["results"]["never_produced"] == 3'
check "if_wait: one line on stderr" err_one_line

# if_wait, a second consumer first
il run prodcons variant=if_wait consumers=2 capacity=1 items=4 --schedule 'B* A8 C* B*' --format json
check "if_wait B* A8 C* B*: B takes from the empty buffer at step 27" json \
    'd["verdict"] == "invariant" and d["invariant"]["lane"] == "B" and d["invariant"]["at"] == 27'

# signal_lost: everyone asleep on cv
il run prodcons variant=signal_lost consumers=2 capacity=1 items=4 --schedule 'B* C* A* B* C*' --format json
check "signal_lost B* C* A* B* C*: exit 4" rc_is 4
check "signal_lost: hang at step 32, every sleeper named" json \
    'd["verdict"] == "hang" and d["message"] == "hang at step 32: every unfinished lane waits and none can wake another: A waits on cond cv; B waits on cond cv; C waits on cond cv"
     and d["cycle"] is None and d["invariant"] is None
     and [l["state"] for l in d["lanes"]] == ["blocked", "blocked", "blocked"]'

# unlocked: an item lost, an item duplicated
il run prodcons variant=unlocked producers=2 items=4 --schedule 'A2 B2 A B' --format json
check "unlocked A2 B2 A B: item 0 overwritten at step 6" json \
    'd["verdict"] == "invariant" and d["invariant"]["name"] == "exactly once"
     and d["invariant"]["what"] == "item 0 in slot 0 was overwritten by item 1 before anyone took it (lost)"
     and d["invariant"]["at"] == 6 and d["invariant"]["lane"] == "B"'
il run prodcons variant=unlocked consumers=2 capacity=2 items=2 --schedule 'A* B2 C2 B C' --format json
check "unlocked A* B2 C2 B C: item 0 taken twice at step 19" json \
    'd["verdict"] == "invariant" and d["invariant"]["at"] == 19
     and d["invariant"]["what"] == "item 0 taken a second time, from slot 0 (duplicated)"'

# determinism: the same failing schedule, the same message, five times
msgs=""
i=0
while [ $i -lt 5 ]; do
    il run prodcons variant=signal_lost consumers=2 capacity=1 items=4 --schedule 'B* C* A* B* C*' --format json
    msgs="$msgs$("$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["message"], d["steps"])' "$WORK/out")
"
    i=$((i + 1))
done
if [ "$(printf '%s' "$msgs" | sort -u | wc -l)" -eq 1 ]; then
    ok "signal_lost: the same hang five times"
else
    fail "signal_lost: the same hang five times" "$msgs"
fi

# the correct variants in free mode: every item exactly once
for v in condvar semaphore; do
    il run prodcons variant=$v producers=3 consumers=3 capacity=2 items=3000 join=1 --format json
    check "free $v, 3x3, join: completed, every item once" json \
        'd["verdict"] == "completed" and d["results"]["consumed"] == 3000
         and d["results"]["lost"] == 0 and d["results"]["duplicated"] == 0
         and 0 < d["results"]["max_depth"] <= 2 and d["invariant"] is None'
done
check "free semaphore: figures present and ordered" json \
    'd["results"]["items_per_s"] > 0 and d["results"]["latency_p50"] <= d["results"]["latency_p99"]
     and d["results"]["blocked_full"] >= 0 and d["results"]["blocked_empty"] >= 0
     and d["wait_unit"] == "ns" and d["progress_unit"] == "puts/takes"'
check "free semaphore: depth series within 0..capacity, in time order" json \
    'd["series"]["var"] == "count" and d["series"]["unit"] == "ns"
     and 0 < len(d["series"]["points"]) <= 256
     and all(0 <= v <= 2 for t, v in d["series"]["points"])
     and all(a[0] <= b[0] for a, b in zip(d["series"]["points"], d["series"]["points"][1:]))'

# free mode: the lost wakeup hangs for real, and is named
il run prodcons variant=signal_lost producers=2 consumers=2 capacity=1 items=200000 --format json
check "free signal_lost: a hang, named within 200 ms" json \
    '(d["verdict"] == "hang" and "waits on cond cv" in d["message"]
      and d["detect_latency_ns"] is not None and d["detect_latency_ns"] < 200000000)
     or d["verdict"] == "completed"'

# step mode figures: latency in steps, no throughput
il run prodcons capacity=2 items=4 --mode replay --format json
check "replay condvar: completed, latency in steps, no items_per_s" json \
    'd["verdict"] == "completed" and d["wait_unit"] == "steps"
     and "items_per_s" not in d["results"] and d["results"]["latency_p50"] > 0'

# the text report draws the depth
il run prodcons capacity=2 items=4 --mode replay
check "text report: a depth graph" out_has "count over time (top = 1):"

# the spurious-wakeup token: refused for a lane that is not asleep
il run prodcons --schedule 'A ~B' --format json
check "~B for a lane not asleep: exit 3" rc_is 3
check "~B for a lane not asleep: bad token 2, said why" json \
    'd["verdict"] == "bad_schedule" and d["bad_token"] == 2
     and d["message"] == "token 2 \x27~B\x27: lane B is not asleep on a condition variable"'
il run prodcons --schedule 'A ~B2'
check "~B2: a parse error, exit 3, one line" sh -c \
    '[ "$1" -eq 3 ] && grep -q "a spurious wakeup is .~. and a lane name" "$2"' sh "$RC" "$WORK/err"

# parameters
il run prodcons capacity=0
check "capacity=0: usage error, exit 2" rc_is 2
il list
check "list names prodcons and its variants" sh -c \
    'grep -q "^  prodcons " "$1" && grep -q "condvar|semaphore|if_wait|signal_lost|unlocked" "$1"' \
    sh "$WORK/out"

# the lesson file
il lint "$SRCDIR/lessons/prodcons.md"
check "lessons/prodcons.md is clean" rc_is 0

done_testing
