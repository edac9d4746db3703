#!/bin/sh
# lessonpath.sh - instructors' own lessons beside the built-in ones:
# INTERLEAVE_LESSON_PATH and --lessons add directories before the built-in
# lessons; a lesson with a built-in's name replaces it, every other one
# adds to the list, and each says where it comes from; a directory that
# cannot be read is said on stderr while the rest loads.  TAP output.
. "$(dirname "$0")/lib.sh"

plan 10

mine=$WORK/course
mkdir -p "$mine"
sed 's/^# Race conditions: the lost update$/# Our own race lesson/' "$SRCDIR/lessons/race.md" \
    >"$mine/race.md"
cat >"$mine/ours.md" <<'LESSON'
<!-- interleave: demo=race -->

# Our locks

A lesson an instructor wrote.

## Two threads and a mutex

```interleave-run
label: With the mutex
params: threads=2 variant=mutex
```
LESSON

INTERLEAVE_LESSON_DIR="$SRCDIR/lessons" INTERLEAVE_LESSON_PATH="$mine" il list
check "list reads the path: exit 0" rc_is 0
check "an instructor's race.md replaces the built-in one (listed once, with its title)" \
    sh -c '[ "$(sed -n "/^lessons (/,\$p" "$1" | grep -c "^  race ")" -eq 1 ] && grep -q "^  race .*Our own race lesson" "$1" &&
        grep -q "from .*course (replaces the built-in)" "$1"' sh "$WORK/out"
check "an instructor's new lesson adds to the list, naming its directory" \
    sh -c 'grep -q "^  ours " "$1" && grep -q "^  deadlock " "$1"' sh "$WORK/out"
check "the built-in lessons still come after it" \
    sh -c 'grep -q "^  prodcons " "$1"' sh "$WORK/out"

INTERLEAVE_LESSON_DIR="$SRCDIR/lessons" INTERLEAVE_LESSON_PATH= il list --lessons "$mine"
check "--lessons DIR does the same" \
    sh -c 'grep -q "^  ours " "$1" && [ "$(sed -n "/^lessons (/,\$p" "$1" | grep -c "^  race ")" -eq 1 ]' sh "$WORK/out"

INTERLEAVE_LESSON_DIR="$SRCDIR/lessons" INTERLEAVE_LESSON_PATH="$WORK/nowhere:$mine" il list
check "a directory of the path that is missing is said, the rest loads" \
    sh -c 'rc=$1; [ "$rc" -eq 0 ] && grep -q "nowhere" "$2" && grep -q "^  ours " "$3"' \
    sh "$RC" "$WORK/err" "$WORK/out"

il list --lessons "$WORK/nowhere"
check "--lessons on a missing directory: exit 2, one line" \
    sh -c '[ "$1" -eq 2 ] && [ "$(wc -l <"$2")" -eq 1 ]' sh "$RC" "$WORK/err"

INTERLEAVE_LESSON_DIR="$SRCDIR/lessons" il list
check "without the path, only the built-in lessons" \
    sh -c '! grep -q "^  ours " "$1"' sh "$WORK/out"

(unset INTERLEAVE_LESSON_DIR INTERLEAVE_LESSON_PATH; il list)
want=$(cd "$SRCDIR/lessons" && pwd -P)
check "run from its build tree, interleave reads the checkout's lessons/ (even after make install)" \
    sh -c 'd=$(sed -n "s/^lessons (\(.*\)):\$/\1/p" "$1" | head -n 1) &&
        [ -n "$d" ] && [ "$(cd "$d" && pwd -P)" = "$2" ]' sh "$WORK/out" "$want"

# the race lesson's own command, as written there, run from anywhere:
# the schedule comes from the checkout's data/schedules/ (nothing is
# installed; it failed with "No such file or directory")
cmd=$(grep -o 'interleave run race [^`]*--schedule-file lost-update.sched' "$SRCDIR/lessons/race.md" | head -n 1)
mkdir "$WORK/elsewhere"
RC=0
# shellcheck disable=SC2086
(cd "$WORK/elsewhere" && unset INTERLEAVE_SCHEDULE_DIR &&
    "$INTERLEAVE" ${cmd#interleave } --format json </dev/null >"$WORK/out" 2>"$WORK/err") || RC=$?
check "run from its build tree, the lesson's '--schedule-file lost-update.sched' is the checkout's" json \
    'd["schedule"] == "A B A B A B" and d["results"]["lost"] == 1'

done_testing
