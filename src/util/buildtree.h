/*
 * buildtree.h - is the running program the one built in a source
 * checkout's build tree, or an installed copy?
 *
 * A program run from the build tree of a checkout (`./interleave`, the
 * README's quick start) reads the checkout's own data: its lessons/ and
 * data/schedules/, so an edit there shows at once and the lessons'
 * commands (`--schedule-file lost-update.sched`) work before anything is
 * installed, even after `make install`.  An installed copy reads the
 * installed data.  The build gives both paths (INTERLEAVE_BUILDDIR and
 * INTERLEAVE_SRCDIR, Makefile.am).
 *
 * Thread: any thread (no shared state).
 */
#ifndef INTERLEAVE_UTIL_BUILDTREE_H
#define INTERLEAVE_UTIL_BUILDTREE_H

#include <stdbool.h>

/*
 * True when the running program (/proc/self/exe) sits in the build
 * directory it was built in (INTERLEAVE_BUILDDIR); false for an installed
 * copy, or when that cannot be told.
 */
bool buildtree_running(void);

/*
 * Where a kind of the program's data is: checkout (a directory of the
 * source checkout, INTERLEAVE_SRCDIR "/lessons") when the program runs
 * from the build tree and checkout is a directory, else installed (a
 * directory of pkgdatadir).  Returns one of the two (borrowed).
 */
const char *buildtree_pick(const char *checkout, const char *installed);

#endif /* INTERLEAVE_UTIL_BUILDTREE_H */
