/*
 * progress.h - a student's progress, kept per user on disk.
 *
 * Stored in the state directory (util/statedir.h: $XDG_STATE_HOME/
 * interleave/, default ~/.local/state/interleave/).  Every change is
 * written at once to a temporary file and renamed over the old one, so
 * progress survives a crash of the app at any moment; a save that fails
 * is returned at once.  Lines another version wrote are kept.
 *
 * Thread: one thread at a time per Progress.
 */
#ifndef INTERLEAVE_LESSON_PROGRESS_H
#define INTERLEAVE_LESSON_PROGRESS_H

#include <stdbool.h>

#include <stddef.h>

#include "core/compiler.h"
#include "core/error.h"
#include "util/strbuf.h"

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

/* The file progress is kept in (borrowed; NULL for progress_from_text). */
const char *progress_path(const Progress *progress);

/*
 * Why the last save failed, one line ("progress is not saved: cannot
 * write in DIR: No space left on device"), or "" when it did not.  The
 * progress_mark_* functions return the error at once; a front end shows
 * this line then.  Borrowed until the next call on progress.
 */
const char *progress_error(const Progress *progress);

/*
 * Progress read from the len bytes of text (the file's format), kept in
 * memory only: marks change it, saves do nothing.  For tests and the
 * fuzzer.  Returns it (caller frees with progress_free()) or NULL with err
 * (-ENOMEM).
 */
Progress *progress_from_text(const char *text, size_t len, IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Append the file's text for progress to out: the header, the facts, then
 * every line that was not understood, as it was.  Returns 0 or -ENOMEM.
 */
int progress_format(const Progress *progress, StrBuf *out);

#endif /* INTERLEAVE_LESSON_PROGRESS_H */
