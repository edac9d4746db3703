/*
 * lessonpath.h - where lessons come from: a search path of directories.
 *
 * DESIGN
 * Instructors keep their own lessons beside the built-in ones.  The path
 * is, in order:
 *
 *   1. the directories given with --lessons DIR (in the order given);
 *   2. the directories of $INTERLEAVE_LESSON_PATH (colon-separated);
 *   3. the built-in lessons (lesson_dir(): $INTERLEAVE_LESSON_DIR, the
 *      source checkout's lessons/ when the program runs from its build
 *      tree, else the installed ones).
 *
 * A lesson is known by its id (its file name without ".md"): the first
 * directory that has an id wins, so an instructor's race.md replaces the
 * built-in race lesson, and every other lesson adds to the list.  Each
 * loaded lesson says which directory it came from and whether it replaces
 * a built-in one, and the browser shows it.  A directory of the path that
 * cannot be read is a problem line, not a failure: the other lessons load.
 *
 * Thread: any thread (no shared state).
 */
#ifndef INTERLEAVE_LESSON_LESSONPATH_H
#define INTERLEAVE_LESSON_LESSONPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"
#include "core/error.h"
#include "lesson/lesson.h"
#include "util/strbuf.h"

/* Where a directory of the path comes from. */
typedef enum LessonOrigin {
    LESSON_FROM_OPTION = 0, /* --lessons DIR */
    LESSON_FROM_PATH = 1,   /* $INTERLEAVE_LESSON_PATH */
    LESSON_BUILTIN = 2      /* the built-in lessons */
} LessonOrigin;

typedef struct LessonPathDir {
    char *dir; /* owned */
    LessonOrigin origin;
} LessonPathDir;

typedef struct LessonPath {
    LessonPathDir *dirs; /* owned, in search order */
    size_t n;
} LessonPath;

/*
 * Build the path: the nopt directories of --lessons (opt, may be NULL when
 * nopt is 0), then $INTERLEAVE_LESSON_PATH, then the built-in directory.
 * Returns 0, or -ENOMEM.  Caller frees with lessonpath_fini().
 */
int lessonpath_init(LessonPath *lp, const char *const *opt, size_t nopt) ATTR_WARN_UNUSED_RESULT;

/* Free what lp holds. */
void lessonpath_fini(LessonPath *lp);

/*
 * Check a directory a user gives with --lessons DIR.  Returns 0 when dir
 * is a directory; else -errno with err's message "DIR: REASON": the
 * strerror of stat(2) when that fails ("No such file or directory",
 * "Permission denied"), "not a directory" (-ENOTDIR) when dir is
 * something else.  Every front end says it the same way.
 */
int lessonpath_check_dir(const char *dir, IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Load every lesson of the path in course order (order=N, then id), the
 * first directory winning for each id.  Every file that fails to load adds
 * a "path:line: what" line to problems (may be NULL), and every directory
 * that cannot be read a line naming where it was given:
 * "INTERLEAVE_LESSON_PATH: /nope: No such file or directory" (or
 * "--lessons: ...", "INTERLEAVE_LESSON_DIR: ...").  Sets *out / *n (caller frees with
 * lesson_list_free()).  Returns 0, or -ENOMEM with err.
 */
int lessonpath_load(const LessonPath *lp, Lesson ***out, size_t *n, StrBuf *problems,
                    IlError *err) ATTR_WARN_UNUSED_RESULT;

/* The path as one line for people: "~/course:/usr/share/interleave/lessons". */
void lessonpath_describe(const LessonPath *lp, StrBuf *out);

/* Where lesson comes from, for people: "built-in", or its directory
 * ("~/course/lessons"), with " (replaces the built-in)" when it does. */
void lessonpath_origin(const Lesson *lesson, StrBuf *out);

#endif /* INTERLEAVE_LESSON_LESSONPATH_H */
