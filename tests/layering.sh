#!/bin/sh
# layering.sh - the tree's structural rules (tests/layering.py): includes
# point one way, curses only in src/ui/crt.c, no file outside src/demos/
# names a demo.
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 not found"; exit 0; }
exec python3 "$top_srcdir/tests/layering.py" "$top_srcdir/src" "$top_builddir/interleave"
