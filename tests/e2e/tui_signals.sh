#!/bin/bash
# tui_signals.sh - every signal that ends the TUI leaves the terminal usable.
#
# For each signal whose default action ends a process, start the lesson
# screen in tmux, send the signal to the UI, and check that the shell
# comes back to a sane terminal: off the alternate screen, cursor shown,
# echo and line mode on (stty), and the exit status of death by that
# signal (128 + N).  Also: TERM=dumb is refused with one line, like an
# unknown terminal; a progress file that cannot be saved is said on the
# status line at once, not only at exit.
#
# Exit 77 (skip) when tmux is missing.

. "$(dirname "$0")/tui_lib.sh"

SIGNALS="QUIT USR1 USR2 ALRM PIPE VTALRM XCPU TRAP"
echo "1..$((3 * $(echo $SIGNALS | wc -w) + 10))"

# the pid of the interleave started in the current session's shell
ui_pid() {
    local shell
    shell=$($T display -p -t "$TUI_SESSION" '#{pane_pid}')
    pgrep -P "$shell" -x interleave | head -1
}

pane_flag() {
    $T display -p -t "$TUI_SESSION" "#{$1}"
}

for sig in $SIGNALS; do
    start_tui 100 30 "" --lesson race
    if ! wait_for "page 1/"; then
        not_ok "SIG$sig: the lesson screen opens" "$SCREEN"
        continue
    fi
    pid=$(ui_pid)
    num=$(kill -l "$sig")
    kill -s "$sig" "$pid"
    check "SIG$sig: the UI ends with status $((128 + num))" "tui-exit=$((128 + num))"
    if [ "$(pane_flag alternate_on)" = 0 ] && [ "$(pane_flag cursor_flag)" = 1 ]; then
        ok "SIG$sig: off the alternate screen, cursor shown"
    else
        not_ok "SIG$sig: off the alternate screen, cursor shown" \
            "alternate_on=$(pane_flag alternate_on) cursor_flag=$(pane_flag cursor_flag)"
    fi
    keys "stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(echo|icanon)\$' | tr '\\n' ' '; echo :modes" Enter
    check "SIG$sig: echo and line mode are back" "^echo icanon :modes|^icanon echo :modes"
done

# TERM=dumb: refused at once, one line, exit 2
start_tui 100 30 "TERM=dumb"
check "TERM=dumb is refused with one line and exit 2" \
    "terminal type 'dumb' cannot move the cursor.*"
check "TERM=dumb: exit status 2" "tui-exit=2"

# l with a special file: refused at once with one line, the UI stays live
# (it used to read /dev/zero forever, deaf to q, Ctrl-C and SIGTERM)
start_tui 100 30 "" --lesson race
wait_for "page 1/" >/dev/null
keys m
wait_for "STEP MODE" >/dev/null
keys l C-u "/dev/zero" Enter
check "l /dev/zero: refused at once, named" "/dev/zero: is a character device"
keys l C-u "$WORK" Enter
check "l DIRECTORY: refused at once, named" "is a directory, not a regular schedule file"
keys q
check "the UI still quits with q" "tui-exit=0"

# a lesson directory with a FIFO named *.md and a lesson nested 100,000
# deep: the TUI starts (it hung on the FIFO and crashed on the nesting),
# and the good lesson is there
mkdir -p "$WORK/lessons"
cp "$SRCDIR/lessons/race.md" "$WORK/lessons/"
mkfifo "$WORK/lessons/pipe.md"
"$PYTHON3" -c 'import sys; sys.stdout.write("# Deep\n\nA summary.\n\n## P\n\n" + ">" * 100000 + " x\n")' \
    >"$WORK/lessons/deep.md"
start_tui 100 30 "INTERLEAVE_LESSON_DIR='$WORK/lessons'"
check "a FIFO and a too-deep lesson in the directory: the browser opens" "Race conditions"
keys q
check "and quits with q" "tui-exit=0"

# progress that cannot be saved (its directory cannot be made under
# /proc, even for root): said on the status line while the UI runs
start_tui 100 30 "XDG_STATE_HOME=/proc" --lesson race
wait_for "page 1/" >/dev/null
keys n
check "a failed progress save is said at once" "progress is not saved"
keys q

# progress that cannot even be read (its directory is a regular file): the
# browser says so, and so does every lesson opened, not only stderr at exit
mkdir -p "$WORK/rostate"
: >"$WORK/rostate/interleave"
start_tui 100 30 "XDG_STATE_HOME='$WORK/rostate'"
check "progress that cannot be loaded: the browser says it is not saved" \
    "progress is not saved: .*Not a directory"
keys Enter
check "and the lesson opened says it too" "progress is not saved: .*Not a directory"
keys q

[ $FAILED -eq 0 ]
