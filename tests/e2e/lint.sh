#!/bin/sh
# lint.sh - `interleave lint` end to end: the shipped lesson is clean, a
# broken file gives file:line messages and exit status 1, and usage errors
# give 2.  TAP output.
. "$top_builddir/tests/test_vars.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lint-test.XXXXXX") || exit 99
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

echo "1..9"

# 1: the shipped lesson lints clean: nothing on stdout, the summary says so
out=$("$INTERLEAVE" lint "$SRCDIR/lessons/race.md" 2>"$tmp/err"); rc=$?
if [ "$rc" -eq 0 ] && [ -z "$out" ] && grep -q "lint: 1 file, clean" "$tmp/err"; then
    ok "lessons/race.md is clean"
else
    fail "lessons/race.md is clean" "exit $rc" "$out"
fi

# 2: a broken file: exit 1, one file:line message per problem
cat > "$tmp/broken.md" <<'LESSON'
# Broken

A lesson with mistakes.

## A page

```interleave-run
demo: race
params: threads=0
schedule: A Z
```

```question
id: q
prompt: Which?
choice: one
choice: two
answer: 3
```
LESSON
out=$("$INTERLEAVE" lint "$tmp/broken.md" 2>/dev/null); rc=$?
if [ "$rc" -eq 1 ] && echo "$out" | grep -q "^$tmp/broken.md:9: params: " &&
   echo "$out" | grep -q "^$tmp/broken.md:18: answer: "; then
    ok "broken file: exit 1 and file:line messages"
else
    fail "broken file: exit 1 and file:line messages" "exit $rc" "$out"
fi

# 3: a missing file counts as a problem, and the other files are still checked
out=$("$INTERLEAVE" lint "$tmp/missing.md" "$SRCDIR/lessons/race.md" 2>/dev/null); rc=$?
if [ "$rc" -eq 1 ] && [ "$out" = "$tmp/missing.md: No such file or directory" ]; then
    ok "missing file: exit 1, 'No such file or directory'"
else
    fail "missing file: exit 1, 'No such file or directory'" "exit $rc" "$out"
fi

# 4: no files is a usage error
"$INTERLEAVE" lint >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 2 ]; then
    ok "no files: exit 2"
else
    fail "no files: exit 2" "exit $rc"
fi

# 5: the stderr summary names the count
err=$("$INTERLEAVE" lint "$tmp/broken.md" 2>&1 >/dev/null)
if echo "$err" | grep -q "lint: 1 file, [0-9]* problems in 1 of them"; then
    ok "summary on stderr"
else
    fail "summary on stderr" "$err"
fi

# 6: `interleave list` shows the lesson with its title
out=$(INTERLEAVE_LESSON_DIR="$SRCDIR/lessons" "$INTERLEAVE" list 2>&1); rc=$?
if [ "$rc" -eq 0 ] && echo "$out" | grep -q "race  *Race conditions"; then
    ok "list shows the race lesson"
else
    fail "list shows the race lesson" "exit $rc" "$out"
fi

# 7-9: a run block's schedule is dry-run: one the scheduler would refuse
# is a problem at the block's line; messages come in line order
cat > "$tmp/refused.md" <<'LESSON'
<!-- interleave: demo=race -->

# Refused

A lesson whose replay does not work.

## The mutex by hand

```interleave-run
label: mutex by hand
params: threads=2 iterations=1 variant=mutex
mode: replay
schedule: A B
```

```interleave-run
label: fine
params: threads=2 iterations=1
mode: replay
schedule: A3 B3
```
LESSON
out=$("$INTERLEAVE" lint "$tmp/refused.md" 2>/dev/null); rc=$?
if [ "$rc" -eq 1 ] && echo "$out" | grep -q "refused.md:9: run block 'mutex by hand': the schedule would be refused: token 2 'B': lane B is blocked on mutex m held by A"; then
    ok "a replay block whose schedule would be refused is a problem at its line"
else
    fail "a replay block whose schedule would be refused is a problem at its line" "exit $rc" "$out"
fi
if [ "$(echo "$out" | wc -l)" -eq 1 ]; then
    ok "the block that replays fine is not reported"
else
    fail "the block that replays fine is not reported" "$out"
fi
cat > "$tmp/order.md" <<'LESSON'
<!-- interleave: demo=race -->

# Order

A refused replay early in the file, a solution that misses its goal
later: the later check runs first, the report still reads top down.

## Page

```interleave-run
label: mutex by hand
params: threads=2 iterations=1 variant=mutex
mode: replay
schedule: A B
```

```interleave-challenge
id: lose-one
goal: Lose an update.
params: threads=2 iterations=1 variant=unsafe
result: lost == 1
solution: A3 B3
```
LESSON
out=$("$INTERLEAVE" lint "$tmp/order.md" 2>/dev/null)
lines=$(echo "$out" | sed -n 's/^[^:]*order.md:\([0-9]*\):.*/\1/p' | tr '\n' ' ')
sorted=$(echo "$out" | sed -n 's/^[^:]*order.md:\([0-9]*\):.*/\1/p' | sort -n | tr '\n' ' ')
if [ -n "$lines" ] && [ "$lines" = "$sorted" ] && [ "$(echo "$out" | wc -l)" -eq 2 ]; then
    ok "messages come in line order ($lines)"
else
    fail "messages come in line order" "$out"
fi

exit $failed
