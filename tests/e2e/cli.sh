#!/bin/sh
# cli.sh - the informational commands: --help, help, --version, version,
# list, run --help.  None of them may open the terminal UI: they run here
# with no terminal and TERM unset, and must print plain text.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

plan 20

version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$BUILDDIR/config.h")
unset TERM

# plain: no escape sequences (a curses screen would leave some)
plain() {
    ! grep -q "$(printf '\033')" "$WORK/out"
}

il --help
check "--help: exit 0" rc_is 0
check "--help: lists run, list, help, version" sh -c \
    'for c in run list help version; do grep -q "interleave $c" "$1" || exit 1; done' \
    sh "$WORK/out"
check "--help: documents the exit codes and options" sh -c \
    'grep -q "exit status: 0 ok" "$1" && grep -q -- "--schedule S" "$1" && grep -q -- "--mode" "$1"' \
    sh "$WORK/out"
cp "$WORK/out" "$WORK/help1"
il help
# `help` prints the command summary; --help adds the terminal UI options
check "help: exit 0, the command summary of --help" sh -c \
    '[ "$1" -eq 0 ] && [ -s "$2" ] && head -c "$(wc -c <"$2")" "$3" | cmp -s - "$2"' \
    sh "$RC" "$WORK/out" "$WORK/help1"

il --version
check "--version: exit 0" rc_is 0
check "--version: 'interleave $version'" sh -c \
    '[ "$(cat "$1")" = "interleave $2" ]' sh "$WORK/out" "$version"
il version
check "version: the same" sh -c '[ "$(cat "$1")" = "interleave $2" ]' sh "$WORK/out" "$version"

il list
check "list: exit 0" rc_is 0
check "list: the race demo and its parameters with ranges" sh -c \
    'grep -q "^  race " "$1" && grep -q "threads *1\.\.64 *default 4" "$1" &&
     grep -q "iterations *1\.\.10000000" "$1" && grep -q "variant *unsafe|mutex|atomic *default unsafe" "$1"' \
    sh "$WORK/out"
check "list: plain text, no terminal UI" plain

# every demo's table lines up: however long a parameter's values
# ("naive|ordered|trylock|timeout") or a result's name ("never_produced"),
# the next column starts at the same place and after a space
check "list: within each demo, 'default' and the units each start in one column" \
    "$PYTHON3" - "$WORK/out" <<'PY'
import re, sys
demos, cur = [], None
for line in open(sys.argv[1]).read().split("\n"):
    if line.startswith("lessons"):
        break
    if re.match(r"^  \S", line):
        cur = {"name": line.split()[0], "default": set(), "unit": set()}
        demos.append(cur)
    elif cur is not None and re.match(r"^      \S", line) and " default " in line:
        cur["default"].add(line.index(" default "))
    elif cur is not None and re.match(r"^        \S+ +(count|time|rate|ns|/s)\b", line):
        cur["unit"].add(len(re.match(r"^        \S+ +", line).group(0)))
bad = [d["name"] for d in demos if len(d["default"]) != 1 or len(d["unit"]) > 1]
if len(demos) < 3 or bad:
    print("# not aligned: %s" % bad)
    sys.exit(1)
PY

il run --help
check "run --help: exit 0 and the run synopsis" sh -c \
    '[ "$1" -eq 0 ] && grep -q "usage: interleave run DEMO" "$2"' sh "$RC" "$WORK/out"

il run race threads=3 iterations=1000 variant=atomic
check "run with no terminal: completes, plain text" sh -c \
    '[ "$1" -eq 0 ] && grep -q "^final *3000\$" "$2"' sh "$RC" "$WORK/out"
check "run: text output has no escape sequences" plain

# the text report: one column for the results (never_produced is 14
# long), and no line ends with a space (the legends did)
il run prodcons items=3 --mode step
check "text report: the results and figures are one column, the long name too" \
    "$PYTHON3" - "$WORK/out" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
i = next(k for k, l in enumerate(lines) if l.startswith("verdict:")) + 1
cols = set()
names = []
for l in lines[i:]:
    if l == "":
        break
    if l.startswith("  "):
        continue  # the verdict's message
    m = re.match(r"^(\S+) +", l)
    names.append(m.group(1))
    cols.add(len(m.group(0)))
if len(cols) != 1 or "never_produced" not in names:
    print("# columns %s for %s" % (sorted(cols), names))
    sys.exit(1)
PY
check "text report: no line ends with a space" sh -c '! grep -n " \$" "$1"' sh "$WORK/out"
il run race threads=2 iterations=1 --schedule "A B A B A B"
check "text report of a race replay: the legend lines end without a space" sh -c \
    'grep -q "^legend: " "$1" && ! grep -n " \$" "$1"' sh "$WORK/out"

# the legend under a step run's timeline names what the rows show, each
# glyph once: not the race's operations under a pool or an event loop, not
# a pool's pipes twice, not a generic meaning for a glyph the demo gives
# its own (a pool's '!', an event loop's 'w')
: >"$WORK/legends"
for args in "pool tasks=2 usage=map/A2 B C C C B B A* B* C*" "pool tasks=4 crash=2/A3" \
    "asyncio/B C D E" "gil workload=mixed threads=2 work=3 io_ops=1/B3 A B2 A2 B" \
    "race threads=2 iterations=1/A B A B A B" "futures/A*"; do
    # shellcheck disable=SC2086 # the words before the '/' are the arguments
    il run ${args%%/*} --schedule "${args#*/}"
    printf '=== %s\n' "$args" >>"$WORK/legends"
    cat "$WORK/out" >>"$WORK/legends"
done
check "text report: each legend names the glyphs its timeline shows, each once" \
    "$PYTHON3" - "$WORK/legends" <<'PY'
import re, sys
bad = []
for run in open(sys.argv[1]).read().split("=== ")[1:]:
    name, _, text = run.partition("\n")
    lines = text.split("\n")
    t = next(k for k, l in enumerate(lines) if l.startswith("timeline ("))
    rows = []
    k = t + 1
    while "|" in lines[k] and not lines[k].startswith("legend:"):
        rows.append(lines[k].split("|", 1)[1])
        k += 1
    shown = set("".join(rows[:-1]))  # the last row is the axis
    legend = [lines[k][len("legend:"):]]
    k += 1
    while lines[k].startswith("        "):
        legend.append(lines[k])
        k += 1
    glyphs = []
    for i, l in enumerate(legend):
        for item in re.split(r"  +", l.strip()):
            if item == "(blank) finished":
                continue
            glyphs.append(item[0])
            if i == 0 and item[0] not in shown and item[0] not in ".=":
                bad.append("%s: '%s' is not on the timeline" % (name, item))
    twice = sorted({g for g in glyphs if glyphs.count(g) > 1})
    if twice:
        bad.append("%s: %s explained twice" % (name, " ".join(twice)))
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
PY

il run race threads=4 variant=mutex --format json
check "free mode, mutex, default iterations: nothing lost" json \
    'd["mode"] == "free" and d["verdict"] == "completed"
     and d["results"]["final"] == d["results"]["expected"] == 4 * d["params"]["iterations"]
     and d["results"]["lost"] == 0'

# a free mutex is taken with no wait recorded: a lane alone never waits
il run race threads=1 iterations=200 variant=mutex --format csv
check "free: a lane alone takes its mutex with no lock_wait recorded" sh -c \
    '[ "$1" -eq 0 ] && grep -q ",lock," "$0" && ! grep -q ",lock_wait," "$0"' "$WORK/out" "$RC"

done_testing
