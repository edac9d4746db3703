#!/bin/sh
# lesson_facts.sh - what the lessons and README say agrees with what
# interleave does and with the field's terms: which sleeper a condition
# variable's signal wakes is interleave's rule (POSIX leaves it open); a
# hang is what textbooks call a lost wakeup; the try-lock and the timed
# lock are one fix (hold and wait), not two Coffman conditions; the
# deadlock lesson's detection figure is the README's measured one; the
# README promises processes only the way they exist (lanes=processes); the
# crawl lesson compares the delays its runs use.
# TAP output.
. "$(dirname "$0")/lib.sh"

plan 7

prodcons="$SRCDIR/lessons/prodcons.md"
deadlock="$SRCDIR/lessons/deadlock.md"
readme="$SRCDIR/README.md"

# text of a file with its lines joined, for phrases that wrap
joined() {
    tr '\n' ' ' <"$1" | tr -s ' '
}

check "prodcons: a signal's wake order is interleave's rule, POSIX leaves it open" \
    sh -c 'printf "%s" "$1" | grep -q "interleave.s rule" &&
        printf "%s" "$1" | grep -q "POSIX says only"' sh "$(joined "$prodcons")"
check "prodcons: a hang is named a lost wakeup" \
    sh -c 'printf "%s" "$1" | grep -q "a \*\*hang\*\*, interleave.s name for what textbooks call a \*lost wakeup\*"' \
    sh "$(joined "$prodcons")"
check "deadlock: try-lock and timed lock break the same condition, hold and wait" \
    sh -c 'printf "%s" "$1" | grep -q "the try-lock and the timed lock both break \*\*hold and wait\*\*, in the same way"' \
    sh "$(joined "$deadlock")"
check "deadlock: the timed lock is not sold as preemption (nobody takes a lock away)" \
    sh -c '! printf "%s" "$1" | grep -q "a form of \*\*preemption\*\*" &&
        printf "%s" "$1" | grep -q "\*\*no preemption\*\* still holds"' sh "$(joined "$deadlock")"
lesson_ms=$(joined "$deadlock" | grep -o '[0-9]* ms after at the latest' | grep -o '^[0-9]*')
readme_ms=$(grep 'deadlock detection latency' "$readme" | grep -o 'max [0-9]* ms' | grep -o '[0-9]*')
check "deadlock lesson and README give the same worst detection latency ($lesson_ms ms, $readme_ms ms)" \
    test -n "$lesson_ms" -a "$lesson_ms" = "$readme_ms"
check "README: processes as they exist (lanes=processes), no 'process lessons'" \
    sh -c '! grep -q "process lessons" "$1" && grep -q "lanes=processes" "$1"' sh "$readme"

done_testing
# the prose before the runs names the delays they use, no other
check "crawl: the delays the speed-up section compares are those of its runs" \
    "$PYTHON3" - "$SRCDIR/lessons/crawl.md" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
sec = text.split("## The speed-up grows with the delay", 1)[1].split("\n## ", 1)[0]
prose, _, runs = sec.partition("```interleave-run")
prose = re.sub(r"\([^)]*\)", "", prose)  # an aside: the table's rows
said = {int(n) for lst in re.findall(r"(\d+(?:(?:,| and) \d+)*) ms", prose)
        for n in re.findall(r"\d+", lst)}
if "no delay" in prose:
    said.add(0)
run_delays = {int(n) for n in re.findall(r"delay_ms=(\d+)", runs)}
if said != run_delays:
    print("# the text compares %s ms, the runs use %s ms" % (sorted(said), sorted(run_delays)))
    sys.exit(1)
PY
