/*
 * progress.h - a student's progress, kept per user on disk.
 *
 * Stored under $XDG_STATE_HOME/interleave/ (default
 * ~/.local/state/interleave/).  Every change is written at once to a
 * temporary file and renamed over the old one, so progress survives a
 * crash of the app at any moment.
 *
 * Thread: one thread at a time per Progress.
 */
#ifndef INTERLEAVE_LESSON_PROGRESS_H
#define INTERLEAVE_LESSON_PROGRESS_H

#include <stdbool.h>

#include "core/compiler.h"
#include "core/error.h"

typedef struct Progress Progress;

/*
 * Load the progress file (a missing file is empty progress).  Returns the
 * progress (caller owns it; progress_free()) or NULL with err filled.
 */
Progress *progress_load(IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Free progress; NULL does nothing. */
void progress_free(Progress *progress);

/* Record that page (0-based) of lesson was seen / a run was done / a
 * question was answered, and save.  Returns 0 or a negative errno. */
int progress_mark_page(Progress *progress, const char *lesson, unsigned page);
int progress_mark_run(Progress *progress, const char *lesson);
int progress_mark_answer(Progress *progress, const char *lesson, const char *question,
                         bool correct);

/* Pages seen (count of distinct pages) and runs done for lesson. */
unsigned progress_pages_seen(const Progress *progress, const char *lesson);
unsigned progress_runs(const Progress *progress, const char *lesson);

/* The file progress is kept in (borrowed). */
const char *progress_path(const Progress *progress);

#endif /* INTERLEAVE_LESSON_PROGRESS_H */
