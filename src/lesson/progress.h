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

/* How an attempt was judged. */
typedef enum ProgressOutcome {
    PROGRESS_WRONG = 0,
    PROGRESS_RIGHT = 1, /* a right answer, a challenge's goal reached */
    PROGRESS_NOTED = 2  /* an answer to a question that is not graded */
} ProgressOutcome;

/* Record that page (0-based) of lesson was seen / a run was done / a
 * question was answered, and save.  Returns 0 or a negative errno.
 * progress_mark_page also records page as the one the student is on (the
 * page a lesson reopens at, progress_at); it writes only when something
 * changed. */
int progress_mark_page(Progress *progress, const char *lesson, unsigned page);
int progress_mark_run(Progress *progress, const char *lesson);
int progress_mark_answer(Progress *progress, const char *lesson, const char *question,
                         bool correct);

/*
 * Record an attempt at question or challenge id of lesson, and save: the
 * answer given (text, not empty: a choice, a value, free text, the
 * schedule of a run) and outcome (ProgressOutcome).  Attempts are kept in
 * order, all of them; a right or wrong one also sets the verdict of the
 * last answer (progress_mark_answer).  Returns 0, -EINVAL (an empty
 * name or text, an unknown outcome) or a negative errno of the save
 * (progress_error() says why; the attempt is kept in memory).
 */
int progress_mark_try(Progress *progress, const char *lesson, const char *id, int outcome,
                      const char *text);

/* What progress knows of one question or challenge. */
typedef struct ProgressItem {
    unsigned attempts; /* attempts recorded */
    int last;          /* ProgressOutcome of the last answer, -1 = none */
    bool right;        /* some answer was right (a challenge: solved) */
    bool noted;        /* some answer was noted (a question not graded) */
    const char *text;  /* the last attempt's answer, NULL = none; borrowed
                        * until the next change to progress */
} ProgressItem;

/* Fill out for id of lesson.  Returns false (out zeroed, last -1) when
 * nothing is recorded.  progress may be NULL. */
bool progress_item(const Progress *progress, const char *lesson, const char *id, ProgressItem *out);

/* The page (0-based) the student was last on in lesson, -1 = none. */
int progress_at(const Progress *progress, const char *lesson);

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
